// Package golangci is checked with -futlintdirective.nolint=false, as
// inside golangci-lint: the //nolint forms golangci-lint applies itself are
// left to it, //nolint:NAME (a name only futlint knows) is still honoured.
package golangci

func bad() int { return 0 }

func nolintLeftToGolangci() {
	bad() //nolint // want "call to bad"
	bad() //nolint:all // want "call to bad"
	bad() //nolint:futlint // want "call to bad"
	bad() //nolint:gosec,futlint // want "call to bad"
	bad() //nolint:futlint,unlockedinc // want "call to bad"
}

func nolintNamingTheAnalyzer() {
	bad() //nolint:unlockedinc
	bad() //nolint:gosec,unlockedinc
}

func futlintDirectivesUnchanged() {
	bad() //futlint:ignore unlockedinc only the test calls it
}
