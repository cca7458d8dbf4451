package leakedgoroutine

import (
	"fmt"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/concurrency"
	"github.com/futlint/futlint/internal/ssautil"
)

// Channel protocols across methods: a channel field made unbuffered in a
// constructor, received only in a loop's select that returns on another
// case (a stop channel, ctx.Done()), and sent on, blocking on it alone,
// in another function. Once the loop has returned on its other case
// nothing receives any more, so the next send blocks forever:
//
//	func (n *node) run() {
//		for {
//			select {
//			case c := <-n.status: // the only receive
//				c <- n.st
//			case <-n.stop:
//				return // after this, Status blocks forever
//			}
//		}
//	}
//
//	func (n *node) Status() Status { c := make(chan Status); n.status <- c; return <-c }
//
// The fix is to select on the stop channel (or a done channel closed
// when the loop returns) in the sender too. Not reported when the sender
// (or a function calling it) itself signals some other channel or a
// WaitGroup: the loop's way out may be that signal, sent after the last
// value; nor when the way out is a timer (a worker that idles out may be
// restarted on demand), nor for a send in a _test.go file on a field of
// the code under test: the test drives the loop and orders its sends
// with the loop's lifetime (prometheus v0.316.0 storage/remote
// queue_manager_test.go:614 sends between Start and Stop under a lock).

// exitCase is a select case on which a receiving loop returns.
type exitCase struct {
	sel *ssa.Select
	idx int
	key string // the field it receives from, "pkg.T.f", or ""
}

// reportAbandoned reports the sends on fc that block forever once the
// loops receiving from it have returned.
func (c *checker) reportAbandoned(fc *fieldChan) {
	if fc.foreign || fc.escRecv || fc.nilOnly || fc.closes > 0 || fc.lens || len(fc.sends) == 0 {
		return
	}
	if len(fc.recvs) > 0 || fc.nbRecvs > 0 || len(fc.selRecv) == 0 {
		return
	}
	for _, n := range fc.caps {
		if n != 0 {
			return
		}
	}
	var exits []exitCase
	recvFns := make(map[*ssa.Function]bool)
	for _, sel := range fc.selRecv {
		e, ok := c.selectExit(sel, fc)
		if !ok {
			return // a receiver that keeps receiving
		}
		exits = append(exits, e)
		recvFns[sel.Parent()] = true
	}
	e := exits[0]
	rfn := e.sel.Parent()
	name := fc.field.Name()
	if owner := fieldOwner(fc.field); owner != "" {
		name = owner + "." + name
	}
	for _, s := range fc.sends {
		sfn := s.Parent()
		if recvFns[sfn] || c.signalsBesides(sfn, fc) {
			continue
		}
		if c.m.InTest(s.Pos()) && !c.m.InTest(fc.field.Pos()) {
			continue // a test driving the loop of the code it tests knows when it runs
		}
		pos := opPos(s)
		where := c.where(pos, pos)
		d := analysis.Diagnostic{
			Pos: pos,
			Message: fmt.Sprintf("goroutine leaks: this send on %s blocks forever once %s has returned on its %s (%s), since nothing else receives from %s; select on that case's channel (or one closed when %s returns) here too",
				name, funcName(rfn), c.describeCase(e.sel, e.idx), c.where(e.sel.States[e.idx].Pos, pos), name, funcName(rfn)),
			Related: []analysis.RelatedInformation{{Pos: e.sel.States[e.idx].Pos, Message: funcName(rfn) + " stops receiving from " + name + " here"}},
		}
		// A goroutine started on the sender's function is what leaks:
		// report it at its start.
		if sp := c.spawnOf(sfn); sp != nil {
			d.Pos = sp.Site.Pos()
			d.Message = fmt.Sprintf("goroutine leaks: its send on %s (%s) blocks forever once %s has returned on its %s (%s), since nothing else receives from %s; select on that case's channel (or one closed when %s returns) in the send too",
				name, where, funcName(rfn), c.describeCase(e.sel, e.idx), c.where(e.sel.States[e.idx].Pos, sp.Site.Pos()), name, funcName(rfn))
			d.Related = append(d.Related, analysis.RelatedInformation{Pos: pos, Message: "the send that blocks"})
		}
		c.reportOnce(s, d)
	}
}

// spawnOf returns the spawn, in this package, of a goroutine that runs fn
// (a go statement or a spawner given it), if there is exactly one.
func (c *checker) spawnOf(fn *ssa.Function) *concurrency.Spawn {
	var found *concurrency.Spawn
	for _, sp := range c.m.Spawns() {
		if sp.Fn == fn && sp.Site != nil {
			if found != nil {
				return nil
			}
			found = sp
		}
	}
	return found
}

