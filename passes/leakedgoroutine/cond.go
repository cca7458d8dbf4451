package leakedgoroutine

// A sync.Cond nothing signals. A Wait returns only after a Signal or
// Broadcast on the same Cond; when the Cond lives in an unexported field
// (or any field in package main) or in a local variable, and nothing in
// the package ever calls Signal or Broadcast on it, nor hands the Cond to
// code we do not see, the goroutine that reaches the Wait blocks forever.

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/calls"
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
