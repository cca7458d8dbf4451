package leakedgoroutine

// Goroutines of a synctest bubble: testing/synctest.Test waits for every
// goroutine started in its bubble to exit before it returns (and fails
// the test if they deadlock), so they are joined, however they end.

import (
	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/calls"
	"github.com/futlint/futlint/internal/concurrency"
)

// inBubble reports whether fn only ever runs inside a synctest bubble:
// it is the function passed to synctest.Test, or every context it has is
// a call or a go statement of a function that only runs in one (bodyDepth
// levels of callers; an entry point or an escaped value may run anywhere).
func (c *checker) inBubble(fn *ssa.Function) bool {
	if c.bubbleRoots == nil {
		c.bubbleRoots = make(map[*ssa.Function]bool)
		for _, f := range c.m.Funcs {
			for _, b := range f.Blocks {
				for _, instr := range b.Instrs {
					ci, ok := instr.(ssa.CallInstruction)
					if !ok || !calls.Is(ci.Common(), "testing/synctest.Test") || len(ci.Common().Args) != 2 {
						continue
					}
					if root, _ := c.m.FuncOf(ci.Common().Args[1]); root != nil {
						c.bubbleRoots[root] = true
					}
				}
			}
		}
	}
	if len(c.bubbleRoots) == 0 {
		return false
	}
	return c.onlyInBubble(fn, 0)
}

func (c *checker) onlyInBubble(fn *ssa.Function, depth int) bool {
	if c.bubbleRoots[fn] {
		return true
	}
	if depth >= bodyDepth {
		return false
	}
	ctxs := c.m.Contexts(fn)
	for _, x := range ctxs {
		if x.Kind != concurrency.Sync && x.Kind != concurrency.Go || x.Caller == nil || x.Caller == fn {
			return false
		}
		if !c.onlyInBubble(x.Caller, depth+1) {
			return false
		}
	}
	return len(ctxs) > 0
}
