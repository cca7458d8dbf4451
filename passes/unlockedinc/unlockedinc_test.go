package unlockedinc_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/futlint/futlint/passes/unlockedinc"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), unlockedinc.Analyzer, "captured", "handlers", "locking", "atomics", "callbacks", "metrics", "web", "generic")
}

func TestFix(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), unlockedinc.Analyzer, "fix")
}
