package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/futlint/futlint/internal/driver"
	"github.com/futlint/futlint/internal/sarif"
)

// Exit codes of the standalone driver.
const (
	exitClean    = 0
	exitError    = 1 // a package failed to load, type-check or be analysed
	exitUsage    = 2
	exitFindings = 3
)

const usage = `futlint reports unsafe concurrency in Go code.

Usage:
  futlint [flags] packages...        analyse packages (e.g. ./...)
  futlint help [analyzer]            list analyzers, or document one
  futlint version                    print the version (also -V)
  go vet -vettool=$(command -v futlint) [flags] packages...

Exit status: 0 no findings, 3 findings, 1 a package failed to load or
type-check (the others are still analysed), 2 bad usage.
`

// triState is an analyzer switch: -NAME=true runs only the analyzers
// named so; -NAME=false runs all but those (the multichecker's rule).
type triState int

const (
	unset triState = iota
	setTrue
	setFalse
)

func (ts *triState) IsBoolFlag() bool { return true }
func (ts *triState) String() string {
	switch *ts {
	case setTrue:
		return "true"
	case setFalse:
		return "false"
	}
	return "unset"
}
func (ts *triState) Set(value string) error {
	b, err := strconv.ParseBool(value)
	if err != nil {
		return fmt.Errorf("want true or false")
	}
	*ts = map[bool]triState{true: setTrue, false: setFalse}[b]
	return nil
}

