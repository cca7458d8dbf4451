package testenv

import (
	"fmt"
	"regexp"
	"slices"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/packages"
)

// A Shared is one analysistest.Run over the fixture packages of several
// tests that run an analyzer with the same flags. Facts make every Run
// analyse the fixtures' standard-library imports from source (testing
// alone is 123 packages), so each Run saved is seconds of CPU; the tests
// keep their names and each fails on its own packages' expectations.
//
// To add a fixture package, name it under its test in Tests; a new test
// is a new entry and a func TestX(t *testing.T) { shared.Check(t) }.
type Shared struct {
	Analyzer *analysis.Analyzer
	Flags    map[string]string   // the analyzer's flags for the run
	Tests    map[string][]string // test name -> its fixture packages
	// Fixes lists the fixture packages (of Tests) whose suggested fixes
	// must turn each file into its .golden file, as
	// analysistest.RunWithSuggestedFixes checks; other packages need no
	// .golden file.
	Fixes []string

	once    sync.Once
	errs    []string // the run's errors, in order
	logs    []string // its packages' load and type errors
	results []*analysistest.Result
}

// Results returns the shared run's results (its facts, say), running it
// the first time a test asks; Check reports its errors.
func (s *Shared) Results() []*analysistest.Result {
	s.once.Do(s.run)
	return s.results
}

// Check runs the shared analysis, the first time a test asks, and fails t
// with the errors about t's packages, and those naming no package of the
// run's (a load error, say) or several of them.
func (s *Shared) Check(t *testing.T) {
	t.Helper()
	mine, ok := s.Tests[t.Name()]
	if !ok {
		t.Fatalf("testenv.Shared: no fixture packages for %s in Tests", t.Name())
	}
	s.once.Do(s.run)
	concerns := func(msg string) bool {
		owners := s.owners(msg)
		return len(owners) != 1 || slices.Contains(mine, owners[0])
	}
	for _, l := range s.logs {
		if concerns(l) {
			t.Log(l)
		}
	}
	for _, e := range s.errs {
		if concerns(e) {
			t.Error(e)
		}
	}
}

func (s *Shared) run() {
	var all []string
	for _, pkgs := range s.Tests {
		all = append(all, pkgs...)
	}
	slices.Sort(all)
	for name, value := range s.Flags {
		f := s.Analyzer.Flags.Lookup(name)
		if f == nil {
			s.errs = append(s.errs, fmt.Sprintf("testenv.Shared: %s has no flag %s", s.Analyzer.Name, name))
			return
		}
		old := f.Value.String()
		if err := f.Value.Set(value); err != nil {
			s.errs = append(s.errs, fmt.Sprintf("testenv.Shared: -%s.%s=%s: %v", s.Analyzer.Name, name, value, err))
			return
		}
		defer f.Value.Set(old)
	}
	// RunWithSuggestedFixes dereferences the pass of an action that
	// failed (a fixture that does not type-check): keep the error it
	// recorded first, which names the fixture, instead of a bare panic.
	defer func() {
		if r := recover(); r != nil {
			s.errs = append(s.errs, fmt.Sprintf("testenv.Shared: analysistest panicked: a fixture package does not load or type-check (its test reports which): %v", r))
		}
	}()
	// analysistest logs load and type errors only to a testing.TB.
	run := analysistest.Run
	if len(s.Fixes) > 0 {
		run = analysistest.RunWithSuggestedFixes
	}
	s.results = run((*recorder)(s), analysistest.TestData(), s.Analyzer, all...)
	for _, r := range s.results {
		packages.Visit([]*packages.Package{r.Action.Package}, nil, func(p *packages.Package) {
			for _, err := range p.Errors {
				s.logs = append(s.logs, err.Error())
			}
		})
	}
}

// owners returns the run's fixture packages an error message names: by a
// file, "<pkg>/f.go:3: ..." (analysistest's positions are relative to
// testdata/src) or "[.../]testdata/src/<pkg>/f.go", or as an action,
// "analyzer@<pkg>".
func (s *Shared) owners(msg string) []string {
	var out []string
	for _, pkgs := range s.Tests {
		for _, p := range pkgs {
			if regexp.MustCompile(`(^|testdata/src/|@)` + regexp.QuoteMeta(p) + `([/ :]|$)`).MatchString(msg) {
				out = append(out, p)
			}
		}
	}
	return out
}

// A recorder is the analysistest.Testing the shared run reports to.
type recorder Shared

func (r *recorder) Errorf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if noGolden.MatchString(msg) && !slices.ContainsFunc((*Shared)(r).owners(msg), func(p string) bool { return slices.Contains(r.Fixes, p) }) {
		return // fixes of a package not in Fixes are not checked
	}
	r.errs = append(r.errs, msg)
}

// noGolden matches RunWithSuggestedFixes' error for a file with fixes but
// no .golden file.
var noGolden = regexp.MustCompile(`^error reading \S+\.golden: open \S+\.golden: no such file or directory$`)
