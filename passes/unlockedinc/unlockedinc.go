// Package unlockedinc defines an Analyzer that reports read-modify-write
// updates (x++, x += n, m[k]++) of memory shared between goroutines when
// no mutex is held and sync/atomic is not used.
package unlockedinc

import (
	_ "embed"
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/analysisdoc"
	"github.com/futlint/futlint/internal/calls"
	"github.com/futlint/futlint/internal/concurrency"
	"github.com/futlint/futlint/internal/report"
	"github.com/futlint/futlint/internal/ssautil"
)

//go:embed doc.go
var doc string

var Analyzer = &analysis.Analyzer{
	Name:      "unlockedinc",
	Doc:       analysisdoc.MustExtract(doc, "unlockedinc"),
	URL:       "https://github.com/futlint/futlint#unlockedinc",
	Requires:  append([]*analysis.Analyzer{buildssa.Analyzer, concurrency.Analyzer}, report.Requires...),
	FactTypes: []analysis.Fact{new(updatesFact)},
	Run:       run,
}

// updatesFact lists, for callers in other packages, the package-level
// variables a function updates without synchronization.
type updatesFact struct {
	Updates []GlobalUpdate
}

// A GlobalUpdate is an unsynchronized update of a package-level variable.
type GlobalUpdate struct {
	Global string // package path and name, e.g. "example.com/metrics.hits"
	Target string // the updated expression as written, e.g. "hits"
	Where  string // "file.go:line" of the update
}

func (*updatesFact) AFact() {}

func (f *updatesFact) String() string {
	var parts []string
	for _, u := range f.Updates {
		parts = append(parts, "updates "+u.Target+" at "+u.Where)
	}
	return strings.Join(parts, "; ")
}

type checker struct {
	pass  *analysis.Pass
	m     *concurrency.Model
	rep   *report.Reporter
	funcs []*ssa.Function

	updates  map[*ssa.Function][]*update
	effects  map[*ssa.Function][]effect
	accesses map[*ssa.Function][]access
	held     map[*ssa.Function]concurrency.Lockset
	cond     map[condKey]bool
	reach    map[*ssa.Function]*ssautil.Reach
	guards   guards
	reported map[token.Pos]bool
	asserts  []types.Type    // the types the package asserts to (handedOut)
	asserted map[string]bool // the methods of the interfaces among them
}

func run(pass *analysis.Pass) (any, error) {
	if isRuntime(pass.Pkg.Path()) {
		// The runtime synchronizes with its own locks, stopped worlds
		// and per-P data, which this analyzer does not model.
		return nil, nil
	}
	m := pass.ResultOf[concurrency.Analyzer].(*concurrency.Model)
	c := &checker{
		pass:     pass,
		m:        m,
		funcs:    m.Funcs,
		updates:  make(map[*ssa.Function][]*update),
		effects:  make(map[*ssa.Function][]effect),
		accesses: make(map[*ssa.Function][]access),
		held:     make(map[*ssa.Function]concurrency.Lockset),
		cond:     make(map[condKey]bool),
		reach:    make(map[*ssa.Function]*ssautil.Reach),
		reported: make(map[token.Pos]bool),
	}
	for _, fn := range c.funcs {
		c.updates[fn] = c.updatesOf(fn)
	}
	c.exportFacts()
	if concurrency.FactsOnly {
		return nil, nil
	}
	c.rep = report.New(pass) // not before: a facts-only unit runs no reporting analyzers (analyzers.FactsOnly)
	c.guards = c.findGuards()
	for _, sp := range m.Spawns() {
		c.checkSpawn(sp)
	}
	c.checkGuardedAndAtomic()
	c.rep.Finish()
	return nil, nil
}

// heldAt returns the locks held at instr: those fn holds there, and those
// every caller holds wherever fn runs synchronously.
func (c *checker) heldAt(fn *ssa.Function, instr ssa.Instruction) concurrency.Lockset {
	s := c.m.Locks(fn).HeldAt(instr)
	for _, l := range c.callerHeld(fn) {
		if !s.Holds(l.Path, l.Read) {
			s = append(s[:len(s):len(s)], l)
		}
	}
	return append(s[:len(s):len(s)], c.conditionallyHeld(fn, instr, s)...)
}

