package leakedgoroutine

// A done channel the goroutine returns without closing. The spawner makes
// a channel, starts one goroutine that closes it, and receives from it,
// blocking on it alone; nothing sends on it, nothing else closes it, and
// it goes nowhere else. When the goroutine has a path to its return that
// does not close it (an early return before the close at the end, not
// deferred), the spawner's receive blocks forever on that path.
//
// Not counted: paths that fail the test (t.Error) or never return (the
// leak follows a reported failure), and returns in a select case
// receiving from another channel (case <-stop: return: someone else,
// often the spawner after its receive, decides that). A channel that is
// sent on is a value channel (errc <- err on failure only), not a done
// signal, and is not checked.

import (
	"fmt"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/ssautil"
)

// checkUnsignalledDone checks the channel mc made in fn.
func (c *checker) checkUnsignalledDone(fn *ssa.Function, mc *ssa.MakeChan) {
	u := channelUsage(fn, mc)
	if u.escapes || u.returned || len(u.goroutines) != 1 {
		return
	}
	g := u.goroutines[0]
	if c.repeats(g, u.made) || g.Parent() != fn {
		return
	}
	gfn := g.Call.StaticCallee()
	if gfn == nil || gfn.Blocks == nil {
		return
	}
	if len(u.sends) > 0 {
		return // a value channel (errc <- err on failure only): not a done signal
	}
	signals := make(map[ssa.Instruction]bool)
	for _, ops := range [][]op{u.closes} {
		for _, o := range ops {
			if o.fn != gfn || o.weight != 0 {
				return // another party signals it, or a helper, a nested closure
			}
			signals[o.instr] = true // a defer close(done): every return after it closes
		}
	}
	if len(signals) == 0 {
		return // nothing signals it: other rules
	}
	var recv ssa.Instruction
	for _, o := range u.recvs {
		if o.actor == g {
			return // the goroutine receives from it too: not a done channel
		}
		if o.guard || o.fn != fn {
			return // a receive that may give up, or one in a deferred or nested function
		}
		if recv == nil && c.reachIn(fn).InstrReaches(g, o.instr) {
			recv = o.instr
		}
	}
	if recv == nil {
		return
	}
	ret, ok := returnWithout(gfn, gfn.Blocks[0], 0, func(instr ssa.Instruction) bool { return signals[instr] }, true)
	if !ok {
		return
	}
	name := c.chanName(mc.Pos())
	c.r.Report(analysis.Diagnostic{
		Pos: opPos(recv),
		Message: fmt.Sprintf("goroutine leaks: this receive from %s blocks forever when the goroutine (%s) returns at %s without closing it; close it with a defer at the goroutine's start",
			name, c.where(g.Pos(), opPos(recv)), c.where(ret, opPos(recv))),
		Related: []analysis.RelatedInformation{
			{Pos: g.Pos(), Message: "the goroutine"},
			{Pos: ret, Message: "it returns here without signalling " + name},
			{Pos: mc.Pos(), Message: name + " is made here"},
		},
	})
}

// returnWithout finds a path in fn from the instruction at index from
// of block b to a return that passes no instruction stop holds for and
// fails no test; it returns the return's position (fn's end for the
// implicit one). With recvCases it does not go into the body of a select
// case receiving from a channel: someone else, often the spawner after
// its receive, signals that channel (case <-stop: return), so it is not
// a path the goroutine takes on its own.
func returnWithout(fn *ssa.Function, b *ssa.BasicBlock, from int, stop func(ssa.Instruction) bool, recvCases bool) (token.Pos, bool) {
	pos := token.NoPos
	found := ssautil.SearchBlocks(b, from, nil, func(b *ssa.BasicBlock, instrs []ssa.Instruction, push func(*ssa.BasicBlock)) (found, cut bool) {
		for _, instr := range instrs {
			if stop(instr) {
				return false, true
			}
			switch x := instr.(type) {
			case *ssa.Call:
				if failsTest(x.Common()) {
					return false, true
				}
			case *ssa.Return:
				pos = x.Pos()
				if !pos.IsValid() {
					pos = endOf(fn)
				}
				return true, false
			case *ssa.If:
				if sel, j, ok := ssautil.SelectTest(x.Cond); recvCases && ok && sel.States[j].Dir == types.RecvOnly {
					push(b.Succs[1])
					return false, true
				}
			}
		}
		return false, false
	})
	return pos, found
}
