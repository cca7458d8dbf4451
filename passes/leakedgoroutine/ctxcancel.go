package leakedgoroutine

import (
	"fmt"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/calls"
	"github.com/futlint/futlint/internal/concurrency"
	"github.com/futlint/futlint/internal/ssautil"
)

// Contexts nobody cancels: ctx, s.cancel = context.WithCancel(parent)
// with a parent that is never done (context.Background or TODO, also
// through a function's only call site) or is itself such a context kept
// in a field (ac.ctx from cc.ctx: then cc's cancel counts too), the cancel
// func kept only in a field of this package's own, and a goroutine that
// waits on ctx.Done() alone. When every call of those fields runs only
// after the wait itself (the goroutine's own cleanup: <-ctx.Done();
// s.close(), and close calls s.cancel), in code nothing can call (in
// package main, a method no one calls), or in a method called only on a
// receiver that is always nil (dial's deferred cleanup closes its result,
// which it never sets), ctx is never done and the goroutine never ends.

type cancelField struct {
	field   *types.Var
	calls   []*ssa.Call // calls of a value loaded from the field
	escapes bool        // loaded and used otherwise, or its address handed on
}

func (c *checker) checkUncancelled(funcs []*ssa.Function) {
	cancels := func(f *types.Var) *types.Var {
		if f.Pkg() != c.pass.Pkg || !isCancelFunc(f.Type()) {
			return nil
		}
		return f
	}
	fields := make(map[*types.Var]*cancelField)
	for _, g := range c.addressedFields(cancels) {
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
				if !ok {
					continue
				}
				cfs, ok := c.cancelledOnlyBy(call, fields, 0)
				if !ok {
					continue
				}
				for _, w := range c.ctxWaits(extract(call, 0)) {
					c.reportUncancelled(call, cfs, w)
				}
			}
		}
	}
}

