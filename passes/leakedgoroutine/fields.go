package leakedgoroutine

import (
	"fmt"
	"go/token"
	"go/types"
	"sort"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/ssautil"
)

// Channels in struct fields. A channel field that only this package can
// reach (an unexported field, or any field in package main) has all its
// users in the package: every make stored in it, every send, receive and
// close on a value loaded from it, followed through locals, closures,
// calls, returns and direction conversions. When one side of the channel
// is missing everywhere, the other side blocks forever:
//
//   - a receive from a field nothing sends on or closes (or that is never
//     assigned: a nil channel);
//   - a send on an unbuffered field nothing receives from;
//   - a receive from an unbuffered field whose only sends are non-blocking
//     (select with default): a send that runs before the receive is
//     dropped, and the receive waits for a value that never comes.
//
// Only operations that block on that channel alone are reported: a select
// with another case or a default may take the other way.

// fieldChan is what the package does with the channels of one field.
type fieldChan struct {
	field    *types.Var
	sends    []ssa.Instruction // blocking sends on it alone
	recvs    []ssa.Instruction // blocking receives from it alone
	others   int               // sends and receives in a select with other cases
	nbSends  []ssa.Instruction // non-blocking sends (select with default)
	nbRecvs  int
	othersR  int           // receives in a select with other cases
	othersS  int           // sends in a select with other cases
	selRecv  []*ssa.Select // the selects of othersR and nbRecvs
	closes   int
	closeOps []ssa.CallInstruction // the close calls (and deferred closes)
	lens     bool                  // len or cap used: a buffered channel used as a counter
	escRecv  bool                  // code we do not see may receive from it
	escSend  bool                  // code we do not see may send on it or close it
	foreign  bool                  // assigned a channel made elsewhere
	caps     []int
	nilOnly  bool // never assigned a channel
	seen     map[ssa.Value]bool
	made     token.Pos // one make stored in it
}

// sizes returns the buffer sizes size can have: a constant, or a
// parameter of a function only this package calls, given a constant at
// every call (newWatcher(0, ...)); unknownCap otherwise.
func sizes(ix *fieldIndex, size ssa.Value) []int {
	if n, ok := constInt(size); ok {
		return []int{n}
	}
	p, ok := size.(*ssa.Parameter)
	if !ok || callable(ix, p.Parent()) || len(ix.calls[p.Parent()]) == 0 {
		return []int{unknownCap}
	}
	i := indexOfParam(p)
	var out []int
	for _, call := range ix.calls[p.Parent()] {
		args := call.Common().Args
		n, ok := 0, false
		if i >= 0 && i < len(args) {
			n, ok = constInt(args[i])
		}
		if !ok {
			return []int{unknownCap}
		}
		out = append(out, n)
	}
	return out
}

func indexOfParam(p *ssa.Parameter) int {
	for i, q := range p.Parent().Params {
		if q == p {
			return i
		}
	}
	return -1
}

const unknownCap = -1

// fieldIndex is the package's call graph for following channels through
// calls and returns.
type fieldIndex struct {
	calls   map[*ssa.Function][]ssa.CallInstruction // static calls of each function
	escaped map[*ssa.Function]bool                  // used as a value, not only called

	main         bool                   // package main: no other package calls into it
	viaInterface func(*types.Func) bool // the method may be called through an interface value
}

func (c *checker) buildFieldIndex(funcs []*ssa.Function) *fieldIndex {
	ix := &fieldIndex{calls: make(map[*ssa.Function][]ssa.CallInstruction), escaped: make(map[*ssa.Function]bool),
		main: c.pass.Pkg.Name() == "main", viaInterface: c.viaInterface}
	var ops []*ssa.Value
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				call, isCall := instr.(ssa.CallInstruction)
				for i, p := range instr.Operands(ops[:0]) {
					f, ok := (*p).(*ssa.Function)
					if !ok {
						continue
					}
					if isCall && i == 0 && call.Common().Value == f {
						ix.calls[f] = append(ix.calls[f], call)
						continue
					}
					if mc, ok := instr.(*ssa.MakeClosure); ok && mc.Fn == f {
						continue // closures: followed through their bindings
					}
					ix.escaped[f] = true
				}
			}
		}
	}
	return ix
}

