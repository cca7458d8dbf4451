package unlockedinc

import (
	"fmt"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/calls"
	"github.com/futlint/futlint/internal/concurrency"
	"github.com/futlint/futlint/internal/ssautil"
)

// An effect is an unsynchronized update a call of a function performs,
// named by an access path its caller can translate: rooted at one of the
// function's parameters, at a global, or, for a closure, at a variable
// of an enclosing function.
type effect struct {
	path    concurrency.Path
	u       *update       // the update, if in this package
	foreign *GlobalUpdate // the update, if in another package
	via     ssa.CallInstruction
}

// rootFunc returns the function a path's root belongs to: a parameter's
// or local's function; nil for globals and paths from facts.
func rootFunc(p concurrency.Path) *ssa.Function {
	switch r := p.Root().(type) {
	case nil, *ssa.Global:
		return nil
	case *ssa.Parameter:
		return r.Parent()
	case *ssa.FreeVar:
		return r.Parent()
	case ssa.Instruction:
		return r.Parent()
	}
	return nil
}

// outer reports whether p, seen from fn, names memory a caller of fn can
// name too: not memory fn makes itself. (Binding and translation drop a
// callee's own locals anyway; leaving them out here keeps them from
// filling the caps on effects and accesses.)
func outer(fn *ssa.Function, p concurrency.Path) bool {
	switch p.Kind {
	case concurrency.Global:
		return true
	case concurrency.Param, concurrency.FreeVar, concurrency.Local:
		r := rootFunc(p)
		return r != nil && (r != fn || p.Kind == concurrency.Param)
	}
	return false
}

// translate expresses a callee's path in terms of the caller at call: a
// parameter of the callee becomes the argument's path; globals and
// variables of enclosing functions stay.
func (c *checker) translate(caller *ssa.Function, call *ssa.CallCommon, callee *ssa.Function, p concurrency.Path) (concurrency.Path, bool) {
	if p.Kind == concurrency.Global {
		return p, true
	}
	r := rootFunc(p)
	if p.Kind == concurrency.Param && (r == nil || r == callee) {
		return c.m.Translate(caller, call, p)
	}
	return p, r != nil && r != callee
}

// effectsOf returns the updates a call of fn performs with no lock held.
func (c *checker) effectsOf(fn *ssa.Function) []effect {
	fn = ssautil.OriginFunc(fn)
	if effs, ok := c.effects[fn]; ok {
		return effs
	}
	c.effects[fn] = nil // recursion: a recursive call adds nothing new
	var out []effect
	if !c.m.Local(fn) {
		obj, _ := fn.Object().(*types.Func)
		var f updatesFact
		if obj != nil && c.pass.ImportObjectFact(obj, &f) {
			for i := range f.Updates {
				out = append(out, effect{foreign: &f.Updates[i], path: concurrency.Path{Kind: concurrency.Global, Name: f.Updates[i].Global}})
			}
		}
		c.effects[fn] = out
		return out
	}
	locks := c.m.Locks(fn)
	for _, u := range c.updates[fn] {
		if locks.HeldAt(u.instr).Exclusive() {
			continue
		}
		if outer(fn, u.path) {
			out = append(out, effect{path: u.path, u: u})
		}
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			ci, ok := instr.(ssa.CallInstruction)
			if !ok || len(out) >= 100 {
				continue
			}
			if _, ok := instr.(*ssa.Go); ok {
				continue // runs elsewhere: a spawn of its own
			}
			callee := ci.Common().StaticCallee()
			if callee == nil || locks.HeldAt(instr).Exclusive() {
				continue
			}
			for _, e := range c.effectsOf(callee) {
				if e.foreign == nil {
					p, ok := c.translate(fn, ci.Common(), callee, e.path)
					if !ok || !outer(fn, p) {
						continue
					}
					e.path = p
				}
				if e.via == nil {
					e.via = ci
				}
				out = append(out, e)
			}
		}
	}
	c.effects[fn] = out
	return out
}

