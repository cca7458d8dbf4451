package leakedgoroutine

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/concurrency"
	"github.com/futlint/futlint/internal/ssautil"
)

// An op is one channel operation on a tracked channel.
type op struct {
	instr   ssa.Instruction // *ssa.Send, *ssa.UnOp (<-), *ssa.Select, or the close call
	fn      *ssa.Function
	actor   *ssa.Go // the goroutine performing it; nil for the spawner
	guard   bool    // in a select with another case or a default: never blocks forever on this channel alone
	commaOk bool    // a receive that tells a closed channel apart (v, ok := <-ch; range ch)
	weight  int     // sends it stands for, for a helper's call (0: one); unbounded: a loop of them
}

// usage is every operation on one channel value, followed from the
// function that owns it into the goroutines and closures it is handed to.
type usage struct {
	sends, recvs, closes []op
	goroutines           []*ssa.Go // go statements the channel is handed to
	escapes              bool      // stored, passed to an unknown call, ...: we cannot see every user
	returned             bool      // returned by the owner (a generator)
	aliases              map[ssa.Value]bool
	made                 ssa.Instruction // the make(chan) or call making it, if it is one
}

// aliasing is the state of one channelUsage walk; fns maps each function
// body reached to the goroutine running it (nil: the spawner).
type aliasing struct {
	u     *usage
	seen  map[ssa.Value]bool
	fns   map[*ssa.Function]*ssa.Go
	owner *ssa.Function

	// deep also follows the channel into the package's functions called
	// synchronously (by name, or through a function value resolved to
	// one), closures handed to calls that only call them, and captured
	// variables a closure assigns it to. Set by channelUsageDeep.
	deep bool
	m    *concurrency.Model
	via  map[*ssa.Function]ssa.CallInstruction // deep: the call a callee was entered through (nil: more than one)
}

// channelUsage follows ch, a channel value in owner, through every alias
// (direction conversions, captured variables, closure bindings, goroutine
// arguments) and records what each actor does with it.
func channelUsage(owner *ssa.Function, ch ssa.Value) *usage {
	a := &aliasing{u: new(usage), seen: make(map[ssa.Value]bool), fns: map[*ssa.Function]*ssa.Go{owner: nil}, owner: owner}
	switch x := ch.(type) {
	case *ssa.MakeChan:
		a.u.made = x
	case *ssa.Call:
		a.u.made = x
	case *ssa.Extract:
		if call, ok := x.Tuple.(*ssa.Call); ok {
			a.u.made = call
		}
	}
	if cell, ok := ch.(*ssa.Alloc); ok {
		a.followCell(cell, owner, nil)
	} else {
		a.follow(ch, owner, nil)
	}
	a.u.aliases = a.seen
	return a.u
}

// channelUsageDeep is channelUsage that also follows the channel through
// the package's synchronous calls, function values and captured
// variables (the aliasing.deep fields): what it sees escape, everything
// the channel reaches is in the package and seen.
func channelUsageDeep(m *concurrency.Model, owner *ssa.Function, ch ssa.Value) *usage {
	a := &aliasing{u: new(usage), seen: make(map[ssa.Value]bool), fns: map[*ssa.Function]*ssa.Go{owner: nil}, owner: owner, deep: true, m: m, via: make(map[*ssa.Function]ssa.CallInstruction)}
	a.follow(ch, owner, nil)
	a.u.aliases = a.seen
	return a.u
}

func (a *aliasing) follow(v ssa.Value, fn *ssa.Function, actor *ssa.Go) {
	if a.seen[v] {
		return
	}
	a.seen[v] = true
	refs := v.Referrers()
	if refs == nil {
		return
	}
	for _, ref := range *refs {
		a.use(v, ref, fn, actor)
	}
}

