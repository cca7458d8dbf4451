package golangci

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/futlint/futlint/internal/analyzers"
	"github.com/futlint/futlint/internal/concurrency"
	"github.com/futlint/futlint/internal/directive"
)

// fakeAnalyzers returns two analyzers with flags of the kinds real ones
// have: a bool, a list (comma-separated) and an int.
func fakeAnalyzers() []*analysis.Analyzer {
	leaked := &analysis.Analyzer{Name: "leakedgoroutine"}
	leaked.Flags.Bool("strict", true, "")
	leaked.Flags.String("spawners", "", "")
	leaked.Flags.Int("depth", 1, "")
	cancel := &analysis.Analyzer{Name: "uncheckedcancel"}
	return []*analysis.Analyzer{leaked, cancel}
}

func names(as []*analysis.Analyzer) []string {
	var ns []string
	for _, a := range as {
		ns = append(ns, a.Name)
	}
	return ns
}

func flagValues(a *analysis.Analyzer) map[string]string {
	m := make(map[string]string)
	a.Flags.VisitAll(func(f *flag.Flag) { m[f.Name] = f.Value.String() })
	return m
}

func TestNoSettingsRunsEverything(t *testing.T) {
	for _, conf := range []any{nil, map[string]any{}} {
		all := fakeAnalyzers()
		p, err := newPlugin(conf, all)
		if err != nil {
			t.Fatalf("%v: %v", conf, err)
		}
		if got := names(p.analyzers); !slices.Equal(got, names(all)) {
			t.Errorf("%v: analyzers %v, want all", conf, got)
		}
		if got := flagValues(all[0]); got["strict"] != "true" || got["spawners"] != "" || got["depth"] != "1" {
			t.Errorf("%v: flags changed: %v", conf, got)
		}
	}
}

