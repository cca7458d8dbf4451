package report_test

import (
	"go/ast"
	"slices"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/futlint/futlint/internal/directive"
	"github.com/futlint/futlint/internal/report"
)

// badcall reports every call to a function named bad through a Reporter.
// Directives may only name analyzers in directive.Known, so it borrows a
// real analyzer's name.
var badcall = &analysis.Analyzer{
	Name:     "unlockedinc",
	Doc:      "test analyzer: reports every call to bad()",
	Requires: slices.Concat([]*analysis.Analyzer{inspect.Analyzer}, report.Requires),
	Run: func(pass *analysis.Pass) (any, error) {
		r := report.New(pass)
		ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
		for n := range ins.PreorderSeq((*ast.CallExpr)(nil)) {
			if id, ok := n.(*ast.CallExpr).Fun.(*ast.Ident); ok && id.Name == "bad" {
				r.Reportf(n.Pos(), "call to bad")
			}
		}
		r.Finish()
		return nil, nil
	},
}

func TestSuppression(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), badcall, "a")
}

func TestSuppressionInsideGolangci(t *testing.T) {
	setFlag(t, directive.Analyzer, "nolint", "false")
	analysistest.Run(t, analysistest.TestData(), badcall, "golangci")
}

// setFlag sets an analyzer flag for the duration of the test.
func setFlag(t *testing.T, a *analysis.Analyzer, name, value string) {
	old := a.Flags.Lookup(name).Value.String()
	if err := a.Flags.Set(name, value); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Flags.Set(name, old) })
}