func standalone(set []*analysis.Analyzer, args []string) int {
	fs := flag.NewFlagSet(progname, flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	fs.Usage = func() {
		fmt.Fprint(os.Stderr, usage, "\nFlags:\n")
		fs.PrintDefaults()
	}
	var (
		jsonOut    = fs.Bool("json", false, "print findings as the multichecker's JSON tree on stdout (exit 0 even with findings)")
		format     = fs.String("format", "text", "output format: text, json or sarif")
		sarifFile  = fs.String("sarif", "", "also write a SARIF 2.1.0 log to this file")
		fix        = fs.Bool("fix", false, "apply the suggested fixes")
		diff       = fs.Bool("diff", false, "with -fix, print a unified diff instead of changing files")
		tests      = fs.Bool("test", true, "analyse test files (as go vet does)")
		tags       = fs.String("tags", "", "comma-separated build tags")
		jobs       = fs.Int("j", runtime.GOMAXPROCS(0), "packages analysed in parallel")
		unitMem    = fs.Int("unitmem", 0, "stop analysing a package whose process uses more than this many MB (0: no limit)")
		unitTime   = fs.Duration("unittimeout", 0, "stop analysing a package that takes longer than this, e.g. 5m (0: no limit)")
		cpuprofile = fs.String("cpuprofile", "", "write the driver's CPU profile to this file, and each package's to FILE.units/")
		memprofile = fs.String("memprofile", "", "write the driver's heap profile to this file, and each package's to FILE.units/")
		newFromRev = fs.String("new-from-rev", "", "report only findings on lines changed since this git revision (work tree against REV, untracked files included)")
		baselineIn = fs.String("baseline", "", "do not report the findings listed in this baseline file (see -write-baseline)")
		baselineTo = fs.String("write-baseline", "", "write the findings to this baseline file instead of reporting them, and exit 0")
		cacheMode  = fs.String("cache", "on", "on: reuse the results of packages analysed before, unchanged (kept in $FUTLINT_CACHE, default the user cache directory); off: analyse all")
		withVet    = fs.Bool("vet", false, "also run go vet's default analyzers (through go vet)")
		_          = fs.String("driver", "standalone", "standalone, or checker for the stock go/analysis checker (for comparison; needs much more memory)")
	)
	enabled := make(map[*analysis.Analyzer]*triState)
	for _, a := range set {
		ts := new(triState)
		enabled[a] = ts
		fs.Var(ts, a.Name, fmt.Sprintf("enable the %s analyzer (-%s=false disables it)", a.Name, a.Name))
		a.Flags.VisitAll(func(f *flag.Flag) {
			fs.Var(f.Value, a.Name+"."+f.Name, f.Usage)
		})
	}
	registerRequiredFlags(fs, set)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitClean
		}
		fmt.Fprintf(os.Stderr, "%s: run 'futlint help' for the analyzers and 'futlint -h' for the flags\n", progname)
		return exitUsage
	}
	// help and version may follow flags: futlint -vet help printf.
	// (A package directory of that name is ./help.)
	switch fs.Arg(0) {
	case "help":
		return help(set, fs.Args()[1:])
	case "version":
		if fs.NArg() == 1 {
			printVersion(os.Stdout)
			return exitClean
		}
	}
	formatSet := false
	fs.Visit(func(f *flag.Flag) { formatSet = formatSet || f.Name == "format" })
	if *jsonOut && formatSet && *format != "json" {
		fmt.Fprintf(os.Stderr, "%s: -json and -format=%s disagree: -json is -format=json; give one\n", progname, *format)
		return exitUsage
	}
	if *jsonOut {
		*format = "json"
	}
	if !slices.Contains([]string{"text", "json", "sarif"}, *format) {
		fmt.Fprintf(os.Stderr, "%s: -format=%s: want text, json or sarif\n", progname, *format)
		return exitUsage
	}
	if *diff && !*fix {
		fmt.Fprintf(os.Stderr, "%s: -diff needs -fix\n", progname)
		return exitUsage
	}
	if *cacheMode != "on" && *cacheMode != "off" {
		fmt.Fprintf(os.Stderr, "%s: -cache=%s: want on or off\n", progname, *cacheMode)
		return exitUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprintf(os.Stderr, "%s: no packages given; try 'futlint ./...'\n", progname)
		return exitUsage
	}
	var changed *changedLines
	if *newFromRev != "" {
		var err error
		if changed, err = changedSince(*newFromRev); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", progname, err)
			return exitUsage
		}
	}
	if *baselineIn != "" {
		if _, err := os.Stat(*baselineIn); err != nil {
			fmt.Fprintf(os.Stderr, "%s: -baseline: %v (write one with -write-baseline=%s ./...)\n", progname, err, *baselineIn)
			return exitUsage
		}
	}

	// Analyzer switches and options go to the unit runs (futlint's
	// analyzers) or, with -vet, to go vet (vet's).
	unitFlags, vetFlags, runVet := routeFlags(fs, set, enabled, *withVet)
	set = selected(set, enabled)

	if units := cmp.Or(*cpuprofile, *memprofile); units != "" {
		// The analysis runs in the unit processes: profile them too.
		units += ".units"
		if err := os.MkdirAll(units, 0o777); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", progname, err)
			return exitUsage
		}
		abs, _ := filepath.Abs(units)
		os.Setenv(unitProfileEnv, abs)
		*cacheMode = "off" // profile the analysis of every package
		defer fmt.Fprintf(os.Stderr, "%s: each package's profiles are in %s; go tool pprof merges them: go tool pprof %s/*.cpu.pprof\n", progname, units, units)
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", progname, err)
			return exitUsage
		}
		if err := pprof.StartCPUProfile(f); err == nil {
			defer pprof.StopCPUProfile()
		}
	}
	if *memprofile != "" {
		defer func() {
			if f, err := os.Create(*memprofile); err == nil {
				runtime.GC()
				pprof.WriteHeapProfile(f)
				f.Close()
			}
		}()
	}

	if *unitMem > 0 {
		if caveat := driver.UnitMemCaveat(runtime.GOOS); caveat != "" {
			fmt.Fprintf(os.Stderr, "%s: warning: %s\n", progname, caveat)
		}
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: cannot find my own executable: %v\n", progname, err)
		return exitError
	}
	cwd, _ := os.Getwd()
	// On interrupt, stop the unit processes and remove the temporary files.
	ctx, interrupted, stop := interruptible()
	defer stop()
	prog := newProgress(os.Stderr)
	resultCache, closeCache, err := openCache(*cacheMode)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v; analysing without it\n", progname, err)
	}
	defer closeCache()
	res, err := driver.Run(ctx, &driver.Options{
		Patterns:    fs.Args(),
		Tests:       *tests,
		Tags:        *tags,
		Exe:         exe,
		UnitFlags:   unitFlags,
		Jobs:        *jobs,
		UnitMemMB:   *unitMem,
		UnitTimeout: *unitTime,
		Vet:         runVet,
		VetFlags:    vetFlags,
		Progress:    prog.update,
		Cache:       resultCache,
	})
	prog.clear()
	if code := interrupted(); code != 0 {
		fmt.Fprintf(os.Stderr, "%s: interrupted\n", progname)
		return code
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", progname, err)
		return exitError
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(os.Stderr, "%s: warning: %s\n", progname, w)
	}
	printCacheStats(res)
	findings, analyzerErrs := driver.Findings(res.Tree)
	errs := append(res.Errors, analyzerErrs...)
	slices.Sort(errs)
	for _, e := range errs {
		fmt.Fprintf(os.Stderr, "%s: %s\n", progname, e)
	}
	code := exitClean
	if len(errs) > 0 {
		code = exitError
	}

	if *baselineTo != "" {
		if err := writeBaseline(*baselineTo, findings); err != nil {
			fmt.Fprintf(os.Stderr, "%s: -write-baseline: %v\n", progname, err)
			return exitError
		}
		fmt.Fprintf(os.Stderr, "%s: wrote %s to %s; run with -baseline=%s to report only new ones\n", progname, plural(len(findings), "finding"), *baselineTo, *baselineTo)
		return code
	}
	// Adoption filters: what is left is what gets reported, in every
	// format.
	var hidden []string
	if changed != nil {
		n := len(findings)
		findings = slices.DeleteFunc(findings, func(f driver.Finding) bool { return !changed.keep(f) })
		if n > len(findings) {
			hidden = append(hidden, fmt.Sprintf("%d on lines unchanged since %s", n-len(findings), changed.rev))
		}
	}
	if *baselineIn != "" {
		n := len(findings)
		var err error
		if findings, err = filterBaseline(*baselineIn, findings); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", progname, err)
			return exitUsage
		}
		if n > len(findings) {
			hidden = append(hidden, fmt.Sprintf("%d in the baseline %s", n-len(findings), *baselineIn))
		}
	}
	if changed != nil || *baselineIn != "" {
		filterTree(res.Tree, findings)
	}

	if *sarifFile != "" {
		if err := writeSARIFFile(*sarifFile, set, findings, errs); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", progname, err)
			code = exitError
		}
	}

	text := *format == "text" || *fix
	fixed := 0
	if *fix {
		if err := driver.ApplyFixes(os.Stdout, cwd, findings, *diff); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", progname, err)
			code = exitError
		}
		// Report what no fix addressed: on stdout after -fix, on
		// stderr with -diff, so that stdout stays a patch git apply
		// takes.
		var rest []driver.Finding
		for _, f := range findings {
			if len(f.SuggestedFixes) == 0 {
				rest = append(rest, f)
			}
		}
		fixed = len(findings) - len(rest)
		out := os.Stdout
		if *diff {
			out = os.Stderr
		}
		driver.PrintText(out, cwd, rest)
		if !*diff {
			findings = rest // -diff changes nothing: every finding still stands
		}
	} else {
		switch *format {
		case "json":
			data, err := json.MarshalIndent(res.Tree, "", "\t")
			if err != nil {
				fmt.Fprintf(os.Stderr, "%s: %v\n", progname, err)
				return exitError
			}
			fmt.Printf("%s\n", data)
			return code // like the multichecker: findings do not fail -json
		case "sarif":
			if err := sarif.Write(os.Stdout, set, findings, sarifRoot(), version(), errs); err != nil {
				fmt.Fprintf(os.Stderr, "%s: %v\n", progname, err)
				return exitError
			}
		default:
			driver.PrintText(os.Stdout, cwd, findings)
		}
	}
	if code == exitClean && len(findings) > 0 {
		code = exitFindings
	}
	if text {
		fmt.Fprintln(os.Stderr, summary(summaryInput{
			findings: findings,
			fixed:    fixed,
			packages: prog.total,
			failed:   len(errs),
			code:     code,
			diff:     *diff,
			hidden:   hidden,
		}))
	}
	return code
}

