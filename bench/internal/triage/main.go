// Command triage lists futlint's findings on pinned real modules and
// compares them with the verdicts a person committed, for bench/triage/run.
//
//	triage list JSONFILE            findings of one -json run, a TSV row each
//	triage summary FINDINGS VERDICTS  markdown: per analyzer and module, the
//	                                  findings judged true, true-by-rule or
//	                                  false, and the findings nobody judged
//
// A finding row is "module@version<TAB>file:line<TAB>analyzer<TAB>grade<TAB>message",
// with file relative to the module's root; the grade is "policy" for
// leakedgoroutine's "not joined" findings, "harm" for its harmful unjoined classes
// (outlives its test or owner, never ends), "leak" for its other findings
// and "-" for the other analyzers. A verdict row (bench/triage/ANALYZER.tsv)
// is "module@version<TAB>file:line<TAB>verdict<TAB>reason", verdict one of
// true, true-by-rule, false; '#' starts a comment line.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"golang.org/x/mod/module"

	"github.com/futlint/futlint/bench/internal/jsontree"
)

func main() {
	var err error
	switch {
	case len(os.Args) == 3 && os.Args[1] == "list":
		err = list(os.Args[2], os.Stdout)
	case len(os.Args) == 4 && os.Args[1] == "summary":
		err = summary(os.Args[2], os.Args[3], os.Stdout)
	default:
		fmt.Fprintln(os.Stderr, "usage: triage list JSONFILE | triage summary FINDINGS.tsv VERDICTDIR")
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "triage:", err)
		os.Exit(1)
	}
}

type finding struct {
	module, place, analyzer, grade, message string
}

func (f finding) key() string { return f.analyzer + "\x00" + f.module + "\x00" + f.place }

// list prints the findings of futlint -json output (one or more trees of
// package -> analyzer -> diagnostics), deduplicated over test variants and
// sorted.
func list(file string, w io.Writer) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	var rows []string
	err = jsontree.Each(data, func(name string, diags []jsontree.Diagnostic) {
		for _, d := range diags {
			mod, place := locate(d.Posn)
			row := strings.Join([]string{mod, place, name, grade(name, d.Message), oneLine(d.Message)}, "\t")
			if !seen[row] {
				seen[row] = true
				rows = append(rows, row)
			}
		}
	})
	if err != nil {
		return fmt.Errorf("%s: %v", file, err)
	}
	slices.Sort(rows)
	for _, r := range rows {
		fmt.Fprintln(w, r)
	}
	return nil
}

