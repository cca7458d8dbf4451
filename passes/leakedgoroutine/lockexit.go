package leakedgoroutine

import (
	"fmt"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/calls"
	"github.com/futlint/futlint/internal/concurrency"
)

// checkLockedExits reports a goroutine (or a callback run on its own
// goroutine, such as time.AfterFunc's) that returns on some path with a
// lock still held that its other paths unlock: it started holding
// nothing and nobody else will unlock it, so every later Lock of that
// mutex blocks forever. Only functions that run on goroutines alone are
// checked: a function also called directly may leave the lock to its
// caller.
func (c *checker) checkLockedExits() {
	seen := make(map[*ssa.Function]bool)
	for _, sp := range c.m.Spawns() {
		fn := sp.Fn
		if fn == nil || seen[fn] || !c.m.Local(fn) || len(fn.Blocks) == 0 {
			continue
		}
		seen[fn] = true
		if !c.onlyGoroutine(fn) {
			continue
		}
		l := c.m.Locks(fn)
		done := make(map[string]bool)
		for _, b := range fn.Blocks {
			ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
			if !ok {
				continue
			}
			for _, lk := range l.HeldAt(ret) {
				k := lk.Path.Key()
				if done[k] {
					continue
				}
				lock, unlock, handoff := lockSites(c.m, fn, l, lk)
				if lock == nil || unlock == nil || handoff {
					continue // not taken here, never released here, or released unheld: a handoff
				}
				if deferredRelease(c.m, fn, lk) {
					continue // a deferred call may unlock it (if held { mu.Unlock() }): not certain
				}
				done[k] = true
				pos := ret.Pos()
				if !pos.IsValid() {
					pos = endOf(fn)
				}
				name := lk.Path.String()
				c.reportOnce(ret, analysis.Diagnostic{
					Pos: pos,
					Message: fmt.Sprintf("goroutine leaks: the goroutine returns here with %s still locked (Lock at %s; it unlocks it at %s on other paths), and nothing else unlocks it, so every later Lock of %s blocks forever; unlock it before this return, or defer the Unlock",
						name, c.where(lock.Pos(), pos), c.where(unlock.Pos(), pos), name),
					Related: []analysis.RelatedInformation{{Pos: lock.Pos(), Message: "locked here"}},
				})
			}
		}
	}
}

// onlyGoroutine reports whether every known way fn comes to run starts a
// goroutine.
func (c *checker) onlyGoroutine(fn *ssa.Function) bool {
	ctxs := c.m.Contexts(fn)
	if len(ctxs) == 0 {
		return false
	}
	for _, ctx := range ctxs {
		if ctx.Kind != concurrency.Go {
			return false
		}
	}
	return true
}

// lockSites returns a direct Lock and a direct Unlock (or deferred
// Unlock) of lk in fn, and whether fn may unlock lk where it does not
// hold it: it unlocks what another goroutine locked (a handoff, as in
// prometheus v0.316.0 storage/remote queue_manager_test.go:606).
func lockSites(m *concurrency.Model, fn *ssa.Function, l *concurrency.FuncLocks, lk concurrency.Lock) (lock, unlock ssa.CallInstruction, handoff bool) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok || len(call.Common().Args) == 0 {
				continue
			}
			e, ok := calls.Lookup(call.Common())
			if !ok || e.Read != lk.Read || !m.LockPathOf(fn, call.Common().Args[0]).Equal(lk.Path) {
				continue
			}
			switch e.Role {
			case calls.Acquire:
				if lock == nil {
					lock = call
				}
			case calls.Release:
				if unlock == nil {
					unlock = call
				}
				if _, isCall := call.(*ssa.Call); isCall && !l.HeldAt(call).Holds(lk.Path, lk.Read) {
					handoff = true
				}
			}
		}
	}
	return lock, unlock, handoff
}

// deferredRelease reports whether a call fn defers may unlock lk on some
// path: the model's lock effects keep only releases on every path, which
// is right for "still held" but not for a certain leak.
func deferredRelease(m *concurrency.Model, fn *ssa.Function, lk concurrency.Lock) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			d, ok := instr.(*ssa.Defer)
			if !ok {
				continue
			}
			callee, _ := m.FuncOf(d.Call.Value)
			if callee == nil {
				continue
			}
			for _, cb := range callee.Blocks {
				for _, ci := range cb.Instrs {
					call, ok := ci.(ssa.CallInstruction)
					if !ok || len(call.Common().Args) == 0 {
						continue
					}
					if e, ok := calls.Lookup(call.Common()); ok && e.Role == calls.Release && e.Read == lk.Read &&
						m.LockPathOf(callee, call.Common().Args[0]).Equal(lk.Path) {
						return true
					}
				}
			}
		}
	}
	return false
}