// selectExit finds a case of sel, in a loop, other than its receive from
// fc, on which the function returns without coming back to sel.
func (c *checker) selectExit(sel *ssa.Select, fc *fieldChan) (exitCase, bool) {
	if !sel.Blocking || !c.inCycle(sel.Block()) {
		return exitCase{}, false
	}
	var loop *ssautil.Loop
	for _, l := range ssautil.Loops(sel.Parent()) {
		if l.Contains(sel.Block()) {
			loop = l // innermost first
			break
		}
	}
	if loop == nil {
		return exitCase{}, false
	}
	for j, st := range sel.States {
		if st.Dir != types.RecvOnly || fc.seen[st.Chan] {
			continue
		}
		if c.describeCase(sel, j) == "timeout" {
			continue
		}
		body := ssautil.SelectCase(sel, j)
		if body == nil || !returnsAvoiding(body, sel.Block(), loop.Header) {
			continue
		}
		return exitCase{sel: sel, idx: j, key: lastField(c.m.PathOf(sel.Parent(), st.Chan))}, true
	}
	return exitCase{}, false
}

// returnsAvoiding reports whether a return is reachable from b without
// passing through the avoided blocks.
func returnsAvoiding(b *ssa.BasicBlock, avoid ...*ssa.BasicBlock) bool {
	return ssautil.SearchBlocks(b, 0, func(x *ssa.BasicBlock) bool { return slices.Contains(avoid, x) }, func(x *ssa.BasicBlock, _ []ssa.Instruction, _ func(*ssa.BasicBlock)) (bool, bool) {
		_, ok := x.Instrs[len(x.Instrs)-1].(*ssa.Return)
		return ok, false
	})
}

// signalsBesides reports whether fn, or a function calling it (three
// levels up), signals something other than fc: a send or close on
// another channel, a WaitGroup's Done. The receiving loop may return on
// that signal, given after the last send.
func (c *checker) signalsBesides(fn *ssa.Function, fc *fieldChan) bool {
	own := fieldKey(fc.field)
	seen := make(map[*ssa.Function]bool)
	var walk func(fn *ssa.Function, depth int) bool
	walk = func(fn *ssa.Function, depth int) bool {
		if fn == nil || seen[fn] {
			return false
		}
		seen[fn] = true
		if s := c.m.Summary(fn); s != nil {
			for _, p := range s.Signals {
				if k := lastField(p); k == "" || k != own {
					return true
				}
			}
		}
		if depth == 0 {
			return false
		}
		for _, ctx := range c.m.Contexts(fn) {
			if ctx.Kind == concurrency.Sync && walk(ctx.Caller, depth-1) {
				return true
			}
		}
		return false
	}
	return walk(fn, 3)
}

// fieldKey is lastField's key for a field: "pkg.T.f".
func fieldKey(f *types.Var) string {
	owner := fieldOwner(f)
	if owner == "" {
		return ""
	}
	return f.Pkg().Path() + "." + owner + "." + f.Name()
}

// reportDeadStop reports loops whose only way out is a select case on a
// field channel that nothing sends on or closes (a stop channel its Stop
// method forgot): once entered, the loop never ends.
func (c *checker) reportDeadStop(fc *fieldChan) {
	if fc.foreign || fc.escSend || fc.closes > 0 || len(fc.sends)+len(fc.nbSends)+fc.othersS > 0 || len(fc.selRecv) == 0 {
		return
	}
	name := fc.field.Name()
	if owner := fieldOwner(fc.field); owner != "" {
		name = owner + "." + name
	}
	done := make(map[*ssa.Select]bool)
	for _, sel := range fc.selRecv {
		if done[sel] || !c.inCycle(sel.Block()) {
			continue
		}
		done[sel] = true
		var loop *ssautil.Loop
		for _, l := range ssautil.Loops(sel.Parent()) {
			if l.Contains(sel.Block()) {
				loop = l
				break
			}
		}
		if loop == nil {
			continue
		}
		dead := make(map[*ssa.BasicBlock]bool)
		first := -1
		for j, st := range sel.States {
			if st.Dir != types.RecvOnly || !fc.seen[st.Chan] {
				continue
			}
			body := ssautil.SelectCase(sel, j)
			if body == nil {
				continue
			}
			dead[body] = true
			if first < 0 {
				first = j
			}
		}
		if first < 0 || len(dead) == 0 || !c.loopEndsVia(loop, dead) || c.loopEndsWithout(loop, dead) {
			continue
		}
		pos := sel.States[first].Pos
		c.reportOnce(sel, analysis.Diagnostic{
			Pos: pos,
			Message: fmt.Sprintf("goroutine leaks: %s's loop can only end on this case, and nothing sends on or closes %s%s, so the loop never ends; close %s where the owner is stopped",
				funcName(sel.Parent()), name, neverAssigned(fc, name), name),
			Related: []analysis.RelatedInformation{{Pos: fc.field.Pos(), Message: "the field nothing sends on or closes"}},
		})
	}
}

