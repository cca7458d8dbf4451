package uncheckedcancel_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/futlint/futlint/passes/uncheckedcancel"
)

// The analyzer has facts, so each run analyses every dependency of its
// packages from source: net/http is a stub (testdata/src/vendor/net/http).

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), uncheckedcancel.Analyzer, "a", "g118", "callee", "caller", "pool", "spawn", "initvar", "watched")
}

func TestFix(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), uncheckedcancel.Analyzer, "fix", "web")
}
