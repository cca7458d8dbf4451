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
		return c.reachIn(s).InstrReaches(i, g)
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
	// Another package's function has no body here: its Locks take nothing.
	if callee == nil || callee == fn {
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
		avoided := ssautil.SearchBlocks(g.Block(), ssautil.InstrIndex(g)+1, nil, func(b *ssa.BasicBlock, instrs []ssa.Instruction, push func(*ssa.BasicBlock)) (bool, bool) {
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
	return ssautil.Dominates(x, g)
}

// A wait holding the lock every signal holds, on channels kept in local
// variables. A goroutine receives (alone, blocking) from a channel loaded
// from a variable its closures capture, while it, or a caller (up to
// three calls away, through a function kept in a field too), holds a lock
// L; every channel that variable can hold (made and stored in it, or
// copied from another such variable) is used only in the package, and is
// sent on or closed only where L is held on every way there. If the
// receiver takes L first, nothing can signal it (the follower waits on
// the round's channel under the round lock the leader needs to close it).

// checkLockedCellWaits reports receives from channels kept in captured
// variables whose every signal needs the lock the receiver holds.
func (c *checker) checkLockedCellWaits(fn *ssa.Function) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			ch := blockingRecv(instr)
			if ch == nil {
				continue
			}
			cell := chanCell(ch)
			if cell == nil {
				continue
			}
			fam, ok := c.cellFamily(cell)
			if !ok {
				continue
			}
			c.checkLockedCellWait(instr, fam)
		}
	}
}

// chanCell returns the captured variable (its Alloc) the channel ch is
// loaded from; nil if it is not.
func chanCell(ch ssa.Value) *ssa.Alloc {
	ld, ok := ch.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return nil
	}
	v := ld.X
	if fv, ok := v.(*ssa.FreeVar); ok {
		v = ssautil.Binding(fv)
	}
	a, _ := v.(*ssa.Alloc)
	if a == nil || !a.Heap { // conservative: a non-heap cell (a named result under defer) is only its own invocation's
		return nil
	}
	return a
}

// cellFamily is what the package does with the channels some captured
// variables hold.
type cellFamily struct {
	cells   map[*ssa.Alloc]bool
	signals []ssa.Instruction // sends on and closes of them
}

// cellFamily collects the variables whose channels flow into cell, and
// the signals on those channels; false if a channel of the family may be
// used where we do not see it.
func (c *checker) cellFamily(cell *ssa.Alloc) (*cellFamily, bool) {
	fam := &cellFamily{cells: map[*ssa.Alloc]bool{}}
	work := []*ssa.Alloc{cell}
	for len(work) > 0 {
		a := work[len(work)-1]
		work = work[:len(work)-1]
		if fam.cells[a] {
			continue
		}
		if len(fam.cells) > 8 {
			return nil, false
		}
		fam.cells[a] = true
		for _, addr := range cellAddrs(a) {
			for _, ref := range *addr.Referrers() {
				switch r := ref.(type) {
				case *ssa.DebugRef, *ssa.MakeClosure:
				case *ssa.Store:
					switch v := r.Val.(type) {
					case *ssa.MakeChan:
						if !onlyStored(v, addr) {
							return nil, false
						}
					case *ssa.Const: // nil
					default:
						src := chanCell(v)
						if src == nil {
							return nil, false // not a copy from a variable (the variable's own address stored)
						}
						work = append(work, src)
					}
				case *ssa.UnOp: // a load
					sigs, ok := chanValueUses(r)
					if !ok {
						return nil, false
					}
					fam.signals = append(fam.signals, sigs...)
				default:
					return nil, false
				}
			}
		}
	}
	return fam, true
}

// cellAddrs returns a and the free variables of closures bound to it.
func cellAddrs(a *ssa.Alloc) []ssa.Value {
	out := []ssa.Value{a}
	var bound func(v ssa.Value, depth int)
	bound = func(v ssa.Value, depth int) {
		if depth > 4 {
			return
		}
		for _, ref := range *v.Referrers() {
			if mc, ok := ref.(*ssa.MakeClosure); ok {
				for _, fv := range ssautil.BoundTo(mc, v) {
					out = append(out, fv)
					bound(fv, depth+1)
				}
			}
		}
	}
	bound(a, 0)
	return out
}

