package leakedgoroutine

// Method contracts: Start without Stop (the oracle's
// MethodContractViolation). A method Start of a type T starts a goroutine
// whose loop ends only when a channel field of T, its stop channel, is
// closed or sent on; another method (Stop) does that. A function that
// makes a T of its own, calls Start, and returns on some path without
// anything able to stop it leaks the goroutine with certainty: the T
// does not leave the function (not returned, stored, captured by a
// closure that escapes, converted to an interface), its stop channel is
// one the function made for it, and no call on that path (nor a deferred
// one) reaches a close of or send on the stop field.
//
// The goroutine "ends only on the stop channel" when, cutting the select
// cases and receives on that field, no return, panic or goroutine-ending
// call is reachable from its entry: a work channel whose closing ends the
// loop (v, ok := <-w.in; if !ok { return }) is another way out, and then
// nothing is reported.

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/concurrency"
	"github.com/futlint/futlint/internal/ssautil"
)

// maxEscapeDepth bounds how deep the owner's value is followed into the
// package's functions; deeper counts as escaping.
const maxEscapeDepth = 6

// contracts is the state of checkContracts for one package.
type contracts struct {
	c        *checker
	stoppers map[string]map[*ssa.Function]bool // by field key: functions that (through calls) close or send on it
	callers  map[*ssa.Function][]*ssa.Function
}

// checkContracts reports Start calls whose goroutine no path stops.
func (c *checker) checkContracts(funcs []*ssa.Function) {
	k := &contracts{c: c, stoppers: make(map[string]map[*ssa.Function]bool), callers: make(map[*ssa.Function][]*ssa.Function)}
	k.index(funcs)
	for _, fn := range funcs {
		if c.processLifetime(fn) {
			continue // main, init, TestMain: the process ends with them
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if call, ok := instr.(*ssa.Call); ok {
					k.checkStart(fn, call)
				}
			}
		}
	}
}

// index finds, for every channel field, the functions that close it or
// send on it, and their callers (transitively, static calls only).
func (k *contracts) index(funcs []*ssa.Function) {
	direct := make(map[string][]*ssa.Function)
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				var ch ssa.Value
				switch x := instr.(type) {
				case *ssa.Send:
					ch = x.Chan
				case *ssa.Select:
					for _, st := range x.States {
						if st.Dir == types.SendOnly {
							if key := lastField(k.c.m.PathOf(fn, st.Chan)); key != "" {
								direct[key] = append(direct[key], fn)
							}
						}
					}
				case ssa.CallInstruction:
					cc := x.Common()
					ch = closedChan(cc)
					if callee := cc.StaticCallee(); ch == nil && callee != nil {
						k.callers[callee] = append(k.callers[callee], fn)
					}
				}
				if ch != nil {
					if key := lastField(k.c.m.PathOf(fn, ch)); key != "" {
						direct[key] = append(direct[key], fn)
					}
				}
			}
		}
	}
	for key, fns := range direct {
		set := make(map[*ssa.Function]bool)
		var add func(fn *ssa.Function)
		add = func(fn *ssa.Function) {
			if set[fn] {
				return
			}
			set[fn] = true
			for _, caller := range k.callers[fn] {
				add(caller)
			}
		}
		for _, fn := range fns {
			add(fn)
		}
		k.stoppers[key] = set
	}
}

// checkStart checks one call in fn: a method of a local value that starts
// a goroutine only a stop channel ends.
func (k *contracts) checkStart(fn *ssa.Function, call *ssa.Call) {
	c := k.c
	cc := call.Common()
	start := cc.StaticCallee()
	if cc.IsInvoke() || start == nil || start.Signature.Recv() == nil || len(cc.Args) == 0 || !c.m.Local(start) {
		return
	}
	owner := ownerAlloc(cc.Args[0])
	if owner == nil {
		return
	}
	named := allocNamed(owner)
	if named == nil {
		return
	}
	for _, sp := range c.m.SpawnsBy(start) {
		g, ok := sp.Site.(*ssa.Go)
		if !ok || sp.Fn == nil || !c.m.Local(sp.Fn) {
			continue
		}
		stop, recv := k.stopField(sp.Fn, named)
		if stop == nil {
			continue
		}
		key := concurrency.TypeName(named) + "." + stop.Name()
		if k.stoppers[key][sp.Fn] {
			continue // the goroutine may stop itself
		}
		w := &escapeWalk{k: k, key: key, stop: stop, seen: make(map[ssa.Value]bool)}
		if !w.freshStop(owner) || w.escapes(owner, 0) {
			continue
		}
		ret, ok := k.unstoppedReturn(fn, call, key)
		if !ok {
			continue
		}
		k.report(fn, call, g, sp, stop, recv, ret, key)
		return
	}
}

