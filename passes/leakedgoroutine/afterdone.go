package leakedgoroutine

import (
	"fmt"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/concurrency"
	"github.com/futlint/futlint/internal/ssautil"
)

// Draining after the context is done. A goroutine started on a select's
// ctx.Done() case receives, blocking, from the channels of a slice field
// whose every send is a select that gives up when that same context is
// done: once ctx is done a sender may take its ctx.Done() case instead of
// sending, and the receive waits forever.
//
//	case <-ctxDone:
//		go func() { for _, ch := range r.chans { <-ch } }() // blocks
//	...
//	select { case ch <- true: case <-ctx.Done(): return }    // the senders
//
// The channels are the elements of an own field of type []chan T, used
// only by indexing (range) and channel operations; "the same context" is
// the same origin (m.Origin) for the senders' and the spawner's ctx.

type elemChans struct {
	field   *types.Var
	recvs   []*ssa.UnOp   // blocking receives from an element
	selSend []*ssa.Select // selects sending on an element
	blocked bool          // a send (or a select send) that cannot give up, a close
	escapes bool
}

func (c *checker) checkDrainAfterDone() {
	chanSlices := func(f *types.Var) *types.Var {
		if !c.ownField(f) {
			return nil
		}
		sl, ok := f.Type().Underlying().(*types.Slice)
		if !ok {
			return nil
		}
		if _, ok := sl.Elem().Underlying().(*types.Chan); !ok {
			return nil
		}
		return f
	}
	for _, g := range c.addressedFields(chanSlices) {
		ec := &elemChans{field: g.field}
		for _, fa := range g.addrs {
			ec.addr(fa)
		}
		c.reportDrainAfterDone(ec)
	}
}

func (ec *elemChans) addr(fa *ssa.FieldAddr) {
	for _, ref := range *fa.Referrers() {
		switch r := ref.(type) {
		case *ssa.DebugRef:
		case *ssa.Store:
			if r.Addr != fa {
				ec.escapes = true
			}
		case *ssa.UnOp:
			if r.Op != token.MUL {
				ec.escapes = true
				continue
			}
			ec.slice(r)
		default:
			ec.escapes = true
		}
	}
}

// slice follows a loaded value of the field.
func (ec *elemChans) slice(v ssa.Value) {
	for _, ref := range *v.Referrers() {
		switch r := ref.(type) {
		case *ssa.DebugRef:
		case *ssa.IndexAddr:
			for _, u := range *r.Referrers() {
				ld, ok := u.(*ssa.UnOp)
				if !ok || ld.Op != token.MUL {
					if _, dbg := u.(*ssa.DebugRef); !dbg {
						ec.escapes = true
					}
					continue
				}
				ec.elem(ld)
			}
		case *ssa.Call:
			b, ok := r.Call.Value.(*ssa.Builtin)
			switch {
			case ok && (b.Name() == "len" || b.Name() == "cap"):
			case ok && b.Name() == "append" && len(r.Call.Args) == 2 && r.Call.Args[0] == v && ec.appendsFresh(r):
			default:
				ec.escapes = true
			}
		default:
			ec.escapes = true // handed on, sliced: we stop here
		}
	}
}

// appendsFresh reports whether call, append(field, make(chan T)...), only
// adds channels made there and stores the result back in the field.
func (ec *elemChans) appendsFresh(call *ssa.Call) bool {
	for _, ref := range *call.Referrers() {
		st, ok := ref.(*ssa.Store)
		if !ok || st.Val != call {
			return false
		}
		fa, ok := st.Addr.(*ssa.FieldAddr)
		if !ok || fieldOfAddr(fa) != ec.field {
			return false
		}
	}
	sl, ok := call.Call.Args[1].(*ssa.Slice)
	if !ok {
		return false
	}
	arr, ok := sl.X.(*ssa.Alloc)
	if !ok {
		return false
	}
	for _, ref := range *arr.Referrers() {
		switch r := ref.(type) {
		case *ssa.Slice:
		case *ssa.IndexAddr:
			for _, u := range *r.Referrers() {
				st, ok := u.(*ssa.Store)
				if !ok || st.Addr != r {
					return false
				}
				if mc, ok := st.Val.(*ssa.MakeChan); !ok || len(*mc.Referrers()) != 1 {
					return false
				}
			}
		default:
			return false
		}
	}
	return true
}