// An access is a read or write of memory by a function, named by a path
// its callers can translate.
type access struct {
	path concurrency.Path
	pos  token.Pos
}

// accessesOf returns the memory fn reads or writes, directly or through
// the functions it calls synchronously, that its callers can name.
func (c *checker) accessesOf(fn *ssa.Function) []access {
	fn = ssautil.OriginFunc(fn)
	if acc, ok := c.accesses[fn]; ok {
		return acc
	}
	c.accesses[fn] = nil // recursion
	var out []access
	add := func(p concurrency.Path, pos token.Pos) {
		if len(out) < 200 && outer(fn, p) {
			out = append(out, access{p, pos})
		}
	}
	if c.m.Local(fn) {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if ci, ok := instr.(ssa.CallInstruction); ok {
					if _, isGo := instr.(*ssa.Go); isGo {
						continue
					}
					for _, a := range c.callAccesses(fn, ci) {
						add(a.path, a.pos)
					}
					continue
				}
				for _, p := range c.accessPaths(fn, instr) {
					add(p, instr.Pos())
				}
			}
		}
	}
	c.accesses[fn] = out
	return out
}

// callAccesses returns what a call reads or writes, in fn's terms: the
// callee's accesses translated, those of function values it calls before
// returning, and the memory whose address it is given.
func (c *checker) callAccesses(fn *ssa.Function, ci ssa.CallInstruction) []access {
	call := ci.Common()
	var out []access
	callee := call.StaticCallee()
	if callee != nil {
		for _, a := range c.accessesOf(callee) {
			if p, ok := c.translate(fn, call, callee, a.path); ok {
				out = append(out, access{p, ci.Pos()})
			}
		}
	}
	sum := (*concurrency.Summary)(nil)
	if callee != nil {
		sum = c.m.Summary(callee)
	}
	e, surface := calls.Lookup(call)
	for i, a := range call.Args {
		if _, ok := a.Type().Underlying().(*types.Signature); ok {
			if sum.ParamUse(i)&concurrency.CalledSync != 0 || surface && e.Role == calls.SyncCallback {
				if f, _ := c.m.FuncOf(a); f != nil {
					for _, x := range c.accessesOf(f) {
						if p, ok := c.translate(fn, call, f, x.path); ok {
							out = append(out, access{p, ci.Pos()})
						}
					}
				}
			}
			continue
		}
		if callee == nil || !c.m.Local(callee) {
			// Another package's function given an address: it may
			// read or write what the address points to.
			if p := c.m.PathOf(fn, a); isPointer(a.Type()) && addressOf(p) {
				out = append(out, access{p, ci.Pos()})
			}
		}
	}
	return out
}

// addressOf reports whether p is the address of a field or of a local
// variable, rather than a pointer loaded from memory.
func addressOf(p concurrency.Path) bool {
	if len(p.Steps) == 0 {
		_, ok := p.Root().(*ssa.Alloc)
		return ok
	}
	last := p.Steps[len(p.Steps)-1]
	return !last.Deref && last.Field != ""
}

// accessPaths returns the paths of the memory instr reads or writes: an
// address handed out as an interface is reached through what its
// receiver may do with it (see handedOut).
func (c *checker) accessPaths(fn *ssa.Function, instr ssa.Instruction) []concurrency.Path {
	if mi, ok := instr.(*ssa.MakeInterface); ok {
		return c.handedOut(fn, mi)
	}
	if p, ok := c.accessPath(fn, instr); ok {
		return []concurrency.Path{p}
	}
	return nil
}

