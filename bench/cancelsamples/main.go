// Command cancelsamples runs futlint's uncheckedcancel on two visible
// oracles and prints, as Markdown, which positives it finds and which
// negatives it leaves quiet:
//
//   - gosec's G118 samples (github.com/securego/gosec/v2@v2.30.0,
//     testutils/g118_samples.go): Go source strings, each with the number
//     of G118 findings and a comment saying "Vulnerable", "Safe" or "Note".
//     The loop samples are those with a for statement whose comment is not
//     about cancel functions; the others are G118's goroutine and
//     lost-cancel rules, which are not uncheckedcancel's, and must stay
//     quiet here. "Note: ... not detected by current implementation"
//     loops are G118's own false negatives: uncheckedcancel reports them.
//   - contextcheck's testdata (github.com/kkHAIKE/contextcheck@v1.1.6,
//     testdata/src): code about breaking the ctx chain, without a
//     long-running loop: every line must stay quiet.
//
// Usage, from the repository root:
//
//	go run ./bench/cancelsamples > bench/results/cancelsamples.md
//
// It needs the module proxy or a module cache holding both modules. It
// exits 1 when a positive is missed or a negative reported.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

const (
	gosecModule        = "github.com/securego/gosec/v2@v2.30.0"
	contextcheckModule = "github.com/kkHAIKE/contextcheck@v1.1.6"
)

// A sample is one of G118's code samples.
type sample struct {
	n       int    // index in SampleCodeG118, from 1
	comment string // the comment above it
	files   []string
	g118    int  // findings G118 expects
	loop    bool // a loop sample: uncheckedcancel's business
	want    bool // uncheckedcancel should report it
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "cancelsamples:", err)
		os.Exit(2)
	}
}

func run() error {
	tmp, err := os.MkdirTemp("", "cancelsamples")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	gosecDir, err := download(tmp, gosecModule)
	if err != nil {
		return err
	}
	ccDir, err := download(tmp, contextcheckModule)
	if err != nil {
		return err
	}
	samples, err := parseSamples(filepath.Join(gosecDir, "testutils", "g118_samples.go"))
	if err != nil {
		return err
	}

	// One throwaway module: a package per sample, contextcheck's testdata
	// packages under cc/.
	mod := filepath.Join(tmp, "oracle")
	if err := os.MkdirAll(mod, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module oracle\n\ngo 1.26\n"), 0o644); err != nil {
		return err
	}
	for _, s := range samples {
		dir := filepath.Join(mod, "g118", fmt.Sprintf("s%03d", s.n))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		for i, f := range s.files {
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d.go", i)), []byte(f), 0o644); err != nil {
				return err
			}
		}
	}
	ccFiles, err := copyTree(filepath.Join(ccDir, "testdata", "src"), filepath.Join(mod, "cc"))
	if err != nil {
		return err
	}

	futlint := filepath.Join(tmp, "futlint")
	build := exec.Command("go", "build", "-o", futlint, "./cmd/futlint")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("building futlint: %v", err)
	}
	cmd := exec.Command(futlint, "-uncheckedcancel", "-format", "json", "./...")
	cmd.Dir = mod
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 3 && ee.ExitCode() != 0 {
			return fmt.Errorf("futlint: %v\n%s", err, stderr.String())
		}
	}
	found, err := findings(stdout.Bytes(), mod)
	if err != nil {
		return err
	}
	return report(samples, found, ccFiles)
}

// download fetches a module version into the module cache and returns
// its directory.
func download(tmp, modVersion string) (string, error) {
	dir := filepath.Join(tmp, "dl")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module dl\n"), 0o644); err != nil {
		return "", err
	}
	cmd := exec.Command("go", "mod", "download", "-json", modVersion)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go mod download %s: %v", modVersion, err)
	}
	var m struct{ Dir, Error string }
	if err := json.Unmarshal(out, &m); err != nil {
		return "", err
	}
	if m.Error != "" || m.Dir == "" {
		return "", fmt.Errorf("go mod download %s: %s", modVersion, m.Error)
	}
	return m.Dir, nil
}

var forStmt = regexp.MustCompile(`(?m)^\s*for\b`)

// parseSamples reads SampleCodeG118's elements: {[]string{src...}, count, config}.
func parseSamples(path string) ([]sample, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	var lit *ast.CompositeLit
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if ok && len(vs.Names) == 1 && vs.Names[0].Name == "SampleCodeG118" && len(vs.Values) == 1 {
			lit, _ = vs.Values[0].(*ast.CompositeLit)
		}
		return lit == nil
	})
	if lit == nil {
		return nil, fmt.Errorf("%s: no SampleCodeG118", path)
	}
	var samples []sample
	prevEnd := lit.Lbrace
	for i, e := range lit.Elts {
		el, ok := e.(*ast.CompositeLit)
		if !ok || len(el.Elts) < 2 {
			return nil, fmt.Errorf("sample %d: unexpected shape", i+1)
		}
		s := sample{n: i + 1}
		// The comment lines between the previous element and this one.
		var lines []string
		for _, cg := range f.Comments {
			if cg.Pos() > prevEnd && cg.End() < el.Pos() {
				for _, c := range cg.List {
					lines = append(lines, strings.TrimSpace(strings.TrimPrefix(c.Text, "//")))
				}
			}
		}
		s.comment = strings.Join(lines, " ")
		prevEnd = el.End()
		srcs, ok := el.Elts[0].(*ast.CompositeLit)
		if !ok {
			return nil, fmt.Errorf("sample %d: sources are not a literal", s.n)
		}
		for _, x := range srcs.Elts {
			bl, ok := x.(*ast.BasicLit)
			if !ok || bl.Kind != token.STRING {
				return nil, fmt.Errorf("sample %d: a source is not a string literal", s.n)
			}
			src, err := strconv.Unquote(bl.Value)
			if err != nil {
				return nil, err
			}
			s.files = append(s.files, src)
		}
		if bl, ok := el.Elts[1].(*ast.BasicLit); ok {
			s.g118, _ = strconv.Atoi(bl.Value)
		}
		hasFor := slices.ContainsFunc(s.files, forStmt.MatchString)
		lower := strings.ToLower(s.comment)
		s.loop = hasFor && !strings.Contains(lower, "cancel")
		s.want = s.loop && (strings.HasPrefix(s.comment, "Vulnerable") ||
			strings.HasPrefix(s.comment, "Note") && strings.Contains(lower, "not detected"))
		samples = append(samples, s)
	}
	return samples, nil
}