// elem follows one element channel.
func (ec *elemChans) elem(e ssa.Value) {
	for _, ref := range *e.Referrers() {
		switch r := ref.(type) {
		case *ssa.DebugRef:
		case *ssa.UnOp:
			if r.Op == token.ARROW {
				ec.recvs = append(ec.recvs, r)
			} else {
				ec.escapes = true
			}
		case *ssa.Send:
			ec.blocked = true
		case *ssa.Select:
			for _, st := range r.States {
				if st.Send == e {
					ec.escapes = true
				}
				if st.Chan == e && st.Dir == types.SendOnly {
					ec.selSend = append(ec.selSend, r)
				}
			}
		case *ssa.Call:
			if closedChan(&r.Call) != nil {
				ec.blocked = true
				continue
			}
			ec.escapes = true
		default:
			ec.escapes = true
		}
	}
}

// doneCase returns the index of a receive case of sel on ctx.Done(), and
// the context.
func doneCase(sel *ssa.Select) (int, ssa.Value) {
	for j, st := range sel.States {
		if st.Dir != types.RecvOnly {
			continue
		}
		ch := st.Chan
		if ex, ok := ch.(*ssa.UnOp); ok && ex.Op == token.MUL {
			// ctxDone := ctx.Done() captured by a closure: a cell.
			if a, ok := ex.X.(*ssa.Alloc); ok {
				for _, r := range *a.Referrers() {
					if st, ok := r.(*ssa.Store); ok && st.Addr == a {
						ch = st.Val
					}
				}
			}
		}
		call, ok := ch.(*ssa.Call)
		if ok && call.Call.IsInvoke() && call.Call.Method.Name() == "Done" && concurrency.IsContext(call.Call.Value.Type()) {
			return j, call.Call.Value
		}
	}
	return -1, nil
}

func (c *checker) reportDrainAfterDone(ec *elemChans) {
	if ec.escapes || ec.blocked || len(ec.selSend) == 0 || len(ec.recvs) == 0 {
		return
	}
	var origin ssa.Value
	for _, sel := range ec.selSend {
		j, ctx := doneCase(sel)
		if j < 0 {
			return
		}
		body := ssautil.SelectCase(sel, j)
		if body == nil || !returnsAvoiding(body, sel.Block()) {
			return
		}
		o := c.m.Origin(ctx)
		if _, isParam := o.(*ssa.Parameter); isParam || origin != nil && o != origin {
			return // not one context we can name
		}
		origin = o
	}
	name := ec.field.Name()
	if owner := fieldOwner(ec.field); owner != "" {
		name = owner + "." + name
	}
	for _, r := range ec.recvs {
		g := c.startedOnDone(r.Parent(), origin)
		if g == nil {
			continue
		}
		sel := ec.selSend[0]
		c.reportOnce(r, analysis.Diagnostic{
			Pos: r.Pos(),
			Message: fmt.Sprintf("goroutine leaks: this receive from an element of %s blocks forever: the goroutine is started once ctx is done (%s), and every send on %s gives up when that ctx is done (%s), so the value may never come; receive only what was sent, or select on ctx.Done() here too",
				name, c.where(g.Pos(), r.Pos()), name, c.where(sel.Pos(), r.Pos())),
			Related: []analysis.RelatedInformation{
				{Pos: g.Pos(), Message: "started on the ctx.Done() case"},
				{Pos: sel.Pos(), Message: "a send that gives up on ctx.Done()"},
			},
		})
	}
}

// startedOnDone returns the go statement starting fn, if there is one
// and it runs only in the body of a select case on ctx.Done() of the
// context whose origin is origin.
func (c *checker) startedOnDone(fn *ssa.Function, origin ssa.Value) *ssa.Go {
	var found *ssa.Go
	for _, sp := range c.m.Spawns() {
		if sp.Fn != fn {
			continue
		}
		g, ok := sp.Site.(*ssa.Go)
		if !ok || found != nil {
			return nil
		}
		found = g
	}
	if found == nil {
		return nil
	}
	for _, b := range found.Parent().Blocks {
		for _, instr := range b.Instrs {
			sel, ok := instr.(*ssa.Select)
			if !ok || !sel.Blocking {
				continue
			}
			j, ctx := doneCase(sel)
			if j < 0 || c.m.Origin(ctx) != origin {
				continue
			}
			if body := ssautil.SelectCase(sel, j); body != nil && body.Dominates(found.Block()) {
				return found
			}
		}
	}
	return nil
}
