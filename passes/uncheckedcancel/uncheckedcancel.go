// Package uncheckedcancel defines an Analyzer that reports long-running
// loops that never observe the cancellation of the context their function
// was given.
package uncheckedcancel

import (
	_ "embed"
	"go/ast"
	"go/token"
	"go/types"
	"regexp"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/analysisdoc"
	"github.com/futlint/futlint/internal/calls"
	"github.com/futlint/futlint/internal/concurrency"
	"github.com/futlint/futlint/internal/report"
	"github.com/futlint/futlint/internal/ssautil"
)

//go:embed doc.go
var doc string

var Analyzer = &analysis.Analyzer{
	Name:     "uncheckedcancel",
	Doc:      analysisdoc.MustExtract(doc, "uncheckedcancel"),
	URL:      "https://github.com/futlint/futlint#uncheckedcancel",
	Requires: append([]*analysis.Analyzer{buildssa.Analyzer, concurrency.Analyzer}, report.Requires...),
	Run:      run,
}

// msgUnchecked is the finding for a loop that ignores its context, which
// the message names as the function's body can: "ctx", "r.Context()",
// "s.ctx". The advice matches the loop and the function: a case for the
// loop's select, else a check of Err; what to return when the results
// are not (T..., error).
func msgUnchecked(fn *ssa.Function, l *loop, ctx string) string {
	return "loop never checks " + ctx + ".Done(): it keeps running after " + ctx + " is cancelled; " + advice(fn, l, ctx)
}

// advice says how to make l stop when ctx is cancelled.
func advice(fn *ssa.Function, l *loop, ctx string) string {
	ret, ok := returnHint(fn.Signature, ctx)
	if body := l.body(); body != nil && selectStmt(body) != nil {
		if !ok {
			return "add \"case <-" + ctx + ".Done():\" to the select and decide what " + resultsDesc(fn.Signature) + " to return then"
		}
		return "add \"case <-" + ctx + ".Done(): " + ret + "\" to the select"
	}
	if !ok {
		return "check " + ctx + ".Err() in the loop and decide what " + resultsDesc(fn.Signature) + " to return then"
	}
	return "check " + ctx + ".Err() in the loop and " + ret
}

func run(pass *analysis.Pass) (any, error) {
	if concurrency.FactsOnly {
		return nil, nil // no facts of its own
	}
	r := report.New(pass)
	fns := pass.ResultOf[concurrency.Analyzer].(*concurrency.Model).Funcs // with the literals of variable initializers
	c := newChecker(pass, fns)
	for _, fn := range fns {
		srcs := c.sources(fn)
		if len(srcs) == 0 {
			continue
		}
		loops := findLoops(fn)
		reported := map[*ssa.BasicBlock]bool{}
		for _, l := range slices.Backward(loops) { // inner loops first
			msg, fixable, ok := c.checkLoop(l, reported, contextName(pass, l, srcs))
			if !ok {
				continue
			}
			for _, b := range l.Blocks() {
				reported[b] = true
			}
			pos := l.stmt.Pos()
			d := analysis.Diagnostic{Pos: pos, End: pos + token.Pos(len("for")), Message: msg}
			if fix, ok := suggestFix(pass, fn, l, srcs); fixable && ok {
				d.SuggestedFixes = []analysis.SuggestedFix{fix}
			}
			r.Report(d)
		}
	}
	r.Finish()
	return nil, nil
}

// A loopScan is what one loop does about blocking and about contexts.
type loopScan struct {
	blocks   bool      // blocks, waits or does I/O
	checks   bool      // receives from Done, calls Err or Cause on a live context
	forwards string    // passes a live context (or what it made) to this callee
	stops    bool      // a select case leaves the loop: it has another way to stop
	ignoring string    // passes its context only to this callee, which ignores it
	detached string    // watches only this never-cancelled context
	condWait token.Pos // a call of (*sync.Cond).Wait, which cancellation cannot wake
	// blockingCallee is given the context but makes blockingCall, which
	// may block indefinitely, without it.
	blockingCallee, blockingCall string
}

// pkgPath matches the directories of a package path in a full function
// name: "net/" in "(*net/http.Client).Get".
var pkgPath = regexp.MustCompile(`[A-Za-z0-9_.\-]+/`)

// shortFuncName names a function as its package's clients write it:
// "(*http.Client).Get" for "(*net/http.Client).Get".
func shortFuncName(full string) string { return pkgPath.ReplaceAllString(full, "") }