// ownerAlloc returns the local variable v is (a pointer receiver) or is
// loaded from (a value receiver).
func ownerAlloc(v ssa.Value) *ssa.Alloc {
	if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL {
		v = u.X
	}
	a, _ := v.(*ssa.Alloc)
	// t := T{...} whose address is taken is a copy of the literal's
	// variable: the literal's is the one whose fields are set. A chain of
	// copies can loop (p = p; a = b; b = a): stop at a variable seen.
	seen := make(map[*ssa.Alloc]bool)
	for a != nil && !seen[a] {
		seen[a] = true
		var from *ssa.Alloc
		n := 0
		for _, ref := range *a.Referrers() {
			if st, ok := ref.(*ssa.Store); ok && st.Addr == a {
				n++
				if ld, ok := st.Val.(*ssa.UnOp); ok && ld.Op == token.MUL {
					from, _ = ld.X.(*ssa.Alloc)
				}
			}
		}
		if n != 1 || from == nil || from.Parent() != a.Parent() {
			break
		}
		a = from
	}
	return a
}

func allocNamed(a *ssa.Alloc) *types.Named {
	t := a.Type().Underlying().(*types.Pointer).Elem()
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return nil
	}
	if _, ok := n.Underlying().(*types.Struct); !ok {
		return nil
	}
	return n
}

// stopField returns the channel field of T whose receive is the only way
// out of the goroutine function g, and one such receive.
func (k *contracts) stopField(g *ssa.Function, t *types.Named) (*types.Var, ssa.Instruction) {
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return nil, nil
	}
	prefix := concurrency.TypeName(t) + "."
	tried := make(map[string]bool)
	for _, b := range g.Blocks {
		for _, instr := range b.Instrs {
			for _, ch := range recvChans(instr) {
				key := lastField(k.c.m.PathOf(g, ch))
				if len(key) <= len(prefix) || key[:len(prefix)] != prefix || tried[key] {
					continue
				}
				tried[key] = true
				if k.endsWithout(g, key) {
					continue
				}
				name := key[len(prefix):]
				for i := range st.NumFields() {
					if st.Field(i).Name() == name {
						return st.Field(i), instr
					}
				}
			}
		}
	}
	return nil, nil
}

// recvChans returns the channels instr receives from.
func recvChans(instr ssa.Instruction) []ssa.Value {
	switch x := instr.(type) {
	case *ssa.UnOp:
		if x.Op == token.ARROW {
			return []ssa.Value{x.X}
		}
	case *ssa.Select:
		var out []ssa.Value
		for _, st := range x.States {
			if st.Dir == types.RecvOnly {
				out = append(out, st.Chan)
			}
		}
		return out
	}
	return nil
}

// endsWithout reports whether g can end (return, panic, end its
// goroutine) without receiving from the channel field key.
func (k *contracts) endsWithout(g *ssa.Function, key string) bool {
	isStop := func(ch ssa.Value) bool { return lastField(k.c.m.PathOf(g, ch)) == key }
	return ssautil.SearchBlocks(g.Blocks[0], 0, nil, func(b *ssa.BasicBlock, instrs []ssa.Instruction, push func(*ssa.BasicBlock)) (found, cut bool) {
		for _, instr := range instrs {
			switch x := instr.(type) {
			case *ssa.UnOp:
				if x.Op == token.ARROW && isStop(x.X) {
					return false, true
				}
			case *ssa.Return:
				return true, false
			case *ssa.Panic:
				if !selectFallthrough(x) {
					return true, false // also the one go/ssa puts after os.Exit, t.FailNow, runtime.Goexit
				}
			case *ssa.If:
				if sel, j, ok := ssautil.SelectTest(x.Cond); ok && sel.States[j].Dir == types.RecvOnly && isStop(sel.States[j].Chan) {
					push(b.Succs[1]) // the case's body runs only after the stop receive
					cut = true
				}
			}
		}
		return false, cut
	})
}

