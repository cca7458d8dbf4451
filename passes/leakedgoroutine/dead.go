package leakedgoroutine

import (
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/concurrency"
)

// deadInMain reports whether fn, in package main, can never run: nothing
// in the package calls it, spawns it or uses it as a value, and (for a
// method) no value whose method set holds it is ever converted to an
// interface, through which another package could call it. main, init
// and the test runner's functions are alive.
func (c *checker) deadInMain(fn *ssa.Function) bool {
	for _, ctx := range c.m.Contexts(fn) {
		if ctx.Kind != concurrency.Entry {
			return false
		}
	}
	return c.mainOnly(fn)
}

// mainOnly reports whether nothing outside package main can call fn:
// fn is in package main, is not main, init or a test runner's function,
// and (for a method) no value whose method set holds it is ever
// converted to an interface. The package's own calls are fn's Sync and Go
// contexts, for the caller to look at.
func (c *checker) mainOnly(fn *ssa.Function) bool {
	if c.pass.Pkg.Name() != "main" || fn.Parent() != nil || fn.Synthetic != "" {
		return false
	}
	obj, ok := fn.Object().(*types.Func)
	if !ok {
		return false
	}
	name := obj.Name()
	if name == "main" || name == "init" || c.m.InTest(fn.Pos()) {
		return false
	}
	for _, p := range []string{"Test", "Benchmark", "Example", "Fuzz"} {
		if strings.HasPrefix(name, p) {
			return false
		}
	}
	if obj.Signature().Recv() == nil {
		return true
	}
	return !c.viaInterface(obj)
}

// viaInterface reports whether the method m may be called through an
// interface value: some value whose method set holds it is converted to
// an interface in the package.
func (c *checker) viaInterface(m *types.Func) bool {
	if c.ifaceMethods == nil {
		c.ifaceMethods = make(map[*types.Func]bool)
		for _, f := range withInit(c.m.SSA.Pkg, c.m.Funcs) {
			for _, b := range f.Blocks {
				for _, instr := range b.Instrs {
					mi, ok := instr.(*ssa.MakeInterface)
					if !ok {
						continue
					}
					ms := types.NewMethodSet(mi.X.Type())
					for i := range ms.Len() {
						if m, ok := ms.At(i).Obj().(*types.Func); ok {
							c.ifaceMethods[m.Origin()] = true
						}
					}
				}
			}
		}
	}
	return c.ifaceMethods[m.Origin()]
}

// deadTestMethod reports whether fn is a method of a test double that
// can never run: its receiver type is unexported and declared in a
// _test.go file (no other package can name it), nothing in the package
// calls it or takes it as a value (also through a wrapper of an
// embedding type), and no interface type in the package or in a package
// it imports has a method of its name, so no conversion of the double
// reaches it (a fake left with a method its interface dropped: etcd mvcc
// fakeIndex.RangeSince). Not seen: an interface literal inside another
// package's function body asserted on the double.
func (c *checker) deadTestMethod(fn *ssa.Function) bool {
	if fn.Parent() != nil || fn.Synthetic != "" || fn.Signature.Recv() == nil {
		return false
	}
	t := fn.Signature.Recv().Type()
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Exported() || n.Obj().Pkg() != c.pass.Pkg || !c.m.InTest(n.Obj().Pos()) {
		return false
	}
	name := fn.Name()
	if c.usedMethodNames == nil {
		c.usedMethodNames = c.methodNamesInUse()
	}
	return !c.usedMethodNames[name]
}

// methodNamesInUse returns the names of the methods the package calls or
// takes as values (by name: a wrapper or bound method counts for the
// method it wraps) and of the methods of every interface type in the
// package and its imports.
func (c *checker) methodNamesInUse() map[string]bool {
	names := make(map[string]bool)
	addIface := func(t types.Type) {
		if it, ok := t.Underlying().(*types.Interface); ok {
			for i := range it.NumMethods() {
				names[it.Method(i).Name()] = true
			}
		}
	}
	for _, tv := range c.pass.TypesInfo.Types {
		addIface(tv.Type)
	}
	for _, obj := range c.pass.TypesInfo.Defs {
		if tn, ok := obj.(*types.TypeName); ok {
			addIface(tn.Type())
		}
	}
	seen := make(map[*types.Package]bool)
	var walk func(p *types.Package)
	walk = func(p *types.Package) {
		if seen[p] {
			return
		}
		seen[p] = true
		scope := p.Scope()
		for _, nm := range scope.Names() {
			if tn, ok := scope.Lookup(nm).(*types.TypeName); ok {
				addIface(tn.Type())
			}
		}
		for _, q := range p.Imports() {
			walk(q)
		}
	}
	for _, q := range c.pass.Pkg.Imports() {
		walk(q)
	}
	var ops []*ssa.Value
	for _, f := range withInit(c.m.SSA.Pkg, c.m.Funcs) {
		for _, b := range f.Blocks {
			for _, instr := range b.Instrs {
				switch x := instr.(type) {
				case *ssa.MakeInterface:
					addIface(x.Type())
				case *ssa.ChangeInterface:
					addIface(x.Type())
				case *ssa.TypeAssert:
					addIface(x.AssertedType)
				}
				if ci, ok := instr.(ssa.CallInstruction); ok && ci.Common().IsInvoke() {
					names[ci.Common().Method.Name()] = true
				}
				for _, op := range instr.Operands(ops[:0]) {
					if g, ok := (*op).(*ssa.Function); ok {
						names[g.Name()] = true
						if obj := g.Object(); obj != nil {
							names[obj.Name()] = true
						}
					}
				}
			}
		}
	}
	return names
}