// checkLoop returns the finding for l, if any, and whether the suggested
// fix (a return when ctx is cancelled) would make the loop stop. Blocks of
// inner loops already reported do not count as blocking again.
func (c *checker) checkLoop(l *loop, reported map[*ssa.BasicBlock]bool, ctx string) (msg string, fixable, ok bool) {
	backoff := false
	if l.bounded(c.pass.TypesInfo) {
		if backoff = l.backoff(); !backoff {
			return "", false, false
		}
	}
	var s loopScan
	for _, b := range l.Blocks() {
		for _, instr := range b.Instrs {
			c.scanInstr(l, instr, &s, reported[b])
		}
	}
	// A watch (context.AfterFunc) interrupts what the loop blocks on, but
	// a Broadcast from it only wakes a Cond wait that then waits again.
	if !s.condWait.IsValid() && c.watchedAt(l.fn, l.Header, c.sources(l.fn)) {
		return "", false, false
	}
	switch {
	case !s.blocks, s.checks, s.stops:
		return "", false, false
	case s.forwards != "" && l.HasExit():
		return "", false, false
	case s.forwards != "":
		return "loop has no exit, so passing " + ctx + " to " + s.forwards + " cannot stop it: it keeps running after " + ctx + " is cancelled; return when " + ctx + ".Err() != nil", true, true
	case s.ignoring != "":
		return s.ignoring + " ignores its ctx, so this loop never observes cancellation; make " + s.ignoring + " honour ctx or check ctx.Err() in the loop", true, true
	case s.blockingCallee != "":
		// The fix belongs in the callee: no fix here.
		return s.blockingCallee + " is given " + ctx + " but calls " + shortFuncName(s.blockingCall) + " without it, so this loop can block after " + ctx + " is cancelled; in " + s.blockingCallee + ", use " + calls.CtxVariant(s.blockingCall), false, true
	case s.detached != "":
		return "loop only watches " + s.detached + ", which is never cancelled, so it keeps running after ctx is cancelled; check ctx.Done() or ctx.Err() of the caller's ctx", true, true
	case s.condWait.IsValid():
		// A check of ctx.Err() in the loop is not enough: Wait does not
		// return when ctx is cancelled. No fix.
		cond := condName(l, s.condWait)
		return "loop waits on " + cond + ".Wait(), which cancelling " + ctx + " does not wake: it keeps waiting after " + ctx + " is cancelled; " +
			"call context.AfterFunc(" + ctx + ", " + cond + ".Broadcast) before the loop and check " + ctx + ".Err() in it, or wait on a channel", false, true
	}
	if backoff {
		return "retry loop is bounded in attempts, not in time: it sleeps a growing backoff and never checks " + ctx + ".Done(), so it keeps sleeping after " + ctx + " is cancelled; " + advice(l.fn, l, ctx), true, true
	}
	return msgUnchecked(l.fn, l, ctx), true, true
}

// condName returns the source of the sync.Cond whose Wait is called at
// pos (the call's left parenthesis), as the loop's body writes it.
func condName(l *loop, pos token.Pos) string {
	name := "cond"
	ast.Inspect(l.stmt, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && call.Lparen == pos {
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
				name = types.ExprString(sel.X)
			}
			return false
		}
		return true
	})
	return name
}

// contextName is how messages about l name the function's context: as
// the loop's body can refer to it (the name the suggested fix uses), or
// "ctx" when no name of it is in scope there.
func contextName(pass *analysis.Pass, l *loop, srcs []source) string {
	if body := l.body(); body != nil {
		for _, s := range srcs {
			if s.expr != "" && resolves(pass, s, body.Lbrace+1) {
				return s.expr
			}
		}
	}
	return "ctx"
}

// scanInstr records in s what instr does.
func (c *checker) scanInstr(l *loop, instr ssa.Instruction, s *loopScan, inReported bool) {
	blocks := func() {
		if !inReported {
			s.blocks = true
		}
	}
	switch instr := instr.(type) {
	case *ssa.UnOp:
		if instr.Op != token.ARROW {
			return
		}
		if c.scanRecv(l, instr.X, s) {
			return
		}
		blocks()
	case *ssa.Send:
		if c.model.SendWaits(instr) {
			blocks()
		}
	case *ssa.Select:
		if instr.Blocking {
			blocks()
		}
		for i, st := range instr.States {
			if st.Dir != types.RecvOnly {
				continue
			}
			if c.scanRecv(l, st.Chan, s) {
				continue
			}
			if body := ssautil.SelectCase(instr, i); body != nil && !l.Contains(body) {
				s.stops = true
			}
		}
	case *ssa.MakeClosure:
		for _, v := range instr.Bindings {
			if c.live.Live(v) {
				s.forwards = "a function literal"
			}
		}
	case *ssa.Call:
		c.scanCall(&instr.Call, s, blocks)
	}
}

// scanCall records what a call in the loop does.
func (c *checker) scanCall(call *ssa.CallCommon, s *loopScan, blocks func()) {
	if b, _ := calls.Blocks(call); b || takesContext(call) || c.callWaits(call) {
		blocks()
	}
	if calls.Is(call, "(*sync.Cond).Wait") {
		s.condWait = call.Pos()
	}
	switch calls.Name(call) {
	case "(context.Context).Done", "(context.Context).Err":
		c.watch(call.Value, s)
		return
	case "context.Cause":
		c.watch(call.Args[0], s)
		return
	case "(context.Context).Value", "(context.Context).Deadline":
		return
	}
	if fn := call.StaticCallee(); fn != nil && fn.Pkg != nil && calls.PkgPath(fn.Pkg.Pkg) == "context" {
		return // deriving a context observes nothing by itself
	}
	args := call.Args
	if call.IsInvoke() {
		args = append([]ssa.Value{call.Value}, args...)
	}
	for _, arg := range args {
		if concurrency.IsContext(arg.Type()) {
			if d := concurrency.Uncancellable(arg); d != "" {
				s.detached = d
				continue
			}
			if fn := call.StaticCallee(); fn != nil && c.ignoresCtx(fn) {
				s.ignoring = calleeName(call, c.pass.Pkg)
				continue
			}
			if fn := call.StaticCallee(); fn != nil {
				if b := c.blocksWithoutCtx(fn); b != "" {
					s.blockingCallee, s.blockingCall = calleeName(call, c.pass.Pkg), b
					continue
				}
			}
			s.forwards = calleeName(call, c.pass.Pkg)
			continue
		}
		if c.live.Live(arg) || c.isDone(arg) {
			s.forwards = calleeName(call, c.pass.Pkg)
		}
	}
}

