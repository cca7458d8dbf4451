package leakedgoroutine

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/calls"
	"github.com/futlint/futlint/internal/concurrency"
	"github.com/futlint/futlint/internal/ssautil"
)

// unbounded stands for "as many sends as the loop runs".
const unbounded = -1

// senders summarises the goroutines that send on a channel.
type senders struct {
	sends  int     // sends that happen at least once, or unbounded
	send   op      // one of them, for the message
	cycles bool    // a go statement in a loop: many goroutines
	last   *ssa.Go // the last go statement: where the leak is reported
	first  *ssa.Go // the first: receives after it count
	closes bool    // the goroutines close the channel
	single bool    // exactly one send instruction in one goroutine
}

// checkLeaks reports grade 1 leaks for the channels fn makes and for the
// generator calls it makes.
func (c *checker) checkLeaks(fn *ssa.Function) {
	if processRoot(fn) && fn.Name() != "init" && !isInit(fn) {
		return // when main or TestMain returns, the process exits
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.MakeChan:
				c.checkUnsignalledDone(fn, x) // donepath.go
				c.checkClosedAfterWait(fn, x) // closedafter.go
				size, ok := constInt(x.Size)
				if !ok {
					continue
				}
				c.checkChannel(fn, x, size)
			case *ssa.Call:
				c.checkGeneratorCall(fn, x)
			}
		}
	}
}

func constInt(v ssa.Value) (int, bool) {
	k, ok := v.(*ssa.Const)
	if !ok || k.Value == nil || k.Value.Kind() != constant.Int {
		return 0, false
	}
	n, ok := constant.Int64Val(k.Value)
	return int(n), ok && n >= 0 && n < 1<<20
}

// checkChannel looks for the leak shapes on one channel made in fn.
func (c *checker) checkChannel(fn *ssa.Function, mc *ssa.MakeChan, size int) {
	u := channelUsage(fn, mc)
	if u.escapes || u.returned || len(u.goroutines) == 0 {
		return
	}
	if c.checkUnclosedRange(fn, mc, u) || c.checkNoSignal(fn, mc, u) {
		return
	}
	s, ok := c.sendersOf(fn, u)
	if !ok {
		return
	}
	name := c.chanName(mc.Pos())
	if s.cycles {
		c.checkFanIn(fn, mc, name, size, u, s)
		return
	}
	leak, ok := c.drainPath(fn, s.first, u, s, size, u.goroutines)
	if !ok {
		return
	}
	if len(u.recvs) == 0 {
		leak.via = "nothing ever receives from " + name
	}
	d := analysis.Diagnostic{
		Pos:     s.last.Pos(),
		Message: c.leakMessage(name, s, size, leak, fn),
		Related: []analysis.RelatedInformation{
			{Pos: opPos(s.send.instr), Message: "the send that blocks"},
			{Pos: leak.ret, Message: funcName(fn) + " gives up here"},
			{Pos: mc.Pos(), Message: name + " is made here"},
		},
	}
	if s.single && size == 0 && s.sends == 1 {
		d.SuggestedFixes = c.bufferFix(mc, name)
	}
	c.leaked[s.last] = true
	c.r.Report(d)
}

// sendersOf checks the sender shape: only goroutines started by fn send,
// only fn itself receives, nobody else closes, and no send can give up.
func (c *checker) sendersOf(fn *ssa.Function, u *usage) (senders, bool) {
	var s senders
	if len(u.sends) == 0 {
		return s, false
	}
	for _, o := range u.recvs {
		if o.actor != nil || o.fn != fn {
			return s, false // a receiver we cannot order, e.g. a deferred drain
		}
	}
	for _, o := range u.closes {
		if o.actor == nil {
			return s, false
		}
		s.closes = true
	}
	gos := make(map[*ssa.Go]bool)
	perGo := make(map[*ssa.Go]int)
	for _, o := range u.sends {
		if o.actor == nil || o.guard || o.actor.Parent() != fn {
			return s, false
		}
		gos[o.actor] = true
		perGo[o.actor]++
		s.send = o
	}
	// The go statements must run in one block, so that the paths to
	// check start after the last of them.
	var block *ssa.BasicBlock
	for g := range gos {
		if block == nil {
			block = g.Block()
		} else if g.Block() != block {
			return s, false
		}
		if c.repeats(g, u.made) {
			s.cycles = true
		}
		if s.last == nil || ssautil.InstrIndex(g) > ssautil.InstrIndex(s.last) {
			s.last = g
		}
		if s.first == nil || ssautil.InstrIndex(g) < ssautil.InstrIndex(s.first) {
			s.first = g
		}
	}
	s.single = len(u.sends) == 1 && u.sends[0].weight == 0
	for g := range gos {
		n := c.mustSends(g, u)
		if n == unbounded {
			s.sends = unbounded
			break
		}
		s.sends += n
	}
	return s, true
}