// escapeWalk follows the owner's value through fn and the package's
// functions it is handed to.
type escapeWalk struct {
	k    *contracts
	key  string
	stop *types.Var
	seen map[ssa.Value]bool
	made *ssa.MakeChan // the channel stored in the stop field
}

// freshStop reports whether the function making the owner stores in its
// stop field a channel it makes there and uses for nothing else.
func (w *escapeWalk) freshStop(owner *ssa.Alloc) bool {
	for _, ref := range *owner.Referrers() {
		fa, ok := ref.(*ssa.FieldAddr)
		if !ok || fieldOfAddr(fa) != w.stop {
			continue
		}
		for _, r := range *fa.Referrers() {
			st, ok := r.(*ssa.Store)
			if !ok || st.Addr != fa {
				continue
			}
			mc, ok := st.Val.(*ssa.MakeChan)
			if !ok || w.made != nil || len(*mc.Referrers()) != 1 {
				return false
			}
			w.made = mc
		}
	}
	return true // never assigned: a nil channel, which never ends it either
}

// escapes reports whether v, the owner or a copy of it, may reach code
// that is not followed: anything but field accesses, copies into local
// variables, calls of the package's functions and closures that do not
// let it escape themselves.
func (w *escapeWalk) escapes(v ssa.Value, depth int) bool {
	if w.seen[v] {
		return false
	}
	w.seen[v] = true
	if depth > maxEscapeDepth {
		return true
	}
	refs := v.Referrers()
	if refs == nil {
		return false
	}
	for _, ref := range *refs {
		switch r := ref.(type) {
		case *ssa.DebugRef:
		case *ssa.FieldAddr:
			if w.fieldEscapes(r, fieldOfAddr(r)) {
				return true
			}
		case *ssa.Field:
			if w.loadEscapes(r, fieldVar(r.X.Type(), r.Field)) {
				return true
			}
		case *ssa.UnOp:
			if r.Op != token.MUL || w.escapes(r, depth+1) {
				return true
			}
		case *ssa.Store:
			if r.Addr == v {
				if !w.seen[r.Val] {
					return true // a whole value from elsewhere: its stop channel too
				}
				continue // a copy of the owner
			}
			cell, ok := r.Addr.(*ssa.Alloc)
			if !ok || w.escapes(cell, depth+1) {
				return true
			}
		case *ssa.MakeClosure:
			if !closureOnlyRun(r) {
				return true
			}
			for _, fv := range ssautil.BoundTo(r, v) {
				if w.escapes(fv, depth+1) {
					return true
				}
			}
		case ssa.CallInstruction:
			cc := r.Common()
			callee := cc.StaticCallee()
			if cc.Value == v || callee == nil || callee.Blocks == nil || !w.k.c.m.Local(callee) || len(callee.Params) != len(cc.Args) {
				return true
			}
			for i, a := range cc.Args {
				if a == v && w.escapes(callee.Params[i], depth+1) {
					return true
				}
			}
		default:
			return true
		}
	}
	return false
}

// fieldEscapes: a field's address; a store into the stop field other
// than the fresh channel, or a channel field's value handed on, escapes.
func (w *escapeWalk) fieldEscapes(fa *ssa.FieldAddr, f *types.Var) bool {
	for _, ref := range *fa.Referrers() {
		switch r := ref.(type) {
		case *ssa.DebugRef:
		case *ssa.Store:
			if r.Addr != fa {
				return true
			}
			if f == w.stop && r.Val != w.made {
				return true // another channel: who else holds it?
			}
		case *ssa.UnOp:
			if r.Op != token.MUL || w.loadEscapes(r, f) {
				return true
			}
		default:
			if f == w.stop {
				return true
			}
			if _, isChan := fa.Type().Underlying().(*types.Pointer).Elem().Underlying().(*types.Chan); isChan {
				return true
			}
		}
	}
	return false
}

