package leakedgoroutine_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/futlint/futlint/passes/leakedgoroutine"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), leakedgoroutine.Analyzer, "a")
}