// mustSends counts the sends goroutine g makes on every path (at least
// one if it may send at all), or unbounded if it sends in a loop.
func (c *checker) mustSends(g *ssa.Go, u *usage) int {
	gfn := g.Call.StaticCallee()
	var exits []*ssa.BasicBlock
	for _, b := range gfn.Blocks {
		if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			exits = append(exits, b)
		}
	}
	n, opt, any := 0, 0, false
	for _, o := range u.sends {
		if o.actor != g {
			continue
		}
		any = true
		if o.fn != gfn {
			continue // in a nested closure: it may or may not run
		}
		w := max(o.weight, 1)
		if o.weight == unbounded || c.inCycle(o.instr.Block()) {
			return unbounded
		}
		must := len(exits) > 0
		for _, e := range exits {
			if !o.instr.Block().Dominates(e) {
				must = false
			}
		}
		if must {
			n += w
		} else {
			opt = max(opt, w)
		}
	}
	if n == 0 && any {
		n = max(opt, 1)
	}
	return n
}

// repeats reports whether the go statement g can run again for the same
// channel: it is in a loop, and the channel is not made afresh in each of
// the loop's iterations.
func (c *checker) repeats(g *ssa.Go, made ssa.Instruction) bool {
	if !c.inCycle(g.Block()) {
		return false
	}
	if made == nil || made.Parent() != g.Parent() {
		return true
	}
	mb := made.Block()
	if mb == g.Block() {
		return ssautil.InstrIndex(made) > ssautil.InstrIndex(g)
	}
	seen := map[*ssa.BasicBlock]bool{mb: true}
	stack := append([]*ssa.BasicBlock(nil), g.Block().Succs...)
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if b == g.Block() {
			return true
		}
		if !seen[b] {
			seen[b] = true
			stack = append(stack, b.Succs...)
		}
	}
	return false
}

// leakPath is a path on which the spawner returns without draining.
type leakPath struct {
	ret      token.Pos
	via      string // the select case taken instead of the receive
	received int
	again    bool // the loop goes round and makes a new channel at ret
}

// drainPath searches the paths from start to a return of fn for one that
// receives fewer values than the senders send beyond the buffer, or, for
// senders that loop until they close the channel, one that returns before
// seeing it closed.
func (c *checker) drainPath(fn *ssa.Function, start ssa.Instruction, u *usage, s senders, size int, gos []*ssa.Go) (leakPath, bool) {
	need := unbounded
	if s.sends != unbounded {
		need = s.sends - size
		if need <= 0 {
			return leakPath{}, false
		}
	} else {
		if !s.closes {
			return leakPath{}, false
		}
		for _, o := range u.recvs {
			if !o.commaOk {
				return leakPath{}, false // counted receives: cannot compare with a loop of sends
			}
		}
	}
	w := &walker{c: c, fn: fn, u: u, need: need, seen: make(map[string]bool), errs: errorResults(start), peers: c.peerSignals(gos), ends: endFlags(gos)}
	w.walk(start.Block(), ssautil.InstrIndex(start)+1, walkState{})
	if w.steps > maxSteps {
		return leakPath{}, false
	}
	return w.found, w.ok
}

type choice struct {
	sel *ssa.Select
	idx int
}

type walkState struct {
	received int
	drained  bool // saw the channel closed, or the senders finished: every send has happened
	choices  []choice
	via      string
	pred     *ssa.BasicBlock    // the block the path came from, for phis
	facts    map[ssa.Value]fact // what the path knows about values (copy on write)
}

// A fact is what a path knows about a value: its truth (or nil-ness),
// and whether its truth means the channel is drained.
type fact uint8

