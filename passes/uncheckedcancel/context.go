package uncheckedcancel

import (
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/calls"
	"github.com/futlint/futlint/internal/concurrency"
	"github.com/futlint/futlint/internal/ssautil"
)

// Calls whose context is never cancelled.
var rootContexts = []string{"context.Background", "context.TODO"}

// Calls that return a test's context.
var testContexts = []string{
	"(*testing.T).Context", "(*testing.B).Context", "(*testing.F).Context",
	"(testing.TB).Context", "(*testing.common).Context",
}

// binding returns the value the enclosing function binds to fv, or nil if
// it cannot tell (the closure is made in more than one place).
func binding(fv *ssa.FreeVar) ssa.Value { return ssautil.Binding(fv) }

// A source is a context the function has been given: a parameter, a
// captured variable, a field of the receiver, the context of a request or
// of a test.
type source struct {
	// expr is how the function's body can name it, for a fix: "ctx",
	// "s.ctx", "r.Context()"; "" when it cannot (a blank parameter, a
	// context obtained from an expression).
	expr string
	// obj is the variable expr starts with, to check that the fix does not
	// refer to a shadowed name.
	obj types.Object
	// param is the context parameter the source is, field the context
	// field of the receiver param it is: for the watch check (watch.go).
	param *ssa.Parameter
	field *types.Var
}

// sources returns the contexts fn has been given, in parameter order,
// then those of the functions whose goroutine runs or starts fn, when fn
// is a closure: a closure called synchronously is part of its caller's
// work, one started by a group (wg.Go, errgroup's Go, a spawner) does its
// caller's work on another goroutine; both should stop when the caller's
// ctx is cancelled, whether they mention it or not.
func (c *checker) sources(fn *ssa.Function) []source {
	if srcs, ok := c.srcs[fn]; ok {
		return srcs
	}
	c.srcs[fn] = nil // recursion
	srcs := c.ownSources(fn)
	if fn.Parent() != nil {
		for _, in := range c.inheritedSources(fn) {
			if !slices.ContainsFunc(srcs, func(s source) bool { return s.obj != nil && s.obj == in.obj || s.expr != "" && s.expr == in.expr }) {
				srcs = append(srcs, in)
			}
		}
	}
	c.srcs[fn] = srcs
	return srcs
}

// inheritedSources returns the sources of the functions that run or start
// the closure fn, if the model knows every way fn comes to run and each is
// a synchronous call or a goroutine doing the caller's work. HTTP handlers
// have their request's context; subtests and RunParallel bodies their
// test's.
func (c *checker) inheritedSources(fn *ssa.Function) []source {
	ctxs := c.model.Contexts(fn)
	if len(ctxs) == 0 {
		return nil
	}
	var out []source
	for _, x := range ctxs {
		switch x.Kind {
		case concurrency.Sync:
		case concurrency.Go:
			// Only a group's goroutines (wg.Go, errgroup's Go, a
			// spawner) are the caller's work, waited for with the
			// group. A bare go statement may start what outlives the
			// function by design: the reader of a connection that
			// Dial(ctx) returns, whose ctx governs only the dial. Such
			// a goroutine has a context only if it captures one.
			if x.Spawn == nil || x.Spawn.Kind != concurrency.Callback {
				return nil
			}
		default:
			return nil
		}
		if x.Caller == nil {
			return nil
		}
		out = append(out, c.sources(x.Caller)...)
	}
	return out
}

// runsSyncOn reports whether fn runs only on the goroutine of f, called
// synchronously by f or by functions that themselves run so.
func (c *checker) runsSyncOn(fn, f *ssa.Function, depth int) bool {
	if fn == f {
		return true
	}
	ctxs := c.model.Contexts(fn)
	if len(ctxs) == 0 || depth > 8 {
		return false
	}
	for _, x := range ctxs {
		if x.Kind != concurrency.Sync || x.Caller == nil || !c.runsSyncOn(x.Caller, f, depth+1) {
			return false
		}
	}
	return true
}

// ownSources returns the contexts fn itself has been given.
func (ck *checker) ownSources(fn *ssa.Function) []source {
	var srcs []source
	var recv *ssa.Parameter
	if fn.Signature.Recv() != nil && len(fn.Params) > 0 {
		recv = fn.Params[0]
	}
	for _, p := range fn.Params {
		obj := p.Object()
		switch {
		case concurrency.IsContext(p.Type()):
			srcs = append(srcs, source{expr: usableName(p.Name()), obj: obj, param: p})
		case calls.IsPointerTo(p.Type(), "net/http", "Request") && !hijacks(fn):
			expr := ""
			if usableName(p.Name()) != "" {
				expr = p.Name() + ".Context()"
			}
			srcs = append(srcs, source{expr: expr, obj: obj})
		}
	}
	for _, fv := range fn.FreeVars {
		t := fv.Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if concurrency.IsContext(t) && concurrency.Uncancellable(fv) == "" {
			srcs = append(srcs, source{expr: fv.Name(), obj: freeVarObject(fv)})
		}
	}
	if recv != nil {
		if field := contextField(recv.Type()); field != nil && usableName(recv.Name()) != "" {
			srcs = append(srcs, source{expr: recv.Name() + "." + field.Name(), obj: recv.Object(), param: recv, field: field})
		} else if field != nil {
			srcs = append(srcs, source{param: recv, field: field})
		}
	}
	// A test's context, asked for in a goroutine or callback of the test.
	// In the test function itself it is useless: it is cancelled only
	// once the test function has returned.
	if fn.Parent() == nil {
		return srcs
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			c, ok := instr.(*ssa.Call)
			if !ok || !calls.Is(&c.Call, testContexts...) || ck.ownTest(fn, &c.Call) {
				continue
			}
			srcs = append(srcs, testSource(&c.Call))
		}
	}
	return srcs
}

