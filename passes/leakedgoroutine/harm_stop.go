package leakedgoroutine

// Stops and joins of an unjoined goroutine that the harm classes accept
// (harm.go): what ends the goroutine is a resource its test or owner
// closes, or the goroutine signals its end through a pipe it closes last.
// None of these is a join for the policy (grade 2): nothing waits.

import (
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/calls"
	"github.com/futlint/futlint/internal/concurrency"
	"github.com/futlint/futlint/internal/ssautil"
)

// identity returns the value v stands for: through conversions, phis,
// free variables, a go statement's arguments and loads of variables
// stored once (captured or address-taken ones, which SSA keeps in heap
// cells).
func identity(v ssa.Value) ssa.Value {
	for range 16 {
		o := ssautil.Origin(v, ssautil.Value)
		ld, ok := o.(*ssa.UnOp)
		if !ok || ld.Op != token.MUL {
			return o
		}
		cell := ssautil.CellOf(ld.X)
		if cell == nil {
			return o
		}
		st := ssautil.SingleStore(cell)
		if st == nil {
			return o
		}
		v = st.Val
	}
	return v
}

// blockingName: methods that block until their resource has something
// or is closed, by name (a PacketConn's ReadFrom, an http.Server's
// ListenAndServe, a stream's Recv), besides calls.Blocks.
func blockingName(name string) bool {
	for _, p := range []string{"Read", "Accept", "Recv", "Serve", "ListenAndServe"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// blocksOnRecv reports whether cc blocks on its receiver (see
// blockingName) and returns the receiver.
func blocksOnRecv(cc *ssa.CallCommon) (ssa.Value, bool) {
	recv := callReceiver(cc)
	if recv == nil {
		return nil, false
	}
	if b, _ := calls.Blocks(cc); b || blockingName(methodName(cc)) {
		return recv, true
	}
	return nil, false
}

// callReceiver returns the receiver of a method call, or nil.
func callReceiver(cc *ssa.CallCommon) ssa.Value {
	if cc.IsInvoke() {
		return cc.Value
	}
	if f := cc.StaticCallee(); f != nil && f.Signature.Recv() != nil && len(cc.Args) > 0 {
		return cc.Args[0]
	}
	return nil
}

// A resourceUse is a place where the goroutine waits on a resource: a
// blocking method call on it, or a receive from (a range over) a channel
// one of its methods returned (c.Errors()).
type resourceUse struct {
	fn    *ssa.Function
	instr ssa.Instruction // the call, or the receive
	wait  ssa.Value       // the value whose result decides what happens next
	recv  ssa.Value       // the resource
}

// resourceUses returns the goroutine body's waits on resources.
func resourceUses(body []*ssa.Function) []resourceUse {
	var out []resourceUse
	for _, fn := range body {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch x := instr.(type) {
				case *ssa.Call:
					if recv, ok := blocksOnRecv(x.Common()); ok {
						out = append(out, resourceUse{fn, x, x, recv})
					}
				case *ssa.UnOp:
					if x.Op != token.ARROW {
						continue
					}
					if recv := chanOwner(x.X); recv != nil {
						out = append(out, resourceUse{fn, x, x, recv})
					}
				case *ssa.Select:
					for _, st := range x.States {
						if st.Dir != types.RecvOnly {
							continue
						}
						if recv := chanOwner(st.Chan); recv != nil {
							out = append(out, resourceUse{fn, x, x, recv})
						}
					}
				}
			}
		}
	}
	return out
}

// chanOwner returns the value whose method returned the channel ch
// (c.Errors(), b.done.Done()), or nil.
func chanOwner(ch ssa.Value) ssa.Value {
	if call, ok := ssautil.Origin(ch, ssautil.Value).(*ssa.Call); ok {
		return callReceiver(call.Common())
	}
	return nil
}

// closerName: the methods that release a resource.
func closerName(name string) bool {
	return name == "Close" || name == "Shutdown" || name == "Stop"
}

// ---- the test closes it ----

