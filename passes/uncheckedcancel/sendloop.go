package uncheckedcancel

import (
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// stuckSend returns the name of a channel that a loop of a goroutine sends
// on with a plain send, when the channel has no buffer and its consumer
// stops receiving once the context is cancelled: it receives in a select
// with a case on ctx.Done(), in the function that made the channel or in
// a caller it returned the channel to. The sender then blocks forever:
//
//	out := make(chan T)
//	go func() { for _, x := range xs { out <- x } }()
//	return out // the caller: select { case <-ctx.Done(): return; case x := <-out: }
//
// Such a loop is reported even when bounded.
func (c *checker) stuckSend(l *loop) (string, bool) {
	if l.fn.Parent() == nil || !c.model.RunsOnNewGoroutine(l.fn) {
		return "", false
	}
	for b := range l.blocks {
		for _, instr := range b.Instrs {
			send, ok := instr.(*ssa.Send)
			if !ok {
				continue
			}
			mc, ok := chanOrigin(send.Chan).(*ssa.MakeChan)
			if !ok || !unbuffered(mc) {
				continue
			}
			if c.consumerStops(mc) {
				return chanName(send.Chan), true
			}
		}
	}
	return "", false
}

func unbuffered(mc *ssa.MakeChan) bool {
	k, ok := mc.Size.(*ssa.Const)
	return ok && k.Value != nil && k.Int64() == 0
}

// consumerStops reports whether a receive from the channel mc made
// stops on a context's Done: in mc's function, or in a caller of it that
// receives from the channel it returned.
func (c *checker) consumerStops(mc *ssa.MakeChan) bool {
	fn := mc.Parent()
	if c.selectsWithDone(fn, func(v ssa.Value) bool { return chanOrigin(v) == mc }) {
		return true
	}
	returned := false
	for _, b := range fn.Blocks {
		if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			for _, r := range ret.Results {
				if chanOrigin(stripConv(r)) == mc {
					returned = true
				}
			}
		}
	}
	if !returned {
		return false
	}
	for _, site := range c.model.CallSites(fn) {
		call, ok := site.(*ssa.Call)
		if !ok {
			continue
		}
		if c.selectsWithDone(site.Parent(), func(v ssa.Value) bool { return chanOrigin(stripConv(v)) == ssa.Value(call) }) {
			return true
		}
	}
	return false
}

func stripConv(v ssa.Value) ssa.Value {
	for {
		switch x := v.(type) {
		case *ssa.ChangeType:
			v = x.X
		case *ssa.Convert:
			v = x.X
		default:
			return v
		}
	}
}

// selectsWithDone reports whether fn has a select that receives from a
// channel is picks and from a context's Done channel.
func (c *checker) selectsWithDone(fn *ssa.Function, is func(ssa.Value) bool) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			sel, ok := instr.(*ssa.Select)
			if !ok {
				continue
			}
			recv, done := false, false
			for _, st := range sel.States {
				if st.Dir != types.RecvOnly {
					continue
				}
				switch {
				case doneOf(st.Chan, map[ssa.Value]bool{}) != nil:
					done = true
				case is(st.Chan):
					recv = true
				}
			}
			if recv && done {
				return true
			}
		}
	}
	return false
}

// chanName names a channel in a message.
func chanName(v ssa.Value) string {
	switch v := v.(type) {
	case *ssa.FreeVar:
		return v.Name()
	case *ssa.UnOp:
		if fv, ok := v.X.(*ssa.FreeVar); ok {
			return fv.Name()
		}
		if alloc, ok := v.X.(*ssa.Alloc); ok && alloc.Comment != "" {
			return alloc.Comment
		}
	case *ssa.MakeChan:
		return "the channel"
	}
	return "the channel"
}
