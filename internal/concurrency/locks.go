package concurrency

import (
	"math"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/calls"
	"github.com/futlint/futlint/internal/ssautil"
)

// A Lock is a lock held: a mutex's access path and whether only its read
// lock is held.
type Lock struct {
	Path Path
	Read bool
	key  string
}

// A Lockset is a sorted, immutable list of locks held.
type Lockset []Lock

// Exclusive reports whether a write lock is held.
func (s Lockset) Exclusive() bool {
	return slices.ContainsFunc(s, func(l Lock) bool { return !l.Read })
}

// Holds reports whether s holds the lock at p (for writing, unless read).
func (s Lockset) Holds(p Path, read bool) bool {
	k := p.Key()
	return slices.ContainsFunc(s, func(l Lock) bool { return l.key == k && (read || !l.Read) })
}

func (s Lockset) index(l Lock) int {
	return slices.IndexFunc(s, func(x Lock) bool { return x.key == l.key && x.Read == l.Read })
}

func (s Lockset) with(l Lock) Lockset {
	if s.index(l) >= 0 {
		return s
	}
	out := append(slices.Clone(s), l)
	slices.SortFunc(out, func(a, b Lock) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		if a.Read == b.Read {
			return 0
		}
		if a.Read {
			return 1
		}
		return -1
	})
	return out
}

func (s Lockset) without(l Lock) Lockset {
	if s.index(l) < 0 {
		return s
	}
	return slices.DeleteFunc(slices.Clone(s), func(x Lock) bool { return x.key == l.key && x.Read == l.Read })
}

func (s Lockset) equal(t Lockset) bool {
	return slices.EqualFunc(s, t, func(a, b Lock) bool { return a.key == b.key && a.Read == b.Read })
}

func intersect(a, b Lockset) Lockset {
	var out Lockset
	for _, l := range a {
		if b.index(l) >= 0 {
			out = append(out, l)
		}
	}
	return out
}

func union(a, b Lockset) Lockset {
	out := a
	for _, l := range b {
		out = out.with(l)
	}
	return out
}

// FuncLocks is the lockset dataflow of one function: the locks held on
// entry to each block, definitely (must) and possibly (may).
type FuncLocks struct {
	m     *Model
	fn    *ssa.Function
	entry []Lockset // by block index; must
	may   []Lockset // by block index; may
	known []bool
	exit  Lockset // held at every return
	mayEx Lockset // held at some return
	taken []Lock  // acquired directly or by callees
	early []Lock  // released while not held: the caller's

	solving bool    // solve is running: transfer records taken and early
	seed    Lockset // held on entry (releasedEverywhere's replay)
}

// Locks returns the lockset dataflow of fn. Most functions touch no lock:
// for them it is computed without a dataflow.
func (m *Model) Locks(fn *ssa.Function) *FuncLocks {
	if l, ok := m.locks[fn]; ok {
		return l
	}
	l := &FuncLocks{m: m, fn: fn}
	if !m.frozen {
		m.locks[fn] = l // recursion: a recursive call applies no effect
	}
	if len(fn.Blocks) > 0 && m.touchesLocks(fn) {
		l.solving = true
		l.solve()
		l.solving = false
	}
	return l
}

// touchesLocks reports whether fn calls a lock operation or a function
// with a lock effect.
func (m *Model) touchesLocks(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			if e, ok := calls.Lookup(&call.Call); ok && (e.Role == calls.Acquire || e.Role == calls.Release || e.Role == calls.TryAcquire) {
				return true
			}
			if callee := call.Call.StaticCallee(); callee != nil && callee != fn {
				if s := m.Summary(callee); s != nil && len(s.Locks) > 0 {
					return true
				}
			}
		}
	}
	return false
}

// HeldAt returns the locks definitely held just before instr.
func (l *FuncLocks) HeldAt(instr ssa.Instruction) Lockset {
	must, _ := l.stateAt(instr)
	return must
}

// MayHoldAt returns the locks possibly held just before instr.
func (l *FuncLocks) MayHoldAt(instr ssa.Instruction) Lockset {
	_, may := l.stateAt(instr)
	return may
}

// stateAt replays instr's block from its entry state up to instr and
// returns the locks held there definitely and possibly.
func (l *FuncLocks) stateAt(instr ssa.Instruction) (must, may Lockset) {
	b := instr.Block()
	if l.entry == nil || b == nil || !l.known[b.Index] {
		return nil, nil
	}
	must, may = l.entry[b.Index], l.may[b.Index]
	for _, x := range b.Instrs {
		if x == instr {
			return must, may
		}
		must, may, _ = l.transfer(x, must, may)
	}
	return must, may
}

