package driver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/version"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"
)

// listPackage is the part of `go list -json` output the driver uses.
type listPackage struct {
	Dir               string
	ImportPath        string
	Name              string
	ForTest           string
	Export            string
	Standard          bool
	DepOnly           bool
	CompiledGoFiles   []string
	IgnoredGoFiles    []string
	IgnoredOtherFiles []string
	CFiles            []string
	CXXFiles          []string
	HFiles            []string
	FFiles            []string
	SFiles            []string
	MFiles            []string
	SysoFiles         []string
	Imports           []string
	ImportMap         map[string]string
	Module            *struct {
		Path      string
		Version   string
		GoVersion string
		Error     *struct{ Err string }
	}
	Error      *listError
	DepsErrors []*listError
}

type listError struct {
	Pos string
	Err string
}

func (e *listError) String() string {
	msg := strings.TrimSpace(e.Err)
	if e.Pos != "" && !strings.HasPrefix(msg, e.Pos) {
		msg = e.Pos + ": " + msg
	}
	return msg
}

// goListWaitDelay is how long an interrupted go command may take to
// clean up before it is killed.
var goListWaitDelay = 5 * time.Second

// interrupt sends SIGINT to the go command, which then stops its
// compilers and removes its work directory, as on Ctrl-C.
func interrupt(cmd *exec.Cmd) error {
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		return cmd.Process.Kill() // no SIGINT on Windows
	}
	return nil
}

// basePath strips the test-variant suffix: "p [p.test]" -> "p".
func basePath(id string) string {
	path, _, _ := strings.Cut(id, " ")
	return path
}

// goList runs `go list` on the patterns and returns every package in the
// dependency graph, dependencies first, as go list prints them.
//
// It asks for no export data: -export would compile every package and
// every test variant, which on a cold cache costs more than the analysis.
// The types of the analysed packages come from their own analysis; export
// data is fetched later (goListExport) only for imports outside them.
//
// The warnings are go list's about patterns that matched no packages.
func goList(ctx context.Context, opts *Options) (pkgs []*listPackage, warnings []string, err error) {
	args := []string{"list", "-e", "-json", "-compiled", "-deps"}
	if opts.Tests {
		args = append(args, "-test")
	}
	var stderr bytes.Buffer
	pkgs, err = runGoListStderr(ctx, opts, args, opts.Patterns, &stderr)
	for line := range strings.SplitSeq(stderr.String(), "\n") {
		if strings.HasSuffix(line, "matched no packages") {
			warnings = append(warnings, strings.TrimPrefix(line, "go: warning: "))
		}
	}
	return pkgs, warnings, err
}

// goListExport returns the export data files of the packages (import
// paths, no test variants), compiling them if needed.
//
// Naming a package on the command line needs its module in go.mod, which
// a pruned module graph does not promise for what a dependency's packages
// or tests import (analysing packages of another module, say). Then go
// list fails as a whole; the export data comes instead from the patterns
// with all their dependencies, which costs compiling the test variants
// but loads the graph as go vet does, with errors per package.
func goListExport(ctx context.Context, opts *Options, paths []string) (map[string]*listPackage, error) {
	args := []string{"list", "-e", "-export", "-json=ImportPath,Export,Error"}
	pkgs, err := runGoList(ctx, opts, args, paths)
	if err != nil && strings.Contains(err.Error(), "updates to go.mod needed") {
		args = append(args, "-deps")
		if opts.Tests {
			args = append(args, "-test")
		}
		pkgs, err = runGoList(ctx, opts, args, opts.Patterns)
	}
	if err != nil {
		return nil, err
	}
	m := make(map[string]*listPackage, len(pkgs))
	for _, p := range pkgs {
		if !strings.Contains(p.ImportPath, " ") { // not a test variant
			m[p.ImportPath] = p
		}
	}
	return m, nil
}

func runGoList(ctx context.Context, opts *Options, args, patterns []string) ([]*listPackage, error) {
	return runGoListStderr(ctx, opts, args, patterns, new(bytes.Buffer))
}

