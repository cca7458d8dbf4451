package unlockedinc_test

import (
	"go/types"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/futlint/futlint/internal/testenv"
	"github.com/futlint/futlint/passes/unlockedinc"
)

// fixtures is one analysis of every fixture: each run analyses the
// fixtures' standard-library dependencies from source (facts need them).
// net/http and net/http/httptest are stubs (testdata/src/vendor/net/http).
// TestFix's fixes are checked against their .golden files.
var fixtures = &testenv.Shared{
	Analyzer: unlockedinc.Analyzer,
	Tests: map[string][]string{
		"Test": {"captured", "locking", "atomics", "callbacks", "generic",
			"atomicpath", "callerlocks", "blocks", "synccb", "perfield", "testevidence", "recall", "initvar", "handedout", "handoff", "vendored",
			"handlers", "metrics", "web"},
		"TestFix": {"fix"},
	},
	Fixes: []string{"fix"},
}

func Test(t *testing.T)    { fixtures.Check(t) }
func TestFix(t *testing.T) { fixtures.Check(t) }

// TestRuntime: the runtime, which synchronizes by its own means, is not
// analysed (the pass returns before it asks for the model).
func TestRuntime(t *testing.T) {
	pass := &analysis.Pass{Pkg: types.NewPackage("runtime", "runtime"), ResultOf: map[*analysis.Analyzer]any{}}
	if _, err := unlockedinc.Analyzer.Run(pass); err != nil {
		t.Fatal(err)
	}
}
