// Package ssautil is the SSA plumbing every futlint pass shares: where a
// value comes from, the closures and call sites of a function, natural
// loops, block reachability, and positions as messages print them.
//
// It is written once so that the passes agree: a free variable resolves to
// the same binding, and a loop is the same loop, in every pass.
package ssautil

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// Follow selects the edges [Origin] walks back along.
type Follow uint

const (
	// Conversions: ChangeType, MakeInterface, ChangeInterface, Convert
	// (between pointer-shaped types), TypeAssert and MultiConvert.
	Conversions Follow = 1 << iota
	// Loads: *p stands for p; a load from a local cell that is stored
	// exactly once (a captured or address-taken variable) stands for the
	// stored value.
	Loads
	// Selections: a field, element or slice of x stands for x.
	Selections
	// Phis: a phi whose edges, other than itself, all have one origin
	// stands for it.
	Phis
	// FreeVars: a closure's free variable stands for the value bound at
	// the closure's only MakeClosure.
	FreeVars
	// Params: a parameter stands for its argument when its function has
	// one known call site (see [Walker.Sites]).
	Params
	// Cells: the address of a local variable (an Alloc, as closures
	// capture it) stands for the value stored in it, when it is stored
	// exactly once; with [Any], for every value stored in it.
	Cells

	// Value follows what keeps a value's identity: conversions, phis,
	// free variables, parameters and loads of single-store cells. It is
	// what "which channel/WaitGroup/context is this" needs.
	Value = Conversions | Phis | FreeVars | Params
	// Memory also strips loads and selections: the variable an address
	// starts from, as "which memory is this" needs.
	Memory = Value | Loads | Selections
)

// A Walker walks values back to their origin. The zero Walker follows
// nothing; most callers use [Origin].
type Walker struct {
	Follow Follow
	// Stop, if not nil, ends the walk at a value for which it reports
	// true, e.g. a free variable of the function a pass looks from.
	Stop func(ssa.Value) bool
	// Sites, if not nil, returns the known call sites of a function, so
	// that Params can map a parameter to its argument. Without it only
	// anonymous functions, whose sites are their Referrers, are followed.
	Sites func(*ssa.Function) []ssa.CallInstruction
}

// maxSteps bounds a walk: SSA values can form cycles through phis and
// cells.
const maxSteps = 64

// Origin walks v back along the edges of follow and returns the value it
// comes from: a parameter, free variable, global, allocation, call result
// or constant. It never returns nil for a non-nil v.
func Origin(v ssa.Value, follow Follow) ssa.Value {
	return Walker{Follow: follow}.Origin(v)
}

// Origin walks v back along w's edges.
func (w Walker) Origin(v ssa.Value) ssa.Value {
	for range maxSteps {
		if v == nil || (w.Stop != nil && w.Stop(v)) {
			return v
		}
		next := w.step(v)
		if next == nil || next == v {
			return v
		}
		v = next
	}
	return v
}

// step returns the value v stands for one edge back, or nil.
func (w Walker) step(v ssa.Value) ssa.Value {
	f := w.Follow
	switch x := v.(type) {
	case *ssa.ChangeType:
		if f&Conversions != 0 {
			return x.X
		}
	case *ssa.MakeInterface:
		if f&Conversions != 0 {
			return x.X
		}
	case *ssa.ChangeInterface:
		if f&Conversions != 0 {
			return x.X
		}
	case *ssa.Convert:
		if f&Conversions != 0 && pointerShaped(x) {
			return x.X
		}
	case *ssa.MultiConvert:
		if f&Conversions != 0 {
			return x.X
		}
	case *ssa.TypeAssert:
		if f&Conversions != 0 && !x.CommaOk {
			return x.X
		}
	case *ssa.UnOp:
		if x.Op != token.MUL || f&Loads == 0 {
			return nil
		}
		if cell := CellOf(x.X); cell != nil {
			if st := SingleStore(cell); st != nil {
				return st.Val
			}
		}
		return x.X
	case *ssa.FieldAddr:
		if f&Selections != 0 {
			return x.X
		}
	case *ssa.Field:
		if f&Selections != 0 {
			return x.X
		}
	case *ssa.IndexAddr:
		if f&Selections != 0 {
			return x.X
		}
	case *ssa.Index:
		if f&Selections != 0 {
			return x.X
		}
	case *ssa.Slice:
		if f&Selections != 0 {
			return x.X
		}
	case *ssa.Phi:
		if f&Phis != 0 {
			return w.phiOrigin(x)
		}
	case *ssa.FreeVar:
		if f&FreeVars != 0 {
			return Binding(x)
		}
	case *ssa.Parameter:
		if f&Params != 0 {
			return w.argument(x)
		}
	case *ssa.Alloc:
		if f&Cells != 0 {
			if st := SingleStore(x); st != nil {
				return st.Val
			}
		}
	}
	return nil
}