// checkFieldChannels reports operations on channel fields that can never
// complete.
func (c *checker) checkFieldChannels(funcs []*ssa.Function) {
	ix := c.buildFieldIndex(funcs)
	byField := make(map[*types.Var]*fieldChan)
	get := func(f *types.Var) *fieldChan {
		fc := byField[f]
		if fc == nil {
			fc = &fieldChan{field: f, seen: make(map[ssa.Value]bool), nilOnly: true}
			byField[f] = fc
		}
		return fc
	}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				var f *types.Var
				switch x := instr.(type) {
				case *ssa.FieldAddr:
					f = fieldOfAddr(x)
				case *ssa.Field:
					f = fieldVar(x.X.Type(), x.Field)
				default:
					continue
				}
				if f == nil {
					continue
				}
				f = f.Origin() // one field for every instance of a generic type
				if !c.ownChanField(f) {
					continue
				}
				fc := get(f)
				v := instr.(ssa.Value)
				if fa, ok := v.(*ssa.FieldAddr); ok {
					fc.addr(c, ix, fa)
				} else {
					fc.follow(c, ix, v)
				}
			}
		}
	}
	fields := make([]*fieldChan, 0, len(byField))
	for _, fc := range byField {
		fields = append(fields, fc)
	}
	sort.Slice(fields, func(i, j int) bool { return fields[i].field.Pos() < fields[j].field.Pos() })
	for _, fc := range fields {
		c.reportField(fc)
		c.reportAbandoned(fc) // protocol.go
		c.reportDeadStop(fc)
		c.reportSink(fc)
		c.reportLockedWait(fc)
		c.reportPolledLockedSend(fc) // lockedsend.go
	}
}

// ownChanField reports whether f is a channel field that only this
// package can reach.
func (c *checker) ownChanField(f *types.Var) bool {
	if _, ok := f.Type().Underlying().(*types.Chan); !ok {
		return false
	}
	if f.Pkg() != c.pass.Pkg {
		return false
	}
	return !f.Exported() || c.pass.Pkg.Name() == "main"
}

// addr handles the address of the field: stores into it, loads from it.
func (fc *fieldChan) addr(c *checker, ix *fieldIndex, fa *ssa.FieldAddr) {
	for _, ref := range *fa.Referrers() {
		switch r := ref.(type) {
		case *ssa.DebugRef:
		case *ssa.Store:
			if r.Addr != fa {
				fc.escape(r.Val.Type())
				continue
			}
			switch v := r.Val.(type) {
			case *ssa.MakeChan:
				fc.nilOnly = false
				if !fc.made.IsValid() {
					fc.made = v.Pos()
				}
				fc.caps = append(fc.caps, sizes(ix, v.Size)...)
				fc.follow(c, ix, v)
			case *ssa.Const:
				// nil
			default:
				fc.nilOnly = false
				fc.foreign = true
			}
		case *ssa.UnOp:
			if r.Op == token.MUL {
				fc.follow(c, ix, r)
			} else {
				fc.escape(fa.Type())
			}
		default:
			// &s.ch handed on: anything may happen to it.
			fc.foreign = true
		}
	}
}

// escape records that the channel, with static type t, reaches code we do
// not see; its direction says what that code can do with it.
func (fc *fieldChan) escape(t types.Type) {
	ch, ok := t.Underlying().(*types.Chan)
	if !ok {
		fc.escRecv, fc.escSend = true, true
		return
	}
	switch ch.Dir() {
	case types.RecvOnly:
		fc.escRecv = true
	case types.SendOnly:
		fc.escSend = true
	default:
		fc.escRecv, fc.escSend = true, true
	}
}

// callable reports whether fn may be called by code we do not see: an
// exported function or method (none in package main), a function used as
// a value, a closure, or a method an interface value may call (an
// unexported method is reachable from outside only that way).
func callable(ix *fieldIndex, fn *ssa.Function) bool {
	if ix.escaped[fn] || fn.Parent() != nil {
		return true
	}
	obj, ok := fn.Object().(*types.Func)
	if !ok {
		return true
	}
	if obj.Signature().Recv() != nil && (ix.main || !obj.Exported()) {
		return ix.viaInterface(obj)
	}
	return obj.Exported() && !ix.main
}

