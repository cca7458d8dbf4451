package concurrency

import (
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/calls"
)

// SendWaits reports whether a send may wait for a receiver. It does not
// when it is the only send the channel can take before the function
// closes it, into a buffer: the send dominates a close of the same
// channel in its function (a second run of it would panic on the closed
// channel), and every make of the channel in the package gives it a
// constant buffer of at least one. That is the hand-over
//
//	w.result <- r
//	close(w.result)
//
// of a result channel made with make(chan T, 1) (go-redis
// internal/pool's wantConn.tryDeliver).
func (m *Model) SendWaits(send *ssa.Send) bool {
	key, ok := chanKey(send.Chan)
	if !ok || !m.buffered(send.Chan) {
		return true
	}
	at := slices.Index(send.Block().Instrs, ssa.Instruction(send))
	for _, b := range send.Block().Parent().Blocks {
		for i, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			if bi, ok := call.Call.Value.(*ssa.Builtin); !ok || bi.Name() != "close" || len(call.Call.Args) != 1 {
				continue
			}
			if k, ok := chanKey(call.Call.Args[0]); !ok || k != key {
				continue
			}
			if b == send.Block() && i > at || b != send.Block() && send.Block().Dominates(b) {
				return false
			}
		}
	}
	return true
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
// in its function, or a struct field made anywhere in the package) has a
// constant buffer of at least one.
func (m *Model) buffered(ch ssa.Value) bool {
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
	if m.chanFields == nil {
		m.chanFields = m.fieldBuffers()
	}
	v, known := m.chanFields[fieldKeyOf(fa)]
	return known && v
}

type fieldKey struct {
	typ   string
	field int
}

func fieldKeyOf(fa *ssa.FieldAddr) fieldKey {
	return fieldKey{types.TypeString(types.Unalias(fa.X.Type()).(*types.Pointer).Elem(), nil), fa.Field}
}

// fieldBuffers records, per struct field of channel type stored in the
// package, whether every channel stored in it is made with a buffer.
func (m *Model) fieldBuffers() map[fieldKey]bool { return m.fieldMakes(constBuffer) }

// fieldMakes records, per struct field of channel type stored in the
// package, whether every channel stored in it is a make satisfying want
// (a channel from anywhere else does not).
func (m *Model) fieldMakes(want func(*ssa.MakeChan) bool) map[fieldKey]bool {
	out := map[fieldKey]bool{}
	for _, fn := range m.Funcs {
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
				k := fieldKeyOf(fa)
				mc, ok := st.Val.(*ssa.MakeChan)
				holds := ok && want(mc)
				if prev, seen := out[k]; seen {
					holds = holds && prev
				}
				out[k] = holds
			}
		}
	}
	return out
}

func constBuffer(mc *ssa.MakeChan) bool {
	k, ok := mc.Size.(*ssa.Const)
	return ok && k.Value != nil && k.Int64() >= 1
}

// blocksWithoutCtx returns the name of a call c makes (or its callee
// makes) that may block indefinitely without a context when one could be
// given: net/http's Get, net.Dial, sql's Query, a Cmd's Run (see
// calls.BlocksWithoutCtx). A call given a context, or a value made with
// one (a request from NewRequestWithContext, a Cmd from CommandContext),
// does not count.
func (m *Model) blocksWithoutCtx(c *ssa.CallCommon, cs *Summary) string {
	if name, ok := calls.BlocksWithoutCtx(c); ok && !m.liveness.GivenLive(c) {
		return name
	}
	if cs != nil {
		return cs.BlocksWithoutCtx
	}
	return ""
}
