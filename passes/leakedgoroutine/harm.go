package leakedgoroutine

// Unjoined goroutines ranked by harm (issue 17). checkJoins asks harm
// about every go statement nothing joins; the classes below break
// something and are reported apart from the policy finding, with their
// own Category, even when -leakedgoroutine.strict=false.

import (
	"fmt"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/calls"
	"github.com/futlint/futlint/internal/concurrency"
	"github.com/futlint/futlint/internal/ssautil"
)

// Categories of the harmful classes; the policy finding keeps "unjoined".
const (
	catNeverEnds     = "never-ends"
	catOutlivesTest  = "outlives-test"
	catOutlivesOwner = "outlives-owner"
)

// bodyDepth bounds how deep the goroutine's body is followed through the
// package's own functions it calls.
const bodyDepth = 3

// harm returns the finding for the unjoined goroutine g when it belongs
// to a harmful class: it never ends, it outlives its test, or it outlives
// its owner.
func (c *checker) harm(g *ssa.Go) (analysis.Diagnostic, bool) {
	spawns := c.m.SpawnsAt(g)
	for _, sp := range spawns {
		if d, ok := c.neverEnds(g, sp); ok {
			return d, true
		}
	}
	for _, sp := range spawns {
		if d, ok := c.outlivesTest(g, sp); ok {
			return d, true
		}
	}
	for _, sp := range spawns {
		if d, ok := c.outlivesOwner(g, sp); ok {
			return d, true
		}
	}
	return analysis.Diagnostic{}, false
}

// body returns the functions that run on the goroutine of sp: its
// function and, bodyDepth levels deep, the package's functions and
// closures it calls (not those it starts).
func (c *checker) body(sp *concurrency.Spawn) []*ssa.Function {
	var out []*ssa.Function
	seen := make(map[*ssa.Function]bool)
	var walk func(fn *ssa.Function, depth int)
	walk = func(fn *ssa.Function, depth int) {
		if fn == nil || seen[fn] || !c.m.Local(fn) {
			return
		}
		seen[fn] = true
		out = append(out, fn)
		if depth == bodyDepth {
			return
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				ci, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				if _, isGo := instr.(*ssa.Go); isGo {
					continue
				}
				if callee := ci.Common().StaticCallee(); callee != nil {
					walk(callee, depth+1)
				}
			}
		}
	}
	walk(sp.Fn, 0)
	return out
}

// ---- never ends ----

// neverEnds reports a goroutine whose function enters a loop it can
// never leave: no return, break, panic or stop case; a range over a
// Ticker's channel counts as endless (Stop does not close it).
func (c *checker) neverEnds(g *ssa.Go, sp *concurrency.Spawn) (analysis.Diagnostic, bool) {
	fn := sp.Fn
	if fn == nil || !c.m.Local(fn) || len(fn.Blocks) == 0 {
		return analysis.Diagnostic{}, false
	}
	for _, l := range ssautil.Loops(fn) {
		if c.loopCanEnd(l) {
			continue
		}
		pos := loopPos(l)
		d := analysis.Diagnostic{
			Pos:      g.Pos(),
			Category: catNeverEnds,
			Message: fmt.Sprintf("goroutine never ends: its loop at %s has no way out (no return, break, stop or ctx.Done() case), so it runs until the process exits however often it is started; add a stop or ctx.Done() case that returns, and wait for it",
				c.m.Where(pos, g.Pos())),
		}
		if pos.IsValid() {
			d.Related = []analysis.RelatedInformation{{Pos: pos, Message: "the loop that never ends"}}
		}
		return d, true
	}
	return analysis.Diagnostic{}, false
}

// loopCanEnd reports whether control can leave l (other than through a
// ticker's range exit), or a call in it ends the goroutine (panic,
// runtime.Goexit, t.FailNow, os.Exit).
func (c *checker) loopCanEnd(l *ssautil.Loop) bool {
	for _, b := range l.Blocks() {
		for _, s := range b.Succs {
			if !l.Contains(s) && !tickerRangeExit(b, s) {
				return true
			}
		}
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Panic:
				return true
			case *ssa.Call:
				if c.m.NeverReturns(x.Common()) || endsGoroutine(x.Common()) {
					return true
				}
			}
		}
	}
	return false
}

