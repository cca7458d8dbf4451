package testenv

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
)

var (
	none    = func(*analysis.Pass) (any, error) { return nil, nil }
	inner   = &analysis.Analyzer{Name: "inner", Doc: "does nothing", Run: none}
	nothing = &analysis.Analyzer{Name: "nothing", Doc: "reports nothing", Run: none, Requires: []*analysis.Analyzer{inner}}
)

// A fixture that does not type-check, in a run that checks fixes, is an
// error that names it, not a panic of the test binary.
func TestSharedBrokenFixture(t *testing.T) {
	s := &Shared{Analyzer: nothing, Tests: map[string][]string{"TestBroken": {"broken"}}, Fixes: []string{"broken"}}
	s.Results()
	all := strings.Join(s.errs, "\n")
	if !strings.Contains(all, "broken") || !strings.Contains(all, "testenv.Shared: analysistest panicked") {
		t.Errorf("errors of a run over a broken fixture:\n%s\nwant one naming broken and one saying analysistest panicked", all)
	}
}