// runGoListStderr is runGoList that leaves go list's stderr in stderr.
func runGoListStderr(ctx context.Context, opts *Options, args, patterns []string, stderr *bytes.Buffer) ([]*listPackage, error) {
	if opts.Tags != "" {
		args = append(args, "-tags", opts.Tags)
	}
	args = append(args, "--")
	args = append(args, patterns...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = opts.Dir
	// On interrupt, let the go command stop its compilers and remove its
	// work directory, as it does on Ctrl-C, before killing it.
	cmd.Cancel = func() error { return interrupt(cmd) }
	cmd.WaitDelay = goListWaitDelay
	var stdout bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("go list: %v\n%s", err, strings.TrimSpace(stderr.String()))
	}
	var pkgs []*listPackage
	dec := json.NewDecoder(&stdout)
	for {
		p := new(listPackage)
		if err := dec.Decode(p); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, fmt.Errorf("decoding go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, nil
}

// selectUnits returns the packages go vet would analyse for the packages
// matched by the patterns: for a package with tests, its test variant
// "p [p.test]" (which includes its non-test files) instead of p, and its
// external test package "p_test [p.test]".
func selectUnits(pkgs []*listPackage) []*listPackage {
	byID := make(map[string]*listPackage, len(pkgs))
	for _, p := range pkgs {
		byID[p.ImportPath] = p
	}
	var units []*listPackage
	for _, p := range pkgs {
		if p.DepOnly || p.ForTest != "" || strings.HasSuffix(p.ImportPath, ".test") {
			continue
		}
		path := p.ImportPath
		if tp := byID[path+" ["+path+".test]"]; tp != nil {
			units = append(units, tp)
		} else {
			units = append(units, p)
		}
		if xp := byID[path+"_test ["+path+".test]"]; xp != nil {
			units = append(units, xp)
		}
	}
	return units
}

// goFiles returns the package's compiled Go files as absolute paths.
func (p *listPackage) goFiles() []string {
	return absFiles(p.Dir, p.CompiledGoFiles)
}

func (p *listPackage) nonGoFiles() []string {
	var files []string
	for _, list := range [][]string{p.CFiles, p.CXXFiles, p.FFiles, p.HFiles, p.MFiles, p.SFiles, p.SysoFiles} {
		files = append(files, absFiles(p.Dir, list)...)
	}
	return files
}

func absFiles(dir string, names []string) []string {
	files := make([]string, 0, len(names))
	for _, name := range names {
		if !filepath.IsAbs(name) {
			name = filepath.Join(dir, name)
		}
		files = append(files, name)
	}
	return files
}

// loadError returns why p cannot be analysed, or "".
func (p *listPackage) loadError() string {
	if p.Error != nil {
		return p.Error.String()
	}
	if len(p.DepsErrors) > 0 {
		var msgs []string
		for _, e := range p.DepsErrors {
			msgs = append(msgs, e.String())
		}
		slices.Sort(msgs) // go list's order varies between runs
		return strings.Join(slices.Compact(msgs), "\n\t")
	}
	return ""
}

// checkToolchain fails when the go command (as GOTOOLCHAIN selects it) is
// newer than the Go futlint was built with: futlint could not read the
// export data and types of the newer release, and would report an
// internal error and bogus type errors instead. go vet refuses the same
// way.
func checkToolchain(ctx context.Context, opts *Options) error {
	cmd := exec.CommandContext(ctx, "go", "env", "GOVERSION")
	cmd.Dir = opts.Dir
	out, err := cmd.Output()
	if err != nil {
		return nil // go list will say what is wrong
	}
	return toolchainSkew(strings.TrimSpace(string(out)), runtime.Version())
}

func toolchainSkew(goCommand, builtWith string) error {
	have, want := version.Lang(builtWith), version.Lang(goCommand)
	if have == "" || want == "" || version.Compare(want, have) <= 0 {
		return nil // a development build says nothing comparable
	}
	return fmt.Errorf("futlint was built with %s; rebuild it with %s (the go command is %s, as GOTOOLCHAIN or go.mod selects it)", have, want, goCommand)
}