// selected applies the -NAME switches as the multichecker does.
func selected(set []*analysis.Analyzer, enabled map[*analysis.Analyzer]*triState) []*analysis.Analyzer {
	var hasTrue, hasFalse bool
	for _, ts := range enabled {
		hasTrue = hasTrue || *ts == setTrue
		hasFalse = hasFalse || *ts == setFalse
	}
	var keep []*analysis.Analyzer
	for _, a := range set {
		if hasTrue && *enabled[a] == setTrue || !hasTrue && *enabled[a] != setFalse {
			keep = append(keep, a)
		}
	}
	return keep
}

func writeSARIFFile(name string, set []*analysis.Analyzer, findings []driver.Finding, errs []string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := sarif.Write(f, set, findings, sarifRoot(), version(), errs); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// sarifRoot is the directory SARIF locations are relative to: the root
// of the git repository futlint runs in, as code scanning resolves
// uploaded paths against the repository (a module in a subdirectory of a
// monorepo then uploads to the right files); outside a repository, the
// module root.
func sarifRoot() string {
	out, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if top := strings.TrimSpace(string(out)); err == nil && top != "" {
		if abs, err := filepath.EvalSymlinks(top); err == nil {
			return abs
		}
		return top
	}
	return moduleRoot()
}

// moduleRoot is the directory of the main module's go.mod, or the current
// directory outside a module: SARIF locations are relative to it.
func moduleRoot() string {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if gomod := strings.TrimSpace(string(out)); err == nil && gomod != "" && gomod != os.DevNull {
		return filepath.Dir(gomod)
	}
	cwd, _ := os.Getwd()
	return cwd
}
