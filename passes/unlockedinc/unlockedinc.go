// Package unlockedinc defines an Analyzer that reports read-modify-write
// updates (x++, x += n, m[k]++) of memory shared between goroutines when
// no mutex is held and sync/atomic is not used.
package unlockedinc

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/analysisdoc"
	"github.com/futlint/futlint/internal/calls"
	"github.com/futlint/futlint/internal/report"
)

//go:embed doc.go
var doc string

var Analyzer = &analysis.Analyzer{
	Name:      "unlockedinc",
	Doc:       analysisdoc.MustExtract(doc, "unlockedinc"),
	URL:       "https://github.com/futlint/futlint#unlockedinc",
	Requires:  append([]*analysis.Analyzer{buildssa.Analyzer}, report.Requires...),
	FactTypes: []analysis.Fact{new(summaryFact)},
	Run:       run,
}

// summaryFact describes, for callers in other packages, what a function
// does that matters to them: the locks it leaves held or releases, and the
// package-level variables it updates without synchronization.
type summaryFact struct {
	Acquires []string       // lock paths held on return ("p0.mu", "g:pkg.mu"; "r:" for read locks)
	Releases []string       // lock paths released
	Updates  []GlobalUpdate // unsynchronized updates of package-level variables
}

// A GlobalUpdate is an unsynchronized update of a package-level variable.
type GlobalUpdate struct {
	Global string // package path and name, e.g. "example.com/metrics.hits"
	Target string // the updated expression as written, e.g. "hits"
	Where  string // "file.go:line" of the update
}

func (*summaryFact) AFact() {}

func (f *summaryFact) String() string {
	var parts []string
	if len(f.Acquires) > 0 {
		parts = append(parts, "acquires "+strings.Join(f.Acquires, ","))
	}
	if len(f.Releases) > 0 {
		parts = append(parts, "releases "+strings.Join(f.Releases, ","))
	}
	for _, u := range f.Updates {
		parts = append(parts, "updates "+u.Target+" at "+u.Where)
	}
	return strings.Join(parts, "; ")
}

type checker struct {
	pass   *analysis.Pass
	rep    *report.Reporter
	ssaPkg *ssa.Package
	funcs  []*ssa.Function

	ids            map[ssa.Value]int
	fieldKeys      map[fieldID]string
	lockCache      map[*ssa.Function]*locks
	updates        map[*ssa.Function][]*update
	effectCache    map[*ssa.Function][]effect
	spawnsByParent map[*ssa.Function][]*spawn
	reach          map[*ssa.BasicBlock]map[*ssa.BasicBlock]bool
	callerLocked   map[*ssa.Function]bool
	stmts          []ast.Stmt
	reported       map[token.Pos]bool
}

func run(pass *analysis.Pass) (any, error) {
	if isRuntime(pass.Pkg.Path()) {
		// The runtime synchronizes with its own locks, stopped worlds
		// and per-P data, which this analyzer does not model.
		return nil, nil
	}
	ssainfo := pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA)
	c := &checker{
		pass:           pass,
		rep:            report.New(pass),
		ssaPkg:         ssainfo.Pkg,
		funcs:          ssainfo.SrcFuncs,
		ids:            make(map[ssa.Value]int),
		fieldKeys:      make(map[fieldID]string),
		lockCache:      make(map[*ssa.Function]*locks),
		updates:        make(map[*ssa.Function][]*update),
		effectCache:    make(map[*ssa.Function][]effect),
		spawnsByParent: make(map[*ssa.Function][]*spawn),
		reach:          make(map[*ssa.BasicBlock]map[*ssa.BasicBlock]bool),
		reported:       make(map[token.Pos]bool),
	}
	for _, fn := range c.funcs {
		c.updates[fn] = c.updatesOf(fn)
	}
	c.exportFacts()
	c.callerLocked = c.findCallerLocked()

	spawns := c.findSpawns()
	for _, sp := range spawns {
		if sp.parent != nil {
			c.spawnsByParent[sp.parent] = append(c.spawnsByParent[sp.parent], sp)
		}
	}
	for _, sp := range spawns {
		c.checkSpawn(sp)
	}
	c.checkGuardedAndAtomic()
	c.rep.Finish()
	return nil, nil
}

