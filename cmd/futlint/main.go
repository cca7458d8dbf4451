// Command futlint reports unsafe concurrency in Go code. See the README.
//
// It runs in three modes:
//
//	futlint [flags] packages...              standalone (internal/driver)
//	go vet -vettool=$(command -v futlint)    unitchecker, driven by go vet
//	futlint -driver=checker [flags] packages the stock go/analysis checker
//
// The standalone driver runs this same binary once per package in
// unitchecker mode, so the three share one analysis path.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/multichecker"
	"golang.org/x/tools/go/analysis/suite/vet"

	"github.com/futlint/futlint/internal/analyzers"
	"github.com/futlint/futlint/internal/concurrency"
)

const progname = "futlint"

func main() {
	args := os.Args[1:]
	withVet := vetRequested(args)
	set := analyzerSet(withVet)

	if asked, full := versionQuery(args); asked {
		// -V=full is go vet's question (its answer keys vet's cache);
		// -V and -V=true are a person's.
		if full {
			if err := printFullVersion(os.Stdout); err != nil {
				fmt.Fprintf(os.Stderr, "%s: %v\n", progname, err)
				os.Exit(1)
			}
		} else {
			printVersion(os.Stdout)
		}
		os.Exit(0)
	}

	switch {
	case unitMode(args):
		// go vet: -V=full, -flags, then one x.cfg per package. The
		// standalone driver also runs us this way.
		tuneUnitGC()
		concurrency.FactsOnly = vetxOnly(args[len(args)-1])
		if concurrency.FactsOnly {
			set = analyzers.FactsOnly(set)
		}
		registerVetFlag()
		registerRequiredFlags(flag.CommandLine, set)
		multichecker.Main(withUnitProfile(set)...)
	case checkerMode(args):
		os.Args = append([]string{os.Args[0]}, withoutDriverFlag(args)...)
		registerVetFlag()
		registerRequiredFlags(flag.CommandLine, set)
		multichecker.Main(set...)
	case len(args) > 0 && args[0] == "help":
		os.Exit(help(set, args[1:]))
	case len(args) == 1 && args[0] == "version":
		printVersion(os.Stdout)
		os.Exit(0)
	default:
		os.Exit(runStandalone(func() int { return standalone(set, args) }))
	}
}

// analyzerSet returns futlint's analyzers, plus go vet's default suite
// when -vet is given.
func analyzerSet(withVet bool) []*analysis.Analyzer {
	set := analyzers.All()
	if withVet {
		for _, a := range vet.Suite {
			if !slices.ContainsFunc(set, func(b *analysis.Analyzer) bool { return b.Name == a.Name }) {
				set = append(set, a)
			}
		}
	}
	return set
}

// The analyzer set must be known before flags are parsed (flags are
// registered per analyzer), so -vet is found by scanning the arguments.
func vetRequested(args []string) bool {
	return boolFlagOn(args, "vet")
}

// boolFlagOn reports whether the flag arguments of args set the boolean
// flag name to true (-name, -name=true, -name=1...); the last one wins, as
// in package flag.
func boolFlagOn(args []string, name string) bool {
	on := false
	for _, arg := range flagArgs(args) {
		n, value, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if n == name {
			b, err := strconv.ParseBool(value)
			on = !hasValue || (err == nil && b)
		}
	}
	return on
}

// flagArgs returns the arguments before the first non-flag one.
func flagArgs(args []string) []string {
	for i, arg := range args {
		if arg == "--" || !strings.HasPrefix(arg, "-") || arg == "-" {
			return args[:i]
		}
	}
	return args
}

