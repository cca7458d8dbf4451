package driver

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"strings"
)

// goVet runs go vet's own suite on the patterns (for -vet) and adds its
// findings to the result.
//
// go vet's analyzers are not run in the units: they need facts about
// every dependency (ctrlflow's "log.Fatalf does not return", which
// lostcancel relies on, printf's wrappers), and the units analyse only
// the packages matched, so lostcancel reported cancel funcs that go vet
// does not. go vet computes those facts (and caches them), so its findings
// are exactly vet's.
func (d *driver) goVet() {
	args := []string{"vet", "-json"}
	if d.opts.Tags != "" {
		args = append(args, "-tags", d.opts.Tags)
	}
	args = append(args, d.opts.VetFlags...)
	args = append(args, "--")
	args = append(args, d.opts.Patterns...)
	cmd := exec.CommandContext(d.ctx, "go", args...)
	cmd.Dir = d.opts.Dir
	cmd.Cancel = func() error { return interrupt(cmd) }
	cmd.WaitDelay = goListWaitDelay
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	if d.ctx.Err() != nil {
		return
	}

	// stdout: one JSON tree per package, as the units print.
	dec := json.NewDecoder(&stdout)
	//futlint:ignore uncheckedcancel the loop decodes go vet's finished output from memory; it ends with the buffer
	for {
		var tree map[string]map[string]json.RawMessage
		if err := dec.Decode(&tree); err != nil {
			if !errors.Is(err, io.EOF) {
				d.addError("go vet: cannot decode its output: %v", err)
			}
			break
		}
		for id, byAnalyzer := range tree {
			if p := d.vetPackage(id); p != nil {
				realEditFiles(byAnalyzer, p.goFiles(), inDir(p.Dir))
			}
			if !d.opts.Tests {
				dropTestFiles(byAnalyzer)
			}
			d.mu.Lock()
			if d.res.Tree[id] == nil {
				d.res.Tree[id] = make(map[string]json.RawMessage)
			}
			for name, raw := range byAnalyzer {
				d.res.Tree[id][name] = raw
			}
			d.mu.Unlock()
		}
	}

	// stderr: "# pkg" and the package's errors, which the units report
	// too; anything else is go vet's own failure.
	if runErr == nil {
		return
	}
	failed := make(map[string]bool)
	for _, e := range d.res.Errors {
		if rest, ok := strings.CutPrefix(e, "package "); ok {
			id, _, _ := strings.Cut(rest, ": ")
			failed[basePath(id)] = true
		}
	}
	var pkg string
	var other []string
	reported := false
	for line := range strings.SplitSeq(strings.TrimSpace(stderr.String()), "\n") {
		switch {
		case strings.HasPrefix(line, "# "):
			pkg = basePath(strings.TrimPrefix(line, "# "))
		case strings.HasSuffix(line, "matched no packages"):
		case pkg != "" && failed[pkg]:
			reported = true
		case pkg != "":
			d.addError("package %s: go vet: %s", pkg, strings.TrimPrefix(line, "vet: "))
			reported = true
		default:
			other = append(other, line)
		}
	}
	if !reported {
		d.addError("go vet: %v\n\t%s", runErr, strings.Join(other, "\n\t"))
	}
}

// vetPackage returns the package go list described for an ID of go vet's
// output: the test variant, whose files include the package's, if any.
func (d *driver) vetPackage(id string) *listPackage {
	if p := d.byID[id+" ["+id+".test]"]; p != nil {
		return p
	}
	return d.byID[id]
}

// dropTestFiles removes the diagnostics in _test.go files (go vet always
// analyses tests).
func dropTestFiles(byAnalyzer map[string]json.RawMessage) {
	for name, raw := range byAnalyzer {
		var list []Finding
		if json.Unmarshal(raw, &list) != nil {
			continue
		}
		kept := list[:0]
		for _, f := range list {
			if !strings.HasSuffix(ParsePosn(f.Posn).File, "_test.go") {
				kept = append(kept, f)
			}
		}
		if len(kept) < len(list) {
			data, _ := json.Marshal(kept)
			byAnalyzer[name] = data
		}
	}
}