// local reports whether fn's body is analysed in this pass: a function of
// this package, or a synthetic wrapper (bound method, thunk) around one.
func (c *checker) local(fn *ssa.Function) bool {
	if fn.Pkg == c.ssaPkg {
		return true
	}
	return fn.Pkg == nil && fn.Synthetic != "" && len(fn.Blocks) > 0 && len(fn.Blocks) < 10
}

// An effect is an unsynchronized update a call of a function performs,
// expressed in terms of that function's parameters, free variables or
// package-level variables.
type effect struct {
	root    ssa.Value     // *ssa.Parameter, *ssa.FreeVar or *ssa.Global; nil for foreign
	field   int           // field selected directly on root, or -1
	u       *update       // the update, if in this package
	foreign *GlobalUpdate // the update, if in another package
	via     ssa.CallInstruction
}

// effects returns the updates a call of fn performs with no lock held.
func (c *checker) effects(fn *ssa.Function) []effect {
	if fn.Origin() != nil {
		fn = fn.Origin()
	}
	if effs, ok := c.effectCache[fn]; ok {
		return effs
	}
	c.effectCache[fn] = nil // recursion: a recursive call adds nothing new
	var out []effect
	if !c.local(fn) {
		obj, _ := fn.Object().(*types.Func)
		var f summaryFact
		if obj != nil && c.pass.ImportObjectFact(obj, &f) {
			for i := range f.Updates {
				out = append(out, effect{foreign: &f.Updates[i], field: -1})
			}
		}
		c.effectCache[fn] = out
		return out
	}
	held := c.locksOf(fn).before
	for _, u := range c.updates[fn] {
		if held[u.instr].exclusive() {
			continue
		}
		root := rootOf(u.addr)
		switch root.(type) {
		case *ssa.Parameter, *ssa.FreeVar, *ssa.Global:
			out = append(out, effect{root: root, field: firstField(u.addr, root), u: u})
		}
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			ci, ok := instr.(ssa.CallInstruction)
			if !ok || held[instr].exclusive() {
				continue
			}
			if _, ok := instr.(*ssa.Go); ok {
				continue // runs elsewhere: a spawn of its own
			}
			callee := ci.Common().StaticCallee()
			if callee == nil {
				continue
			}
			for _, e := range c.effects(callee) {
				if m, ok := c.mapEffect(ci, callee, e); ok && len(out) < 100 {
					out = append(out, m)
				}
			}
		}
	}
	c.effectCache[fn] = out
	return out
}

// mapEffect expresses a callee's effect in terms of the caller.
func (c *checker) mapEffect(ci ssa.CallInstruction, callee *ssa.Function, e effect) (effect, bool) {
	if e.foreign != nil {
		if e.via == nil {
			e.via = ci
		}
		return e, true
	}
	var bound ssa.Value
	switch r := e.root.(type) {
	case *ssa.Global:
		return e, true
	case *ssa.Parameter:
		i := slices.Index(callee.Params, r)
		if i < 0 || i >= len(ci.Common().Args) {
			return e, false
		}
		bound = ci.Common().Args[i]
	case *ssa.FreeVar:
		mc, ok := ci.Common().Value.(*ssa.MakeClosure)
		i := slices.Index(callee.FreeVars, r)
		if !ok || i < 0 || i >= len(mc.Bindings) {
			return e, false
		}
		bound = mc.Bindings[i]
	default:
		return e, false
	}
	root := rootOf(bound)
	switch root.(type) {
	case *ssa.Parameter, *ssa.FreeVar, *ssa.Global:
	default:
		return e, false
	}
	if root != bound {
		e.field = firstField(bound, root)
	}
	e.root = root
	return e, true
}

