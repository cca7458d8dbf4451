package leakedgoroutine

import (
	"fmt"
	"go/token"
	"go/types"

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

// A wait holding the lock its signal waits for, on a local channel. A
// goroutine receives from a channel made in the package (a receive
// alone) while holding a lock L, and every send on and close of that
// channel, in another goroutine, must first wait for L: a Lock of the
// same field of the same struct type on every path to the signal, or a
// receive on every path to it from a local channel whose every signal
// itself comes after such a Lock (defer close(stop) after <-locked, where
// the goroutine closing locked locks L first). If the receiver takes L
// first, neither moves.

// maxWaitHops bounds the receives followed from a signal to the Lock it
// waits for.
const maxWaitHops = 1

// lockWait is how a signal waits for a lock: the Lock, and the receive
// (nil when direct) whose signal comes after it.
type lockWait struct {
	lock ssa.Instruction
	name string // the lock's path at lock
	recv ssa.Instruction
}

// checkLockedLocalWaits reports receives from the channels made in fn
// that hold the lock every signal of the channel waits for.
func (c *checker) checkLockedLocalWaits(fn *ssa.Function) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			mc, ok := instr.(*ssa.MakeChan)
			if !ok {
				continue
			}
			u := channelUsage(fn, mc)
			if u.escapes || u.returned {
				continue
			}
			signals := append(append([]op(nil), u.sends...), u.closes...)
			if len(signals) == 0 {
				continue
			}
			for _, r := range u.recvs {
				if !r.guard {
					c.checkLockedLocalWait(r, signals)
				}
			}
		}
	}
}

func (c *checker) checkLockedLocalWait(r op, signals []op) {
locks:
	for _, held := range c.m.Locks(r.fn).HeldAt(r.instr) {
		key := lastField(held.Path)
		if key == "" {
			continue
		}
		var first lockWait
		for _, g := range signals {
			if g.actor == r.actor {
				continue locks // the receiver's own goroutine: not a wait for another
			}
			w, ok := c.waitsForLock(g.instr, key, held.Read, maxWaitHops)
			if !ok {
				continue locks
			}
			if first.lock == nil {
				first = w
			}
		}
		sig := signals[0].instr
		name := c.exprAt(opPos(r.instr), "the channel")
		lname := held.Path.String()
		what := "signals"
		if _, isSend := sig.(*ssa.Send); !isSend {
			what = "closes"
		}
		via := ""
		related := []analysis.RelatedInformation{
			{Pos: sig.Pos(), Message: "the signal the receive waits for"},
		}
		if first.recv != nil {
			via = fmt.Sprintf(" only after receiving from %s (%s), which %s signals", c.exprAt(opPos(first.recv), "a channel"), c.where(opPos(first.recv), opPos(r.instr)), funcName(first.lock.Parent()))
			related = append(related, analysis.RelatedInformation{Pos: opPos(first.recv), Message: "the signaler waits here first"})
		}
		related = append(related, analysis.RelatedInformation{Pos: first.lock.Pos(), Message: "the lock the signal waits for"})
		c.reportOnce(r.instr, analysis.Diagnostic{
			Pos: opPos(r.instr),
			Message: fmt.Sprintf("goroutine leaks: this receive from %s waits holding %s, but %s %s %s (%s)%s only after locking %s (%s), so neither can move; unlock %s before waiting",
				name, lname, funcName(sig.Parent()), what, name, c.where(sig.Pos(), opPos(r.instr)), via, first.name, c.where(first.lock.Pos(), opPos(r.instr)), lname),
			Related: related,
		})
		return
	}
}

// waitsForLock reports how g, a send or close, must wait for a lock of
// the field key first: a Lock of it on every path to g, or (hops > 0) a
// receive on every path to g from a local channel whose every signal
// waits for it.
func (c *checker) waitsForLock(g ssa.Instruction, key string, heldRead bool, hops int) (lockWait, bool) {
	fn := g.Parent()
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if !mustPrecede(instr, g) {
				continue
			}
			if name, ok := c.locksField(fn, instr, key, heldRead); ok {
				return lockWait{lock: instr, name: name}, true
			}
			if hops == 0 {
				continue
			}
			ch := blockingRecv(instr)
			if ch == nil {
				continue
			}
			mc, ok := ssautil.Origin(ch, ssautil.Value|ssautil.Loads|ssautil.Cells).(*ssa.MakeChan)
			if !ok {
				continue
			}
			u := channelUsage(mc.Parent(), mc)
			if u.escapes || u.returned {
				continue
			}
			signals := append(append([]op(nil), u.sends...), u.closes...)
			var first lockWait
			for _, s := range signals {
				w, ok := c.waitsForLock(s.instr, key, heldRead, hops-1)
				if !ok {
					first.lock = nil
					break
				}
				if first.lock == nil {
					first = w
				}
			}
			if first.lock != nil {
				first.recv = instr
				return first, true
			}
		}
	}
	return lockWait{}, false
}

// blockingRecv returns the channel instr receives from alone, blocking.
func blockingRecv(instr ssa.Instruction) ssa.Value {
	switch x := instr.(type) {
	case *ssa.UnOp:
		if x.Op == token.ARROW {
			return x.X
		}
	case *ssa.Select:
		if x.Blocking && len(x.States) == 1 && x.States[0].Dir == types.RecvOnly {
			return x.States[0].Chan
		}
	}
	return nil
}

// locksField reports whether instr, in fn, locks the field key (a write
// lock, or a read lock when the holder's lock is a write lock): a Lock
// call, or a call of a function of the package that takes it.
func (c *checker) locksField(fn *ssa.Function, instr ssa.Instruction, key string, heldRead bool) (string, bool) {
	call, ok := instr.(*ssa.Call)
	if !ok {
		return "", false
	}
	cc := call.Common()
	if e, ok := calls.Lookup(cc); ok {
		if e.Role != calls.Acquire || e.Read && heldRead || len(cc.Args) == 0 {
			return "", false
		}
		p := c.m.LockPathOf(fn, cc.Args[0])
		return p.String(), lastField(p) == key
	}
	callee := cc.StaticCallee()
	if callee == nil || !c.m.Local(callee) || callee == fn {
		return "", false
	}
	for _, lk := range c.m.Locks(callee).Taken() {
		if !(lk.Read && heldRead) && lastField(lk.Path) == key {
			if p, ok := c.m.TranslateLock(fn, cc, lk.Path); ok {
				return p.String(), true
			}
			return key, true
		}
	}
	return "", false
}

// mustPrecede reports whether x runs before g on every path to g: x
// dominates g or, for a deferred g, every path from the defer statement
// to a return passes x.
func mustPrecede(x, g ssa.Instruction) bool {
	if x == g {
		return false
	}
	if _, deferred := g.(*ssa.Defer); deferred {
		avoided := searchBlocks(g.Block(), ssautil.InstrIndex(g)+1, nil, func(b *ssa.BasicBlock, instrs []ssa.Instruction, push func(*ssa.BasicBlock)) (bool, bool) {
			for _, i := range instrs {
				if i == x {
					return false, true // this path passes x
				}
				if _, ret := i.(*ssa.Return); ret {
					return true, true
				}
			}
			return false, false
		})
		return !avoided
	}
	if x.Block() == g.Block() {
		return ssautil.InstrIndex(x) < ssautil.InstrIndex(g)
	}
	return x.Block().Dominates(g.Block())
}