const (
	isTrue       fact = 1 << iota // true, or not nil
	isFalse                       // false, or nil
	drainIfTrue                   // if true (not nil), the channel was seen closed or the senders finished
	drainIfFalse                  // if false (nil), likewise
)

// negate is the fact of !v.
func (f fact) negate() fact {
	var g fact
	if f&isTrue != 0 {
		g |= isFalse
	}
	if f&isFalse != 0 {
		g |= isTrue
	}
	if f&drainIfTrue != 0 {
		g |= drainIfFalse
	}
	if f&drainIfFalse != 0 {
		g |= drainIfTrue
	}
	return g
}

// with returns st knowing f (0: nothing) about v.
func (st walkState) with(v ssa.Value, f fact) walkState {
	if st.facts[v] == f {
		return st
	}
	m := make(map[ssa.Value]fact, len(st.facts)+1)
	for k, x := range st.facts {
		m[k] = x
	}
	if f == 0 {
		delete(m, v)
	} else {
		m[v] = f
	}
	st.facts = m
	return st
}

// factOf returns what the path knows about v.
func (st walkState) factOf(v ssa.Value) fact {
	if k, ok := v.(*ssa.Const); ok {
		switch {
		case k.Value != nil && k.Value.Kind() == constant.Bool:
			if constant.BoolVal(k.Value) {
				return isTrue
			}
			return isFalse
		case k.IsNil():
			return isFalse
		}
		return 0
	}
	return st.facts[v]
}

type walker struct {
	c     *checker
	fn    *ssa.Function
	u     *usage
	need  int
	seen  map[string]bool
	found leakPath
	ok    bool
	errs  map[ssa.Value]bool // the generator call's error result: no goroutine runs when it is set
	peers map[any]bool       // what the senders also signal: a select case on one waits for them
	ends  map[ssa.Value]bool // cells the senders set just before they end
	cells map[ssa.Value]bool // local variables only fn writes (memoised localCell)
	steps int
}

// localCell reports whether v is a local variable (a cell) that only the
// walked function writes: what the path stored in it is what it holds.
// Closures may read it, not write it.
func (w *walker) localCell(v ssa.Value) bool {
	cell, ok := v.(*ssa.Alloc)
	if !ok || cell.Parent() != w.fn {
		return false
	}
	if w.cells == nil {
		w.cells = make(map[ssa.Value]bool)
	}
	if ok, seen := w.cells[v]; seen {
		return ok
	}
	ok = true
	for _, ref := range *cell.Referrers() {
		switch r := ref.(type) {
		case *ssa.Store:
			ok = ok && r.Addr == cell
		case *ssa.UnOp:
			ok = ok && r.Op == token.MUL
		case *ssa.DebugRef:
		case *ssa.MakeClosure:
			for _, fv := range ssautil.BoundTo(r, cell) {
				for _, u := range *fv.Referrers() {
					switch u := u.(type) {
					case *ssa.UnOp:
						ok = ok && u.Op == token.MUL
					case *ssa.DebugRef:
					default:
						ok = false
					}
				}
			}
		default:
			ok = false
		}
	}
	w.cells[v] = ok
	return ok
}

// maxSteps bounds the path search in one function; past it we stay quiet.
const maxSteps = 20000

// peerSignals returns the roots, other than the channel, that the
// goroutines started by gos signal on. A spawner selecting on one of
// them instead of receiving is coordinating with the senders (an error
// channel, a done channel closed after the send), not abandoning them.
func (c *checker) peerSignals(gos []*ssa.Go) map[any]bool {
	peers := make(map[any]bool)
	for _, g := range gos {
		for _, sp := range c.m.SpawnsAt(g) {
			s := c.m.Summary(sp.Fn)
			if s == nil {
				continue
			}
			for _, p := range s.Signals {
				if q, ok := c.spawnerPath(sp, p); ok {
					peers[peerKey(q)] = true
				} else if lastField(p) != "" {
					peers[peerKey(p)] = true
				}
			}
		}
	}
	return peers
}

// peerKey identifies what a path signals on: a field by its declaration,
// since each access is a new FieldAddr, otherwise its root.
func peerKey(p concurrency.Path) any {
	if k := lastField(p); k != "" {
		return k
	}
	if p.Root() != nil {
		return p.Root()
	}
	return p.Key()
}

