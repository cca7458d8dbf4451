package concurrency

import (
	"fmt"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/calls"
	"github.com/futlint/futlint/internal/ssautil"
)

// A Use says what a function does with a func-typed parameter (and, for
// Watched, with a context parameter). The bits combine: a function may
// call its argument and also store it.
type Use uint8

const (
	// CalledSync: called before the function returns, on its caller's
	// goroutine (directly, deferred, or through a callee that does).
	CalledSync Use = 1 << iota
	// Spawned: started on a new goroutine.
	Spawned
	// SpawnedMany: started on new goroutines several times at once (in a
	// loop, per item).
	SpawnedMany
	// Stored: stored, returned, sent, or passed where the model cannot
	// follow: it may run later, anywhere.
	Stored
	// Watched: a context parameter handed to context.AfterFunc, directly
	// or through a callee that does so with it (on some path): the
	// function arranges for the context's cancellation to be acted on
	// asynchronously, a persistent watch rather than a check.
	Watched
)

func (u Use) String() string {
	var s []string
	for _, x := range []struct {
		bit  Use
		name string
	}{{CalledSync, "sync"}, {Spawned, "go"}, {SpawnedMany, "goMany"}, {Stored, "stored"}, {Watched, "watch"}} {
		if u&x.bit != 0 {
			s = append(s, x.name)
		}
	}
	return strings.Join(s, "|")
}

// A Join is a wait for other goroutines: Wait on a WaitGroup or group, a
// receive from a channel.
type Join struct {
	Path Path
	What string // "sync.WaitGroup.Wait", "errgroup.Group.Wait", "receive"
}

// A ChanOpKind is an operation on a channel.
type ChanOpKind uint8

const (
	Send ChanOpKind = iota + 1
	Recv
	Close
)

func (k ChanOpKind) String() string {
	switch k {
	case Send:
		return "send"
	case Recv:
		return "recv"
	case Close:
		return "close"
	}
	return "?"
}

// A ChanOp is an operation of a function on a channel it was given.
type ChanOp struct {
	Path Path
	Op   ChanOpKind
}

// A LockEffectKind is a function's net effect on a lock, as its callers
// see it.
type LockEffectKind uint8

const (
	// Acquires: not held on entry (as far as the function knows), held
	// on every return.
	Acquires LockEffectKind = iota + 1
	// Releases: held on entry (the caller's), not held on return.
	Releases
	// Reacquires: held on entry, released and acquired again inside,
	// held on return: the caller still holds it.
	Reacquires
	// MayAcquire: held on some returns only (TryLock, if useLock {
	// mu.Lock() }): callers must not count on it.
	MayAcquire
)

func (k LockEffectKind) String() string {
	switch k {
	case Acquires:
		return "acquires"
	case Releases:
		return "releases"
	case Reacquires:
		return "reacquires"
	case MayAcquire:
		return "mayAcquire"
	}
	return "?"
}

// A LockEffect is a function's net effect on one lock.
type LockEffect struct {
	Lock   Path
	Read   bool // the read lock of an RWMutex
	Effect LockEffectKind
}

// A Summary is what callers need to know about a function. It is a fact
// for functions other packages can call, and computed on demand for the
// package's own functions and closures. Paths are rooted at parameters
// (the receiver is parameter 0) or globals; a closure's paths may also be
// rooted in its enclosing function.
type Summary struct {
	// Params says, by parameter index, what the function does with each
	// func-typed parameter; trailing zeros are trimmed.
	Params []Use
	// Joins are the waits it performs on WaitGroups, groups and
	// channels it was given (directly or through callees).
	Joins []Join
	// Signals are what it tells joiners: WaitGroup.Done, and sends on
	// and closes of channels it was given.
	Signals []Path
	// Locks is its net effect on each lock it touches.
	Locks []LockEffect
	// Chans are its operations on channels it was given.
	Chans []ChanOp
	// IgnoresCtx: it has context parameters and never observes them
	// (ctx.Done, ctx.Err, context.Cause), nor passes them to anything
	// that might.
	IgnoresCtx bool
	// Waits: it may wait for another party (a channel, a timer, I/O),
	// directly or through callees.
	Waits bool
	// NoReturn: it never returns normally (x/tools ctrlflow).
	NoReturn bool
	// BlocksWithoutCtx names a call it makes, directly or through a
	// callee, that may block indefinitely and is not given a context
	// though a variant takes one (calls.BlocksWithoutCtx): hc.Get(url)
	// rather than a request made with NewRequestWithContext, net.Dial
	// rather than Dialer.DialContext. A ctx given to the function cannot
	// stop it while that call blocks.
	BlocksWithoutCtx string
}

