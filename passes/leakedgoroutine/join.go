package leakedgoroutine

import (
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
	"honnef.co/go/tools/go/types/typeutil"

	"github.com/futlint/futlint/internal/calls"
)

const unjoinedMessage = "goroutine is not joined: nothing waits for it to finish; start it with errgroup.Group.Go or sync.WaitGroup.Go, or wait on a done channel"

// maxDepth bounds how deep signals are looked for through helper calls.
const maxDepth = 3

// checkJoins reports the go statements of fn whose goroutine nothing waits
// for (grade 2).
func (c *checker) checkJoins(fn *ssa.Function) {
	if c.processLifetime(fn) || c.isSpawner(topLevel(fn)) {
		return
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			g, ok := instr.(*ssa.Go)
			if !ok || c.leaked[g] || c.joined(g) {
				continue
			}
			c.r.Report(analysis.Diagnostic{Pos: g.Pos(), Category: "unjoined", Message: unjoinedMessage})
		}
	}
}

// processLifetime reports whether goroutines started by fn live as long
// as the process by design: main, init and TestMain, and the goroutines
// they start. Other closures in them (handlers, callbacks) run per event
// and are checked.
func (c *checker) processLifetime(fn *ssa.Function) bool {
	if fn.Parent() != nil {
		return c.onlyStarted(fn) && c.processLifetime(fn.Parent())
	}
	return processRoot(fn)
}

// onlyStarted reports whether the closure fn is only ever run by go
// statements.
func (c *checker) onlyStarted(fn *ssa.Function) bool {
	users := c.users[fn]
	if len(users) == 0 {
		return false
	}
	for _, u := range users {
		switch x := u.(type) {
		case *ssa.Go:
			if x.Call.Value != fn {
				return false
			}
		case *ssa.MakeClosure:
			for _, ref := range *x.Referrers() {
				if g, ok := ref.(*ssa.Go); !ok || g.Call.Value != x {
					if _, dbg := ref.(*ssa.DebugRef); !dbg {
						return false
					}
				}
			}
		default:
			return false
		}
	}
	return true
}

// processRoot reports whether fn's return ends the process or fn runs
// once before everything else: main, init and TestMain.
func processRoot(fn *ssa.Function) bool {
	if fn.Signature.Recv() != nil {
		return false
	}
	switch fn.Name() {
	case "main":
		return fn.Pkg != nil && fn.Pkg.Pkg.Name() == "main"
	case "TestMain":
		return true
	}
	return fn.Synthetic == "package initializer" || isInit(fn)
}

func isInit(fn *ssa.Function) bool {
	// init functions are named init#1, init#2, ... in SSA.
	return len(fn.Name()) > 5 && fn.Name()[:5] == "init#"
}

func (c *checker) isSpawner(fn *ssa.Function) bool {
	obj, ok := fn.Object().(*types.Func)
	return ok && c.spawners[typeutil.FuncName(obj)]
}

// joined reports whether something waits for the goroutine g starts: it
// signals a WaitGroup or channel that its spawner (or an owner's method,
// or the caller) waits on.
func (c *checker) joined(g *ssa.Go) bool {
	gfn := g.Call.StaticCallee()
	var signals []ssa.Value
	switch {
	case gfn != nil && gfn.Blocks != nil:
		signals = c.signals(gfn, 0)
	case gfn != nil:
		signals = c.argSignals(&g.Call, gfn)
	}
	for _, v := range signals {
		if c.waitedFor(v, g) {
			return true
		}
	}
	return false
}