// errorResults returns the error results of a call.
func errorResults(instr ssa.Instruction) map[ssa.Value]bool {
	call, ok := instr.(*ssa.Call)
	if !ok {
		return nil
	}
	errs := make(map[ssa.Value]bool)
	for _, ref := range *call.Referrers() {
		if ex, ok := ref.(*ssa.Extract); ok && types.Identical(ex.Type(), types.Universe.Lookup("error").Type()) {
			errs[ex] = true
		}
	}
	return errs
}

func (w *walker) key(b *ssa.BasicBlock, st walkState) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%d/%d/%t", b.Index, st.received, st.drained)
	for _, ch := range st.choices {
		fmt.Fprintf(&sb, "/%p=%d", ch.sel, ch.idx)
	}
	if len(st.facts) > 0 {
		ks := make([]string, 0, len(st.facts))
		for v, f := range st.facts {
			ks = append(ks, fmt.Sprintf("%s=%d", v.Name(), f))
		}
		sort.Strings(ks)
		sb.WriteString("/" + strings.Join(ks, ","))
	}
	return sb.String()
}

// enter applies the phis of b for a path coming from st.pred.
func (w *walker) enter(b *ssa.BasicBlock, st walkState) walkState {
	pi := -1
	for i, p := range b.Preds {
		if p == st.pred {
			pi = i
		}
	}
	type update struct {
		v ssa.Value
		f fact
	}
	var ups []update
	for _, instr := range b.Instrs {
		phi, ok := instr.(*ssa.Phi)
		if !ok {
			break
		}
		var f fact
		if pi >= 0 && pi < len(phi.Edges) {
			f = st.factOf(phi.Edges[pi])
		}
		if f != 0 || st.facts[phi] != 0 {
			ups = append(ups, update{phi, f})
		}
	}
	for _, u := range ups {
		st = st.with(u.v, u.f)
	}
	return st
}

// endFlags returns the cells (captured variables of the spawner) that
// the goroutines gos store to only just before they return: a value
// read from one that is set (not nil, true) says they have finished.
func endFlags(gos []*ssa.Go) map[ssa.Value]bool {
	ends := make(map[ssa.Value]bool)
	bad := make(map[ssa.Value]bool)
	for _, g := range gos {
		mc, ok := g.Call.Value.(*ssa.MakeClosure)
		if !ok {
			continue
		}
		fn := mc.Fn.(*ssa.Function)
		for i, fv := range fn.FreeVars {
			cell := mc.Bindings[i]
			if _, ok := cell.(*ssa.Alloc); !ok {
				continue
			}
			for _, ref := range *fv.Referrers() {
				st, ok := ref.(*ssa.Store)
				if !ok || st.Addr != fv {
					continue
				}
				if lastAct(st) {
					ends[cell] = true
				} else {
					bad[cell] = true
				}
			}
		}
	}
	for v := range bad {
		delete(ends, v)
	}
	return ends
}

// lastAct reports whether only returning follows the store in its block.
func lastAct(st *ssa.Store) bool {
	b := st.Block()
	for _, x := range b.Instrs[ssautil.InstrIndex(st)+1:] {
		switch x.(type) {
		case *ssa.RunDefers, *ssa.Return, *ssa.DebugRef:
		default:
			return false
		}
	}
	_, ret := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
	return ret
}

func (w *walker) isChan(v ssa.Value) bool { return w.u.aliases[v] }

