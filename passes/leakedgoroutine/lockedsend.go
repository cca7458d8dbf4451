package leakedgoroutine

// A send that holds the lock its receiver needs. A goroutine sends on a
// channel (a send alone, no select) while holding a lock L, and every
// receive from that channel in the package is preceded by taking L:
//
//   - the receiver locks L on every path to its receive (mu.Lock();
//     mu.Unlock(); <-done): if the sender takes L first, the receiver
//     waits for L and the sender for the receiver;
//   - or the receiver takes L after each receive, on every path to the
//     end of its function, and receives again (in a loop, or its function
//     is called in one): with two sends, the second sender holds L while
//     the receiver, done with the first value, waits for L.
//
// Both then block forever. Only a channel every make of which is
// unbuffered (constant capacity 0) counts: a buffered send need not wait.
// A goroutine started in a loop that makes the channel anew each time
// sends once per channel. The channel and the lock are identified by
// their access paths: the same captured variables of one function, or
// the same fields of one value (the channel and the lock share their
// root on each side).

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

// lockedRecv is one receive of a channel, and the function it is in.
type lockedRecv struct {
	instr ssa.Instruction
	fn    *ssa.Function
	ch    concurrency.Path // as lock paths are named: m.LockPathOf
}

// checkLockedSends reports sends made under a lock every receiver of the
// channel takes before receiving.
func (c *checker) checkLockedSends(funcs []*ssa.Function) {
	recvs := make(map[string][]lockedRecv)
	bad := make(map[string]bool) // channels also received where a receiver may take another way
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				c.markHandedOn(fn, instr, bad)
				switch x := instr.(type) {
				case *ssa.UnOp:
					if x.Op == token.ARROW {
						if k, _ := c.sharedChan(fn, x.X); k != "" {
							recvs[k] = append(recvs[k], lockedRecv{x, fn, c.m.LockPathOf(fn, x.X)})
						}
					}
				case *ssa.Select:
					for _, st := range x.States {
						if st.Dir != types.RecvOnly {
							continue
						}
						if k, _ := c.sharedChan(fn, st.Chan); k != "" {
							if x.Blocking && len(x.States) == 1 {
								recvs[k] = append(recvs[k], lockedRecv{x, fn, c.m.LockPathOf(fn, st.Chan)})
							} else {
								bad[k] = true
							}
						}
					}
				}
			}
		}
	}
	unbuf := make(map[string]bool)
	var ix *fieldIndex
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				var ch ssa.Value
				switch x := instr.(type) {
				case *ssa.Send:
					ch = x.Chan
				case *ssa.Select:
					if x.Blocking && len(x.States) == 1 && x.States[0].Dir == types.SendOnly {
						ch = x.States[0].Chan
					}
				}
				if ch == nil {
					continue
				}
				k, cp := c.sharedChan(fn, ch)
				if k == "" || bad[k] || len(recvs[k]) == 0 {
					continue
				}
				u, known := unbuf[k]
				if !known {
					if ix == nil {
						ix = c.buildFieldIndex(withInit(c.m.SSA.Pkg, funcs))
					}
					u = c.unbufferedChan(ix, withInit(c.m.SSA.Pkg, funcs), ch, cp)
					unbuf[k] = u
				}
				if !u {
					continue
				}
				c.checkLockedSend(fn, instr, cp, c.m.LockPathOf(fn, ch), recvs[k])
			}
		}
	}
}

