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
	return func(t *types.Tuple) bool { return t.Len() == 1 && IsNamed(t.At(0).Type(), pkg, name) }
}
func pointer1(pkg, name string) func(*types.Tuple) bool {
	return func(t *types.Tuple) bool { return t.Len() == 1 && IsPointerTo(t.At(0).Type(), pkg, name) }
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
	return t.Len() == 2 && IsPointerTo(t.At(0).Type(), "net/http", "Response") && isError(t.At(1).Type())
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
	pkg, name := PkgPath(obj.Pkg()), obj.Name()
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

func isContext(t types.Type) bool { return IsNamed(t, "context", "Context") }

func isError(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// withoutCtx lists library calls that may block indefinitely (network,
// database, subprocess) and have a variant that takes a context, with
// what to use instead. A function given ctx that makes one of these calls
// without it cannot be stopped by ctx while the call blocks.
var withoutCtx = map[string]string{
	"net/http.Get":                  "http.NewRequestWithContext(ctx, ...) and Client.Do",
	"net/http.Head":                 "http.NewRequestWithContext(ctx, ...) and Client.Do",
	"net/http.Post":                 "http.NewRequestWithContext(ctx, ...) and Client.Do",
	"net/http.PostForm":             "http.NewRequestWithContext(ctx, ...) and Client.Do",
	"(*net/http.Client).Get":        "http.NewRequestWithContext(ctx, ...) and Client.Do",
	"(*net/http.Client).Head":       "http.NewRequestWithContext(ctx, ...) and Client.Do",
	"(*net/http.Client).Post":       "http.NewRequestWithContext(ctx, ...) and Client.Do",
	"(*net/http.Client).PostForm":   "http.NewRequestWithContext(ctx, ...) and Client.Do",
	"(*net/http.Client).Do":         "a request made with http.NewRequestWithContext(ctx, ...)",
	"net.Dial":                      "(&net.Dialer{}).DialContext(ctx, ...)",
	"net.DialTimeout":               "(&net.Dialer{Timeout: d}).DialContext(ctx, ...)",
	"(*net.Dialer).Dial":            "Dialer.DialContext(ctx, ...)",
	"net.Listen":                    "(&net.ListenConfig{}).Listen(ctx, ...)",
	"(*database/sql.DB).Query":      "QueryContext(ctx, ...)",
	"(*database/sql.DB).QueryRow":   "QueryRowContext(ctx, ...)",
	"(*database/sql.DB).Exec":       "ExecContext(ctx, ...)",
	"(*database/sql.DB).Begin":      "BeginTx(ctx, ...)",
	"(*database/sql.DB).Prepare":    "PrepareContext(ctx, ...)",
	"(*database/sql.DB).Ping":       "PingContext(ctx)",
	"(*database/sql.Tx).Query":      "QueryContext(ctx, ...)",
	"(*database/sql.Tx).QueryRow":   "QueryRowContext(ctx, ...)",
	"(*database/sql.Tx).Exec":       "ExecContext(ctx, ...)",
	"(*database/sql.Tx).Prepare":    "PrepareContext(ctx, ...)",
	"(*database/sql.Stmt).Query":    "QueryContext(ctx, ...)",
	"(*database/sql.Stmt).QueryRow": "QueryRowContext(ctx, ...)",
	"(*database/sql.Stmt).Exec":     "ExecContext(ctx, ...)",
	"(*os/exec.Cmd).Run":            "exec.CommandContext(ctx, ...)",
	"(*os/exec.Cmd).Output":         "exec.CommandContext(ctx, ...)",
	"(*os/exec.Cmd).CombinedOutput": "exec.CommandContext(ctx, ...)",
	"(*os/exec.Cmd).Wait":           "exec.CommandContext(ctx, ...)",
}

// BlocksWithoutCtx reports whether c is a library call that may block
// indefinitely and has a variant that takes a context, and returns its
// full name. Whether c was nonetheless given a context (a request made
// with one, a Cmd from CommandContext) is for the caller to decide.
func BlocksWithoutCtx(c *ssa.CallCommon) (string, bool) {
	if c.IsInvoke() {
		return "", false
	}
	name := Name(c)
	if instead, ok := withoutCtx[name]; ok && instead != "" {
		return name, true
	}
	return "", false
}

// CtxVariant says what to call instead of the function named name (as
// BlocksWithoutCtx returns it) to make it stop with a context.
func CtxVariant(name string) string { return withoutCtx[name] }