func (w *walker) walk(b *ssa.BasicBlock, from int, st walkState) {
	if w.ok || w.steps > maxSteps {
		return
	}
	w.steps++
	if from == 0 {
		st = w.enter(b, st)
		k := w.key(b, st)
		if w.seen[k] {
			return
		}
		w.seen[k] = true
	}
	for i := from; i < len(b.Instrs); i++ {
		if b.Instrs[i] == w.u.made && w.u.made != nil {
			// The loop's next iteration makes a new channel: this one is
			// abandoned with its senders.
			if !st.drained && (w.need == unbounded || st.received < w.need) {
				w.found = leakPath{ret: w.u.made.Pos(), via: st.via, received: st.received, again: true}
				w.ok = true
			}
			return
		}
		switch x := b.Instrs[i].(type) {
		case *ssa.UnOp:
			switch {
			case x.Op == token.ARROW && w.isChan(x.X):
				st.received++
			case x.Op == token.ARROW && w.peers[peerKey(w.c.m.PathOf(w.fn, x.X))]:
				st.drained = true // waited for the senders' other signal
			case x.Op == token.NOT:
				if f := st.factOf(x.X); f != 0 {
					st = st.with(x, f.negate())
				}
			case x.Op == token.MUL && w.ends[x.X]:
				st = st.with(x, drainIfTrue)
			case x.Op == token.MUL && w.localCell(x.X):
				if f := st.factOf(x.X); f != 0 {
					st = st.with(x, f)
				}
			}
		case *ssa.Store:
			if w.localCell(x.Addr) {
				st = st.with(x.Addr, st.factOf(x.Val)) // the variable now holds what the path knows of the value
			}
		case *ssa.Extract:
			if x.Index == 1 && w.drainsWhenFalse(x.Tuple, st) {
				st = st.with(x, drainIfFalse)
			}
		case *ssa.Select:
			mine := -1
			for j, sst := range x.States {
				if sst.Dir == types.RecvOnly && w.isChan(sst.Chan) {
					mine = j
				}
			}
			if len(x.States) == 0 && x.Blocking {
				return // select {}: never returns
			}
			if mine < 0 {
				continue
			}
			alts := make([]int, 0, len(x.States)+1)
			for j := range x.States {
				alts = append(alts, j)
			}
			if !x.Blocking {
				alts = append(alts, -1)
			}
			for _, j := range alts {
				next := st
				next.choices = make([]choice, 0, len(st.choices)+1)
				for _, ch := range st.choices {
					if ch.sel != x { // in a loop, the latest choice replaces the earlier one
						next.choices = append(next.choices, ch)
					}
				}
				next.choices = append(next.choices, choice{x, j})
				if j == mine {
					next.received++
				} else if j >= 0 && w.peers[peerKey(w.c.m.PathOf(w.fn, x.States[j].Chan))] {
					continue
				} else {
					next.via = w.c.describeCase(x, j)
				}
				w.walk(b, i+1, next)
			}
			return
		case ssa.CallInstruction:
			if _, isCall := x.(*ssa.Call); isCall && (w.c.m.NeverReturns(x.Common()) || neverReturns(x.Common()) || failsTest(x.Common())) {
				return
			}
			if e, ok := calls.Lookup(x.Common()); ok && e.Role == calls.Join && len(x.Common().Args) > 0 &&
				w.peers[peerKey(w.c.m.PathOf(w.fn, x.Common().Args[0]))] {
				st.drained = true // waited for the senders to finish
			}
		case *ssa.Panic:
			return
		case *ssa.Return:
			if !st.drained && (w.need == unbounded || st.received < w.need) {
				w.found = leakPath{ret: x.Pos(), via: st.via, received: st.received}
				if !w.found.ret.IsValid() {
					w.found.ret = endOf(w.fn)
				}
				w.ok = true
			}
			return
		case *ssa.If:
			w.branch(b, x, st)
			return
		}
	}
	if w.need != unbounded && st.received >= w.need {
		return // drained enough on this path
	}
	if w.need == unbounded {
		st.received = 0 // only closing matters
	}
	st.pred = b
	for _, s := range b.Succs {
		w.walk(s, 0, st)
	}
}

// drainsWhenFalse reports whether tuple is a receive from the channel (a
// comma-ok receive, or a select whose case on it the path took): its
// ok result false means the channel was seen closed.
func (w *walker) drainsWhenFalse(tuple ssa.Value, st walkState) bool {
	switch t := tuple.(type) {
	case *ssa.UnOp:
		return t.Op == token.ARROW && t.CommaOk && w.isChan(t.X)
	case *ssa.Select:
		for _, ch := range st.choices {
			if ch.sel == t && ch.idx >= 0 && w.isChan(t.States[ch.idx].Chan) {
				return true
			}
		}
	}
	return false
}

