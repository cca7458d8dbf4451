package unlockedinc_test

import (
	"go/types"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/futlint/futlint/passes/unlockedinc"
)

// Test runs every fixture but fix in one analysis: each run analyses the
// fixtures' standard-library dependencies from source (facts need them).
// net/http and net/http/httptest are stubs (testdata/src/vendor/net/http).
func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), unlockedinc.Analyzer, "captured", "locking", "atomics", "callbacks", "generic",
		"atomicpath", "callerlocks", "blocks", "synccb", "perfield", "testevidence", "recall", "initvar", "handedout", "handoff", "vendored",
		"handlers", "metrics", "web")
}

func TestFix(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), unlockedinc.Analyzer, "fix")
}

// TestRuntime: the runtime, which synchronizes by its own means, is not
// analysed (the pass returns before it asks for the model).
func TestRuntime(t *testing.T) {
	pass := &analysis.Pass{Pkg: types.NewPackage("runtime", "runtime"), ResultOf: map[*analysis.Analyzer]any{}}
	if _, err := unlockedinc.Analyzer.Run(pass); err != nil {
		t.Fatal(err)
	}
}
