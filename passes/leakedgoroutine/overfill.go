package leakedgoroutine

import (
	"fmt"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/ssautil"
)

// checkOverfill reports a send that blocks forever because it is one
// too many for a fresh buffered channel nobody else can reach yet: a
// struct is allocated with a channel field made with a constant buffer,
// and before the struct (or the channel) is shared with anyone who could
// receive, more values are sent than the buffer holds, directly or at
// the start of a method it is handed to:
//
//	c := &compactor{ch: make(chan struct{}, 1)}
//	c.ch <- struct{}{}
//	c.start() // start sends on c.ch again before it starts the receiver
func (c *checker) checkOverfill(fn *ssa.Function) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			st, ok := instr.(*ssa.Store)
			if !ok {
				continue
			}
			mc, ok := st.Val.(*ssa.MakeChan)
			if !ok || len(*mc.Referrers()) != 1 {
				continue
			}
			size, ok := constInt(mc.Size)
			if !ok || size == 0 {
				continue // unbuffered: the other rules' case
			}
			fa, ok := st.Addr.(*ssa.FieldAddr)
			if !ok {
				continue
			}
			obj, ok := fa.X.(*ssa.Alloc)
			if !ok {
				continue
			}
			c.overfill(fn, st, obj, fa.Field, mc, size)
		}
	}
}

func (c *checker) overfill(fn *ssa.Function, start *ssa.Store, obj *ssa.Alloc, field int, mc *ssa.MakeChan, size int) {
	isField := func(v ssa.Value) bool { // a load of obj's channel field
		ld, ok := v.(*ssa.UnOp)
		if !ok || ld.Op != token.MUL {
			return false
		}
		fa, ok := ld.X.(*ssa.FieldAddr)
		return ok && fa.X == obj && fa.Field == field
	}
	sends := 0
	b := start.Block()
	i := ssautil.InstrIndex(start) + 1
	var ops []*ssa.Value
	for steps := 0; steps < 1000; steps++ {
		if i >= len(b.Instrs) {
			if len(b.Succs) != 1 || len(b.Succs[0].Preds) != 1 {
				return // only straight-line code: every send counted runs
			}
			b, i = b.Succs[0], 0
			continue
		}
		instr := b.Instrs[i]
		i++
		switch x := instr.(type) {
		case *ssa.Send:
			if isField(x.Chan) {
				sends++
				if sends > size {
					c.reportOverfill(x, mc, size, sends, nil)
					return
				}
				continue
			}
		case *ssa.FieldAddr, *ssa.DebugRef:
			continue // fields of obj: their own uses come next
		case *ssa.UnOp:
			if x.Op == token.MUL {
				if fa, ok := x.X.(*ssa.FieldAddr); ok && fa.X == obj && fa.Field == field {
					if onlySentOn(x) {
						continue
					}
					return // the channel is handed on
				}
			}
		case *ssa.Call:
			if callee := x.Call.StaticCallee(); callee != nil && c.m.Local(callee) && len(callee.Params) == len(x.Call.Args) {
				for j, a := range x.Call.Args {
					if a != obj {
						continue
					}
					n, last := prefixSends(callee, callee.Params[j], field)
					if sends+n > size {
						c.reportOverfill(last, mc, size, sends+n, x)
					}
					return // obj is shared with the callee from here on
				}
			}
		}
		// Any other use of obj or its channel shares it: stop.
		for _, p := range instr.Operands(ops[:0]) {
			if *p == obj || isField(*p) {
				return
			}
		}
	}
}

// onlySentOn reports whether the loaded channel is only sent on.
func onlySentOn(v ssa.Value) bool {
	for _, ref := range *v.Referrers() {
		switch r := ref.(type) {
		case *ssa.DebugRef:
		case *ssa.Send:
			if r.Chan != v || r.X == v {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// prefixSends counts the sends on field of the struct p points to that
// the callee makes in its entry block before anything else that could
// let someone receive (a call, a go statement, a receive, a closure).
func prefixSends(fn *ssa.Function, p *ssa.Parameter, field int) (int, *ssa.Send) {
	isObj := func(v ssa.Value) bool { return ssautil.Origin(v, ssautil.Loads|ssautil.Conversions) == p }
	n := 0
	var last *ssa.Send
	for _, instr := range fn.Blocks[0].Instrs {
		switch x := instr.(type) {
		case *ssa.Alloc, *ssa.DebugRef, *ssa.FieldAddr, *ssa.Store:
			if st, ok := x.(*ssa.Store); ok {
				if _, param := st.Val.(*ssa.Parameter); !param {
					return n, last // a store into memory, other than a parameter's spill
				}
				if _, cell := st.Addr.(*ssa.Alloc); !cell {
					return n, last
				}
			}
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return n, last
			}
		case *ssa.Send:
			ld, ok := x.Chan.(*ssa.UnOp)
			if !ok || ld.Op != token.MUL {
				return n, last
			}
			fa, ok := ld.X.(*ssa.FieldAddr)
			if !ok || fa.Field != field || !isObj(fa.X) {
				return n, last
			}
			n++
			last = x
		default:
			return n, last
		}
	}
	return n, last
}

func (c *checker) reportOverfill(send *ssa.Send, mc *ssa.MakeChan, size, nth int, via *ssa.Call) {
	name := c.chanName(mc.Pos())
	how := ""
	if via != nil {
		how = fmt.Sprintf(" when %s is called at %s", funcName(send.Parent()), c.where(via.Pos(), send.Pos()))
	}
	d := analysis.Diagnostic{
		Pos: send.Pos(),
		Message: fmt.Sprintf("goroutine leaks: this send blocks forever%s: it is send %d on %s, made with a buffer of %d at %s, before anything that could receive from it has it; give %s a buffer of %d, or start the receiver first",
			how, nth, name, size, c.where(mc.Pos(), send.Pos()), name, nth),
		Related: []analysis.RelatedInformation{{Pos: mc.Pos(), Message: "the channel is made here"}},
	}
	if via != nil {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: via.Pos(), Message: "the call that sends once more"})
	}
	c.reportOnce(send, d)
}