// branch follows an If, pruning the branches that contradict a select
// case already taken, and marking the channel drained on the "closed"
// branch of a comma-ok receive.
func (w *walker) branch(b *ssa.BasicBlock, x *ssa.If, st walkState) {
	if w.need != unbounded && st.received >= w.need {
		return
	}
	if w.need == unbounded {
		st.received = 0
	}
	st.pred = b
	then, els := st, st
	takeThen, takeElse := true, true
	// What the path knows about the condition, and what taking each
	// branch teaches it.
	cf := st.factOf(x.Cond)
	var subject ssa.Value // x in x != nil, x == nil
	subjectTrue := true   // the then branch means subject is not nil
	if bin, ok := x.Cond.(*ssa.BinOp); ok && (bin.Op == token.NEQ || bin.Op == token.EQL) && isNil(bin.Y) {
		subject, subjectTrue = bin.X, bin.Op == token.NEQ
		sf := st.factOf(bin.X)
		if !subjectTrue {
			sf = sf.negate()
		}
		cf |= sf
	}
	if cf&isTrue != 0 {
		takeElse = false
	}
	if cf&isFalse != 0 {
		takeThen = false
	}
	if cf&drainIfTrue != 0 {
		then.drained = true
	}
	if cf&drainIfFalse != 0 {
		els.drained = true
	}
	then = then.with(x.Cond, isTrue|(cf&(drainIfTrue|drainIfFalse)))
	els = els.with(x.Cond, isFalse|(cf&(drainIfTrue|drainIfFalse)))
	if subject != nil {
		keep := st.factOf(subject) & (drainIfTrue | drainIfFalse)
		if subjectTrue {
			then, els = then.with(subject, isTrue|keep), els.with(subject, isFalse|keep)
		} else {
			then, els = then.with(subject, isFalse|keep), els.with(subject, isTrue|keep)
		}
	}
	switch cond := x.Cond.(type) {
	case *ssa.BinOp:
		if w.errs[cond.X] && isNil(cond.Y) {
			// if err != nil: the generator failed and started nothing.
			if cond.Op == token.NEQ {
				takeThen = false
			} else if cond.Op == token.EQL {
				takeElse = false
			}
		}
		if sel, k, ok := ssautil.SelectTest(cond); ok {
			for _, ch := range st.choices {
				if ch.sel == sel {
					takeThen, takeElse = ch.idx == k, ch.idx != k
				}
			}
		}
	case *ssa.Extract:
		if cond.Index == 1 {
			switch t := cond.Tuple.(type) {
			case *ssa.UnOp:
				if t.Op == token.ARROW && w.isChan(t.X) {
					els.drained = true
				}
			case *ssa.Select:
				for _, ch := range st.choices {
					if ch.sel == t && ch.idx >= 0 && w.isChan(t.States[ch.idx].Chan) {
						els.drained = true
					}
				}
			}
		}
	}
	if takeThen {
		w.walk(b.Succs[0], 0, then)
	}
	if takeElse {
		w.walk(b.Succs[1], 0, els)
	}
}

// isNil reports whether v is the constant nil.
func isNil(v ssa.Value) bool {
	k, ok := v.(*ssa.Const)
	return ok && k.IsNil()
}

// describeCase names the select case taken instead of the receive.
func (c *checker) describeCase(sel *ssa.Select, j int) string {
	if j < 0 {
		return "select default"
	}
	ch := sel.States[j].Chan
	if call, ok := ch.(*ssa.Call); ok {
		if calls.Is(&call.Call, "time.After", "time.Tick") {
			return "timeout"
		}
		if calls.Is(&call.Call, "(context.Context).Done") {
			return "ctx.Done()"
		}
	}
	if f := fieldOf(ch); f != nil && f.Name() == "C" && calls.InPkg(f, "time") {
		return "timeout"
	}
	if e := c.caseExpr(sel.States[j].Pos); e != "" {
		return "case " + e
	}
	if sel.States[j].Dir == types.SendOnly {
		return "a send case"
	}
	return "another select case"
}

// caseExpr renders the communication of a select case, given the
// position of its arrow.
func (c *checker) caseExpr(arrow token.Pos) string {
	if !arrow.IsValid() {
		return ""
	}
	for _, f := range c.pass.Files {
		if f.FileStart <= arrow && arrow < f.FileEnd {
			path, _ := astutil.PathEnclosingInterval(f, arrow, arrow+1)
			for _, n := range path {
				switch n := n.(type) {
				case *ast.UnaryExpr:
					if n.Op == token.ARROW {
						return "<-" + types.ExprString(n.X)
					}
				case *ast.SendStmt:
					return types.ExprString(n.Chan) + " <- ..."
				case ast.Stmt:
					return ""
				}
			}
		}
	}
	return ""
}