func neverAssigned(fc *fieldChan, name string) string {
	if fc.nilOnly {
		return fmt.Sprintf(" (%s is never assigned a channel: it is nil)", name)
	}
	return ""
}

// loopEndsVia reports whether some way out of l starts in one of the
// blocks of via: the dead cases are the loop's exits, not dead code.
func (c *checker) loopEndsVia(l *ssautil.Loop, via map[*ssa.BasicBlock]bool) bool {
	for b := range via {
		if returnsAvoiding(b, l.Header) || c.leavesLoop(l, b) {
			return true
		}
	}
	return false
}

// leavesLoop reports whether control can leave l from b without going
// back to its header.
func (c *checker) leavesLoop(l *ssautil.Loop, b *ssa.BasicBlock) bool {
	return ssautil.SearchBlocks(b, 0, func(x *ssa.BasicBlock) bool { return x == l.Header }, func(x *ssa.BasicBlock, _ []ssa.Instruction, _ func(*ssa.BasicBlock)) (bool, bool) {
		return !l.Contains(x), false
	})
}

// loopEndsWithout reports whether l can end (leave, return, panic, end
// the goroutine) from its header without entering the blocks of avoid.
func (c *checker) loopEndsWithout(l *ssautil.Loop, avoid map[*ssa.BasicBlock]bool) bool {
	return ssautil.SearchBlocks(l.Header, 0, func(x *ssa.BasicBlock) bool { return avoid[x] }, func(x *ssa.BasicBlock, instrs []ssa.Instruction, _ func(*ssa.BasicBlock)) (bool, bool) {
		if !l.Contains(x) {
			return true, false
		}
		for _, instr := range instrs {
			switch i := instr.(type) {
			case *ssa.Return, *ssa.Panic:
				return true, false
			case *ssa.Call:
				if c.m.NeverReturns(i.Common()) || endsGoroutine(i.Common()) || neverReturns(i.Common()) {
					return true, false
				}
			}
		}
		return false, false
	})
}

// reportSink reports blocking sends on a buffered field channel that
// nothing ever receives from (no receive, no len or cap, not handed to
// code we do not see) when the send can run more often than any buffer
// holds: in a loop, or in a function that runs from several places or
// is callable from outside. Once the buffer is full the send blocks
// forever. (Unbuffered fields are reportField's.)
func (c *checker) reportSink(fc *fieldChan) {
	if fc.foreign || fc.nilOnly || fc.escRecv || fc.lens || len(fc.sends) == 0 {
		return
	}
	// Receives in code that can never run (package main's uncalled
	// methods) do not count.
	for _, r := range fc.recvs {
		if !c.deadInMain(r.Parent()) {
			return
		}
	}
	for _, r := range fc.selRecv {
		if !c.deadInMain(r.Parent()) {
			return
		}
	}
	buffered := false
	for _, n := range fc.caps {
		if n != 0 {
			buffered = true
		}
	}
	if !buffered {
		return
	}
	name := fc.field.Name()
	if owner := fieldOwner(fc.field); owner != "" {
		name = owner + "." + name
	}
	for _, s := range fc.sends {
		if !c.repeatable(s) {
			continue
		}
		c.reportOnce(s, analysis.Diagnostic{
			Pos: opPos(s),
			Message: fmt.Sprintf("goroutine leaks: this send on %s blocks forever once the buffer is full: nothing ever receives from %s; receive from it, or send with select and a default",
				name, name),
			Related: []analysis.RelatedInformation{{Pos: fc.field.Pos(), Message: "the field nothing receives from"}},
		})
	}
}

// repeatable reports whether instr can run any number of times: in a
// loop, or in a function that runs from several places, per request, or
// from outside the package.
func (c *checker) repeatable(instr ssa.Instruction) bool {
	if c.inCycle(instr.Block()) {
		return true
	}
	ctxs := c.m.Contexts(instr.Parent())
	if len(ctxs) > 1 {
		return true
	}
	for _, ctx := range ctxs {
		if ctx.Many || ctx.Kind == concurrency.Entry || ctx.Kind == concurrency.Escaped {
			return true
		}
		if ctx.Kind == concurrency.Sync && ctx.Site != nil && c.inCycle(ctx.Site.Block()) {
			return true
		}
	}
	return false
}
