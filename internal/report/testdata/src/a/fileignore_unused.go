//futlint:file-ignore unlockedinc stale // want "this //futlint:file-ignore directive silences no unlockedinc finding"

package a

func clean() {}

//futlint:file-ignore uncheckedcancel another analyzer's directive is its own business
