// Command findings counts futlint's findings per analyzer for bench/soak.
//
//	findings names             the analyzers futlint registers, one a line
//	findings text TARGET FILE  count "file:line:col: analyzer: message" lines
//	findings json TARGET FILE  count diagnostics in -json output
//
// Counts are printed as "TARGET<TAB>ANALYZER<TAB>N" for every registered
// analyzer, zeros included, so that a finding appearing where there was
// none shows in the committed counts file. A finding reported for a package
// and again for its test variant is counted once.
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"regexp"

	"github.com/futlint/futlint/bench/internal/jsontree"
	"github.com/futlint/futlint/internal/analyzers"
)

func main() {
	if len(os.Args) == 2 && os.Args[1] == "names" {
		for _, name := range names() {
			fmt.Println(name)
		}
		return
	}
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: findings names | findings text|json TARGET FILE")
		os.Exit(2)
	}
	data, err := os.ReadFile(os.Args[3])
	if err != nil {
		fatal(err)
	}
	var seen map[string]map[string]bool
	switch os.Args[1] {
	case "text":
		seen, err = countText(data)
	case "json":
		seen, err = countJSON(data)
	default:
		err = fmt.Errorf("unknown mode %q", os.Args[1])
	}
	if err != nil {
		fatal(err)
	}
	for _, name := range names() {
		fmt.Printf("%s\t%s\t%d\n", os.Args[2], name, len(seen[name]))
	}
}

func names() []string {
	var ns []string
	for _, a := range analyzers.All() {
		ns = append(ns, a.Name)
	}
	return ns
}

var textFinding = regexp.MustCompile(`^(.+:\d+:\d+): ([a-z0-9_]+): (.*)$`)

// countText attributes each "posn: analyzer: message" line; it fails on a
// line that looks like a finding but names no known analyzer (the stock
// multichecker's format), so the caller can fall back to -json.
func countText(data []byte) (map[string]map[string]bool, error) {
	known := map[string]bool{}
	for _, n := range names() {
		known[n] = true
	}
	seen := map[string]map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		line := sc.Text()
		m := textFinding.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if !known[m[2]] {
			return nil, fmt.Errorf("finding names no known analyzer: %s", line)
		}
		add(seen, m[2], m[1]+"\x00"+m[3])
	}
	return seen, sc.Err()
}

// countJSON reads one or more JSON trees (package -> analyzer ->
// diagnostics or {"error": ...}); lines starting with '#' (go vet's
// package headers) are skipped.
func countJSON(data []byte) (map[string]map[string]bool, error) {
	seen := map[string]map[string]bool{}
	err := jsontree.Each(data, func(name string, diags []jsontree.Diagnostic) {
		for _, d := range diags {
			add(seen, name, d.Posn+"\x00"+d.Message)
		}
	})
	return seen, err
}

func add(seen map[string]map[string]bool, name, key string) {
	if seen[name] == nil {
		seen[name] = map[string]bool{}
	}
	seen[name][key] = true
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "findings:", err)
	os.Exit(1)
}