// markHandedOn marks the channels instr hands to code whose receives
// are not seen: passed to a call, returned, stored, sent, converted.
func (c *checker) markHandedOn(fn *ssa.Function, instr ssa.Instruction, bad map[string]bool) {
	mark := func(v ssa.Value) {
		if _, ok := v.Type().Underlying().(*types.Chan); !ok {
			return
		}
		if k, _ := c.sharedChan(fn, v); k != "" {
			bad[k] = true
		}
	}
	switch x := instr.(type) {
	case ssa.CallInstruction:
		cc := x.Common()
		if b, ok := cc.Value.(*ssa.Builtin); ok {
			switch b.Name() {
			case "close", "len", "cap":
				return
			}
		}
		for _, a := range cc.Args {
			mark(a)
		}
	case *ssa.Return:
		for _, r := range x.Results {
			mark(r)
		}
	case *ssa.Send:
		mark(x.X)
	case *ssa.MakeInterface:
		mark(x.X)
	case *ssa.Store:
		if _, isField := x.Addr.(*ssa.FieldAddr); !isField {
			if _, isCell := x.Addr.(*ssa.Alloc); !isCell {
				mark(x.Val)
			}
		}
	}
}

// sharedChan returns a key for the channel v in fn that is the same in
// every function using it: a field (by its declaration), or a variable of
// an enclosing function captured by closures; "" otherwise.
func (c *checker) sharedChan(fn *ssa.Function, v ssa.Value) (string, concurrency.Path) {
	p := c.m.PathOf(fn, v)
	if k := lastField(p); k != "" {
		if f := fieldOf(v); f == nil || !c.ownChanField(f.Origin()) {
			return "", p // importers may receive from it
		}
		return "field " + k, p
	}
	if localVar(p) {
		return fmt.Sprintf("local %p", p.Root()), p
	}
	return "", p
}

// unbufferedChan reports whether every channel the send on ch (path cp)
// may use is made unbuffered, with constant capacity 0, as the package's
// other rules decide it: constInt for a make of a local variable, and
// for a field the makes stored in it found by fieldChan.addr (sizes of
// each make; a channel made elsewhere is not known). A buffered send may
// not block: a buffer of n takes n sends (sync TestCondSignalGenerations:
// make(chan bool, n) for n goroutines).
func (c *checker) unbufferedChan(ix *fieldIndex, whole []*ssa.Function, ch ssa.Value, cp concurrency.Path) bool {
	if lastField(cp) != "" {
		f := fieldOf(ch)
		if f == nil {
			return false
		}
		f = f.Origin()
		fc := &fieldChan{field: f, seen: make(map[ssa.Value]bool), nilOnly: true}
		for _, fn := range whole {
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					if fa, ok := instr.(*ssa.FieldAddr); ok {
						if g := fieldOfAddr(fa); g != nil && g.Origin() == f {
							fc.addr(c, ix, fa)
						}
					}
				}
			}
		}
		if fc.foreign || fc.nilOnly || len(fc.caps) == 0 {
			return false
		}
		for _, n := range fc.caps {
			if n != 0 {
				return false
			}
		}
		return true
	}
	zero := func(v ssa.Value) bool {
		mc, ok := v.(*ssa.MakeChan)
		if !ok {
			return false
		}
		n, ok := constInt(mc.Size)
		return ok && n == 0
	}
	switch r := cp.Root().(type) {
	case *ssa.MakeChan:
		return zero(r)
	case *ssa.Alloc: // a variable captured by closures: every make stored in it
		made := false
		for _, ref := range *r.Referrers() {
			st, ok := ref.(*ssa.Store)
			if !ok || st.Addr != r {
				continue
			}
			if k, ok := st.Val.(*ssa.Const); ok && k.IsNil() {
				continue
			}
			if !zero(st.Val) {
				return false
			}
			made = true
		}
		return made
	}
	return false
}

