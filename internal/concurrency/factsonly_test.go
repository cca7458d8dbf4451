package concurrency_test

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/futlint/futlint/internal/analyzers"
	"github.com/futlint/futlint/internal/concurrency"
	"github.com/futlint/futlint/internal/testenv"
	"github.com/futlint/futlint/passes/leakedgoroutine"
	"github.com/futlint/futlint/passes/unlockedinc"
)

// discard is an analysistest.Testing that drops the fixtures' unmet
// expectations: a facts-only run reports nothing.
type discard struct{}

func (discard) Errorf(string, ...any) {}

// A facts-only unit (go vet's VetxOnly dependencies: concurrency.FactsOnly
// and the analyzers of analyzers.FactsOnly) skips the rules and the
// reporting analyzers but must export the very facts a full unit does,
// or importers would see other packages differently under go vet.
func TestFactsOnlyFacts(t *testing.T) {
	for _, tc := range []struct {
		a      *analysis.Analyzer
		dir    string
		pkg    string
		shared *testenv.Shared // the full analysis, when a test shares it
	}{
		{concurrency.Analyzer, analysistest.TestData(), "lib", facts},
		{unlockedinc.Analyzer, passTestData("unlockedinc"), "metrics", nil},
		{leakedgoroutine.Analyzer, passTestData("leakedgoroutine"), "gen", nil},
	} {
		for _, f := range tc.a.FactTypes {
			gob.Register(f)
		}
		var full []string
		if tc.shared != nil {
			full = factTexts(t, tc.shared.Results())
		} else {
			full = factTexts(t, analysistest.Run(discard{}, tc.dir, tc.a, tc.pkg))
		}
		concurrency.FactsOnly = true
		only := factTexts(t, analysistest.Run(discard{}, tc.dir, analyzers.FactsOnly([]*analysis.Analyzer{tc.a})[0], tc.pkg))
		concurrency.FactsOnly = false
		if len(full) == 0 {
			t.Errorf("%s on %s: no facts", tc.a.Name, tc.pkg)
		}
		if !slices.Equal(full, only) {
			t.Errorf("%s on %s: facts-only facts differ:\nfull: %q\nonly: %q", tc.a.Name, tc.pkg, full, only)
		}
	}
}

// passTestData returns the absolute path of a pass's testdata directory
// (analysistest takes it as a GOPATH).
func passTestData(pass string) string {
	dir, err := filepath.Abs(filepath.Join("..", "..", "passes", pass, "testdata"))
	if err != nil {
		panic(err)
	}
	return dir
}

// factTexts renders each fact as object, text and gob encoding, sorted.
func factTexts(t *testing.T, results []*analysistest.Result) []string {
	var out []string
	for _, r := range results {
		for obj, facts := range r.Facts {
			for _, f := range facts {
				var buf bytes.Buffer
				if err := gob.NewEncoder(&buf).Encode(&f); err != nil {
					t.Fatalf("encoding %v: %v", f, err)
				}
				out = append(out, fmt.Sprintf("%v: %T %v %x", obj, f, f, buf.Bytes()))
			}
		}
	}
	slices.Sort(out)
	return out
}
