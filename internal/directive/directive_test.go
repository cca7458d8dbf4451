package directive_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/futlint/futlint/internal/directive"
)

func TestMalformedDirectives(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), directive.Analyzer, "d")
}
