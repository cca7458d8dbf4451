package main

// Adopting futlint on existing code: -new-from-rev reports only findings
// on lines changed since a revision, and a baseline file lists the
// findings already known, which are not reported again.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/futlint/futlint/internal/driver"
)

// changedLines is what `git diff REV` says changed in the work tree:
// for each file (absolute path) the line ranges of its new version that
// are added or modified, and the files git does not track (all new).
type changedLines struct {
	rev     string
	ranges  map[string][][2]int // [first, last] lines, 1-based
	newFile map[string]bool
}

// changedSince runs git in the current directory's repository.
func changedSince(rev string) (*changedLines, error) {
	top, err := gitOutput("rev-parse", "--show-toplevel")
	if err != nil {
		return nil, fmt.Errorf("-new-from-rev needs a git repository: %v", err)
	}
	top = strings.TrimSpace(top)
	if _, err := gitOutput("rev-parse", "--verify", "--quiet", rev+"^{commit}"); err != nil {
		return nil, fmt.Errorf("-new-from-rev=%s: not a revision of %s", rev, top)
	}
	// The work tree (staged and unstaged changes) against rev, paths
	// relative to the top, no context: each hunk's + range is new.
	diff, err := gitOutput("-C", top, "diff", "--no-color", "--no-ext-diff", "--no-renames", "--src-prefix=a/", "--dst-prefix=b/", "-U0", rev, "--")
	if err != nil {
		return nil, err
	}
	c := &changedLines{rev: rev, ranges: make(map[string][][2]int), newFile: make(map[string]bool)}
	var file string
	hunk := regexp.MustCompile(`^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@`)
	sc := bufio.NewScanner(strings.NewReader(diff))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "+++ "):
			file = ""
			if name, ok := strings.CutPrefix(line, "+++ b/"); ok {
				file = filepath.Join(top, filepath.FromSlash(unquote(name)))
			}
		case strings.HasPrefix(line, "@@ ") && file != "":
			m := hunk.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			start, _ := strconv.Atoi(m[1])
			count := 1
			if m[2] != "" {
				count, _ = strconv.Atoi(m[2])
			}
			if count > 0 {
				c.ranges[file] = append(c.ranges[file], [2]int{start, start + count - 1})
			}
		}
	}
	untracked, err := gitOutput("-C", top, "ls-files", "--others", "--exclude-standard", "-z")
	if err != nil {
		return nil, err
	}
	for name := range strings.SplitSeq(untracked, "\x00") {
		if name != "" {
			c.newFile[filepath.Join(top, filepath.FromSlash(name))] = true
		}
	}
	return c, nil
}

func unquote(name string) string {
	if strings.HasPrefix(name, `"`) {
		if s, err := strconv.Unquote(name); err == nil {
			return s
		}
	}
	return name
}