// endsGoroutine: runtime.Goexit and the testing methods that call it.
func endsGoroutine(cc *ssa.CallCommon) bool {
	var obj *types.Func
	if cc.IsInvoke() {
		obj = cc.Method
	} else if f := cc.StaticCallee(); f != nil {
		obj, _ = ssautil.OriginFunc(f).Object().(*types.Func)
	}
	if obj == nil || obj.Pkg() == nil {
		return false
	}
	switch calls.PkgPath(obj.Pkg()) {
	case "runtime":
		return obj.Name() == "Goexit"
	case "testing":
		switch obj.Name() {
		case "FailNow", "Fatal", "Fatalf", "Skip", "Skipf", "SkipNow":
			return true
		}
	}
	return false
}

// tickerRangeExit reports whether the edge b->s is the exit of a range
// over a time.Ticker's (or time.Tick's) channel, which is never closed.
func tickerRangeExit(b, s *ssa.BasicBlock) bool {
	ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok || len(b.Succs) != 2 || b.Succs[1] != s {
		return false
	}
	ex, ok := ifi.Cond.(*ssa.Extract)
	if !ok || ex.Index != 1 {
		return false
	}
	recv, ok := ex.Tuple.(*ssa.UnOp)
	if !ok || recv.Op != token.ARROW || !recv.CommaOk {
		return false
	}
	return tickerChan(recv.X)
}

func tickerChan(v ssa.Value) bool {
	for range 8 {
		switch x := v.(type) {
		case *ssa.ChangeType:
			v = x.X
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return false
			}
			if fa, ok := x.X.(*ssa.FieldAddr); ok {
				if p, ok := fa.X.Type().Underlying().(*types.Pointer); ok {
					return calls.IsNamed(p.Elem(), "time", "Ticker") && fa.Field == 0
				}
				return false
			}
			v = x.X
		case *ssa.Call:
			return calls.Is(x.Common(), "time.Tick")
		default:
			return false
		}
	}
	return false
}

func loopPos(l *ssautil.Loop) token.Pos {
	for _, b := range l.Blocks() {
		for _, instr := range b.Instrs {
			if p := instr.Pos(); p.IsValid() {
				return p
			}
		}
	}
	return token.NoPos
}

// ---- outlives its test ----

// testUses are the methods of testing.T/B/F/TB that must not run after
// the test completes: Fail panics ("Fail in goroutine after TestX has
// completed"), logs are lost or panic, cleanups and temp dirs belong to
// a finished test.
var testUses = map[string]bool{
	"Log": true, "Logf": true, "Error": true, "Errorf": true, "Fatal": true, "Fatalf": true,
	"Fail": true, "FailNow": true, "Skip": true, "Skipf": true, "SkipNow": true,
	"Helper": true, "Cleanup": true, "TempDir": true, "Setenv": true, "Chdir": true,
	"Run": true, "Attr": true, "Output": true, "ArtifactDir": true,
}

// isTestingType reports whether t is *testing.T, *testing.B, *testing.F
// or testing.TB.
func isTestingType(t types.Type) bool {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || !calls.InPkg(n.Obj(), "testing") {
		return false
	}
	switch n.Obj().Name() {
	case "T", "B", "F", "TB", "common":
		return true
	}
	return false
}

// outlivesTest reports a goroutine that uses its test's t or b and that
// nothing joins before the test returns. Only uses that can run after the
// test returns in a passing run count: a log (t.Log, t.TempDir, t.Cleanup
// ...) anywhere, or any use (t.Error, require.NoError(t, ...)) in a loop
// of the goroutine; a failure call outside a loop runs only once
// something already failed. A goroutine the test stops (it watches a
// context, selects on a channel the test closes, or leaves its loop
// quietly when the test closes what it reads) is not reported, nor one
// whose end the test sees through a pipe.
func (c *checker) outlivesTest(g *ssa.Go, sp *concurrency.Spawn) (analysis.Diagnostic, bool) {
	test := "the test"
	if root := ssautil.Root(g.Parent()); isTestFunc(root) {
		test = root.Name()
	}
	use, what := c.lateTestUse(sp)
	if use == nil || c.stoppedByTest(g, sp) || c.childJoined(sp) || c.closedByTest(g, sp) || c.endsThroughPipe(sp) {
		return analysis.Diagnostic{}, false
	}
	d := analysis.Diagnostic{
		Pos:      g.Pos(),
		Category: catOutlivesTest,
		Message: fmt.Sprintf("goroutine outlives its test: it calls %s (%s) but nothing waits for it before %s returns, and after that t.Error panics and t.Log is lost; wait for it in the test (sync.WaitGroup.Go, then wg.Wait, or t.Cleanup(wg.Wait))",
			what, c.m.Where(use.Pos(), g.Pos()), test),
		Related: []analysis.RelatedInformation{{Pos: use.Pos(), Message: "the goroutine uses the test here"}},
	}
	return d, true
}