// accessPath returns the path of the memory instr reads or writes, for
// instructions other than MakeInterface.
func (c *checker) accessPath(fn *ssa.Function, instr ssa.Instruction) (concurrency.Path, bool) {
	var v ssa.Value
	var moved types.Type // the type of the value a load or store moves
	switch x := instr.(type) {
	case *ssa.UnOp:
		if x.Op != token.MUL {
			return concurrency.Path{}, false
		}
		v, moved = x.X, x.Type()
	case *ssa.Store:
		v, moved = x.Addr, x.Val.Type()
	case *ssa.Field:
		v = x
	case *ssa.Index:
		v = x
	case *ssa.Lookup:
		v = x
	case *ssa.MapUpdate:
		v = x.Map
	default:
		return concurrency.Path{}, false
	}
	if moved != nil && (isPointer(moved) || isRef(moved)) {
		// Loading or storing a pointer touches the variable, not what
		// it points to: name it by an extra step nothing else has.
		return c.m.PathOf(fn, v).Append(concurrency.Path{Steps: []concurrency.Step{{Field: "*"}}}), true
	}
	return c.m.PathOf(fn, v), true
}

func isPointer(t types.Type) bool {
	_, ok := t.Underlying().(*types.Pointer)
	return ok
}

// isRef reports whether t refers to memory elsewhere: loading or storing
// it touches none of that memory.
func isRef(t types.Type) bool {
	switch t.Underlying().(type) {
	case *types.Map, *types.Chan, *types.Signature, *types.Slice, *types.Interface:
		return true
	}
	return false
}

// sameMemory reports whether p and q may name overlapping memory: one is
// a prefix of the other from the same root variable, or, from different
// roots, by type from the last pointer on the way (a *stats may point
// into an Account's embedded stats, but a client's stats is not an
// Account's).
func sameMemory(p, q concurrency.Path) bool {
	switch {
	case p.Kind == concurrency.Global && q.Kind == concurrency.Global:
		if p.Name != q.Name {
			return false
		}
	case p.Root() != nil && p.Root() == q.Root():
	default:
		a, b := typeSteps(p), typeSteps(q)
		if a == nil || b == nil {
			return false
		}
		return containsSteps(a, b) || containsSteps(b, a)
	}
	n := min(len(p.Steps), len(q.Steps))
	for i := range n {
		if p.Steps[i] != q.Steps[i] {
			return false
		}
	}
	return true
}

// typeSteps returns the steps of p from its last pointer on, or nil when
// p goes through no pointer.
func typeSteps(p concurrency.Path) []concurrency.Step {
	start := -1
	if a, ok := p.Root().(*ssa.Alloc); p.PtrRoot || p.Kind == concurrency.Unknown || ok && a.Heap {
		start = 0 // a pointer, or a variable other code may point to
	}
	for i, s := range p.Steps {
		if s.Deref {
			start = i + 1
		}
	}
	if start < 0 || start >= len(p.Steps) || p.Steps[start].Struct == "" {
		return nil
	}
	return p.Steps[start:]
}

// containsSteps reports whether short occurs in long, from a step that
// selects from the same struct type.
func containsSteps(long, short []concurrency.Step) bool {
	for k := 0; k+len(short) <= len(long); k++ {
		if slices.Equal(long[k:k+len(short)], short) {
			return true
		}
	}
	return false
}

// checkSpawn reports the unsynchronized updates of shared memory that a
// spawned function performs, directly or through calls.
func (c *checker) checkSpawn(sp *concurrency.Spawn) {
	effs := c.effectsOf(sp.Fn)
	effs = append(effs, c.storedCallbackEffects(sp)...)
	for _, e := range effs {
		var pos token.Pos
		switch {
		case e.foreign != nil:
			pos = e.via.Pos()
		default:
			pos = e.u.stmt.Pos()
		}
		if sp.Site != nil && c.m.InTest(sp.Site.Pos()) && !c.m.InTest(pos) {
			continue // a test's goroutines are evidence for tests only
		}
		if c.reported[pos] {
			continue
		}
		if e.foreign != nil {
			if !sp.Many || e.via == nil {
				continue
			}
			c.reported[pos] = true
			name := shortFunc(e.via.Common())
			c.rep.Report(analysis.Diagnostic{Pos: pos, Related: c.spawnRelated(sp),
				Message: fmt.Sprintf("unsynchronized update of %s by %s (at %s; %s): use sync/atomic or hold a mutex in %s",
					shortGlobal(e.foreign.Global), name, e.foreign.Where, c.describe(sp), name)})
			continue
		}
		p, bound, ok := c.bind(sp, e.path)
		if !ok {
			continue
		}
		if !c.shared(sp, p, bound, e.u) {
			continue
		}
		c.reportUpdate(e.u, c.describe(sp), "", c.spawnRelated(sp)...)
	}
}