func usableName(name string) string {
	if name == "_" || name == "" {
		return ""
	}
	return name
}

// receiverArg returns the receiver of a method call.
func receiverArg(c *ssa.CallCommon) ssa.Value {
	if c.IsInvoke() {
		return c.Value
	}
	if c.Signature().Recv() != nil && len(c.Args) > 0 {
		return c.Args[0]
	}
	return nil
}

// contextField returns the first field of type context.Context of the
// struct t or *t points to.
func contextField(t types.Type) *types.Var {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return nil
	}
	for f := range st.Fields() {
		if concurrency.IsContext(f.Type()) && !f.Embedded() {
			return f
		}
	}
	return nil
}

// freeVarObject finds the variable a closure captured, for the shadowing
// check of a fix.
func freeVarObject(fv *ssa.FreeVar) types.Object {
	switch b := binding(fv).(type) {
	case *ssa.Parameter:
		return b.Object()
	case *ssa.FreeVar:
		return freeVarObject(b)
	}
	return nil // the fix then checks only that the name resolves to a variable outside the closure
}

// hijacks reports whether a handler takes over its connection: the
// request's context then no longer governs what it does with it.
func hijacks(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if c, ok := instr.(*ssa.Call); ok && calls.Is(&c.Call,
				"(net/http.Hijacker).Hijack", "(*net/http.ResponseController).Hijack") {
				return true
			}
		}
	}
	return false
}

// ownTest reports whether a call of t.Context() asks for the context of
// the t of a test function whose goroutine runs fn: fn is that function
// (a subtest's function, a top-level test), or a closure it calls
// synchronously (drain := func() { ... }; drain()). The context is
// cancelled only once that function returns, and checking it in fn's
// loops is useless, as in a top-level test.
func (c *checker) ownTest(fn *ssa.Function, call *ssa.CallCommon) bool {
	recv := testReceiver(call)
	for range 8 {
		if a, ok := recv.(*ssa.Alloc); ok {
			// t lives on the heap when a closure captures it: the
			// parameter is stored into the variable.
			for _, ref := range *a.Referrers() {
				if st, ok := ref.(*ssa.Store); ok && st.Addr == a {
					recv = st.Val
				}
			}
		}
		fv, ok := recv.(*ssa.FreeVar)
		if !ok {
			break
		}
		if recv = binding(fv); recv == nil {
			return false
		}
	}
	p, ok := recv.(*ssa.Parameter)
	return ok && c.runsSyncOn(fn, p.Parent(), 0)
}

// testReceiver returns the *testing.T (or B, F) whose Context() c calls.
func testReceiver(c *ssa.CallCommon) ssa.Value {
	recv := receiverArg(c)
	if fa, ok := recv.(*ssa.FieldAddr); ok {
		recv = fa.X // t.Context() is (*testing.common).Context(&t.common)
	}
	if load, ok := recv.(*ssa.UnOp); ok && load.Op == token.MUL {
		recv = load.X
	}
	return recv
}

// testSource returns the source for a call of t.Context(), with t.Context()
// as its expression when t is a variable the closure captured.
func testSource(c *ssa.CallCommon) source {
	if fv, ok := testReceiver(c).(*ssa.FreeVar); ok && usableName(fv.Name()) != "" {
		return source{expr: fv.Name() + ".Context()", obj: freeVarObject(fv)}
	}
	return source{}
}

// fedByCallers reports whether ch is a channel parameter of fn that every
// caller in the package (there is at least one) passes a channel fed by
// goroutines it gave a live context, as in
//
//	for ... { go func() { results <- work(ctx) }() }
//	go func() { wg.Wait(); close(results) }()
//	return collect(ctx, results)
//
// The producers report the cancellation: collect's loop over results
// ends when they do.
func (c *checker) fedByCallers(fn *ssa.Function, ch ssa.Value) bool {
	p, ok := chanOrigin(ch).(*ssa.Parameter)
	if !ok || p.Parent() != fn {
		return false
	}
	idx := slices.Index(fn.Params, p)
	sites := c.model.CallSites(fn)
	if len(sites) == 0 {
		return false
	}
	for _, s := range sites {
		call := s.Common()
		if call.IsInvoke() || call.StaticCallee() == nil || idx >= len(call.Args) ||
			!c.fedWithContextBut(s.Parent(), call.Args[idx], call) {
			return false
		}
	}
	return true
}
