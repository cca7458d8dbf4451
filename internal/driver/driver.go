// Package driver is futlint's standalone driver: it analyses the packages
// matched by the patterns the way `go vet` does, one package per
// subprocess, with the dependencies' types read from the compiler's export
// data instead of being type-checked and analysed from source.
//
// The stock go/analysis checker keeps every package's syntax and SSA alive
// and, because futlint's analyzers declare facts, loads and analyses every
// dependency from source (7-11 GB on std). This driver instead:
//
//  1. runs `go list -export -compiled -deps -test` once;
//  2. schedules the matched packages in dependency order, up to -j at a
//     time;
//  3. for each, writes a unitchecker config (the JSON cmd/go writes for
//     vet) and runs `futlint -json ... x.cfg`, the same binary in
//     unitchecker mode, so at most -j packages are in memory at once and a
//     crash is confined to one package.
//
// Facts flow between the analysed packages (a unit's vetx output is given
// to the units that import it). Dependencies outside the patterns are not
// analysed, so they contribute types but no facts; `go vet -vettool`
// analyses every dependency and so computes their facts too.
package driver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
)

// Options configure a standalone run.
type Options struct {
	Patterns  []string
	Dir       string   // working directory of go list; "" is the current one
	Tests     bool     // analyse test files too (-test)
	Tags      string   // build tags for go list
	Exe       string   // the futlint binary run in unitchecker mode
	UnitFlags []string // flags for each unit run: analyzer switches and options
	Jobs      int      // parallel unit runs; 0 means GOMAXPROCS
	UnitMemMB int      // kill a unit process whose resident memory exceeds this; 0: no limit
	// UnitTimeout stops a unit that runs longer; 0: no limit.
	UnitTimeout time.Duration
	// Vet also runs go vet's own suite (go vet -json), with VetFlags
	// (its analyzers' switches and options), and adds its findings.
	Vet      bool
	VetFlags []string

	// Progress, when set, is called from one goroutine after each
	// package's analysis, with the packages done and the total.
	Progress func(done, total int)
	Cache    Cache // unit results kept between runs (cache.go); nil: none
}

// Result is what a standalone run found.
type Result struct {
	// Tree holds each unit's JSON output as the multichecker prints it:
	// package ID -> analyzer -> diagnostics or {"error": ...}.
	Tree map[string]map[string]json.RawMessage
	// Errors are packages that could not be loaded, type-checked or
	// analysed, one message per package, naming it.
	Errors []string
	// Warnings are patterns that matched no packages, as go list says
	// (`"./x/..." matched no packages`), when others did.
	Warnings []string

	cacheLog []string // see CacheStats
}

// ErrNoPackages is returned when the patterns match no package to analyse,
// as go vet fails then: a mistyped pattern must not pass for a clean run.
var ErrNoPackages = errors.New("matched no packages")

// unit is one package to analyse and its scheduling state.
type unit struct {
	id         int // names the unit's directory: import paths may collide once flattened, or be too long
	pkg        *listPackage
	deps       []*unit // analysed packages whose facts this one imports
	dependents []*unit
	pending    int // deps not yet done

	vetx string // facts+types output; "" if the unit failed

	// memStopped: the unit, or one it imports, was stopped by -unitmem.
	// Its importers are not analysed: its types would have to be compiled
	// (go list -export), which takes more memory than the limit saved.
	memStopped  bool
	memExceeded bool      // it was the unit that passed the limit
	cache       unitCache // cache.go
}