func (*Summary) AFact() {}

// String renders the fact for analysistest's `// want fn:"..."`.
func (s *Summary) String() string {
	var parts []string
	for i, u := range s.Params {
		if u != 0 {
			parts = append(parts, fmt.Sprintf("p%d:%s", i, u))
		}
	}
	for _, j := range s.Joins {
		parts = append(parts, "joins "+j.Path.Key())
	}
	for _, p := range s.Signals {
		parts = append(parts, "signals "+p.Key())
	}
	for _, l := range s.Locks {
		r := ""
		if l.Read {
			r = "R"
		}
		parts = append(parts, l.Effect.String()+r+" "+l.Lock.Key())
	}
	for _, c := range s.Chans {
		parts = append(parts, c.Op.String()+" "+c.Path.Key())
	}
	if s.IgnoresCtx {
		parts = append(parts, "ignoresCtx")
	}
	if s.Waits {
		parts = append(parts, "waits")
	}
	if s.NoReturn {
		parts = append(parts, "noReturn")
	}
	if s.BlocksWithoutCtx != "" {
		parts = append(parts, "blocksWithoutCtx "+s.BlocksWithoutCtx)
	}
	return strings.Join(parts, "; ")
}

// empty reports whether the summary records nothing.
func (s *Summary) empty() bool {
	return len(s.Params) == 0 && len(s.Joins) == 0 && len(s.Signals) == 0 && len(s.Locks) == 0 &&
		len(s.Chans) == 0 && !s.IgnoresCtx && !s.Waits && !s.NoReturn && s.BlocksWithoutCtx == ""
}

// ParamUse returns what the function does with parameter i (0 if it is
// not a func-typed parameter, or s is nil).
func (s *Summary) ParamUse(i int) Use {
	if s == nil || i < 0 || i >= len(s.Params) {
		return 0
	}
	return s.Params[i]
}

// LockEffect returns the effect on the lock at path p, if any.
func (s *Summary) LockEffect(p Path) (LockEffect, bool) {
	if s != nil {
		for _, l := range s.Locks {
			if l.Lock.Equal(p) {
				return l, true
			}
		}
	}
	return LockEffect{}, false
}

// Summary returns the summary of fn: computed for the package's own
// functions, imported from facts for others; nil when nothing is known.
func (m *Model) Summary(fn *ssa.Function) *Summary {
	fn = ssautil.OriginFunc(fn)
	if m.frozen {
		if s, ok := m.frozenSummary(fn); ok {
			return s
		}
	}
	if s, ok := m.summaries[fn]; ok {
		return s
	}
	if !m.Local(fn) {
		s := m.importSummary(fn)
		m.summaries[fn] = s
		return s
	}
	s := new(Summary)
	m.summaries[fn] = s // recursion: a recursive call contributes nothing
	m.summarize(fn, s)
	return s
}

// importSummary returns the fact of another package's function, or nil.
func (m *Model) importSummary(fn *ssa.Function) *Summary {
	if obj, ok := fn.Object().(*types.Func); ok && obj.Pkg() != nil && obj.Pkg() != m.Pass.Pkg {
		f := new(Summary)
		if m.Pass.ImportObjectFact(obj, f) {
			return f
		}
	}
	return nil
}

