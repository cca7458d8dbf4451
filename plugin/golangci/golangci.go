// Package golangci registers futlint as a golangci-lint v2 module plugin.
//
// A custom golangci-lint built with this package (see the README's
// .custom-gcl.yml) runs every futlint analyzer as the linter "futlint":
//
//	linters:
//	  enable: [futlint]
//	  settings:
//	    custom:
//	      futlint:
//	        type: module
//	        settings:
//	          disable: [uncheckedcancel]
//	          leakedgoroutine:
//	            strict: false
//	          concurrency:             # the model the analyzers share
//	            spawners: [example.com/pool.Go]
//
// Each analyzer's options are its command-line flags, without the
// analyzer prefix, so every flag futlint has is also a setting; so are
// the options of the shared model (concurrency), which cannot be disabled.
package golangci

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/futlint/futlint/internal/analyzers"
	"github.com/futlint/futlint/internal/directive"
)

func init() {
	register.Plugin("futlint", New)
}

// Settings is the decoded settings block of the futlint linter.
type Settings struct {
	// Disable names analyzers not to run.
	Disable []string
	// Options maps an analyzer name to its options, as written: a
	// mapping of flag name to value (checked by New).
	Options map[string]any
}

// UnmarshalJSON accepts "disable" and one object per analyzer. Analyzer
// names are checked later, against the analyzers the plugin has.
func (s *Settings) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		return nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return fmt.Errorf("settings must be a mapping: %w", err)
	}
	for _, key := range slices.Sorted(maps.Keys(raw)) {
		if key == "disable" {
			if err := json.Unmarshal(raw[key], &s.Disable); err != nil {
				return fmt.Errorf("disable must be a list of analyzer names: %w", err)
			}
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(raw[key]))
		dec.UseNumber()
		var opts any
		if err := dec.Decode(&opts); err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		if s.Options == nil {
			s.Options = make(map[string]any)
		}
		s.Options[key] = opts
	}
	return nil
}

// Plugin is the futlint linter inside golangci-lint.
type Plugin struct {
	analyzers []*analysis.Analyzer
}

// New decodes conf, sets each analyzer's options and drops the disabled
// analyzers. Any unknown key, analyzer or option is an error naming it, so
// a typo never silently turns a check off or leaves it misconfigured.
func New(conf any) (register.LinterPlugin, error) {
	// golangci-lint applies //nolint, //nolint:all and //nolint:futlint
	// itself; if futlint silenced those findings first, nolintlint would
	// call the comments unused. Settings may still turn this back on.
	if err := directive.Analyzer.Flags.Set("nolint", "false"); err != nil {
		return nil, err
	}
	return newPlugin(conf, analyzers.All())
}

func newPlugin(conf any, all []*analysis.Analyzer) (*Plugin, error) {
	s, err := register.DecodeSettings[Settings](conf)
	if err != nil {
		return nil, fmt.Errorf("futlint settings: %w", err)
	}
	byName := make(map[string]*analysis.Analyzer)
	for _, a := range all {
		byName[a.Name] = a
	}
	names := strings.Join(slices.Sorted(maps.Keys(byName)), ", ")
	// The analyzers the passes require that have options (the shared
	// model's concurrency.spawners) take settings too, but always run.
	required := make(map[string]bool)
	for _, a := range analyzers.Required(all) {
		byName[a.Name] = a
		required[a.Name] = true
	}
	keys := strings.Join(slices.Sorted(maps.Keys(byName)), ", ")

	disabled := make(map[string]bool)
	for _, name := range s.Disable {
		if required[name] {
			return nil, fmt.Errorf("futlint settings: disable: %s is the model the analyzers share, not an analyzer of its own: it cannot be disabled (its options are settings: %s)", name, optionList(byName[name]))
		}
		if byName[name] == nil {
			return nil, fmt.Errorf("futlint settings: disable: unknown analyzer %q; futlint has %s", name, names)
		}
		disabled[name] = true
	}

	// Check everything before setting anything, so a bad configuration
	// leaves the analyzers as they were.
	type setting struct {
		f     *flag.Flag
		key   string
		value string
	}
	var settings []setting
	for _, name := range slices.Sorted(maps.Keys(s.Options)) {
		a := byName[name]
		if a == nil {
			return nil, fmt.Errorf("futlint settings: unknown key %q: want disable or an analyzer name (%s)", name, keys)
		}
		opts, ok := s.Options[name].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("futlint settings: %s must be a mapping of option names to values, not %s", name, kind(s.Options[name]))
		}
		for _, opt := range slices.Sorted(maps.Keys(opts)) {
			key := name + "." + opt
			f := a.Flags.Lookup(opt)
			if f == nil {
				return nil, fmt.Errorf("futlint settings: %s: unknown option %q; %s", name, opt, optionList(a))
			}
			v, err := flagValue(opts[opt])
			if err != nil {
				return nil, fmt.Errorf("futlint settings: %s: %v", key, err)
			}
			settings = append(settings, setting{f, key, v})
		}
	}
	for _, st := range settings {
		if err := st.f.Value.Set(st.value); err != nil {
			return nil, fmt.Errorf("futlint settings: %s: invalid value %q: %v", st.key, st.value, err)
		}
	}

	p := new(Plugin)
	for _, a := range all {
		if !disabled[a.Name] {
			p.analyzers = append(p.analyzers, a)
		}
	}
	return p, nil
}

// BuildAnalyzers returns the enabled analyzers.
func (p *Plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	return p.analyzers, nil
}

// GetLoadMode asks for type information: the analyzers build SSA.
func (p *Plugin) GetLoadMode() string {
	return register.LoadModeTypesInfo
}

// flagValue renders a YAML scalar or list of scalars as a flag value;
// a list becomes a comma-separated value.
func flagValue(v any) (string, error) {
	switch v := v.(type) {
	case bool:
		return fmt.Sprint(v), nil
	case json.Number:
		return v.String(), nil
	case string:
		return v, nil
	case []any:
		var elems []string
		for _, e := range v {
			switch e.(type) {
			case []any, map[string]any, nil:
				return "", fmt.Errorf("a list must hold plain values, not %s", kind(e))
			}
			s, err := flagValue(e)
			if err != nil {
				return "", err
			}
			elems = append(elems, s)
		}
		return strings.Join(elems, ","), nil
	}
	return "", fmt.Errorf("want a boolean, number, string or list, not %s", kind(v))
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "an empty value"
	case map[string]any:
		return "a mapping"
	case []any:
		return "a list"
	}
	return fmt.Sprintf("%T", v)
}

func optionList(a *analysis.Analyzer) string {
	var opts []string
	a.Flags.VisitAll(func(f *flag.Flag) { opts = append(opts, f.Name) })
	if len(opts) == 0 {
		return a.Name + " has no options"
	}
	return a.Name + " has options: " + strings.Join(opts, ", ")
}
