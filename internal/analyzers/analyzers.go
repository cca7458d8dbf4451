// Package analyzers is the one list of futlint's analyzers, shared by the
// command, the golangci-lint plugin and the tests.
package analyzers

import (
	"flag"

	"golang.org/x/tools/go/analysis"

	"github.com/futlint/futlint/internal/directive"
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
