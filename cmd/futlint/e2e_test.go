package main_test

// End-to-end tests: build futlint once and run it as a user would, on the
// fixture module testdata/e2e. The expected findings are the "// want"
// markers in the fixture (see testdata/README.md), restricted to the
// analyzers the binary registers, so the tests follow analyzers as they
// land.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/futlint/futlint/internal/analyzers"
)

var (
	futlint string // the binary under test
	// What go install ./cmd/futlint, which made it, said (TestRouteGoInstall).
	installOut []byte
	installErr error
	e2eDir     = mustAbs("../../testdata/e2e")
	brokenDir  = mustAbs("../../testdata/broken")
	prunedDir  = mustAbs("../../testdata/pruned/m")
)

func mustAbs(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		panic(err)
	}
	return abs
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "futlint-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	futlint = filepath.Join(dir, "futlint")
	sharedDir = filepath.Join(dir, "shared")
	// Tests see cold runs, unless they ask for a cache (cache_test.go).
	os.Setenv("FUTLINT_CACHE", "off")
	// The binary is the one the README's Quick start installs, made as
	// TestRouteGoInstall checks it can be (one link, not two); if that
	// fails, that test says so and the others run a go build.
	cmd := exec.Command("go", "install", "./cmd/futlint")
	cmd.Dir = repoRoot
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=", "GOBIN="+dir)
	if installOut, installErr = cmd.CombinedOutput(); installErr != nil {
		if out, err := exec.Command("go", "build", "-o", futlint, ".").CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "building futlint: %v\n%s", err, out)
			os.Exit(1)
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// run runs futlint (or another command when name is not "") in dir.
func run(t *testing.T, dir, name string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	if name == "" {
		name = futlint
	}
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		code = exitErr.ExitCode()
	case err != nil:
		t.Fatalf("running %s %v: %v", name, args, err)
	}
	return out.String(), errOut.String(), code
}

// A want is one expected finding.
type want struct {
	file     string // relative to the module root, slash-separated
	line     int
	analyzer string
	re       *regexp.Regexp
}

func (w want) String() string {
	return fmt.Sprintf("%s:%d: %s %q", w.file, w.line, w.analyzer, w.re)
}

var markerRE = regexp.MustCompile(`// want(\+1)? (.*)$`)

// wants parses the markers of the module in dir. A marker naming an
// analyzer the binary does not register fails the test: an analyzer
// dropped from internal/analyzers must not pass as "nothing expected".
func wants(t *testing.T, dir string) []want {
	t.Helper()
	registered := make(map[string]bool)
	for _, a := range analyzers.All() {
		registered[a.Name] = true
	}
	var list []want
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for line := 1; sc.Scan(); line++ {
			m := markerRE.FindStringSubmatch(sc.Text())
			if m == nil {
				continue
			}
			target := line
			if m[1] != "" {
				target++
			}
			rest := strings.TrimSpace(m[2])
			for rest != "" {
				name, after, ok := strings.Cut(rest, " ")
				if !ok {
					return fmt.Errorf("%s:%d: malformed marker %q", rel, line, m[0])
				}
				quoted, err := strconv.QuotedPrefix(strings.TrimSpace(after))
				if err != nil {
					return fmt.Errorf("%s:%d: malformed marker %q: %v", rel, line, m[0], err)
				}
				pattern, _ := strconv.Unquote(quoted)
				rest = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(after), quoted))
				if !registered[name] {
					return fmt.Errorf("%s:%d: marker names analyzer %q, which futlint does not register (internal/analyzers)", rel, line, name)
				}
				list = append(list, want{filepath.ToSlash(rel), target, name, regexp.MustCompile(pattern)})
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// A finding is one reported diagnostic.
type finding struct {
	file     string
	line     int
	analyzer string // "" when the output does not say (go vet)
	message  string
}

var textRE = regexp.MustCompile(`^(\S+\.go):(\d+):(\d+): (?:([a-z]+): )?(.*)$`)

// parseText parses "file:line:col: [analyzer: ]message" lines; withAnalyzer
// says whether the analyzer name is there.
func parseText(t *testing.T, out string, withAnalyzer bool) []finding {
	t.Helper()
	var list []finding
	for line := range strings.SplitSeq(strings.TrimSpace(out), "\n") {
		if line == "" || strings.HasPrefix(line, "#") || strings.Contains(line, ": \t") {
			continue // empty, a go vet package header, a related position
		}
		m := textRE.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("unexpected output line %q", line)
			continue
		}
		n, _ := strconv.Atoi(m[2])
		f := finding{file: filepath.ToSlash(strings.TrimPrefix(m[1], "./")), line: n, analyzer: m[4], message: m[5]}
		if !withAnalyzer {
			f.analyzer, f.message = "", strings.TrimPrefix(line, m[1]+":"+m[2]+":"+m[3]+": ")
		}
		list = append(list, f)
	}
	return list
}