// callerHeld returns the locks held wherever fn runs synchronously, if
// it only runs so. Call sites in tests do not count for a function
// outside them: a test calls a helper directly, on one goroutine.
func (c *checker) callerHeld(fn *ssa.Function) concurrency.Lockset {
	if s, ok := c.held[fn]; ok {
		return s
	}
	c.held[fn] = nil // recursion
	inTest := c.m.InTest(fn.Pos())
	s := c.m.CallerHeldWith(fn, func(ctx concurrency.Context) bool {
		return inTest || ctx.Site == nil || !c.m.InTest(ctx.Site.Pos())
	}, c.conditionallyHeld)
	c.held[fn] = s
	return s
}

// reportUpdate reports u once. why explains the sharing; guard names the
// mutex that guards the location elsewhere, if any, or is "-" when why
// already says how to fix it. related is the other party.
func (c *checker) reportUpdate(u *update, why, guard string, related ...analysis.RelatedInformation) {
	pos := u.stmt.Pos()
	if c.reported[pos] {
		return
	}
	c.reported[pos] = true
	d := analysis.Diagnostic{Pos: pos, End: u.stmt.End(), Related: related}
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

// related makes the Related entry naming the other party at pos.
func related(pos token.Pos, format string, args ...any) analysis.RelatedInformation {
	return analysis.RelatedInformation{Pos: pos, Message: fmt.Sprintf(format, args...)}
}

func shortGlobal(s string) string {
	if i := strings.LastIndex(s, "/"); i >= 0 {
		return s[i+1:]
	}
	return s
}

// shortFunc names a called function for messages: "metrics.Inc",
// "(*metrics.T).Inc".
func shortFunc(call *ssa.CallCommon) string {
	s := calls.Name(call)
	i := strings.LastIndex(s, "/")
	if i < 0 {
		return s
	}
	switch {
	case strings.HasPrefix(s, "(*"):
		return "(*" + s[i+1:]
	case strings.HasPrefix(s, "("):
		return "(" + s[i+1:]
	}
	return s[i+1:]
}

// exportFacts records the unsynchronized global updates of every
// package-level function and method.
func (c *checker) exportFacts() {
	for _, fn := range c.funcs {
		obj, ok := fn.Object().(*types.Func)
		if !ok || fn.Parent() != nil {
			continue
		}
		var f updatesFact
		seen := make(map[string]bool)
		for _, e := range c.effectsOf(fn) {
			if e.u == nil || e.path.Kind != concurrency.Global {
				continue // only this package's own updates: deeper chains are not trusted
			}
			gu := GlobalUpdate{Global: e.path.Name, Target: e.u.target, Where: c.m.Pos(e.u.stmt.Pos())}
			if !seen[gu.Global+gu.Where] && len(f.Updates) < 20 {
				seen[gu.Global+gu.Where] = true
				f.Updates = append(f.Updates, gu)
			}
		}
		if len(f.Updates) > 0 {
			c.pass.ExportObjectFact(obj, &f)
		}
	}
}

func isRuntime(path string) bool {
	return path == "runtime" || strings.HasPrefix(path, "internal/runtime/")
}

// conditionallyHeld returns the locks fn takes at instr only on some
// paths, when the paths that skip the lock are the ones its callers ask
// for while holding it: send := func(useLock bool) { if useLock {
// mu.Lock() }; n++; ... } called as send(true), or as send(false) with mu
// held.
func (c *checker) conditionallyHeld(fn *ssa.Function, instr ssa.Instruction, held concurrency.Lockset) concurrency.Lockset {
	locks := c.m.Locks(fn)
	var out concurrency.Lockset
	for _, l := range locks.MayHoldAt(instr) {
		if held.Holds(l.Path, l.Read) {
			continue
		}
		k := condKey{fn, l.Path.Key(), l.Read}
		covered, done := c.cond[k]
		if !done {
			c.cond[k] = false // recursion
			param, want, ok := c.lockCondition(fn, l)
			covered = ok && c.callersCover(fn, l, param, want)
			c.cond[k] = covered
		}
		if covered {
			out = append(out, l)
		}
	}
	return out
}

// A condKey names a lock a function may hold, for conditionallyHeld.
type condKey struct {
	fn   *ssa.Function
	lock string
	read bool
}

// lockCondition returns the parameter, and its value, on which fn
// acquires l: if useLock { mu.Lock() }, also through closures of fn that
// lock on it (lock := func() { if useLock { mu.Lock() } }; lock()).
func (c *checker) lockCondition(fn *ssa.Function, l concurrency.Lock) (param int, want, ok bool) {
	prm, want, ok := c.lockGuard(fn, l, 0)
	param = slices.Index(fn.Params, prm)
	return param, want, ok && param >= 0
}

// lockGuard returns the parameter, of fn or of a function enclosing it,
// and its value, on which every acquisition of l in fn depends: each
// Lock call is the only statement reached by an if on it, or a call of a
// closure of fn whose acquisitions are.
func (c *checker) lockGuard(fn *ssa.Function, l concurrency.Lock, depth int) (prm *ssa.Parameter, want, ok bool) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, isCall := instr.(*ssa.Call)
			if !isCall {
				continue
			}
			var got *ssa.Parameter
			var w bool
			e, found := calls.Lookup(&call.Call)
			switch callee := call.Call.StaticCallee(); {
			case found && e.Role == calls.Acquire && e.Read == l.Read && len(call.Call.Args) > 0:
				if c.m.LockPathOf(fn, call.Call.Args[0]).Key() != l.Path.Key() {
					continue
				}
				if len(b.Preds) != 1 {
					return nil, false, false
				}
				p := b.Preds[0]
				ifi, isIf := p.Instrs[len(p.Instrs)-1].(*ssa.If)
				if !isIf {
					return nil, false, false
				}
				// SSA branches on x itself for if !x, swapping the
				// targets. A closure reads the parameter from its cell.
				if got = condParam(ifi.Cond); got == nil {
					return nil, false, false
				}
				w = p.Succs[0] == b
			case callee != nil && callee.Parent() == fn && depth < 4 && takes(c.m.Locks(callee), l):
				var okc bool
				if got, w, okc = c.lockGuard(callee, l, depth+1); !okc {
					return nil, false, false
				}
			default:
				continue
			}
			if prm != nil && (prm != got || want != w) {
				return nil, false, false
			}
			prm, want = got, w
		}
	}
	return prm, want, prm != nil
}