// failUses are the testing methods that only run once something failed.
var failUses = map[string]bool{
	"Error": true, "Errorf": true, "Fatal": true, "Fatalf": true, "Fail": true, "FailNow": true,
	"Skip": true, "Skipf": true, "SkipNow": true, "Helper": true,
}

// lateTestUse returns a call of the goroutine's function that uses the
// test and may run after it returned in a passing run: see outlivesTest.
func (c *checker) lateTestUse(sp *concurrency.Spawn) (ssa.CallInstruction, string) {
	fn := sp.Fn
	if fn == nil || !c.m.Local(fn) {
		return nil, ""
	}
	memo := make(map[*ssa.Function]testUseKind)
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			ci, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			if _, isGo := instr.(*ssa.Go); isGo {
				continue
			}
			k, what := c.callTestUse(ci.Common(), memo, 0)
			if k == 0 {
				continue
			}
			if k&useLog != 0 || c.m.InLoop(instr) {
				return ci, what
			}
		}
	}
	return nil, ""
}

type testUseKind uint8

const (
	useFail testUseKind = 1 << iota // a failure call, or t handed to another package
	useLog                          // a log, cleanup, temp dir...
)

// callTestUse says how the call cc uses a testing.T, B, F or TB.
func (c *checker) callTestUse(cc *ssa.CallCommon, memo map[*ssa.Function]testUseKind, depth int) (testUseKind, string) {
	kind := func(name string) testUseKind {
		if failUses[name] {
			return useFail
		}
		return useLog
	}
	if cc.IsInvoke() {
		if isTestingType(cc.Value.Type()) && testUses[cc.Method.Name()] {
			return kind(cc.Method.Name()), "t." + cc.Method.Name()
		}
		return 0, ""
	}
	callee := cc.StaticCallee()
	if callee != nil {
		if obj, ok := ssautil.OriginFunc(callee).Object().(*types.Func); ok && calls.InPkg(obj, "testing") {
			if recv := obj.Signature().Recv(); recv != nil && isTestingType(recv.Type()) && testUses[obj.Name()] {
				return kind(obj.Name()), "t." + obj.Name()
			}
			return 0, ""
		}
		if c.m.Local(callee) {
			if depth >= bodyDepth {
				return 0, ""
			}
			k, ok := memo[callee]
			if !ok {
				memo[callee] = 0 // recursion
				for _, b := range callee.Blocks {
					for _, instr := range b.Instrs {
						if ci, ok := instr.(ssa.CallInstruction); ok {
							if _, isGo := instr.(*ssa.Go); !isGo {
								kk, _ := c.callTestUse(ci.Common(), memo, depth+1)
								k |= kk
							}
						}
					}
				}
				memo[callee] = k
			}
			if k != 0 {
				return k, callName(cc)
			}
			return 0, ""
		}
	}
	for _, a := range cc.Args {
		if isTestingType(a.Type()) {
			return useFail, callName(cc) + "(t, ...)"
		}
	}
	return 0, ""
}

// childJoined reports whether the goroutine of sp starts goroutines that
// are joined (each signals a WaitGroup the test waits on): the test waits
// for its children, which the goroutine starts as it goes, so it is all
// but done when the test stops waiting.
func (c *checker) childJoined(sp *concurrency.Spawn) bool {
	if sp.Fn == nil {
		return false
	}
	for _, b := range sp.Fn.Blocks {
		for _, instr := range b.Instrs {
			if g2, ok := instr.(*ssa.Go); ok && c.joined(g2) {
				return true
			}
		}
	}
	return false
}

