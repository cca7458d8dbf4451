// Package calls answers "is this SSA call a call to X?" once for every pass,
// so that the list of recognised library functions lives in one place.
//
// Names use the syntax of honnef's typeutil.FuncName, as staticcheck's
// code.IsCallTo does: "(*sync.Mutex).Lock", "time.Sleep",
// "(context.Context).Done".
package calls

import (
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"
	"honnef.co/go/tools/go/types/typeutil"
)

// Name returns the full name of the function or method called by c, or ""
// for a call through a function value. Interface method calls are named by
// the interface's method, e.g. "(context.Context).Done"; calls to generic
// functions are named by their origin.
func Name(c *ssa.CallCommon) string {
	if c.IsInvoke() {
		return typeutil.FuncName(c.Method)
	}
	if fn := c.StaticCallee(); fn != nil {
		if fn.Origin() != nil {
			fn = fn.Origin()
		}
		if obj, ok := fn.Object().(*types.Func); ok {
			return typeutil.FuncName(obj)
		}
		return ""
	}
	// A method value or an instantiated generic callee: look through
	// to the *types.Func when the value names one.
	if mv, ok := c.Value.(*ssa.MakeClosure); ok {
		if fn, ok := mv.Fn.(*ssa.Function); ok {
			if obj, ok := fn.Object().(*types.Func); ok {
				return typeutil.FuncName(obj)
			}
		}
	}
	return ""
}

// Is reports whether c calls one of the named functions.
func Is(c *ssa.CallCommon, names ...string) bool {
	n := Name(c)
	return n != "" && slices.Contains(names, n)
}

// InstrCall returns the call of a call, go or defer instruction.
func InstrCall(instr ssa.Instruction) (*ssa.CallCommon, bool) {
	if ci, ok := instr.(ssa.CallInstruction); ok {
		return ci.Common(), true
	}
	return nil, false
}