// checkSpawn reports the unsynchronized updates of shared memory that a
// spawned function performs, directly or through calls.
func (c *checker) checkSpawn(sp *spawn) {
	for _, e := range c.effects(sp.fn) {
		if e.foreign != nil {
			if !(sp.multi() || sp.site != nil && c.inLoop(sp.site)) || e.via == nil {
				continue
			}
			pos := e.via.Pos()
			if c.reported[pos] {
				continue
			}
			c.reported[pos] = true
			name := calls.Name(e.via.Common())
			c.rep.Reportf(pos, "unsynchronized update of %s by %s (at %s; %s): use sync/atomic or hold a mutex in %s",
				shortGlobal(e.foreign.Global), shortFunc(name), e.foreign.Where, c.describe(sp), shortFunc(name))
			continue
		}
		if !c.shared(sp, e.root, e.field) || !c.sameElement(sp, e.u) {
			continue
		}
		c.reportUpdate(e.u, c.describe(sp), "")
	}
}

// reportUpdate reports u once. why explains the sharing; guard names the
// mutex that guards the location elsewhere, if any, or is "-" when why
// already says how to fix it.
func (c *checker) reportUpdate(u *update, why, guard string) {
	pos := u.stmt.Pos()
	if c.reported[pos] {
		return
	}
	c.reported[pos] = true
	d := analysis.Diagnostic{Pos: pos, End: u.stmt.End()}
	switch {
	case u.isMap && guard != "" && guard != "-":
		d.Message = fmt.Sprintf("unsynchronized %s of map element %s: %s; concurrent map writes are a fatal runtime error: hold %s here too", u.verb(), u.target, why, guard)
	case u.isMap:
		d.Message = fmt.Sprintf("unsynchronized %s of map element %s (%s): concurrent map writes are a fatal runtime error; hold a mutex", u.verb(), u.target, why)
	case guard == "-":
		d.Message = fmt.Sprintf("unsynchronized %s of %s: %s", u.verb(), u.target, why)
	case guard != "":
		d.Message = fmt.Sprintf("unsynchronized %s of %s: %s; hold %s here too", u.verb(), u.target, why, guard)
	default:
		d.Message = fmt.Sprintf("unsynchronized %s of %s (%s): use sync/atomic or hold a mutex", u.verb(), u.target, why)
	}
	if (guard == "" || guard == "-") && !u.isMap && c.rep.Wanted(pos) {
		if fix, ok := c.atomicFix(u); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{fix}
		}
	}
	c.rep.Report(d)
}

func shortGlobal(s string) string {
	if i := strings.LastIndex(s, "/"); i >= 0 {
		return s[i+1:]
	}
	return s
}

func shortFunc(s string) string {
	if i := strings.LastIndex(s, "/"); i >= 0 {
		prefix := strings.TrimRight(s[:strings.Index(s, "/")], "")
		if strings.HasPrefix(prefix, "(*") {
			return "(*" + s[i+1:]
		}
		if strings.HasPrefix(prefix, "(") {
			return "(" + s[i+1:]
		}
		return s[i+1:]
	}
	return s
}

// exportFacts records the lock summary and the unsynchronized global
// updates of every package-level function and method.
func (c *checker) exportFacts() {
	for _, fn := range c.funcs {
		obj, ok := fn.Object().(*types.Func)
		if !ok || fn.Parent() != nil {
			continue
		}
		var f summaryFact
		acq, rel := c.lockSummary(fn)
		for _, l := range acq {
			f.Acquires = append(f.Acquires, encodeLock(l))
		}
		for _, l := range rel {
			f.Releases = append(f.Releases, encodeLock(l))
		}
		seen := make(map[string]bool)
		for _, e := range c.effects(fn) {
			var gu GlobalUpdate
			switch {
			case e.foreign != nil:
				continue // only this package's own updates: deeper chains are not trusted
			case e.u != nil:
				g, ok := e.root.(*ssa.Global)
				if !ok {
					continue
				}
				gu = GlobalUpdate{Global: g.Pkg.Pkg.Path() + "." + g.Name(), Target: e.u.target, Where: c.where(e.u.stmt.Pos())}
			}
			if !seen[gu.Global+gu.Where] && len(f.Updates) < 20 {
				seen[gu.Global+gu.Where] = true
				f.Updates = append(f.Updates, gu)
			}
		}
		if len(f.Acquires)+len(f.Releases)+len(f.Updates) > 0 {
			c.pass.ExportObjectFact(obj, &f)
		}
	}
}

func isRuntime(path string) bool {
	return path == "runtime" || strings.HasPrefix(path, "internal/runtime/")
}
