package uncheckedcancel

import (
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/calls"
	"github.com/futlint/futlint/internal/concurrency"
)

// A funcFact records, for a function of an analysed package, what callers
// in other packages need to know. Only functions with something to record
// get one.
type funcFact struct {
	// IgnoresCtx: the function has context parameters and never checks
	// them, nor passes them on to anything that might.
	IgnoresCtx bool
	// Waits: the function may wait for another party (a channel, a
	// timer, a read from a connection or file), directly or through its
	// callees, so a loop calling it is long-running.
	Waits bool
}

func (*funcFact) AFact() {}

func (f *funcFact) String() string {
	var s []string
	if f.IgnoresCtx {
		s = append(s, "ignoresCtx")
	}
	if f.Waits {
		s = append(s, "waits")
	}
	return strings.Join(s, " ")
}

// A checker holds one pass's memoised answers about the package's
// functions. It lives only for one run, so passes share nothing.
type checker struct {
	model   *concurrency.Model
	srcs    map[*ssa.Function][]source // memoised sources
	pass    *analysis.Pass
	ignores map[*ssa.Function]bool
	waits   map[*ssa.Function]bool
	funcs   []*ssa.Function // the package's source functions

	bufferedFields map[fieldKey]bool            // computed on first use
	sites          map[*ssa.Function][]callSite // static calls by callee, computed on first use
}

func newChecker(pass *analysis.Pass, funcs []*ssa.Function) *checker {
	return &checker{
		model:   pass.ResultOf[concurrency.Analyzer].(*concurrency.Model),
		srcs:    map[*ssa.Function][]source{},
		pass:    pass,
		funcs:   funcs,
		ignores: make(map[*ssa.Function]bool),
		waits:   make(map[*ssa.Function]bool),
	}
}

// fact returns the fact about a function of another package.
func (c *checker) fact(fn *ssa.Function) (funcFact, bool) {
	var f funcFact
	obj := fn.Object()
	if obj == nil || obj.Pkg() == nil || obj.Pkg() == c.pass.Pkg {
		return f, false
	}
	ok := c.pass.ImportObjectFact(obj, &f)
	return f, ok
}

// local reports whether fn's body is in this package, so its answers are
// computed rather than imported.
func (c *checker) local(fn *ssa.Function) bool {
	return fn.Pkg != nil && fn.Pkg.Pkg == c.pass.Pkg && len(fn.Blocks) > 0
}

func origin(fn *ssa.Function) *ssa.Function {
	if fn.Origin() != nil {
		return fn.Origin()
	}
	return fn
}

// ignoresCtx reports whether fn has context parameters and does nothing
// with them that could observe cancellation.
func (c *checker) ignoresCtx(fn *ssa.Function) bool {
	fn = origin(fn)
	if !c.local(fn) {
		f, _ := c.fact(fn)
		return f.IgnoresCtx
	}
	if v, ok := c.ignores[fn]; ok {
		return v
	}
	c.ignores[fn] = false // recursion: assume it honours its context
	ignores := false
	for _, p := range fn.Params {
		if !isContext(p.Type()) {
			continue
		}
		if !c.unobserved(p, map[ssa.Value]bool{}) {
			ignores = false
			break
		}
		ignores = true
	}
	c.ignores[fn] = ignores
	return ignores
}

// unobserved reports whether no use of the context v could observe its
// cancellation: it is unused, only asked for values or its deadline,
// detached with WithoutCancel, or passed to functions known to ignore it.
func (c *checker) unobserved(v ssa.Value, seen map[ssa.Value]bool) bool {
	if seen[v] {
		return true
	}
	seen[v] = true
	refs := v.Referrers()
	if refs == nil {
		return true
	}
	for _, ref := range *refs {
		switch ref := ref.(type) {
		case *ssa.DebugRef:
			continue
		case *ssa.Call:
			call := &ref.Call
			if call.IsInvoke() && call.Value == v && (call.Method.Name() == "Value" || call.Method.Name() == "Deadline") {
				continue
			}
			switch name := calls.Name(call); name {
			case "context.WithoutCancel":
				continue
			case "context.WithValue":
				if !c.unobserved(ref, seen) {
					return false
				}
				continue
			}
			if callee := call.StaticCallee(); callee != nil && c.ignoresCtx(callee) {
				continue
			}
			return false
		case *ssa.ChangeType, *ssa.MakeInterface, *ssa.ChangeInterface, *ssa.Phi:
			if !c.unobserved(ref.(ssa.Value), seen) {
				return false
			}
		default:
			// Stored, returned, captured, compared: assume it is used.
			return false
		}
	}
	return true
}

// callWaits reports whether call waits for another party: a library call
// that does, or a call to a function that does.
func (c *checker) callWaits(call *ssa.CallCommon) bool {
	if _, waits := calls.Blocks(call); waits {
		return true
	}
	callee := call.StaticCallee()
	if callee == nil {
		return false
	}
	return c.funcWaits(callee)
}

// funcWaits reports whether fn may wait for another party.
func (c *checker) funcWaits(fn *ssa.Function) bool {
	fn = origin(fn)
	if fn.Pkg != nil && runtimeInternal(fn.Pkg.Pkg.Path()) {
		return false
	}
	if !c.local(fn) {
		f, _ := c.fact(fn)
		return f.Waits
	}
	if v, ok := c.waits[fn]; ok {
		return v
	}
	c.waits[fn] = false // recursion: decided by the other paths
	waits := false
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if c.instrWaits(instr) {
				waits = true
				break
			}
		}
		if waits {
			break
		}
	}
	c.waits[fn] = waits
	return waits
}

// instrWaits reports whether instr waits for another party.
func (c *checker) instrWaits(instr ssa.Instruction) bool {
	switch instr := instr.(type) {
	case *ssa.UnOp:
		return instr.Op == token.ARROW
	case *ssa.Send:
		return c.sendWaits(instr)
	case *ssa.Select:
		return instr.Blocking
	case *ssa.Call:
		return c.callWaits(&instr.Call)
	}
	return false
}

// exportFacts records the facts of the package's functions.
func (c *checker) exportFacts(fns []*ssa.Function) {
	for _, fn := range fns {
		if fn.Origin() != nil || fn.Parent() != nil {
			continue
		}
		// Only exported functions can be called from other packages.
		obj, ok := fn.Object().(*types.Func)
		if !ok || obj.Pkg() != c.pass.Pkg || !obj.Exported() {
			continue
		}
		f := funcFact{IgnoresCtx: c.ignoresCtx(fn), Waits: c.funcWaits(fn)}
		if f.IgnoresCtx || f.Waits {
			c.pass.ExportObjectFact(obj, &f)
		}
	}
}

// runtimeInternal reports whether path is the runtime or one of its
// internal packages, whose channel operations (in the garbage collector,
// reached from every allocation) say nothing about their callers.
func runtimeInternal(path string) bool {
	return path == "runtime" || strings.HasPrefix(path, "runtime/") || strings.HasPrefix(path, "internal/")
}