func (a *aliasing) use(v ssa.Value, ref ssa.Instruction, fn *ssa.Function, actor *ssa.Go) {
	u := a.u
	switch r := ref.(type) {
	case *ssa.DebugRef:
	case *ssa.ChangeType:
		a.follow(r, fn, actor)
	case *ssa.BinOp:
		// comparison with nil
		if r.Op != token.EQL && r.Op != token.NEQ {
			u.escapes = true
		}
	case *ssa.Send:
		if r.Chan == v && r.X != v {
			u.sends = append(u.sends, op{instr: r, fn: fn, actor: actor})
		} else {
			u.escapes = true
		}
	case *ssa.UnOp:
		if r.Op == token.ARROW {
			u.recvs = append(u.recvs, op{instr: r, fn: fn, actor: actor, commaOk: r.CommaOk})
		} else {
			u.escapes = true
		}
	case *ssa.Select:
		guard := !r.Blocking || len(r.States) > 1
		for _, st := range r.States {
			if st.Chan != v {
				if st.Send == v {
					u.escapes = true
				}
				continue
			}
			o := op{instr: r, fn: fn, actor: actor, guard: guard}
			if st.Dir == types.RecvOnly {
				o.commaOk = true // the select's recvOk tells a closed channel apart
				u.recvs = append(u.recvs, o)
			} else {
				u.sends = append(u.sends, o)
			}
		}
	case *ssa.Store:
		if fv, ok := r.Addr.(*ssa.FreeVar); ok && a.deep && r.Val == v {
			a.followAssigned(fv)
			return
		}
		cell, ok := r.Addr.(*ssa.Alloc)
		if !ok || r.Val != v || ssautil.SingleStore(cell) != r {
			u.escapes = true
			return
		}
		a.followCell(cell, fn, actor)
	case *ssa.MakeClosure:
		a.followBinding(v, r, fn, actor, false)
	case *ssa.Return:
		if fn == a.owner {
			u.returned = true
		} else {
			u.escapes = true
		}
	case ssa.CallInstruction:
		a.followCall(v, r, fn, actor)
	default:
		u.escapes = true
	}
}

// followCell follows the loads of a captured variable holding the channel.
func (a *aliasing) followCell(cell ssa.Value, fn *ssa.Function, actor *ssa.Go) {
	if a.seen[cell] {
		return
	}
	a.seen[cell] = true
	for _, ref := range *cell.Referrers() {
		switch r := ref.(type) {
		case *ssa.DebugRef:
		case *ssa.Store:
			if _, ok := cell.(*ssa.Alloc); !ok && !(a.deep && (a.seen[r.Val] || isNil(r.Val))) {
				a.u.escapes = true // a closure assigns the captured variable
			}
		case *ssa.UnOp:
			if r.Op == token.MUL {
				a.follow(r, fn, actor)
			} else {
				a.u.escapes = true
			}
		case *ssa.MakeClosure:
			a.followBinding(cell, r, fn, actor, true)
		default:
			a.u.escapes = true
		}
	}
}

// followBinding follows a channel (or a cell holding one) captured by a
// closure, into the goroutine or deferred/immediate call that runs it.
func (a *aliasing) followBinding(v ssa.Value, mc *ssa.MakeClosure, fn *ssa.Function, actor *ssa.Go, cell bool) {
	callee, ok := mc.Fn.(*ssa.Function)
	if !ok || callee.Blocks == nil {
		a.u.escapes = true
		return
	}
	type use struct {
		val ssa.Value // mc, or (deep) its conversion to a named func type
		ref ssa.Instruction
	}
	var uses []use
	for _, ref := range *mc.Referrers() {
		if ct, ok := ref.(*ssa.ChangeType); ok && a.deep {
			for _, r2 := range *ct.Referrers() {
				uses = append(uses, use{ct, r2})
			}
			continue
		}
		uses = append(uses, use{mc, ref})
	}
	for _, us := range uses {
		switch r := us.ref.(type) {
		case *ssa.DebugRef:
			continue
		case *ssa.Go:
			if r.Call.Value != us.val {
				a.u.escapes = true
				return
			}
			a.u.goroutines = append(a.u.goroutines, r)
			a.enter(callee, r)
		case ssa.CallInstruction:
			if r.Common().Value != us.val {
				if a.deep && a.callsOnlySync(r, us.val) {
					a.enter(callee, actor)
					continue
				}
				a.u.escapes = true
				return
			}
			a.enter(callee, actor)
		default:
			a.u.escapes = true
			return
		}
	}
	for _, fv := range ssautil.BoundTo(mc, v) {
		if cell {
			a.followCell(fv, callee, a.fns[callee])
		} else {
			a.follow(fv, callee, a.fns[callee])
		}
	}
}

