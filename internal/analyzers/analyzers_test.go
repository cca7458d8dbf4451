package analyzers_test

import (
	"slices"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/futlint/futlint/internal/analyzers"
	"github.com/futlint/futlint/internal/directive"
	"github.com/futlint/futlint/internal/report"
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

// In a facts-only unit no analyzer requires the reporting analyzers, and
// every analyzer with facts is still there, by name, with its facts.
func TestFactsOnly(t *testing.T) {
	reporting := make(map[*analysis.Analyzer]bool)
	for _, a := range report.Requires {
		reporting[a] = true
	}
	facts := make(map[string]int)
	for _, a := range analyzers.All() {
		facts[a.Name] = len(a.FactTypes)
	}
	seen := make(map[*analysis.Analyzer]bool)
	var visit func(a *analysis.Analyzer)
	visit = func(a *analysis.Analyzer) {
		if seen[a] {
			return
		}
		seen[a] = true
		if reporting[a] {
			t.Errorf("facts-only set runs %s", a.Name)
		}
		for _, r := range a.Requires {
			visit(r)
		}
	}
	set := analyzers.FactsOnly(analyzers.All())
	for _, a := range set {
		visit(a)
		delete(facts, a.Name)
	}
	for name, n := range facts {
		if n > 0 {
			t.Errorf("facts-only set lacks %s, which has facts", name)
		}
	}
	if err := analysis.Validate(set); err != nil {
		t.Fatal(err)
	}
}