// checkLockedSend reports send, on the channel of path cp in fn, when it
// holds a lock every receiver in rs takes before receiving. lp is the
// channel's path as lock paths are named (m.LockPathOf: a captured
// receiver's cell is the receiver), to compare with the held locks.
func (c *checker) checkLockedSend(fn *ssa.Function, send ssa.Instruction, cp, lp concurrency.Path, rs []lockedRecv) {
	if c.reported[send] {
		return
	}
	for _, lk := range c.m.Locks(fn).HeldAt(send) {
		if !sameObject(lp, lk.Path) && !sameObject(cp, lk.Path) {
			continue
		}
		var first lockedRecv
		var take ssa.Instruction
		between := false
		ok := true
		for _, r := range rs {
			t, after := c.takenBefore(r, cp, lk), false
			if t == nil {
				t, after = c.takenBetween(r, cp, lk, fn, send), true
			}
			if t == nil {
				ok = false
				break
			}
			if take == nil {
				first, take, between = r, t, after
			}
		}
		if !ok || take == nil {
			continue
		}
		name := c.exprAt(opPos(send), "the channel")
		lname := lk.Path.String()
		c.reported[send] = true
		when := "before it receives from"
		if between {
			when = "after each receive, before its next one from"
		}
		c.r.Report(analysis.Diagnostic{
			Pos: opPos(send),
			Message: fmt.Sprintf("goroutine leaks: this send on %s holds %s, which %s takes (%s) %s %s (%s): once it waits for %s, neither goroutine can go on; unlock %s before sending",
				name, lname, funcName(first.fn), c.where(take.Pos(), opPos(send)), when, name, c.where(opPos(first.instr), opPos(send)), lname, lname),
			Related: []analysis.RelatedInformation{
				{Pos: opPos(first.instr), Message: "the receive"},
				{Pos: take.Pos(), Message: "the receiver takes the lock here"},
			},
		})
		return
	}
}

// localVar reports whether p is a local variable of a function, or a
// value loaded from one (a variable captured by closures).
func localVar(p concurrency.Path) bool {
	return p.Kind == concurrency.Local && p.Root() != nil && (len(p.Steps) == 0 || len(p.Steps) == 1 && p.Steps[0].Deref)
}

// sameObject reports whether a channel path and a lock path, in one
// function, belong to the same value: the same captured variables of an
// enclosing function, or fields of one root.
func sameObject(ch, lock concurrency.Path) bool {
	if localVar(ch) {
		return localOrParam(lock) && lock.Root().Parent() == ch.Root().Parent()
	}
	return lastField(ch) != "" && ch.SameRoot(lock)
}

// localOrParam reports whether a lock path is rooted at a local variable
// or at a parameter of a function of the package (LockPathOf names a
// captured parameter's cell as the parameter).
func localOrParam(p concurrency.Path) bool {
	return (p.Kind == concurrency.Local || p.Kind == concurrency.Param) && p.Root() != nil
}

// matchesLock reports whether lk, a lock taken in the receiver's
// function, is the sender's lock: the same captured variable, or the
// same field of the value the receiver's channel belongs to.
func matchesLock(rch concurrency.Path, lk concurrency.Path, sender concurrency.Lock) bool {
	if sender.Path.Kind == concurrency.Local && lk.Kind == concurrency.Local {
		return lk.Root() == sender.Path.Root() && lk.Key() == sender.Path.Key()
	}
	if localOrParam(sender.Path) && lk.Root() == sender.Path.Root() && lk.Key() == sender.Path.Key() {
		return true // one parameter, captured by the sender's closure or the receiver's
	}
	if lastField(lk) == "" || lastField(lk) != lastField(sender.Path) {
		return false
	}
	return lastField(rch) != "" && rch.SameRoot(lk)
}

// takes returns the lock paths instr acquires, in its function: a Lock
// call, or a call of a function that takes a lock (at any point, not only
// as its net effect), translated.
func (c *checker) takes(fn *ssa.Function, instr ssa.Instruction, read bool) []concurrency.Path {
	ci, ok := instr.(*ssa.Call)
	if !ok {
		return nil
	}
	cc := ci.Common()
	if e, ok := calls.Lookup(cc); ok {
		if e.Role == calls.Acquire && (!e.Read || read) && len(cc.Args) > 0 {
			return []concurrency.Path{c.m.LockPathOf(fn, cc.Args[0])}
		} else if e.Role == calls.Acquire && cc.IsInvoke() {
			return []concurrency.Path{c.m.LockPathOf(fn, cc.Value)}
		}
		return nil
	}
	callee := cc.StaticCallee()
	if callee == nil || !c.m.Local(callee) {
		return nil
	}
	var out []concurrency.Path
	for _, lk := range c.m.Locks(callee).Taken() {
		if lk.Read && !read {
			continue
		}
		if p, ok := c.m.TranslateLock(fn, cc, lk.Path); ok {
			out = append(out, p)
		}
	}
	return out
}