// bindToParent expresses a path of the spawned function in terms of its
// spawner: a parameter becomes the argument at the go statement; globals
// and variables of enclosing functions stay. It fails for memory the
// goroutine gets from its spawner library (the arguments a spawner passes,
// a request) except the ServeHTTP receiver, which serves every request.
func (c *checker) bindToParent(sp *concurrency.Spawn, p concurrency.Path) (concurrency.Path, bool) {
	p, _, ok := c.bind(sp, p)
	return p, ok
}

// bind is bindToParent that also returns the value the spawner binds: the
// argument, or the captured variable.
func (c *checker) bind(sp *concurrency.Spawn, p concurrency.Path) (concurrency.Path, ssa.Value, bool) {
	if p.Kind == concurrency.Global {
		return p, nil, true
	}
	r := rootFunc(p)
	if p.Kind == concurrency.Param && r == ssautil.OriginFunc(sp.Fn) || r == sp.Fn {
		if sp.Kind == concurrency.ServeHTTP {
			return p, nil, p.Param == 0
		}
		if p.Kind == concurrency.Param && p.Param == 0 && sp.Args == nil {
			if recv := boundReceiver(sp); recv != nil {
				return c.m.PathOf(sp.Parent, recv).Append(p), recv, true
			}
		}
		if sp.Args == nil || p.Param >= len(sp.Args) || p.Kind != concurrency.Param {
			return p, nil, false
		}
		arg := sp.Args[p.Param]
		return c.m.PathOf(sp.Parent, arg).Append(p), arg, true
	}
	return p, p.Root(), r != nil && r != sp.Fn
}

// boundReceiver returns the receiver a method value handed to a spawner
// is bound to: a for a.view in http.HandleFunc("/", a.view).
func boundReceiver(sp *concurrency.Spawn) ssa.Value {
	ci, ok := sp.Site.(ssa.CallInstruction)
	if !ok || sp.Fn.Signature.Recv() == nil {
		return nil
	}
	for _, a := range ci.Common().Args {
		mc, ok := ssautil.Origin(a, ssautil.Conversions).(*ssa.MakeClosure)
		if !ok || len(mc.Bindings) != 1 {
			continue
		}
		if fn, ok := mc.Fn.(*ssa.Function); ok && fn.Object() == sp.Fn.Object() {
			return mc.Bindings[0]
		}
	}
	return nil
}

// shared reports whether memory at p, in the spawner's terms, may be
// accessed while the spawned function updates it.
func (c *checker) shared(sp *concurrency.Spawn, p concurrency.Path, bound ssa.Value, u *update) bool {
	if !c.sameElement(sp, u) {
		return false
	}
	if sp.Kind == concurrency.ServeHTTP {
		return true
	}
	// Every instance of a spawn that runs many at a time gets the same
	// memory unless the spawner makes it afresh for each.
	if sp.Many && (p.Kind == concurrency.Global || !sp.InLoop || c.invariant(bound, sp.Site.Block())) {
		return true
	}
	if sp.Site == nil {
		return false
	}
	def, _ := p.Root().(ssa.Instruction)
	if c.concurrentAccess(sp, p, def, u) {
		return true
	}
	return c.outlivedAccess(sp, p)
}

