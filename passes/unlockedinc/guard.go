package unlockedinc

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/calls"
	"github.com/futlint/futlint/internal/concurrency"
)

// A guardUse is an access of a struct field made with a mutex of the same
// struct (or of a struct containing it) held.
type guardUse struct {
	mutex  string // the mutex's field name
	levels int    // how many selections up from the field's struct the mutex is
	pos    token.Pos
}

// guardTally counts the accesses of one field with and without its
// struct's mutex.
type guardTally struct {
	locked, unlocked int
	first            guardUse               // the first locked access
	unlockedIn       map[*ssa.Function]bool // functions accessing it unlocked
	seen             bool                   // first is set
}

// guards holds the tallies of the package's field accesses by field (a
// path's TypeKey): over production code, and over all code.
type guards struct {
	prod, all map[string]*guardTally
}

// of returns the tallies that count as evidence for a finding at pos: a
// test's accesses count only for findings in tests.
func (g guards) of(c *checker, pos token.Pos) map[string]*guardTally {
	if c.m.InTest(pos) {
		return g.all
	}
	return g.prod
}

// fieldKey names the field a path selects last, by type: "pkg.T.n". It is
// "" for memory reached through no pointer and not global.
func fieldKey(p concurrency.Path) string {
	if p.Kind == concurrency.Global {
		return p.Key()
	}
	steps := typeSteps(p)
	if steps == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(steps[0].Struct)
	for _, s := range steps {
		switch {
		case s.Deref:
			b.WriteString("*")
		case s.Field == "":
			b.WriteString("[]")
		default:
			b.WriteString("." + s.Field)
		}
	}
	return b.String()
}

// findGuards tallies, for every field, its accesses with a mutex of its
// struct held and without any lock held. A field accessed with the mutex
// held at least as often as without is guarded by it. Accesses in values
// under construction are not counted.
func (c *checker) findGuards() guards {
	g := guards{prod: make(map[string]*guardTally), all: make(map[string]*guardTally)}
	for _, fn := range c.funcs {
		inTest := c.m.InTest(fn.Pos())
		seen := make(map[token.Pos]bool) // x.n++ may select the field twice
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				fa, ok := instr.(*ssa.FieldAddr)
				if !ok || seen[fa.Pos()] && fa.Pos().IsValid() {
					continue
				}
				seen[fa.Pos()] = true
				p := c.m.LockPathOf(fn, fa) // compared with the locks held
				key := fieldKey(p)
				if key == "" {
					continue
				}
				held := c.heldAt(fn, instr)
				gu, ok := guardOf(p, held)
				for i, m := range []map[string]*guardTally{g.all, g.prod} {
					if inTest && i == 1 {
						continue
					}
					t := m[key]
					if t == nil {
						t = &guardTally{unlockedIn: make(map[*ssa.Function]bool)}
						m[key] = t
					}
					switch {
					case ok:
						t.locked++
						if !t.seen {
							gu.pos = fa.Pos()
							t.first, t.seen = gu, true
						}
					case len(held) == 0 && !fresh(fn, p):
						t.unlocked++
						t.unlockedIn[fn] = true
					}
				}
			}
		}
	}
	return g
}

// fresh reports whether p is rooted at a value fn allocates itself: a
// value under construction, not yet shared.
func fresh(fn *ssa.Function, p concurrency.Path) bool {
	a, ok := p.Root().(*ssa.Alloc)
	return ok && a.Parent() == fn && len(p.Steps) > 0 && !p.Steps[0].Deref
}

// guardOf returns the lock of s that belongs to the struct holding the
// field at p or to a struct it is selected from: c.mu for c.n.
func guardOf(p concurrency.Path, s concurrency.Lockset) (guardUse, bool) {
	for _, l := range s {
		lp := l.Path
		for len(lp.Steps) > 0 && lp.Steps[len(lp.Steps)-1].Deref {
			lp.Steps = lp.Steps[:len(lp.Steps)-1] // a sync.Locker loaded from its field
		}
		n := len(lp.Steps)
		if n == 0 || n > len(p.Steps) || !sameRoot(lp, p) {
			continue
		}
		mutex := lp.Steps[n-1]
		if mutex.Field == "" || mutex.Deref {
			continue
		}
		prefix := true
		for i := range n - 1 {
			if lp.Steps[i] != p.Steps[i] {
				prefix = false
			}
		}
		if !prefix || p.Steps[n-1] == mutex && n == len(p.Steps) {
			continue // another struct's mutex, or the mutex itself
		}
		levels := 0
		for _, s := range p.Steps[n-1 : len(p.Steps)-1] {
			if s.Field != "" {
				levels++
			}
		}
		return guardUse{mutex: mutex.Field, levels: levels}, true
	}
	return guardUse{}, false
}