// stoppedByTest reports whether the goroutine watches a context or
// selects on a channel that the test (or a closure in it) closes.
func (c *checker) stoppedByTest(g *ssa.Go, sp *concurrency.Spawn) bool {
	root := ssautil.Root(g.Parent())
	closed := make(map[string]bool)
	closureCalls(root, func(fn *ssa.Function, ci ssa.CallInstruction) {
		if ch := closedChan(ci.Common()); ch != nil {
			if p := c.m.PathOf(fn, ch); !p.IsZero() {
				closed[p.Key()] = true
			}
		}
	})
	for _, fn := range c.body(sp) {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch x := instr.(type) {
				case *ssa.Select:
					for _, st := range x.States {
						if st.Dir == types.RecvOnly && closed[c.m.PathOf(fn, st.Chan).Key()] {
							return true
						}
					}
				case *ssa.UnOp:
					if x.Op == token.ARROW && closed[c.m.PathOf(fn, x.X).Key()] {
						return true
					}
				case ssa.CallInstruction:
					cc := x.Common()
					if cc.IsInvoke() && concurrency.IsContext(cc.Value.Type()) && (cc.Method.Name() == "Done" || cc.Method.Name() == "Err") {
						return true
					}
				}
			}
		}
	}
	return false
}

func callName(cc *ssa.CallCommon) string {
	if callee := cc.StaticCallee(); callee != nil {
		if obj, ok := ssautil.OriginFunc(callee).Object().(*types.Func); ok {
			if obj.Pkg() != nil {
				return obj.Pkg().Name() + "." + obj.Name()
			}
			return obj.Name()
		}
		return callee.Name()
	}
	return "a function"
}

// isTestFunc: TestX(t *testing.T), BenchmarkX(b), FuzzX(f).
func isTestFunc(fn *ssa.Function) bool {
	if fn.Signature.Recv() != nil || fn.Signature.Params().Len() != 1 {
		return false
	}
	name := fn.Name()
	return (strings.HasPrefix(name, "Test") || strings.HasPrefix(name, "Benchmark") || strings.HasPrefix(name, "Fuzz")) &&
		isTestingType(fn.Signature.Params().At(0).Type())
}

// ---- outlives its owner ----

// closers are the methods that end an owner's life.
var closers = []string{"Close", "Stop", "Shutdown"}

// outlivesOwner reports a goroutine that uses the fields of a value whose
// type has a Close (Stop, Shutdown) method, and that this method neither
// waits for nor stops: it can run after Close and use or rebuild state
// Close released. Stopped means: Close closes or sends on a channel the
// goroutine receives from, cancels a context the goroutine watches, sets
// a flag the goroutine reads (atomically or under the lock it sets it
// under), or closes a resource the goroutine blocks on (a conn's Read).
func (c *checker) outlivesOwner(g *ssa.Go, sp *concurrency.Spawn) (analysis.Diagnostic, bool) {
	if c.m.InTest(g.Pos()) {
		return analysis.Diagnostic{}, false // test fixtures: outlives-test covers tests
	}
	body := c.body(sp)
	acc := c.fieldAccesses(body)
	inputs := c.inputs(sp)
	for _, owner := range acc.types() {
		if !inputs[owner] {
			continue // not a value the goroutine was given or captured
		}
		closer := c.closerOf(owner)
		if closer == nil {
			continue
		}
		if root := ssautil.Root(g.Parent()); root == closer || isCloserName(root) {
			continue // started by the teardown itself
		}
		if callsFunc(body, closer) {
			continue // the goroutine is a teardown: it closes the owner itself (sarama safeAsyncClose)
		}
		rel := c.fieldAccesses(c.bodyOf(closer))
		// The fields both touch, where Close writes, closes or calls a
		// method on the field: state Close releases.
		field, pos := "", token.NoPos
		for _, f := range acc.fields[owner] {
			if rel.released(owner, f.name) {
				field, pos = f.name, f.pos
				break
			}
		}
		if field == "" || c.stopped(sp, body, acc, rel, owner) {
			continue
		}
		name := owner.Obj().Name()
		d := analysis.Diagnostic{
			Pos:      g.Pos(),
			Category: catOutlivesOwner,
			Message: fmt.Sprintf("goroutine outlives its owner: it uses %s.%s (%s), which (*%s).%s releases, but %s neither waits for it nor stops it, so it can run after %s and use or rebuild released state; start it with a sync.WaitGroup field (wg.Go) and wg.Wait in %s, or check a closed flag under the lock",
				name, field, c.m.Where(pos, g.Pos()), name, closer.Name(), closer.Name(), closer.Name(), closer.Name()),
			Related: []analysis.RelatedInformation{{Pos: closer.Pos(), Message: fmt.Sprintf("%s does not wait for the goroutine", closer.Name())}},
		}
		return d, true
	}
	return analysis.Diagnostic{}, false
}

