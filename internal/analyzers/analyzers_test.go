package analyzers_test

import (
	"slices"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/futlint/futlint/internal/analyzers"
	"github.com/futlint/futlint/internal/directive"
)

// Directives may only name analyzers the binary runs, and every analyzer
// the binary runs must be nameable in a directive.
func TestKnownNamesMatchRegistry(t *testing.T) {
	var names []string
	for _, a := range analyzers.All() {
		if a == directive.Analyzer {
			continue
		}
		names = append(names, a.Name)
	}
	if !slices.Equal(names, directive.Known) {
		t.Errorf("registered analyzers %v, directive.Known %v: keep them equal and sorted", names, directive.Known)
	}
}

func TestValid(t *testing.T) {
	if err := analysis.Validate(analyzers.All()); err != nil {
		t.Fatal(err)
	}
}

// The shared model is the one required analyzer with flags; no required
// analyzer's flag may share a -NAME.FLAG with a root's.
func TestRequired(t *testing.T) {
	var names []string
	for _, a := range analyzers.Required(analyzers.All()) {
		names = append(names, a.Name)
		for _, r := range analyzers.All() {
			if r.Name == a.Name {
				t.Errorf("required analyzer %s has a root's name", a.Name)
			}
		}
	}
	if !slices.Equal(names, []string{"concurrency"}) {
		t.Errorf("Required = %v, want [concurrency]", names)
	}
}
