package concurrency_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/futlint/futlint/internal/concurrency"
)

func TestFacts(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), concurrency.Analyzer, "lib")
}

func TestModel(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), probe, "a")
}

func TestSpawnerFlag(t *testing.T) {
	f := concurrency.Analyzer.Flags.Lookup("spawners")
	f.Value.Set("flagged.Run")
	defer f.Value.Set("")
	analysistest.Run(t, analysistest.TestData(), probe, "flagged")
}
