package a

func bad() int { return 0 }

func unsilenced() {
	bad() // want "call to bad"
}

func ignoreOnTheLine() {
	bad() //futlint:ignore unlockedinc only the test calls it
}

func ignoreOnTheLineAbove() {
	//futlint:ignore unlockedinc only the test calls it
	bad()
}

func ignoreCoversOneLineBelowOnly() {
	//futlint:ignore unlockedinc too far away // want "this //futlint:ignore directive silences no unlockedinc finding; remove the directive"
	_ = 1
	bad() // want "call to bad"
}

func ignoreListingSeveralAnalyzers() {
	bad() //futlint:ignore uncheckedcancel,unlockedinc only the test calls it
}

// A directive for another analyzer silences nothing here, and it is that
// analyzer's business to say it is unused.
func ignoreForAnotherAnalyzer() {
	bad() //futlint:ignore uncheckedcancel not this one // want "call to bad"
}

// Whitespace other than one space separates the names from the reason.
func ignoreWithTab() {
	bad() //futlint:ignore unlockedinc	only the test calls it
}

// A malformed directive never silences (futlintdirective reports it). The
// expectation comes first: after the directive it would be its reason.
func ignoreWithoutReason() {
	/* want "call to bad" */ bad() //futlint:ignore unlockedinc
}

func ignoreUnused() {
	//futlint:ignore unlockedinc nothing to silence // want "this //futlint:ignore directive silences no unlockedinc finding"
	_ = 1
}

// A stale directive naming several analyzers: only this one's name goes.
func ignoreUnusedSeveral() {
	//futlint:ignore uncheckedcancel,unlockedinc nothing to silence // want "silences no unlockedinc finding; remove unlockedinc from it"
	_ = 1
}

func nolintForms() {
	bad() //nolint
	bad() //nolint:futlint
	bad() //nolint:unlockedinc
	bad() //nolint:all
	bad() //nolint:gosec,futlint
	bad() //nolint:gosec, unlockedinc
	bad() //nolint:FUTLINT
	bad() //nolint:futlint // explained here
	bad() // nolint:futlint
	bad() //nolint because golangci-lint reads this as a bare nolint
}

func nolintForOthers() {
	bad() //nolint:gosec // want "call to bad"
	bad() //nolint:uncheckedcancel // want "call to bad"
	bad() //nolint: // want "call to bad"
	bad() //nolintfutlint // want "call to bad"
	bad() // not a nolint:futlint // want "call to bad"
}

func pair(a, b int) int { return a + b }

// A //nolint on a line of its own covers the whole statement below it, as
// in golangci-lint, and nothing after it.
func nolintAboveMultiLineStatement() {
	//nolint:futlint
	x := pair(
		1,
		bad(),
	)
	_ = x + bad() // want "call to bad"
}

//nolint:unlockedinc
func nolintAboveDeclaration() {
	bad()
	bad()
}

// Unused //nolint comments are golangci-lint's nolintlint's business: they
// may be meant for other linters.
func nolintUnused() {
	_ = 1 //nolint:futlint
}