// Run analyses the packages matched by opts.Patterns. Cancelling ctx
// kills the running unit processes.
func Run(ctx context.Context, opts *Options) (*Result, error) {
	var rc *resultCache
	if opts.Cache != nil {
		rc = newResultCache(ctx, opts.Cache, opts)
	}
	skew := make(chan error, 1)
	go func() { skew <- checkToolchain(ctx, opts) }()
	pkgs, warnings, err := goList(ctx, opts)
	if err := <-skew; err != nil {
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*listPackage, len(pkgs))
	for _, p := range pkgs {
		byID[p.ImportPath] = p
	}

	tmp, err := os.MkdirTemp("", "futlint-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)

	d := &driver{
		ctx:     ctx,
		opts:    opts,
		tmp:     tmp,
		byID:    byID,
		synth:   make(map[string]*synthVetx),
		exports: make(map[string]*listPackage),
		res:     &Result{Tree: make(map[string]map[string]json.RawMessage), Warnings: warnings},
		cache:   rc,
	}
	units := d.plan(selectUnits(pkgs))
	if len(units) == 0 && len(d.res.Errors) == 0 {
		return nil, fmt.Errorf("%s %w", strings.Join(opts.Patterns, " "), ErrNoPackages)
	}
	if err := d.prefetchExports(units); err != nil {
		return nil, err
	}
	d.schedule(units)
	d.finishCache()
	if opts.Vet && ctx.Err() == nil {
		d.goVet()
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	slices.Sort(d.res.Errors)
	return d.res, nil
}

type driver struct {
	ctx  context.Context
	opts *Options
	tmp  string
	byID map[string]*listPackage

	mu      sync.Mutex
	synth   map[string]*synthVetx   // by package path
	exports map[string]*listPackage // export data by package path
	res     *Result
	cache   *resultCache // nil: no cache
}

func (d *driver) addError(format string, args ...any) {
	d.mu.Lock()
	d.res.Errors = append(d.res.Errors, fmt.Sprintf(format, args...))
	d.mu.Unlock()
}

// plan builds the dependency graph among the units. A unit imports the
// facts of the unit analysing the same base package path: "p [p.test]"
// serves importers of p. Edges that would close a cycle (p's tests import
// q, q's tests import p) are dropped: that import then gets types only.
func (d *driver) plan(pkgs []*listPackage) []*unit {
	var units []*unit
	byBase := make(map[string]*unit)
	for _, p := range pkgs {
		if msg := p.loadError(); msg != "" {
			d.addError("package %s: %s", p.ImportPath, msg)
			continue
		}
		if len(p.CompiledGoFiles) == 0 {
			continue // unsafe, or only test files for another platform: go vet skips them too
		}
		u := &unit{id: len(units), pkg: p}
		units = append(units, u)
		byBase[basePath(p.ImportPath)] = u
	}
	for _, u := range units {
		for _, imp := range u.pkg.Imports {
			if dep := byBase[basePath(imp)]; dep != nil && dep != u && !slices.Contains(u.deps, dep) {
				u.deps = append(u.deps, dep)
			}
		}
	}
	// Drop back edges found by a depth-first search.
	const (
		unvisited = iota
		active
		done
	)
	state := make(map[*unit]int)
	var visit func(u *unit)
	visit = func(u *unit) {
		state[u] = active
		kept := u.deps[:0]
		for _, dep := range u.deps {
			switch state[dep] {
			case active:
				continue // cycle
			case unvisited:
				visit(dep)
			}
			kept = append(kept, dep)
		}
		u.deps = kept
		state[u] = done
	}
	for _, u := range units {
		if state[u] == unvisited {
			visit(u)
		}
	}
	for _, u := range units {
		u.pending = len(u.deps)
		for _, dep := range u.deps {
			dep.dependents = append(dep.dependents, u)
		}
	}
	return units
}

// schedule runs the units in dependency order, opts.Jobs at a time.
func (d *driver) schedule(units []*unit) {
	jobs := d.opts.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	ready := make(chan *unit, len(units))
	finished := make(chan *unit, len(units))
	for _, u := range units {
		if u.pending == 0 {
			ready <- u
		}
	}
	var wg sync.WaitGroup
	for range jobs {
		wg.Go(func() {
			for u := range ready {
				if d.ctx.Err() == nil { // interrupted: start nothing more
					d.analyse(u)
				}
				finished <- u
			}
		})
	}
	// Only this goroutine touches pending and dependents after start.
	for i := range units {
		var u *unit
		select {
		case u = <-finished:
		case <-d.ctx.Done():
			// The running units are being killed; schedule no more.
			close(ready)
			wg.Wait()
			return
		}
		if d.opts.Progress != nil {
			d.opts.Progress(i+1, len(units))
		}
		for _, next := range u.dependents {
			next.pending--
			if next.pending == 0 {
				ready <- next
			}
		}
	}
	close(ready)
	wg.Wait()
}

// testHookAnalyse, if set, is called as each unit's analysis starts.
var testHookAnalyse func(id string)

// unitConfig is unitchecker.Config: the file cmd/go writes for vet.
type unitConfig struct {
	ID                        string
	Compiler                  string
	Dir                       string
	ImportPath                string
	GoVersion                 string
	GoFiles                   []string
	NonGoFiles                []string
	IgnoredFiles              []string
	ModulePath                string
	ModuleVersion             string
	ImportMap                 map[string]string
	PackageFile               map[string]string // unused by unitchecker: types come from PackageVetx
	Standard                  map[string]bool
	PackageVetx               map[string]string
	VetxOnly                  bool
	VetxOutput                string
	SucceedOnTypecheckFailure bool
}

// analyse runs one unit in a subprocess and records its findings.
func (d *driver) analyse(u *unit) {
	p := u.pkg
	for _, dep := range u.deps {
		if dep.memStopped {
			u.memStopped = true
			why := "was stopped by -unitmem"
			if !dep.memExceeded {
				why = "was not analysed (-unitmem)"
			}
			d.addError("package %s: not analysed: its import %s %s", p.ImportPath, basePath(dep.pkg.ImportPath), why)
			return
		}
	}
	if d.cacheLookup(u) {
		return
	}
	if testHookAnalyse != nil {
		testHookAnalyse(p.ImportPath)
	}
	dir := filepath.Join(d.tmp, fmt.Sprint("u", u.id))
	if err := os.MkdirAll(dir, 0o777); err != nil {
		d.addError("package %s: %v", p.ImportPath, err)
		return
	}
	cfg := &unitConfig{
		ID:           p.ImportPath,
		Compiler:     "gc",
		Dir:          p.Dir,
		ImportPath:   basePath(p.ImportPath),
		GoFiles:      p.goFiles(),
		NonGoFiles:   p.nonGoFiles(),
		IgnoredFiles: absFiles(p.Dir, append(slices.Clip(p.IgnoredGoFiles), p.IgnoredOtherFiles...)),
		ImportMap:    make(map[string]string),
		Standard:     make(map[string]bool),
		PackageVetx:  make(map[string]string),
		VetxOutput:   filepath.Join(dir, "vet.out"),
	}
	if m := p.Module; m != nil {
		if m.GoVersion != "" {
			cfg.GoVersion = "go" + m.GoVersion
		}
		if m.Error == nil {
			cfg.ModulePath, cfg.ModuleVersion = m.Path, m.Version
		}
	}
	// Types are keyed by package path, without the test-variant suffix:
	// export data refers to packages by path, and a unit sees one variant
	// of each package.
	for _, imp := range p.Imports {
		cfg.ImportMap[imp] = basePath(imp)
	}
	for from, to := range p.ImportMap {
		cfg.ImportMap[from] = basePath(to)
	}
	for _, imp := range p.Imports {
		if imp == "unsafe" || imp == "C" {
			continue
		}
		dep := d.byID[imp]
		if dep == nil {
			d.addError("package %s: go list did not describe its import %q", p.ImportPath, imp)
			return
		}
		path := basePath(imp)
		if dep.Standard {
			cfg.Standard[path] = true
		}
		vetx, err := d.vetxFor(u, dep)
		if err != nil {
			d.addError("package %s: reading the types of %s: %v", p.ImportPath, imp, err)
			return
		}
		cfg.PackageVetx[path] = vetx
	}

	cfgFile := filepath.Join(dir, "vet.cfg")
	data, err := json.Marshal(cfg)
	if err == nil {
		err = os.WriteFile(cfgFile, data, 0o666)
	}
	if err != nil {
		d.addError("package %s: %v", p.ImportPath, err)
		return
	}

	args := append(slices.Clip(d.opts.UnitFlags), "-json", cfgFile)
	ctx := d.ctx
	if d.opts.UnitTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d.opts.UnitTimeout)
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, d.opts.Exe, args...)
	cmd.Env = unitEnv()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Start()
	if runErr == nil {
		exceeded := make(<-chan bool)
		done := make(chan struct{})
		if d.opts.UnitMemMB > 0 {
			exceeded = watchMemory(cmd.Process, d.opts.UnitMemMB, done)
		}
		runErr = cmd.Wait()
		close(done)
		// The sampler can miss a short-lived peak; the kernel's record of
		// the process's peak RSS cannot, so the limit holds either way.
		if d.opts.UnitMemMB > 0 && (<-exceeded || peakRSSMB(cmd.ProcessState) > d.opts.UnitMemMB) {
			d.addError("package %s: analysis stopped: it used more than %d MB (-unitmem); analyse it alone, or switch off the analyzer at fault", p.ImportPath, d.opts.UnitMemMB)
			u.memStopped, u.memExceeded = true, true
			return
		}
	}
	if runErr != nil && d.ctx.Err() == nil && ctx.Err() != nil {
		d.addError("package %s: analysis stopped: it took longer than %v (-unittimeout)", p.ImportPath, d.opts.UnitTimeout)
		return
	}
	if runErr != nil {
		d.addError("package %s: %s", p.ImportPath, unitFailure(runErr, stderr.String()))
		return
	}
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal(stdout.Bytes(), &tree); err != nil {
		d.addError("package %s: cannot decode the analysis output: %v", p.ImportPath, err)
		return
	}
	for _, byAnalyzer := range tree {
		realEditFiles(byAnalyzer, cfg.GoFiles, inDir(p.Dir))
	}
	d.mu.Lock()
	for id, byAnalyzer := range tree {
		d.res.Tree[id] = byAnalyzer
	}
	d.mu.Unlock()
	u.vetx = cfg.VetxOutput
	d.cacheStore(u, tree)
}