// grade tells leakedgoroutine's structured-concurrency policy findings
// ("not joined") from its leaks, whose precision targets differ.
func grade(analyzer, msg string) string {
	if analyzer != "leakedgoroutine" {
		return "-"
	}
	if strings.Contains(msg, "is not joined") {
		return "policy"
	}
	if strings.HasPrefix(msg, "goroutine outlives its") || strings.HasPrefix(msg, "goroutine never ends") {
		return "harm" // issue 17: unjoined goroutines that break something
	}
	return "leak"
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\t", " ") }

// locate turns an absolute "file:line:col" into the module it belongs to
// and "file:line" relative to the module's root.
func locate(posn string) (mod, place string) {
	file, line := posn, ""
	// Drop the column, then split the line off.
	for range 2 {
		if i := strings.LastIndexByte(file, ':'); i > 0 {
			line, file = file[i+1:]+":"+line, file[:i]
		}
	}
	line = strings.SplitN(strings.TrimSuffix(line, ":"), ":", 2)[0]
	file = filepath.ToSlash(file)
	if goroot := filepath.ToSlash(runtime.GOROOT()) + "/src/"; strings.HasPrefix(file, goroot) {
		return "std@" + runtime.Version(), strings.TrimPrefix(file, goroot) + ":" + line
	}
	if i := strings.Index(file, "/pkg/mod/"); i >= 0 {
		rest := file[i+len("/pkg/mod/"):]
		if at := strings.IndexByte(rest, '@'); at > 0 {
			escPath := rest[:at]
			verAndFile := rest[at+1:]
			ver, f, _ := strings.Cut(verAndFile, "/")
			if p, err := module.UnescapePath(escPath); err == nil {
				escPath = p
			}
			return escPath + "@" + ver, f + ":" + line
		}
	}
	return "-", file + ":" + line
}

var verdicts = []string{"true", "true-by-rule", "false"}

type verdict struct {
	verdict, reason string
}

// summary prints, per analyzer and module, the counts of each verdict over
// the current findings, then the findings without a verdict and the
// verdicts whose finding is gone.
func summary(findingsFile, verdictDir string, w io.Writer) error {
	fs, err := readFindings(findingsFile)
	if err != nil {
		return err
	}
	judged := map[string]verdict{}
	var analyzers []string
	for _, f := range fs {
		if !slices.Contains(analyzers, f.analyzer) {
			analyzers = append(analyzers, f.analyzer)
		}
	}
	entries, _ := filepath.Glob(filepath.Join(verdictDir, "*.tsv"))
	for _, e := range entries {
		name := strings.TrimSuffix(filepath.Base(e), ".tsv")
		if !slices.Contains(analyzers, name) {
			analyzers = append(analyzers, name)
		}
		if err := readVerdicts(e, name, judged); err != nil {
			return err
		}
	}
	slices.Sort(analyzers)

	fmt.Fprintln(w, "| analyzer | module | grade | findings | true | true-by-rule | false | unjudged | true / judged | not false / judged |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|")
	type group struct{ analyzer, module, grade string }
	counts := map[group]map[string]int{}
	var groups []group
	current := map[string]bool{}
	var unjudged []finding
	for _, f := range fs {
		current[f.key()] = true
		g := group{f.analyzer, f.module, f.grade}
		if counts[g] == nil {
			counts[g] = map[string]int{}
			groups = append(groups, g)
		}
		counts[g]["findings"]++
		if v, ok := judged[f.key()]; ok {
			counts[g][v.verdict]++
		} else {
			counts[g]["unjudged"]++
			unjudged = append(unjudged, f)
		}
	}
	slices.SortFunc(groups, func(a, b group) int {
		return strings.Compare(a.analyzer+a.grade+a.module, b.analyzer+b.grade+b.module)
	})
	for _, g := range groups {
		c := counts[g]
		strict, lax := "-", "-"
		if n := c["true"] + c["true-by-rule"] + c["false"]; n > 0 {
			strict = fmt.Sprintf("%d%%", (100*c["true"]+n/2)/n)
			lax = fmt.Sprintf("%d%%", (100*(c["true"]+c["true-by-rule"])+n/2)/n)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %d | %d | %d | %d | %d | %s | %s |\n", g.analyzer, g.module, g.grade,
			c["findings"], c["true"], c["true-by-rule"], c["false"], c["unjudged"], strict, lax)
	}
	if len(unjudged) > 0 {
		fmt.Fprintf(w, "\n%d findings have no verdict yet:\n\n", len(unjudged))
		for _, f := range unjudged {
			fmt.Fprintf(w, "- %s %s %s: %s\n", f.analyzer, f.module, f.place, f.message)
		}
	}
	var stale []string
	for k := range judged {
		if !current[k] {
			stale = append(stale, strings.ReplaceAll(k, "\x00", " "))
		}
	}
	slices.Sort(stale)
	if len(stale) > 0 {
		fmt.Fprintf(w, "\n%d verdicts match no current finding (fixed, or the line moved):\n\n", len(stale))
		for _, s := range stale {
			fmt.Fprintf(w, "- %s\n", s)
		}
	}
	return nil
}

func readFindings(file string) ([]finding, error) {
	var fs []finding
	err := eachRow(file, 5, func(cols []string) error {
		fs = append(fs, finding{cols[0], cols[1], cols[2], cols[3], cols[4]})
		return nil
	})
	return fs, err
}

func readVerdicts(file, analyzer string, into map[string]verdict) error {
	return eachRow(file, 4, func(cols []string) error {
		if !slices.Contains(verdicts, cols[2]) {
			return fmt.Errorf("verdict %q is none of %v", cols[2], verdicts)
		}
		into[analyzer+"\x00"+cols[0]+"\x00"+cols[1]] = verdict{cols[2], cols[3]}
		return nil
	})
}

// eachRow calls fn with the n tab-separated columns of every row of a TSV
// file, skipping blank and '#' lines.
func eachRow(file string, n int, fn func([]string) error) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		cols := strings.SplitN(text, "\t", n)
		if len(cols) != n {
			return fmt.Errorf("%s:%d: want %d tab-separated columns, have %d", file, line, n, len(cols))
		}
		if err := fn(cols); err != nil {
			return fmt.Errorf("%s:%d: %v", file, line, err)
		}
	}
	return sc.Err()
}
