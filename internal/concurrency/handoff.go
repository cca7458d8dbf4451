package concurrency

import (
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/calls"
	"github.com/futlint/futlint/internal/ssautil"
)

// A hand-off orders what a spawner does after a go statement with what
// the goroutine does, through a channel or WaitGroup only the two use:
//
//	go func() { <-start; n++ }()      go func() { n++; <-ready }()
//	n = 1                             ready <- struct{}{} // unbuffered
//	start <- struct{}{}               fmt.Println(n)
//
// HandsOff answers the left shape, SendWaitsFor the right one. The
// channel must be made by this call of the spawner (a local, or a field
// of a value it makes), so that no other call's goroutine or signal can
// pair with these; any other function's operation on a channel that may
// be the same one (same type, paths not told apart) spoils the hand-off.

// A syncOp is a channel or WaitGroup operation of one instruction.
type syncOp struct {
	instr ssa.Instruction
	val   ssa.Value // the channel, or the WaitGroup's address
	path  Path      // val as LockPathOf names it
	typ   types.Type
	kind  syncKind
}

type syncKind uint8

const (
	opSend  syncKind = iota // ch <- v, a select's send case
	opRecv                  // <-ch, range ch, a select's receive case
	opClose                 // close(ch)
	opDone                  // wg.Done()
	opWait                  // wg.Wait()
	opAdd                   // wg.Add(n)
)

// signals reports whether k lets a waiter of the other kind go on.
func (k syncKind) signals() bool { return k == opSend || k == opClose || k == opDone }

// syncOps returns the channel and WaitGroup operations instr performs.
// A select's receive cases are not waits (the select may take another
// case), but its send cases are sends and its receive cases receives.
func (m *Model) syncOps(fn *ssa.Function, instr ssa.Instruction) []syncOp {
	op := func(v ssa.Value, k syncKind) syncOp {
		return syncOp{instr, v, m.LockPathOf(fn, v), v.Type(), k}
	}
	switch x := instr.(type) {
	case *ssa.Send:
		return []syncOp{op(x.Chan, opSend)}
	case *ssa.UnOp:
		if x.Op == token.ARROW {
			return []syncOp{op(x.X, opRecv)}
		}
	case *ssa.Select:
		var out []syncOp
		for _, st := range x.States {
			k := opRecv
			if st.Dir == types.SendOnly {
				k = opSend
			}
			out = append(out, op(st.Chan, k))
		}
		return out
	case *ssa.Call:
		if bi, ok := x.Call.Value.(*ssa.Builtin); ok && bi.Name() == "close" && len(x.Call.Args) == 1 {
			return []syncOp{op(x.Call.Args[0], opClose)}
		}
		if len(x.Call.Args) == 0 {
			return nil
		}
		switch calls.Name(&x.Call) {
		case "(*sync.WaitGroup).Done":
			return []syncOp{op(x.Call.Args[0], opDone)}
		case "(*sync.WaitGroup).Wait":
			return []syncOp{op(x.Call.Args[0], opWait)}
		case "(*sync.WaitGroup).Add":
			return []syncOp{op(x.Call.Args[0], opAdd)}
		}
	}
	return nil
}

// indexSyncOps lists every channel and WaitGroup operation of the
// package's functions (warm).
func (m *Model) indexSyncOps() []syncOp {
	var out []syncOp
	for _, fn := range m.Funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				out = append(out, m.syncOps(fn, instr)...)
			}
		}
	}
	return out
}

// allSyncOps returns the package's channel and WaitGroup operations.
func (m *Model) allSyncOps() []syncOp {
	m.indexSync()
	return m.syncIndex
}

// syncOpsOf returns fn's channel and WaitGroup operations, in order.
func (m *Model) syncOpsOf(fn *ssa.Function) []syncOp {
	m.indexSync()
	return m.syncByFn[fn]
}

// indexSync fills the index of channel and WaitGroup operations, once:
// under a sync.Once, since a facts-only unit leaves it to the first
// hand-off question, when the model is already shared (warm).
func (m *Model) indexSync() { m.syncOnce.Do(m.collectSync) }