// takesLock returns the instruction of b, from index from on, that takes
// the sender's lock, if any.
func (c *checker) takesLock(r lockedRecv, b *ssa.BasicBlock, from, to int, sender concurrency.Lock) ssa.Instruction {
	for _, instr := range b.Instrs[from:to] {
		// A read lock of the receiver blocks on the sender's write lock;
		// the sender's read lock blocks only a writer.
		for _, p := range c.takes(r.fn, instr, !sender.Read) {
			if matchesLock(r.ch, p, sender) {
				return instr
			}
		}
	}
	return nil
}

// takenBefore returns a lock of the sender's lock that every path from
// the entry of the receiver's function to the receive passes.
func (c *checker) takenBefore(r lockedRecv, ch concurrency.Path, sender concurrency.Lock) ssa.Instruction {
	rb := r.instr.Block()
	if t := c.takesLock(r, rb, 0, ssautil.InstrIndex(r.instr), sender); t != nil {
		return t
	}
	for b := rb.Idom(); b != nil; b = b.Idom() {
		if t := c.takesLock(r, b, 0, len(b.Instrs), sender); t != nil {
			return t
		}
	}
	return nil
}

// takenBetween returns a lock of the sender's lock that every path from
// the receive to the end of its function passes, when the receive runs
// again (in a loop, or its function is called in one or twice) and the
// sender's send can happen twice.
func (c *checker) takenBetween(r lockedRecv, ch concurrency.Path, sender concurrency.Lock, sfn *ssa.Function, send ssa.Instruction) ssa.Instruction {
	if !c.repeated(r.instr, nil) || !c.repeated(send, ch.Root()) {
		return nil
	}
	var found ssa.Instruction
	seen := make(map[*ssa.BasicBlock]bool)
	var walk func(b *ssa.BasicBlock, from int) bool // every path from here takes the lock before returning
	walk = func(b *ssa.BasicBlock, from int) bool {
		if from == 0 {
			if seen[b] {
				return true // round a loop: judged where it started
			}
			seen[b] = true
		}
		if t := c.takesLock(r, b, from, len(b.Instrs), sender); t != nil {
			if found == nil {
				found = t
			}
			return true
		}
		if b == r.instr.Block() && from == 0 {
			return false // back at the receive without the lock
		}
		switch b.Instrs[len(b.Instrs)-1].(type) {
		case *ssa.Return:
			return false
		case *ssa.Panic:
			return true
		}
		for _, s := range b.Succs {
			if !walk(s, 0) {
				return false
			}
		}
		return true
	}
	if !walk(r.instr.Block(), ssautil.InstrIndex(r.instr)+1) {
		return nil
	}
	return found
}

// repeated reports whether instr may run more than once: in a loop of
// its function, or its function runs several times (started in a loop or
// at several go statements, called in a loop or from several places).
// A goroutine started in a loop that also makes made, the channel, each
// time round sends on a channel of its own: for that channel it runs
// once (sync TestCondSignalStealing: m, ch and the goroutine sending on
// ch under m are made anew in each iteration).
func (c *checker) repeated(instr ssa.Instruction, made ssa.Value) bool {
	if c.inCycle(instr.Block()) {
		return true
	}
	fn := instr.Parent()
	n := 0
	for _, sp := range c.m.Spawns() {
		if sp.Fn == fn {
			if (sp.Many || sp.InLoop) && !madeEachTime(made, sp.Site) {
				return true
			}
			n++
		}
	}
	for _, site := range c.m.CallSites(fn) {
		if _, isGo := site.(*ssa.Go); isGo {
			continue
		}
		if c.inCycle(site.Block()) {
			return true
		}
		n++
	}
	return n >= 2
}