// follow records the uses of v, a channel value of the field.
func (fc *fieldChan) follow(c *checker, ix *fieldIndex, v ssa.Value) {
	if fc.seen[v] {
		return
	}
	fc.seen[v] = true
	refs := v.Referrers()
	if refs == nil {
		return
	}
	for _, ref := range *refs {
		switch r := ref.(type) {
		case *ssa.DebugRef:
		case *ssa.BinOp:
			if r.Op != token.EQL && r.Op != token.NEQ {
				fc.escape(v.Type())
			}
		case *ssa.ChangeType:
			fc.follow(c, ix, r)
		case *ssa.Convert:
			fc.follow(c, ix, r)
		case *ssa.Phi:
			fc.follow(c, ix, r)
		case *ssa.UnOp:
			switch r.Op {
			case token.ARROW:
				fc.recvs = append(fc.recvs, r)
			default:
				fc.escape(v.Type())
			}
		case *ssa.Send:
			if r.Chan == v && r.X != v {
				fc.sends = append(fc.sends, r)
			} else {
				fc.escape(v.Type())
			}
		case *ssa.Select:
			for _, st := range r.States {
				if st.Send == v {
					fc.escape(v.Type())
				}
				if st.Chan != v {
					continue
				}
				alone := r.Blocking && len(r.States) == 1
				switch {
				case st.Dir == types.RecvOnly && alone:
					fc.recvs = append(fc.recvs, r)
				case st.Dir == types.RecvOnly && !r.Blocking:
					fc.nbRecvs++
					fc.selRecv = append(fc.selRecv, r)
				case st.Dir == types.RecvOnly:
					fc.othersR++
					fc.selRecv = append(fc.selRecv, r)
				case alone:
					fc.sends = append(fc.sends, r)
				case !r.Blocking:
					fc.nbSends = append(fc.nbSends, r)
				default:
					fc.othersS++
				}
			}
		case *ssa.Store:
			if fa, ok := r.Addr.(*ssa.FieldAddr); ok && r.Val == v && fieldOfAddr(fa) != nil && fieldOfAddr(fa).Origin() == fc.field {
				continue // stored in the field itself
			}
			cell, ok := r.Addr.(*ssa.Alloc)
			if !ok || r.Val != v {
				fc.escape(v.Type())
				continue
			}
			fc.cell(c, ix, cell)
		case *ssa.MakeClosure:
			for _, fv := range ssautil.BoundTo(r, v) {
				fc.follow(c, ix, fv)
			}
		case *ssa.Return:
			fn := r.Parent()
			if callable(ix, fn) {
				fc.escape(v.Type())
			}
			for i, res := range r.Results {
				if res != v {
					continue
				}
				for _, call := range ix.calls[fn] {
					cv := call.Value()
					if cv == nil {
						continue
					}
					if len(r.Results) == 1 {
						fc.follow(c, ix, cv)
						continue
					}
					for _, x := range *cv.Referrers() {
						if ex, ok := x.(*ssa.Extract); ok && ex.Index == i {
							fc.follow(c, ix, ex)
						}
					}
				}
			}
		case ssa.CallInstruction:
			fc.call(c, ix, v, r)
		default:
			fc.escape(v.Type())
		}
	}
}

// cell follows a local variable holding the channel.
func (fc *fieldChan) cell(c *checker, ix *fieldIndex, cell ssa.Value) {
	if fc.seen[cell] {
		return
	}
	fc.seen[cell] = true
	for _, ref := range *cell.Referrers() {
		switch r := ref.(type) {
		case *ssa.DebugRef, *ssa.Store:
		case *ssa.UnOp:
			if r.Op == token.MUL {
				fc.follow(c, ix, r)
			} else {
				fc.escape(cell.Type().Underlying().(*types.Pointer).Elem())
			}
		case *ssa.MakeClosure:
			for _, fv := range ssautil.BoundTo(r, cell) {
				fc.cell(c, ix, fv)
			}
		default:
			fc.escRecv, fc.escSend = true, true
		}
	}
}

// call handles the channel as a call's argument.
func (fc *fieldChan) call(c *checker, ix *fieldIndex, v ssa.Value, call ssa.CallInstruction) {
	cc := call.Common()
	if b, ok := cc.Value.(*ssa.Builtin); ok {
		switch b.Name() {
		case "close":
			fc.closes++
			fc.closeOps = append(fc.closeOps, call)
		case "len", "cap":
			fc.lens = true
		default:
			fc.escape(v.Type())
		}
		return
	}
	if cc.Value == v {
		fc.escape(v.Type())
		return
	}
	callee := cc.StaticCallee()
	if cc.IsInvoke() || callee == nil || callee.Blocks == nil || callee.Pkg == nil || callee.Pkg.Pkg != c.pass.Pkg || len(callee.Params) != len(cc.Args) {
		fc.escape(v.Type())
		return
	}
	for i, a := range cc.Args {
		if a == v {
			fc.follow(c, ix, callee.Params[i])
		}
	}
}

