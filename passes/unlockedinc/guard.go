package unlockedinc

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/calls"
)

// A guardUse is an access of a struct field made with a mutex of the same
// struct (or of a struct containing it) held.
type guardUse struct {
	mutex  string // the mutex's field name
	levels int    // how many selections up from the field's struct the mutex is
	pos    token.Pos
}

// fieldKey names a struct field independently of the value it is selected
// from: "pkg.T.n".
func (c *checker) fieldKey(x ssa.Value, field int) string {
	t := x.Type()
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	// Keyed by the struct type, not the pointer type: pointer types are
	// not canonical, named types are.
	id := fieldID{t, field}
	if k, ok := c.fieldKeys[id]; ok {
		return k // printing types is costly, and findGuards asks for every field access
	}
	k := types.TypeString(t, nil) + "." + fieldName(x.Type(), field)
	c.fieldKeys[id] = k
	return k
}

type fieldID struct {
	t     types.Type
	field int
}

// findGuards returns, for every field accessed with a mutex of its struct
// held at least as often as without (the majority of its accesses show the
// mutex guards it), the first access with the mutex held. Accesses in
// functions every caller of which holds a lock, and in values under
// construction, are not counted.
//
// It also returns, for every field, the functions accessing it unlocked.
func (c *checker) findGuards() (map[string]guardUse, map[string]map[*ssa.Function]bool) {
	guards := make(map[string]guardUse)
	locked := make(map[string]int)
	unlocked := make(map[string]int)
	unlockedIn := make(map[string]map[*ssa.Function]bool)
	for _, fn := range c.funcs {
		held := c.locksOf(fn).before
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				fa, ok := instr.(*ssa.FieldAddr)
				if !ok {
					continue
				}
				key := c.fieldKey(fa.X, fa.Field)
				g, ok := c.guardOf(fn, fa.X, held[instr])
				switch {
				case ok && g.mutex != fieldName(fa.X.Type(), fa.Field):
					locked[key]++
					if _, seen := guards[key]; !seen {
						g.pos = fa.Pos()
						guards[key] = g
					}
				case len(held[instr]) == 0 && !c.callerLocked[fn] && !isAlloc(rootOf(fa)):
					unlocked[key]++
					if unlockedIn[key] == nil {
						unlockedIn[key] = make(map[*ssa.Function]bool)
					}
					unlockedIn[key][fn] = true
				}
			}
		}
	}
	for key := range guards {
		if locked[key] < unlocked[key] {
			delete(guards, key)
		}
	}
	return guards, unlockedIn
}

func isAlloc(v ssa.Value) bool {
	_, ok := v.(*ssa.Alloc)
	return ok
}

// guardOf returns the lock of s that belongs to base's struct or to a
// struct base was selected from.
func (c *checker) guardOf(fn *ssa.Function, base ssa.Value, s []lock) (guardUse, bool) {
	bp := c.path(fn, base)
	for _, l := range s {
		i := strings.LastIndex(l.path, ".")
		if i < 0 {
			continue
		}
		owner, mutex := l.path[:i], strings.TrimRight(l.path[i+1:], "*")
		if bp == owner {
			return guardUse{mutex: mutex}, true
		}
		if rest, ok := strings.CutPrefix(bp, owner+"."); ok {
			return guardUse{mutex: mutex, levels: strings.Count(rest, ".") + 1}, true
		}
	}
	return guardUse{}, false
}

// mutexText renders the guard's mutex as selected from the base of lhs,
// e.g. "c.mu" for c.n.
func mutexText(lhs ast.Expr, g guardUse) (mutex, field string, ok bool) {
	if ix, isIndex := lhs.(*ast.IndexExpr); isIndex {
		lhs = ix.X // c.counts[k]: the field is c.counts
	}
	sel, isSel := ast.Unparen(lhs).(*ast.SelectorExpr)
	if !isSel {
		return "", "", false
	}
	x := sel.X
	for range g.levels {
		s, ok := ast.Unparen(x).(*ast.SelectorExpr)
		if !ok {
			return "", "", false
		}
		x = s.X
	}
	return types.ExprString(x) + "." + g.mutex, types.ExprString(sel), true
}