// closedByTest reports whether the goroutine of sp loops waiting on a
// resource that its test closes (srv.Close() or a deferred one, directly
// or through a helper given it; for a value the test keeps in a map or
// slice, on the values it ranges over), and leaves the loop without using
// the test when the wait fails: the Close ends it (moby resolver_test.go
// read loop on a conn, sarama consumer_test.go range over pc.Errors()).
func (c *checker) closedByTest(g *ssa.Go, sp *concurrency.Spawn) bool {
	closed, containers := c.testClosed(ssautil.Root(g.Parent()))
	if len(closed) == 0 && len(containers) == 0 {
		return false
	}
	for _, u := range resourceUses(c.body(sp)) {
		id := identity(u.recv)
		if !closed[id] && !containers[containerOf(id)] {
			continue
		}
		if c.exitsQuietly(u) {
			return true
		}
	}
	return false
}

// testClosed returns the values root (and its closures: defers,
// t.Cleanup) closes, and the containers whose elements it closes.
func (c *checker) testClosed(root *ssa.Function) (map[ssa.Value]bool, map[ssa.Value]bool) {
	closed := make(map[ssa.Value]bool)
	containers := make(map[ssa.Value]bool)
	add := func(v ssa.Value) {
		id := identity(v)
		closed[id] = true
		if k := elementOf(id); k != nil {
			containers[k] = true
		}
	}
	closureCalls(root, func(_ *ssa.Function, ci ssa.CallInstruction) {
		if _, isGo := ci.(*ssa.Go); isGo {
			return
		}
		cc := ci.Common()
		if recv := callReceiver(cc); recv != nil && closerName(methodName(cc)) {
			add(recv)
			return
		}
		// A helper of the package that closes its argument
		// (safeClose(t, pc)).
		if callee := cc.StaticCallee(); callee != nil && callee.Parent() == nil && c.m.Local(callee) {
			for i, a := range cc.Args {
				if i < len(callee.Params) && closesParam(callee, callee.Params[i]) {
					add(a)
				}
			}
		}
	})
	return closed, containers
}

// closureCalls calls f with each call instruction of fn and, nested, of
// its closures (defers, t.Cleanup), and the function it is in.
func closureCalls(fn *ssa.Function, f func(*ssa.Function, ssa.CallInstruction)) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if ci, ok := instr.(ssa.CallInstruction); ok {
				f(fn, ci)
			}
		}
	}
	for _, anon := range fn.AnonFuncs {
		closureCalls(anon, f)
	}
}

// closesParam reports whether fn calls a closer method on its parameter p.
func closesParam(fn *ssa.Function, p *ssa.Parameter) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			ci, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			cc := ci.Common()
			if recv := callReceiver(cc); recv != nil && closerName(methodName(cc)) && identity(recv) == p {
				return true
			}
		}
	}
	return false
}

// elementOf returns the map or slice v is an element of (range over it,
// or index it), or nil.
func elementOf(v ssa.Value) ssa.Value {
	switch x := v.(type) {
	case *ssa.Extract:
		if nx, ok := x.Tuple.(*ssa.Next); ok && !nx.IsString {
			if r, ok := nx.Iter.(*ssa.Range); ok {
				return identity(r.X)
			}
		}
	case *ssa.Lookup:
		return identity(x.X)
	case *ssa.UnOp:
		if x.Op == token.MUL {
			if ia, ok := x.X.(*ssa.IndexAddr); ok {
				return identity(ia.X)
			}
		}
	}
	return nil
}

// containerOf returns the map or slice v is put in (m[k] = v,
// s[i] = v), or nil.
func containerOf(v ssa.Value) ssa.Value {
	refs := v.Referrers()
	if refs == nil {
		return nil
	}
	for _, ref := range *refs {
		switch r := ref.(type) {
		case *ssa.MapUpdate:
			if identity(r.Value) == v {
				return identity(r.Map)
			}
		case *ssa.Store:
			if ia, ok := r.Addr.(*ssa.IndexAddr); ok && r.Val == v {
				return identity(ia.X)
			}
		case *ssa.MakeInterface, *ssa.ChangeInterface, *ssa.ChangeType:
			if k := containerOf(r.(ssa.Value)); k != nil {
				return k
			}
		}
	}
	return nil
}