// neverReturns reports calls after which the function never returns
// normally, so paths through them are not escaping paths.
func neverReturns(c *ssa.CallCommon) bool {
	return calls.Is(c, "os.Exit", "runtime.Goexit",
		"log.Fatal", "log.Fatalf", "log.Fatalln", "log.Panic", "log.Panicf", "log.Panicln",
		"(*log.Logger).Fatal", "(*log.Logger).Fatalf", "(*log.Logger).Fatalln",
		"(*testing.common).Fatal", "(*testing.common).Fatalf", "(*testing.common).FailNow",
		"(*testing.common).Skip", "(*testing.common).Skipf", "(*testing.common).SkipNow",
		"(testing.TB).Fatal", "(testing.TB).Fatalf", "(testing.TB).FailNow",
		"(testing.TB).Skip", "(testing.TB).Skipf", "(testing.TB).SkipNow")
}

// failsTest reports calls that mark the test failed. A path through one
// leaks only once the test has already failed, which is reported anyway:
// it is not a grade 1 leak.
func failsTest(c *ssa.CallCommon) bool {
	return calls.Is(c, "(*testing.common).Error", "(*testing.common).Errorf", "(*testing.common).Fail",
		"(testing.TB).Error", "(testing.TB).Errorf", "(testing.TB).Fail")
}

func endOf(fn *ssa.Function) token.Pos {
	if syn := fn.Syntax(); syn != nil {
		return syn.End() - 1
	}
	return fn.Pos()
}

// leakMessage says which send blocks, where the spawner gives up, and
// the fix.
func (c *checker) leakMessage(name string, s senders, size int, leak leakPath, fn *ssa.Function) string {
	spawner := funcName(fn)
	sendAt := c.where(s.send.instr.Pos(), leak.ret)
	gone := fmt.Sprintf("%s returns at %s", spawner, c.where(leak.ret, leak.ret))
	if leak.again {
		gone = fmt.Sprintf("%s's loop goes round to a new %s at %s", spawner, name, c.where(leak.ret, leak.ret))
	}
	if s.sends == unbounded {
		why := "before " + name + " is closed"
		if leak.via != "" {
			why = leak.via + ", before " + name + " is closed"
		}
		return fmt.Sprintf("goroutine leaks: send on %s (%s) blocks forever once %s (%s); drain %s before returning, or select on ctx.Done() in the sender",
			name, sendAt, gone, why, name)
	}
	why := leak.via
	switch {
	case why != "" && leak.received > 0:
		why += fmt.Sprintf(", after %d of %d receives", leak.received, s.sends)
	case why != "":
	case leak.received == 0:
		why = "before receiving from " + name
	default:
		why = fmt.Sprintf("after %d of %d receives", leak.received, s.sends)
	}
	// The values that path leaves unreceived must all fit in the buffer.
	return fmt.Sprintf("goroutine leaks: send on %s (%s) blocks forever once %s (%s); give %s a buffer of %d, or select on ctx.Done()",
		name, sendAt, gone, why, name, s.sends-leak.received)
}

func funcName(fn *ssa.Function) string {
	top := ssautil.Root(fn)
	if top.Synthetic == "package initializer" {
		return "the func literal" // of a package-level variable's initializer
	}
	name := top.Name()
	if fn != top {
		name += "'s closure"
	}
	return name
}

// checkFanIn reports goroutines started in a loop that each send on an
// unbuffered channel that the spawner receives from a bounded number of
// times: all but the first senders block forever.
func (c *checker) checkFanIn(fn *ssa.Function, mc *ssa.MakeChan, name string, size int, u *usage, s senders) {
	// One receive: first result wins. Several receives in straight-line
	// code are usually counted to match a loop of known length.
	if size != 0 || s.sends == unbounded || len(u.recvs) != 1 {
		return
	}
	for _, o := range u.recvs {
		if c.inCycle(o.instr.Block()) {
			return // a drain loop
		}
	}
	c.leaked[s.last] = true
	c.r.Report(analysis.Diagnostic{
		Pos: s.last.Pos(),
		Message: fmt.Sprintf("goroutine leaks: goroutines started in a loop each send on %s (%s) but %s receives only one value (%s); the other senders block forever: give %s a buffer of one per goroutine",
			name, c.where(s.send.instr.Pos(), s.last.Pos()), funcName(fn), c.where(u.recvs[0].instr.Pos(), s.last.Pos()), name),
		Related: []analysis.RelatedInformation{
			{Pos: opPos(s.send.instr), Message: "the send that blocks"},
			{Pos: opPos(u.recvs[0].instr), Message: "the only receive"},
			{Pos: mc.Pos(), Message: name + " is made here"},
		},
	})
}

