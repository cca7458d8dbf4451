// Package analyzers is the one list of futlint's analyzers, shared by the
// command, the golangci-lint plugin and the tests.
package analyzers

import (
	"flag"
	"slices"

	"golang.org/x/tools/go/analysis"

	"github.com/futlint/futlint/internal/directive"
	"github.com/futlint/futlint/internal/report"
	"github.com/futlint/futlint/passes/leakedgoroutine"
	"github.com/futlint/futlint/passes/uncheckedcancel"
	"github.com/futlint/futlint/passes/unlockedinc"
)

// All returns futlint's analyzers in name order. The directive checker is
// last: it reports malformed suppression comments.
func All() []*analysis.Analyzer {
	return []*analysis.Analyzer{
		leakedgoroutine.Analyzer,
		uncheckedcancel.Analyzer,
		unlockedinc.Analyzer,
		directive.Analyzer,
	}
}

// Required returns the analyzers that roots require, directly or not, that
// are not roots themselves and have flags, in the order of a depth-first
// walk of roots' Requires: the shared model's -concurrency.spawners. The
// drivers register their flags next to the roots' (as -NAME.FLAG), since
// the go/analysis drivers register only the roots'. Their flags are
// options only: a required analyzer always runs when one that needs it
// does, so it has no -NAME switch.
func Required(roots []*analysis.Analyzer) []*analysis.Analyzer {
	isRoot := make(map[*analysis.Analyzer]bool)
	for _, a := range roots {
		isRoot[a] = true
	}
	seen := make(map[*analysis.Analyzer]bool)
	var out []*analysis.Analyzer
	var visit func(a *analysis.Analyzer)
	visit = func(a *analysis.Analyzer) {
		if seen[a] {
			return
		}
		seen[a] = true
		for _, r := range a.Requires {
			visit(r)
		}
		if !isRoot[a] && hasFlags(a) {
			out = append(out, a)
		}
	}
	for _, a := range roots {
		visit(a)
	}
	return out
}

func hasFlags(a *analysis.Analyzer) bool {
	has := false
	a.Flags.VisitAll(func(*flag.Flag) { has = true })
	return has
}

// FactsOnly returns set for a unit that only exports facts (go vet's
// VetxOnly dependencies, where concurrency.FactsOnly is set): each
// analyzer that requires the Reporter's analyzers (report.Requires:
// directives and generated files, which only serve diagnostics) is
// replaced by a copy without them, so that go vet does not run them in
// every dependency. The passes make their Reporter only after their
// facts, when concurrency.FactsOnly is false. The copies keep the
// analyzers' names, flags and fact types.
func FactsOnly(set []*analysis.Analyzer) []*analysis.Analyzer {
	reporting := make(map[*analysis.Analyzer]bool)
	for _, a := range report.Requires {
		reporting[a] = true
	}
	out := make([]*analysis.Analyzer, 0, len(set))
	for _, a := range set {
		if reporting[a] {
			continue // directive: reports malformed directives only
		}
		if slices.ContainsFunc(a.Requires, func(r *analysis.Analyzer) bool { return reporting[r] }) {
			cp := *a
			cp.Requires = slices.DeleteFunc(slices.Clone(a.Requires), func(r *analysis.Analyzer) bool { return reporting[r] })
			a = &cp
		}
		out = append(out, a)
	}
	return out
}