// match checks that findings and wants correspond one to one.
func match(t *testing.T, findings []finding, wants []want) {
	t.Helper()
	used := make([]bool, len(wants))
	for _, f := range findings {
		found := false
		for i, w := range wants {
			if !used[i] && w.file == f.file && w.line == f.line &&
				(f.analyzer == "" || f.analyzer == w.analyzer) && w.re.MatchString(f.message) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			t.Errorf("unexpected finding %s:%d: %s: %s", f.file, f.line, f.analyzer, f.message)
		}
	}
	for i, w := range wants {
		if !used[i] {
			t.Errorf("missing finding %s", w)
		}
	}
}

func exitFor(wants []want) int {
	if len(wants) > 0 {
		return 3
	}
	return 0
}

func TestStandaloneText(t *testing.T) {
	t.Parallel()
	ws := wants(t, e2eDir)
	r := coldRun(t, e2eDir, "./...")
	stdout := r.stdout
	if r.code != exitFor(ws) {
		t.Errorf("exit %d, want %d; stderr:\n%s", r.code, exitFor(ws), r.stderr)
	}
	match(t, parseText(t, stdout, true), ws)
	// Related positions print indented under their finding: only the
	// findings themselves are sorted.
	findings := slices.DeleteFunc(strings.Split(strings.TrimSpace(stdout), "\n"), func(l string) bool { return strings.Contains(l, ": \t") })
	if !slices.IsSortedFunc(findings, func(a, b string) int {
		fa, fb := parseText(t, a, true), parseText(t, b, true)
		if len(fa) == 0 || len(fb) == 0 || fa[0].file != fb[0].file {
			return strings.Compare(a, b)
		}
		return fa[0].line - fb[0].line
	}) {
		t.Errorf("output not sorted by file and line:\n%s", stdout)
	}
}

func TestCleanPackage(t *testing.T) {
	t.Parallel()
	stdout, stderr, code := run(t, e2eDir, "", "./clean")
	if code != 0 || stdout != "" || stderr != "futlint: no findings in 1 package; exit 0 (clean)\n" {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 0, no output and the summary", code, stdout, stderr)
	}
}

