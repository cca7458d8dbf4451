package driver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParsePosn(t *testing.T) {
	for posn, want := range map[string]Position{
		"/a:b/c.go:12:7": {"/a:b/c.go", 12, 7},
		// After "//line grammar.y:100", positions have no column (issue
		// 14, item 5): not line 0, column 101.
		"/p/grammar.y:101":   {"/p/grammar.y", 101, 0},
		"/a:5/grammar.y:101": {"/a:5/grammar.y", 101, 0},
	} {
		if got := ParsePosn(posn); got != want {
			t.Errorf("ParsePosn(%q) = %+v, want %+v", posn, got, want)
		}
	}
	var out bytes.Buffer
	PrintText(&out, "/p", []Finding{{Analyzer: "a", Posn: "/p/grammar.y:101", Message: "m"}, {Analyzer: "a", Posn: "/p/x.go:3:4", Message: "m"}})
	if want := "grammar.y:101: a: m\nx.go:3:4: a: m\n"; out.String() != want {
		t.Errorf("PrintText:\n%s\nwant:\n%s", out.String(), want)
	}
}

// A package and its test variant report the same finding once; findings
// are sorted by file and line, and analyzer errors name the package.
func TestFindingsDedupAndSort(t *testing.T) {
	tree := map[string]map[string]json.RawMessage{
		"p [p.test]": {"x": json.RawMessage(`[{"posn":"/p/b.go:3:1","message":"m"},{"posn":"/p/a.go:9:1","message":"m"}]`)},
		"p_test [p.test]": {
			"x": json.RawMessage(`[{"posn":"/p/b.go:3:1","message":"m"}]`),
			"y": json.RawMessage(`{"error":"boom"}`),
		},
	}
	findings, errs := Findings(tree)
	var got []string
	for _, f := range findings {
		got = append(got, f.Posn)
	}
	if strings.Join(got, " ") != "/p/a.go:9:1 /p/b.go:3:1" {
		t.Errorf("findings %v, want a.go then b.go, once each", got)
	}
	if len(errs) != 1 || !strings.Contains(errs[0], "package p_test [p.test]: analyzer y: boom") {
		t.Errorf("errors %q", errs)
	}
}

func TestApplyFixes(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a.go")
	src := "package a\n\nvar x = 1\n\nfunc f() {\n\tx++\n}\n"
	if err := os.WriteFile(file, []byte(src), 0o666); err != nil {
		t.Fatal(err)
	}
	inc := strings.Index(src, "x++")
	fix := SuggestedFix{Message: "atomic", Edits: []TextEdit{{file, inc, inc + 3, "add(&x)"}}}
	findings := []Finding{
		{Analyzer: "u", Posn: file + ":6:2", SuggestedFixes: []SuggestedFix{fix}},
		{Analyzer: "u", Posn: file + ":6:2", SuggestedFixes: []SuggestedFix{fix}}, // from the test variant
	}

	var diff bytes.Buffer
	if err := ApplyFixes(&diff, dir, findings, true); err != nil {
		t.Fatal(err)
	}
	wantDiff := "--- a/a.go\n+++ b/a.go\n@@ -3,5 +3,5 @@\n var x = 1\n \n func f() {\n-\tx++\n+\tadd(&x)\n }\n"
	if diff.String() != wantDiff {
		t.Errorf("diff:\n%s\nwant:\n%s", diff.String(), wantDiff)
	}
	if data, _ := os.ReadFile(file); string(data) != src {
		t.Errorf("-diff changed the file")
	}

	if err := ApplyFixes(nil, dir, findings, false); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(file); string(data) != strings.Replace(src, "x++", "add(&x)", 1) {
		t.Errorf("fixed file:\n%s", data)
	}

	// An overlapping, different fix is skipped and reported.
	clash := SuggestedFix{Message: "other", Edits: []TextEdit{{file, inc, inc + 3, "y"}}}
	findings = append(findings, Finding{Analyzer: "v", Posn: file + ":6:2", SuggestedFixes: []SuggestedFix{clash}})
	os.WriteFile(file, []byte(src), 0o666)
	if err := ApplyFixes(nil, dir, findings, false); err == nil || !strings.Contains(err.Error(), "conflicts") {
		t.Errorf("conflicting fixes: err = %v", err)
	}
}