// Any walks back from v along follow's edges, as [Origin] does, but takes
// every edge where Origin wants one: each edge of a phi and, with Cells,
// each value stored in a local variable. It reports whether match finds
// a value on the way. match sees each value reached once, v first; stop
// ends the walk at that value (it is an origin, not a way through).
func Any(v ssa.Value, follow Follow, match func(ssa.Value) (found, stop bool)) bool {
	seen := make(map[ssa.Value]bool)
	w := Walker{Follow: follow &^ (Phis | Cells)}
	var walk func(v ssa.Value) bool
	walk = func(v ssa.Value) bool {
		if v == nil || seen[v] {
			return false
		}
		seen[v] = true
		if found, stop := match(v); found || stop {
			return found
		}
		switch x := v.(type) {
		case *ssa.Phi:
			if follow&Phis != 0 {
				for _, e := range x.Edges {
					if walk(e) {
						return true
					}
				}
			}
			return false
		case *ssa.Alloc:
			if follow&Cells != 0 {
				for _, ref := range *x.Referrers() {
					if st, ok := ref.(*ssa.Store); ok && st.Addr == x && walk(st.Val) {
						return true
					}
				}
			}
			return false
		case *ssa.UnOp:
			if x.Op == token.MUL && follow&Loads != 0 {
				return walk(x.X) // the cell's stores, with Cells
			}
		}
		return walk(w.step(v))
	}
	return walk(v)
}

// phiOrigin returns the one origin of phi's edges (ignoring edges that
// lead back to phi itself), or nil when they differ.
func (w Walker) phiOrigin(phi *ssa.Phi) ssa.Value {
	var one ssa.Value
	for _, e := range phi.Edges {
		o := Walker{Follow: w.Follow &^ Phis, Stop: w.Stop, Sites: w.Sites}.Origin(e)
		if o == phi {
			continue
		}
		if c, ok := o.(*ssa.Const); ok && c.IsNil() {
			continue // a nil edge: "not yet set", not another value
		}
		if one != nil && one != o {
			return nil
		}
		one = o
	}
	return one
}

// argument returns the argument bound to parameter p at its function's
// only call site, or nil.
func (w Walker) argument(p *ssa.Parameter) ssa.Value {
	fn := p.Parent()
	var sites []ssa.CallInstruction
	if w.Sites != nil {
		sites = w.Sites(fn)
	} else {
		sites = CallSites(fn)
	}
	if len(sites) != 1 {
		return nil
	}
	i := paramIndex(fn, p)
	args := sites[0].Common().Args
	if sites[0].Common().IsInvoke() || i < 0 || i >= len(args) {
		return nil
	}
	return args[i]
}

func paramIndex(fn *ssa.Function, p *ssa.Parameter) int {
	for i, q := range fn.Params {
		if q == p {
			return i
		}
	}
	return -1
}

// pointerShaped reports whether conversion c keeps an address: between
// unsafe.Pointer and pointer types.
func pointerShaped(c *ssa.Convert) bool {
	return isPointerLike(c.X.Type()) && isPointerLike(c.Type())
}

func isPointerLike(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		return true
	case *types.Basic:
		return u.Kind() == types.UnsafePointer
	}
	return false
}

// SingleStore returns the only store to a local cell, or nil when the
// cell is stored more than once (also through closures capturing it) or
// its address escapes.
func SingleStore(cell *ssa.Alloc) *ssa.Store {
	var one *ssa.Store
	if !cellStores(cell, &one, 0) {
		return nil
	}
	return one
}

// cellStores walks the uses of a cell's address (the Alloc, or a free
// variable capturing it), recording the store in *one; it reports false
// when there is more than one store or the address escapes.
func cellStores(addr ssa.Value, one **ssa.Store, depth int) bool {
	refs := addr.Referrers()
	if refs == nil || depth > 8 {
		return false
	}
	for _, ref := range *refs {
		switch r := ref.(type) {
		case *ssa.Store:
			if r.Addr != addr || *one != nil {
				return false
			}
			*one = r
		case *ssa.UnOp:
			if r.Op != token.MUL {
				return false
			}
		case *ssa.DebugRef:
		case *ssa.MakeClosure:
			for _, fv := range BoundTo(r, addr) {
				if !cellStores(fv, one, depth+1) {
					return false
				}
			}
		default:
			return false
		}
	}
	return true
}

// CellOf returns the local variable an address denotes: an Alloc, or a
// free variable bound (through enclosing closures) to one; nil otherwise.
func CellOf(addr ssa.Value) *ssa.Alloc {
	for range maxSteps {
		switch x := addr.(type) {
		case *ssa.Alloc:
			return x
		case *ssa.FreeVar:
			addr = Binding(x)
		default:
			return nil
		}
	}
	return nil
}