// loadEscapes: the value of field f: a channel field's value may only be
// used for channel operations; other fields are not followed (they do not
// lead back to the owner's stop channel).
func (w *escapeWalk) loadEscapes(v ssa.Value, f *types.Var) bool {
	if f == nil {
		return true
	}
	if _, isChan := f.Type().Underlying().(*types.Chan); !isChan {
		return false
	}
	for _, ref := range *v.Referrers() {
		switch r := ref.(type) {
		case *ssa.DebugRef, *ssa.UnOp:
		case *ssa.Send, *ssa.Select:
			if ssautil.SendsValue(r, v) {
				return true
			}
		case ssa.CallInstruction:
			b, ok := r.Common().Value.(*ssa.Builtin)
			if !ok {
				return true
			}
			switch b.Name() {
			case "close", "len", "cap":
			default:
				return true
			}
		case *ssa.BinOp:
		default:
			return true
		}
	}
	return false
}

// closureOnlyRun reports whether the closure is only called or started,
// never stored or handed on.
func closureOnlyRun(mc *ssa.MakeClosure) bool {
	for _, ref := range *mc.Referrers() {
		switch r := ref.(type) {
		case *ssa.DebugRef:
		case ssa.CallInstruction:
			if r.Common().Value != mc {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// unstoppedReturn finds a path in fn from the Start call to a return that
// calls nothing reaching a close of or send on the stop field, and on
// which no such call is deferred; it returns the return's position.
func (k *contracts) unstoppedReturn(fn *ssa.Function, start *ssa.Call, key string) (token.Pos, bool) {
	stops := k.stoppers[key]
	if stops[fn] && !k.onlyCallsStop(fn, key) {
		return token.NoPos, false // fn itself closes or sends on it
	}
	stopping := func(instr ssa.Instruction) bool {
		ci, ok := instr.(ssa.CallInstruction)
		if !ok {
			return false
		}
		callee := ci.Common().StaticCallee()
		return callee != nil && stops[callee]
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if _, ok := instr.(*ssa.Defer); ok && stopping(instr) {
				return token.NoPos, false
			}
		}
	}
	return returnWithout(fn, start.Block(), ssautil.InstrIndex(start)+1, stopping, false)
}

// onlyCallsStop reports whether fn reaches the stop field only through
// calls (so that the paths around those calls tell), not with a close
// or send of its own.
func (k *contracts) onlyCallsStop(fn *ssa.Function, key string) bool {
	isStop := func(ch ssa.Value) bool { return lastField(k.c.m.PathOf(fn, ch)) == key }
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if signalsOn(instr, isStop) {
				return false
			}
		}
	}
	return true
}

func (k *contracts) report(fn *ssa.Function, call *ssa.Call, g *ssa.Go, sp *concurrency.Spawn, stop *types.Var, recv ssa.Instruction, ret token.Pos, key string) {
	c := k.c
	pos, recvName := call.Pos(), "the value"
	if ce, _ := c.callAt(call.Pos()); ce != nil {
		pos = ce.Pos()
		if sel, ok := ce.Fun.(*ast.SelectorExpr); ok {
			recvName = types.ExprString(sel.X)
		}
	}
	start := call.Common().StaticCallee()
	stopper := ""
	var stopperPos token.Pos
	for f := range k.stoppers[key] {
		if f.Signature.Recv() != nil && f != start && f.Parent() == nil && (stopper == "" || f.Pos() < stopperPos) {
			stopper, stopperPos = f.Name(), f.Pos()
		}
	}
	fix := fmt.Sprintf("close or send on %s.%s before returning", recvName, stop.Name())
	if stopper != "" {
		fix = fmt.Sprintf("call %s.%s() on every path (defer %s.%s() after %s)", recvName, stopper, recvName, stopper, start.Name())
	}
	d := analysis.Diagnostic{
		Pos: pos,
		Message: fmt.Sprintf("goroutine leaks: %s.%s() starts a goroutine (%s) that ends only when %s.%s is closed or sent on; %s returns at %s without that, and nothing else can reach %s: %s",
			recvName, start.Name(), c.where(g.Pos(), pos), recvName, stop.Name(), funcName(fn), c.where(ret, pos), recvName, fix),
		Related: []analysis.RelatedInformation{
			{Pos: g.Pos(), Message: "the goroutine " + start.Name() + " starts"},
			{Pos: opPos(recv), Message: "its only way out: a receive from " + stop.Name()},
			{Pos: ret, Message: "returns without stopping it"},
		},
	}
	if stopper != "" {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: stopperPos, Message: stopper + " would stop it"})
	}
	c.r.Report(d)
}