func (c *checker) reportField(fc *fieldChan) {
	if fc.foreign {
		return
	}
	name := fc.field.Name()
	if owner := fieldOwner(fc.field); owner != "" {
		name = owner + "." + name
	}
	unbuffered := true
	for _, n := range fc.caps {
		if n != 0 {
			unbuffered = false
		}
	}
	related := func(r ssa.Instruction) []analysis.RelatedInformation {
		var rel []analysis.RelatedInformation
		if g := c.goOf(r.Parent()); g != nil {
			rel = append(rel, analysis.RelatedInformation{Pos: g.Pos(), Message: "the goroutine that blocks"})
		}
		if fc.made.IsValid() {
			rel = append(rel, analysis.RelatedInformation{Pos: fc.made, Message: "the channel is made here"})
		} else {
			rel = append(rel, analysis.RelatedInformation{Pos: fc.field.Pos(), Message: "the field, never assigned"})
		}
		return rel
	}
	never := ""
	if fc.nilOnly {
		never = fmt.Sprintf(" (%s is never assigned a channel: it is nil)", name)
	}
	// Nothing ever sends on or closes it.
	if len(fc.sends)+len(fc.nbSends)+fc.othersS == 0 && fc.closes == 0 && !fc.escSend {
		for _, r := range fc.recvs {
			c.reportOnce(r, analysis.Diagnostic{
				Pos:     opPos(r),
				Message: fmt.Sprintf("goroutine leaks: this receive from %s blocks forever: nothing sends on or closes %s%s", name, name, never),
				Related: related(r),
			})
		}
	}
	// Nothing ever receives from it.
	if len(fc.recvs)+fc.nbRecvs+fc.othersR == 0 && !fc.escRecv && !fc.lens && (unbuffered || fc.nilOnly) {
		for _, s := range fc.sends {
			c.reportOnce(s, analysis.Diagnostic{
				Pos:     opPos(s),
				Message: fmt.Sprintf("goroutine leaks: this send on %s blocks forever: nothing receives from %s%s", name, name, never),
				Related: related(s),
			})
		}
	}
	// Only non-blocking sends, on an unbuffered channel never closed.
	if len(fc.sends)+fc.othersS == 0 && len(fc.nbSends) > 0 && fc.closes == 0 && !fc.escSend && unbuffered && !fc.nilOnly {
		for _, r := range fc.recvs {
			if c.inCycle(r.Block()) {
				continue // a later send may still come
			}
			c.reportOnce(r, analysis.Diagnostic{
				Pos: opPos(r),
				Message: fmt.Sprintf("goroutine leaks: this receive from %s can block forever: the only sends on %s are non-blocking (%s), so one that runs before the receive is dropped; give %s a buffer of 1",
					name, name, c.where(opPos(fc.nbSends[0]), opPos(r)), name),
				Related: append([]analysis.RelatedInformation{{Pos: opPos(fc.nbSends[0]), Message: "the non-blocking send"}}, related(r)...),
			})
		}
	}
}

// goOf returns a go statement whose goroutine runs fn (or the
// function fn is nested in), if the package has one. Callers are
// followed up to three calls.
func (c *checker) goOf(fn *ssa.Function) *ssa.Go {
	seen := make(map[*ssa.Function]bool)
	var find func(fn *ssa.Function, depth int) *ssa.Go
	find = func(fn *ssa.Function, depth int) *ssa.Go {
		for f := fn; f != nil; f = f.Parent() {
			if seen[f] {
				return nil
			}
			seen[f] = true
			for _, sp := range c.m.Spawns() {
				if g, ok := sp.Site.(*ssa.Go); ok && sp.Fn == f {
					return g
				}
			}
			if depth < 3 {
				for _, site := range c.m.CallSites(f) {
					if _, isGo := site.(*ssa.Go); isGo {
						continue
					}
					if g := find(site.Parent(), depth+1); g != nil {
						return g
					}
				}
			}
		}
		return nil
	}
	return find(fn, 0)
}

func (c *checker) reportOnce(instr ssa.Instruction, d analysis.Diagnostic) {
	if c.reported[instr] {
		return
	}
	if fn := instr.Parent(); processRoot(fn) && !isInit(fn) && fn.Synthetic == "" {
		return // blocking in main itself is a deadlock the runtime reports
	}
	if c.deadTestMethod(ssautil.Root(instr.Parent())) {
		return // a test double's method nothing can call: no goroutine runs it
	}
	c.reported[instr] = true
	c.r.Report(d)
}

// opPos is the position of a channel operation: the arrow.
func opPos(instr ssa.Instruction) token.Pos {
	if sel, ok := instr.(*ssa.Select); ok && len(sel.States) == 1 && sel.States[0].Pos.IsValid() {
		return sel.States[0].Pos
	}
	return instr.Pos()
}

// fieldOwner names the struct type declaring field f.
func fieldOwner(f *types.Var) string {
	scope := f.Pkg().Scope()
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok {
			continue
		}
		if s, ok := tn.Type().Underlying().(*types.Struct); ok {
			for i := range s.NumFields() {
				if s.Field(i) == f {
					return tn.Name()
				}
			}
		}
	}
	return ""
}
