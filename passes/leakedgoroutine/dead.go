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