// inputs returns the owner types of the values the goroutine of sp is
// given: a method value's receiver, the arguments, a closure's captures.
func (c *checker) inputs(sp *concurrency.Spawn) map[*types.Named]bool {
	out := make(map[*types.Named]bool)
	vals := append([]ssa.Value(nil), sp.Args...)
	if sp.Closure != nil {
		vals = append(vals, sp.Closure.Bindings...)
	}
	for _, v := range vals {
		t := v.Type()
		if p, ok := t.Underlying().(*types.Pointer); ok {
			if _, ok := p.Elem().Underlying().(*types.Pointer); ok {
				t = p.Elem() // a captured variable holding the pointer
			}
		}
		if n := c.ownerType(t); n != nil {
			out[n] = true
		}
	}
	return out
}

func isCloserName(fn *ssa.Function) bool {
	if fn.Signature.Recv() == nil {
		return false
	}
	for _, n := range closers {
		if fn.Name() == n {
			return true
		}
	}
	return false
}

// closerOf returns owner's Close, Stop or Shutdown method declared in
// this package.
func (c *checker) closerOf(owner *types.Named) *ssa.Function {
	for _, name := range closers {
		obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(owner), true, owner.Obj().Pkg(), name)
		f, ok := obj.(*types.Func)
		if !ok || f.Pkg() != c.pass.Pkg {
			continue
		}
		if fn := c.m.SSA.Pkg.Prog.FuncValue(f); fn != nil && len(fn.Blocks) > 0 {
			return fn
		}
	}
	return nil
}

// bodyOf returns fn and the package's functions it calls, bodyDepth deep.
func (c *checker) bodyOf(fn *ssa.Function) []*ssa.Function {
	return c.body(&concurrency.Spawn{Fn: fn})
}

// A fieldUse is an access of the goroutine to a field of its owner.
type fieldUse struct {
	name string
	pos  token.Pos
}

// accesses is what a set of functions does with the fields of named
// struct types.
type accesses struct {
	fields  map[*types.Named][]fieldUse      // fields read or written, in order
	stored  map[*types.Named]map[string]bool // fields written
	rebuilt map[*types.Named]map[string]bool // fields written a value that is not a constant
	flags   map[*types.Named]map[string]bool // bool/int fields given a constant, or atomics stored
	calls   map[*types.Named]map[string]bool // fields a method is called on
	blocks  map[*types.Named]map[string]bool // fields a blocking method is called on (Read, Accept)
	loads   map[*types.Named]map[string][]ssa.Instruction
	signals map[*types.Named]map[string]bool // channel fields closed or sent on
	order   []*types.Named
	chans   []concurrency.ChanOp
	ctxDone bool // observes a context (Done, Err)
	cancels bool // calls a func-typed field (a cancel func)
}

func (a *accesses) types() []*types.Named { return a.order }

// released reports whether Close assigns the field (l.child = nil): a
// goroutine that reads it after Close sees it gone, one that writes it
// rebuilds what Close released. Calling a method on a field (n.client.Close())
// is not enough: goroutines that keep using a closed client get its
// errors, by design.
func (a *accesses) released(owner *types.Named, field string) bool {
	return a.stored[owner][field]
}

func addSet(m map[*types.Named]map[string]bool, n *types.Named, f string) {
	if m[n] == nil {
		m[n] = make(map[string]bool)
	}
	m[n][f] = true
}