// signals returns the values fn (or a closure or helper it calls) signals
// on: WaitGroups it calls Done on, channels it sends on or closes.
func (c *checker) signals(fn *ssa.Function, depth int) []ssa.Value {
	var out []ssa.Value
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Send:
				out = append(out, x.Chan)
			case *ssa.Select:
				for _, st := range x.States {
					if st.Dir == types.SendOnly {
						out = append(out, st.Chan)
					}
				}
			case ssa.CallInstruction:
				cc := x.Common()
				if b, ok := cc.Value.(*ssa.Builtin); ok {
					if b.Name() == "close" && len(cc.Args) == 1 {
						out = append(out, cc.Args[0])
					}
					continue
				}
				if calls.Is(cc, "(*sync.WaitGroup).Done") && len(cc.Args) == 1 {
					out = append(out, cc.Args[0])
					continue
				}
				callee := cc.StaticCallee()
				if callee == nil || cc.IsInvoke() {
					continue
				}
				if _, ok := cc.Value.(*ssa.MakeClosure); ok && callee.Blocks != nil {
					// deferred or immediately called closure: its captures
					// resolve to fn's values through closure bindings.
					out = append(out, c.signals(callee, depth)...)
					continue
				}
				if depth < maxDepth {
					out = append(out, c.argSignals(cc, callee)...)
				}
			}
		}
	}
	return out
}

// argSignals returns the arguments of a call that the callee signals on.
func (c *checker) argSignals(cc *ssa.CallCommon, callee *ssa.Function) []ssa.Value {
	var params []int
	if callee.Pkg != nil && callee.Pkg.Pkg == c.pass.Pkg && callee.Blocks != nil {
		params = c.summary(callee, 1)
	} else if obj := callee.Object(); obj != nil {
		if callee.Origin() != nil {
			obj = callee.Origin().Object()
		}
		var f signalsFact
		if c.pass.ImportObjectFact(obj, &f) {
			params = f.Params
		}
	}
	var out []ssa.Value
	for _, i := range params {
		if i < len(cc.Args) {
			out = append(out, cc.Args[i])
		}
	}
	return out
}

// summary returns the indices of fn's parameters fn signals on.
func (c *checker) summary(fn *ssa.Function, depth int) []int {
	if params, ok := c.summaries[fn]; ok {
		return params
	}
	c.summaries[fn] = nil // recursion
	var params []int
	for _, v := range c.signals(fn, depth+1) {
		v = c.resolveIn(fn, v)
		if fa, ok := v.(*ssa.FieldAddr); ok {
			v = c.resolveIn(fn, fa.X) // r.done <- x signals on r's done
		}
		if p, ok := v.(*ssa.Parameter); ok && p.Parent() == fn {
			if i := slices.Index(fn.Params, p); i >= 0 && !slices.Contains(params, i) {
				params = append(params, i)
			}
		}
	}
	slices.Sort(params)
	c.summaries[fn] = params
	return params
}

// resolveIn follows v back through conversions, loads and closure
// bindings until it leaves the closures nested in top.
func (c *checker) resolveIn(top *ssa.Function, v ssa.Value) ssa.Value {
	for range 32 {
		switch x := v.(type) {
		case *ssa.ChangeType:
			v = x.X
		case *ssa.MakeInterface:
			v = x.X
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return v
			}
			if _, ok := x.X.(*ssa.FieldAddr); ok {
				return x.X
			}
			v = x.X
		case *ssa.FreeVar:
			if x.Parent() == top {
				return v
			}
			b := c.binding(x)
			if b == nil {
				return v
			}
			v = b
		default:
			return v
		}
	}
	return v
}

// binding returns the value a free variable is bound to at the closure's
// only creation site.
func (c *checker) binding(fv *ssa.FreeVar) ssa.Value {
	mc := c.closures[fv.Parent()]
	if mc == nil {
		return nil
	}
	if i := slices.Index(fv.Parent().FreeVars, fv); i >= 0 && i < len(mc.Bindings) {
		return mc.Bindings[i]
	}
	return nil
}

// rootIn returns the value of g's spawner that v, a value the goroutine
// g signals on, stands for.
func (c *checker) rootIn(v ssa.Value, g *ssa.Go) ssa.Value {
	gfn := g.Call.StaticCallee()
	spawner := g.Parent()
	for range 32 {
		v = c.resolveIn(spawner, v)
		p, ok := v.(*ssa.Parameter)
		if !ok || gfn == nil || p.Parent() != gfn {
			return v
		}
		i := slices.Index(gfn.Params, p)
		if i < 0 || i >= len(g.Call.Args) {
			return v
		}
		v = g.Call.Args[i]
	}
	return v
}

