package concurrency

import (
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// invokedSync reports whether the interface method call c calls its
// argument i before it returns: every type the program knows (this
// package and everything it imports) that implements the interface has
// a method whose summary says so (db.Range(func(seq uint64) bool {...})
// on a DeleteBlock whose implementations all loop over their callback).
// A method with no known implementation, or one implementation that
// stores, spawns or is not summarised, makes it false.
func (m *Model) invokedSync(c *ssa.CallCommon, i int) bool {
	if !c.IsInvoke() {
		return false
	}
	if _, isParam := c.Value.Type().(*types.TypeParam); isParam {
		// Left unknown: a generic body's call on its type parameter
		// is not resolved to the constraint's implementations (it could
		// be, as an interface call is; no real case has asked for it).
		return false
	}
	iface, ok := c.Value.Type().Underlying().(*types.Interface)
	if !ok {
		return false
	}
	key := invokeKey{c.Method, i}
	if v, ok := m.invokes[key]; ok {
		return v
	}
	sync := m.implementationsCallSync(iface, c.Method, i)
	if !m.frozen {
		m.invokes[key] = sync
	}
	return sync
}

type invokeKey struct {
	method *types.Func
	arg    int
}

func (m *Model) implementationsCallSync(iface *types.Interface, method *types.Func, arg int) bool {
	prog := m.SSA.Pkg.Prog
	found := false
	for _, t := range m.typesWithMethod(method.Name()) {
		recv := types.Type(t)
		if !types.Implements(recv, iface) {
			recv = types.NewPointer(t)
			if !types.Implements(recv, iface) {
				continue
			}
		}
		obj, _, _ := types.LookupFieldOrMethod(recv, true, method.Pkg(), method.Name())
		f, ok := obj.(*types.Func)
		if !ok {
			return false
		}
		impl := prog.FuncValue(f)
		if impl == nil || m.Summary(impl).ParamUse(arg+1) != CalledSync { // the receiver is parameter 0
			return false
		}
		found = true
	}
	return found
}

// typesWithMethod returns the named types of the program with a method of
// that name (on the value or the pointer). A generic type is kept as
// declared, as every instance runs its methods' bodies; it is seen to
// implement an interface only when those methods' signatures do not
// mention its type parameters (Queue[T].Visit(func(int) bool)), so an
// instance that implements one only by its type arguments is missed. An
// interface type never enters: a pointer to it has no methods.
func (m *Model) typesWithMethod(name string) []*types.Named {
	if m.methodTypes == nil {
		index := make(map[string][]*types.Named)
		for _, pkg := range m.SSA.Pkg.Prog.AllPackages() {
			for _, mem := range pkg.Members {
				tm, ok := mem.(*ssa.Type)
				if !ok {
					continue
				}
				t, ok := tm.Type().(*types.Named)
				if !ok {
					continue
				}
				ms := types.NewMethodSet(types.NewPointer(t))
				for j := range ms.Len() {
					n := ms.At(j).Obj().Name()
					index[n] = append(index[n], t)
				}
			}
		}
		if m.frozen {
			return index[name]
		}
		m.methodTypes = index
	}
	return m.methodTypes[name]
}
