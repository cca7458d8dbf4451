package uncheckedcancel_test

import (
	"testing"

	"github.com/futlint/futlint/internal/testenv"
	"github.com/futlint/futlint/passes/uncheckedcancel"
)

// fixtures is one analysis of every fixture: the analyzer has facts, so
// each run analyses every dependency of its packages from source (net/http
// is a stub: testdata/src/vendor/net/http). TestFix's fixes are checked
// against their .golden files.
var fixtures = &testenv.Shared{
	Analyzer: uncheckedcancel.Analyzer,
	Tests: map[string][]string{
		"Test":    {"a", "g118", "callee", "caller", "pool", "spawn", "initvar", "watched"},
		"TestFix": {"fix", "web"},
	},
	Fixes: []string{"fix", "web"},
}

func Test(t *testing.T)    { fixtures.Check(t) }
func TestFix(t *testing.T) { fixtures.Check(t) }
