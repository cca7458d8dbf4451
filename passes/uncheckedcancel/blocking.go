package uncheckedcancel

import (
	"go/token"
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

// callBlocks reports whether c is a call to a library function that blocks
// or does I/O (blocks) and whether it waits for another party (waits), a
// subset recorded in facts about the caller. Calls through function values
// and to unknown functions do neither.
func callBlocks(c *ssa.CallCommon) (blocks, waits bool) {
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

// takesContext reports whether c calls a function with a context
// parameter, other than the context package's own helpers.
func takesContext(c *ssa.CallCommon) bool {
	if fn := c.StaticCallee(); fn != nil && fn.Pkg != nil && fn.Pkg.Pkg.Path() == "context" {
		return false
	}
	params := c.Signature().Params()
	for i := range params.Len() {
		if isContext(params.At(i).Type()) {
			return true
		}
	}
	return false
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

// sendWaits reports whether a send may wait for a receiver. It does not
// when it is the only send the channel can take before this function
// closes it, into a buffer: the send is dominated by nothing and
// dominates a close of the same channel (a second run of it would panic
// on the closed channel), and every make of the channel in the package
// gives it a constant buffer of at least one. That is the hand-over
//
//	w.result <- r
//	close(w.result)
//
// of a result channel made with make(chan T, 1).
func (c *checker) sendWaits(send *ssa.Send) bool {
	key, ok := chanKey(send.Chan)
	if !ok || !c.buffered(send.Chan) {
		return true
	}
	for _, b := range send.Block().Parent().Blocks {
		for i, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok || !isBuiltin(&call.Call, "close") {
				continue
			}
			if k, ok := chanKey(call.Call.Args[0]); !ok || k != key {
				continue
			}
			if b == send.Block() && i > slices.Index(b.Instrs, ssa.Instruction(send)) ||
				b != send.Block() && send.Block().Dominates(b) {
				return false
			}
		}
	}
	return true
}

func isBuiltin(c *ssa.CallCommon, name string) bool {
	b, ok := c.Value.(*ssa.Builtin)
	return ok && b.Name() == name
}

// A chanID identifies a channel within one function: the value made, or
// a field of one value (w.result).
type chanID struct {
	v     ssa.Value
	field int
}

func chanKey(ch ssa.Value) (chanID, bool) {
	switch ch := ch.(type) {
	case *ssa.MakeChan:
		return chanID{ch, -1}, true
	case *ssa.UnOp:
		if fa, ok := ch.X.(*ssa.FieldAddr); ok && ch.Op == token.MUL {
			return chanID{fa.X, fa.Field}, true
		}
	}
	return chanID{}, false
}

// buffered reports whether every make of the channel ch (a local made
// here, or a struct field made anywhere in the package) has a constant
// buffer of at least one.
func (c *checker) buffered(ch ssa.Value) bool {
	if mc, ok := ch.(*ssa.MakeChan); ok {
		return constBuffer(mc)
	}
	load, ok := ch.(*ssa.UnOp)
	if !ok {
		return false
	}
	fa, ok := load.X.(*ssa.FieldAddr)
	if !ok {
		return false
	}
	st := types.Unalias(fa.X.Type()).(*types.Pointer).Elem()
	field := fa.Field
	if c.bufferedFields == nil {
		c.bufferedFields = c.fieldBuffers()
	}
	v, known := c.bufferedFields[fieldKey{types.TypeString(st, nil), field}]
	return known && v
}

type fieldKey struct {
	typ   string
	field int
}

// fieldBuffers records, per struct field of channel type stored in the
// package, whether every channel made for it is buffered.
func (c *checker) fieldBuffers() map[fieldKey]bool {
	m := map[fieldKey]bool{}
	for _, fn := range c.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				st, ok := instr.(*ssa.Store)
				if !ok {
					continue
				}
				fa, ok := st.Addr.(*ssa.FieldAddr)
				if !ok {
					continue
				}
				if _, isChan := st.Val.Type().Underlying().(*types.Chan); !isChan {
					continue
				}
				k := fieldKey{types.TypeString(types.Unalias(fa.X.Type()).(*types.Pointer).Elem(), nil), fa.Field}
				mc, ok := st.Val.(*ssa.MakeChan)
				buf := ok && constBuffer(mc)
				if prev, seen := m[k]; seen {
					buf = buf && prev
				}
				m[k] = buf
			}
		}
	}
	return m
}

func constBuffer(mc *ssa.MakeChan) bool {
	k, ok := mc.Size.(*ssa.Const)
	return ok && k.Value != nil && k.Int64() >= 1
}