// concurrentAccess reports whether the spawner touches p after the spawn
// and before a join, or a sibling spawned earlier and not yet joined does.
// Paths through def, the instruction making the memory, lead to a fresh
// variable. A hand-off through a channel or WaitGroup orders the
// spawner's access with the goroutine's update u: an access the
// goroutine waits for before u, or a send that waits for the goroutine
// to have done u (concurrency.HandsOff, SendWaitsFor).
func (c *checker) concurrentAccess(sp *concurrency.Spawn, p concurrency.Path, def ssa.Instruction, u *update) bool {
	at := c.updatePoints(sp, u)
	waitsForUpdate := func(instr ssa.Instruction) bool {
		send, ok := instr.(*ssa.Send)
		return ok && len(at) > 0 && !slices.ContainsFunc(at, func(b ssa.Instruction) bool { return !c.m.SendWaitsFor(sp, send, b) })
	}
	if c.reachesUnjoinedOr(sp.Site, def, waitsForUpdate, func(instr ssa.Instruction) bool {
		if !c.instrTouches(sp, instr, p) {
			return false
		}
		if len(at) == 0 || len(c.m.SpawnsAt(instr)) > 0 {
			return true // another goroutine's accesses: not ordered by the hand-off
		}
		return slices.ContainsFunc(at, func(b ssa.Instruction) bool { return !c.m.HandsOff(sp, instr, b, c.isJoin) })
	}) {
		return true
	}
	for _, other := range c.m.SpawnsBy(sp.Parent) {
		if other == sp || other.Site == sp.Site || !c.spawnTouches(other, p) {
			continue
		}
		if c.reachesUnjoined(other.Site, def, func(instr ssa.Instruction) bool { return instr == sp.Site }) {
			return true
		}
	}
	return false
}

// outlivedAccess reports whether the goroutine may outlive its spawner
// (no join before a return) while another function callable from
// anywhere, an exported one outside tests, touches p, memory the spawner
// was given: the other methods of a type whose Start spawns a loop.
func (c *checker) outlivedAccess(sp *concurrency.Spawn, p concurrency.Path) bool {
	if p.Kind != concurrency.Param || rootFunc(p) != sp.Parent || len(p.Steps) == 0 {
		return false
	}
	returns := c.reachesUnjoined(sp.Site, nil, func(instr ssa.Instruction) bool {
		_, ok := instr.(*ssa.Return)
		return ok
	})
	if !returns {
		return false
	}
	runs := c.runsOn(sp)
	for _, fn := range c.funcs {
		obj, ok := fn.Object().(*types.Func)
		if !ok || !obj.Exported() || fn == sp.Parent || runs[fn] || c.m.InTest(fn.Pos()) {
			continue
		}
		for _, a := range c.accessesOf(fn) {
			if a.path.Kind == concurrency.Param && len(a.path.Steps) >= len(p.Steps) && sameMemory(a.path, p) {
				return true
			}
		}
	}
	return false
}

// runsOn returns the package's functions the spawned function calls,
// directly or not: they run on its goroutine.
func (c *checker) runsOn(sp *concurrency.Spawn) map[*ssa.Function]bool {
	seen := map[*ssa.Function]bool{}
	var visit func(fn *ssa.Function)
	visit = func(fn *ssa.Function) {
		fn = ssautil.OriginFunc(fn)
		if seen[fn] || !c.m.Local(fn) || len(seen) > 500 {
			return
		}
		seen[fn] = true
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if ci, ok := instr.(*ssa.Call); ok {
					if callee := ci.Call.StaticCallee(); callee != nil {
						visit(callee)
					}
				}
			}
		}
	}
	visit(sp.Fn)
	return seen
}