// rootKey identifies a root: struct fields by their declaration, since
// each access is a new FieldAddr.
func rootKey(v ssa.Value) any {
	switch v.(type) {
	case *ssa.FieldAddr, *ssa.Field:
		if f := fieldOf(v); f != nil {
			return f
		}
		if f := fieldOfAddr(v); f != nil {
			return f
		}
	}
	return v
}

// waitedFor reports whether the value v that goroutine g signals on is
// waited for: by the spawner, by an owner's method, or by someone the
// spawner hands it to.
func (c *checker) waitedFor(v ssa.Value, g *ssa.Go) bool {
	spawner := g.Parent()
	switch x := c.rootIn(v, g).(type) {
	case *ssa.FieldAddr, *ssa.Field:
		f, _ := rootKey(x).(*types.Var)
		return f == nil || f.Exported() || c.waited[f]
	case *ssa.MakeChan:
		if x.Parent() != spawner {
			return false // the goroutine's own channel
		}
		return c.chanWaited(spawner, x, g)
	case *ssa.Alloc:
		if x.Parent() != spawner {
			return false
		}
		if isWaitGroup(x.Type()) {
			return c.groupWaited(x, g)
		}
		return c.chanWaited(spawner, x, g)
	default:
		return true // a parameter, a global, a call's result: assume someone waits
	}
}

func fieldOfAddr(v ssa.Value) *types.Var {
	fa, ok := v.(*ssa.FieldAddr)
	if !ok {
		return nil
	}
	// The pointer's type may be a type parameter constrained to one.
	if p, ok := typeutil.CoreType(fa.X.Type()).(*types.Pointer); ok {
		return fieldVar(p.Elem(), fa.Field)
	}
	return nil
}

func isWaitGroup(t types.Type) bool {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "sync" && n.Obj().Name() == "WaitGroup"
}

// chanWaited: some actor other than g receives from ch, or ch leaves
// the spawner (returned, stored, passed on).
func (c *checker) chanWaited(spawner *ssa.Function, ch ssa.Value, g *ssa.Go) bool {
	u := channelUsage(spawner, ch)
	if u.escapes || u.returned {
		return true
	}
	for _, o := range u.recvs {
		if o.actor != g {
			return true
		}
	}
	return false
}

// groupWaited: Wait is called on the WaitGroup, or it is handed to code
// we do not follow.
func (c *checker) groupWaited(wg ssa.Value, g *ssa.Go) bool {
	seen := make(map[ssa.Value]bool)
	var walk func(v ssa.Value) bool
	walk = func(v ssa.Value) bool {
		if seen[v] {
			return false
		}
		seen[v] = true
		for _, ref := range *v.Referrers() {
			switch r := ref.(type) {
			case *ssa.DebugRef, *ssa.Store:
			case *ssa.MakeClosure:
				fn, ok := r.Fn.(*ssa.Function)
				if !ok {
					return true
				}
				for i, b := range r.Bindings {
					if b == v && walk(fn.FreeVars[i]) {
						return true
					}
				}
			case ssa.CallInstruction:
				cc := r.Common()
				if calls.Is(cc, "(*sync.WaitGroup).Wait") {
					return true
				}
				if calls.Is(cc, "(*sync.WaitGroup).Add", "(*sync.WaitGroup).Done", "(*sync.WaitGroup).Go") {
					continue
				}
				if callee := cc.StaticCallee(); callee != nil && callee.Blocks != nil && !cc.IsInvoke() {
					if _, isGo := r.(*ssa.Go); isGo {
						for i, a := range cc.Args {
							if a == v && i < len(callee.Params) && walk(callee.Params[i]) {
								return true
							}
						}
						continue
					}
				}
				return true // handed to a helper: assume it waits
			default:
				return true
			}
		}
		return false
	}
	return walk(wg)
}