func TestDisableAndOptions(t *testing.T) {
	all := fakeAnalyzers()
	conf := map[string]any{
		"disable": []any{"uncheckedcancel"},
		"leakedgoroutine": map[string]any{
			"strict":   false,
			"spawners": []any{"example.com/pool.(*Pool).Go", "example.com/run.Async"},
			"depth":    3,
		},
	}
	p, err := newPlugin(conf, all)
	if err != nil {
		t.Fatal(err)
	}
	if got := names(p.analyzers); !slices.Equal(got, []string{"leakedgoroutine"}) {
		t.Errorf("analyzers %v, want [leakedgoroutine]", got)
	}
	want := map[string]string{"strict": "false", "spawners": "example.com/pool.(*Pool).Go,example.com/run.Async", "depth": "3"}
	if got := flagValues(all[0]); !equalMaps(got, want) {
		t.Errorf("flags %v, want %v", got, want)
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestBadSettingsNameTheKey(t *testing.T) {
	for _, tc := range []struct {
		conf any
		want string
	}{
		{map[string]any{"disabled": []any{"uncheckedcancel"}}, `unknown key "disabled"`},
		{map[string]any{"disable": []any{"unlockedinc"}}, `disable: unknown analyzer "unlockedinc"`},
		{map[string]any{"disable": "uncheckedcancel"}, "disable must be a list"},
		{map[string]any{"leakedgoroutine": map[string]any{"strikt": true}}, `leakedgoroutine: unknown option "strikt"; leakedgoroutine has options: depth, spawners, strict`},
		{map[string]any{"uncheckedcancel": map[string]any{"strict": true}}, `uncheckedcancel: unknown option "strict"; uncheckedcancel has no options`},
		{map[string]any{"leakedgoroutine": map[string]any{"strict": "maybe"}}, `leakedgoroutine.strict: invalid value "maybe"`},
		{map[string]any{"leakedgoroutine": map[string]any{"depth": 1.5}}, `leakedgoroutine.depth: invalid value "1.5"`},
		{map[string]any{"leakedgoroutine": map[string]any{"spawners": map[string]any{"a": "b"}}}, "leakedgoroutine.spawners: want a boolean, number, string or list, not a mapping"},
		{map[string]any{"leakedgoroutine": map[string]any{"spawners": []any{[]any{"a"}}}}, "leakedgoroutine.spawners: a list must hold plain values, not a list"},
		{map[string]any{"leakedgoroutine": true}, "leakedgoroutine must be a mapping"},
		{[]any{"leakedgoroutine"}, "settings must be a mapping"},
	} {
		all := fakeAnalyzers()
		_, err := newPlugin(tc.conf, all)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want one containing %q", tc.conf, err, tc.want)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "futlint settings: ") {
			t.Errorf("%v: error %q does not say it is about futlint's settings", tc.conf, err)
		}
	}
}

// A configuration with one bad value must not half-apply the good ones.
func TestBadSettingsChangeNothing(t *testing.T) {
	all := fakeAnalyzers()
	conf := map[string]any{"leakedgoroutine": map[string]any{"depth": 7, "strikt": false}}
	if _, err := newPlugin(conf, all); err == nil {
		t.Fatal("no error for unknown option")
	}
	if got := flagValues(all[0])["depth"]; got != "1" {
		t.Errorf("depth = %s after a rejected configuration, want 1", got)
	}
}

func TestRegistered(t *testing.T) {
	newPlugin, err := register.GetPlugin("futlint")
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.BuildAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(names(got), names(analyzers.All())) {
		t.Errorf("BuildAnalyzers = %v, want analyzers.All() = %v", names(got), names(analyzers.All()))
	}
	if got := directive.Analyzer.Flags.Lookup("nolint").Value.String(); got != "false" {
		t.Errorf("futlintdirective.nolint = %s inside golangci-lint, want false: golangci-lint applies //nolint:futlint itself", got)
	}
	if p.GetLoadMode() != register.LoadModeTypesInfo {
		t.Errorf("GetLoadMode = %q, want %q", p.GetLoadMode(), register.LoadModeTypesInfo)
	}
	if _, err := newPlugin(map[string]any{"disable": []any{"nosuch"}}); err == nil {
		t.Error("the registered plugin accepts an unknown analyzer")
	}
}

// The shared model's options are settings too (concurrency.spawners),
// and reach the analysis; the model itself cannot be disabled.
func TestModelSettings(t *testing.T) {
	f := concurrency.Analyzer.Flags.Lookup("spawners")
	t.Cleanup(func() { f.Value.Set("") })
	p, err := newPlugin(map[string]any{
		"disable":     []any{"uncheckedcancel", "unlockedinc", "futlintdirective"},
		"concurrency": map[string]any{"spawners": []any{"spawnerflag.Submit"}},
	}, analyzers.All())
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Value.String(); got != "spawnerflag.Submit" {
		t.Fatalf("concurrency.spawners = %q, want spawnerflag.Submit", got)
	}
	// The fixture is written here, not kept under testdata/src: that
	// would make scripts/test run this package as a fixture package,
	// without -race.
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "src", "spawnerflag"), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "src", "spawnerflag", "spawnerflag.go"), []byte(spawnerFixture), 0o666); err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, dir, p.analyzers[0], "spawnerflag")

	for want, conf := range map[string]map[string]any{
		"futlint settings: disable: concurrency is the model the analyzers share":                    {"disable": []any{"concurrency"}},
		`futlint settings: concurrency: unknown option "spawner"; concurrency has options: spawners`: {"concurrency": map[string]any{"spawner": "x.F"}},
	} {
		if _, err := newPlugin(conf, analyzers.All()); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v: error %v, want one containing %q", conf, err, want)
		}
	}
}

// spawnerFixture: the settings' concurrency.spawners reach the shared
// model, so leakedgoroutine does not ask Submit, a declared spawner, to
// join what it starts.
const spawnerFixture = `package spawnerflag

// Submit is named in the settings' concurrency.spawners.
func Submit(f func()) {
	go f()
}

func other(f func()) {
	go f() // want "goroutine is not joined"
}
`
