package leakedgoroutine

import (
	"fmt"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/calls"
	"github.com/futlint/futlint/internal/concurrency"
	"github.com/futlint/futlint/internal/ssautil"
)

// reportLockedWait reports a receive, blocking on a field channel alone,
// made while holding a lock of the same object, when every send on and
// close of that channel comes after its function locks that same lock
// (directly, or in a function it calls): the waiter keeps the lock the
// signaler needs first, so neither moves (close(w.updatec); <-w.donec
// under w.mu, while the goroutine that closes donec drains updatec
// calling a method that takes w.mu).
func (c *checker) reportLockedWait(fc *fieldChan) {
	if fc.foreign || fc.escSend || fc.othersS > 0 || len(fc.recvs) == 0 {
		return
	}
	signals := make([]ssa.Instruction, 0, len(fc.sends)+len(fc.nbSends)+len(fc.closeOps))
	signals = append(signals, fc.sends...)
	signals = append(signals, fc.nbSends...)
	for _, cl := range fc.closeOps {
		signals = append(signals, cl)
	}
	if len(signals) == 0 {
		return
	}
	name := fc.field.Name()
	if owner := fieldOwner(fc.field); owner != "" {
		name = owner + "." + name
	}
	for _, r := range fc.recvs {
		w := r.Parent()
		ch := chanOperand(r)
		if ch == nil {
			continue
		}
		obj := objectKey(c.m.LockPathOf(w, ch)) // compared with the locks held
		if obj == "" {
			continue
		}
	locks:
		for _, held := range c.m.Locks(w).HeldAt(r) {
			if objectKey(held.Path) != obj {
				continue
			}
			lockKey := lastField(held.Path)
			var first ssa.Instruction
			for _, g := range signals {
				at := c.lockBefore(g, lockKey, held.Read)
				if at == nil || g.Parent() == w {
					continue locks
				}
				if first == nil {
					first = at
				}
			}
			sig := signals[0]
			c.reportOnce(r, analysis.Diagnostic{
				Pos: opPos(r),
				Message: fmt.Sprintf("goroutine leaks: this receive from %s waits holding %s, but %s signals %s (%s) only after locking %s (%s), so neither can move; unlock %s before waiting",
					name, held.Path, funcName(sig.Parent()), name, c.where(sig.Pos(), opPos(r)), held.Path, c.where(first.Pos(), opPos(r)), held.Path),
				Related: []analysis.RelatedInformation{
					{Pos: sig.Pos(), Message: "the signal the receive waits for"},
					{Pos: first.Pos(), Message: "the signaler locks " + held.Path.String() + " first"},
				},
			})
			break
		}
	}
}

// chanOperand is the channel a receive, send, select or close works on.
func chanOperand(instr ssa.Instruction) ssa.Value {
	switch x := instr.(type) {
	case *ssa.UnOp:
		return x.X
	case *ssa.Send:
		return x.Chan
	case *ssa.Select:
		if len(x.States) == 1 {
			return x.States[0].Chan
		}
	case ssa.CallInstruction:
		if args := x.Common().Args; len(args) == 1 {
			return args[0]
		}
	}
	return nil
}

// objectKey names the object a field path ends in: the path without its
// last field; "" when there is none.
func objectKey(p concurrency.Path) string {
	if p.Kind == concurrency.Unknown {
		return ""
	}
	n := len(p.Steps)
	for n > 0 && p.Steps[n-1].Field == "" {
		n-- // the load of the field's value
	}
	if n == 0 {
		return ""
	}
	q := p
	q.Steps = p.Steps[:n-1]
	return q.Key()
}

// lockBefore returns a Lock, in the function of the signal g or in a
// function it calls, of the lock field lockKey on the object whose
// channel g signals, that can run before g; nil if there is none.
func (c *checker) lockBefore(g ssa.Instruction, lockKey string, heldRead bool) ssa.Instruction {
	s := g.Parent()
	ch := chanOperand(g)
	if ch == nil {
		return nil
	}
	obj := objectKey(c.m.PathOf(s, ch))
	if obj == "" {
		return nil
	}
	_, deferred := g.(*ssa.Defer)
	before := func(i ssa.Instruction) bool {
		if deferred {
			return true
		}
		if i.Block() == g.Block() {
			return ssautil.InstrIndex(i) < ssautil.InstrIndex(g) || c.inCycle(i.Block())
		}
		return c.reachIn(s).Reaches(i.Block(), g.Block())
	}
	matches := func(p concurrency.Path, read bool) bool {
		return !(read && heldRead) && lastField(p) == lockKey && objectKey(p) == obj
	}
	for _, b := range s.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			cc := call.Common()
			if e, ok := calls.Lookup(cc); ok && e.Role == calls.Acquire && len(cc.Args) > 0 {
				if matches(c.m.PathOf(s, cc.Args[0]), e.Read) && before(call) {
					return call
				}
				continue
			}
			callee := cc.StaticCallee()
			if callee == nil || !c.m.Local(callee) || callee == s || !before(call) {
				continue
			}
			for _, cb := range callee.Blocks {
				for _, ci := range cb.Instrs {
					inner, ok := ci.(*ssa.Call)
					if !ok {
						continue
					}
					e, ok := calls.Lookup(inner.Common())
					if !ok || e.Role != calls.Acquire || len(inner.Common().Args) == 0 {
						continue
					}
					p, ok := c.m.Translate(s, cc, c.m.PathOf(callee, inner.Common().Args[0]))
					if ok && matches(p, e.Read) {
						return call
					}
				}
			}
		}
	}
	return nil
}