// AtExit returns the locks definitely held at every return.
func (l *FuncLocks) AtExit() Lockset { return l.exit }

// AtDefers returns the locks definitely held wherever the function runs
// its deferred calls.
func (l *FuncLocks) AtDefers() Lockset {
	var held Lockset
	first := true
	for _, b := range l.fn.Blocks {
		for _, instr := range b.Instrs {
			if _, ok := instr.(*ssa.RunDefers); ok {
				if h := l.HeldAt(instr); first {
					held, first = h, false
				} else {
					held = intersect(held, h)
				}
			}
		}
	}
	return held
}

// AtDeferred returns the locks definitely held when the call deferred at
// site runs: those held where the function runs its defers, less the
// effects of the calls deferred after it, which run first.
func (l *FuncLocks) AtDeferred(site ssa.Instruction) Lockset {
	s := l.AtDefers()
	d, ok := site.(*ssa.Defer)
	if !ok {
		return s
	}
	may := s
	r := l.m.Reach(l.fn)
	for _, b := range l.fn.Blocks {
		for i, instr := range b.Instrs {
			later, ok := instr.(*ssa.Defer)
			if !ok || later == d {
				continue
			}
			after := b == d.Block() && i > ssautil.InstrIndex(d) ||
				b != d.Block() && r.Reaches(d.Block(), b) && !r.Reaches(b, d.Block())
			if after {
				s, may, _ = l.callEffect(&later.Call, nil, s, may)
			}
		}
	}
	return s
}

// Taken returns every lock the function acquires, directly or through
// callees.
func (l *FuncLocks) Taken() []Lock { return l.taken }

