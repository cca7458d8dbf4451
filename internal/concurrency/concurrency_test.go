package concurrency_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/futlint/futlint/internal/concurrency"
	"github.com/futlint/futlint/internal/testenv"
)

// facts is the one analysis of lib: TestFacts checks its facts and
// TestFactsOnlyFacts compares them with a facts-only analysis's.
var facts = &testenv.Shared{
	Analyzer: concurrency.Analyzer,
	Tests:    map[string][]string{"TestFacts": {"lib"}},
}

func TestFacts(t *testing.T) { facts.Check(t) }

func TestModel(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), probe, "a")
}

func TestSpawnerFlag(t *testing.T) {
	f := concurrency.Analyzer.Flags.Lookup("spawners")
	f.Value.Set("flagged.Run")
	defer f.Value.Set("")
	analysistest.Run(t, analysistest.TestData(), probe, "flagged")
}