// Test variants that import each other's packages (p's tests import q,
// q's tests import p) must not deadlock the scheduler: one edge is dropped.
func TestPlanBreaksCycles(t *testing.T) {
	p := &listPackage{ImportPath: "p [p.test]", ForTest: "p", CompiledGoFiles: []string{"p.go"}, Imports: []string{"q"}}
	q := &listPackage{ImportPath: "q [q.test]", ForTest: "q", CompiledGoFiles: []string{"q.go"}, Imports: []string{"p"}}
	d := &driver{res: &Result{}}
	units := d.plan([]*listPackage{p, q})
	edges := 0
	for _, u := range units {
		edges += len(u.deps)
	}
	if len(units) != 2 || edges != 1 {
		t.Errorf("%d units, %d edges; want 2 units and 1 edge", len(units), edges)
	}
}

func TestSelectUnits(t *testing.T) {
	pkgs := []*listPackage{
		{ImportPath: "dep", DepOnly: true},
		{ImportPath: "p"},
		{ImportPath: "p [p.test]", ForTest: "p"},
		{ImportPath: "p_test [p.test]", ForTest: "p"},
		{ImportPath: "p.test"},
		{ImportPath: "q"},
		{ImportPath: "q [p.test]", ForTest: "p"},
	}
	var got []string
	for _, u := range selectUnits(pkgs) {
		got = append(got, u.ImportPath)
	}
	if strings.Join(got, ",") != "p [p.test],p_test [p.test],q" {
		t.Errorf("units %q", got)
	}
}