// instrTouches reports whether instr of the spawner may touch p: it reads
// or writes it, calls something that does, or starts another goroutine
// that does.
func (c *checker) instrTouches(sp *concurrency.Spawn, instr ssa.Instruction, p concurrency.Path) bool {
	if instr == sp.Site {
		return false
	}
	for _, other := range c.m.SpawnsAt(instr) {
		if other != sp && c.spawnTouches(other, p) {
			return true
		}
	}
	fn := sp.Parent
	switch x := instr.(type) {
	case *ssa.Go:
		return false
	case *ssa.Defer:
		return false // runs at the return: see RunDefers
	case *ssa.RunDefers:
		for _, b := range fn.Blocks {
			for _, i := range b.Instrs {
				if d, ok := i.(*ssa.Defer); ok && c.callTouches(fn, d, p) {
					return true
				}
			}
		}
		return false
	case ssa.CallInstruction:
		return c.callTouches(fn, x, p)
	}
	for _, q := range c.accessPaths(fn, instr) {
		if sameMemory(q, p) {
			return true
		}
	}
	return false
}

func (c *checker) callTouches(fn *ssa.Function, ci ssa.CallInstruction, p concurrency.Path) bool {
	for _, a := range c.callAccesses(fn, ci) {
		if sameMemory(a.path, p) {
			return true
		}
	}
	return false
}

// spawnTouches reports whether the goroutine of sp may touch p, in its
// spawner's terms.
func (c *checker) spawnTouches(sp *concurrency.Spawn, p concurrency.Path) bool {
	for _, a := range c.accessesOf(sp.Fn) {
		if q, ok := c.bindToParent(sp, a.path); ok && sameMemory(q, p) {
			return true
		}
	}
	for _, e := range c.storedCallbackEffects(sp) {
		if sameMemory(e.path, p) {
			return true
		}
	}
	return false
}

// storedCallbackEffects returns the effects of function values the
// spawned function calls through a field of memory its spawner gave it,
// when the spawner stored them there: c := &cache{onEvict: rec.count};
// go c.evictLoop() runs rec.count on the new goroutine. Paths are in the
// spawner's terms.
func (c *checker) storedCallbackEffects(sp *concurrency.Spawn) []effect {
	if sp.Parent == nil || sp.Site == nil {
		return nil
	}
	var out []effect
	for _, b := range sp.Fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok || call.Call.IsInvoke() || call.Call.StaticCallee() != nil {
				continue
			}
			ld, ok := call.Call.Value.(*ssa.UnOp)
			if !ok || ld.Op != token.MUL {
				continue
			}
			field, ok := c.bindToParent(sp, c.m.PathOf(sp.Fn, ld.X))
			if !ok || len(field.Steps) == 0 {
				continue
			}
			for _, st := range c.storesTo(sp.Parent, field) {
				out = append(out, c.boundEffects(sp.Parent, st)...)
			}
		}
	}
	return out
}

// storesTo returns the values fn stores at the path p.
func (c *checker) storesTo(fn *ssa.Function, p concurrency.Path) []ssa.Value {
	var out []ssa.Value
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if st, ok := instr.(*ssa.Store); ok {
				if q := c.m.PathOf(fn, st.Addr); q.Root() != nil && q.Root() == p.Root() && slices.Equal(q.Steps, p.Steps) {
					out = append(out, st.Val)
				}
			}
		}
	}
	return out
}

// boundEffects returns the effects of calling the function value v of fn,
// in fn's terms: a bound method's receiver is the value it was bound to.
func (c *checker) boundEffects(fn *ssa.Function, v ssa.Value) []effect {
	f, mc := c.m.FuncOf(v)
	if f == nil {
		return nil
	}
	var recv ssa.Value
	if mc == nil {
		if bm, ok := ssautil.Origin(v, ssautil.Conversions).(*ssa.MakeClosure); ok && len(bm.Bindings) == 1 {
			recv = bm.Bindings[0] // a method value
		}
	}
	var out []effect
	for _, e := range c.effectsOf(f) {
		if e.foreign != nil {
			continue
		}
		switch r := rootFunc(e.path); {
		case e.path.Kind == concurrency.Global:
		case e.path.Kind == concurrency.Param && r == ssautil.OriginFunc(f) && e.path.Param == 0 && recv != nil:
			e.path = c.m.PathOf(fn, recv).Append(e.path)
		case r != nil && r != f:
		default:
			continue
		}
		out = append(out, e)
	}
	return out
}

