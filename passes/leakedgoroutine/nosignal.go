package leakedgoroutine

import (
	"fmt"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// checkNoSignal reports the receives from a channel fn makes and hands to
// a goroutine when nothing anywhere sends on it or closes it: every user
// of the channel is seen (it does not escape), so a receive waits for a
// signal that never comes. A channel handed to no goroutine is the
// block-forever idiom (<-make(chan struct{})) and stays quiet.
func (c *checker) checkNoSignal(fn *ssa.Function, mc *ssa.MakeChan, u *usage) bool {
	if len(u.sends) > 0 || len(u.closes) > 0 || len(u.goroutines) == 0 {
		return false
	}
	name := c.chanName(mc.Pos())
	g := u.goroutines[0]
	callee := "the goroutine"
	if sp := c.m.SpawnsAt(g); len(sp) > 0 && sp[0].Fn != nil {
		callee = funcName(sp[0].Fn)
	}
	found := false
	for _, o := range u.recvs {
		if o.guard {
			continue // a select with another way out
		}
		found = true
		c.reportOnce(o.instr, analysis.Diagnostic{
			Pos: opPos(o.instr),
			Message: fmt.Sprintf("goroutine leaks: this receive from %s blocks forever: %s is handed to %s (%s), but nothing sends on or closes %s; close(%s) (with defer) when %s is done",
				name, name, callee, c.where(g.Pos(), opPos(o.instr)), name, name, callee),
			Related: []analysis.RelatedInformation{{Pos: g.Pos(), Message: callee + " is given " + name + " and never signals it"}},
		})
	}
	return found
}