// fieldAccesses collects the field accesses of fns on pointers to named
// struct types of this package.
func (c *checker) fieldAccesses(fns []*ssa.Function) *accesses {
	a := &accesses{
		fields:  make(map[*types.Named][]fieldUse),
		stored:  make(map[*types.Named]map[string]bool),
		rebuilt: make(map[*types.Named]map[string]bool),
		flags:   make(map[*types.Named]map[string]bool),
		calls:   make(map[*types.Named]map[string]bool),
		blocks:  make(map[*types.Named]map[string]bool),
		loads:   make(map[*types.Named]map[string][]ssa.Instruction),
		signals: make(map[*types.Named]map[string]bool),
	}
	seenField := make(map[*types.Named]map[string]bool)
	for _, fn := range fns {
		if s := c.m.Summary(fn); s != nil {
			a.chans = append(a.chans, s.Chans...)
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if ci, ok := instr.(ssa.CallInstruction); ok {
					cc := ci.Common()
					if cc.IsInvoke() && concurrency.IsContext(cc.Value.Type()) && (cc.Method.Name() == "Done" || cc.Method.Name() == "Err") {
						a.ctxDone = true
					}
					if _, ok := cc.Value.Type().Underlying().(*types.Signature); ok && !cc.IsInvoke() {
						if ld, ok := cc.Value.(*ssa.UnOp); ok && ld.Op == token.MUL {
							if _, ok := ld.X.(*ssa.FieldAddr); ok {
								a.cancels = true
							}
						}
					}
				}
				fa, ok := instr.(*ssa.FieldAddr)
				if !ok {
					continue
				}
				owner := c.ownerType(fa.X.Type())
				if owner == nil {
					continue
				}
				st, ok := owner.Underlying().(*types.Struct)
				if !ok || fa.Field >= st.NumFields() {
					continue
				}
				fv := st.Field(fa.Field)
				name := fv.Name()
				if isSyncType(fv.Type()) && !isAtomicType(fv.Type()) {
					continue // a mutex, a WaitGroup: not state
				}
				if _, ok := a.fields[owner]; !ok {
					a.order = append(a.order, owner)
				}
				if seenField[owner] == nil {
					seenField[owner] = make(map[string]bool)
				}
				if !seenField[owner][name] {
					seenField[owner][name] = true
					a.fields[owner] = append(a.fields[owner], fieldUse{name, fa.Pos()})
				}
				for _, ref := range *fa.Referrers() {
					switch r := ref.(type) {
					case *ssa.Store:
						if r.Addr != fa {
							continue
						}
						addSet(a.stored, owner, name)
						if k, isConst := r.Val.(*ssa.Const); isConst && (isFlagType(fv.Type()) || k.IsNil()) {
							// A constant state, or nil: a field reset
							// to nil is its own closed flag for readers
							// that check it (s.sys = nil; if s.sys == nil).
							addSet(a.flags, owner, name)
						} else if !isConst {
							addSet(a.rebuilt, owner, name)
						}
					case *ssa.UnOp:
						if r.Op != token.MUL {
							continue
						}
						if a.loads[owner] == nil {
							a.loads[owner] = make(map[string][]ssa.Instruction)
						}
						a.loads[owner][name] = append(a.loads[owner][name], r)
						for _, rr := range *r.Referrers() {
							if signalsOn(rr, func(ch ssa.Value) bool { return ch == r }) {
								addSet(a.signals, owner, name)
							}
							if ci, ok := rr.(ssa.CallInstruction); ok && receiverIs(ci.Common(), r) {
								addSet(a.calls, owner, name)
								if _, blocks := blocksOnRecv(ci.Common()); blocks {
									addSet(a.blocks, owner, name)
								}
							}
						}
					case ssa.CallInstruction:
						// a method on the field's address: atomic.Bool.Store,
						// mu.Lock, conn.Close on a value field.
						cc := r.Common()
						if !receiverIs(cc, fa) {
							continue
						}
						addSet(a.calls, owner, name)
						if isAtomicType(fv.Type()) {
							if m := methodName(cc); m == "Store" || m == "CompareAndSwap" || m == "Swap" {
								addSet(a.flags, owner, name)
								addSet(a.stored, owner, name)
							} else if m == "Load" {
								if a.loads[owner] == nil {
									a.loads[owner] = make(map[string][]ssa.Instruction)
								}
								a.loads[owner][name] = append(a.loads[owner][name], r)
							}
						}
						if _, blocks := blocksOnRecv(cc); blocks {
							addSet(a.blocks, owner, name)
						}
					}
				}
			}
		}
	}
	return a
}

