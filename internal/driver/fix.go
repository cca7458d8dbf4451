package driver

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
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
			rel := RelPath(dir, file)
			writeDiff(w, rel, old, edits)
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

// writeDiff writes a unified diff of the edits (sorted, non-overlapping)
// to old, with three lines of context, one hunk per group of nearby edits.
func writeDiff(w io.Writer, name string, old []byte, edits []TextEdit) {
	lines := splitLines(old)
	// lineOf returns the index of the line containing byte offset off.
	starts := make([]int, len(lines)+1)
	for i, l := range lines {
		starts[i+1] = starts[i] + len(l)
	}
	lineOf := func(off int) int {
		i, _ := slices.BinarySearch(starts, off+1)
		return max(i-1, 0)
	}
	type change struct {
		from, to int      // old lines [from, to)
		repl     []string // new lines
	}
	var changes []change
	for _, e := range edits {
		from := lineOf(e.Start)
		to := lineOf(max(e.End-1, e.Start)) + 1
		if e.End == e.Start {
			to = from + 1
		}
		to = min(to, len(lines))
		if n := len(changes); n > 0 && changes[n-1].to > from {
			// Same line as the previous edit: redo it with both.
			from = changes[n-1].from
			changes = changes[:n-1]
		}
		changes = append(changes, change{from: from, to: to})
	}
	// Compute the replacement lines of each change from the edited text.
	for i := range changes {
		c := &changes[i]
		start, end := starts[c.from], starts[c.to]
		var text strings.Builder
		pos := start
		for _, e := range edits {
			if e.Start < start || e.Start >= end && !(e.Start == end && e.End == end && end == len(old)) {
				continue
			}
			text.Write(old[pos:e.Start])
			text.WriteString(e.New)
			pos = e.End
		}
		text.Write(old[pos:end])
		c.repl = splitLines([]byte(text.String()))
	}
	fmt.Fprintf(w, "--- %s (old)\n+++ %s (new)\n", name, name)
	const context = 3
	for i := 0; i < len(changes); {
		j := i
		for j+1 < len(changes) && changes[j+1].from-changes[j].to <= 2*context {
			j++
		}
		from := max(changes[i].from-context, 0)
		to := min(changes[j].to+context, len(lines))
		var body strings.Builder
		newCount := 0
		pos := from
		for _, c := range changes[i : j+1] {
			for _, l := range lines[pos:c.from] {
				body.WriteString(" " + withNewline(l))
				newCount++
			}
			for _, l := range lines[c.from:c.to] {
				body.WriteString("-" + withNewline(l))
			}
			for _, l := range c.repl {
				body.WriteString("+" + withNewline(l))
				newCount++
			}
			pos = c.to
		}
		for _, l := range lines[pos:to] {
			body.WriteString(" " + withNewline(l))
			newCount++
		}
		newFrom := from + 1
		for _, c := range changes[:i] {
			newFrom += len(c.repl) - (c.to - c.from)
		}
		fmt.Fprintf(w, "@@ -%d,%d +%d,%d @@\n%s", from+1, to-from, newFrom, newCount, body.String())
		i = j + 1
	}
}

func splitLines(data []byte) []string {
	var lines []string
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			lines = append(lines, string(data))
			break
		}
		lines = append(lines, string(data[:i+1]))
		data = data[i+1:]
	}
	return lines
}

func withNewline(l string) string {
	if strings.HasSuffix(l, "\n") {
		return l
	}
	return l + "\n\\ No newline at end of file\n"
}
