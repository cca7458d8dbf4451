// Package calls answers "is this SSA call a call to X?" once for every pass,
// so that the list of recognised library functions lives in one place.
//
// Names use the syntax of honnef's typeutil.FuncName, as staticcheck's
// code.IsCallTo does: "(*sync.Mutex).Lock", "time.Sleep",
// "(context.Context).Done", with package paths as PkgPath gives them.
package calls

import (
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
	"honnef.co/go/tools/go/types/typeutil"
)

// PkgPath returns pkg's import path without its vendor directory, as
// golang.org/x/tools/imports.VendorlessPath does: a GOPATH project's
// "proj/vendor/golang.org/x/sync/errgroup" is "golang.org/x/sync/errgroup",
// the standard library's "vendor/golang.org/x/net/http2/hpack" is
// "golang.org/x/net/http2/hpack". A vendored copy of a library is that
// library, so every match by package path (Name, Is, IsNamed, InPkg) uses
// this one.
func PkgPath(pkg *types.Package) string {
	path := pkg.Path()
	if i := strings.LastIndex(path, "/vendor/"); i >= 0 {
		return path[i+len("/vendor/"):]
	}
	return strings.TrimPrefix(path, "vendor/")
}

// InPkg reports whether obj belongs to the package with path path (as
// PkgPath gives it).
func InPkg(obj types.Object, path string) bool {
	return obj.Pkg() != nil && PkgPath(obj.Pkg()) == path
}

// IsNamed reports whether t (through aliases) is the named type path.name.
func IsNamed(t types.Type, path, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Name() == name && InPkg(n.Obj(), path)
}

// IsPointerTo reports whether t (through aliases) is *path.name.
func IsPointerTo(t types.Type, path, name string) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	return ok && IsNamed(p.Elem(), path, name)
}

// FuncName is honnef's typeutil.FuncName with package paths as PkgPath
// gives them: "(*sync.Mutex).Lock", "net/http.HandleFunc" (also for a
// vendored net/http).
func FuncName(f *types.Func) string {
	name := typeutil.FuncName(f)
	if f.Pkg() != nil {
		if path, plain := f.Pkg().Path(), PkgPath(f.Pkg()); path != plain {
			// The receiver's type and the function are f's package's.
			name = strings.Replace(name, path+".", plain+".", 1)
		}
	}
	return name
}

// Name returns the full name of the function or method called by c, or ""
// for a call through a function value. Interface method calls are named by
// the interface's method, e.g. "(context.Context).Done"; calls to generic
// functions are named by their origin.
func Name(c *ssa.CallCommon) string {
	if obj := Callee(c); obj != nil {
		return FuncName(obj)
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
			full = FuncName(obj)
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