// exitsQuietly reports whether the wait u is in a loop of its function
// that it leaves when the wait fails (the branch out of the loop depends
// on the wait's result), and what runs after leaving does not use the
// test.
func (c *checker) exitsQuietly(u resourceUse) bool {
	b := u.instr.Block()
	for _, l := range ssautil.Loops(u.fn) {
		if !l.Contains(b) {
			continue
		}
		for _, lb := range l.Blocks() {
			ifi, ok := lb.Instrs[len(lb.Instrs)-1].(*ssa.If)
			if !ok || !dependsOn(ifi.Cond, u.wait) {
				continue
			}
			for _, s := range lb.Succs {
				if !l.Contains(s) && !c.usesTestFrom(s, l) {
					return true
				}
			}
		}
		return false // the innermost loop holding the wait
	}
	return false
}

// dependsOn reports whether v is computed from w within five steps (its
// results, a comparison or a call on them: errors.Is(err, net.ErrClosed)).
func dependsOn(v, w ssa.Value) bool {
	return ssautil.ComputedFrom(v, func(v ssa.Value, depth int) (found, stop bool) {
		return v == w, depth > 4
	})
}

// usesTestFrom reports whether the blocks reachable from s without
// entering l call something that uses the test.
func (c *checker) usesTestFrom(s *ssa.BasicBlock, l *ssautil.Loop) bool {
	memo := make(map[*ssa.Function]testUseKind)
	seen := make(map[*ssa.BasicBlock]bool)
	work := []*ssa.BasicBlock{s}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[b] || l.Contains(b) {
			continue
		}
		seen[b] = true
		for _, instr := range b.Instrs {
			if ci, ok := instr.(ssa.CallInstruction); ok {
				if _, isGo := instr.(*ssa.Go); !isGo {
					if k, _ := c.callTestUse(ci.Common(), memo, 0); k != 0 {
						return true
					}
				}
			}
		}
		work = append(work, b.Succs...)
	}
	return false
}

// ---- the owner closes it ----

// storedField returns the field of owner that the spawner of sp (or the
// function it is in) stores v's identity in (s.srv = srv), or "".
func (c *checker) storedField(sp *concurrency.Spawn, owner *types.Named, id ssa.Value) string {
	for fn := sp.Parent; fn != nil; fn = fn.Parent() {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				st, ok := instr.(*ssa.Store)
				if !ok {
					continue
				}
				fa, ok := st.Addr.(*ssa.FieldAddr)
				if !ok || c.ownerType(fa.X.Type()) != owner || identity(st.Val) != id {
					continue
				}
				if s, ok := owner.Underlying().(*types.Struct); ok && fa.Field < s.NumFields() {
					return s.Field(fa.Field).Name()
				}
			}
		}
	}
	return ""
}

// closedByOwner reports whether the goroutine of sp waits on a resource
// held in a field of owner that Close calls a method on: it blocks on it
// or receives from a channel one of its methods returns (b.done.Done(),
// where Close calls b.done.Fire(): grpc priority/balancer.go), and the
// field is read in the goroutine or the spawner stored the value there
// (srv := &http.Server{...}; s.srv = srv; go srv.ListenAndServe(), and
// Shutdown calls s.srv.Shutdown: moby diagnostic/server.go).
func (c *checker) closedByOwner(sp *concurrency.Spawn, body []*ssa.Function, rel *accesses, owner *types.Named) bool {
	for _, u := range resourceUses(body) {
		f := c.ownerField(u.recv, owner)
		if f == "" {
			f = c.storedField(sp, owner, identity(u.recv))
		}
		if f != "" && rel.calls[owner][f] {
			return true
		}
	}
	return false
}

