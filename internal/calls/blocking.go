package calls

import (
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// An ifaceMethod is a method called through an interface that blocks:
// matched by name and signature (the shape of io.Reader's Read, of a gRPC
// stream's Recv), not by name alone, so that a cache's Read(key) or a
// once-like Do(f) is not I/O.
type ifaceMethod struct {
	name    string
	matches func(sig *types.Signature) bool
	waits   bool // waits for another party, not only for a local write
}

var ifaceMethods = []ifaceMethod{
	{"Read", sigIs(bytesParam, intErr), true},
	{"Write", sigIs(bytesParam, intErr), false},
	{"ReadFrom", sigIs(named1("io", "Reader"), int64Err), true},
	{"WriteTo", sigIs(named1("io", "Writer"), int64Err), false},
	{"Accept", sigIs(noParams, valueErr), true},
	{"RoundTrip", sigIs(pointer1("net/http", "Request"), responseErr), true},
	{"Do", sigIs(pointer1("net/http", "Request"), responseErr), true},
	{"Recv", sigIs(noParams, valueErr), true},
	{"RecvMsg", sigIs(any1, errOnly), true},
	{"Send", sigIs(any1, errOnly), false},
	{"SendMsg", sigIs(any1, errOnly), false},
	{"QueryContext", sigIs(ctxFirst, anything), true},
	{"ExecContext", sigIs(ctxFirst, anything), true},
}

func sigIs(params, results func(*types.Tuple) bool) func(*types.Signature) bool {
	return func(sig *types.Signature) bool { return params(sig.Params()) && results(sig.Results()) }
}

func noParams(t *types.Tuple) bool { return t.Len() == 0 }
func any1(t *types.Tuple) bool     { return t.Len() == 1 }
func anything(*types.Tuple) bool   { return true }
func ctxFirst(t *types.Tuple) bool { return t.Len() > 0 && isContext(t.At(0).Type()) }
func bytesParam(t *types.Tuple) bool {
	if t.Len() != 1 {
		return false
	}
	sl, ok := t.At(0).Type().Underlying().(*types.Slice)
	return ok && types.Identical(sl.Elem(), types.Typ[types.Byte])
}
func named1(pkg, name string) func(*types.Tuple) bool {
	return func(t *types.Tuple) bool { return t.Len() == 1 && isNamed(t.At(0).Type(), pkg, name) }
}
func pointer1(pkg, name string) func(*types.Tuple) bool {
	return func(t *types.Tuple) bool { return t.Len() == 1 && isPointerTo(t.At(0).Type(), pkg, name) }
}
func errOnly(t *types.Tuple) bool { return t.Len() == 1 && isError(t.At(0).Type()) }
func valueErr(t *types.Tuple) bool {
	return t.Len() == 2 && isError(t.At(1).Type())
}
func basicErr(kind types.BasicKind) func(*types.Tuple) bool {
	return func(t *types.Tuple) bool {
		return t.Len() == 2 && types.Identical(t.At(0).Type(), types.Typ[kind]) && isError(t.At(1).Type())
	}
}

var (
	intErr   = basicErr(types.Int)
	int64Err = basicErr(types.Int64)
)

func responseErr(t *types.Tuple) bool {
	return t.Len() == 2 && isPointerTo(t.At(0).Type(), "net/http", "Response") && isError(t.At(1).Type())
}

// invokeBlocks reports whether a call through an interface blocks and
// whether it waits.
func invokeBlocks(m *types.Func) (blocks, waits bool) {
	for _, im := range ifaceMethods {
		if m.Name() == im.name && im.matches(m.Signature()) {
			return true, im.waits
		}
	}
	return false, false
}

// Blocks reports whether c is a call to a library function that blocks
// or does I/O (blocks) and whether it waits for another party (waits), a
// subset recorded in facts about the caller. Calls through function values
// and to unknown functions do neither.
func Blocks(c *ssa.CallCommon) (blocks, waits bool) {
	if c.IsInvoke() {
		return invokeBlocks(c.Method)
	}
	fn := c.StaticCallee()
	if fn == nil {
		return false, false
	}
	if fn.Origin() != nil {
		fn = fn.Origin()
	}
	obj, ok := fn.Object().(*types.Func)
	if !ok || obj.Pkg() == nil {
		return false, false
	}
	pkg, name := obj.Pkg().Path(), obj.Name()
	recv := ""
	if sig := obj.Signature(); sig.Recv() != nil {
		t := sig.Recv().Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := types.Unalias(t).(*types.Named); ok {
			recv = n.Obj().Name()
		}
	}
	reads := strings.HasPrefix(name, "Read") || name == "Accept" || strings.HasPrefix(name, "Accept")
	writes := strings.HasPrefix(name, "Write")
	switch pkg {
	case "time":
		return name == "Sleep", name == "Sleep"
	case "sync":
		if recv == "Cond" && name == "Wait" {
			return true, true
		}
	case "net/http":
		switch {
		case recv == "" && oneOf(name, "Get", "Head", "Post", "PostForm"),
			recv == "Client" && oneOf(name, "Do", "Get", "Head", "Post", "PostForm"):
			return true, true
		}
	case "database/sql":
		if oneOf(recv, "DB", "Conn", "Tx", "Stmt") && hasAnyPrefix(name, "Query", "Exec", "Begin", "Prepare", "Ping") ||
			recv == "Rows" && name == "Next" {
			return true, true
		}
	case "os":
		switch {
		case recv == "" && oneOf(name, "ReadFile", "Open", "OpenFile"):
			return true, true
		case recv == "" && oneOf(name, "WriteFile", "Create"):
			return true, false
		case recv == "File" && (reads || writes):
			return true, reads
		}
	case "net":
		switch {
		case recv == "" && hasAnyPrefix(name, "Dial", "Listen"):
			return true, true
		case recv != "" && (reads || writes):
			return true, reads
		}
	case "io":
		if recv == "" && oneOf(name, "Copy", "CopyN", "CopyBuffer", "ReadAll", "ReadFull", "ReadAtLeast") {
			return true, true
		}
	case "bufio":
		if recv == "Scanner" && name == "Scan" || recv == "Reader" && reads {
			return true, true
		}
	case "os/exec":
		if recv == "Cmd" && oneOf(name, "Run", "Output", "CombinedOutput", "Wait") {
			return true, true
		}
	}
	return false, false
}

func oneOf(s string, list ...string) bool { return slices.Contains(list, s) }

func hasAnyPrefix(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// The types the signatures above are made of.

func isContext(t types.Type) bool { return isNamed(t, "context", "Context") }

func isNamed(t types.Type, pkg, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == pkg && n.Obj().Name() == name
}

func isPointerTo(t types.Type, pkg, name string) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	return ok && isNamed(p.Elem(), pkg, name)
}

func isError(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}
