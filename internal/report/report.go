// Package report is how every futlint pass reports a finding: it drops
// findings in generated files and findings silenced by a directive (see
// package directive), and reports the futlint directives that silenced
// nothing.
package report

import (
	"fmt"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"honnef.co/go/tools/analysis/facts/generated"

	"github.com/futlint/futlint/internal/directive"
)

// Requires lists the analyzers a pass must require to use a Reporter.
var Requires = []*analysis.Analyzer{directive.Analyzer, generated.Analyzer}

// A Reporter filters one pass's findings. Create it at the start of run and
// call Finish at the end.
type Reporter struct {
	pass      *analysis.Pass
	generated map[string]generated.Generator
	dirs      []*directive.Directive
	used      map[*directive.Directive]bool
}

// New returns a Reporter for pass, which must require [Requires].
func New(pass *analysis.Pass) *Reporter {
	return &Reporter{
		pass:      pass,
		generated: pass.ResultOf[generated.Analyzer].(map[string]generated.Generator),
		dirs:      pass.ResultOf[directive.Analyzer].(*directive.Result).Directives,
		used:      make(map[*directive.Directive]bool),
	}
}

// Report reports d unless it is in a generated file or silenced.
func (r *Reporter) Report(d analysis.Diagnostic) {
	if !r.Wanted(d.Pos) {
		return
	}
	if d.Pos.IsValid() && r.generated[r.pass.Fset.PositionFor(d.Pos, false).Filename] == generated.Cgo {
		// Its offsets are in cmd/cgo's output, not in the user's file.
		d.SuggestedFixes = nil
	}
	r.pass.Report(d)
}

// isGenerated reports whether the file (by its real name) is generated
// code whose findings are not shown. cmd/cgo's output is the user's code
// rewritten, and its positions (adjusted by its //line directives) are the
// user's: findings there are reported.
func (r *Reporter) isGenerated(file string) bool {
	g, ok := r.generated[file]
	return ok && g != generated.Cgo
}

// Reportf is Report with a formatted message and no fix.
func (r *Reporter) Reportf(pos token.Pos, format string, args ...any) {
	r.Report(analysis.Diagnostic{Pos: pos, Message: fmt.Sprintf(format, args...)})
}

// Wanted reports whether a finding at pos would be shown, and if a
// directive silences it, records that the directive was used. Passes that
// compute an expensive fix can ask first.
func (r *Reporter) Wanted(pos token.Pos) bool {
	if !pos.IsValid() {
		return true
	}
	// Unadjusted, like the directives' own positions: a //line directive
	// (cgo, generated code) must not move a finding away from the comment
	// that silences it.
	posn := r.pass.Fset.PositionFor(pos, false)
	if r.isGenerated(posn.Filename) {
		return false
	}
	silenced := false
	for _, d := range r.dirs {
		if d.Covers(r.pass.Analyzer.Name, posn) {
			r.used[d] = true
			silenced = true
		}
	}
	return !silenced
}

// Finish reports each futlint directive that names this pass's analyzer but
// silenced none of its findings, as staticcheck does for stale
// //lint:ignore directives. //nolint directives are left to golangci-lint's
// nolintlint, since they may be meant for other linters.
func (r *Reporter) Finish() {
	name := r.pass.Analyzer.Name
	for _, d := range r.dirs {
		if d.Kind == directive.NoLint || !d.Names(name) || r.used[d] {
			continue
		}
		if r.isGenerated(r.pass.Fset.PositionFor(d.Pos, false).Filename) {
			continue
		}
		if len(d.Analyzers) == 1 {
			r.pass.Reportf(d.Pos, "this //%s directive silences no %s finding; remove the directive", d.Kind, name)
		} else {
			r.pass.Reportf(d.Pos, "this //%s directive silences no %s finding; remove %s from it", d.Kind, name, name)
		}
	}
}