func TestJSON(t *testing.T) {
	t.Parallel()
	ws := wants(t, e2eDir)
	r := coldRun(t, e2eDir, "-json", "./...")
	stdout := r.stdout
	if r.code != 0 {
		t.Fatalf("exit %d, want 0 (like the multichecker); stderr:\n%s", r.code, r.stderr)
	}
	var tree map[string]map[string][]struct {
		Posn    string `json:"posn"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal([]byte(stdout), &tree); err != nil {
		t.Fatalf("-json output is not the package -> analyzer -> diagnostics tree: %v\n%s", err, stdout)
	}
	var got []finding
	seen := make(map[finding]bool)
	for id, byAnalyzer := range tree {
		if !strings.HasPrefix(id, "example.com/e2e/") {
			t.Errorf("unexpected package ID %q", id)
		}
		for name, diags := range byAnalyzer {
			for _, d := range diags {
				parts := strings.Split(d.Posn, ":")
				line, _ := strconv.Atoi(parts[len(parts)-2])
				rel, _ := filepath.Rel(e2eDir, strings.Join(parts[:len(parts)-2], ":"))
				f := finding{filepath.ToSlash(rel), line, name, d.Message}
				if !seen[f] { // a package and its test variant
					seen[f] = true
					got = append(got, f)
				}
			}
		}
	}
	match(t, got, ws)
}

func TestSARIF(t *testing.T) {
	t.Parallel()
	ws := wants(t, e2eDir)
	out := filepath.Join(t.TempDir(), "futlint.sarif")
	_, stderr, code := run(t, e2eDir, "", "-sarif="+out, "./...")
	if code != exitFor(ws) {
		t.Errorf("exit %d, want %d; stderr:\n%s", code, exitFor(ws), stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Version string `json:"version"`
		Schema  string `json:"$schema"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string
					Rules []struct {
						ID               string `json:"id"`
						ShortDescription struct{ Text string }
						FullDescription  struct{ Text string }
						HelpURI          string `json:"helpUri"`
					}
				}
			}
			Results []struct {
				RuleID    string `json:"ruleId"`
				Message   struct{ Text string }
				Fixes     []json.RawMessage
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI       string `json:"uri"`
							URIBaseID string `json:"uriBaseId"`
						}
						Region struct{ StartLine, StartColumn int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatalf("decoding SARIF: %v\n%s", err, data)
	}
	if log.Version != "2.1.0" || !strings.Contains(log.Schema, "sarif-schema-2.1.0") || len(log.Runs) != 1 {
		t.Fatalf("version %q, $schema %q, %d runs; want 2.1.0, the 2.1.0 schema, 1 run", log.Version, log.Schema, len(log.Runs))
	}
	run := log.Runs[0]
	var ids []string
	for _, r := range run.Tool.Driver.Rules {
		ids = append(ids, r.ID)
		if r.ShortDescription.Text == "" || r.FullDescription.Text == "" || !strings.HasPrefix(r.HelpURI, "https://github.com/futlint/futlint#") {
			t.Errorf("rule %s: short %q, full %q, helpUri %q: want descriptions and a README link", r.ID, r.ShortDescription.Text, r.FullDescription.Text, r.HelpURI)
		}
	}
	for _, a := range analyzers.All() {
		if !slices.Contains(ids, a.Name) {
			t.Errorf("no rule for analyzer %s; rules %v", a.Name, ids)
		}
	}
	// URIs are relative to the repository root: testdata/e2e/... here.
	prefix := repoPrefix(t, e2eDir)
	var got []finding
	for _, r := range run.Results {
		if len(r.Locations) != 1 {
			t.Errorf("result %q has %d locations, want 1", r.Message.Text, len(r.Locations))
			continue
		}
		loc := r.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URIBaseID != "%SRCROOT%" || !strings.HasPrefix(loc.ArtifactLocation.URI, prefix) || strings.Contains(loc.ArtifactLocation.URI, "file:") {
			t.Errorf("location %+v: want a URI relative to the repository root (%%SRCROOT%%), starting %q", loc.ArtifactLocation, prefix)
		}
		if loc.Region.StartColumn < 1 {
			t.Errorf("location %+v: no column", loc)
		}
		got = append(got, finding{strings.TrimPrefix(loc.ArtifactLocation.URI, prefix), loc.Region.StartLine, r.RuleID, r.Message.Text})
	}
	match(t, got, ws)
}

// copyModule copies the e2e module to a temporary directory.
func copyModule(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	copyTree(t, e2eDir, dst)
	return dst
}

// fixGoldens maps each file with a suggested fix to the analyzer offering
// it; file.golden is the file after -fix.
var fixGoldens = map[string]string{
	"hits/hits.go":   "unlockedinc",
	"fetch/fetch.go": "leakedgoroutine",
	"poll/poll.go":   "uncheckedcancel",
	"app/app.go":     "uncheckedcancel",
}

// mustBeRegistered fails the test when the binary lacks an analyzer the
// test is about.
func mustBeRegistered(t *testing.T, name string) {
	t.Helper()
	if !slices.ContainsFunc(analyzers.All(), func(a *analysis.Analyzer) bool { return a.Name == name }) {
		t.Fatalf("analyzer %s is not registered in internal/analyzers", name)
	}
}

