package unlockedinc

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/concurrency"
)

// handedOut returns the memory that whoever gets mi, an address handed
// out as an interface, may read or write. Through an interface without
// methods (fmt.Sscan's, json's arguments) reflection reaches all of it.
// Through one with methods, a pointer to a struct is reached only by its
// methods: the interface's, and the exported ones (any interface asserted
// from it may call them), and code that asserts it back: this package, to
// its type or to an interface of its unexported methods, or, for an
// exported type with exported fields, anyone.
func (c *checker) handedOut(fn *ssa.Function, mi *ssa.MakeInterface) []concurrency.Path {
	p := c.m.PathOf(fn, mi.X)
	if !isPointer(mi.X.Type()) || !addressOf(p) {
		return nil
	}
	whole := []concurrency.Path{p}
	iface, _ := mi.Type().Underlying().(*types.Interface)
	named := structPointee(mi.X.Type())
	if iface == nil || iface.NumMethods() == 0 || named == nil || c.assertedTo(named) || exportedFields(named) {
		return whole
	}
	asserted := c.assertedMethods()
	prog := fn.Prog
	ms := prog.MethodSets.MethodSet(mi.X.Type())
	var out []concurrency.Path
	for i := range ms.Len() {
		sel := ms.At(i)
		obj := sel.Obj().(*types.Func)
		if !obj.Exported() && !asserted[obj.Id()] {
			if m, _, _ := types.LookupFieldOrMethod(iface, false, obj.Pkg(), obj.Name()); m == nil {
				continue // nobody holding the interface can call it
			}
		}
		meth := prog.FuncValue(obj)
		if len(sel.Index()) > 1 || meth == nil {
			// Promoted from an embedded field, or a generic type's
			// method instance, which FuncValue does not know.
			return whole
		}
		for _, a := range c.accessesOf(meth) {
			if a.path.Kind == concurrency.Param && a.path.Param == 0 && rootFunc(a.path) == meth {
				out = append(out, p.Append(a.path))
			}
		}
	}
	return out
}

// structPointee returns T for *T with T a named struct type.
func structPointee(t types.Type) *types.Named {
	ptr, ok := t.Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	named, ok := types.Unalias(ptr.Elem()).(*types.Named)
	if !ok {
		return nil
	}
	if _, ok := named.Underlying().(*types.Struct); !ok {
		return nil
	}
	return named
}

// exportedFields reports whether named is exported and has an exported
// field: another package may assert an interface back to it and touch it.
func exportedFields(named *types.Named) bool {
	if !named.Obj().Exported() {
		return false
	}
	st := named.Underlying().(*types.Struct)
	for i := range st.NumFields() {
		if st.Field(i).Exported() {
			return true
		}
	}
	return false
}

// assertedTo reports whether the package asserts an interface to named or
// a pointer to it: the holder of the interface then reaches its fields.
func (c *checker) assertedTo(named *types.Named) bool {
	for _, t := range c.typeAsserts() {
		if ptr, ok := t.(*types.Pointer); ok {
			t = ptr.Elem()
		}
		if types.Identical(t, named) {
			return true
		}
	}
	return false
}

// assertedMethods returns the Ids of the methods of the interface types
// the package asserts to: calls through them reach methods no other
// package can name.
func (c *checker) assertedMethods() map[string]bool {
	if c.asserted == nil {
		c.asserted = make(map[string]bool)
		for _, t := range c.typeAsserts() {
			if it, ok := t.Underlying().(*types.Interface); ok {
				for i := range it.NumMethods() {
					c.asserted[it.Method(i).Id()] = true
				}
			}
		}
	}
	return c.asserted
}

// typeAsserts returns the types the package's functions assert to (type
// switches included).
func (c *checker) typeAsserts() []types.Type {
	if c.asserts == nil {
		c.asserts = []types.Type{}
		for _, fn := range c.funcs {
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					if ta, ok := instr.(*ssa.TypeAssert); ok {
						c.asserts = append(c.asserts, ta.AssertedType)
					}
				}
			}
		}
	}
	return c.asserts
}