func (m *Model) summarize(fn *ssa.Function, s *Summary) {
	for i, p := range fn.Params {
		if _, ok := p.Type().Underlying().(*types.Signature); ok {
			if u := m.useOf(p, 0); u != 0 {
				for len(s.Params) <= i {
					s.Params = append(s.Params, 0)
				}
				s.Params[i] = u
			}
		}
	}
	for i, p := range fn.Params {
		if IsContext(p.Type()) && m.watchesParam(p) {
			for len(s.Params) <= i {
				s.Params = append(s.Params, 0)
			}
			s.Params[i] |= Watched
		}
	}
	if m.IsSpawner(fn) {
		// Declared with //futlint:spawner or -concurrency.spawners: it
		// starts its last func parameter, whatever its code says, and
		// callers in other packages learn so from the fact.
		for i := len(fn.Params) - 1; i >= 0; i-- {
			if _, ok := fn.Params[i].Type().Underlying().(*types.Signature); ok {
				for len(s.Params) <= i {
					s.Params = append(s.Params, 0)
				}
				s.Params[i] |= Spawned
				break
			}
		}
	}
	if obj, ok := fn.Object().(*types.Func); ok {
		s.NoReturn = m.cfgs.NoReturn(obj)
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			m.summarizeInstr(fn, instr, s)
		}
	}
	s.IgnoresCtx = m.ignoresCtx(fn)
	s.Locks = m.Locks(fn).effects()
}

// summarizeInstr adds what instr contributes to fn's summary.
func (m *Model) summarizeInstr(fn *ssa.Function, instr ssa.Instruction, s *Summary) {
	// Paths as locks are named (LockPathOf): a receiver or parameter a
	// closure captures lives in a heap cell stored once on entry, and its
	// loads are the parameter, so close(s.quit) in a method that also
	// starts a goroutine capturing s is the caller's p0.quit.
	outer := func(v ssa.Value) (Path, bool) {
		p := m.LockPathOf(fn, v)
		return p, p.Kind == Param || p.Kind == Global || p.Kind == FreeVar || (fn.Parent() != nil && p.Kind == Local && p.root != nil && p.root.Parent() != fn)
	}
	switch x := instr.(type) {
	case *ssa.UnOp:
		if x.Op == token.ARROW {
			s.Waits = true
			if p, ok := outer(x.X); ok {
				s.Chans = addChanOp(s.Chans, ChanOp{p, Recv})
				s.Joins = addJoin(s.Joins, Join{p, "receive"})
			}
		}
	case *ssa.Send:
		if m.SendWaits(x) {
			s.Waits = true
		}
		if p, ok := outer(x.Chan); ok {
			s.Chans = addChanOp(s.Chans, ChanOp{p, Send})
			s.Signals = addPath(s.Signals, p)
		}
	case *ssa.Select:
		if x.Blocking {
			s.Waits = true
		}
		for _, st := range x.States {
			p, ok := outer(st.Chan)
			if !ok {
				continue
			}
			if st.Dir == types.SendOnly {
				s.Chans = addChanOp(s.Chans, ChanOp{p, Send})
				s.Signals = addPath(s.Signals, p)
			} else {
				// Not a join: a select waits for one of several
				// parties. (A one-case select is a plain receive in SSA.)
				s.Chans = addChanOp(s.Chans, ChanOp{p, Recv})
			}
		}
	case ssa.CallInstruction:
		c := x.Common()
		if b, ok := c.Value.(*ssa.Builtin); ok {
			if b.Name() == "close" && len(c.Args) == 1 {
				if p, ok := outer(c.Args[0]); ok {
					s.Chans = addChanOp(s.Chans, ChanOp{p, Close})
					s.Signals = addPath(s.Signals, p)
				}
			}
			return
		}
		if _, isGo := x.(*ssa.Go); isGo {
			return // what a goroutine does is not done by fn
		}
		if e, ok := calls.Lookup(c); ok {
			recv := receiver(c)
			switch e.Role {
			case calls.Join:
				s.Waits = true
				if recv != nil {
					if p, ok := outer(recv); ok {
						s.Joins = addJoin(s.Joins, Join{p, e.What})
					}
				}
			case calls.Signal:
				if recv != nil {
					if p, ok := outer(recv); ok {
						s.Signals = addPath(s.Signals, p)
					}
				}
			}
			return
		}
		if _, waits := calls.Blocks(c); waits {
			s.Waits = true
		}
		callee := c.StaticCallee()
		if callee == nil {
			if s.BlocksWithoutCtx == "" {
				s.BlocksWithoutCtx = m.blocksWithoutCtx(c, nil)
			}
			return
		}
		cs := m.Summary(callee)
		if s.BlocksWithoutCtx == "" {
			s.BlocksWithoutCtx = m.blocksWithoutCtx(c, cs)
		}
		if cs == nil {
			return
		}
		s.Waits = s.Waits || cs.Waits
		for _, j := range cs.Joins {
			if p, ok := m.TranslateLock(fn, c, j.Path); ok && keepable(fn, p) {
				s.Joins = addJoin(s.Joins, Join{p, j.What})
			}
		}
		for _, q := range cs.Signals {
			if p, ok := m.TranslateLock(fn, c, q); ok && keepable(fn, p) {
				s.Signals = addPath(s.Signals, p)
			}
		}
		for _, op := range cs.Chans {
			if p, ok := m.TranslateLock(fn, c, op.Path); ok && keepable(fn, p) {
				s.Chans = addChanOp(s.Chans, ChanOp{p, op.Op})
			}
		}
	}
}