func (a *aliasing) enter(fn *ssa.Function, actor *ssa.Go) {
	if prev, ok := a.fns[fn]; ok && prev != actor {
		// One closure body run by two actors: we cannot tell them apart.
		a.u.escapes = true
	}
	a.fns[fn] = actor
}

// followCall handles the channel as an argument: close, len and cap are
// operations; a goroutine started on a function of this package is
// followed into its parameter; anything else is an escape.
func (a *aliasing) followCall(v ssa.Value, call ssa.CallInstruction, fn *ssa.Function, actor *ssa.Go) {
	c := call.Common()
	if b, ok := c.Value.(*ssa.Builtin); ok {
		switch b.Name() {
		case "close":
			a.u.closes = append(a.u.closes, op{instr: call, fn: fn, actor: actor})
			return
		case "len", "cap":
			return
		}
		a.u.escapes = true
		return
	}
	if c.Value == v {
		a.u.escapes = true
		return
	}
	g, isGo := call.(*ssa.Go)
	callee := c.StaticCallee()
	if a.deep && !isGo && !c.IsInvoke() {
		if callee == nil {
			callee = a.funcValue(c.Value, 0)
		}
		if callee != nil && callee.Blocks != nil && callee.Pkg == a.owner.Pkg && len(callee.Params) == len(c.Args) {
			a.enter(callee, actor)
			if prev, ok := a.via[callee]; ok && prev != call {
				a.via[callee] = nil
			} else {
				a.via[callee] = call
			}
			for i, arg := range c.Args {
				if arg == v {
					a.follow(callee.Params[i], callee, actor)
				}
			}
			return
		}
	}
	if !isGo && !c.IsInvoke() && callee != nil && callee.Blocks != nil && len(callee.Params) == len(c.Args) {
		// A helper given the channel that only sends on it (and may
		// close it): its call stands for its sends.
		for i, arg := range c.Args {
			if arg != v {
				continue
			}
			n, closes, ok := helperSends(callee, callee.Params[i])
			if !ok {
				a.u.escapes = true
				return
			}
			if n != 0 {
				a.u.sends = append(a.u.sends, op{instr: call, fn: fn, actor: actor, weight: n})
			}
			if closes {
				a.u.closes = append(a.u.closes, op{instr: call, fn: fn, actor: actor})
			}
		}
		return
	}
	if !isGo || c.IsInvoke() || callee == nil || callee.Blocks == nil || len(callee.Params) != len(c.Args) {
		a.u.escapes = true
		return
	}
	a.u.goroutines = append(a.u.goroutines, g)
	a.enter(callee, g)
	for i, arg := range c.Args {
		if arg == v {
			a.follow(callee.Params[i], callee, g)
		}
	}
}

// helperSends reports what fn does with its channel parameter p when it
// only sends on it and closes it: the most sends on one path (unbounded
// for a send in a loop) and whether it closes it; ok is false for any
// other use.
func helperSends(fn *ssa.Function, p *ssa.Parameter) (n int, closes, ok bool) {
	weight := make(map[*ssa.BasicBlock]int)
	var uses func(v ssa.Value) bool
	uses = func(v ssa.Value) bool {
		for _, ref := range *v.Referrers() {
			switch r := ref.(type) {
			case *ssa.DebugRef:
			case *ssa.ChangeType:
				if !uses(r) {
					return false
				}
			case *ssa.Send:
				if r.Chan != v || r.X == v {
					return false
				}
				weight[r.Block()]++
			case *ssa.Call:
				if closedChan(&r.Call) != nil {
					closes = true
					continue
				}
				return false
			default:
				return false
			}
		}
		return true
	}
	if !uses(p) {
		return 0, false, false
	}
	reach := ssautil.NewReach(fn)
	for b, w := range weight {
		if w > 0 && reach.InCycle(b) {
			return unbounded, closes, true
		}
	}
	best := make([]int, len(fn.Blocks))
	state := make([]uint8, len(fn.Blocks))
	var visit func(b *ssa.BasicBlock) int
	visit = func(b *ssa.BasicBlock) int {
		switch state[b.Index] {
		case 1:
			return 0
		case 2:
			return best[b.Index]
		}
		state[b.Index] = 1
		m := 0
		for _, s := range b.Succs {
			m = max(m, visit(s))
		}
		state[b.Index] = 2
		best[b.Index] = weight[b] + m
		return best[b.Index]
	}
	return visit(fn.Blocks[0]), closes, true
}