func (l *FuncLocks) solve() {
	fn := l.fn
	n := len(fn.Blocks)
	l.entry, l.may, l.known = make([]Lockset, n), make([]Lockset, n), make([]bool, n)
	out, mayOut, outKnown := make([]Lockset, n), make([]Lockset, n), make([]bool, n)
	try := make([]*tryLock, n) // a TryLock whose result decides the block's branch
	// A block that calls a function that never returns (t.Fatal after
	// mu.Unlock, panic, os.Exit) hands nothing on to its successors.
	dead := make([]bool, n)
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if call, ok := instr.(*ssa.Call); ok && l.m.NeverReturns(&call.Call) {
				dead[b.Index] = true
				break
			}
		}
	}
	l.known[0] = true
	l.entry[0], l.may[0] = l.seed, l.seed
	if fn.Recover != nil {
		l.known[fn.Recover.Index] = true
	}
	for range 50 {
		changed := false
		for _, b := range fn.Blocks {
			if b.Index != 0 && b != fn.Recover {
				var s, may Lockset
				have := false
				for _, p := range b.Preds {
					if !outKnown[p.Index] || dead[p.Index] {
						continue
					}
					ps, pm := out[p.Index], mayOut[p.Index]
					if t := try[p.Index]; t != nil {
						if p.Succs[t.succ] == b {
							ps, pm = ps.with(t.lock), pm.with(t.lock)
						} else {
							pm = pm.without(t.lock) // TryLock failed
						}
					}
					if !have {
						s, may, have = ps, pm, true
					} else {
						s, may = intersect(s, ps), union(may, pm)
					}
				}
				if !have {
					continue
				}
				l.entry[b.Index], l.may[b.Index], l.known[b.Index] = s, may, true
			}
			s, may := l.entry[b.Index], l.may[b.Index]
			var t *tryLock
			for _, instr := range b.Instrs {
				var tl *tryLock
				s, may, tl = l.transfer(instr, s, may)
				if tl != nil {
					t = tl
				}
			}
			try[b.Index] = l.branchOn(b, t)
			if !outKnown[b.Index] || !out[b.Index].equal(s) || !mayOut[b.Index].equal(may) {
				out[b.Index], mayOut[b.Index], outKnown[b.Index] = s, may, true
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	// The returns that count are the normal ones: a return after a
	// recovered panic (the Recover block, entered with nothing held) says
	// nothing about the locks a caller holds when the call comes back.
	first := true
	for _, b := range fn.Blocks {
		if len(b.Instrs) == 0 || !outKnown[b.Index] || dead[b.Index] {
			continue
		}
		if fn.Recover != nil && fn.Recover.Dominates(b) {
			continue
		}
		if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			if first {
				l.exit, l.mayEx, first = out[b.Index], mayOut[b.Index], false
			} else {
				l.exit, l.mayEx = intersect(l.exit, out[b.Index]), union(l.mayEx, mayOut[b.Index])
			}
		}
	}
}

// A tryLock is a TryLock call: the lock is held on the branch where its
// result is true.
type tryLock struct {
	lock Lock
	res  ssa.Value
	succ int
}

// branchOn returns t when b ends in an If on t's result: the lock is held
// on its true branch. (SSA compiles "if !mu.TryLock()" by swapping the
// branches, so there is no negation to look through.)
func (l *FuncLocks) branchOn(b *ssa.BasicBlock, t *tryLock) *tryLock {
	if t == nil || len(b.Instrs) == 0 {
		return nil
	}
	ifInstr, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok || ifInstr.Cond != t.res {
		return nil
	}
	return t
}

// lockOf makes the Lock of the mutex v in fn.
func (l *FuncLocks) lockOf(v ssa.Value, read bool) Lock {
	p := l.m.LockPathOf(l.fn, v)
	return Lock{Path: p, Read: read, key: p.Key()}
}

// transfer applies instr to the must and may locksets.
func (l *FuncLocks) transfer(instr ssa.Instruction, s, may Lockset) (Lockset, Lockset, *tryLock) {
	switch x := instr.(type) {
	case *ssa.RunDefers:
		// Deferred calls run here, last deferred first.
		var defers []*ssa.Defer
		for _, b := range l.fn.Blocks {
			for _, i := range b.Instrs {
				if d, ok := i.(*ssa.Defer); ok {
					defers = append(defers, d)
				}
			}
		}
		for i := len(defers) - 1; i >= 0; i-- {
			s, may, _ = l.callEffect(&defers[i].Call, nil, s, may)
		}
		return s, may, nil
	case *ssa.Call:
		return l.callEffect(&x.Call, x, s, may)
	}
	return s, may, nil
}

// callEffect applies a call's effect on locks; res is the call's result,
// for a TryLock (nil for a deferred call).
func (l *FuncLocks) callEffect(c *ssa.CallCommon, res ssa.Value, s, may Lockset) (Lockset, Lockset, *tryLock) {
	if e, ok := calls.Lookup(c); ok {
		r := receiver(c)
		if r == nil {
			return s, may, nil
		}
		lk := l.lockOf(r, e.Read)
		switch e.Role {
		case calls.Acquire:
			l.record(&l.taken, lk)
			return s.with(lk), may.with(lk), nil
		case calls.Release:
			if may.index(lk) < 0 {
				l.record(&l.early, lk)
			}
			return s.without(lk), may.without(lk), nil
		case calls.TryAcquire:
			// Held only where its result is true: possibly held now,
			// definitely on the true branch of an if on it.
			l.record(&l.taken, lk)
			if res == nil {
				return s, may, nil
			}
			return s, may.with(lk), &tryLock{lock: lk, res: res}
		}
		return s, may, nil
	}
	callee := c.StaticCallee()
	if callee == nil || callee == l.fn {
		return s, may, nil
	}
	sum := l.m.Summary(callee)
	if sum == nil {
		return s, may, nil
	}
	for _, e := range sum.Locks {
		p, ok := l.m.TranslateLock(l.fn, c, e.Lock)
		if !ok {
			continue
		}
		lk := Lock{Path: p, Read: e.Read, key: p.Key()}
		switch e.Effect {
		case Acquires:
			l.record(&l.taken, lk)
			s, may = s.with(lk), may.with(lk)
		case Releases:
			if may.index(lk) < 0 {
				l.record(&l.early, lk)
			}
			s, may = s.without(lk), may.without(lk)
		case Reacquires:
			// Released and taken again: held after the call, also
			// when it was the caller's caller's to begin with.
			if may.index(lk) < 0 {
				l.record(&l.early, lk)
			}
			s, may = s.with(lk), may.with(lk)
		case MayAcquire:
			may = may.with(lk)
		}
	}
	return s, may, nil
}

// releasedEverywhere reports whether the function, entered with lk held
// (its caller's), returns with lk released on every path. One that
// releases it only on some (if needLock { mu.Unlock() }) has no effect
// its callers can count on either way: they keep what they hold.
func (l *FuncLocks) releasedEverywhere(lk Lock) bool {
	r := &FuncLocks{m: l.m, fn: l.fn, seed: Lockset{lk}}
	r.solve()
	return r.mayEx.index(lk) < 0
}

// record adds lk to *set while the dataflow is solved; queries (HeldAt)
// replay transfer without writing, so passes may ask concurrently.
func (l *FuncLocks) record(set *[]Lock, lk Lock) {
	if l.solving {
		*set = appendLock(*set, lk)
	}
}

func appendLock(s []Lock, l Lock) []Lock {
	if Lockset(s).index(l) >= 0 {
		return s
	}
	return append(s, l)
}

// effects returns the function's net effect on each lock, for its
// Summary: paths a caller can translate (parameters, globals, and for a
// closure its enclosing function's variables).
func (l *FuncLocks) effects() []LockEffect {
	var out []LockEffect
	add := func(lk Lock, k LockEffectKind) {
		if keepable(l.fn, lk.Path) {
			out = append(out, LockEffect{Lock: lk.Path, Read: lk.Read, Effect: k})
		}
	}
	for _, lk := range l.exit {
		if Lockset(l.early).index(lk) >= 0 {
			add(lk, Reacquires)
		} else {
			add(lk, Acquires)
		}
	}
	for _, lk := range l.early {
		if l.exit.index(lk) < 0 && l.mayEx.index(lk) < 0 && l.releasedEverywhere(lk) {
			add(lk, Releases)
		}
	}
	for _, lk := range l.mayEx {
		if l.exit.index(lk) < 0 && Lockset(l.early).index(lk) < 0 {
			add(lk, MayAcquire)
		}
	}
	return out
}

// CallerHeld returns the locks held wherever the closure or function fn
// runs synchronously in the package: the intersection, over its Sync
// contexts, of the locks the caller holds at the site (for a deferred
// call, at the caller's returns). It returns nil when fn has any other
// context, or none. For a closure, the paths are its enclosing function's;
// for a named function, the caller's locks are mapped back onto fn's
// parameters where the lock is reached from an argument.
func (m *Model) CallerHeld(fn *ssa.Function) Lockset {
	return m.CallerHeldIf(fn, nil)
}

// CallerHeldIf is CallerHeld over the contexts for which keep reports
// true (all, if keep is nil); nil when none is kept.
//
// It is transitive: a caller's locks at the site include those its own
// callers hold (c.enqueueProto, called with c.mu held, calling
// c.queueOutbound). It is the intersection over the chains of calls that
// reach fn without a repeated function: a call that closes a cycle
// (recursion, or methods calling each other) adds no constraint, since
// whatever enters the cycle enters it through another chain. Answers that
// rest on such a cut are not memoised, so a function seen first inside a
// cycle is not left holding nothing.
func (m *Model) CallerHeldIf(fn *ssa.Function, keep func(Context) bool) Lockset {
	return m.CallerHeldWith(fn, keep, nil)
}

// CallerHeldWith is CallerHeldIf where extra, if not nil, adds to the
// locks a caller holds at a site those the pass knows it holds there by
// a rule of its own (a lock taken on the paths its callers ask for).
func (m *Model) CallerHeldWith(fn *ssa.Function, keep func(Context) bool, extra func(caller *ssa.Function, site ssa.Instruction, held Lockset) Lockset) Lockset {
	q := &heldQuery{m: m, keep: keep, extra: extra, memo: make(map[*ssa.Function]Lockset), stack: make(map[*ssa.Function]int), budget: heldBudget}
	s, _, _ := q.held(fn)
	return s
}

// heldBudget bounds the contexts one CallerHeld query visits: answers
// resting on a cut cycle are recomputed, and a dense call graph could
// make that exponential. Past it, the query holds nothing (the finding
// stays).
const heldBudget = 50000

type heldQuery struct {
	m      *Model
	keep   func(Context) bool
	extra  func(*ssa.Function, ssa.Instruction, Lockset) Lockset
	memo   map[*ssa.Function]Lockset
	stack  map[*ssa.Function]int // the functions on the way, by depth
	budget int
}

// held returns the locks held wherever fn runs, or top when every chain
// to fn closes a cycle (no constraint), and the smallest depth of a
// function on the stack the answer rests on (len(stack) or more if none).
func (q *heldQuery) held(fn *ssa.Function) (held Lockset, top bool, low int) {
	m := q.m
	if h, ok := q.memo[fn]; ok {
		return h, false, math.MaxInt
	}
	if d, ok := q.stack[fn]; ok {
		return nil, true, d
	}
	depth := len(q.stack)
	q.stack[fn] = depth
	defer delete(q.stack, fn)
	low = math.MaxInt
	first, cut := true, false
	for _, c := range m.Contexts(fn) {
		if q.keep != nil && !q.keep(c) {
			continue
		}
		q.budget--
		if c.Kind != Sync || c.Caller == nil || c.Site == nil || q.budget < 0 {
			held, first, low = nil, false, math.MaxInt
			break
		}
		ch, ctop, clow := q.held(c.Caller)
		low = min(low, clow)
		if ctop {
			cut = true
			continue
		}
		fl := m.Locks(c.Caller)
		var s Lockset
		if c.Deferred {
			s = fl.AtDeferred(c.Site)
		} else {
			s = fl.HeldAt(c.Site)
		}
		s = union(s, ch)
		if q.extra != nil {
			s = union(s, q.extra(c.Caller, c.Site, s))
		}
		switch {
		case fn.Parent() == nil:
			s = m.mapBack(fn, c.Site, s)
		case m.callsDirectly(c.Site, fn):
			// visit := func(b *block) { b.bump() }; b.mu.Lock(); visit(b):
			// the caller's locks on the arguments are held on the
			// closure's parameters too.
			s = union(s, m.mapBack(fn, c.Site, s))
		}
		if first {
			held, first = s, false
		} else {
			held = intersect(held, s)
		}
	}
	if first && cut {
		return nil, true, low
	}
	if low >= depth {
		q.memo[fn] = held
	}
	return held, false, low
}

// mapBack rewrites the caller's locks reached from an argument of the call
// at site as paths from fn's parameters; globals stay. Where site does not
// call fn itself but is given it (once.Do(b.init), lib.Each(xs, f)), the
// call's arguments are not fn's: only a bound method value's receiver is.
func (m *Model) mapBack(fn *ssa.Function, site ssa.Instruction, s Lockset) Lockset {
	ci, ok := site.(ssa.CallInstruction)
	if !ok {
		return nil
	}
	c := ci.Common()
	args := c.Args
	if !m.callsDirectly(site, fn) {
		args = m.boundReceiver(c, fn)
	}
	var out Lockset
	for _, lk := range s {
		if lk.Path.Kind == Global {
			out = out.with(lk)
			continue
		}
		for i, a := range args {
			ap := m.LockPathOf(ci.Parent(), a)
			if !ap.SameRoot(lk.Path) || len(lk.Path.Steps) < len(ap.Steps) || !slices.Equal(lk.Path.Steps[:len(ap.Steps)], ap.Steps) {
				continue
			}
			p := Path{Kind: Param, Param: i, Name: paramName(fn, i), Steps: slices.Clone(lk.Path.Steps[len(ap.Steps):]), PtrRoot: ap.PtrRoot || len(fn.Params) > i && isPointer(fn.Params[i].Type())}
			if i < len(fn.Params) {
				p.root = fn.Params[i]
			}
			out = out.with(Lock{Path: p, Read: lk.Read, key: p.Key()})
		}
	}
	return out
}

// boundReceiver returns, as fn's arguments, the receiver bound by the
// method value of fn that the call c is given (b.init), or nil.
func (m *Model) boundReceiver(c *ssa.CallCommon, fn *ssa.Function) []ssa.Value {
	for _, a := range c.Args {
		mc, ok := ssautil.Origin(a, ssautil.Conversions|ssautil.Phis|ssautil.FreeVars).(*ssa.MakeClosure)
		if !ok || len(mc.Bindings) != 1 {
			continue
		}
		if f, _ := m.FuncOf(mc); f == fn && f != mc.Fn {
			return mc.Bindings[:1]
		}
	}
	return nil
}

// callsDirectly reports whether site calls fn itself, so that its
// arguments are fn's parameters (not a callback's caller, such as
// lib.Each(xs, fn)).
func (m *Model) callsDirectly(site ssa.Instruction, fn *ssa.Function) bool {
	ci, ok := site.(ssa.CallInstruction)
	if !ok || ci.Common().IsInvoke() {
		return false
	}
	f, _ := m.FuncOf(ci.Common().Value)
	return f == fn
}

func paramName(fn *ssa.Function, i int) string {
	if i < len(fn.Params) {
		return fn.Params[i].Name()
	}
	return ""
}