// onlyStored reports whether the made channel mc is used only by being
// stored at addr.
func onlyStored(mc *ssa.MakeChan, addr ssa.Value) bool {
	for _, ref := range *mc.Referrers() {
		switch r := ref.(type) {
		case *ssa.DebugRef:
		case *ssa.Store:
			if r.Addr != addr || r.Val != mc {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// chanValueUses returns the sends and closes on ld, a channel loaded from
// a variable of the family; false if it is used any other way than
// receiving, signalling, comparing or being copied into a variable.
func chanValueUses(ld *ssa.UnOp) ([]ssa.Instruction, bool) {
	var sigs []ssa.Instruction
	for _, ref := range *ld.Referrers() {
		switch r := ref.(type) {
		case *ssa.DebugRef, *ssa.UnOp, *ssa.BinOp: // a receive, a comparison
		case *ssa.Send:
			if r.X == ld {
				return nil, false
			}
			sigs = append(sigs, r)
		case *ssa.Select:
			for _, st := range r.States {
				if st.Send == ld {
					return nil, false
				}
				if st.Chan == ld && st.Dir == types.SendOnly {
					sigs = append(sigs, r)
				}
			}
		case *ssa.Store:
			if chanCell(&ssa.UnOp{Op: token.MUL, X: r.Addr}) == nil || r.Val != ld {
				return nil, false // copied into a variable: followed from its stores
			}
		case ssa.CallInstruction:
			if closedChan(r.Common()) != ld {
				return nil, false
			}
			sigs = append(sigs, r)
		default:
			return nil, false
		}
	}
	return sigs, true
}

func (c *checker) checkLockedCellWait(r ssa.Instruction, fam *cellFamily) {
	for _, h := range c.heldOnSomeChain(r) {
		key := lockKey(h.lock.Path)
		if key == "" {
			continue
		}
		var first ssa.Instruction
		for _, s := range fam.signals {
			if !c.heldOnEveryChain(s, key, h.lock.Read, 0) {
				first = nil
				break
			}
			if first == nil {
				first = s
			}
		}
		if first == nil {
			continue
		}
		name := c.exprAt(opPos(r), "the channel")
		lname := h.lock.Path.String()
		holder := ""
		related := []analysis.RelatedInformation{{Pos: first.Pos(), Message: "a signal, made holding " + lname}}
		if h.fn != r.Parent() {
			holder = fmt.Sprintf(" (held by its caller %s, %s)", funcName(h.fn), c.where(h.at.Pos(), opPos(r)))
			related = append(related, analysis.RelatedInformation{Pos: h.at.Pos(), Message: "the call made holding " + lname})
		}
		c.reportOnce(r, analysis.Diagnostic{
			Pos: opPos(r),
			Message: fmt.Sprintf("goroutine leaks: this receive from %s waits holding %s%s, but every send on or close of the channels %s holds (%s) is made holding %s too, so once it waits nothing can signal it; unlock %s before waiting",
				name, lname, holder, name, c.where(first.Pos(), opPos(r)), lname, lname),
			Related: related,
		})
		return
	}
}

// lockKey names a lock the same way in every function: its field (of its
// struct type), or the local variable it is.
func lockKey(p concurrency.Path) string {
	if k := lastField(p); k != "" {
		return "field " + k
	}
	if p.Kind == concurrency.Local && p.Root() != nil && len(p.Steps) == 0 {
		return fmt.Sprintf("local %p", p.Root())
	}
	return ""
}

// heldOnEveryChain reports whether a lock of key (a write lock, or a
// read lock when the receiver's is a write lock) is held at instr on
// every way it runs: in its function, or at every call of its function
// when those are all known (static calls, and calls of a field its
// closure is kept in), up to maxHeldDepth away.
func (c *checker) heldOnEveryChain(instr ssa.Instruction, key string, read bool, depth int) bool {
	fn := instr.Parent()
	for _, lk := range c.m.Locks(fn).HeldAt(instr) {
		if lockKey(lk.Path) == key && !(lk.Read && read) {
			return true
		}
	}
	if depth == maxHeldDepth {
		return false
	}
	sites, complete := c.allCallSites(fn)
	if !complete || len(sites) == 0 {
		return false
	}
	for _, site := range sites {
		if !c.heldOnEveryChain(site, key, read, depth+1) {
			return false
		}
	}
	return true
}

// allCallSites returns the calls of fn in the package, static ones and
// calls of a function loaded from a field fn is kept in, and whether they
// are all its calls: a closure made only to be called or stored in such
// fields, or a function with only synchronous contexts.
func (c *checker) allCallSites(fn *ssa.Function) ([]ssa.CallInstruction, bool) {
	// A go statement running fn is no Sync context (a named function) and
	// no Call of its closure: both checks below give up on it.
	sites := append([]ssa.CallInstruction(nil), c.m.CallSites(fn)...)
	dyn := c.fieldCallSites()[fn]
	sites = append(sites, dyn...)
	if fn.Parent() == nil {
		for _, ctx := range c.m.Contexts(fn) {
			if ctx.Kind != concurrency.Sync {
				return sites, false
			}
		}
		return sites, true
	}
	for _, mc := range ssautil.Closures(fn) {
		for _, ref := range *mc.Referrers() {
			switch r := ref.(type) {
			case *ssa.DebugRef:
			case *ssa.Call:
				if r.Common().Value != mc {
					return sites, false
				}
			case *ssa.Store: // of mc (a func value is no address); fieldFuncs is nil unless r.Addr is a func field's
				if c.fieldFuncs(&ssa.UnOp{Op: token.MUL, X: r.Addr}) == nil || !c.fieldOnlyCalled(fieldOf(r.Addr).Origin()) {
					return sites, false
				}
			default:
				return sites, false
			}
		}
	}
	return sites, true
}

// fieldCallSites maps each function kept in a func field to the calls of
// a value loaded from that field (fieldFuncs).
func (c *checker) fieldCallSites() map[*ssa.Function][]ssa.CallInstruction {
	if c.fieldCalls != nil {
		return c.fieldCalls
	}
	c.fieldCalls = make(map[*ssa.Function][]ssa.CallInstruction)
	for _, fn := range c.m.Funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				ci, ok := instr.(*ssa.Call)
				if !ok || ci.Common().IsInvoke() || ci.Common().StaticCallee() != nil {
					continue
				}
				for _, callee := range c.fieldFuncs(ci.Common().Value) {
					c.fieldCalls[callee] = append(c.fieldCalls[callee], ci)
				}
			}
		}
	}
	return c.fieldCalls
}

// fieldOnlyCalled reports whether every load of the func field f in the
// package is called directly (not handed on, not run by a go statement).
func (c *checker) fieldOnlyCalled(f *types.Var) bool {
	for _, fa := range c.addrsOf(f) {
		for _, ref := range *fa.Referrers() {
			ld, ok := ref.(*ssa.UnOp)
			if !ok || ld.Op != token.MUL {
				continue // stores: fieldFuncs judges them
			}
			for _, u := range *ld.Referrers() {
				call, ok := u.(*ssa.Call)
				if _, dbg := u.(*ssa.DebugRef); dbg {
					continue
				}
				if !ok || call.Common().Value != ld {
					return false
				}
			}
		}
	}
	return true
}
