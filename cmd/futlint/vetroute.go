package main

import (
	"flag"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/futlint/futlint/internal/analyzers"
)

// routeFlags divides the analyzer switches and options given to the
// standalone driver between its units, which run futlint's analyzers,
// and go vet, which runs its own suite for -vet (see driver.Options.Vet).
// runVet says whether go vet has any analyzer to run.
//
// -NAME=true runs only the analyzers named so, on either side: when it
// names only vet's, the units get every futlint analyzer switched off;
// when it names only futlint's, go vet is not run.
func routeFlags(fs *flag.FlagSet, set []*analysis.Analyzer, enabled map[*analysis.Analyzer]*triState, withVet bool) (unitFlags, vetFlags []string, runVet bool) {
	own := make(map[string]bool)
	for _, a := range analyzers.All() {
		own[a.Name] = true
	}
	isAnalyzer := make(map[string]bool)
	for _, a := range set {
		isAnalyzer[a.Name] = true
	}
	for _, a := range analyzers.Required(set) {
		// The model's options (-concurrency.spawners): for the units,
		// which run futlint's analyzers; go vet's suite has none.
		own[a.Name] = true
		isAnalyzer[a.Name] = true
	}
	fs.Visit(func(f *flag.Flag) {
		name, _, _ := strings.Cut(f.Name, ".")
		if !isAnalyzer[name] {
			return
		}
		arg := "-" + f.Name + "=" + f.Value.String()
		if own[name] {
			unitFlags = append(unitFlags, arg)
		} else {
			vetFlags = append(vetFlags, arg)
		}
	})
	var anyTrue, ownTrue, vetTrue bool
	for a, ts := range enabled {
		if *ts == setTrue {
			anyTrue = true
			ownTrue = ownTrue || own[a.Name]
			vetTrue = vetTrue || !own[a.Name]
		}
	}
	if anyTrue && !ownTrue {
		for _, a := range set {
			if own[a.Name] {
				unitFlags = append(unitFlags, "-"+a.Name+"=false")
			}
		}
	}
	runVet = withVet && (!anyTrue || vetTrue)
	if runVet && !anyTrue && !slices.ContainsFunc(set, func(a *analysis.Analyzer) bool { return !own[a.Name] && *enabled[a] != setFalse }) {
		runVet = false // every vet analyzer switched off
	}
	return unitFlags, vetFlags, runVet
}