// madeEachTime reports whether the value made, an instruction of the
// function of site, is made anew each time site runs: every loop of that
// function containing site contains made.
func madeEachTime(made ssa.Value, site ssa.Instruction) bool {
	mi, ok := made.(ssa.Instruction)
	if !ok || site == nil || mi.Parent() != site.Parent() {
		return false
	}
	for _, l := range ssautil.Loops(site.Parent()) {
		if l.Contains(site.Block()) && !l.Contains(mi.Block()) {
			return false
		}
	}
	return true
}

// exprAt renders the channel operand of the send or receive at arrow.
func (c *checker) exprAt(arrow token.Pos, fallback string) string {
	if e := c.caseExpr(arrow); e != "" {
		e = trimOp(e)
		return e
	}
	return fallback
}

// trimOp turns "<-x" or "x <- ..." into "x".
func trimOp(e string) string {
	if len(e) > 2 && e[:2] == "<-" {
		return e[2:]
	}
	if n := len(e); n > 7 && e[n-7:] == " <- ..." {
		return e[:n-7]
	}
	return e
}

// A send holding the lock its poller takes. A goroutine sends on an
// unbuffered field channel (a send alone) while it, or a caller of its
// function, holds a lock L, and every receive of that channel in the
// package polls it: a select with a default, in a loop, whose default
// takes L on every path back to the select (select { case <-stop: return;
// default: check() } with check locking L). The send waits for the next
// poll; the poller, finding nothing, waits for L, which the sender keeps
// until its send completes: neither goroutine moves. The two locks are
// the same field of the same struct type.

// heldLock is a lock held at a send, by its function or by a caller.
type heldLock struct {
	lock concurrency.Lock
	fn   *ssa.Function   // the function holding it
	at   ssa.Instruction // the send, or the call (in fn) that leads to it
}

// maxHeldDepth bounds the callers searched for a lock held at a send.
const maxHeldDepth = 3

// heldOnSomeChain returns the locks held at instr in its function, and at
// the static calls leading to it from callers up to maxHeldDepth away
// (go and defer statements excluded: the callee runs without the caller's
// locks, or when they may be gone).
func (c *checker) heldOnSomeChain(instr ssa.Instruction) []heldLock {
	var out []heldLock
	seen := make(map[*ssa.Function]bool)
	var up func(fn *ssa.Function, at ssa.Instruction, depth int)
	up = func(fn *ssa.Function, at ssa.Instruction, depth int) {
		for _, lk := range c.m.Locks(fn).HeldAt(at) {
			out = append(out, heldLock{lk, fn, at})
		}
		if depth == maxHeldDepth || seen[fn] {
			return
		}
		seen[fn] = true
		for _, site := range c.m.CallSites(fn) {
			call, ok := site.(*ssa.Call)
			if !ok || call.Common().StaticCallee() != fn {
				continue
			}
			up(call.Parent(), call, depth+1)
		}
	}
	up(instr.Parent(), instr, 0)
	return out
}

