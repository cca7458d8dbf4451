package uncheckedcancel_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/futlint/futlint/passes/uncheckedcancel"
)

func Test(t *testing.T) {
	t.Parallel() // both tests analyse net/http and its dependencies: minutes under -race
	analysistest.Run(t, analysistest.TestData(), uncheckedcancel.Analyzer, "a", "g118", "callee", "caller")
}

func TestFix(t *testing.T) {
	t.Parallel()
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), uncheckedcancel.Analyzer, "fix")
}