func isCancelFunc(t types.Type) bool {
	if n, ok := t.(*types.Alias); ok {
		t = types.Unalias(n)
	}
	if n, ok := t.(*types.Named); ok && calls.InPkg(n.Obj(), "context") {
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

// cancelledOnlyBy returns, for call = context.WithCancel(parent), the
// cancel fields whose calls alone can make its context done: its own
// cancel func's field, and those of its parent's when the parent is a
// context kept in a field of this package's own, every store into which
// is such a WithCancel's context (cc.ctx, cc.cancel = WithCancel(bg);
// ac.ctx, ac.cancel = WithCancel(cc.ctx)). ok is false when something
// else may: a parent that is not context.Background() or TODO() (also
// through a function's only call site) at the root, a cancel func kept
// elsewhere or handed on.
func (c *checker) cancelledOnlyBy(call *ssa.Call, fields map[*types.Var]*cancelField, depth int) (cfs []*cancelField, ok bool) {
	if depth > 3 || !calls.Is(&call.Call, "context.WithCancel", "context.WithCancelCause") {
		return nil, false
	}
	ctxV, cancelV := extract(call, 0), extract(call, 1)
	if ctxV == nil || cancelV == nil {
		return nil, false
	}
	cf := storedOnlyIn(cancelV, fields)
	if cf == nil || cf.escapes || !c.ownField(cf.field) {
		return nil, false
	}
	cfs = []*cancelField{cf}
	parent := c.m.Origin(call.Call.Args[0])
	if p, ok := parent.(*ssa.Call); ok && calls.Is(&p.Call, "context.Background", "context.TODO") {
		return cfs, true
	}
	makers := c.ctxFieldMakers(parent)
	if len(makers) == 0 {
		return nil, false
	}
	for _, mk := range makers {
		more, ok := c.cancelledOnlyBy(mk, fields, depth+1)
		if !ok {
			return nil, false
		}
		for _, m := range more {
			if !slices.Contains(cfs, m) {
				cfs = append(cfs, m)
			}
		}
	}
	return cfs, true
}

// ctxFieldMakers returns, for v a load of a context field of this
// package's own, the calls whose context every store into that field
// holds (nil if any store holds something else, or the field's address
// is handed on).
func (c *checker) ctxFieldMakers(v ssa.Value) []*ssa.Call {
	ld, ok := v.(*ssa.UnOp) // a receive's operand is a channel, no field address
	if !ok {
		return nil
	}
	// A field of another type than Context holds no WithCancel's context
	// unconverted: its stores are no makers (Extract below).
	f := fieldOfAddr(ld.X)
	if f == nil || !c.ownField(f) {
		return nil
	}
	var makers []*ssa.Call
	init := c.m.SSA.Pkg.Func("init")
	for _, fa := range c.addrsOf(f) {
		if fieldOfAddr(fa) != f || fa.Parent() == init {
			continue // another instance; the package initializer's stores are not looked at
		}
		for _, ref := range *fa.Referrers() {
			switch r := ref.(type) {
			case *ssa.DebugRef:
			case *ssa.UnOp:
				if r.Op != token.MUL {
					return nil
				}
			case *ssa.Store:
				ex, ok := r.Val.(*ssa.Extract)
				if !ok || r.Addr != fa || ex.Index != 0 {
					return nil
				}
				mk, ok := ex.Tuple.(*ssa.Call)
				if !ok {
					return nil
				}
				makers = append(makers, mk)
			default:
				return nil
			}
		}
	}
	return makers
}

// ctxWaits returns the receives, in goroutines (a function a go
// statement starts, or one it calls), blocking alone on ctx.Done() of the
// context v (through go statement arguments, closures, and fields whose
// every store is v).
func (c *checker) ctxWaits(v ssa.Value) []*ssa.UnOp {
	var out []*ssa.UnOp
	for _, fn := range c.m.Funcs {
		if c.goOf(fn) == nil {
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

func (c *checker) reportUncancelled(wc *ssa.Call, cfs []*cancelField, recv *ssa.UnOp) {
	var after, onNil []string
	var names []string
	for _, cf := range cfs {
		for _, call := range cf.calls {
			var nils []ssa.CallInstruction
			live, ok := c.liveBefore(call, recv, 6, make(map[*ssa.Function]bool), &nils)
			if live {
				return
			}
			if ok {
				after = append(after, c.where(call.Pos(), recv.Pos()))
			}
			for _, n := range nils {
				onNil = append(onNil, c.where(n.Pos(), recv.Pos()))
			}
		}
		name := cf.field.Name()
		if owner := fieldOwner(cf.field); owner != "" {
			name = owner + "." + name
		}
		names = append(names, name)
	}
	it, is, them := "it", "is", "it"
	kept, parent := "its cancel func, kept in "+names[0]+",", "a context that is never done"
	if len(names) > 1 {
		it, is, them = "they", "are", "them"
		kept = "the cancel funcs, kept in " + strings.Join(names, " and ") + ","
		parent = "a context cancelled only by " + strings.Join(names[1:], " and ")
	}
	var why string
	switch {
	case len(after) > 0:
		why = fmt.Sprintf("%s %s called (%s) only after this receive, or by code nothing calls", it, is, after[0])
	case len(onNil) > 0:
		why = fmt.Sprintf("%s %s called only by a method called on a receiver that is always nil (%s), or by code nothing calls", it, is, onNil[0])
	default:
		why = "only code nothing calls calls " + them
	}
	c.reportOnce(recv, analysis.Diagnostic{
		Pos: recv.Pos(),
		Message: fmt.Sprintf("goroutine leaks: this receive from ctx.Done() blocks forever: ctx comes from %s (%s) on %s, and %s %s never called before: %s; call %s where the owner is closed",
			calls.Name(&wc.Call), c.where(wc.Pos(), recv.Pos()), parent, kept, is, why, them),
		Related: []analysis.RelatedInformation{{Pos: wc.Pos(), Message: "the context and its cancel func are made here"}},
	})
}

// liveBefore reports whether call (of the cancel func) can run before
// recv, the wait on its context: it is not only in the waiting
// goroutine after the wait, nor only in code nothing calls. after is
// true when it runs in the waiting goroutine after the wait.
//
// A call of fn's method on a receiver that is always nil (a result
// variable nothing ever sets) is on no owner: it is skipped, and added to
// nils for the message.
func (c *checker) liveBefore(call ssa.Instruction, recv *ssa.UnOp, depth int, seen map[*ssa.Function]bool, nils *[]ssa.CallInstruction) (live, after bool) {
	fn := call.Parent()
	if fn == recv.Parent() {
		return !ssautil.Dominates(recv, call), true
	}
	if depth == 0 || seen[fn] {
		return depth == 0, false
	}
	seen[fn] = true
	if processRoot(fn) {
		return true, false // main and init run
	}
	for _, ctx := range c.m.Contexts(fn) {
		switch ctx.Kind {
		case concurrency.Sync:
			if ctx.Site == nil {
				return true, false
			}
			if site, ok := ctx.Site.(ssa.CallInstruction); ok && fn.Signature.Recv() != nil && site.Common().StaticCallee() == fn && nilReceiver(site) {
				*nils = append(*nils, site)
				continue
			}
			l, a := c.liveBefore(ctx.Site, recv, depth-1, seen, nils)
			if l {
				return true, false
			}
			after = after || a
		case concurrency.Entry:
			if !c.mainOnly(fn) {
				return true, false
			}
		default:
			return true, false
		}
	}
	return false, after
}

// nilReceiver reports whether the static method call's receiver is
// always nil: a variable (a named result, also captured by closures)
// that is only ever set to nil. (liveBefore asks only of calls whose
// StaticCallee is the method: no interface calls.)
func nilReceiver(call ssa.CallInstruction) bool {
	cc := call.Common()
	if len(cc.Args) == 0 {
		return false
	}
	return alwaysNil(cc.Args[0], make(map[ssa.Value]bool))
}

func alwaysNil(v ssa.Value, seen map[ssa.Value]bool) bool {
	if seen[v] {
		return true
	}
	seen[v] = true
	switch x := v.(type) {
	case *ssa.Const:
		return x.IsNil()
	case *ssa.Phi:
		for _, e := range x.Edges {
			if !alwaysNil(e, seen) {
				return false
			}
		}
		return true
	case *ssa.UnOp:
		return cellOnlyNil(x.X, seen) // a load: the only unary op on a pointer that gives one
	}
	return false
}

// cellOnlyNil reports whether every store into the variable at addr
// (a local, or a closure's captured one) is nil, its address going only
// to loads and to closures that do the same.
func cellOnlyNil(addr ssa.Value, seen map[ssa.Value]bool) bool {
	for {
		fv, ok := addr.(*ssa.FreeVar)
		if !ok {
			break
		}
		addr = ssautil.Binding(fv) // nil when unknown: no Alloc below
	}
	alloc, ok := addr.(*ssa.Alloc)
	if !ok {
		return false
	}
	var uses func(v ssa.Value) bool
	uses = func(v ssa.Value) bool {
		for _, ref := range *v.Referrers() {
			switch r := ref.(type) {
			case *ssa.DebugRef, *ssa.UnOp: // loads
			case *ssa.Store:
				if r.Addr != v || !alwaysNil(r.Val, seen) {
					return false
				}
			case *ssa.MakeClosure:
				for _, fv := range ssautil.BoundTo(r, v) {
					if !uses(fv) {
						return false
					}
				}
			default:
				return false
			}
		}
		return true
	}
	return uses(alloc)
}