func TestFix(t *testing.T) {
	t.Parallel()
	dir, r := fixedModule(t)
	if r.code == 1 || r.code == 2 {
		t.Fatalf("exit %d; stderr:\n%s", r.code, r.stderr)
	}
	for file, analyzer := range fixGoldens {
		got, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		mustBeRegistered(t, analyzer)
		wantFile := filepath.Join(e2eDir, file) + ".golden"
		want, err := os.ReadFile(wantFile)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s after -fix differs from %s:\n%s", file, filepath.Base(wantFile), got)
		}
	}
	// The fixed module still builds.
	if out, err := exec.Command("go", "-C", dir, "build", "./...").CombinedOutput(); err != nil {
		t.Errorf("fixed module does not build: %v\n%s", err, out)
	}
}

func TestFixDiff(t *testing.T) {
	t.Parallel()
	mustBeRegistered(t, "unlockedinc")
	r := coldRun(t, e2eDir, "-fix", "-diff", "./...")
	for _, s := range []string{"--- a/hits/hits.go\n", "+++ b/hits/hits.go\n", "-\t\thits++", "+\t\tatomic.AddInt64(&hits, 1)", "+\t\"sync/atomic\""} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("-fix -diff output lacks %q:\n%s\nstderr:\n%s", s, r.stdout, r.stderr)
		}
	}
	// -fix would have made each file its golden.
	for file := range fixGoldens {
		got, _ := os.ReadFile(filepath.Join(e2eDir, file))
		if golden, _ := os.ReadFile(filepath.Join(e2eDir, file) + ".golden"); bytes.Equal(got, golden) {
			t.Errorf("-fix -diff changed %s", file)
		}
	}
}

func TestDisableAnalyzer(t *testing.T) {
	t.Parallel()
	all := wants(t, e2eDir)
	if len(all) == 0 {
		t.Fatal("no markers in the e2e module")
	}
	off := all[0].analyzer
	if off == "futlintdirective" {
		off = all[len(all)-1].analyzer
	}
	var rest []want
	for _, w := range all {
		if w.analyzer != off {
			rest = append(rest, w)
		}
	}
	r := coldRun(t, e2eDir, "-"+off+"=false", "./...")
	if r.code != exitFor(rest) {
		t.Errorf("exit %d, want %d; stderr:\n%s", r.code, exitFor(rest), r.stderr)
	}
	match(t, parseText(t, r.stdout, true), rest)
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"-nosuchanalyzer=false", "./..."},
		{"-format=xml", "./..."},
		{},
	} {
		_, stderr, code := run(t, e2eDir, "", args...)
		if code != 2 || stderr == "" {
			t.Errorf("futlint %v: exit %d, stderr %q; want exit 2 and a message", args, code, stderr)
		}
	}
	_, stderr, _ := run(t, e2eDir, "", "-nosuchanalyzer=false", "./...")
	if !strings.Contains(stderr, "nosuchanalyzer") {
		t.Errorf("unknown flag message does not name it: %q", stderr)
	}
}

func TestBrokenModule(t *testing.T) {
	t.Parallel()
	ws := wants(t, brokenDir)
	r := coldRun(t, brokenDir, "./...")
	stdout, stderr, code := r.stdout, r.stderr, r.code
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if !strings.Contains(stderr, "package example.com/broken/bad:") || !strings.Contains(stderr, "bad.go:6") {
		t.Errorf("stderr does not name the broken package and the error:\n%s", stderr)
	}
	if strings.Contains(stderr, "panic") {
		t.Errorf("stderr mentions a panic:\n%s", stderr)
	}
	match(t, parseText(t, stdout, true), ws) // the good package is still analysed
}

