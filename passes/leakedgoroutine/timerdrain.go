package leakedgoroutine

// The timer drain that waits for a value already taken. The idiom
// `if !t.Stop() { <-t.C }` empties t.C of a value the timer sent but no one
// received. When the same goroutine has already received that value (a
// `case <-t.C:` of its loop, a receive before the select) and has not
// Reset the timer since, Stop returns false (the timer has expired) and
// the drain waits for a second value that never comes: the goroutine
// blocks forever. This holds for the asynchronous timer channels of
// Go < 1.23 and for the synchronous ones since.
//
// Certain on a path: from the receive of t.C to the Stop call, through
// jumps and the dispatch of selects only (any other branch may be a flag
// that records the receive, `if !fired && !t.Stop()`), with no Reset of
// t, no new timer stored in its variable or field, and no call that may
// do either (a call of this package's code, or one handed the timer's
// owner), and no call that never returns (t.Fatal) or fails the test
// (t.Error: then it leaks only once the test failed); and nothing else
// in the package Resets a timer of that field or variable (another
// goroutine could unblock the drain).

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

// timerRecv is a receive from a timer's channel: a plain receive or one
// case of a select.
type timerRecv struct {
	instr ssa.Instruction // *ssa.UnOp or *ssa.Select
	state int             // the case, for a select
}

func (c *checker) checkTimerDrains(funcs []*ssa.Function) {
	var resets []*ssa.CallCommon // every (*time.Timer).Reset in the package
	var resetFns []*ssa.Function
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if ci, ok := instr.(ssa.CallInstruction); ok && calls.Is(ci.Common(), "(*time.Timer).Reset") {
					resets = append(resets, ci.Common())
					resetFns = append(resetFns, fn)
				}
			}
		}
	}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				stop, ok := instr.(*ssa.Call)
				if !ok || !calls.Is(&stop.Call, "(*time.Timer).Stop") {
					continue
				}
				drain := drainAfter(stop)
				if drain == nil {
					continue
				}
				timer := c.m.PathOf(fn, stop.Call.Args[0])
				if !c.sameTimer(fn, drain.X, timer) {
					continue
				}
				elsewhere := false
				for i, r := range resets {
					if resetFns[i] != fn && c.timerMayAlias(c.m.PathOf(resetFns[i], r.Args[0]), timer) {
						elsewhere = true
					}
				}
				if elsewhere {
					continue
				}
				if taken := c.timerTakenBefore(fn, stop, drain, timer); taken != nil {
					c.reportTimerDrain(drain, taken, c.exprOfCall(stop, "the timer"))
				}
			}
		}
	}
}

// drainAfter returns the receive from t.C that runs when t.Stop() returned
// false: the first instruction of the branch `if !t.Stop() { <-t.C }`.
func drainAfter(stop *ssa.Call) *ssa.UnOp {
	var onFalse *ssa.BasicBlock
	for _, ref := range *stop.Referrers() {
		switch r := ref.(type) {
		case *ssa.If:
			onFalse = r.Block().Succs[1]
		case *ssa.UnOp:
			if r.Op != token.NOT {
				continue
			}
			for _, ref2 := range *r.Referrers() {
				if iff, ok := ref2.(*ssa.If); ok {
					onFalse = iff.Block().Succs[0]
				}
			}
		}
	}
	if onFalse == nil {
		return nil
	}
	for _, instr := range onFalse.Instrs {
		if x, ok := instr.(*ssa.UnOp); ok && x.Op == token.ARROW {
			return x
		}
		if _, ok := instr.(ssa.CallInstruction); ok {
			return nil
		}
	}
	return nil
}

// sameTimer reports whether ch, in fn, is the channel C of timer.
func (c *checker) sameTimer(fn *ssa.Function, ch ssa.Value, timer concurrency.Path) bool {
	ld, ok := ch.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return false
	}
	fa, ok := ld.X.(*ssa.FieldAddr)
	if !ok || !isTimerPtr(fa.X.Type()) {
		return false
	}
	if f := fieldOfAddr(fa); f == nil || f.Name() != "C" {
		return false
	}
	return c.m.PathOf(fn, fa.X).Equal(timer)
}

func isTimerPtr(t types.Type) bool { return t.String() == "*time.Timer" }

// timerMayAlias: a Reset elsewhere may be on the same timer: the same
// field by type, or the same variable.
func (c *checker) timerMayAlias(p, timer concurrency.Path) bool {
	if lastField(timer) != "" {
		return lastField(p) == lastField(timer)
	}
	return p.SameRoot(timer)
}