// condParam returns the parameter an if condition is: the parameter
// itself, or a load of the cell a closure captures it in.
func condParam(v ssa.Value) *ssa.Parameter {
	if ld, ok := v.(*ssa.UnOp); ok && ld.Op == token.MUL {
		cell := ssautil.CellOf(ld.X)
		if cell == nil {
			return nil
		}
		st := ssautil.SingleStore(cell)
		if st == nil {
			return nil
		}
		v = st.Val
	}
	p, _ := v.(*ssa.Parameter)
	return p
}

// takes reports whether the function acquires l, itself or through callees.
func takes(fl *concurrency.FuncLocks, l concurrency.Lock) bool {
	for _, t := range fl.Taken() {
		if t.Path.Key() == l.Path.Key() && t.Read == l.Read {
			return true
		}
	}
	return false
}

// callersCover reports whether every call of fn either passes want for
// the parameter, so that fn takes l itself, or holds l.
func (c *checker) callersCover(fn *ssa.Function, l concurrency.Lock, param int, want bool) bool {
	ctxs := c.m.Contexts(fn)
	if len(ctxs) == 0 {
		return false
	}
	for _, ctx := range ctxs {
		ci, ok := ctx.Site.(ssa.CallInstruction)
		if ctx.Kind != concurrency.Sync || !ok || ci.Common().Value == nil {
			return false
		}
		args := ci.Common().Args
		if param < len(args) {
			if k, ok := args[param].(*ssa.Const); ok && k.Value != nil && constant.BoolVal(k.Value) == want {
				continue
			}
		}
		p := l.Path
		if fn.Parent() == nil {
			q, ok := c.m.TranslateLock(ctx.Caller, ci.Common(), p)
			if !ok {
				return false
			}
			p = q
		}
		if !c.heldAt(ctx.Caller, ctx.Site).Holds(p, l.Read) {
			return false
		}
	}
	return true
}