func (m *Model) collectSync() {
	m.syncIndex = m.indexSyncOps()
	m.syncByFn = make(map[*ssa.Function][]syncOp)
	for _, op := range m.syncIndex {
		fn := op.instr.Parent()
		m.syncByFn[fn] = append(m.syncByFn[fn], op)
	}
}

// receives reports whether fn has a receive or WaitGroup wait.
func (m *Model) receives(fn *ssa.Function) bool {
	for _, op := range m.syncOpsOf(fn) {
		if op.kind == opRecv || op.kind == opWait {
			return true
		}
	}
	return false
}

// HandsOff reports whether a, an instruction sp's spawner runs after
// starting sp, happens before b, an instruction of sp.Fn: on every path
// to b the goroutine receives from a channel (or waits on a WaitGroup
// the spawner added to before the go statement) that only the spawner
// signals (sends on, closes; Done), only after the go statement, and on
// no path from the go statement to a, unless an instruction satisfying
// join (the caller's idea of waiting for the goroutine) comes between the
// signal and a. The first signal the goroutine can see then comes after a.
// This holds for each instance of a spawn that runs many at a time too:
// every signal it can get comes after a (in a loop, a signal before the
// next go statement reaches it and is refused).
func (m *Model) HandsOff(sp *Spawn, a, b ssa.Instruction, join func(ssa.Instruction) bool) bool {
	// !m.receives: a fast path, same answer as waitsBefore finding none.
	if sp.Site == nil || sp.Parent == nil || a.Parent() != sp.Parent || b.Parent() != sp.Fn || !m.receives(sp.Fn) {
		return false
	}
	for _, w := range m.waitsBefore(sp.Fn, b) {
		q, ok := m.inSpawner(sp, w.path)
		if !ok {
			continue
		}
		if m.handOff(sp, a, q, w, join) {
			return true
		}
	}
	return false
}

// handOff reports whether the spawner signals q, the channel or group w
// waits on, only after starting sp and not before a.
func (m *Model) handOff(sp *Spawn, a ssa.Instruction, q Path, w syncOp, join func(ssa.Instruction) bool) bool {
	added := w.kind != opWait
	t := newTarget(sp.Parent, q, w.typ)
	for _, op := range m.allSyncOps() {
		fn := op.instr.Parent()
		if fn != sp.Parent {
			if op.kind.signals() && t.maySame(op) {
				return false // another function may signal it
			}
			continue
		}
		if op.path.Key() != q.Key() {
			continue
		}
		switch {
		case op.kind == opAdd:
			added = added || ssautil.Dominates(op.instr, sp.Site)
		case op.kind.signals():
			if m.instrReaches(op.instr, sp.Site) || m.instrReaches(sp.Site, op.instr) && reachesUnjoined(op.instr, a, join) {
				return false // a signal the goroutine may get before a
			}
		}
	}
	return added
}

// SendWaitsFor reports whether send, an instruction sp's spawner runs
// after starting sp, completes only after b, an instruction of sp.Fn:
// the channel is unbuffered, only the goroutine receives from it, and it
// does so on every path from b to its return but on no path to b. The
// goroutine's first receive, which b precedes, is then the one the send
// waits for. Not so when the goroutine runs many at a time: the send may
// pair with another instance's receive.
func (m *Model) SendWaitsFor(sp *Spawn, send *ssa.Send, b ssa.Instruction) bool {
	// !m.receives: a fast path, same answer as finding no receive below.
	if sp.Site == nil || sp.Parent == nil || sp.Many || send.Parent() != sp.Parent || b.Parent() != sp.Fn || !m.receives(sp.Fn) {
		return false
	}
	// A channel the spawner does not make is refused below: the
	// goroutine's receives of it are not in the spawner's terms.
	q := m.LockPathOf(sp.Parent, send.Chan)
	if !m.unbuffered(send.Chan) {
		return false
	}
	var recvs []ssa.Instruction
	t := newTarget(sp.Parent, q, send.Chan.Type())
	for _, op := range m.allSyncOps() {
		if op.kind != opRecv {
			continue
		}
		if op.instr.Parent() != sp.Fn {
			if t.maySame(op) {
				return false // another receiver may take the send
			}
			continue
		}
		if p, ok := m.inSpawner(sp, op.path); !ok || p.Key() != q.Key() {
			if ok && p.MayAlias(q) || !ok && types.Identical(op.typ.Underlying(), send.Chan.Type().Underlying()) {
				return false
			}
			continue
		}
		if _, isSelect := op.instr.(*ssa.Select); isSelect {
			return false // not known to be taken
		}
		if m.instrReaches(op.instr, b) {
			return false // b may follow a receive
		}
		recvs = append(recvs, op.instr)
	}
	return len(recvs) > 0 && !returnsAvoiding(b, recvs)
}