// watch records a call of Done, Err or Cause on ctx.
func (c *checker) watch(ctx ssa.Value, s *loopScan) {
	if d := concurrency.Uncancellable(ctx); d != "" {
		s.detached = d
		return
	}
	s.checks = true
}

// scanRecv records in s a receive from ch in l: a context's Done channel
// (watchDone, reported true), or a channel whose sender may see the
// context.
func (c *checker) scanRecv(l *loop, ch ssa.Value, s *loopScan) bool {
	if c.watchDone(ch, s) {
		return true
	}
	if c.live.Live(ch) || c.fedWithContext(l.fn, ch) || c.fedByCallers(l.fn, ch) {
		s.forwards = "the channel's sender"
	}
	return false
}

// watchDone records a receive from ch if it is a context's Done channel,
// and reports whether it was.
func (c *checker) watchDone(ch ssa.Value, s *loopScan) bool {
	ctx := doneOf(ch)
	if ctx == nil {
		return false
	}
	c.watch(ctx, s)
	return true
}

func (c *checker) isDone(v ssa.Value) bool {
	_, isChan := v.Type().Underlying().(*types.Chan)
	return isChan && doneOf(v) != nil
}

// doneOf returns the context whose Done channel ch is, or nil: ctx.Done()
// itself or an alias of it (done := ctx.Done(), captured or not).
func doneOf(ch ssa.Value) ssa.Value {
	var ctx ssa.Value
	ssautil.Any(ch, chanEdges|ssautil.Phis, func(v ssa.Value) (found, stop bool) {
		if call, ok := v.(*ssa.Call); ok && calls.Is(&call.Call, "(context.Context).Done") {
			ctx = call.Call.Value
			return true, true
		}
		return false, false
	})
	return ctx
}

// calleeName names the function a call calls, for a message.
// calleeName names the callee for a message, qualified by its package
// when it is not from the package being analysed (lib.Pause).
func calleeName(call *ssa.CallCommon, from *types.Package) string {
	if call.IsInvoke() {
		return call.Method.Name()
	}
	if fn := call.StaticCallee(); fn != nil {
		fn = origin(fn)
		if fn.Parent() != nil {
			return "a function literal"
		}
		if obj := fn.Object(); obj != nil {
			if pkg := obj.Pkg(); pkg != nil && pkg != from && fn.Signature.Recv() == nil {
				return pkg.Name() + "." + obj.Name()
			}
			return obj.Name()
		}
		return fn.Name()
	}
	if name := calls.Name(call); name != "" {
		return name
	}
	return "a function value"
}

// fedWithContext reports whether fn starts or calls a function that is
// given (or, a function literal, captures) both the channel ch and a live
// context: the loop
// receiving from ch hears from it when the context is cancelled, as in
//
//	results := make(chan result)
//	go func() { results <- work(ctx) }()
//	for { select { case r := <-results: ... } }
func (c *checker) fedWithContext(fn *ssa.Function, ch ssa.Value) bool {
	return c.fedWithContextBut(fn, ch, nil)
}

// fedWithContextBut is fedWithContext with the call except left out: the
// consumer's own call, when asking for its caller.
func (c *checker) fedWithContextBut(fn *ssa.Function, ch ssa.Value, except *ssa.CallCommon) bool {
	origin := chanOrigin(ch)
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			ci, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			call := ci.Common()
			if call.IsInvoke() || call == except {
				continue
			}
			captures, live := false, false
			if mc, ok := call.Value.(*ssa.MakeClosure); ok {
				for _, v := range mc.Bindings {
					captures = captures || chanOrigin(v) == origin
					live = live || c.live.Live(v)
				}
			}
			for _, v := range call.Args {
				captures = captures || chanOrigin(v) == origin
				live = live || c.live.Live(v)
			}
			if captures && live {
				return true
			}
		}
	}
	return false
}

// chanEdges are the ways from a channel value back to the channel:
// direction conversions, loads, captured variables and their cells.
const chanEdges = ssautil.Conversions | ssautil.Loads | ssautil.FreeVars | ssautil.Cells

// chanOrigin returns the variable or value a channel is read from.
func chanOrigin(v ssa.Value) ssa.Value { return ssautil.Origin(v, chanEdges) }
