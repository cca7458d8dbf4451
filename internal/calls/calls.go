// Package calls answers "is this SSA call a call to X?" once for every pass,
// so that the list of recognised library functions lives in one place.
//
// Names use the syntax of honnef's typeutil.FuncName, as staticcheck's
// code.IsCallTo does: "(*sync.Mutex).Lock", "time.Sleep",
// "(context.Context).Done", with package paths as PkgPath gives them.
package calls

import (
	"bytes"
	"go/types"
	"strings"
	"sync"

	"golang.org/x/tools/go/ssa"
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

var bufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func qualifier(pkg *types.Package) string { return PkgPath(pkg) }

// FuncName is honnef's typeutil.FuncName with package paths as PkgPath
// gives them: "(*sync.Mutex).Lock", "net/http.HandleFunc".
func FuncName(f *types.Func) string {
	buf := bufs.Get().(*bytes.Buffer)
	buf.Reset()
	if sig, ok := f.Type().(*types.Signature); ok {
		if recv := sig.Recv(); recv != nil {
			buf.WriteByte('(')
			if _, ok := recv.Type().(*types.Interface); ok {
				// gcimporter gives the abstract methods of a named
				// interface the interface type as receiver.
				buf.WriteString("interface")
			} else {
				types.WriteType(buf, recv.Type(), qualifier)
			}
			buf.WriteString(").")
		} else if f.Pkg() != nil && f.Pkg().Path() != "" {
			buf.WriteString(PkgPath(f.Pkg()))
			buf.WriteByte('.')
		}
	}
	buf.WriteString(f.Name())
	s := buf.String()
	bufs.Put(buf)
	return s
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
