package d

// Expectations come first on a line: after a directive they would be read
// as its reason.

func valid() {
	_ = 1 //futlint:ignore unlockedinc the reason
	_ = 1 //futlint:ignore unlockedinc,leakedgoroutine,uncheckedcancel the reason
	_ = 1 //futlint:ignore unlockedinc	a tab is whitespace too
	_ = 1 //futlint:ignore unlockedinc // a comment is a reason as well
}

func missingReason() {
	/* want `//futlint:ignore unlockedinc needs a reason: say why the finding is safe to ignore` */ _ = 1 //futlint:ignore unlockedinc
	/* want `//futlint:ignore unlockedinc,uncheckedcancel needs a reason` */ _ = 1 //futlint:ignore unlockedinc,uncheckedcancel
}

func missingNames() {
	/* want `//futlint:ignore needs the analyzers it silences and a reason: //futlint:ignore unlockedinc why this is safe` */ _ = 1 //futlint:ignore
}

func unknownAnalyzer() {
	/* want `//futlint:ignore names unknown analyzer "unlockedinx"; futlint has leakedgoroutine, uncheckedcancel, unlockedinc` */ _ = 1 //futlint:ignore unlockedinx typo
	/* want `names unknown analyzer "futlint"` */ _ = 1 //futlint:ignore futlint golangci's name is not an analyzer
	/* want `names unknown analyzer ""` */ _ = 1 //futlint:ignore unlockedinc, reason after a stray comma
}

func unknownDirective() {
	/* want `unknown directive //futlint:ignored: use //futlint:ignore, //futlint:file-ignore or //futlint:spawner` */ _ = 1 //futlint:ignored unlockedinc reason
	/* want `unknown directive //futlint:nolint` */ _ = 1 //futlint:nolint
}

// Not futlint directives: nothing to check.
func others() {
	_ = 1 //nolint:unlockedinx
	_ = 1 //lint:ignore SA2000 staticcheck's
	_ = 1 // futlint:ignore is prose with a space, not a directive
	_ = 1 //go:noinline
}

// spawnerMarked is a structured group for leakedgoroutine: the directive
// silences nothing and is not reported.
//
//futlint:spawner
func spawnerMarked(f func()) { go f() }
