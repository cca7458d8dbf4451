package uncheckedcancel

import (
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"
)

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
