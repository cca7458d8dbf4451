package leakedgoroutine_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/futlint/futlint/internal/testenv"
	"github.com/futlint/futlint/passes/leakedgoroutine"
)

// strict is one analysis, with the default flags, of the fixture
// packages of Test and TestFix; TestFix's fixes are checked against their
// .golden files.
var strict = &testenv.Shared{
	Analyzer: leakedgoroutine.Analyzer,
	Tests: map[string][]string{
		"Test":    {"a", "gen", "genuser", "generic", "mainpkg", "initvar", "finish"},
		"TestFix": {"fix"},
	},
	Fixes: []string{"fix"},
}

func Test(t *testing.T)    { strict.Check(t) }
func TestFix(t *testing.T) { strict.Check(t) }

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