// keepable reports whether a path may appear in fn's summary.
func keepable(fn *ssa.Function, p Path) bool {
	switch p.Kind {
	case Param, Global, FreeVar:
		return true
	case Local:
		return fn.Parent() != nil && p.root != nil && p.root.Parent() != fn
	}
	return false
}

// receiver returns the receiver argument of a method call.
func receiver(c *ssa.CallCommon) ssa.Value {
	if c.IsInvoke() {
		return c.Value
	}
	if len(c.Args) > 0 && c.Signature().Recv() != nil {
		return c.Args[0]
	}
	if fn := c.StaticCallee(); fn != nil && fn.Signature.Recv() != nil && len(c.Args) > 0 {
		return c.Args[0]
	}
	return nil
}

// useOf says what the code does with the function value v.
func (m *Model) useOf(v ssa.Value, depth int) Use {
	if depth > 8 {
		return Stored
	}
	refs := v.Referrers()
	if refs == nil {
		return 0
	}
	var u Use
	for _, ref := range *refs {
		switch r := ref.(type) {
		case *ssa.DebugRef:
		case *ssa.BinOp:
			// f == nil: a func value compares with nil only.
		case ssa.CallInstruction:
			u |= m.callUse(r, v)
		case *ssa.ChangeType, *ssa.MakeInterface, *ssa.ChangeInterface, *ssa.Phi:
			u |= m.useOf(r.(ssa.Value), depth+1)
		case *ssa.MakeClosure:
			u |= m.closureUse(r, v, depth, m.useOf)
		case *ssa.Store:
			// A captured variable: a cell stored once; its loads are
			// the value.
			cell, ok := r.Addr.(*ssa.Alloc)
			if !ok || r.Val != v || ssautil.SingleStore(cell) != r {
				u |= Stored
				continue
			}
			u |= m.cellUse(cell, depth+1)
		default:
			u |= Stored
		}
	}
	return u
}

// cellUse says what the code does with the function value held in a
// single-store cell (or a free variable capturing it): its loads' uses.
func (m *Model) cellUse(addr ssa.Value, depth int) Use {
	if depth > 8 {
		return Stored
	}
	var u Use
	for _, ref := range *addr.Referrers() {
		switch r := ref.(type) {
		case *ssa.UnOp:
			u |= m.useOf(r, depth+1)
		case *ssa.MakeClosure:
			u |= m.closureUse(r, addr, depth, m.cellUse)
		case *ssa.Store, *ssa.DebugRef:
		default:
			u |= Stored
		}
	}
	return u
}

// closureUse composes what closure mc does with its free variable bound
// to v (inner, by use) with what the code does with mc.
func (m *Model) closureUse(mc *ssa.MakeClosure, v ssa.Value, depth int, use func(ssa.Value, int) Use) Use {
	if _, ok := mc.Fn.(*ssa.Function); !ok {
		return Stored
	}
	outer := m.useOf(mc, depth+1)
	var u Use
	for _, fv := range ssautil.BoundTo(mc, v) {
		u |= compose(use(fv, depth+1), outer)
	}
	return u
}