// waitsBefore returns the receives and WaitGroup waits of fn that run on
// every path from its entry to b, one per channel or group.
func (m *Model) waitsBefore(fn *ssa.Function, b ssa.Instruction) []syncOp {
	byKey := map[string][]ssa.Instruction{}
	var first []syncOp
	for _, op := range m.syncOpsOf(fn) {
		if _, isSelect := op.instr.(*ssa.Select); isSelect || op.kind != opRecv && op.kind != opWait {
			continue
		}
		k := op.path.Key()
		if byKey[k] == nil {
			first = append(first, op)
		}
		byKey[k] = append(byKey[k], op.instr)
	}
	var out []syncOp
	for _, op := range first {
		if !reachesAvoiding(fn.Blocks[0], 0, b, byKey[op.path.Key()]) {
			out = append(out, op)
		}
	}
	return out
}

// inSpawner expresses p, a path of sp.Fn, in its spawner's terms, when
// the spawner makes the memory p is rooted at.
func (m *Model) inSpawner(sp *Spawn, p Path) (Path, bool) {
	switch {
	case p.Kind == Param && p.root != nil && p.root.Parent() == sp.Fn:
		if p.Param < 0 || p.Param >= len(sp.Args) {
			return Path{}, false
		}
		p = pathOf(sp.Parent, sp.Args[p.Param], true, true).Append(p)
	case p.Kind == Local:
		// a variable of an enclosing function, through a free variable
	default:
		return Path{}, false
	}
	return p, m.madeBy(sp.Parent, p)
}

// madeBy reports whether p is rooted at memory fn makes: a local
// variable, channel or composite literal.
func (m *Model) madeBy(fn *ssa.Function, p Path) bool {
	in, ok := p.root.(ssa.Instruction)
	return p.Kind == Local && ok && in.Parent() == fn
}

// A target is a channel or WaitGroup a spawner makes, as other
// functions' operations are compared with it.
type target struct {
	spawner *ssa.Function
	path    Path
	typ     types.Type
	reached map[*ssa.Function]bool // the functions its memory reaches, if known
}

func newTarget(spawner *ssa.Function, q Path, t types.Type) *target {
	tg := &target{spawner: spawner, path: q, typ: t}
	if q.Kind == Local {
		if reached, ok := reachedBy(q.root); ok {
			tg.reached = reached
		}
	}
	return tg
}

// maySame reports whether op, in another function, may operate on the
// target: same type, paths that do not tell them apart, and memory that
// may be the spawner's.
func (t *target) maySame(op syncOp) bool {
	if !types.Identical(op.typ.Underlying(), t.typ.Underlying()) {
		return false
	}
	if t.reached != nil && !t.reached[op.instr.Parent()] {
		return false // the target does not reach op's function
	}
	p, q := op.path, t.path
	if _, isChan := t.typ.Underlying().(*types.Chan); isChan {
		p, q = holder(p), holder(q)
	}
	if p.SameRoot(q) {
		return p.MayAlias(q)
	}
	if madeElsewhere(op, t.spawner) {
		return false
	}
	tp, tq := p.TypeKey(), q.TypeKey()
	return tp == "" || tq == "" || p.MayAlias(q)
}

