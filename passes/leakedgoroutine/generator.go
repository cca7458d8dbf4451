package leakedgoroutine

import (
	"fmt"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// exportFacts records, for each declared function, whether it is a
// generator, so that callers in this package and in importers can use it.
func (c *checker) exportFacts(funcs []*ssa.Function) {
	for _, fn := range funcs {
		obj := fn.Object()
		if obj == nil || fn.Parent() != nil || fn.TypeParams().Len() > 0 {
			continue
		}
		if f := c.generator(fn); f != nil {
			c.pass.ExportObjectFact(obj, f)
		}
	}
}

// generator returns the fact for a function that makes a channel, hands
// it to a goroutine that sends on it, and returns it without receiving.
func (c *checker) generator(fn *ssa.Function) *generatorFact {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			mc, ok := instr.(*ssa.MakeChan)
			if !ok {
				continue
			}
			size, ok := constInt(mc.Size)
			if !ok {
				continue
			}
			u := channelUsage(fn, mc)
			if u.escapes || !u.returned || len(u.recvs) > 0 {
				continue
			}
			s, ok := c.sendersOf(fn, u)
			if !ok || s.cycles || (s.sends == unbounded && !s.closes) {
				continue
			}
			result := resultIndex(fn, u)
			if result < 0 {
				continue
			}
			f := &generatorFact{Result: result, Cap: size, Sends: s.sends}
			if s.sends == unbounded {
				f.Sends = 0
			}
			f.Send = c.m.Pos(s.send.instr.Pos())
			return f
		}
	}
	return nil
}

// resultIndex returns the position of the channel among fn's results, the
// same in every return statement that returns it.
func resultIndex(fn *ssa.Function, u *usage) int {
	idx := -1
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok {
			continue
		}
		for i, v := range ret.Results {
			if u.aliases[v] {
				if idx >= 0 && idx != i {
					return -1
				}
				idx = i
			}
		}
	}
	return idx
}

// checkGeneratorCall checks a call of a generator like a make(chan) whose
// goroutine started at the call.
func (c *checker) checkGeneratorCall(fn *ssa.Function, call *ssa.Call) {
	callee := call.Call.StaticCallee()
	if callee == nil {
		return
	}
	if callee.Origin() != nil {
		callee = callee.Origin()
	}
	obj := callee.Object()
	var f generatorFact
	if obj == nil || !c.pass.ImportObjectFact(obj, &f) {
		return
	}
	var ch ssa.Value = call
	if call.Call.Signature().Results().Len() != 1 {
		ch = nil
		for _, ref := range *call.Referrers() {
			if ex, ok := ref.(*ssa.Extract); ok && ex.Index == f.Result {
				ch = ex
			}
		}
		if ch == nil {
			return
		}
	}
	u := channelUsage(fn, ch)
	if u.escapes || u.returned || len(u.goroutines) > 0 || len(u.sends) > 0 || len(u.closes) > 0 {
		return
	}
	s := senders{sends: f.Sends, closes: true}
	if f.Sends == 0 {
		s.sends = unbounded
	}
	leak, ok := c.drainPath(fn, call, u, s, f.Cap, nil)
	if !ok {
		return
	}
	why := leak.via
	if why == "" {
		why = "before draining it"
	}
	d := analysis.Diagnostic{
		Pos: call.Pos(),
		Message: fmt.Sprintf("goroutine leaks: %s starts a goroutine that sends on the channel it returns (%s), which blocks forever once %s returns at %s (%s); drain the channel before returning, or let %s stop on ctx.Done()",
			callee.Name(), f.Send, funcName(fn), c.where(leak.ret, leak.ret), why, callee.Name()),
		Related: []analysis.RelatedInformation{{Pos: leak.ret, Message: funcName(fn) + " gives up here"}},
	}
	if callee.Pkg != nil && callee.Pkg.Pkg == c.pass.Pkg {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: callee.Pos(), Message: "the generator"})
	}
	c.r.Report(d)
}