// unitFailure explains why a unit run failed, keeping type errors as they
// are. A crash is shortened to its panic or fatal error line, and its full
// output is kept in a file that the message names; running out of memory
// is said in one line.
func unitFailure(err error, stderr string) string {
	stderr = strings.TrimSpace(stderr)
	if strings.Contains(stderr, "fatal error: runtime: out of memory") || strings.Contains(stderr, "fatal error: out of memory") {
		return "analysis ran out of memory (-unitmem stops a unit earlier)"
	}
	i := strings.Index(stderr, "panic: ")
	if j := strings.Index(stderr, "fatal error: "); j >= 0 && (i < 0 || j < i) {
		i = j
	}
	if i >= 0 {
		line, _, _ := strings.Cut(stderr[i:], "\n")
		msg := "analysis crashed: " + line
		if f, ferr := os.CreateTemp("", "futlint-crash-*.txt"); ferr == nil {
			_, ferr = f.WriteString(stderr + "\n")
			if cerr := f.Close(); ferr == nil && cerr == nil {
				return msg + " (full trace in " + f.Name() + ")"
			}
			os.Remove(f.Name())
		}
		return msg
	}
	if stderr == "" {
		if strings.Contains(err.Error(), "signal: killed") {
			return fmt.Sprintf("analysis failed: %v (by the system: out of memory?)", err)
		}
		return fmt.Sprintf("analysis failed: %v", err)
	}
	// Type errors: one per line, prefixed by the log prefix "futlint: ".
	var lines []string
	for line := range strings.SplitSeq(stderr, "\n") {
		lines = append(lines, strings.TrimPrefix(line, "futlint: "))
	}
	return strings.Join(lines, "\n\t")
}

// vetxFor returns the vetx file (types and facts) for dep as imported by
// u: the output of the unit analysing dep's package when u may use it,
// else one made from dep's export data, with types only.
func (d *driver) vetxFor(u *unit, dep *listPackage) (string, error) {
	base := basePath(dep.ImportPath)
	for _, du := range u.deps {
		if basePath(du.pkg.ImportPath) == base && du.vetx != "" {
			return du.vetx, nil
		}
	}
	return d.synthesize(base)
}

// unitEnv is the environment of a unit process. Units started by go vet
// trade memory for time by collecting less often (cmd/futlint/gc.go);
// the driver's units keep the collector's defaults, since it runs several
// at once and promises little memory. An explicit GOGC does that, unless
// the user set GOGC or GOMEMLIMIT, which the units then inherit.
func unitEnv() []string {
	env := os.Environ()
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		env = append(env, "GOGC=100")
	}
	return env
}
