// Command e2echeck compares the findings a futlint route printed with the
// expectation markers of an end-to-end fixture (testdata/README.md):
//
//	x++ // want unlockedinc "unsynchronized increment of x"
//	// want+1 futlintdirective "needs a reason"
//
// The marker syntax (testdata/README.md) is that of cmd/futlint's
// e2e_test.go: a Go string literal holds the regexp.
//
// It reads findings, one per line in the form
// "file:line:col: analyzer: message", from standard input; other lines
// (summaries, source excerpts) are ignored, and golangci-lint's
// " (futlint)" suffix is dropped. Every marker must match exactly one
// finding on its line and every finding must match a marker.
//
//	futlint ./... | go run ./scripts/e2echeck -root testdata/e2e -name "futlint"
//
// A marker naming an analyzer futlint does not register
// (internal/analyzers) is a failure, not a skip; -disable names analyzers
// turned off by the route's configuration, and -without drops the markers
// of findings an analyzer option turns off. Exit status 0 means the findings are as
// expected, 1 that they are not.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/futlint/futlint/internal/analyzers"
)

type marker struct {
	file     string // slash-separated, relative to the fixture root
	line     int
	analyzer string
	re       *regexp.Regexp
	matched  bool
}

type finding struct {
	file              string
	line              int
	analyzer, message string
	text              string
}

var (
	root    = flag.String("root", "testdata/e2e", "fixture root: markers are read from its .go files")
	base    = flag.String("base", ".", "directory relative finding paths are relative to")
	disable = flag.String("disable", "", "comma-separated analyzers whose markers are not expected")
	name    = flag.String("name", "e2e", "name of the route, for the verdict")
	without markerFilters
)

func init() {
	flag.Var(&without, "without", "ANALYZER:TEXT: drop the markers of ANALYZER whose regexp contains TEXT (findings an option turns off; repeatable)")
}

// markerFilters is the repeatable -without flag.
type markerFilters []string

func (f *markerFilters) String() string     { return strings.Join(*f, " ") }
func (f *markerFilters) Set(s string) error { *f = append(*f, s); return nil }

// drops reports whether a -without filter removes m.
func (f markerFilters) drops(m *marker) bool {
	for _, w := range f {
		analyzer, text, _ := strings.Cut(w, ":")
		if m.analyzer == analyzer && strings.Contains(m.re.String(), text) {
			return true
		}
	}
	return false
}

func main() {
	flag.Parse()
	all, err := readMarkers(*root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2echeck:", err)
		os.Exit(1)
	}
	var registered []string
	for _, a := range analyzers.All() {
		registered = append(registered, a.Name)
	}
	var markers []*marker
	var problems []string
	skipped := make(map[string]int)
	for _, m := range all {
		if !slices.Contains(registered, m.analyzer) {
			problems = append(problems, fmt.Sprintf("marker for unregistered analyzer: %s:%d: %s (futlint registers %s)", m.file, m.line, m.analyzer, strings.Join(registered, ", ")))
			continue
		}
		if !slices.Contains(strings.Split(*disable, ","), m.analyzer) && !without.drops(m) {
			markers = append(markers, m)
		} else {
			skipped[m.analyzer]++
		}
	}
	if len(skipped) > 0 {
		var s []string
		for _, a := range slices.Sorted(maps.Keys(skipped)) {
			s = append(s, fmt.Sprintf("%s (%d)", a, skipped[a]))
		}
		fmt.Printf("     %s: markers not expected (analyzer disabled, or -without): %s\n", *name, strings.Join(s, ", "))
	}
	findings, err := readFindings(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2echeck:", err)
		os.Exit(1)
	}
	for _, f := range findings {
		i := slices.IndexFunc(markers, func(m *marker) bool {
			return !m.matched && m.file == f.file && m.line == f.line && m.analyzer == f.analyzer && m.re.MatchString(f.message)
		})
		if i < 0 {
			problems = append(problems, "unexpected finding: "+f.text)
			continue
		}
		markers[i].matched = true
	}
	for _, m := range markers {
		if !m.matched {
			problems = append(problems, fmt.Sprintf("missing finding: %s:%d: %s %q", m.file, m.line, m.analyzer, m.re))
		}
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Println("  " + p)
		}
		fmt.Printf("FAIL %s: %d findings, %d markers, %d mismatches\n", *name, len(findings), len(markers), len(problems))
		os.Exit(1)
	}
	fmt.Printf("ok   %s: %d findings, as the markers expect\n", *name, len(findings))
}

// markerRE matches "// want[+N] " and captures N and the rest of the line.
var markerRE = regexp.MustCompile(`//\s*want(?:\+(\d+))?\s+(.*)$`)

func readMarkers(root string) ([]*marker, error) {
	var markers []*marker
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		for i, text := range strings.Split(string(data), "\n") {
			sub := markerRE.FindStringSubmatch(text)
			if sub == nil {
				continue
			}
			line := i + 1
			if sub[1] != "" {
				n, _ := strconv.Atoi(sub[1])
				line += n
			}
			// One or more: ANALYZER "regexp"
			rest := strings.TrimSpace(sub[2])
			for rest != "" {
				analyzer, after, _ := strings.Cut(rest, " ")
				quoted, err := strconv.QuotedPrefix(strings.TrimSpace(after))
				if err != nil {
					return fmt.Errorf("%s:%d: malformed marker %q: want ANALYZER followed by a Go string literal", path, i+1, sub[0])
				}
				pattern, _ := strconv.Unquote(quoted)
				tail := strings.TrimSpace(after)[len(quoted):]
				re, err := regexp.Compile(pattern)
				if err != nil {
					return fmt.Errorf("%s:%d: %v", path, i+1, err)
				}
				markers = append(markers, &marker{file: filepath.ToSlash(rel), line: line, analyzer: analyzer, re: re})
				rest = strings.TrimSpace(tail)
			}
		}
		return nil
	})
	return markers, err
}

// findingRE matches "file.go:line:col: analyzer: message".
var findingRE = regexp.MustCompile(`^(\S+\.go):(\d+):(?:\d+:)? ([a-z]+): (.*?)(?: \(futlint\))?$`)

func readFindings(f *os.File) ([]finding, error) {
	absRoot, err := filepath.Abs(*root)
	if err != nil {
		return nil, err
	}
	var findings []finding
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		text := strings.TrimSpace(sc.Text())
		sub := findingRE.FindStringSubmatch(text)
		if sub == nil {
			continue
		}
		path := sub[1]
		if !filepath.IsAbs(path) {
			path = filepath.Join(*base, path)
		}
		path, err := filepath.Abs(path)
		if err != nil {
			return nil, err
		}
		if rel, err := filepath.Rel(absRoot, path); err == nil {
			path = filepath.ToSlash(rel)
		}
		line, _ := strconv.Atoi(sub[2])
		findings = append(findings, finding{file: path, line: line, analyzer: sub[3], message: sub[4], text: text})
	}
	return findings, sc.Err()
}
