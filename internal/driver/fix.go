package driver

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/aymanbagabas/go-udiff"
)

// ApplyFixes applies the first suggested fix of each finding, as the
// multichecker's -fix does. Identical edits (a package and its test
// variant report the same fix) are applied once; a fix that overlaps one
// already accepted is skipped and reported. With diff, the files are left
// alone and a unified diff is written to w instead.
func ApplyFixes(w io.Writer, dir string, findings []Finding, diff bool) error {
	byFile := make(map[string][]TextEdit)
	var skipped []string
	for _, f := range findings {
		if len(f.SuggestedFixes) == 0 {
			continue
		}
		fix := f.SuggestedFixes[0]
		if conflicts(byFile, fix.Edits) {
			skipped = append(skipped, fmt.Sprintf("%s: %s: fix %q conflicts with another fix; apply it after this run", f.Posn, f.Analyzer, fix.Message))
			continue
		}
		for _, e := range fix.Edits {
			if !slices.Contains(byFile[e.Filename], e) {
				byFile[e.Filename] = append(byFile[e.Filename], e)
			}
		}
	}
	files := make([]string, 0, len(byFile))
	for file := range byFile {
		files = append(files, file)
	}
	slices.Sort(files)
	for _, file := range files {
		old, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		edits := byFile[file]
		slices.SortFunc(edits, func(a, b TextEdit) int { return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End)) })
		var out bytes.Buffer
		last := 0
		for _, e := range edits {
			if e.Start < last || e.End > len(old) || e.Start > e.End {
				return fmt.Errorf("%s: invalid edit at offset %d", file, e.Start)
			}
			out.Write(old[last:e.Start])
			out.WriteString(e.New)
			last = e.End
		}
		out.Write(old[last:])
		if diff {
			if err := writeDiff(w, RelPath(dir, file), old, out.Bytes()); err != nil {
				return err
			}
			continue
		}
		if err := os.WriteFile(file, out.Bytes(), 0o666); err != nil {
			return err
		}
	}
	if len(skipped) > 0 {
		return fmt.Errorf("%s", strings.Join(skipped, "\n"))
	}
	return nil
}

// conflicts reports whether edits overlap an accepted edit without being
// identical to it.
func conflicts(byFile map[string][]TextEdit, edits []TextEdit) bool {
	for _, e := range edits {
		for _, o := range byFile[e.Filename] {
			if e == o {
				continue
			}
			if e.Start < o.End && o.Start < e.End || e.Start == o.Start {
				return true
			}
		}
	}
	return false
}

// writeDiff writes a unified diff from old to new of the file name
// (relative to the directory futlint runs in), with a/ and b/ prefixes and
// three lines of context, the form `git apply` and `patch -p1` take.
// The diff is computed from the two texts by go-udiff (the x/tools diff
// that gopls and go vet -diff use, published as a module), so lines an
// edit rewrites to themselves are context, not a -/+ pair.
func writeDiff(w io.Writer, name string, old, new []byte) error {
	name = filepath.ToSlash(name)
	_, err := io.WriteString(w, udiff.Unified("a/"+name, "b/"+name, string(old), string(new)))
	return err
}