// Analysing a dependency's package whose tests import a module that the
// main module's go.mod does not list (a pruned module graph): naming that
// module's package to go list fails under -mod=readonly, and futlint
// falls back to loading the export data as go vet does.
func TestDependencyWithTestOnlyModule(t *testing.T) {
	t.Parallel()
	cmd := exec.Command(futlint, "example.com/d")
	cmd.Dir = prunedDir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=readonly", "GOWORK=off")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if exitErr, ok := err.(*exec.ExitError); ok {
		code = exitErr.ExitCode()
	}
	if code != 3 || !strings.Contains(stdout.String(), "d.go:7:2: leakedgoroutine: goroutine leaks") {
		t.Errorf("exit %d, want 3 with d's leak reported\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
}

// -cpuprofile profiles the driver and, in FILE.units, every unit process,
// where the analysis runs. (lib has no finding, and no import of
// net/http, whose dependencies cost the go command more than the run.)
func TestUnitProfiles(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"./lib"}, {"-unlockedinc", "./lib"}} {
		cpu := filepath.Join(t.TempDir(), "cpu.out")
		stdout, stderr, code := run(t, e2eDir, "", append([]string{"-cpuprofile=" + cpu}, args...)...)
		if code != 0 || stdout != "" {
			t.Fatalf("%v: exit %d, want 0 and no findings\nstdout:\n%s\nstderr:\n%s", args, code, stdout, stderr)
		}
		for _, pattern := range []string{cpu, cpu + ".units/*.cpu.pprof", cpu + ".units/*.heap.pprof"} {
			files, _ := filepath.Glob(pattern)
			if len(files) == 0 {
				t.Errorf("%v: no %s", args, pattern)
			}
			for _, f := range files {
				if fi, err := os.Stat(f); err != nil || fi.Size() == 0 {
					t.Errorf("%v: %s: empty or missing (%v)", args, f, err)
				}
			}
		}
	}
}

func TestGoVetTool(t *testing.T) {
	t.Parallel()
	ws := wants(t, e2eDir)
	cmd := exec.Command("go", "vet", "-vettool="+futlint, "./...")
	cmd.Dir = e2eDir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	code := 0
	if exitErr, ok := err.(*exec.ExitError); ok {
		code = exitErr.ExitCode()
	}
	wantCode := 0
	if len(ws) > 0 {
		wantCode = 1 // go vet exits 1 on findings
	}
	if code != wantCode {
		t.Errorf("go vet exit %d, want %d; stderr:\n%s", code, wantCode, stderr.String())
	}
	match(t, parseText(t, stderr.String(), false), ws)
}

func TestGoVetFlags(t *testing.T) {
	t.Parallel()
	stdout, _, code := run(t, e2eDir, "", "-flags")
	if code != 0 || !strings.Contains(stdout, `"Name": "vet"`) {
		t.Errorf("-flags: exit %d, output lacks -vet:\n%s", code, stdout)
	}
	stdout, _, code = run(t, e2eDir, "", "-V=full")
	if code != 0 || !strings.Contains(stdout, "futlint version devel") {
		t.Errorf("-V=full: exit %d, output %q", code, stdout)
	}
}

