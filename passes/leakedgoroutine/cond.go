package leakedgoroutine

// A sync.Cond nothing signals. A Wait returns only after a Signal or
// Broadcast on the same Cond; when the Cond lives in an unexported field
// (or any field in package main) or in a local variable, and nothing in
// the package ever calls Signal or Broadcast on it, nor hands the Cond to
// code we do not see, the goroutine that reaches the Wait blocks forever.

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/calls"
	"github.com/futlint/futlint/internal/ssautil"
)

// checkSilentConds reports Waits on conditions nothing signals.
func (c *checker) checkSilentConds(funcs []*ssa.Function) {
	waits := make(map[string][]*ssa.Call)
	signalled := make(map[string]bool)
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				// A Cond stored elsewhere, returned or converted may be
				// signalled under another name.
				var handed []ssa.Value
				switch x := instr.(type) {
				case *ssa.Store:
					handed = append(handed, x.Val)
				case *ssa.Return:
					handed = append(handed, x.Results...)
				case *ssa.MakeInterface:
					handed = append(handed, x.X)
				case *ssa.Send:
					handed = append(handed, x.X)
				}
				for _, v := range handed {
					if isCondPtr(v.Type()) {
						if k := c.condKey(fn, v); k != "" {
							signalled[k] = true
						}
					}
				}
				ci, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				cc := ci.Common()
				if cc.IsInvoke() {
					continue
				}
				switch {
				case calls.Is(cc, "(*sync.Cond).Wait"):
					if k := c.condKey(fn, cc.Args[0]); k != "" {
						if call, ok := ci.(*ssa.Call); ok {
							waits[k] = append(waits[k], call)
						}
					}
					continue
				case calls.Is(cc, "(*sync.Cond).Signal", "(*sync.Cond).Broadcast"):
					if k := c.condKey(fn, cc.Args[0]); k != "" {
						signalled[k] = true
					} else {
						return // a Cond we cannot tell apart is signalled: any Wait may be its
					}
					continue
				}
				// A Cond handed to any other call may be signalled there.
				for _, a := range cc.Args {
					if isCondPtr(a.Type()) {
						if k := c.condKey(fn, a); k != "" {
							signalled[k] = true
						}
					}
				}
			}
		}
	}
	for k, ws := range waits {
		if signalled[k] {
			continue
		}
		for _, w := range ws {
			name := c.exprOfCall(w, "the Cond")
			d := analysis.Diagnostic{
				Pos:     w.Pos(),
				Message: fmt.Sprintf("goroutine leaks: this %s.Wait() blocks forever: nothing calls Signal or Broadcast on %s; signal it where the condition it waits for changes", name, name),
			}
			if g := c.goOf(w.Parent()); g != nil {
				d.Related = []analysis.RelatedInformation{{Pos: g.Pos(), Message: "the goroutine that waits"}}
			}
			if decl := c.condDecl(w.Parent(), w.Call.Args[0]); decl.IsValid() {
				d.Related = append(d.Related, analysis.RelatedInformation{Pos: decl, Message: "the Cond, never signalled"})
			}
			c.reportOnce(w, d)
		}
	}
}

func isCondPtr(t types.Type) bool { return t.String() == "*sync.Cond" }

// condKey names the Cond v in fn the same way in every function: an
// unexported field by its declaration, or a local variable; "" for
// anything importers or callers may hold too.
func (c *checker) condKey(fn *ssa.Function, v ssa.Value) string {
	p := c.m.PathOf(fn, v)
	if k := lastField(p); k != "" {
		f := fieldOf(v)
		if f == nil {
			f = fieldOfAddr(v)
		}
		if f == nil || f.Pkg() != c.pass.Pkg || (f.Exported() && c.pass.Pkg.Name() != "main") {
			return ""
		}
		return "field " + k
	}
	if localVar(p) {
		return fmt.Sprintf("local %p", p.Root())
	}
	return ""
}

// exprOfCall renders the receiver of a method call: p.cond for
// p.cond.Wait().
func (c *checker) exprOfCall(call *ssa.Call, fallback string) string {
	ce, _ := c.callAt(call.Pos())
	if ce == nil {
		return fallback
	}
	if sel, ok := ce.Fun.(*ast.SelectorExpr); ok {
		return types.ExprString(sel.X)
	}
	return fallback
}

// condDecl returns where the Cond v is declared: its field, or its
// variable.
func (c *checker) condDecl(fn *ssa.Function, v ssa.Value) token.Pos {
	if f := fieldOf(v); f != nil {
		return f.Pos()
	}
	if f := fieldOfAddr(v); f != nil {
		return f.Pos()
	}
	if p := c.m.PathOf(fn, v); p.Root() != nil {
		return p.Root().Pos()
	}
	return token.NoPos
}