// timerTakenBefore returns a receive of timer.C from which a path reaches
// stop without resetting or replacing the timer.
func (c *checker) timerTakenBefore(fn *ssa.Function, stop *ssa.Call, drain *ssa.UnOp, timer concurrency.Path) *timerRecv {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.UnOp:
				if x.Op == token.ARROW && x != drain && c.sameTimer(fn, x.X, timer) {
					if c.reachesStop(fn, b, ssautil.InstrIndex(x)+1, stop, timer) {
						return &timerRecv{instr: x}
					}
				}
			case *ssa.Select:
				for i, st := range x.States {
					if st.Dir != types.RecvOnly || !c.sameTimer(fn, st.Chan, timer) {
						continue
					}
					if body := ssautil.SelectCase(x, i); body != nil && c.reachesStop(fn, body, 0, stop, timer) {
						return &timerRecv{instr: x, state: i}
					}
				}
			}
		}
	}
	return nil
}

// reachesStop reports whether stop is reachable from instruction i of
// block b through jumps and select dispatches only, without touching the
// timer on the way.
func (c *checker) reachesStop(fn *ssa.Function, b *ssa.BasicBlock, i int, stop *ssa.Call, timer concurrency.Path) bool {
	return ssautil.SearchBlocks(b, i, nil, func(b *ssa.BasicBlock, instrs []ssa.Instruction, _ func(*ssa.BasicBlock)) (found, cut bool) {
		for _, instr := range instrs {
			if instr == stop {
				return true, true
			}
			if c.touchesTimer(fn, instr, timer) || c.endsOrFails(instr) {
				return false, true
			}
		}
		switch t := b.Instrs[len(b.Instrs)-1].(type) {
		case *ssa.Jump:
			return false, false
		case *ssa.If:
			_, _, dispatch := ssautil.SelectTest(t.Cond) // a select's dispatch on its case index
			return false, !dispatch
		}
		return false, true
	})
}

// endsOrFails reports a call after which the path does not reach the
// drain as a certain leak: one that never returns (t.Fatal, os.Exit), or
// one that fails the test, which then leaks only after it has failed.
func (c *checker) endsOrFails(instr ssa.Instruction) bool {
	ci, ok := instr.(ssa.CallInstruction)
	if !ok {
		return false
	}
	cc := ci.Common()
	return c.m.NeverReturns(cc) || failsTest(cc)
}

// touchesTimer reports whether instr may reset or replace timer: a Reset
// of it, a store into its variable or field, a call of this package's
// code or of a function value, or a call handed the timer or its owner.
// Any store of a timer counts: a new timer in its place.
func (c *checker) touchesTimer(fn *ssa.Function, instr ssa.Instruction, timer concurrency.Path) bool {
	switch x := instr.(type) {
	case *ssa.Store:
		return isTimerPtr(x.Val.Type())
	case ssa.CallInstruction:
		cc := x.Common()
		if calls.Is(cc, "(*time.Timer).Stop") || cc.IsInvoke() && concurrency.IsContext(cc.Value.Type()) {
			return false // a context's Done or Err touches no timer of ours
		}
		callee := cc.StaticCallee()
		if callee == nil || callee.Pkg == c.m.SSA.Pkg {
			return true
		}
		for _, a := range cc.Args {
			if c.m.PathOf(fn, a).SameRoot(timer) {
				return true
			}
		}
	}
	return false
}

func (c *checker) reportTimerDrain(drain *ssa.UnOp, taken *timerRecv, timer string) {
	what := "the receive"
	if _, ok := taken.instr.(*ssa.Select); ok {
		what = "the case"
	}
	name := timer + ".C"
	c.reportOnce(drain, analysis.Diagnostic{
		Pos: drain.Pos(),
		Message: fmt.Sprintf("goroutine leaks: this drain of %s blocks forever once %s on %s (%s) has taken the timer's value and the timer was not reset: Stop then returns false and no second value comes; drain only if that value was not received, or just Reset (Go 1.23+ timers need no drain)",
			name, what, name, c.where(recvPos(taken), drain.Pos())),
		Related: []analysis.RelatedInformation{{Pos: recvPos(taken), Message: "the timer's value is received here"}},
	})
}

func recvPos(r *timerRecv) token.Pos {
	if sel, ok := r.instr.(*ssa.Select); ok {
		return sel.States[r.state].Pos
	}
	return r.instr.(*ssa.UnOp).Pos()
}