// signalsOn reports whether instr closes (a call, not a deferred one)
// or sends on (a send, a select's send case) a channel on holds for.
func signalsOn(instr ssa.Instruction, on func(ch ssa.Value) bool) bool {
	switch x := instr.(type) {
	case *ssa.Send:
		return on(x.Chan)
	case *ssa.Select:
		for _, st := range x.States {
			if st.Dir == types.SendOnly && on(st.Chan) {
				return true
			}
		}
	case *ssa.Call:
		ch := closedChan(x.Common())
		return ch != nil && on(ch)
	}
	return false
}

func receiverIs(cc *ssa.CallCommon, v ssa.Value) bool {
	if cc.IsInvoke() {
		return cc.Value == v
	}
	if len(cc.Args) > 0 && cc.Signature().Recv() != nil {
		return cc.Args[0] == v
	}
	if f := cc.StaticCallee(); f != nil && f.Signature.Recv() != nil && len(cc.Args) > 0 {
		return cc.Args[0] == v
	}
	return false
}

func methodName(cc *ssa.CallCommon) string {
	if cc.IsInvoke() {
		return cc.Method.Name()
	}
	if f := cc.StaticCallee(); f != nil {
		return f.Name()
	}
	return ""
}

// ownerType returns the named struct type of this package that t points
// to.
func (c *checker) ownerType(t types.Type) *types.Named {
	p, ok := t.Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	n, ok := types.Unalias(p.Elem()).(*types.Named)
	if !ok || n.Obj().Pkg() != c.pass.Pkg {
		return nil
	}
	if _, ok := n.Underlying().(*types.Struct); !ok {
		return nil
	}
	if n.Origin() != nil {
		n = n.Origin()
	}
	return n
}

func isSyncType(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && (calls.InPkg(n.Obj(), "sync") || calls.InPkg(n.Obj(), "sync/atomic"))
}

// callsFunc reports whether one of fns calls fn directly.
func callsFunc(fns []*ssa.Function, fn *ssa.Function) bool {
	for _, f := range fns {
		if f == fn {
			return true
		}
		for _, b := range f.Blocks {
			for _, instr := range b.Instrs {
				if ci, ok := instr.(ssa.CallInstruction); ok && ci.Common().StaticCallee() == fn {
					return true
				}
			}
		}
	}
	return false
}

func isAtomicType(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && calls.InPkg(n.Obj(), "sync/atomic")
}

// isFlagType: a bool, or an integer state, or a sync/atomic value.
func isFlagType(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&(types.IsBoolean|types.IsInteger) != 0
}

// stopped reports whether Close (rel) stops the goroutine (acc): see
// outlivesOwner.
func (c *checker) stopped(sp *concurrency.Spawn, body []*ssa.Function, acc, rel *accesses, owner *types.Named) bool {
	// A channel Close closes or sends on, that the goroutine receives from.
	signalled := make(map[string]bool)
	for _, op := range rel.chans {
		if op.Op == concurrency.Close || op.Op == concurrency.Send {
			if k := lastField(op.Path); k != "" {
				signalled[k] = true
			}
		}
	}
	for _, op := range acc.chans {
		if op.Op == concurrency.Recv && signalled[lastField(op.Path)] {
			return true
		}
	}
	// Closed channels the goroutine selects on though the summary does
	// not list them (its own fields read in the goroutine).
	for f := range rel.closedFields(c, owner) {
		if acc.loads[owner][f] != nil && c.recvOn(body, owner, f) {
			return true
		}
	}
	// A context Close cancels.
	if rel.cancels && acc.ctxDone {
		return true
	}
	// A resource Close closes that the goroutine blocks on: a field, or
	// a value the spawner stored in a field.
	for f := range acc.blocks[owner] {
		if rel.calls[owner][f] {
			return true
		}
	}
	if c.closedByOwner(sp, body, rel, owner) {
		return true
	}
	// A flag Close sets that the goroutine reads, atomically or under a
	// lock Close holds when it sets it. A field the goroutine also writes
	// a computed value is state it rebuilds, not a flag it obeys (lazy:
	// if l.child == nil { l.child = build() }); constants it writes are
	// states of the flag (pgx bgreader: stopping, then stopped).
	for f := range rel.flags[owner] {
		if acc.rebuilt[owner][f] {
			continue
		}
		for _, ld := range acc.loads[owner][f] {
			if _, isCall := ld.(ssa.CallInstruction); isCall {
				return true // atomic Load
			}
			if c.underCloserLock(ld, body, owner) {
				return true
			}
		}
	}
	return false
}

