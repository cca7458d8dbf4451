package leakedgoroutine

// A wait on a channel only the waiter's own defer closes. A function that
// makes a channel, defers its close and then receives from it (directly,
// or through a variable a callback set to it: doneCh = done) waits for a
// close that runs only once it has returned: when nothing sends on the
// channel either, the receive blocks forever. The channel is followed
// through everything it reaches (the package's synchronous calls, function
// values resolved to the package's functions, closures handed to calls
// that only call them, goroutines), so any send or other close, or a use
// we cannot follow, keeps it quiet.

import (
	"fmt"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

func (c *checker) checkClosedAfterWait(fn *ssa.Function, mc *ssa.MakeChan) {
	u := channelUsageDeep(c.m, fn, mc)
	if u.escapes || u.returned || len(u.sends) > 0 || len(u.closes) == 0 {
		return
	}
	// An op in fn by a goroutine would mean fn was entered by a second
	// actor, which the walk counts as an escape (aliasing.enter).
	var closer ssa.Instruction
	for _, cl := range u.closes {
		if _, deferred := cl.instr.(*ssa.Defer); !deferred || cl.fn != fn {
			return
		}
		closer = cl.instr
	}
	name := c.chanName(mc.Pos())
	for _, r := range u.recvs {
		if r.fn != fn || r.guard {
			continue
		}
		c.reportOnce(r.instr, analysis.Diagnostic{
			Pos: opPos(r.instr),
			Message: fmt.Sprintf("goroutine leaks: this receive is from %s (%s), which nothing sends on and only this function's deferred close (%s) closes, after it returns: it blocks forever; close %s before waiting for it, or wait for another signal",
				name, c.where(mc.Pos(), opPos(r.instr)), c.where(closer.Pos(), opPos(r.instr)), name),
			Related: []analysis.RelatedInformation{{Pos: closer.Pos(), Message: "the only close, deferred until the function returns"}},
		})
	}
}
