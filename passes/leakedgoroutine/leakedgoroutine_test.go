package leakedgoroutine_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/futlint/futlint/internal/testenv"
	"github.com/futlint/futlint/passes/leakedgoroutine"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), leakedgoroutine.Analyzer, "a", "gen", "genuser", "generic", "mainpkg", "initvar", "finish")
}

func TestFix(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), leakedgoroutine.Analyzer, "fix")
}

// notStrict is one analysis, with -leakedgoroutine.strict=false, of the
// fixture packages of TestNotStrict and TestHarm (one load of their
// standard-library imports, not two). Add a package to a test's list.
var notStrict = &testenv.Shared{
	Analyzer: leakedgoroutine.Analyzer,
	Flags:    map[string]string{"strict": "false"},
	Tests: map[string][]string{
		"TestNotStrict": {"lax", "fields", "protocol", "contract", "lockedsend", "cond", "donepath", "timerdrain", "lockpoll", "lockpollmain", "lockwaitlocal", "lockwaitcell", "closedafter"},
		"TestHarm":      {"harm"},
	},
}

func TestNotStrict(t *testing.T) { notStrict.Check(t) }

func TestSpawners(t *testing.T) {
	setFlag(t, "spawners", "spawner.Submit")
	analysistest.Run(t, analysistest.TestData(), leakedgoroutine.Analyzer, "spawner")
}

// setFlag sets one of the analyzer's flags for the duration of the test.
func setFlag(t *testing.T, name, value string) {
	f := leakedgoroutine.Analyzer.Flags.Lookup(name)
	old := f.Value.String()
	if err := f.Value.Set(value); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Value.Set(old) })
}

// TestHarm: the harmful classes of unjoined goroutines (harm.go) are
// reported with -leakedgoroutine.strict=false, apart from the policy.
func TestHarm(t *testing.T) { notStrict.Check(t) }