// Run analyses each package once, dependencies first, and gives a unit
// the facts of the analysed packages it imports.
func TestRunOrderAndFacts(t *testing.T) {
	mod := t.TempDir()
	files := map[string]string{
		"go.mod":      "module example.com/m\n\ngo 1.26\n",
		"a/a.go":      "package a\n\nfunc A() {}\n",
		"b/b.go":      "package b\n\nimport \"example.com/m/a\"\n\nfunc B() { a.A() }\n",
		"b/b_test.go": "package b\n\nimport \"testing\"\n\nfunc TestB(t *testing.T) { B() }\n",
	}
	for name, content := range files {
		path := filepath.Join(mod, name)
		os.MkdirAll(filepath.Dir(path), 0o777)
		if err := os.WriteFile(path, []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	// A stand-in for futlint's unit mode: keep the config, report nothing.
	cfgs := t.TempDir()
	exe := filepath.Join(t.TempDir(), "unit")
	script := "#!/bin/sh\nfor last; do :; done\ncp \"$last\" \"" + cfgs + "/$(ls " + cfgs + " | wc -l).cfg\"\necho '{}'\n"
	if err := os.WriteFile(exe, []byte(script), 0o777); err != nil {
		t.Fatal(err)
	}
	res, err := Run(t.Context(), &Options{Patterns: []string{"./..."}, Dir: mod, Tests: true, Exe: exe})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %q", res.Errors)
	}
	var order []unitConfig
	for i := 0; ; i++ {
		data, err := os.ReadFile(filepath.Join(cfgs, fmt.Sprintf("%d.cfg", i)))
		if err != nil {
			break
		}
		var cfg unitConfig
		if err := json.Unmarshal(data, &cfg); err != nil {
			t.Fatal(err)
		}
		order = append(order, cfg)
	}
	if len(order) != 2 || order[0].ID != "example.com/m/a" || order[1].ID != "example.com/m/b [example.com/m/b.test]" {
		var ids []string
		for _, c := range order {
			ids = append(ids, c.ID)
		}
		t.Fatalf("units ran in order %q; want a, then b's test variant", ids)
	}
	if got := order[1].PackageVetx["example.com/m/a"]; got != order[0].VetxOutput {
		t.Errorf("b reads a's facts from %q, want a's output %q", got, order[0].VetxOutput)
	}
	if order[1].ImportPath != "example.com/m/b" {
		t.Errorf("test variant type-checked as %q, want the package path", order[1].ImportPath)
	}
}

// The driver's units keep the collector's defaults unless the user chose.
func TestUnitEnvKeepsDefaultGC(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	if env := unitEnv(); !slices.Contains(env, "GOGC=100") {
		t.Errorf("unit environment lacks GOGC=100: the unit would tune its collector for go vet")
	}
	t.Setenv("GOGC", "200")
	if env := unitEnv(); slices.Contains(env, "GOGC=100") || !slices.Contains(env, "GOGC=200") {
		t.Errorf("unit environment overrides the user's GOGC=200")
	}
}

// writeModule writes files (slash-separated names relative to the module
// root) into a new temporary directory and returns it.
func writeModule(t *testing.T, files map[string]string) string {
	t.Helper()
	mod := t.TempDir()
	for name, content := range files {
		path := filepath.Join(mod, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(path), 0o777)
		if err := os.WriteFile(path, []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	return mod
}

// recordingUnit returns a stand-in for futlint's unit mode that copies
// each config it is given to a numbered file in the returned directory and
// reports nothing (run units one at a time: the numbering is not atomic),
// after running the shell commands pre (which see the
// config file as $last).
func recordingUnit(t *testing.T, pre string) (exe, cfgs string) {
	t.Helper()
	cfgs = t.TempDir()
	exe = filepath.Join(t.TempDir(), "unit")
	script := "#!/bin/sh\nfor last; do :; done\n" + pre + "\ncp \"$last\" \"" + cfgs + "/$(ls " + cfgs + " | wc -l).cfg\"\necho '{}'\n"
	if err := os.WriteFile(exe, []byte(script), 0o777); err != nil {
		t.Fatal(err)
	}
	return exe, cfgs
}

func recordedConfigs(t *testing.T, cfgs string) []unitConfig {
	t.Helper()
	var list []unitConfig
	for i := 0; ; i++ {
		data, err := os.ReadFile(filepath.Join(cfgs, fmt.Sprintf("%d.cfg", i)))
		if err != nil {
			return list
		}
		var cfg unitConfig
		if err := json.Unmarshal(data, &cfg); err != nil {
			t.Fatal(err)
		}
		list = append(list, cfg)
	}
}

// Packages x/y and x_y must not share a unit directory (issue 14, item 1):
// their configs and facts would overwrite each other.
func TestUnitDirsDoNotCollide(t *testing.T) {
	mod := writeModule(t, map[string]string{
		"go.mod":    "module example.com/m\n\ngo 1.26\n",
		"x/y/y.go":  "package y\n",
		"x_y/xy.go": "package x_y\n",
	})
	exe, cfgs := recordingUnit(t, "")
	res, err := Run(t.Context(), &Options{Patterns: []string{"./..."}, Dir: mod, Exe: exe, Jobs: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %q", res.Errors)
	}
	list := recordedConfigs(t, cfgs)
	if len(list) != 2 || filepath.Dir(list[0].VetxOutput) == filepath.Dir(list[1].VetxOutput) {
		t.Errorf("%d units; x/y and x_y share a unit directory: %+v", len(list), list)
	}
}

// A long import path with tests is analysed (issue 14, item 2): its test
// variant's name must not become a directory name past the 255-byte limit.
func TestLongImportPath(t *testing.T) {
	long := "example.com/" + strings.Repeat("verylongelement", 6) + "/" + strings.Repeat("notifications", 4)
	mod := writeModule(t, map[string]string{
		"go.mod":      "module " + long + "\n\ngo 1.26\n",
		"p.go":        "package p\n",
		"p_test.go":   "package p\n\nimport \"testing\"\n\nfunc TestP(t *testing.T) {}\n",
		"ext_test.go": "package p_test\n",
	})
	exe, cfgs := recordingUnit(t, "")
	res, err := Run(t.Context(), &Options{Patterns: []string{"./..."}, Dir: mod, Exe: exe, Tests: true, Jobs: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %q", res.Errors)
	}
	if n := len(recordedConfigs(t, cfgs)); n != 2 {
		t.Errorf("%d units ran, want 2 (the test variant and the external test package)", n)
	}
}

// A package's dependency errors are sorted (issue 14, item 13): go list
// reports them in an order that varies between runs.
func TestLoadErrorSorted(t *testing.T) {
	p := &listPackage{DepsErrors: []*listError{{Err: "z.go:1: b"}, {Err: "a.go:1: a"}, {Err: "z.go:1: b"}}}
	if got, want := p.loadError(), "a.go:1: a\n\tz.go:1: b"; got != want {
		t.Errorf("loadError = %q, want %q", got, want)
	}
}

// Once interrupted, the driver starts no more units (issue 14, item 9):
// it used to prepare and start every remaining one.
func TestInterruptStopsScheduling(t *testing.T) {
	files := map[string]string{"go.mod": "module example.com/m\n\ngo 1.26\n"}
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		files[name+"/"+name+".go"] = "package " + name + "\n"
	}
	mod := writeModule(t, files)
	exe := filepath.Join(t.TempDir(), "unit")
	if err := os.WriteFile(exe, []byte("#!/bin/sh\nexec sleep 30\n"), 0o777); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	var started []string
	testHookAnalyse = func(id string) {
		started = append(started, id) // Jobs: 1, one goroutine
		time.AfterFunc(200*time.Millisecond, cancel)
	}
	defer func() { testHookAnalyse = nil }()
	begin := time.Now()
	_, err := Run(ctx, &Options{Patterns: []string{"./..."}, Dir: mod, Exe: exe, Jobs: 1})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Run: %v, want context.Canceled", err)
	}
	if len(started) != 1 {
		t.Errorf("units started: %q; want only the first", started)
	}
	if d := time.Since(begin); d > 10*time.Second {
		t.Errorf("Run took %v after the interrupt", d)
	}
}

// An interrupted go list gets SIGINT first, so that the go command can
// stop its compilers and remove its work directory (issue 14, item 10).
func TestGoListInterruptedFirst(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT on Windows")
	}
	bin := t.TempDir()
	mark := filepath.Join(t.TempDir(), "mark")
	script := "#!/bin/sh\ntrap 'touch " + mark + ".cleaned; exit 1' INT\ntouch " + mark + ".started\nsleep 30 >/dev/null 2>&1 &\nwait\n"
	if err := os.WriteFile(filepath.Join(bin, "go"), []byte(script), 0o777); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	ctx, cancel := context.WithCancel(t.Context())
	polled := make(chan struct{})
	go func() {
		defer close(polled)
		for ctx.Err() == nil {
			if _, err := os.Stat(mark + ".started"); err == nil {
				cancel()
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	_, _, err := goList(ctx, &Options{Patterns: []string{"./..."}})
	cancel()
	<-polled
	if err == nil {
		t.Fatal("goList succeeded")
	}
	if _, err := os.Stat(mark + ".cleaned"); err != nil {
		t.Errorf("go list was not interrupted before being killed: %v", err)
	}
}

// runStub runs the driver on a one-package module with a unit that runs
// script (sh), and returns the errors.
func runStub(t *testing.T, script string, opts Options) []string {
	t.Helper()
	mod := writeModule(t, map[string]string{"go.mod": "module example.com/m\n\ngo 1.26\n", "p/p.go": "package p\n"})
	exe := filepath.Join(t.TempDir(), "unit")
	if err := os.WriteFile(exe, []byte("#!/bin/sh\n"+script), 0o777); err != nil {
		t.Fatal(err)
	}
	opts.Patterns, opts.Dir, opts.Exe = []string{"./..."}, mod, exe
	res, err := Run(t.Context(), &opts)
	if err != nil {
		t.Fatal(err)
	}
	return res.Errors
}

// A crashing unit keeps its whole trace in a file its message names; one
// that ran out of memory says so in a line (issue 14, item 12).
func TestUnitCrash(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir()) // where the trace is kept
	trace := "panic: boom\n\ngoroutine 1 [running]:\nexample.com/analyzer.deep()\n\t/src/deep.go:7 +0x1d\n"
	errs := runStub(t, "printf '"+strings.ReplaceAll(trace, "\n", `\n`)+"' >&2\nexit 2\n", Options{})
	if len(errs) != 1 || !strings.HasPrefix(errs[0], "package example.com/m/p: analysis crashed: panic: boom (full trace in ") {
		t.Fatalf("errors %q; want the panic line and a trace file", errs)
	}
	file := strings.TrimSuffix(errs[0][strings.Index(errs[0], "full trace in ")+len("full trace in "):], ")")
	if data, err := os.ReadFile(file); err != nil || !strings.Contains(string(data), "example.com/analyzer.deep()\n\t/src/deep.go:7") {
		t.Errorf("trace file %s: %q, %v; want the whole trace", file, data, err)
	}

	oom := "fatal error: runtime: out of memory\n\nruntime stack:\nruntime.throw()\n"
	errs = runStub(t, "printf '"+strings.ReplaceAll(oom, "\n", `\n`)+"' >&2\nfor i in $(seq 300); do echo 'runtime.mallocgc(...)' >&2; done\nexit 2\n", Options{})
	if len(errs) != 1 || errs[0] != "package example.com/m/p: analysis ran out of memory (-unitmem stops a unit earlier)" {
		t.Errorf("errors %q; want one line saying it ran out of memory", errs)
	}
}

// -unittimeout stops a unit that runs too long, naming its package (issue
// 14, item 12).
func TestUnitTimeout(t *testing.T) {
	begin := time.Now()
	errs := runStub(t, "exec sleep 30\n", Options{UnitTimeout: 300 * time.Millisecond})
	if len(errs) != 1 || errs[0] != "package example.com/m/p: analysis stopped: it took longer than 300ms (-unittimeout)" {
		t.Errorf("errors %q", errs)
	}
	if d := time.Since(begin); d > 10*time.Second {
		t.Errorf("took %v", d)
	}
}

// A unit stopped by -unitmem leaves its importers unanalysed, directly or
// not, instead of compiling its export data for them, which raised the
// peak the limit was meant to lower (issue 14, item 14).
func TestUnitMemStopsImporters(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	mod := writeModule(t, map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.26\n",
		"a/a.go": "package a\n\nfunc A() {}\n",
		"b/b.go": "package b\n\nimport \"example.com/m/a\"\n\nfunc B() { a.A() }\n",
		"c/c.go": "package c\n\nimport \"example.com/m/b\"\n\nfunc C() { b.B() }\n",
		"d/d.go": "package d\n",
	})
	// The unit for a holds 100 MB.
	exe, cfgs := recordingUnit(t, `grep -q '"ImportPath":"example.com/m/a"' "$last" && { x=$(head -c 100000000 /dev/zero | tr '\0' a); sleep 1; }`)
	res, err := Run(t.Context(), &Options{Patterns: []string{"./..."}, Dir: mod, Exe: exe, Jobs: 1, UnitMemMB: 50})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"package example.com/m/a: analysis stopped: it used more than 50 MB (-unitmem); analyse it alone, or switch off the analyzer at fault",
		"package example.com/m/b: not analysed: its import example.com/m/a was stopped by -unitmem",
		"package example.com/m/c: not analysed: its import example.com/m/b was not analysed (-unitmem)",
	}
	if !slices.Equal(res.Errors, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(res.Errors, "\n"), strings.Join(want, "\n"))
	}
	var ran []string
	for _, cfg := range recordedConfigs(t, cfgs) {
		ran = append(ran, cfg.ID)
	}
	if !slices.Equal(ran, []string{"example.com/m/d"}) {
		t.Errorf("units that completed: %q; want only d", ran)
	}
}

// ru_maxrss is in bytes on macOS, kilobytes elsewhere (issue 14, item 14).
func TestRSSUnits(t *testing.T) {
	if got := rssMB(64<<20, "darwin"); got != 64 {
		t.Errorf("darwin: %d MB, want 64", got)
	}
	if got := rssMB(64<<10, "linux"); got != 64 {
		t.Errorf("linux: %d MB, want 64", got)
	}
}

// -unitmem says where it cannot stop a unit (issue 14, item 14).
func TestUnitMemCaveat(t *testing.T) {
	if c := UnitMemCaveat("linux"); c != "" {
		t.Errorf("linux: %q", c)
	}
	if c := UnitMemCaveat("windows"); !strings.Contains(c, "no effect on windows") {
		t.Errorf("windows: %q", c)
	}
	if c := UnitMemCaveat("darwin"); !strings.Contains(c, "checked when a package's analysis ends") {
		t.Errorf("darwin: %q", c)
	}
}

// Only a newer go command is refused (issue 14, item 8).
func TestToolchainSkew(t *testing.T) {
	for _, tc := range []struct {
		goCommand, built string
		refused          bool
	}{
		{"go1.27.0", "go1.26.8", true},
		{"go1.27rc1", "go1.26.8", true},
		{"go1.26.0", "go1.26.8", false},
		{"go1.25.3", "go1.26.8", false},
		{"go1.27.0", "devel go1.27-abcdef", false},
	} {
		err := toolchainSkew(tc.goCommand, tc.built)
		if (err != nil) != tc.refused {
			t.Errorf("go command %s, built with %s: %v", tc.goCommand, tc.built, err)
		}
	}
	if err := toolchainSkew("go1.27.0", "go1.26.8"); err == nil || !strings.HasPrefix(err.Error(), "futlint was built with go1.26; rebuild it with go1.27") {
		t.Errorf("message %v", err)
	}
}

// An edit names the file a //line directive gives its position; the
// driver maps it back to the parsed file its offsets are in, and drops a
// fix in a file that is not the package's own, such as cmd/cgo's output
// (issue 14, items 3 and 4).
func TestRealEditFiles(t *testing.T) {
	pkg, cache := t.TempDir(), t.TempDir()
	hits := filepath.Join(pkg, "hits.go")
	hitsSrc := "package hits\n\nvar hits int\n\n//line grammar.y:100\nfunc f() { hits++ }\n"
	cgoOut := filepath.Join(cache, "0123-d")
	cgoSrc := "// Code generated by cmd/cgo; DO NOT EDIT.\n\n//line " + filepath.Join(pkg, "user.go") + ":1:1\npackage hits\n\nfunc g() { hits++ }\n"
	for name, src := range map[string]string{hits: hitsSrc, cgoOut: cgoSrc} {
		if err := os.WriteFile(name, []byte(src), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	inc := strings.Index(hitsSrc, "hits++")
	decl := strings.Index(hitsSrc, "var hits")
	cgoInc := strings.Index(cgoSrc, "hits++")
	edit := func(file string, off int) string {
		return fmt.Sprintf(`{"message":"fix","edits":[{"filename":%q,"start":%d,"end":%d,"new":"x"}]}`, file, off, off+3)
	}
	byAnalyzer := map[string]json.RawMessage{"u": json.RawMessage(`[` +
		`{"posn":"p","end":"p","message":"under //line","suggested_fixes":[` + edit(filepath.Join(pkg, "grammar.y"), inc) + `]},` +
		`{"posn":"p","end":"p","message":"before //line","suggested_fixes":[` + edit(hits, decl) + `]},` +
		`{"posn":"p","end":"p","message":"in cgo output","suggested_fixes":[` + edit(filepath.Join(pkg, "user.go"), cgoInc) + `]}]`)}
	realEditFiles(byAnalyzer, []string{hits, cgoOut}, inDir(pkg))
	var got []Finding
	if err := json.Unmarshal(byAnalyzer["u"], &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d findings, want 3: a finding is never dropped", len(got))
	}
	for i, want := range []string{hits, hits, ""} {
		var file string
		if fixes := got[i].SuggestedFixes; len(fixes) == 1 {
			file = fixes[0].Edits[0].Filename
		}
		if file != want {
			t.Errorf("%s: fix edits %q, want %q", got[i].Message, file, want)
		}
	}
}