// A Wait in a loop whose condition never changes. The innermost loop
// around a Cond.Wait leaves only through the test of its condition, and
// that condition is decided before the loop (a local set once, a
// constant, arithmetic on such values: nothing the loop reads from
// memory or calls): once the loop is entered it never ends, and however
// often the Cond is signalled, the goroutine waits again (exists := true;
// for exists { c.Wait() }, with exists never set again). A loop with any
// other way out (return, break, panic), or whose condition loads or calls
// something, is not reported; nor a plain for { c.Wait(); ... }, a
// worker meant to run forever.

// checkStuckWaitLoops reports Waits in loops whose condition the loop
// cannot change.
func (c *checker) checkStuckWaitLoops(fn *ssa.Function) {
	var loops []*ssautil.Loop
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok || !calls.Is(call.Common(), "(*sync.Cond).Wait") {
				continue
			}
			if loops == nil {
				loops = ssautil.Loops(fn)
			}
			var inner *ssautil.Loop
			for _, l := range loops { // innermost first
				if l.Contains(b) {
					inner = l
					break
				}
			}
			if inner == nil {
				continue
			}
			if !onlyConditionExit(inner, b) {
				continue
			}
			loop, cond := c.forCondAt(call.Pos())
			if cond == "" {
				continue // not a for loop's condition (a goto loop)
			}
			name := c.exprOfCall(call, "the Cond")
			c.reportOnce(call, analysis.Diagnostic{
				Pos: call.Pos(),
				Message: fmt.Sprintf("goroutine leaks: this %s.Wait() is in a loop whose condition (%s, %s) is decided before the loop and never read again: once in, the loop never ends, however %s is signalled; recompute the condition in the loop (for !ready() { %s.Wait() })",
					name, cond, c.where(loop, call.Pos()), name, name),
				Related: []analysis.RelatedInformation{{Pos: loop, Message: "the loop that never ends"}},
			})
		}
	}
}

// onlyConditionExit reports whether l can be left only through Ifs (the
// tests of its condition: cond && cond2 is one If each) that run before
// every arrival at wait, on conditions invariant in l: once wait is
// reached they all said stay, and say it again each time round; false if
// l has another way out, or none at all.
func onlyConditionExit(l *ssautil.Loop, wait *ssa.BasicBlock) bool {
	var test *ssa.If
	for _, b := range l.Blocks() {
		switch last := b.Instrs[len(b.Instrs)-1].(type) {
		case *ssa.If:
			in0, in1 := l.Contains(b.Succs[0]), l.Contains(b.Succs[1])
			if in0 && in1 {
				continue
			}
			if b == wait || !b.Dominates(wait) || !invariantIn(l, last.Cond) {
				return false
			}
			if k, ok := last.Cond.(*ssa.Const); ok && k.Value != nil && constant.BoolVal(k.Value) != in0 {
				return false // a constant that leaves the loop: it never runs
			}
			test = last
		default:
			for _, s := range b.Succs {
				if !l.Contains(s) {
					return false // break, goto
				}
			}
		}
	}
	return test != nil
}

// invariantIn reports whether v has the same value on every iteration of
// l: defined outside it, or computed in it from such values without
// loading memory or calling (within nine steps).
func invariantIn(l *ssautil.Loop, v ssa.Value) bool {
	varies := ssautil.ComputedFrom(v, func(v ssa.Value, depth int) (found, stop bool) {
		instr, ok := v.(ssa.Instruction)
		if !ok || instr.Block() == nil || !l.Contains(instr.Block()) {
			_, isGlobal := v.(*ssa.Global)
			return isGlobal, true
		}
		if depth > 8 {
			return true, true
		}
		switch x := v.(type) {
		case *ssa.BinOp, *ssa.Convert, *ssa.ChangeType, *ssa.Phi:
			return false, false
		case *ssa.UnOp:
			return x.Op == token.MUL || x.Op == token.ARROW, false
		}
		return true, true
	})
	return !varies
}

// forCondAt returns the innermost for statement around pos and renders
// its condition; "" if there is none.
func (c *checker) forCondAt(pos token.Pos) (token.Pos, string) {
	var cond ast.Expr
	var at token.Pos
	for _, f := range c.pass.Files {
		if f.FileStart > pos || pos > f.FileEnd {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil || n.Pos() > pos || pos >= n.End() {
				return false
			}
			if fs, ok := n.(*ast.ForStmt); ok {
				cond, at = fs.Cond, fs.Pos()
			}
			return true
		})
	}
	if cond == nil {
		return token.NoPos, ""
	}
	return at, types.ExprString(cond)
}
