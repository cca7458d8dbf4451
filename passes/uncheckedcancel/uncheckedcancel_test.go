package uncheckedcancel_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/futlint/futlint/passes/uncheckedcancel"
)

// The tests run one after the other: the analyzer has facts, so each run
// analyses every dependency of its packages from source. Only package web
// (and its golden file) imports net/http, the largest of them; the others
// import lighter packages, so that the two runs do not both hold net/http.

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), uncheckedcancel.Analyzer, "a", "g118", "callee", "caller", "pool", "spawn", "initvar", "watched")
}

func TestFix(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), uncheckedcancel.Analyzer, "fix", "web")
}