// updatedField returns the field address an update goes through last: the
// updated field itself, or the map-valued field whose element is updated.
func updatedField(u *update) (*ssa.FieldAddr, bool) {
	addr := u.addr
	if u.isMap {
		ld, ok := addr.(*ssa.UnOp)
		if !ok || ld.Op != token.MUL {
			return nil, false
		}
		addr = ld.X
	}
	fa, ok := addr.(*ssa.FieldAddr)
	return fa, ok
}

// checkGuardedAndAtomic reports updates that race by the package's own
// evidence: the same location is accessed atomically elsewhere, or the
// field is accessed elsewhere (or in the same function) with its struct's
// mutex held.
func (c *checker) checkGuardedAndAtomic() {
	guards, unlockedIn := c.findGuards()
	atomics := c.findAtomics()
	for _, fn := range c.funcs {
		lk := c.locksOf(fn)
		for _, u := range c.updates[fn] {
			if !u.isMap {
				if a, ok := atomics[c.keyOf(fn, u.addr)]; ok && a.name != "" {
					c.reportUpdate(u, fmt.Sprintf("it is also accessed with %s at %s; use sync/atomic for every access", a.name, c.where(a.pos)), "-")
					continue
				}
			}
			if lk.before[u.instr].exclusive() || c.callerLocked[fn] {
				continue
			}
			fa, ok := updatedField(u)
			if !ok {
				continue
			}
			if _, fresh := rootOf(fa).(*ssa.Alloc); fresh {
				continue // a value under construction, not yet shared
			}
			if g, ok := guards[c.fieldKey(fa.X, fa.Field)]; ok {
				if mutex, field, ok := mutexText(u.lhs, g); ok {
					c.reportUpdate(u, fmt.Sprintf("%s is held for %s at %s", mutex, field, c.where(g.pos)), mutex)
				}
				continue
			}
			// The method locks the struct's mutex for other fields, but
			// not for this one, which nothing else touches unlocked (a
			// field accessed unlocked all over belongs to one goroutine).
			others := unlockedIn[c.fieldKey(fa.X, fa.Field)]
			if g, ok := c.guardOf(fn, fa.X, lk.taken); ok && len(others) == 1 && others[fn] {
				if mutex, field, ok := mutexText(u.lhs, g); ok {
					c.reportUpdate(u, fmt.Sprintf("%s guards other fields in %s but is not held for %s", mutex, fn.Name(), field), mutex)
				}
			}
		}
	}
}

type atomicUse struct {
	name string
	pos  token.Pos
}

// findAtomics returns the locations passed to sync/atomic functions.
func (c *checker) findAtomics() map[string]atomicUse {
	out := make(map[string]atomicUse)
	for _, fn := range c.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(*ssa.Call)
				if !ok || len(call.Call.Args) == 0 {
					continue
				}
				obj := calls.Callee(&call.Call)
				if obj == nil || obj.Pkg() == nil || obj.Pkg().Path() != "sync/atomic" || obj.Signature().Recv() != nil {
					continue // atomic.AddInt64 and friends; the atomic types are safe by construction
				}
				if k := c.keyOf(fn, call.Call.Args[0]); k != "" {
					if _, seen := out[k]; !seen {
						out[k] = atomicUse{name: "atomic." + obj.Name(), pos: call.Pos()}
					}
				}
			}
		}
	}
	return out
}