// Binding returns the value bound to the free variable fv at the only
// MakeClosure of its function, or nil when the closure is made in more
// than one place (or nowhere).
func Binding(fv *ssa.FreeVar) ssa.Value {
	fn := fv.Parent()
	mc := OnlyClosure(fn)
	if mc == nil {
		return nil
	}
	for i, f := range fn.FreeVars {
		if f == fv && i < len(mc.Bindings) {
			return mc.Bindings[i]
		}
	}
	return nil
}

// BoundTo returns the free variables of mc's function that mc binds to
// v: where v is used inside the closure (Binding's inverse, at one
// MakeClosure).
func BoundTo(mc *ssa.MakeClosure, v ssa.Value) []*ssa.FreeVar {
	fn, ok := mc.Fn.(*ssa.Function)
	if !ok {
		return nil
	}
	var out []*ssa.FreeVar
	for i, b := range mc.Bindings {
		if b == v && i < len(fn.FreeVars) {
			out = append(out, fn.FreeVars[i])
		}
	}
	return out
}

// OnlyClosure returns the only MakeClosure creating the anonymous
// function fn, or nil.
func OnlyClosure(fn *ssa.Function) *ssa.MakeClosure {
	var one *ssa.MakeClosure
	for _, mc := range Closures(fn) {
		if one != nil {
			return nil
		}
		one = mc
	}
	return one
}

// Closures returns the MakeClosure instructions creating the anonymous
// function fn, found through its Referrers. A closure with no free
// variables has none: it is used as a *ssa.Function directly.
func Closures(fn *ssa.Function) []*ssa.MakeClosure {
	refs := fn.Referrers()
	if refs == nil {
		return nil
	}
	var out []*ssa.MakeClosure
	for _, ref := range *refs {
		if mc, ok := ref.(*ssa.MakeClosure); ok && mc.Fn == fn {
			out = append(out, mc)
		}
	}
	return out
}

// CallSites returns the call, go and defer instructions that call the
// anonymous function fn directly (as a value or through its only
// closure), or nil when fn is also used otherwise (stored, passed on) or
// is a named function, whose callers are not known locally.
func CallSites(fn *ssa.Function) []ssa.CallInstruction {
	refs := fn.Referrers()
	if refs == nil {
		return nil
	}
	var out []ssa.CallInstruction
	for _, ref := range *refs {
		switch r := ref.(type) {
		case ssa.CallInstruction:
			if r.Common().Value != fn {
				return nil // passed as an argument
			}
			out = append(out, r)
		case *ssa.MakeClosure:
			if r.Fn != fn {
				return nil // bound as a free variable of another closure
			}
			for _, u := range *r.Referrers() {
				switch u := u.(type) {
				case ssa.CallInstruction:
					if u.Common().Value != r {
						return nil
					}
					out = append(out, u)
				case *ssa.DebugRef:
				default:
					return nil
				}
			}
		case *ssa.DebugRef:
		default:
			return nil
		}
	}
	return out
}

// ComputedFrom walks back from v through what computes it: the operands
// of arithmetic and comparisons (BinOp), of unary operations, loads and
// receives (UnOp), conversions, tuple extracts, the edges of a phi (but
// an edge that is the phi itself), and a call's arguments (not an
// interface call's receiver). It reports whether match finds a value on
// the way. match sees each value on each way back, v first, with its
// distance from v (depth 0 for v), and must stop the walk by some depth:
// the walk is a tree walk, so that "within n steps" means what it says,
// and it ends at depth 16 regardless. stop ends the walk at that value.
// Where [Origin] follows what keeps a value's identity, ComputedFrom
// follows data dependence: "is this condition derived from that result",
// "does this vary with the loop".
func ComputedFrom(v ssa.Value, match func(v ssa.Value, depth int) (found, stop bool)) bool {
	var walk func(v ssa.Value, depth int) bool
	walk = func(v ssa.Value, depth int) bool {
		if v == nil || depth > maxComputedDepth {
			return false
		}
		if found, stop := match(v, depth); found || stop {
			return found
		}
		var from []ssa.Value
		switch x := v.(type) {
		case *ssa.BinOp:
			from = []ssa.Value{x.X, x.Y}
		case *ssa.UnOp:
			from = []ssa.Value{x.X}
		case *ssa.ChangeType:
			from = []ssa.Value{x.X}
		case *ssa.Convert:
			from = []ssa.Value{x.X}
		case *ssa.MultiConvert:
			from = []ssa.Value{x.X}
		case *ssa.ChangeInterface:
			from = []ssa.Value{x.X}
		case *ssa.MakeInterface:
			from = []ssa.Value{x.X}
		case *ssa.Extract:
			from = []ssa.Value{x.Tuple}
		case *ssa.Phi:
			from = x.Edges
		case *ssa.Call:
			from = x.Call.Args
		}
		for _, f := range from {
			if f != v && walk(f, depth+1) {
				return true
			}
		}
		return false
	}
	return walk(v, 0)
}

// maxComputedDepth bounds [ComputedFrom]'s tree walk whatever its match
// says.
const maxComputedDepth = 16