// isJoin reports whether instr waits for other goroutines: a join of the
// library surface (WaitGroup, errgroup, conc, synctest), a function whose
// summary joins, a channel receive, a blocking select.
func (c *checker) isJoin(instr ssa.Instruction) bool {
	switch instr := instr.(type) {
	case *ssa.UnOp:
		return instr.Op == token.ARROW
	case *ssa.Select:
		return instr.Blocking
	case *ssa.Call:
		if e, ok := calls.Lookup(&instr.Call); ok {
			return e.Role == calls.Join
		}
		if callee := instr.Call.StaticCallee(); callee != nil {
			s := c.m.Summary(callee)
			return s != nil && len(s.Joins) > 0
		}
	}
	return false
}

// updatePoints returns the instructions of the spawned function at which
// u happens: u itself, or the calls that lead to it; nil if some are not
// known (a deferred call).
func (c *checker) updatePoints(sp *concurrency.Spawn, u *update) []ssa.Instruction {
	var out []ssa.Instruction
	for _, b := range sp.Fn.Blocks {
		for _, instr := range b.Instrs {
			if instr == u.instr {
				out = append(out, instr)
				continue
			}
			ci, ok := instr.(ssa.CallInstruction)
			if _, isGo := instr.(*ssa.Go); !ok || isGo || ci.Common().StaticCallee() == nil {
				continue
			}
			if !slices.ContainsFunc(c.effectsOf(ci.Common().StaticCallee()), func(e effect) bool { return e.u == u }) {
				continue
			}
			if _, deferred := instr.(*ssa.Defer); deferred {
				return nil
			}
			out = append(out, instr)
		}
	}
	return out
}

// reachesUnjoined reports whether an instruction satisfying match can run
// after from, on some path that does not pass a join or def.
func (c *checker) reachesUnjoined(from, def ssa.Instruction, match func(ssa.Instruction) bool) bool {
	return c.reachesUnjoinedOr(from, def, nil, match)
}

// reachesUnjoinedOr is reachesUnjoined where instructions satisfying join,
// if given, are joins too.
func (c *checker) reachesUnjoinedOr(from, def ssa.Instruction, join, match func(ssa.Instruction) bool) bool {
	b := from.Block()
	if b == nil {
		return false
	}
	stop := func(instr ssa.Instruction) bool {
		return c.isJoin(instr) || instr == def || join != nil && join(instr)
	}
	return ssautil.SearchFrom(b, ssautil.InstrIndex(from)+1, stop, match)
}

// invariant reports whether v has the same value in every iteration of
// the loop containing block loop: it is defined outside the loop, or
// selected from such a value without a varying index.
func (c *checker) invariant(v ssa.Value, loop *ssa.BasicBlock) bool {
	instr, ok := v.(ssa.Instruction)
	if !ok {
		return true // parameters, free variables, globals, constants
	}
	b := instr.Block()
	if b == nil || b.Parent() != loop.Parent() {
		return true
	}
	r := c.reachOf(b.Parent())
	if !(r.Reaches(loop, b) && r.Reaches(b, loop)) {
		return true
	}
	switch v := v.(type) {
	case *ssa.UnOp:
		return v.Op == token.MUL && c.invariant(v.X, loop)
	case *ssa.FieldAddr:
		return c.invariant(v.X, loop)
	case *ssa.Field:
		return c.invariant(v.X, loop)
	case *ssa.ChangeType:
		return c.invariant(v.X, loop)
	case *ssa.MakeInterface:
		return c.invariant(v.X, loop)
	case *ssa.IndexAddr:
		return c.invariant(v.X, loop) && c.invariant(v.Index, loop)
	}
	return false // a fresh variable, a call result, a phi: new each time
}