// holder returns the path of the variable or field holding the channel
// p names: without the final load of the channel value, after which
// paths alias by type no more (TypeKey starts at the last load).
func holder(p Path) Path {
	if n := len(p.Steps); n > 0 && p.Steps[n-1].Deref {
		p.Steps = p.Steps[:n-1]
	}
	return p
}

// madeElsewhere reports whether op's channel or WaitGroup belongs to
// memory a function other than spawner makes: a channel, a composite
// literal or a variable of its own (or of a function enclosing op's), or
// a field of one. The spawner's memory is not reached so.
func madeElsewhere(op syncOp, spawner *ssa.Function) bool {
	return !ssautil.Any(op.val, ssautil.Conversions|ssautil.Phis|ssautil.Loads|ssautil.Selections|ssautil.FreeVars|ssautil.Cells, func(v ssa.Value) (found, stop bool) {
		switch v := v.(type) {
		case *ssa.MakeChan:
			return v.Parent() == spawner, true
		case *ssa.Alloc:
			if stored(v) {
				return false, false // a variable: what is stored in it
			}
			return v.Parent() == spawner, true
		case *ssa.UnOp:
			return v.Op != token.MUL, v.Op != token.MUL
		case *ssa.FieldAddr, *ssa.IndexAddr, *ssa.FreeVar:
			return false, false
		}
		return true, true
	})
}

// stored reports whether a stores to the variable a itself.
func stored(a *ssa.Alloc) bool {
	for _, r := range *a.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == a {
			return true
		}
	}
	return false
}

// unbuffered reports whether every make of ch (a local, or a struct
// field made anywhere in the package) has no buffer.
func (m *Model) unbuffered(ch ssa.Value) bool {
	return !ssautil.Any(ch, ssautil.Conversions|ssautil.Phis|ssautil.Loads|ssautil.Cells, func(v ssa.Value) (found, stop bool) {
		switch v := v.(type) {
		case *ssa.MakeChan:
			return !zeroBuffer(v), true
		case *ssa.FieldAddr:
			zero, known := m.fieldUnbuffered()[fieldKeyOf(v)]
			return !known || !zero, true
		case *ssa.Alloc:
			return false, false // a variable holding the channel: its stores
		case *ssa.UnOp:
			return v.Op != token.MUL, v.Op != token.MUL
		}
		return true, true
	})
}

// fieldUnbuffered records, per channel field stored in the package,
// whether every channel stored in it is made without a buffer: once,
// under a sync.Once like indexSync (warm).
func (m *Model) fieldUnbuffered() map[fieldKey]bool {
	m.unbufOnce.Do(m.collectUnbuffered)
	return m.chanUnbuf
}

func (m *Model) collectUnbuffered() { m.chanUnbuf = m.fieldMakes(zeroBuffer) }

func zeroBuffer(mc *ssa.MakeChan) bool {
	k, ok := mc.Size.(*ssa.Const)
	return ok && k.Value != nil && k.Int64() == 0
}

// instrReaches reports whether to may run after from in one call of
// their function.
func (m *Model) instrReaches(from, to ssa.Instruction) bool {
	fb, tb := from.Block(), to.Block()
	if fb == nil || tb == nil {
		return false
	}
	return m.Reach(fb.Parent()).InstrReaches(from, to)
}

// reachesAvoiding reports whether to can run after instruction start of
// block b on a path that passes none of avoid.
func reachesAvoiding(b *ssa.BasicBlock, start int, to ssa.Instruction, avoid []ssa.Instruction) bool {
	return ssautil.SearchFrom(b, start, func(instr ssa.Instruction) bool { return slices.Contains(avoid, instr) },
		func(instr ssa.Instruction) bool { return instr == to })
}

