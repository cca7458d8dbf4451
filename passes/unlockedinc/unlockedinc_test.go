package unlockedinc_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/futlint/futlint/passes/unlockedinc"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), unlockedinc.Analyzer, "captured", "locking", "atomics", "callbacks", "generic",
		"atomicpath", "callerlocks", "synccb", "perfield", "testevidence", "recall")
}

// TestHandlers is the only test that loads net/http (from source, as facts
// need every dependency analysed): a run of its own keeps the others small.
func TestHandlers(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), unlockedinc.Analyzer, "handlers", "metrics", "web")
}

func TestFix(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), unlockedinc.Analyzer, "fix")
}