// copyTree copies the .go files under src to dst and returns their paths
// relative to dst's parent's module root.
func copyTree(src, dst string) ([]string, error) {
	var files []string
	err := filepath.Walk(src, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		out := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		files = append(files, filepath.ToSlash(filepath.Join("cc", rel)))
		return os.WriteFile(out, data, 0o644)
	})
	return files, err
}

// A finding is one uncheckedcancel report, by file relative to the
// module root.
type finding struct {
	file    string
	line    string
	message string
}

func findings(out []byte, mod string) ([]finding, error) {
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal(out, &tree); err != nil {
		return nil, fmt.Errorf("futlint JSON: %v", err)
	}
	var fs []finding
	for _, byAnalyzer := range tree {
		raw, ok := byAnalyzer["uncheckedcancel"]
		if !ok {
			continue
		}
		var ds []struct{ Posn, Message string }
		if err := json.Unmarshal(raw, &ds); err != nil {
			continue // an error object for a package that failed
		}
		for _, d := range ds {
			posn := strings.TrimPrefix(d.Posn, mod+string(filepath.Separator))
			file, rest, _ := strings.Cut(posn, ":")
			line, _, _ := strings.Cut(rest, ":")
			fs = append(fs, finding{filepath.ToSlash(file), line, d.Message})
		}
	}
	slices.SortFunc(fs, func(a, b finding) int {
		return strings.Compare(a.file+":"+a.line, b.file+":"+b.line)
	})
	return fs, nil
}

func report(samples []sample, found []finding, ccFiles []string) error {
	bySample := map[int][]finding{}
	var cc []finding
	for _, f := range found {
		if dir, ok := strings.CutPrefix(f.file, "g118/s"); ok {
			n, _ := strconv.Atoi(dir[:3])
			bySample[n] = append(bySample[n], f)
		} else {
			cc = append(cc, f)
		}
	}
	var posFound, posTotal, negQuiet, negTotal, otherQuiet, otherTotal int
	var rows []string
	for _, s := range samples {
		fs := bySample[s.n]
		kind, verdict := "", ""
		switch {
		case s.want:
			kind = "positive"
			if strings.HasPrefix(s.comment, "Note") {
				kind = "positive (G118 misses it)"
			}
			posTotal++
			verdict = "MISSED"
			if len(fs) > 0 {
				posFound++
				verdict = "found"
			}
		case s.loop:
			kind, verdict = "negative", "quiet"
			negTotal++
			if len(fs) == 0 {
				negQuiet++
			} else {
				verdict = "REPORTED"
			}
		default:
			kind, verdict = "not a loop sample", "quiet"
			otherTotal++
			if len(fs) == 0 {
				otherQuiet++
			} else {
				verdict = "REPORTED"
			}
		}
		if s.loop || len(fs) > 0 {
			msg := ""
			if len(fs) > 0 {
				msg = fs[0].message
				if len(msg) > 90 {
					msg = msg[:90] + "..."
				}
				msg = "`" + strings.ReplaceAll(msg, "`", "'") + "`"
			}
			rows = append(rows, fmt.Sprintf("| %d | %s | %s | %s | %s |", s.n, escape(s.comment), kind, verdict, msg))
		}
	}
	fmt.Println("# uncheckedcancel on visible oracles")
	fmt.Println()
	fmt.Println("Generated by `go run ./bench/cancelsamples`; do not edit.")
	fmt.Println()
	fmt.Printf("- gosec G118 samples (%s, testutils/g118_samples.go): %d samples.\n", gosecModule, len(samples))
	fmt.Printf("  - loop positives found: %d of %d\n", posFound, posTotal)
	fmt.Printf("  - loop negatives quiet: %d of %d\n", negQuiet, negTotal)
	fmt.Printf("  - samples of G118's other rules (goroutines, cancel functions) quiet: %d of %d\n", otherQuiet, otherTotal)
	fmt.Printf("- contextcheck testdata (%s, testdata/src, %d files, no long-running loop): %d findings (want 0)\n",
		contextcheckModule, len(ccFiles), len(cc))
	fmt.Println()
	fmt.Println("| sample | G118's comment | for uncheckedcancel | result | message |")
	fmt.Println("|---|---|---|---|---|")
	for _, r := range rows {
		fmt.Println(r)
	}
	for _, f := range cc {
		fmt.Printf("\ncontextcheck %s:%s: %s\n", f.file, f.line, f.message)
	}
	if posFound < posTotal || negQuiet < negTotal || otherQuiet < otherTotal || len(cc) > 0 {
		os.Exit(1)
	}
	return nil
}

func escape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
