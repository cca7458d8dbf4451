package calls

import (
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// Interface methods that do I/O or wait for a peer, as gosec's G118 lists
// them, plus Accept and the ReaderFrom/WriterTo pair.
var blockingMethods = []string{
	"Do", "RoundTrip", "QueryContext", "ExecContext", "Read", "Write",
	"Recv", "Send", "Accept", "ReadFrom", "WriteTo",
}

// Of those, the ones that wait for someone else rather than for a local
// write to complete.
var waitingMethods = []string{"Do", "RoundTrip", "QueryContext", "ExecContext", "Read", "Recv", "Accept", "ReadFrom"}

// Blocks reports whether c is a call to a library function that blocks
// or does I/O (blocks) and whether it waits for another party (waits), a
// subset recorded in facts about the caller. Calls through function values
// and to unknown functions do neither.
func Blocks(c *ssa.CallCommon) (blocks, waits bool) {
	if c.IsInvoke() {
		name := c.Method.Name()
		return slices.Contains(blockingMethods, name), slices.Contains(waitingMethods, name)
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
func oneOf(s string, list ...string) bool { return slices.Contains(list, s) }

func hasAnyPrefix(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
