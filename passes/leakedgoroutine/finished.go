package leakedgoroutine

// Grade 2 joins that mean "finished". A goroutine is joined when it
// signals something its spawner (or an owner) waits on; the signal says
// the goroutine has finished only when it is its last act: deferred, or
// followed by nothing but returning (and other signals, value
// computations, stores, unlocks, or going round a loop whose every iteration ends
// the same way). A non-blocking send (select with default) is a
// notification, unless its success is the goroutine's only way out; a
// send or close followed by more work says "ready" or "progress", not
// "done".

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/calls"
	"github.com/futlint/futlint/internal/concurrency"
	"github.com/futlint/futlint/internal/ssautil"
)

// repliesDone reports whether fn's last act closes or sends on a channel
// it received from a channel (donec := <-w.stopc; defer close(donec)):
// a reply channel, made by whoever asked, who waits on it.
func (c *checker) repliesDone(fn *ssa.Function) bool {
	if fn == nil || !c.m.Local(fn) {
		return false
	}
	received := func(v ssa.Value) bool {
		switch o := c.m.Origin(v).(type) {
		case *ssa.UnOp:
			return o.Op == token.ARROW
		case *ssa.Extract:
			_, ok := o.Tuple.(*ssa.Select)
			return ok && o.Index >= 2
		}
		return false
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Send:
				if received(x.Chan) && finalAct(x) {
					return true
				}
			case ssa.CallInstruction:
				cc := x.Common()
				bi, ok := cc.Value.(*ssa.Builtin)
				if !ok || bi.Name() != "close" || len(cc.Args) != 1 || !received(cc.Args[0]) {
					continue
				}
				if _, deferred := x.(*ssa.Defer); deferred || finalAct(x) {
					return true
				}
			}
		}
	}
	return false
}

// finishes reports whether fn's signal p tells that fn has finished.
// For a function of another package only the summary is known: it does.
func (c *checker) finishes(fn *ssa.Function, p concurrency.Path) bool {
	if fn == nil || !c.m.Local(fn) || len(fn.Blocks) == 0 {
		return true
	}
	found := false
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			match, final := c.signalAt(fn, instr, p)
			if !match {
				continue
			}
			found = true
			if final {
				return true
			}
		}
	}
	return !found // the signal comes from somewhere we did not match: trust the summary
}

// signalAt reports whether instr signals p, and whether it is a final
// signal: a WaitGroup.Done, a deferred signal, or one that is fn's last
// act.
func (c *checker) signalAt(fn *ssa.Function, instr ssa.Instruction, p concurrency.Path) (match, final bool) {
	// p is a Summary path: named as locks are (a captured receiver's
	// cell is the receiver), so compare with LockPathOf.
	on := func(v ssa.Value) bool { return c.m.LockPathOf(fn, v).Equal(p) }
	switch x := instr.(type) {
	case *ssa.Send:
		if on(x.Chan) {
			return true, finalAct(x)
		}
	case *ssa.Select:
		for j, st := range x.States {
			if st.Dir == types.SendOnly && on(st.Chan) {
				if x.Blocking {
					return true, finalAct(x)
				}
				return true, exitSend(fn, x, j)
			}
		}
	case ssa.CallInstruction:
		if _, isGo := x.(*ssa.Go); isGo {
			return false, false
		}
		_, deferred := x.(*ssa.Defer)
		cc := x.Common()
		if b, ok := cc.Value.(*ssa.Builtin); ok {
			if b.Name() == "close" && len(cc.Args) == 1 && on(cc.Args[0]) {
				return true, deferred || finalAct(x)
			}
			return false, false
		}
		if e, ok := calls.Lookup(cc); ok {
			if e.Role == calls.Signal && len(cc.Args) > 0 && on(cc.Args[0]) {
				return true, true // WaitGroup.Done: "done" wherever it is
			}
			return false, false
		}
		callee := cc.StaticCallee()
		if callee == nil {
			return false, false
		}
		cs := c.m.Summary(callee)
		if cs == nil {
			return false, false
		}
		for _, q := range cs.Signals {
			if t, ok := c.m.TranslateLock(fn, cc, q); ok && t.Equal(p) {
				return true, deferred || (finalAct(x) && c.finishes(callee, q))
			}
		}
	}
	return false, false
}

// exitSend reports whether the non-blocking send st of sel is fn's way
// out: its case leads to nothing but returning, and no return of fn is
// reachable without taking it (the default branch goes round again):
//
//	for { ...; select { case exitCh <- x: return; default: } }
//
// The goroutine then has finished once the send succeeded.
func exitSend(fn *ssa.Function, sel *ssa.Select, j int) bool {
	body := ssautil.SelectCase(sel, j)
	return body != nil && finalFrom(body, 0) && !returnsAvoiding(fn.Blocks[0], body)
}

// finalAct reports whether only returning can follow instr: every path
// from it meets nothing but value computations, stores, unlocks, other
// signals and loop tests before a return, and some path returns.
func finalAct(instr ssa.Instruction) bool {
	return finalFrom(instr.Block(), ssautil.InstrIndex(instr)+1)
}

// finalFrom is finalAct for what follows b.Instrs[from-1].
func finalFrom(b *ssa.BasicBlock, from int) bool {
	returns := false
	other := ssautil.SearchBlocks(b, from, nil, func(_ *ssa.BasicBlock, instrs []ssa.Instruction, _ func(*ssa.BasicBlock)) (bool, bool) {
		for _, x := range instrs {
			if !trivialAfter(x) {
				return true, false
			}
			if _, ok := x.(*ssa.Return); ok {
				returns = true
			}
		}
		return false, false
	})
	return !other && returns
}

// trivialAfter reports whether x may follow a final signal.
func trivialAfter(x ssa.Instruction) bool {
	switch x := x.(type) {
	case *ssa.DebugRef, *ssa.RunDefers, *ssa.Return, *ssa.Jump, *ssa.If, *ssa.Phi,
		*ssa.BinOp, *ssa.FieldAddr, *ssa.Field, *ssa.IndexAddr, *ssa.Index, *ssa.Extract,
		*ssa.ChangeType, *ssa.Convert, *ssa.MakeInterface, *ssa.Slice, *ssa.Send, *ssa.Store:
		return true // a store: clearing what was signalled (c.done = nil)
	case *ssa.UnOp:
		return x.Op != token.ARROW
	case *ssa.Panic:
		return selectFallthrough(x)
	case *ssa.Select:
		for _, st := range x.States {
			if st.Dir == types.RecvOnly {
				return false
			}
		}
		return true
	case *ssa.Call:
		cc := x.Common()
		if b, ok := cc.Value.(*ssa.Builtin); ok {
			return b.Name() == "close"
		}
		if e, ok := calls.Lookup(cc); ok {
			return e.Role == calls.Signal || e.Role == calls.Release
		}
	}
	return false
}

// selectFallthrough reports the panic go/ssa puts after the last case of
// a blocking select: it never runs.
func selectFallthrough(p *ssa.Panic) bool {
	mi, ok := p.X.(*ssa.MakeInterface)
	if !ok {
		return false
	}
	k, ok := mi.X.(*ssa.Const)
	return ok && k.Value != nil && k.Value.Kind() == constant.String && constant.StringVal(k.Value) == "blocking select matched no case"
}
