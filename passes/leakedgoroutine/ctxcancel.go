package leakedgoroutine

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

// Contexts nobody cancels: ctx, s.cancel = context.WithCancel(parent)
// with a parent that is never done (context.Background or TODO, also
// through a function's only call site), the cancel func kept only in a
// field of this package's own, and a goroutine that waits on ctx.Done()
// alone. When every call of that field runs only after the wait itself
// (the goroutine's own cleanup: <-ctx.Done(); s.close(), and close calls
// s.cancel), or in code nothing can call (in package main, a method no
// one calls), ctx is never done and the goroutine never ends.

type cancelField struct {
	field   *types.Var
	calls   []*ssa.Call // calls of a value loaded from the field
	escapes bool        // loaded and used otherwise, or its address handed on
}

func (c *checker) checkUncancelled(funcs []*ssa.Function) {
	invoked := make(map[string]bool) // method names called through interfaces
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if x, ok := instr.(ssa.CallInstruction); ok && x.Common().IsInvoke() {
					invoked[x.Common().Method.Name()] = true
				}
			}
		}
	}
	cancels := func(f *types.Var) *types.Var {
		if f.Pkg() != c.pass.Pkg || !isCancelFunc(f.Type()) {
			return nil
		}
		return f
	}
	fields := make(map[*types.Var]*cancelField)
	for _, g := range addressedFields(funcs, cancels) {
		cf := &cancelField{field: g.field}
		for _, fa := range g.addrs {
			cf.use(fa)
		}
		fields[g.field] = cf
	}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(*ssa.Call)
				if !ok || !calls.Is(&call.Call, "context.WithCancel", "context.WithCancelCause") || !c.neverDone(call.Call.Args[0]) {
					continue
				}
				ctxV, cancelV := extract(call, 0), extract(call, 1)
				if ctxV == nil || cancelV == nil {
					continue
				}
				cf := storedOnlyIn(cancelV, fields)
				if cf == nil || cf.escapes || !c.ownField(cf.field) {
					continue
				}
				for _, w := range c.ctxWaits(ctxV) {
					c.reportUncancelled(call, cf, w, invoked)
				}
			}
		}
	}
}

func isCancelFunc(t types.Type) bool {
	if n, ok := t.(*types.Alias); ok {
		t = types.Unalias(n)
	}
	if n, ok := t.(*types.Named); ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "context" {
		return n.Obj().Name() == "CancelFunc" || n.Obj().Name() == "CancelCauseFunc"
	}
	sig, ok := t.Underlying().(*types.Signature)
	return ok && sig.Params().Len() == 0 && sig.Results().Len() == 0 && sig.Recv() == nil
}

// ownField: a field only this package can reach.
func (c *checker) ownField(f *types.Var) bool {
	return f.Pkg() == c.pass.Pkg && (!f.Exported() || c.pass.Pkg.Name() == "main")
}

func (cf *cancelField) use(fa *ssa.FieldAddr) {
	for _, ref := range *fa.Referrers() {
		switch r := ref.(type) {
		case *ssa.DebugRef, *ssa.Store:
			if st, ok := r.(*ssa.Store); ok && st.Addr != fa {
				cf.escapes = true
			}
		case *ssa.UnOp:
			if r.Op != token.MUL {
				cf.escapes = true
				continue
			}
			for _, u := range *r.Referrers() {
				switch u := u.(type) {
				case *ssa.DebugRef:
				case *ssa.Call:
					if u.Call.Value != r {
						cf.escapes = true
						continue
					}
					cf.calls = append(cf.calls, u)
				default:
					cf.escapes = true // deferred, compared, handed on: we stop here
				}
			}
		default:
			cf.escapes = true
		}
	}
}

func extract(call *ssa.Call, i int) ssa.Value {
	for _, ref := range *call.Referrers() {
		if ex, ok := ref.(*ssa.Extract); ok && ex.Index == i {
			return ex
		}
	}
	return nil
}

// storedOnlyIn returns the cancel field the cancel func v is stored in,
// if that is all that is done with it.
func storedOnlyIn(v ssa.Value, fields map[*types.Var]*cancelField) *cancelField {
	var found *cancelField
	for _, ref := range *v.Referrers() {
		switch r := ref.(type) {
		case *ssa.DebugRef:
		case *ssa.Store:
			fa, ok := r.Addr.(*ssa.FieldAddr)
			if !ok || r.Val != v {
				return nil
			}
			cf := fields[fieldOfAddr(fa)]
			if cf == nil || found != nil && found != cf {
				return nil
			}
			found = cf
		default:
			return nil
		}
	}
	return found
}

