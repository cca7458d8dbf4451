package driver

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestFixDiffRoundTrip checks on random multi-edit fixes that the diff
// -fix -diff prints is one `git apply` takes and that applying it gives
// exactly what -fix writes: edits that join or split lines, insert at the
// start or at the end of a file with or without a final newline, delete
// whole lines, and edits that change nothing.
func TestFixDiffRoundTrip(t *testing.T) {
	git, err := exec.LookPath("git")
	if err != nil {
		t.Fatal("git is needed for this test: install it")
	}
	const cases = 300
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range cases {
		files := 1 + rng.IntN(2)
		fixedDir, diffDir := t.TempDir(), t.TempDir()
		var findings []Finding
		for f := range files {
			name := fmt.Sprintf("f%d.go", f)
			content := randomText(rng)
			for _, dir := range []string{fixedDir, diffDir} {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o666); err != nil {
					t.Fatal(err)
				}
			}
			for _, edits := range randomEdits(rng, content) {
				fix := SuggestedFix{Message: "fix"}
				for _, e := range edits {
					e.Filename = filepath.Join(fixedDir, name)
					fix.Edits = append(fix.Edits, e)
				}
				findings = append(findings, Finding{Analyzer: "test", Posn: name + ":1:1", Message: "m", SuggestedFixes: []SuggestedFix{fix}})
			}
		}

		var diff bytes.Buffer
		if err := ApplyFixes(&diff, fixedDir, findings, true); err != nil {
			t.Fatalf("case %d: -diff: %v", i, err)
		}
		if err := ApplyFixes(nil, fixedDir, findings, false); err != nil {
			t.Fatalf("case %d: -fix: %v", i, err)
		}
		if diff.Len() > 0 {
			cmd := exec.Command(git, "apply", "-")
			cmd.Dir = diffDir
			cmd.Stdin = bytes.NewReader(diff.Bytes())
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("case %d: git apply: %v\n%s\ndiff:\n%s", i, err, out, diff.String())
			}
		}
		for f := range files {
			name := fmt.Sprintf("f%d.go", f)
			want, _ := os.ReadFile(filepath.Join(fixedDir, name))
			got, _ := os.ReadFile(filepath.Join(diffDir, name))
			if !bytes.Equal(got, want) {
				t.Fatalf("case %d: %s after git apply differs from -fix\ngot:\n%q\nwant:\n%q\ndiff:\n%s", i, name, got, want, diff.String())
			}
		}
	}
}

// TestFixDiffNoNoopPairs: an edit that rewrites a line to itself, next to
// one that changes another line, shows only the changed line.
func TestFixDiffNoNoopPairs(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a.go")
	content := "package a\n\nfunc f() {\n\tfor {\n\t}\n}\n"
	os.WriteFile(file, []byte(content), 0o666)
	loop := strings.Index(content, "for {")
	findings := []Finding{{Analyzer: "x", Posn: file + ":4:2", Message: "m", SuggestedFixes: []SuggestedFix{{Message: "fix", Edits: []TextEdit{
		{Filename: file, Start: loop, End: loop + len("for {"), New: "for {"},
		{Filename: file, Start: loop + len("for {\n"), End: loop + len("for {\n"), New: "\t\treturn\n"},
	}}}}}
	var diff bytes.Buffer
	if err := ApplyFixes(&diff, dir, findings, true); err != nil {
		t.Fatal(err)
	}
	want := "--- a/a.go\n+++ b/a.go\n@@ -2,5 +2,6 @@\n \n func f() {\n \tfor {\n+\t\treturn\n \t}\n }\n"
	if diff.String() != want {
		t.Errorf("diff:\n%s\nwant:\n%s", diff.String(), want)
	}
}

// randomText is a few short lines, sometimes without a final newline,
// sometimes empty.
func randomText(rng *rand.Rand) string {
	var b strings.Builder
	n := rng.IntN(12)
	for i := range n {
		fmt.Fprintf(&b, "line %d %s", i, strings.Repeat("x", rng.IntN(4)))
		if i < n-1 || rng.IntN(3) > 0 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// randomEdits returns 1-3 fixes of 1-3 edits each, none overlapping
// another: replacements, deletions (joining lines when they cover a
// newline), insertions of text with and without newlines, and no-ops.
func randomEdits(rng *rand.Rand, content string) [][]TextEdit {
	// Choose distinct sorted cut points, then pair them into spans.
	var points []int
	for range 2 * (1 + rng.IntN(6)) {
		points = append(points, rng.IntN(len(content)+1))
	}
	// Favour the interesting places: start, end, newlines.
	if rng.IntN(3) == 0 {
		points = append(points, len(content), len(content))
	}
	if rng.IntN(4) == 0 {
		points = append(points, 0, 0)
	}
	if i := strings.IndexByte(content, '\n'); i >= 0 && rng.IntN(2) == 0 {
		points = append(points, i, i+1)
	}
	slices.Sort(points)
	var spans []TextEdit
	last := -1
	for i := 0; i+1 < len(points); i += 2 {
		start, end := points[i], points[i+1]
		if start <= last || start == end && start == last {
			continue // overlapping or a second insertion at one offset
		}
		var repl string
		switch rng.IntN(5) {
		case 0: // delete
		case 1:
			repl = content[start:end] // a no-op
		case 2:
			repl = "new\n"
		case 3:
			repl = "\nnew"
		default:
			repl = "x"
		}
		spans = append(spans, TextEdit{Start: start, End: end, New: repl})
		last = end
	}
	var fixes [][]TextEdit
	for len(spans) > 0 {
		n := min(1+rng.IntN(3), len(spans))
		fixes = append(fixes, spans[:n])
		spans = spans[n:]
	}
	return fixes
}

// TestPrintTextRelated: related positions print under their finding, as
// go vet prints them.
func TestPrintTextRelated(t *testing.T) {
	var buf bytes.Buffer
	PrintText(&buf, "/m", []Finding{{
		Analyzer: "unlockedinc", Posn: "/m/a/a.go:5:3", Message: "unsynchronized increment of n",
		Related: []RelatedFinding{{Posn: "/m/a/a.go:3:2", Message: "the goroutine is started here"}},
	}})
	want := "a/a.go:5:3: unlockedinc: unsynchronized increment of n\na/a.go:3:2: \tthe goroutine is started here\n"
	if buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}
