package uncheckedcancel

import (
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/calls"
	"github.com/futlint/futlint/internal/concurrency"
	"github.com/futlint/futlint/internal/ssautil"
)

// watchedAt reports whether, on every path to the loop header h, each of
// fn's contexts srcs has been handed to a watch (Model.Watches:
// context.AfterFunc, or a callee that does so with it): a cancel then acts
// on the loop's blocking asynchronously (a watcher that sets a deadline
// on the connection the loop reads), and the loop ends on the error.
// A context parameter must be watched in fn itself before the loop; a
// receiver's context field, by every function that stores a context into
// it (fieldWatched).
func (c *checker) watchedAt(fn *ssa.Function, h *ssa.BasicBlock, srcs []source) bool {
	// srcs is never empty: loops of a function without a context are not
	// checked at all.
	for _, s := range srcs {
		switch {
		case s.param == nil:
			return false
		case s.field != nil:
			// Whether fn is the method or a closure it runs (an
			// inherited source): the field's watch covers both.
			if !c.fieldWatched(s.field, map[*types.Var]bool{}) {
				return false
			}
		case !c.paramWatchedAt(fn, s.param, h):
			return false
		}
	}
	return true
}

// paramWatchedAt reports whether every path from fn's entry to h passes a
// call that watches the context parameter p, or an edge on which p is
// known to be context.Background() (if ctx != context.Background() {
// watch(ctx) }), which is never cancelled. When p is an enclosing
// function's (a closure's inherited source), fn names it only through a
// free variable, which Watches does not follow: the answer is false.
func (c *checker) paramWatchedAt(fn *ssa.Function, p *ssa.Parameter, h *ssa.BasicBlock) bool {
	n := len(fn.Blocks)
	watches := make([]bool, n) // the block hands p to a watch
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if call, ok := instr.(ssa.CallInstruction); ok && c.model.Watches(call.Common(), p) {
				watches[b.Index] = true
			}
		}
	}
	// A must-analysis: start from "watched" everywhere but the entry and
	// lower to the greatest fixed point.
	in := make([]bool, n)
	for i := 1; i < n; i++ {
		in[i] = true
	}
	for changed := true; changed; {
		changed = false
		for _, b := range fn.Blocks[1:] {
			v := true
			for _, pred := range b.Preds {
				if !(in[pred.Index] || watches[pred.Index] || backgroundEdge(pred, b, p)) {
					v = false
					break
				}
			}
			if v != in[b.Index] {
				in[b.Index], changed = v, true
			}
		}
	}
	return in[h.Index]
}

// backgroundEdge reports whether the edge pred -> b is taken only when p
// equals context.Background() or context.TODO().
func backgroundEdge(pred, b *ssa.BasicBlock, p ssa.Value) bool {
	br, ok := pred.Instrs[len(pred.Instrs)-1].(*ssa.If)
	if !ok {
		return false
	}
	cmp, ok := br.Cond.(*ssa.BinOp)
	if !ok || (cmp.Op != token.EQL && cmp.Op != token.NEQ) {
		return false
	}
	is := func(v ssa.Value) bool {
		return ssautil.Origin(v, ssautil.Conversions|ssautil.Loads|ssautil.Cells) == p
	}
	other := cmp.Y
	if is(cmp.Y) {
		other = cmp.X
	} else if !is(cmp.X) {
		return false
	}
	root, ok := other.(*ssa.Call)
	if !ok || !calls.Is(&root.Call, rootContexts...) {
		return false
	}
	equal := pred.Succs[0] // if ctx == Background()
	if cmp.Op == token.NEQ {
		equal = pred.Succs[1]
	}
	// The SSA builder turns an If whose successors are equal into a
	// Jump (jump threading), so equal is the only edge to b.
	return equal == b
}

// fieldWatched reports whether the unexported context field f is watched
// wherever the package stores a context into it: each stored value is a
// context parameter the storing function watches (its Summary says
// Watched), a never-cancelled root context, or a load of another field so
// watched (ResultReader{ctx: mrr.ctx}). The storing function must watch
// the context on some path, not before every return: this is the simplest
// sound-enough version (pgx's constructors return early without a watch
// only with the object already closed).
func (c *checker) fieldWatched(f *types.Var, visiting map[*types.Var]bool) bool {
	if f.Exported() || visiting[f] {
		return false
	}
	visiting[f] = true
	defer delete(visiting, f)
	stores := 0
	for _, fn := range c.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				st, ok := instr.(*ssa.Store)
				if !ok || fieldOf(st.Addr) != f {
					continue
				}
				stores++
				if !c.watchedValue(fn, st.Val, visiting) {
					return false
				}
			}
		}
	}
	return stores > 0
}

// watchedValue reports whether the context v, stored by fn into a context
// field, is watched (fieldWatched).
func (c *checker) watchedValue(fn *ssa.Function, v ssa.Value, visiting map[*types.Var]bool) bool {
	switch v := v.(type) {
	case *ssa.Parameter:
		// v is fn's own: SSA refers to an enclosing function's parameter
		// through a free variable.
		return c.model.Summary(fn).ParamUse(slices.Index(fn.Params, v))&concurrency.Watched != 0
	case *ssa.Call:
		return calls.Is(&v.Call, rootContexts...)
	case *ssa.UnOp:
		if g := fieldOf(v.X); v.Op == token.MUL && g != nil {
			return c.fieldWatched(g, visiting)
		}
	}
	return false
}

// fieldOf returns the struct field addr is the address of, or nil.
func fieldOf(addr ssa.Value) *types.Var {
	fa, ok := addr.(*ssa.FieldAddr)
	if !ok {
		return nil
	}
	pt, ok := fa.X.Type().Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	st, ok := pt.Elem().Underlying().(*types.Struct)
	if !ok {
		return nil
	}
	return st.Field(fa.Field)
}
