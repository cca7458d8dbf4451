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
					u = c.unbufferedChan(ix, ch, cp)
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
func (c *checker) unbufferedChan(ix *fieldIndex, ch ssa.Value, cp concurrency.Path) bool {
	if lastField(cp) != "" {
		f := fieldOf(ch)
		if f == nil {
			return false
		}
		f = f.Origin()
		fc := &fieldChan{field: f, seen: make(map[ssa.Value]bool), nilOnly: true}
		for _, fa := range c.addrsOf(f) {
			fc.addr(c, ix, fa)
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
			if isNil(st.Val) {
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

// A send holding the lock its receiver takes going another way. A
// goroutine sends on a field channel (a send alone) while it, or a caller
// of its function, holds a lock L, and every receive of that channel in
// the package is a select in a loop that, when it goes another way,
// takes L on some path back to the select: the default of a poll (select
// { case <-stop: return; default: check() } with check locking L), or the
// case of a ticker, which fires by itself (case <-tick.C: s.flush(),
// flush locking L). The send waits for the receiver; the receiver, gone
// the other way, waits for L, which the sender keeps until its send
// completes: neither goroutine moves. The two locks are the same field
// of the same struct type. An unbuffered channel takes one such send; a
// buffered one (of constant capacity) a send that can run without bound
// (in a loop, or in goroutines started in one), which fills the buffer.

// heldLock is a lock held at a send, by its function or by a caller.
type heldLock struct {
	lock concurrency.Lock
	fn   *ssa.Function   // the function holding it
	at   ssa.Instruction // the send, or the call (in fn) that leads to it
}

// maxHeldDepth bounds the callers searched for a lock held at a send.
const maxHeldDepth = 3

// heldOnSomeChain returns the locks held at instr in its function, and at
// the calls leading to it (static ones, and calls of a func field it is
// kept in) from callers up to maxHeldDepth away
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
			if !ok {
				continue
			}
			up(call.Parent(), call, depth+1)
		}
		for _, site := range c.fieldCallSites()[fn] {
			up(site.Parent(), site, depth+1)
		}
	}
	up(instr.Parent(), instr, 0)
	return out
}

// reportPolledLockedSend reports the sends on fc's channel that hold a
// lock its receivers take when they go another way than receiving.
func (c *checker) reportPolledLockedSend(fc *fieldChan) {
	if fc.foreign || fc.escRecv || fc.lens || len(fc.caps) == 0 || len(fc.recvs) > 0 || len(fc.selRecv) == 0 || len(fc.sends) == 0 {
		return
	}
	buffered := false
	for _, n := range fc.caps {
		if n == unknownCap {
			return
		}
		buffered = buffered || n > 0
	}
	for _, sel := range fc.selRecv {
		if !c.inCycle(sel.Block()) {
			return
		}
	}
	name := fc.field.Name()
	if owner := fieldOwner(fc.field); owner != "" {
		name = owner + "." + name
	}
sends:
	for _, send := range fc.sends {
		if buffered && !c.repeatsUnbounded(send.Parent(), send, maxHeldDepth+2) {
			continue
		}
		for _, h := range c.heldOnSomeChain(send) {
			var poll *ssa.Select
			var take ssa.Instruction
			var way string
			for _, sel := range fc.selRecv {
				t, w := c.otherWayTakes(sel, h.lock)
				if t == nil {
					take = nil
					break
				}
				if take == nil {
					poll, take, way = sel, t, w
				}
			}
			if take == nil {
				continue
			}
			lname := h.lock.Path.String()
			holder := ""
			related := []analysis.RelatedInformation{
				{Pos: poll.Pos(), Message: "the receiver's select on " + name},
				{Pos: take.Pos(), Message: "the receiver takes " + lname + " here, " + way},
			}
			if h.fn != send.Parent() {
				holder = fmt.Sprintf(" (held by its caller %s, %s)", funcName(h.fn), c.where(h.at.Pos(), opPos(send)))
				related = append(related, analysis.RelatedInformation{Pos: h.at.Pos(), Message: "the call made holding " + lname})
			}
			full := ""
			if buffered {
				full = " once the buffer is full"
			}
			c.reportOnce(send, analysis.Diagnostic{
				Pos: opPos(send),
				Message: fmt.Sprintf("goroutine leaks: this send on %s holds %s%s, and its only receiver, %s, selects on %s (%s) and takes %s %s (%s): once the receiver waits for %s, the send never completes%s; unlock %s before sending",
					name, lname, holder, funcName(poll.Parent()), name, c.where(poll.Pos(), opPos(send)), lname, way, c.where(take.Pos(), opPos(send)), lname, full, lname),
				Related: related,
			})
			continue sends
		}
	}
}

// otherWayTakes returns where the select sel, receiving from the sender's
// channel, takes the sender's lock (the same field of the same struct
// type) on some path from its default, or from a ticker's case, back to
// sel, and which way that is; nil if there is none.
func (c *checker) otherWayTakes(sel *ssa.Select, sender concurrency.Lock) (ssa.Instruction, string) {
	if def := defaultBody(sel); def != nil {
		if t := c.takesOnSomePath(sel, def, sender); t != nil {
			return t, "when its poll finds nothing"
		}
	}
	if !sel.Blocking {
		return nil, ""
	}
	for j, st := range sel.States {
		if st.Dir != types.RecvOnly || !tickerChan(st.Chan) {
			continue
		}
		if body := ssautil.SelectCase(sel, j); body != nil {
			if t := c.takesOnSomePath(sel, body, sender); t != nil {
				return t, "on a tick of " + c.exprAt(st.Pos, "its ticker")
			}
		}
	}
	return nil, ""
}

// takesOnSomePath returns an instruction taking the sender's lock on some
// path from block start back to the select sel, or nil.
func (c *checker) takesOnSomePath(sel *ssa.Select, start *ssa.BasicBlock, sender concurrency.Lock) ssa.Instruction {
	fn := sel.Parent()
	key := lastField(sender.Path)
	var found ssa.Instruction
	ssautil.SearchBlocks(start, 0, nil, func(b *ssa.BasicBlock, instrs []ssa.Instruction, push func(*ssa.BasicBlock)) (bool, bool) {
		for _, instr := range instrs {
			if instr == sel {
				return false, true // back at the select
			}
			// A read lock of the receiver blocks on the sender's write
			// lock; the sender's read lock blocks only a writer.
			for _, k := range c.takenFields(fn, instr, !sender.Read) {
				if k == key {
					found = instr
					return true, true
				}
			}
		}
		return false, false
	})
	return found
}

// takenFields returns the lock fields (lastField keys) instr takes: as
// takes does, and for a call of a function kept in a field of the
// package, the locks each function stored there takes.
func (c *checker) takenFields(fn *ssa.Function, instr ssa.Instruction, read bool) []string {
	var out []string
	for _, p := range c.takes(fn, instr, read) {
		if k := lastField(p); k != "" {
			out = append(out, k)
		}
	}
	ci, ok := instr.(*ssa.Call)
	if !ok || ci.Common().IsInvoke() || ci.Common().StaticCallee() != nil {
		return out
	}
	for _, callee := range c.fieldFuncs(ci.Common().Value) {
		for _, lk := range c.m.Locks(callee).Taken() {
			if k := lastField(lk.Path); k != "" && (!lk.Read || read) {
				out = append(out, k)
			}
		}
	}
	return out
}

// repeatsUnbounded reports whether instr, in fn, can run any number of
// times: in a loop of fn, or fn is started in a loop (or per request,
// item...), or called from a loop or from a function that repeats so, up
// to depth calls away. Methods are followed to the interface calls of
// their name whose interface their receiver's type implements.
func (c *checker) repeatsUnbounded(fn *ssa.Function, instr ssa.Instruction, depth int) bool {
	if instr != nil && c.inCycle(instr.Block()) {
		return true
	}
	for _, sp := range c.m.Spawns() {
		if sp.Fn == fn && sp.Many {
			return true
		}
	}
	if depth == 0 {
		return false
	}
	sites := c.m.CallSites(fn)
	sites = append(sites[:len(sites):len(sites)], c.invokeSites(fn)...)
	for _, site := range sites {
		if c.repeatsUnbounded(site.Parent(), site, depth-1) {
			return true
		}
	}
	return false
}

// invokeSites returns the interface method calls in the package that may
// call the method fn: of its name, on an interface its receiver's type
// implements, when a value of that type is converted to an interface.
func (c *checker) invokeSites(fn *ssa.Function) []ssa.CallInstruction {
	recv := fn.Signature.Recv()
	obj, ok := fn.Object().(*types.Func)
	if recv == nil || !ok || !c.viaInterface(obj) {
		return nil
	}
	var out []ssa.CallInstruction
	for _, f := range c.m.Funcs {
		for _, b := range f.Blocks {
			for _, instr := range b.Instrs {
				ci, ok := instr.(ssa.CallInstruction)
				if !ok || !ci.Common().IsInvoke() || ci.Common().Method.Name() != fn.Name() {
					continue
				}
				if iface, ok := ci.Common().Value.Type().Underlying().(*types.Interface); ok && types.Implements(recv.Type(), iface) {
					out = append(out, ci)
				}
			}
		}
	}
	return out
}

// fieldFuncs returns the functions a call of v, a function loaded from a
// field only this package can reach, may run: every function stored in
// that field in the package (a function, a closure, a parameter given
// them at the one call of its function, a call of a function returning
// them); nil when one of them is not known.
func (c *checker) fieldFuncs(v ssa.Value) []*ssa.Function {
	f := fieldOf(v)
	if f == nil {
		return nil
	}
	f = f.Origin()
	if _, ok := f.Type().Underlying().(*types.Signature); !ok || f.Pkg() != c.pass.Pkg || f.Exported() && c.pass.Pkg.Name() != "main" {
		return nil
	}
	if fs, ok := c.fieldFns[f]; ok {
		return fs
	}
	var out []*ssa.Function
	known := true
	for _, fa := range c.addrsOf(f) {
		for _, ref := range *fa.Referrers() {
			switch r := ref.(type) {
			case *ssa.DebugRef:
			case *ssa.UnOp:
				if r.Op != token.MUL {
					known = false
				}
			case *ssa.Store:
				if r.Addr != fa {
					known = false
					continue
				}
				fs, ok := c.funcsOf(r.Val, 3)
				known = known && ok
				out = append(out, fs...)
			default:
				known = false // &s.f handed on
			}
		}
	}
	if !known {
		out = nil
	}
	if c.fieldFns == nil {
		c.fieldFns = make(map[*types.Var][]*ssa.Function)
	}
	c.fieldFns[f] = out
	return out
}

// funcsOf returns the functions the function value v may be, and whether
// all are known.
func (c *checker) funcsOf(v ssa.Value, depth int) ([]*ssa.Function, bool) {
	switch o := c.m.Origin(v).(type) {
	case *ssa.Function:
		return []*ssa.Function{o}, true
	case *ssa.MakeClosure:
		fn, ok := o.Fn.(*ssa.Function)
		return []*ssa.Function{fn}, ok
	case *ssa.Const:
		return nil, o.IsNil()
	case *ssa.Call:
		callee := o.Common().StaticCallee()
		if depth == 0 || callee == nil || !c.m.Local(callee) || callee.Blocks == nil {
			return nil, false
		}
		var out []*ssa.Function
		for _, b := range callee.Blocks {
			ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
			if !ok || len(ret.Results) != 1 {
				continue
			}
			fs, ok := c.funcsOf(ret.Results[0], depth-1)
			if !ok {
				return nil, false
			}
			out = append(out, fs...)
		}
		return out, len(out) > 0
	}
	return nil, false
}

// defaultBody returns the first block of the default of a non-blocking
// select: where its last case's comparison goes when it fails.
func defaultBody(sel *ssa.Select) *ssa.BasicBlock {
	if sel.Blocking {
		return nil
	}
	last := ssautil.SelectCase(sel, len(sel.States)-1)
	if last == nil || len(last.Preds) != 1 {
		return nil
	}
	if ifi, ok := last.Preds[0].Instrs[len(last.Preds[0].Instrs)-1].(*ssa.If); ok && len(ifi.Block().Succs) == 2 {
		return ifi.Block().Succs[1]
	}
	return nil
}