// followAssigned follows a captured variable a closure assigns the
// channel to (doneCh = done) into the enclosing function's variable,
// when every other value stored into it is nil.
func (a *aliasing) followAssigned(fv *ssa.FreeVar) {
	var cell ssa.Value = fv
	for {
		f, ok := cell.(*ssa.FreeVar)
		if !ok {
			break
		}
		if cell = ssautil.Binding(f); cell == nil {
			a.u.escapes = true
			return
		}
	}
	alloc, ok := cell.(*ssa.Alloc)
	if !ok {
		a.u.escapes = true
		return
	}
	for _, ref := range *alloc.Referrers() {
		if st, ok := ref.(*ssa.Store); ok && st.Addr == alloc && !isNil(st.Val) {
			a.u.escapes = true // set to something else too
			return
		}
	}
	a.followCell(alloc, alloc.Parent(), a.fns[alloc.Parent()])
}

// callsOnlySync reports whether call hands the closure mc (or its
// conversion) to a function
// of the package that only calls it before returning.
func (a *aliasing) callsOnlySync(call ssa.CallInstruction, mc ssa.Value) bool {
	if _, isGo := call.(*ssa.Go); isGo {
		return false
	}
	cc := call.Common()
	callee := cc.StaticCallee()
	if callee == nil || callee.Pkg != a.owner.Pkg || cc.Value == mc {
		return false
	}
	s := a.m.Summary(callee)
	if s == nil {
		return false
	}
	for i, arg := range cc.Args {
		if arg == mc && s.ParamUse(i) != concurrency.CalledSync {
			return false
		}
	}
	return true
}

// funcValue resolves a called function value to the package's function
// it always is: a closure or function (through parameters with one call
// site, or of a function the channel entered through one call, free variables and the variables they capture, when stored once,
// conversions), or the function every return of a
// called constructor gives (func poller(...) WaitFunc { return func... }).
func (a *aliasing) funcValue(v ssa.Value, depth int) *ssa.Function {
	origin := ssautil.Walker{Follow: ssautil.Value | ssautil.Loads | ssautil.Cells, Sites: a.m.CallSites}.Origin(v)
	if p, ok := origin.(*ssa.Parameter); ok && depth <= 2 {
		// A parameter of a function the channel entered through one
		// call: the function value that call passes.
		if site := a.via[p.Parent()]; site != nil {
			for i, q := range p.Parent().Params {
				if q == p && i < len(site.Common().Args) {
					return a.funcValue(site.Common().Args[i], depth+1)
				}
			}
		}
		return nil
	}
	switch o := origin.(type) {
	case *ssa.Function:
		return o
	case *ssa.MakeClosure:
		fn, _ := o.Fn.(*ssa.Function)
		return fn
	case *ssa.Call:
		callee := o.Call.StaticCallee()
		if depth > 2 || callee == nil || callee.Pkg != a.owner.Pkg || callee.Signature.Results().Len() != 1 {
			return nil
		}
		var one *ssa.Function
		for _, b := range callee.Blocks {
			ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
			if !ok {
				continue
			}
			f := a.funcValue(ret.Results[0], depth+1)
			if f == nil || one != nil && f != one {
				return nil
			}
			one = f
		}
		return one
	}
	return nil
}
