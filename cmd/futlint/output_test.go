package main_test

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestSummary: a text run ends with one line on stderr counting the
// findings per analyzer (leakedgoroutine's grades apart), saying how to
// hide grade 2 and what the exit code means; stdout is only findings.
func TestSummary(t *testing.T) {
	t.Parallel()
	r := coldRun(t, e2eDir, "./...")
	stdout, stderr, code := r.stdout, r.stderr, r.code
	if code != 3 {
		t.Fatalf("exit %d, want 3; stderr:\n%s", code, stderr)
	}
	if strings.Contains(stderr, "\r") {
		t.Errorf("progress written to a stderr that is not a terminal: %q", stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	last := lines[len(lines)-1]
	counts := make(map[string]int)
	grade2, harm := 0, 0
	for _, f := range parseText(t, stdout, true) {
		counts[f.analyzer]++
		if f.analyzer != "leakedgoroutine" {
			continue
		}
		switch {
		case strings.HasPrefix(f.message, "goroutine is not joined"):
			grade2++
		case strings.HasPrefix(f.message, "goroutine outlives its"), strings.HasPrefix(f.message, "goroutine never ends"):
			harm++
		}
	}
	if harm == 0 {
		t.Errorf("no harmful unjoined goroutine in the output (testdata/e2e/owner):\n%s", stdout)
	}
	total := 0
	for name, n := range counts {
		total += n
		want := name + " " + itoa(n)
		if name == "leakedgoroutine" {
			want += " (grade 1 leaks " + itoa(n-grade2-harm) + ", harmful unjoined " + itoa(harm) + ", grade 2 not joined " + itoa(grade2) + ")"
		}
		if !strings.Contains(last, want) {
			t.Errorf("summary %q lacks %q", last, want)
		}
	}
	for _, want := range []string{"futlint: " + itoa(total) + " findings in ", "exit 3 (findings)"} {
		if !strings.Contains(last, want) {
			t.Errorf("summary %q lacks %q", last, want)
		}
	}
	if grade2 > 0 && !strings.Contains(last, "-leakedgoroutine.strict=false hides the "+itoa(grade2)+" grade-2 finding") {
		t.Errorf("summary %q does not say how to hide grade 2", last)
	}

	// The other formats keep stderr for errors only.
	if r := coldRun(t, e2eDir, "-format=sarif", "./..."); r.stderr != "" {
		t.Errorf("-format=sarif wrote to stderr: %q", r.stderr)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestProgressOnTerminal: with stderr a terminal, futlint shows packages
// done/total while it runs and erases the line before the summary.
func TestProgressOnTerminal(t *testing.T) {
	script, err := exec.LookPath("script") // util-linux, in every Debian
	if err != nil {
		t.Fatal("this test needs script(1) from util-linux to give futlint a terminal")
	}
	cmd := exec.Command(script, "-qec", futlint+" ./lib ./counter >/dev/null", "/dev/null")
	cmd.Dir = e2eDir
	out, _ := cmd.CombinedOutput()
	if !regexp.MustCompile(`\rfutlint: analysed 1/\d+ packages`).Match(out) || !bytes.Contains(out, []byte("\r\033[Kfutlint: 1 finding in")) {
		t.Errorf("terminal output lacks progress and its erasure before the summary: %q", out)
	}
}

// TestFixDiffApplies: the diff of -fix -diff on the whole fixture is
// accepted by git apply and gives the files -fix writes; the findings
// without a fix are listed on stderr, so stdout is only the patch.
func TestFixDiffApplies(t *testing.T) {
	t.Parallel()
	fixed, fix := fixedModule(t)
	patched := copyModule(t)
	r := coldRun(t, e2eDir, "-fix", "-diff", "./...")
	patch, stderr, code := r.stdout, r.stderr, r.code
	if code != 3 {
		t.Fatalf("-fix -diff: exit %d, want 3; stderr:\n%s", code, stderr)
	}
	if !strings.HasPrefix(patch, "--- a/") {
		t.Errorf("-fix -diff stdout does not start with a diff header:\n%s", patch)
	}
	if !strings.Contains(stderr, "background/background.go:7:2: leakedgoroutine: ") {
		t.Errorf("-fix -diff does not list the finding without a fix on stderr:\n%s", stderr)
	}
	cmd := exec.Command("git", "apply", "-")
	cmd.Dir = patched
	cmd.Stdin = strings.NewReader(patch)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git apply: %v\n%s\npatch:\n%s", err, out, patch)
	}
	if fix.code != 3 {
		t.Fatalf("-fix: exit %d; stderr:\n%s", fix.code, fix.stderr)
	}
	filepath.WalkDir(fixed, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(fixed, path)
		want, _ := os.ReadFile(path)
		got, _ := os.ReadFile(filepath.Join(patched, rel))
		if !bytes.Equal(got, want) {
			t.Errorf("%s: git apply of the diff gives\n%s\nwant (-fix):\n%s", rel, got, want)
		}
		return nil
	})
}

// TestVersion: futlint version, -V and -V=full (go vet's protocol).
func TestVersion(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"version"}, {"-V"}, {"-V=true"}} {
		stdout, stderr, code := run(t, e2eDir, "", args...)
		if code != 0 || !strings.HasPrefix(stdout, "futlint ") || !strings.Contains(stdout, "go1.") {
			t.Errorf("futlint %v: exit %d, stdout %q, stderr %q; want the version", args, code, stdout, stderr)
		}
	}
	stdout, _, code := run(t, e2eDir, "", "-V=full")
	if code != 0 || !regexp.MustCompile(`^futlint version \S+( comments-go-here)? buildID=[0-9a-f]{64}\n$`).MatchString(stdout) {
		t.Errorf("-V=full: exit %d, %q; want go vet's format", code, stdout)
	}
}