func gitOutput(args ...string) (string, error) {
	var stderr bytes.Buffer
	cmd := exec.Command("git", args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}

// keep reports whether f is on a line changed since the revision.
func (c *changedLines) keep(f driver.Finding) bool {
	p := driver.ParsePosn(f.Posn)
	file := p.File
	if real, err := filepath.EvalSymlinks(file); err == nil {
		file = real
	}
	if c.newFile[file] || c.newFile[p.File] {
		return true
	}
	for _, r := range append(c.ranges[file], c.ranges[p.File]...) {
		if r[0] <= p.Line && p.Line <= r[1] {
			return true
		}
	}
	return false
}

// A baseline is a file of known findings, matched by analyzer, file and
// message (with line numbers in the message left out), never by line, so
// that edits above a finding do not bring it back. Each entry hides one
// finding: a second identical finding in the same file is new.
type baseline struct {
	Comment  string          `json:"comment"`
	Findings []baselineEntry `json:"findings"`
}

type baselineEntry struct {
	Analyzer string `json:"analyzer"`
	File     string `json:"file"` // slash-separated, relative to the baseline file's directory
	Message  string `json:"message"`
}

const baselineComment = "futlint baseline: findings known when it was written, not reported again (futlint -baseline=FILE). Matched by analyzer, file and message, not by line. Regenerate with futlint -write-baseline=FILE ./..."

// lineRefs are the positions messages mention ("at counter.go:13",
// "line 17"): they move with edits, so matching ignores them.
var lineRefs = regexp.MustCompile(`(\.go):\d+(:\d+)?|\bline \d+`)

func normalizeMessage(msg string) string {
	return lineRefs.ReplaceAllStringFunc(msg, func(s string) string {
		if strings.HasPrefix(s, "line ") {
			return "line N"
		}
		return s[:strings.IndexByte(s, ':')]
	})
}

func baselineKey(dir string, f driver.Finding) baselineEntry {
	file := driver.ParsePosn(f.Posn).File
	if real, err := filepath.EvalSymlinks(file); err == nil {
		if rdir, err := filepath.EvalSymlinks(dir); err == nil {
			dir, file = rdir, real
		}
	}
	if rel, err := filepath.Rel(dir, file); err == nil {
		file = rel
	}
	return baselineEntry{Analyzer: f.Analyzer, File: filepath.ToSlash(file), Message: normalizeMessage(f.Message)}
}

func writeBaseline(name string, findings []driver.Finding) error {
	dir, err := filepath.Abs(filepath.Dir(name))
	if err != nil {
		return err
	}
	b := baseline{Comment: baselineComment, Findings: []baselineEntry{}}
	for _, f := range findings {
		b.Findings = append(b.Findings, baselineKey(dir, f))
	}
	slices.SortFunc(b.Findings, func(x, y baselineEntry) int {
		return strings.Compare(x.File+"\x00"+x.Analyzer+"\x00"+x.Message, y.File+"\x00"+y.Analyzer+"\x00"+y.Message)
	})
	data, err := json.MarshalIndent(b, "", "\t")
	if err != nil {
		return err
	}
	return os.WriteFile(name, append(data, '\n'), 0o666)
}

// filterBaseline drops the findings the baseline file lists.
func filterBaseline(name string, findings []driver.Finding) ([]driver.Finding, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("-baseline: %v", err)
	}
	var b baseline
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("-baseline: %s: %v (write one with -write-baseline=%s)", name, err, name)
	}
	dir, err := filepath.Abs(filepath.Dir(name))
	if err != nil {
		return nil, err
	}
	known := make(map[baselineEntry]int)
	for _, e := range b.Findings {
		e.Message = normalizeMessage(e.Message)
		known[e]++
	}
	var kept []driver.Finding
	for _, f := range findings {
		k := baselineKey(dir, f)
		if known[k] > 0 {
			known[k]--
			continue
		}
		kept = append(kept, f)
	}
	return kept, nil
}

// filterTree keeps in a JSON result tree only the diagnostics of kept.
func filterTree(tree map[string]map[string]json.RawMessage, kept []driver.Finding) {
	type key struct{ analyzer, posn, message string }
	keep := make(map[key]bool)
	for _, f := range kept {
		keep[key{f.Analyzer, f.Posn, f.Message}] = true
	}
	for _, byAnalyzer := range tree {
		for name, raw := range byAnalyzer {
			var list []map[string]any
			if json.Unmarshal(raw, &list) != nil {
				continue // an error, left as it is
			}
			out := list[:0]
			for _, d := range list {
				posn, _ := d["posn"].(string)
				msg, _ := d["message"].(string)
				if keep[key{name, posn, msg}] {
					out = append(out, d)
				}
			}
			if len(out) == len(list) {
				continue
			}
			if len(out) == 0 {
				delete(byAnalyzer, name)
				continue
			}
			if data, err := json.Marshal(out); err == nil {
				byAnalyzer[name] = data
			}
		}
	}
}
