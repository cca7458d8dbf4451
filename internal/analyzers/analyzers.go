// Package analyzers is the one list of futlint's analyzers, shared by the
// command, the golangci-lint plugin and the tests.
package analyzers

import (
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