// ownerField returns the field of owner that v is loaded from, or "".
func (c *checker) ownerField(v ssa.Value, owner *types.Named) string {
	ld, ok := v.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return ""
	}
	fa, ok := ld.X.(*ssa.FieldAddr)
	if !ok || c.ownerType(fa.X.Type()) != owner {
		return ""
	}
	if s, ok := owner.Underlying().(*types.Struct); ok && fa.Field < s.NumFields() {
		return s.Field(fa.Field).Name()
	}
	return ""
}

// ---- the goroutine's end is seen through a pipe ----

// endsThroughPipe reports whether every way out of the goroutine's
// function closes the write end of a pipe (io.Pipe, os.Pipe, net.Pipe)
// last, and its spawner hands the read end on (returns it or passes it
// to a call): whoever reads that end to EOF has waited for the goroutine
// (moby copier_test.go piped).
func (c *checker) endsThroughPipe(sp *concurrency.Spawn) bool {
	fn := sp.Fn
	if fn == nil || len(fn.Blocks) == 0 {
		return false
	}
	var pipe *ssa.Call
	returns := 0
	for _, b := range fn.Blocks {
		last, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok {
			continue
		}
		returns++
		p := closedPipeBefore(b, last)
		if p == nil || (pipe != nil && p != pipe) {
			return false
		}
		pipe = p
	}
	if pipe == nil || returns == 0 {
		return false
	}
	return readEndHandedOn(pipe)
}

// closedPipeBefore returns the pipe whose write end the last call before
// ret in b closes, or nil.
func closedPipeBefore(b *ssa.BasicBlock, ret *ssa.Return) *ssa.Call {
	for i := len(b.Instrs) - 2; i >= 0; i-- {
		ci, ok := b.Instrs[i].(ssa.CallInstruction)
		if !ok {
			continue
		}
		cc := ci.Common()
		if recv := callReceiver(cc); recv != nil && methodName(cc) == "Close" {
			return pipeWriter(identity(recv))
		}
		return nil
	}
	return nil
}

// pipeWriter returns the pipe call w is the write end of, or nil.
func pipeWriter(w ssa.Value) *ssa.Call {
	ex, ok := w.(*ssa.Extract)
	if !ok || ex.Index != 1 {
		return nil
	}
	call, ok := ex.Tuple.(*ssa.Call)
	if !ok {
		return nil
	}
	for _, name := range []string{"io.Pipe", "os.Pipe", "net.Pipe"} {
		if calls.Is(call.Common(), name) {
			return call
		}
	}
	return nil
}

// readEndHandedOn reports whether the read end of pipe (result 0) is
// returned or passed to a call other than its Close.
func readEndHandedOn(pipe *ssa.Call) bool {
	for _, ref := range *pipe.Referrers() {
		ex, ok := ref.(*ssa.Extract)
		if !ok || ex.Index != 0 {
			continue
		}
		for _, v := range valueAndCells(ex) {
			for _, r := range *v.Referrers() {
				switch x := r.(type) {
				case *ssa.Return:
					return true
				case ssa.CallInstruction:
					if cc := x.Common(); !(callReceiver(cc) == v && methodName(cc) == "Close") {
						return true
					}
				case *ssa.MakeInterface, *ssa.ChangeInterface:
					for _, rr := range *x.(ssa.Value).Referrers() {
						switch rr.(type) {
						case *ssa.Return, ssa.CallInstruction:
							return true
						}
					}
				}
			}
		}
	}
	return false
}

// valueAndCells returns v and the loads of the cells it is stored in
// once (a captured variable).
func valueAndCells(v ssa.Value) []ssa.Value {
	out := []ssa.Value{v}
	for _, r := range *v.Referrers() {
		st, ok := r.(*ssa.Store)
		if !ok || st.Val != v {
			continue
		}
		cell, ok := st.Addr.(*ssa.Alloc)
		if !ok || ssautil.SingleStore(cell) != st {
			continue
		}
		for _, cr := range *cell.Referrers() {
			if ld, ok := cr.(*ssa.UnOp); ok && ld.Op == token.MUL {
				out = append(out, ld)
			}
		}
	}
	return out
}