// checkUnclosedRange reports a goroutine ranging over a channel that
// nothing ever closes: it blocks forever once the spawner stops sending.
func (c *checker) checkUnclosedRange(fn *ssa.Function, mc *ssa.MakeChan, u *usage) bool {
	if len(u.closes) > 0 {
		return false
	}
	for _, o := range u.recvs {
		if o.actor == nil || !o.commaOk || o.guard || o.actor.Parent() != fn {
			continue
		}
		if _, ok := o.instr.(*ssa.UnOp); !ok || !c.inCycle(o.instr.Block()) {
			continue
		}
		if !c.returnsAfter(o.actor) {
			continue // a spawner that never returns keeps feeding it
		}
		// v, ok := <-ch in a loop: the range idiom, which ends only when
		// the channel is closed.
		name := c.chanName(mc.Pos())
		c.leaked[o.actor] = true
		c.r.Report(analysis.Diagnostic{
			Pos: o.actor.Pos(),
			Message: fmt.Sprintf("goroutine leaks: it ranges over %s (%s) but nothing closes %s, so it blocks forever once %s stops sending; close(%s) after the last send",
				name, c.where(o.instr.Pos(), o.actor.Pos()), name, funcName(fn), name),
			Related: []analysis.RelatedInformation{
				{Pos: opPos(o.instr), Message: "the receive that blocks"},
				{Pos: mc.Pos(), Message: name + " is made here, and never closed"},
			},
		})
		return true
	}
	return false
}

// returnsAfter reports whether a return is reachable from instr.
func (c *checker) returnsAfter(instr ssa.Instruction) bool {
	b := instr.Block()
	r := c.reachIn(b.Parent())
	for _, x := range b.Parent().Blocks {
		if _, ok := x.Instrs[len(x.Instrs)-1].(*ssa.Return); ok && (x == b || r.Reaches(b, x)) {
			return true
		}
	}
	return false
}

// chanName names the variable a make(chan) or generator call at lparen is
// assigned to.
func (c *checker) chanName(lparen token.Pos) string {
	if call, path := c.callAt(lparen); call != nil {
	outer:
		for _, n := range path[1:] {
			switch p := n.(type) {
			case *ast.AssignStmt:
				for i, rhs := range p.Rhs {
					if rhs == call && i < len(p.Lhs) {
						return types.ExprString(p.Lhs[i])
					}
				}
				if len(p.Rhs) == 1 && len(p.Lhs) > 0 {
					return types.ExprString(p.Lhs[0])
				}
			case *ast.ValueSpec:
				for i, v := range p.Values {
					if v == call && i < len(p.Names) {
						return p.Names[i].Name
					}
				}
			case *ast.KeyValueExpr:
				return types.ExprString(p.Key)
			}
			if _, ok := n.(ast.Stmt); ok {
				break outer
			}
		}
	}
	return "the channel"
}

func (c *checker) callAt(lparen token.Pos) (*ast.CallExpr, []ast.Node) {
	for _, f := range c.pass.Files {
		if f.FileStart <= lparen && lparen < f.FileEnd {
			path, _ := astutil.PathEnclosingInterval(f, lparen, lparen+1)
			for _, n := range path {
				if call, ok := n.(*ast.CallExpr); ok && call.Lparen == lparen {
					return call, path
				}
			}
		}
	}
	return nil, nil
}

// bufferFix turns make(chan T) into make(chan T, 1).
func (c *checker) bufferFix(mc *ssa.MakeChan, name string) []analysis.SuggestedFix {
	call, _ := c.callAt(mc.Pos())
	if call == nil || len(call.Args) != 1 {
		return nil
	}
	return []analysis.SuggestedFix{{
		Message:   "give " + name + " a buffer of 1",
		TextEdits: []analysis.TextEdit{{Pos: call.Rparen, End: call.Rparen, NewText: []byte(", 1")}},
	}}
}