func TestVetSuite(t *testing.T) {
	t.Parallel()
	// -vet adds go vet's analyzers: printf reports this call.
	bad := "package clean\n\nimport \"fmt\"\n\nfunc Bad() { fmt.Printf(\"%d\\n\", \"x\") }\n"
	dir := writeModule(t, map[string]string{"go.mod": goMod, "clean/bad.go": bad})
	stdout, stderr, code := run(t, dir, "", "-vet", "./clean")
	if code != 3 || !strings.Contains(stdout, "clean/bad.go:5:26: printf: fmt.Printf format %d has arg \"x\" of wrong type string") {
		t.Errorf("-vet: exit %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	stdout, _, code = run(t, dir, "", "./clean")
	if code != 0 || stdout != "" {
		t.Errorf("without -vet: exit %d, stdout:\n%s", code, stdout)
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	stdout, _, code := run(t, e2eDir, "", "help")
	if code != 0 {
		t.Errorf("help: exit %d", code)
	}
	for _, a := range analyzers.All() {
		if !strings.Contains(stdout, a.Name) {
			t.Errorf("help does not list %s:\n%s", a.Name, stdout)
		}
		out, _, code := run(t, e2eDir, "", "help", a.Name)
		if code != 0 || !strings.Contains(out, a.Doc) {
			t.Errorf("help %s: exit %d, output lacks the analyzer's documentation:\n%s", a.Name, code, out)
		}
	}
	if _, stderr, code := run(t, e2eDir, "", "help", "nosuchanalyzer"); code != 2 || !strings.Contains(stderr, "nosuchanalyzer") {
		t.Errorf("help nosuchanalyzer: exit %d, stderr %q; want 2 naming it", code, stderr)
	}
}

func TestUnitMemoryLimit(t *testing.T) {
	// No analysis of a package importing net/http fits in 1 MB.
	_, stderr, code := run(t, e2eDir, "", "-unitmem=1", "./hits")
	if code != 1 || !strings.Contains(stderr, "package example.com/e2e/hits: analysis stopped: it used more than 1 MB") {
		t.Errorf("-unitmem=1: exit %d, stderr:\n%s", code, stderr)
	}
}

// Analyzer options reach the unit processes.
func TestAnalyzerOption(t *testing.T) {
	t.Parallel()
	mustBeRegistered(t, "leakedgoroutine")
	stdout, _, code := run(t, e2eDir, "", "./background")
	if code != 3 || !strings.Contains(stdout, "goroutine is not joined") {
		t.Errorf("default: exit %d, stdout %q; want the unjoined goroutine", code, stdout)
	}
	stdout, stderr, code := run(t, e2eDir, "", "-leakedgoroutine.strict=false", "./background")
	if code != 0 || stdout != "" {
		t.Errorf("-leakedgoroutine.strict=false: exit %d, stdout %q, stderr %q; want no finding", code, stdout, stderr)
	}
}

// The shared model's options (-concurrency.spawners, and its alias
// -leakedgoroutine.spawners) reach the analysis in every driver mode,
// though the model is no root analyzer: pool.Submit hands f to workers
// through a channel, which the model cannot see as a spawn without them.
func TestModelSpawnersFlag(t *testing.T) {
	t.Parallel()
	mustBeRegistered(t, "unlockedinc")
	dir := writeModule(t, map[string]string{
		"go.mod":       goMod,
		"pool/pool.go": "package pool\n\nvar jobs = make(chan func(), 8)\n\n// Submit queues f for a worker.\nfunc Submit(f func()) { jobs <- f }\n",
		"app/app.go":   "package app\n\nimport \"example.com/m/pool\"\n\nfunc Count(items []int) int {\n\tn := 0\n\tfor range items {\n\t\tpool.Submit(func() { n++ })\n\t}\n\treturn n\n}\n",
	})
	// (The checker prints findings on stderr, without the analyzer.)
	const finding = "app/app.go:8:24: unsynchronized increment of n (shared by the functions passed to pool.Submit in a loop at app.go:8)"
	const flag = "=example.com/m/pool.Submit"
	if stdout, stderr, code := run(t, dir, "", "./..."); code != 0 {
		t.Errorf("no flag: exit %d, stdout %q, stderr %q; want no finding", code, stdout, stderr)
	}
	for _, args := range [][]string{
		{"-concurrency.spawners" + flag},
		{"-leakedgoroutine.spawners" + flag},
		{"-driver=checker", "-concurrency.spawners" + flag},
	} {
		stdout, stderr, code := run(t, dir, "", append(args, "./...")...)
		if code != 3 || !strings.Contains(strings.ReplaceAll(stdout+stderr, "unlockedinc: ", ""), finding) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want %q", args, code, stdout, stderr, finding)
		}
	}
	for _, flags := range [][]string{nil, {"-concurrency.spawners" + flag}} {
		cmd := exec.Command("go", append(append([]string{"vet", "-vettool=" + futlint}, flags...), "./...")...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		found := strings.Contains(string(out), "unsynchronized increment of n")
		if found != (flags != nil) || (err == nil) == (flags != nil) {
			t.Errorf("go vet %v: err %v, output:\n%s", flags, err, out)
		}
	}
	stdout, _, _ := run(t, dir, "", "-flags")
	if !strings.Contains(stdout, `"Name": "concurrency.spawners"`) {
		t.Errorf("-flags does not list -concurrency.spawners (go vet would refuse it):\n%s", stdout)
	}
	if stdout, _, code := run(t, dir, "", "help", "concurrency"); code != 0 || !strings.Contains(stdout, "-concurrency.spawners") {
		t.Errorf("help concurrency: exit %d, output:\n%s", code, stdout)
	}
}