// neverDone reports whether ctx is context.Background() or TODO(), also
// through a function's only call site.
func (c *checker) neverDone(ctx ssa.Value) bool {
	call, ok := c.m.Origin(ctx).(*ssa.Call)
	return ok && calls.Is(&call.Call, "context.Background", "context.TODO")
}

// ctxWaits returns the receives, in goroutines, blocking alone on
// ctx.Done() of the context v (through go statement arguments, closures,
// and fields whose every store is v).
func (c *checker) ctxWaits(v ssa.Value) []*ssa.UnOp {
	var out []*ssa.UnOp
	for _, sp := range c.m.Spawns() {
		fn := sp.Fn
		if fn == nil || !c.m.Local(fn) {
			continue
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				recv, ok := instr.(*ssa.UnOp)
				if !ok || recv.Op != token.ARROW {
					continue
				}
				done, ok := recv.X.(*ssa.Call)
				if !ok || !done.Call.IsInvoke() || done.Call.Method.Name() != "Done" || !concurrency.IsContext(done.Call.Value.Type()) {
					continue
				}
				if c.sameCtx(done.Call.Value, v) {
					out = append(out, recv)
				}
			}
		}
	}
	return out
}

// sameCtx reports whether x, in a goroutine, is the context v.
func (c *checker) sameCtx(x, v ssa.Value) bool {
	o := c.m.Origin(x)
	if o == v {
		return true
	}
	// A load of a field every store to which is v.
	ld, ok := o.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return false
	}
	fa, ok := ld.X.(*ssa.FieldAddr)
	if !ok {
		return false
	}
	f := fieldOfAddr(fa)
	if f == nil || !c.ownField(f) {
		return false
	}
	stored := false
	for _, ref := range *v.Referrers() {
		if st, ok := ref.(*ssa.Store); ok {
			if sfa, ok := st.Addr.(*ssa.FieldAddr); ok && fieldOfAddr(sfa) == f {
				stored = true
			}
		}
	}
	if !stored {
		return false
	}
	for _, fn := range c.m.Funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				st, ok := instr.(*ssa.Store)
				if !ok {
					continue
				}
				if sfa, ok := st.Addr.(*ssa.FieldAddr); ok && fieldOfAddr(sfa) == f && st.Val != v {
					return false
				}
			}
		}
	}
	return true
}

func (c *checker) reportUncancelled(wc *ssa.Call, cf *cancelField, recv *ssa.UnOp, invoked map[string]bool) {
	var after []string
	for _, call := range cf.calls {
		live, ok := c.liveBefore(call, recv, invoked, 6, make(map[*ssa.Function]bool))
		if live {
			return
		}
		if ok {
			after = append(after, c.where(call.Pos(), recv.Pos()))
		}
	}
	name := cf.field.Name()
	if owner := fieldOwner(cf.field); owner != "" {
		name = owner + "." + name
	}
	why := "only code nothing calls calls it"
	if len(after) > 0 {
		why = fmt.Sprintf("it is called (%s) only after this receive, or by code nothing calls", after[0])
	}
	c.reportOnce(recv, analysis.Diagnostic{
		Pos: recv.Pos(),
		Message: fmt.Sprintf("goroutine leaks: this receive from ctx.Done() blocks forever: ctx comes from %s (%s) on a context that is never done, and its cancel func, kept in %s, is never called before: %s; call it where the owner is closed",
			calls.Name(&wc.Call), c.where(wc.Pos(), recv.Pos()), name, why),
		Related: []analysis.RelatedInformation{{Pos: wc.Pos(), Message: "the context and its cancel func are made here"}},
	})
}

// liveBefore reports whether call (of the cancel func) can run before
// recv, the wait on its context: it is not only in the waiting
// goroutine after the wait, nor only in code nothing calls. after is
// true when it runs in the waiting goroutine after the wait.
func (c *checker) liveBefore(call ssa.Instruction, recv *ssa.UnOp, invoked map[string]bool, depth int, seen map[*ssa.Function]bool) (live, after bool) {
	fn := call.Parent()
	if fn == recv.Parent() {
		if recv.Block() == call.Block() {
			return ssautil.InstrIndex(call) < ssautil.InstrIndex(recv), true
		}
		return !recv.Block().Dominates(call.Block()), true
	}
	if depth == 0 || seen[fn] {
		return depth == 0, false
	}
	seen[fn] = true
	for _, ctx := range c.m.Contexts(fn) {
		switch ctx.Kind {
		case concurrency.Sync:
			if ctx.Site == nil {
				return true, false
			}
			l, a := c.liveBefore(ctx.Site, recv, invoked, depth-1, seen)
			if l {
				return true, false
			}
			after = after || a
		case concurrency.Entry:
			if !c.deadInMain(fn) || invoked[fn.Name()] {
				return true, false
			}
		default:
			return true, false
		}
	}
	return false, after
}