// reachesUnjoined reports whether to can run after from on a path that
// passes no instruction satisfying join (if given).
func reachesUnjoined(from, to ssa.Instruction, join func(ssa.Instruction) bool) bool {
	return ssautil.SearchFrom(from.Block(), ssautil.InstrIndex(from)+1, func(instr ssa.Instruction) bool { return join != nil && join(instr) },
		func(instr ssa.Instruction) bool { return instr == to })
}

// returnsAvoiding reports whether a return can follow from on a path that
// passes none of avoid.
func returnsAvoiding(from ssa.Instruction, avoid []ssa.Instruction) bool {
	return ssautil.SearchFrom(from.Block(), ssautil.InstrIndex(from)+1, func(instr ssa.Instruction) bool { return slices.Contains(avoid, instr) },
		func(instr ssa.Instruction) bool {
			_, ok := instr.(*ssa.Return)
			return ok
		})
}

// reachedBy returns the functions other than its own that v, memory or
// a channel a function makes (a channel, a composite literal, a
// variable), may reach: the closures it is bound into and the package's
// functions it is passed to, and what they pass it on to. It fails (v
// escapes) when v, or a channel or pointer loaded from it, is stored,
// sent, converted or passed anywhere else.
func reachedBy(v ssa.Value) (map[*ssa.Function]bool, bool) {
	seen := map[ssa.Value]bool{}
	reached := map[*ssa.Function]bool{}
	var esc func(v ssa.Value) bool
	esc = func(v ssa.Value) bool {
		if seen[v] {
			return false
		}
		if len(seen) > 1000 {
			return true
		}
		seen[v] = true
		refs := v.Referrers()
		if refs == nil {
			return true
		}
		for _, r := range *refs {
			switch r := r.(type) {
			case *ssa.Store:
				if r.Val != v {
					if r.Addr == v && carries(r.Val.Type()) && esc(r.Val) {
						return true // what a variable holds
					}
					continue
				}
				if seen[r.Addr] {
					continue // into the memory followed: a field of it
				}
				if a, ok := r.Addr.(*ssa.Alloc); !ok || esc(a) {
					return true
				}
			case *ssa.UnOp:
				if r.Op == token.MUL && carries(r.Type()) && esc(r) {
					return true
				}
			case *ssa.FieldAddr, *ssa.IndexAddr:
				if esc(r.(ssa.Value)) {
					return true
				}
			case *ssa.Send, *ssa.Select:
				if ssautil.SendsValue(r, v) {
					return true
				}
			case *ssa.MakeClosure:
				reached[r.Fn.(*ssa.Function)] = true
				for _, fv := range ssautil.BoundTo(r, v) {
					if esc(fv) {
						return true
					}
				}
			case ssa.CallInstruction:
				call := r.Common()
				if syncCall(call) {
					continue
				}
				callee := call.StaticCallee()
				if callee == nil || call.IsInvoke() || len(callee.Blocks) == 0 || callee.Pkg != r.Parent().Pkg || call.Value == v {
					return true
				}
				reached[callee] = true
				for i, a := range call.Args {
					if a == v && (i >= len(callee.Params) || esc(callee.Params[i])) {
						return true
					}
				}
			case *ssa.DebugRef:
			default:
				return true
			}
		}
		return false
	}
	if esc(v) {
		return nil, false
	}
	return reached, true
}

// carries reports whether a value of type t may lead to a channel or
// WaitGroup: a channel or a pointer.
func carries(t types.Type) bool {
	switch t.Underlying().(type) {
	case *types.Chan, *types.Pointer:
		return true
	}
	return false
}

// syncCall reports whether call operates on a channel or WaitGroup
// without handing it on: close, len, cap, a WaitGroup's methods.
func syncCall(call *ssa.CallCommon) bool {
	if bi, ok := call.Value.(*ssa.Builtin); ok {
		switch bi.Name() {
		case "close", "len", "cap":
			return true
		}
	}
	switch calls.Name(call) {
	case "(*sync.WaitGroup).Done", "(*sync.WaitGroup).Wait", "(*sync.WaitGroup).Add":
		return true
	}
	return false
}