// closedFields are the channel fields of owner Close closes or sends on
// directly: by instruction (also when the receiver is kept in a heap cell
// because a closure captures it, so the model's summary does not list the
// operation as one on its parameter) or by the summary's paths.
func (a *accesses) closedFields(c *checker, owner *types.Named) map[string]bool {
	out := make(map[string]bool)
	for f := range a.signals[owner] {
		out[f] = true
	}
	st, _ := owner.Underlying().(*types.Struct)
	for _, op := range a.chans {
		if op.Op == concurrency.Recv || len(op.Path.Steps) == 0 {
			continue
		}
		last := op.Path.Steps[len(op.Path.Steps)-1]
		if st != nil && strings.HasSuffix(last.Struct, "."+owner.Obj().Name()) {
			out[last.Field] = true
		}
	}
	return out
}

// recvOn reports whether the body receives from owner's field f.
func (c *checker) recvOn(body []*ssa.Function, owner *types.Named, f string) bool {
	isField := func(v ssa.Value) bool {
		ld, ok := v.(*ssa.UnOp)
		if !ok || ld.Op != token.MUL {
			return false
		}
		fa, ok := ld.X.(*ssa.FieldAddr)
		if !ok || c.ownerType(fa.X.Type()) != owner {
			return false
		}
		st := owner.Underlying().(*types.Struct)
		return fa.Field < st.NumFields() && st.Field(fa.Field).Name() == f
	}
	for _, fn := range body {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch x := instr.(type) {
				case *ssa.UnOp:
					if x.Op == token.ARROW && isField(x.X) {
						return true
					}
				case *ssa.Select:
					for _, s := range x.States {
						if s.Dir == types.RecvOnly && isField(s.Chan) {
							return true
						}
					}
				}
			}
		}
	}
	return false
}

// underCloserLock reports whether ld runs under a lock of the owner type
// that Close holds somewhere (the lock Close sets the flag under): held
// where it is, by every caller of its function (a helper called under
// the lock: moby nodeRunner.enableReconnectWatcher), or at every call of
// its function on the goroutine's way there (a "lock held" helper such
// as nats eventsEnabled, called under s.mu by the goroutine's callee).
func (c *checker) underCloserLock(ld ssa.Instruction, body []*ssa.Function, owner *types.Named) bool {
	return c.lockedAt(ld, body, owner, 0)
}

func (c *checker) lockedAt(instr ssa.Instruction, body []*ssa.Function, owner *types.Named, depth int) bool {
	fn := instr.Parent()
	locks := c.m.Locks(fn)
	if locks == nil {
		return false
	}
	held := append(locks.HeldAt(instr), c.m.CallerHeld(fn)...)
	for _, l := range held {
		if ownersLock(l.Path, owner) {
			return true
		}
	}
	if depth >= bodyDepth {
		return false
	}
	// The calls of fn in the goroutine's body: each must hold the lock.
	sites := 0
	for _, f := range body {
		for _, b := range f.Blocks {
			for _, in := range b.Instrs {
				ci, ok := in.(ssa.CallInstruction)
				if !ok || ci.Common().StaticCallee() != fn {
					continue
				}
				if _, isGo := in.(*ssa.Go); isGo {
					continue
				}
				if !c.lockedAt(in, body, owner, depth+1) {
					return false
				}
				sites++
			}
		}
	}
	return sites > 0
}

// ownersLock reports whether the lock at p belongs to an owner of type
// owner: a field of it (s.mu), or reached through one (r.cond.L, the
// Locker of a sync.Cond the owner points to: pgx bgreader).
func ownersLock(p concurrency.Path, owner *types.Named) bool {
	qualified := owner.Obj().Pkg().Path() + "." + owner.Obj().Name()
	for _, s := range p.Steps {
		if s.Struct == qualified {
			return true
		}
	}
	return false
}