// sameElement reports whether the element indices on the way to u's
// address are the same in every instance of the spawned function: each
// goroutine of a loop updating counts[i] for its own i is not a race.
// Variable indices reached through calls, or in handlers, are not
// followed: the analyzer stays quiet.
func (c *checker) sameElement(sp *concurrency.Spawn, u *update) bool {
	if u.isMap {
		return true // any two writes to one map race, whatever the keys
	}
	for v := u.addr; v != nil; {
		var idx, next ssa.Value
		switch x := v.(type) {
		case *ssa.IndexAddr:
			idx, next = x.Index, x.X
		case *ssa.Index:
			idx, next = x.Index, x.X
		case *ssa.FieldAddr:
			next = x.X
		case *ssa.Field:
			next = x.X
		case *ssa.UnOp:
			if x.Op == token.MUL {
				next = x.X
			}
		case *ssa.ChangeType:
			next = x.X
		case *ssa.Slice:
			next = x.X
		}
		if idx != nil && !c.sameIndex(sp, u, idx) {
			return false
		}
		v = next
	}
	return true
}

func (c *checker) sameIndex(sp *concurrency.Spawn, u *update, idx ssa.Value) bool {
	if _, ok := idx.(*ssa.Const); ok {
		return true
	}
	if u.fn != sp.Fn || sp.Site == nil || !sp.InLoop {
		return false
	}
	switch x := ssautil.Origin(idx, ssautil.Loads|ssautil.FreeVars).(type) {
	case *ssa.Global:
		return true
	case *ssa.Parameter:
		if i := slices.Index(sp.Fn.Params, x); i >= 0 && i < len(sp.Args) {
			return c.invariant(sp.Args[i], sp.Site.Block())
		}
		return false
	case ssa.Value:
		if x.Parent() == sp.Fn {
			return false
		}
		return c.invariant(x, sp.Site.Block())
	}
	return false
}

// describe says, for a message, why the spawn's memory is shared.
func (c *checker) describe(sp *concurrency.Spawn) string {
	at := ""
	if sp.Site != nil {
		at = c.m.Pos(sp.Site.Pos())
	}
	switch sp.Kind {
	case concurrency.GoStmt:
		if sp.Many {
			return "shared by the goroutines started in a loop at " + at
		}
		return "shared with the goroutine started at " + at
	case concurrency.Callback:
		switch {
		case sp.InLoop:
			return fmt.Sprintf("shared by the functions passed to %s in a loop at %s", sp.What, at)
		case sp.Many:
			return fmt.Sprintf("shared by the goroutines %s runs the function on, called at %s", sp.What, at)
		}
		return fmt.Sprintf("shared with the function passed to %s at %s", sp.What, at)
	case concurrency.Subtest:
		return "shared by the parallel subtests started at " + at
	case concurrency.RunParallel:
		return "shared by the RunParallel goroutines started at " + at
	case concurrency.Handler:
		return "the handler registered at " + at + " runs concurrently for every request"
	case concurrency.ServeHTTP:
		return "ServeHTTP runs concurrently for every request"
	}
	return ""
}

// spawnRelated names the spawn's site for Diagnostic.Related.
func (c *checker) spawnRelated(sp *concurrency.Spawn) []analysis.RelatedInformation {
	if sp.Site == nil {
		return nil
	}
	what := "the goroutine is started here"
	switch sp.Kind {
	case concurrency.Handler:
		what = "the handler is registered here"
	case concurrency.Callback, concurrency.Subtest, concurrency.RunParallel:
		what = "the function is started on another goroutine here (" + sp.What + ")"
	}
	return []analysis.RelatedInformation{{Pos: sp.Site.Pos(), Message: what}}
}

// reachOf returns fn's block reachability, memoised for this pass (the
// model's is not memoised once it is shared).
func (c *checker) reachOf(fn *ssa.Function) *ssautil.Reach {
	r := c.reach[fn]
	if r == nil {
		r = c.m.Reach(fn)
		c.reach[fn] = r
	}
	return r
}
