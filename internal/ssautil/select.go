package ssautil

import (
	"go/constant"
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// SelectTest matches cond against the test go/ssa dispatches a select's
// cases on, `extract sel #0 == i`: it returns the select and the case
// index, and ok.
func SelectTest(cond ssa.Value) (sel *ssa.Select, i int, ok bool) {
	bin, ok := cond.(*ssa.BinOp)
	if !ok || bin.Op != token.EQL {
		return nil, 0, false
	}
	ex, ok := bin.X.(*ssa.Extract)
	if !ok || ex.Index != 0 {
		return nil, 0, false
	}
	sel, ok = ex.Tuple.(*ssa.Select)
	if !ok {
		return nil, 0, false
	}
	k, ok := bin.Y.(*ssa.Const)
	if !ok || k.Value == nil || k.Value.Kind() != constant.Int {
		return nil, 0, false
	}
	n, exact := constant.Int64Val(k.Value)
	if !exact || n < 0 || n >= int64(len(sel.States)) {
		return nil, 0, false
	}
	return sel, int(n), true
}

// SelectCase returns the first block of the body of case i of sel (the
// true branch of its SelectTest), or nil.
func SelectCase(sel *ssa.Select, i int) *ssa.BasicBlock {
	for _, ref := range *sel.Referrers() {
		ex, ok := ref.(*ssa.Extract)
		if !ok || ex.Index != 0 {
			continue
		}
		for _, r := range *ex.Referrers() {
			bin, ok := r.(*ssa.BinOp)
			if !ok {
				continue
			}
			if s, j, ok := SelectTest(bin); !ok || s != sel || j != i {
				continue
			}
			for _, u := range *bin.Referrers() {
				if iff, ok := u.(*ssa.If); ok {
					return iff.Block().Succs[0]
				}
			}
		}
	}
	return nil
}