// callUse says what the call instruction ci does with v, its callee or
// one of its arguments.
func (m *Model) callUse(ci ssa.CallInstruction, v ssa.Value) Use {
	c := ci.Common()
	_, isGo := ci.(*ssa.Go)
	many := func(u Use) Use {
		if u&Spawned != 0 && m.InLoop(ci) {
			u |= SpawnedMany
		}
		return u
	}
	if c.Value == v {
		if isGo {
			return many(Spawned)
		}
		return CalledSync
	}
	var u Use
	for i, a := range c.Args {
		if a != v {
			continue
		}
		var au Use
		if e, ok := calls.Lookup(c); ok {
			switch e.Role {
			case calls.Spawn:
				au = Spawned
			case calls.Handle, calls.RunParallel:
				au = Spawned | SpawnedMany
			case calls.SyncCallback, calls.Subtest:
				au = CalledSync
			default:
				au = Stored
			}
		} else if callee := c.StaticCallee(); callee != nil && !c.IsInvoke() {
			if m.IsSpawner(callee) {
				au = Spawned
			} else if cs := m.Summary(callee); cs != nil {
				au = cs.ParamUse(i)
			} else {
				au = Stored
			}
		} else if m.invokedSync(c, i) {
			au = CalledSync
		} else {
			au = Stored
		}
		if isGo {
			au = compose(au, Spawned)
		}
		u |= many(au)
	}
	if u == 0 && c.IsInvoke() && c.Value == v {
		return Stored
	}
	return u
}

// compose says what happens to a value used as inner by a closure that is
// itself used as outer.
func compose(inner, outer Use) Use {
	if inner == 0 {
		return 0
	}
	var u Use
	if outer&CalledSync != 0 {
		u |= inner
	}
	if outer&(Spawned|SpawnedMany) != 0 {
		if inner&(CalledSync|Spawned) != 0 {
			u |= Spawned
		}
		if outer&SpawnedMany != 0 || inner&SpawnedMany != 0 {
			u |= SpawnedMany
		}
		u |= inner & Stored
	}
	if outer&Stored != 0 {
		u |= Stored
	}
	return u
}

func addPath(s []Path, p Path) []Path {
	for _, q := range s {
		if q.Equal(p) {
			return s
		}
	}
	return append(s, p)
}

func addJoin(s []Join, j Join) []Join {
	for _, k := range s {
		if k.Path.Equal(j.Path) {
			return s
		}
	}
	return append(s, j)
}

func addChanOp(s []ChanOp, op ChanOp) []ChanOp {
	for _, o := range s {
		if o.Op == op.Op && o.Path.Equal(op.Path) {
			return s
		}
	}
	return append(s, op)
}

// exportFacts exports the summaries of the functions other packages can
// call: package-level functions and methods with exported names.
func (m *Model) exportFacts() {
	for _, fn := range m.Funcs {
		if fn.Parent() != nil || fn.Origin() != nil {
			continue
		}
		obj, ok := fn.Object().(*types.Func)
		if !ok || obj.Pkg() != m.Pass.Pkg || !obj.Exported() {
			continue
		}
		s := m.Summary(fn)
		if s == nil {
			continue // no body: assembly, linkname
		}
		if s = s.exported(); !s.empty() {
			m.Pass.ExportObjectFact(obj, s)
		}
	}
}

// exported returns s without the paths other packages cannot use.
func (s *Summary) exported() *Summary {
	out := *s
	out.Joins, out.Signals, out.Chans, out.Locks = nil, nil, nil, nil
	for _, j := range s.Joins {
		if j.Path.exportable() {
			out.Joins = append(out.Joins, j)
		}
	}
	for _, p := range s.Signals {
		if p.exportable() {
			out.Signals = append(out.Signals, p)
		}
	}
	for _, c := range s.Chans {
		if c.Path.exportable() {
			out.Chans = append(out.Chans, c)
		}
	}
	for _, l := range s.Locks {
		if l.Lock.exportable() {
			out.Locks = append(out.Locks, l)
		}
	}
	return &out
}