// sameRoot reports whether p and q start from the same variable.
func sameRoot(p, q concurrency.Path) bool {
	if p.Kind == concurrency.Global || q.Kind == concurrency.Global {
		return p.Kind == q.Kind && p.Name == q.Name
	}
	return p.Root() != nil && p.Root() == q.Root()
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
// evidence: the same memory is accessed atomically elsewhere with no
// common lock ordering the two, or the field is accessed elsewhere (or in
// the same function) with its struct's mutex held.
func (c *checker) checkGuardedAndAtomic() {
	g := c.guards
	atomics := c.findAtomics()
	for _, fn := range c.funcs {
		lk := c.m.Locks(fn)
		for _, u := range c.updates[fn] {
			held := c.heldAt(fn, u.instr)
			if !u.isMap {
				if a, ok := c.racingAtomic(u, held, atomics); ok {
					c.reportUpdate(u, fmt.Sprintf("it is also accessed with %s at %s, and no lock orders the two; use sync/atomic for every access", a.name, c.m.Pos(a.pos)), "-",
						analysis.RelatedInformation{Pos: a.pos, Message: "the atomic access"})
					continue
				}
			}
			if held.Exclusive() {
				continue
			}
			fa, ok := updatedField(u)
			if !ok {
				continue
			}
			p := c.m.LockPathOf(fn, fa)
			if fresh(fn, p) {
				continue // a value under construction, not yet shared
			}
			t := g.of(c, u.stmt.Pos())[fieldKey(p)]
			if t == nil {
				continue
			}
			if t.seen && t.locked >= t.unlocked {
				if mutex, field, ok := mutexText(u.lhs, t.first); ok {
					c.reportUpdate(u, fmt.Sprintf("%s is held for %s at %s", mutex, field, c.m.Pos(t.first.pos)), mutex,
						analysis.RelatedInformation{Pos: t.first.pos, Message: mutex + " is held here"})
				}
				continue
			}
			// The method locks the struct's mutex for other fields, but
			// not for this one, which nothing else touches unlocked (a
			// field accessed unlocked all over belongs to one goroutine).
			if gu, ok := guardOf(p, lk.Taken()); ok && len(t.unlockedIn) == 1 && t.unlockedIn[fn] {
				if mutex, field, ok := mutexText(u.lhs, gu); ok {
					c.reportUpdate(u, fmt.Sprintf("%s guards other fields in %s but is not held for %s", mutex, fn.Name(), field), mutex)
				}
			}
		}
	}
}

type atomicUse struct {
	name string
	pos  token.Pos
	path concurrency.Path
	held concurrency.Lockset
	fn   *ssa.Function
}

// findAtomics returns the package's accesses with sync/atomic functions.
func (c *checker) findAtomics() []atomicUse {
	var out []atomicUse
	for _, fn := range c.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(*ssa.Call)
				if !ok || len(call.Call.Args) == 0 {
					continue
				}
				callee := call.Call.StaticCallee()
				if callee == nil {
					continue
				}
				obj, _ := callee.Object().(*types.Func)
				if obj == nil || !calls.InPkg(obj, "sync/atomic") || obj.Signature().Recv() != nil {
					continue // atomic.AddInt64 and friends; the atomic types are safe by construction
				}
				out = append(out, atomicUse{
					name: "atomic." + obj.Name(),
					pos:  call.Pos(),
					path: c.m.PathOf(fn, call.Call.Args[0]),
					held: c.heldAt(fn, instr),
					fn:   fn,
				})
			}
		}
	}
	return out
}

// racingAtomic returns an atomic access that may touch the memory u
// updates while no lock held at both orders them.
func (c *checker) racingAtomic(u *update, held concurrency.Lockset, atomics []atomicUse) (atomicUse, bool) {
	for _, a := range atomics {
		if c.m.InTest(a.pos) && !c.m.InTest(u.stmt.Pos()) {
			continue // a test's accesses are evidence for tests only
		}
		if !sameMemory(a.path, u.path) {
			continue
		}
		if local(u.path) {
			continue // a variable no other goroutine reaches
		}
		if c.beforeCapture(u, a) {
			continue // the closure making the atomic access does not exist yet
		}
		if ordered(held, a.held) {
			continue
		}
		return a, true
	}
	return atomicUse{}, false
}

// local reports whether p is rooted at a local variable no closure or
// goroutine captures.
func local(p concurrency.Path) bool {
	a, ok := p.Root().(*ssa.Alloc)
	if !ok {
		return false
	}
	if !a.Heap {
		return true
	}
	for _, ref := range *a.Referrers() {
		switch ref.(type) {
		case *ssa.MakeClosure, *ssa.Go:
			return false
		}
	}
	return true
}

// beforeCapture reports whether u updates a local variable of its
// function that the atomic access a makes in the same call (one
// goroutine: program order), or from a closure made in that call when no
// closure capturing the variable has been made yet where u runs, on any
// path: n++; ...; h := func() { atomic.AddInt32(&n, 1) } (also when h is
// then registered as a handler or started as a goroutine).
func (c *checker) beforeCapture(u *update, a atomicUse) bool {
	cell, ok := u.path.Root().(*ssa.Alloc)
	if !ok || !cell.Heap || cell.Parent() != u.fn {
		return false
	}
	if a.fn == u.fn {
		return true
	}
	if !nestedIn(a.fn, u.fn) {
		return false
	}
	r := c.m.Reach(u.fn)
	for _, ref := range *cell.Referrers() {
		if mc, ok := ref.(*ssa.MakeClosure); ok && r.InstrReaches(mc, u.instr) {
			return false
		}
	}
	return true
}

// nestedIn reports whether fn is a closure defined (at any depth) in outer.
func nestedIn(fn, outer *ssa.Function) bool {
	for f := fn.Parent(); f != nil; f = f.Parent() {
		if f == outer {
			return true
		}
	}
	return false
}

// ordered reports whether a lock held at both of two accesses, for
// writing at one of them at least, keeps them apart.
func ordered(a, b concurrency.Lockset) bool {
	for _, x := range a {
		for _, y := range b {
			if (!x.Read || !y.Read) && lockID(x.Path) == lockID(y.Path) && lockID(x.Path) != "" {
				return true
			}
		}
	}
	return false
}

// lockID names a mutex across functions: by type from the last pointer,
// or as a global; a local mutex by its variable.
func lockID(p concurrency.Path) string {
	if k := fieldKey(p); k != "" {
		return k
	}
	return p.Key()
}