// TestHelpAfterFlags: help follows flags, and -vet adds go vet's
// analyzers to it.
func TestHelpAfterFlags(t *testing.T) {
	t.Parallel()
	stdout, stderr, code := run(t, e2eDir, "", "-vet", "help", "printf")
	if code != 0 || !strings.HasPrefix(stdout, "printf: ") {
		t.Errorf("-vet help printf: exit %d, stdout %.80q, stderr %q", code, stdout, stderr)
	}
	stdout, _, code = run(t, e2eDir, "", "-leakedgoroutine.strict=false", "help", "leakedgoroutine")
	if code != 0 || !strings.HasPrefix(stdout, "leakedgoroutine: ") {
		t.Errorf("flags then help leakedgoroutine: exit %d, stdout %.80q", code, stdout)
	}
}

// repoPrefix is dir relative to the root of its git repository, with a
// trailing slash ("" outside a repository, where SARIF URIs are relative
// to the module root).
func repoPrefix(t *testing.T, dir string) string {
	t.Helper()
	cmd := exec.Command("git", "rev-parse", "--show-prefix")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// TestSARIFSchemaE2E: the SARIF log of the fixture, and of a module with
// a broken package (a toolExecutionNotification), validate against the
// official 2.1.0 schema (the copy in internal/sarif/testdata).
func TestSARIFSchemaE2E(t *testing.T) {
	t.Parallel()
	f, err := os.Open("../../internal/sarif/testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AddResource("sarif.json", schemaDoc)
	schema, err := c.Compile("sarif.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{e2eDir, brokenDir} {
		r := coldRun(t, dir, "-format=sarif", "./...")
		stdout, stderr, code := r.stdout, r.stderr, r.code
		if code != 3 && code != 1 {
			t.Errorf("%s: exit %d; stderr:\n%s", dir, code, stderr)
		}
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(stdout))
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		if err := schema.Validate(doc); err != nil {
			t.Errorf("%s: SARIF does not validate: %v", dir, err)
		}
		if dir == brokenDir && !strings.Contains(stdout, `"toolExecutionNotifications"`) {
			t.Errorf("broken module: no toolExecutionNotifications:\n%s", stdout)
		}
		if !strings.Contains(stdout, `"partialFingerprints"`) && dir == e2eDir {
			t.Errorf("no partialFingerprints")
		}
	}
}
