package leakedgoroutine

import (
	"fmt"
	"go/constant"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/calls"
)

// WaitGroup fields that only this package can reach (unexported, or in
// package main), not embedded, used only through direct method calls:
// when the package calls Add with a positive count and nothing ever calls
// Done (nor Add with a negative or unknown count, nor Go), a Wait after
// that Add blocks forever.

type wgField struct {
	field    *types.Var
	adds     []ssa.CallInstruction
	waits    []ssa.CallInstruction
	balanced bool // Done, Go, or Add with a count that may be negative
	escaped  bool // &s.wg handed on, a method value: we cannot see every use
}

func (c *checker) checkWaitGroupFields() {
	wgs := func(f *types.Var) *types.Var {
		if f.Embedded() || f.Pkg() != c.pass.Pkg || f.Exported() && c.pass.Pkg.Name() != "main" || !calls.IsNamed(f.Type(), "sync", "WaitGroup") {
			return nil
		}
		return f.Origin()
	}
	var fields []*wgField
	for _, g := range c.addressedFields(wgs) {
		w := &wgField{field: g.field}
		for _, fa := range g.addrs {
			w.use(fa)
		}
		fields = append(fields, w)
	}
	for _, w := range fields {
		if w.balanced || w.escaped || len(w.adds) == 0 {
			continue
		}
		name := w.field.Name()
		if owner := fieldOwner(w.field); owner != "" {
			name = owner + "." + name
		}
		add := w.adds[0]
		for _, wait := range w.waits {
			c.reportOnce(wait, analysis.Diagnostic{
				Pos: wait.Pos(),
				Message: fmt.Sprintf("goroutine leaks: this Wait on %s blocks forever once %s has called Add (%s): nothing in the package calls %s.Done; call Done (with defer) when each task added ends",
					name, funcName(add.Parent()), c.where(add.Pos(), wait.Pos()), name),
				Related: []analysis.RelatedInformation{{Pos: add.Pos(), Message: "the Add that no Done balances"}},
			})
		}
	}
}

func (w *wgField) use(fa *ssa.FieldAddr) {
	for _, ref := range *fa.Referrers() {
		switch r := ref.(type) {
		case *ssa.DebugRef:
		case ssa.CallInstruction:
			cc := r.Common()
			if cc.IsInvoke() || len(cc.Args) == 0 || cc.Args[0] != fa {
				w.escaped = true
				continue
			}
			for _, a := range cc.Args[1:] {
				if a == fa {
					w.escaped = true
				}
			}
			switch {
			case calls.Is(cc, "(*sync.WaitGroup).Add"):
				if k, ok := cc.Args[1].(*ssa.Const); ok && k.Value != nil && k.Value.Kind() == constant.Int && constant.Sign(k.Value) > 0 {
					w.adds = append(w.adds, r)
				} else {
					w.balanced = true
				}
			case calls.Is(cc, "(*sync.WaitGroup).Wait"):
				if _, isCall := r.(*ssa.Call); isCall {
					w.waits = append(w.waits, r)
				}
			case calls.Is(cc, "(*sync.WaitGroup).Done", "(*sync.WaitGroup).Go"):
				w.balanced = true
			default:
				w.escaped = true
			}
		default:
			w.escaped = true
		}
	}
}