// reportPolledLockedSend reports the sends on fc's channel that hold a
// lock its polling receivers take when their poll finds nothing.
func (c *checker) reportPolledLockedSend(fc *fieldChan) {
	if fc.foreign || fc.escRecv || fc.nilOnly || fc.lens || len(fc.caps) == 0 || len(fc.recvs) > 0 || len(fc.selRecv) == 0 || len(fc.sends) == 0 {
		return
	}
	for _, n := range fc.caps {
		if n != 0 {
			return
		}
	}
	for _, sel := range fc.selRecv {
		if sel.Blocking || !c.inCycle(sel.Block()) {
			return
		}
	}
	name := fc.field.Name()
	if owner := fieldOwner(fc.field); owner != "" {
		name = owner + "." + name
	}
sends:
	for _, send := range fc.sends {
		for _, h := range c.heldOnSomeChain(send) {
			key := lastField(h.lock.Path)
			if key == "" {
				continue
			}
			var poll *ssa.Select
			var take ssa.Instruction
			for _, sel := range fc.selRecv {
				t := c.pollTakes(sel, h.lock)
				if t == nil {
					take = nil
					break
				}
				if take == nil {
					poll, take = sel, t
				}
			}
			if take == nil {
				continue
			}
			lname := h.lock.Path.String()
			holder := ""
			related := []analysis.RelatedInformation{
				{Pos: poll.Pos(), Message: "the poll of " + name},
				{Pos: take.Pos(), Message: "the poller takes " + lname + " here when nothing came"},
			}
			if h.fn != send.Parent() {
				holder = fmt.Sprintf(" (held by its caller %s, %s)", funcName(h.fn), c.where(h.at.Pos(), opPos(send)))
				related = append(related, analysis.RelatedInformation{Pos: h.at.Pos(), Message: "the call made holding " + lname})
			}
			c.reportOnce(send, analysis.Diagnostic{
				Pos: opPos(send),
				Message: fmt.Sprintf("goroutine leaks: this send on %s holds %s%s, and its only receiver, %s, polls %s (%s) and takes %s when nothing came (%s): once the poller waits for %s, the send never completes; unlock %s before sending",
					name, lname, holder, funcName(poll.Parent()), name, c.where(poll.Pos(), opPos(send)), lname, c.where(take.Pos(), opPos(send)), lname, lname),
				Related: related,
			})
			continue sends
		}
	}
}

// pollTakes returns where the default of the polling select sel takes the
// sender's lock (the same field of the same struct type) on every path
// back to sel; nil if some path returns, or comes back, without it.
func (c *checker) pollTakes(sel *ssa.Select, sender concurrency.Lock) ssa.Instruction {
	def := defaultBody(sel)
	if def == nil {
		return nil
	}
	fn := sel.Parent()
	key := lastField(sender.Path)
	var found ssa.Instruction
	takesIn := func(instrs []ssa.Instruction) bool {
		for _, instr := range instrs {
			// A read lock of the poller blocks on the sender's write
			// lock; the sender's read lock blocks only a writer.
			for _, p := range c.takes(fn, instr, !sender.Read) {
				if lastField(p) == key {
					if found == nil {
						found = instr
					}
					return true
				}
			}
		}
		return false
	}
	seen := make(map[*ssa.BasicBlock]bool)
	var walk func(b *ssa.BasicBlock) bool // every path from b takes the lock before polling again
	walk = func(b *ssa.BasicBlock) bool {
		if b == sel.Block() {
			return takesIn(b.Instrs[:ssautil.InstrIndex(sel)])
		}
		if seen[b] {
			return true // round an inner loop: judged where it started
		}
		seen[b] = true
		if takesIn(b.Instrs) {
			return true
		}
		switch b.Instrs[len(b.Instrs)-1].(type) {
		case *ssa.Return:
			return false
		case *ssa.Panic:
			return true
		}
		for _, s := range b.Succs {
			if !walk(s) {
				return false
			}
		}
		return true
	}
	if !walk(def) {
		return nil
	}
	return found
}

// defaultBody returns the first block of the default of a non-blocking
// select: where its last case's comparison goes when it fails.
func defaultBody(sel *ssa.Select) *ssa.BasicBlock {
	if sel.Blocking {
		return nil
	}
	last := caseBody(sel, len(sel.States)-1)
	if last == nil || len(last.Preds) != 1 {
		return nil
	}
	if ifi, ok := last.Preds[0].Instrs[len(last.Preds[0].Instrs)-1].(*ssa.If); ok && len(ifi.Block().Succs) == 2 {
		return ifi.Block().Succs[1]
	}
	return nil
}
