package leakedgoroutine_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/futlint/futlint/passes/leakedgoroutine"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), leakedgoroutine.Analyzer, "a", "gen", "genuser", "generic", "mainpkg", "initvar", "finish")
}

func TestFix(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), leakedgoroutine.Analyzer, "fix")
}

func TestNotStrict(t *testing.T) {
	setFlag(t, "strict", "false")
	analysistest.Run(t, analysistest.TestData(), leakedgoroutine.Analyzer, "lax", "fields", "protocol", "contract", "lockedsend", "cond", "donepath", "timerdrain", "lockpoll", "lockpollmain", "lockwaitlocal")
}

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
func TestHarm(t *testing.T) {
	setFlag(t, "strict", "false")
	analysistest.Run(t, analysistest.TestData(), leakedgoroutine.Analyzer, "harm")
}