// keyOf names the variable or field an address denotes, across the
// functions of the package: a global, a field of a local variable, a struct
// field reached through a pointer, or a local variable (followed through
// closures' free variables). Local variables no goroutine can reach have
// no key: plain and atomic accesses to them cannot race.
func (c *checker) keyOf(fn *ssa.Function, addr ssa.Value) string {
	switch a := addr.(type) {
	case *ssa.Global:
		return "g:" + a.Pkg.Pkg.Path() + "." + a.Name()
	case *ssa.FieldAddr:
		if root, rfn := c.resolveRoot(fn, a.X); root != nil {
			if alloc, ok := root.(*ssa.Alloc); ok {
				if !c.reachable(alloc) {
					return ""
				}
				return c.valueID(alloc) + "." + c.path(rfn, a)
			}
		}
		return "f:" + c.fieldKey(a.X, a.Field)
	case *ssa.Alloc:
		if !c.reachable(a) {
			return ""
		}
		return c.valueID(a)
	case *ssa.FreeVar:
		if b, parent := c.binding(fn, a); b != nil {
			return c.keyOf(parent, b)
		}
	}
	return ""
}

// resolveRoot returns the variable an address starts from, following free
// variables to the values bound where their closures are created, and the
// function the variable belongs to.
func (c *checker) resolveRoot(fn *ssa.Function, v ssa.Value) (ssa.Value, *ssa.Function) {
	for range 10 {
		root := rootOf(v)
		fv, ok := root.(*ssa.FreeVar)
		if !ok {
			return root, fn
		}
		b, parent := c.binding(fn, fv)
		if b == nil {
			return nil, nil
		}
		v, fn = b, parent
	}
	return nil, nil
}

// reachable reports whether another goroutine may reach a local
// variable: a closure captures it or a go statement receives it.
func (c *checker) reachable(a *ssa.Alloc) bool {
	if !a.Heap {
		return false
	}
	for _, ref := range *a.Referrers() {
		switch ref.(type) {
		case *ssa.MakeClosure, *ssa.Go:
			return true
		}
	}
	return false
}

// binding returns the value bound to a closure's free variable where the
// closure is created, and the function creating it.
func (c *checker) binding(fn *ssa.Function, fv *ssa.FreeVar) (ssa.Value, *ssa.Function) {
	parent := fn.Parent()
	if parent == nil {
		return nil, nil
	}
	i := -1
	for j, v := range fn.FreeVars {
		if v == fv {
			i = j
		}
	}
	for _, b := range parent.Blocks {
		for _, instr := range b.Instrs {
			if mc, ok := instr.(*ssa.MakeClosure); ok && mc.Fn == fn && i >= 0 && i < len(mc.Bindings) {
				return mc.Bindings[i], parent
			}
		}
	}
	return nil, nil
}

// findCallerLocked returns the unexported functions whose every call in
// the package is made with a lock held (directly or by its own callers):
// "must hold c.mu" helpers.
func (c *checker) findCallerLocked() map[*ssa.Function]bool {
	type site struct {
		caller *ssa.Function
		instr  ssa.Instruction
	}
	sites := make(map[*ssa.Function][]site)
	escapes := make(map[*ssa.Function]bool)
	var ops []*ssa.Value
	for _, fn := range c.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				var callee ssa.Value
				if ci, ok := instr.(ssa.CallInstruction); ok {
					callee = ci.Common().Value
					if f, ok := callee.(*ssa.Function); ok {
						if _, isGo := instr.(*ssa.Go); isGo {
							escapes[f] = true
						} else {
							sites[f] = append(sites[f], site{fn, instr})
						}
					}
				}
				ops = instr.Operands(ops[:0])
				for _, op := range ops {
					if f, ok := (*op).(*ssa.Function); ok && *op != callee {
						escapes[f] = true
					}
				}
			}
		}
	}
	locked := make(map[*ssa.Function]bool)
	for _, fn := range c.funcs {
		obj, ok := fn.Object().(*types.Func)
		if ok && !obj.Exported() && len(sites[fn]) > 0 && !escapes[fn] && fn.Name() != "init" && !c.inTest(fn.Pos()) {
			locked[fn] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for fn := range locked {
			for _, s := range sites[fn] {
				// A test may call a helper directly, on one goroutine.
				if c.inTest(s.instr.Pos()) {
					continue
				}
				if !c.locksOf(s.caller).before[s.instr].exclusive() && !locked[s.caller] {
					delete(locked, fn)
					changed = true
					break
				}
			}
		}
	}
	return locked
}
