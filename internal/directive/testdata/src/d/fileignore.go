/* want `//futlint:file-ignore unlockedinc needs a reason` */ //futlint:file-ignore unlockedinc

package d

/* want `//futlint:file-ignore names unknown analyzer "all"` */ //futlint:file-ignore all reasons

//futlint:file-ignore uncheckedcancel valid anywhere in the file
