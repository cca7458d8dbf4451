package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"

	"golang.org/x/tools/go/analysis"
)

// unitProfileEnv names a directory where each unit process writes a CPU
// profile (PID.cpu.pprof) and a heap profile taken when its analyzers are
// done (PID.heap.pprof). The standalone driver sets it for -cpuprofile and
// -memprofile; under go vet -vettool, set it by hand. `go tool pprof`
// merges the files it is given.
const unitProfileEnv = "FUTLINT_PROFILEDIR"

// withUnitProfile returns set plus, when profiles are asked for, an
// analyzer that requires all of set and ends the profiles: unitchecker
// exits with os.Exit as soon as the analysis is done, so a profile must
// be written from inside it.
func withUnitProfile(set []*analysis.Analyzer) []*analysis.Analyzer {
	dir := os.Getenv(unitProfileEnv)
	if dir == "" {
		return set
	}
	base := filepath.Join(dir, strconv.Itoa(os.Getpid()))
	f, err := os.Create(base + ".cpu.pprof")
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %s: %v\n", progname, unitProfileEnv, err)
		return set
	}
	stop := &analysis.Analyzer{
		Name:     "futlintprofile",
		Doc:      "write this unit's profiles once the other analyzers are done (set by " + unitProfileEnv + ")",
		Requires: set,
		Run: func(*analysis.Pass) (any, error) {
			pprof.StopCPUProfile()
			f.Close()
			if h, err := os.Create(base + ".heap.pprof"); err == nil {
				pprof.WriteHeapProfile(h)
				h.Close()
			}
			return nil, nil
		},
	}
	// -NAME=true runs only the analyzers named so: name this one too, or
	// it would not run and the profiles would stay empty.
	if slices.ContainsFunc(set, func(a *analysis.Analyzer) bool { return boolFlagOn(os.Args[1:], a.Name) }) {
		os.Args = slices.Insert(os.Args, 1, "-"+stop.Name+"=true")
	}
	return append(slices.Clip(set), stop)
}
