// Package calls answers "is this SSA call a call to X?" once for every pass,
// so that the list of recognised library functions lives in one place.
//
// Names use the syntax of honnef's typeutil.FuncName, as staticcheck's
// code.IsCallTo does: "(*sync.Mutex).Lock", "time.Sleep",
// "(context.Context).Done".
package calls

import (
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
	"honnef.co/go/tools/go/types/typeutil"
)

// Name returns the full name of the function or method called by c, or ""
// for a call through a function value. Interface method calls are named by
// the interface's method, e.g. "(context.Context).Done"; calls to generic
// functions are named by their origin.
func Name(c *ssa.CallCommon) string {
	if obj := Callee(c); obj != nil {
		return typeutil.FuncName(obj)
	}
	return ""
}

// Callee returns the function or method object called by c, or nil for a
// call through a function value. Interface method calls give the
// interface's method; calls to generic functions give the origin.
func Callee(c *ssa.CallCommon) *types.Func {
	if c.IsInvoke() {
		return c.Method
	}
	if fn := c.StaticCallee(); fn != nil {
		if fn.Origin() != nil {
			fn = fn.Origin()
		}
		obj, _ := fn.Object().(*types.Func)
		return obj
	}
	// A method value or an instantiated generic callee: look through
	// to the *types.Func when the value names one.
	if mv, ok := c.Value.(*ssa.MakeClosure); ok {
		if fn, ok := mv.Fn.(*ssa.Function); ok {
			obj, _ := fn.Object().(*types.Func)
			return obj
		}
	}
	return nil
}

// Is reports whether c calls one of the named functions.
//
// Is runs for most calls of every package, so it compares the bare
// function name first and builds the full name (which allocates) only
// when that matches.
func Is(c *ssa.CallCommon, names ...string) bool {
	obj := Callee(c)
	if obj == nil {
		return false
	}
	full := ""
	for _, n := range names {
		if !hasFuncName(n, obj.Name()) {
			continue
		}
		if full == "" {
			full = typeutil.FuncName(obj)
		}
		if n == full {
			return true
		}
	}
	return false
}

// hasFuncName reports whether full name n ends in the function name short.
func hasFuncName(n, short string) bool {
	return strings.HasSuffix(n, short) && len(n) > len(short) && n[len(n)-len(short)-1] == '.'
}

// InstrCall returns the call of a call, go or defer instruction.
func InstrCall(instr ssa.Instruction) (*ssa.CallCommon, bool) {
	if ci, ok := instr.(ssa.CallInstruction); ok {
		return ci.Common(), true
	}
	return nil, false
}