// unitMode reports whether go vet (or our driver) is talking to us: flags
// and then a single *.cfg file, or the -flags query (main answers -V). A
// package directory named x.cfg is a pattern, not a config.
func unitMode(args []string) bool {
	if n := len(args); n > 0 && len(flagArgs(args)) == n-1 && strings.HasSuffix(args[n-1], ".cfg") {
		if fi, err := os.Stat(args[n-1]); err == nil && fi.Mode().IsRegular() {
			return true
		}
	}
	for _, arg := range flagArgs(args) {
		name, _, _ := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if name == "flags" {
			return true
		}
	}
	return false
}

func checkerMode(args []string) bool {
	for _, arg := range flagArgs(args) {
		if strings.TrimLeft(arg, "-") == "driver=checker" {
			return true
		}
	}
	return false
}

func withoutDriverFlag(args []string) []string {
	var out []string
	for i, arg := range args {
		if i < len(flagArgs(args)) && strings.HasPrefix(strings.TrimLeft(arg, "-"), "driver=") {
			continue
		}
		out = append(out, arg)
	}
	return out
}

// registerVetFlag declares -vet in unitchecker and checker modes, so that
// `futlint -flags` lists it and go vet accepts `go vet -vettool=... -vet`.
func registerVetFlag() {
	flag.Bool("vet", false, "also run go vet's default analyzers")
}

// registerRequiredFlags declares the flags of the analyzers the set
// requires (the shared model's -concurrency.spawners) as -NAME.FLAG,
// which the go/analysis drivers do only for the analyzers they are given:
// so the standalone driver, its units, go vet (which passes on only the
// flags `futlint -flags` lists) and -driver=checker all take them.
func registerRequiredFlags(fs *flag.FlagSet, set []*analysis.Analyzer) {
	for _, a := range analyzers.Required(set) {
		a.Flags.VisitAll(func(f *flag.Flag) {
			fs.Var(f.Value, a.Name+"."+f.Name, f.Usage)
		})
	}
}

// help implements `futlint help [name]`.
func help(set []*analysis.Analyzer, names []string) int {
	if len(names) == 0 {
		fmt.Print(usage)
		fmt.Println("\nAnalyzers (futlint help NAME for the documentation with examples):")
		for _, a := range set {
			summary, _, _ := strings.Cut(a.Doc, "\n")
			fmt.Printf("  %-18s %s\n", a.Name, summary)
		}
		if req := analyzers.Required(set); len(req) > 0 {
			fmt.Println("\nShared by the analyzers (options only; futlint help NAME for them):")
			for _, a := range req {
				summary, _, _ := strings.Cut(a.Doc, "\n")
				fmt.Printf("  %-18s %s\n", a.Name, summary)
			}
		}
		return 0
	}
	code := 0
	all := append(slices.Clip(set), analyzers.Required(set)...)
	for _, name := range names {
		i := slices.IndexFunc(all, func(a *analysis.Analyzer) bool { return a.Name == name })
		if i < 0 {
			fmt.Fprintf(os.Stderr, "%s: no analyzer %q; `futlint help` lists them (go vet's need -vet)\n", progname, name)
			code = 2
			continue
		}
		a := all[i]
		fmt.Printf("%s: %s\n", a.Name, a.Doc)
		first := true
		a.Flags.VisitAll(func(f *flag.Flag) {
			if first {
				fmt.Println("\nFlags:")
				first = false
			}
			fmt.Printf("  -%s.%s (default %q)\n    \t%s\n", a.Name, f.Name, f.DefValue, f.Usage)
		})
		if a.URL != "" {
			fmt.Printf("\nSee %s\n", a.URL)
		}
	}
	return code
}

// vetxOnly reports whether the unit config file asks only for facts (go
// vet's dependencies of the packages named): the passes skip their rules.
func vetxOnly(cfgFile string) bool {
	if !strings.HasSuffix(cfgFile, ".cfg") {
		return false
	}
	data, err := os.ReadFile(cfgFile)
	if err != nil {
		return false // unitchecker reports the unreadable file
	}
	var cfg struct{ VetxOnly bool }
	return json.Unmarshal(data, &cfg) == nil && cfg.VetxOnly
}
