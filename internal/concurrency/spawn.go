package concurrency

import (
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/calls"
	"github.com/futlint/futlint/internal/ssautil"
)

// A ContextKind says how a function comes to run.
type ContextKind uint8

const (
	// Sync: on the caller's goroutine, before the caller goes on, under
	// the caller's locks.
	Sync ContextKind = iota + 1
	// Go: on a new goroutine; Context.Spawn says which.
	Go
	// Entry: called from code the model cannot see (another package, an
	// interface call, reflection).
	Entry
	// Escaped: the function value is stored, returned or passed where
	// the model cannot follow it.
	Escaped
)

func (k ContextKind) String() string {
	switch k {
	case Sync:
		return "sync"
	case Go:
		return "go"
	case Entry:
		return "entry"
	case Escaped:
		return "escaped"
	}
	return "?"
}

// A Context is one way a function comes to run.
type Context struct {
	Kind ContextKind
	// Caller is the function whose goroutine runs it (Sync) or that
	// starts it (Go); nil for Entry and for ServeHTTP.
	Caller *ssa.Function
	// Site is the instruction in Caller that calls, defers, starts or
	// hands over the function (a Call, Defer, Go, or the MakeClosure or
	// ChangeType that turns it into a value); nil for Entry.
	Site ssa.Instruction
	// Deferred: a Sync context of a deferred call; it runs when Caller
	// returns, under the locks held there.
	Deferred bool
	// Many: several instances may run at the same time (Go only).
	Many bool
	// Spawn is the spawn of a Go context.
	Spawn *Spawn
	// Via names the callee that calls or starts the function, for
	// messages: "sync.Once.Do", "withRecover", "errgroup.Group.Go".
	Via string
}

// A SpawnKind says how a spawn starts its goroutine.
type SpawnKind uint8

const (
	// GoStmt: a go statement; with Via set, a wrapper the go statement
	// runs (go withRecover(f)) calls the function.
	GoStmt SpawnKind = iota + 1
	// Callback: a spawner is given the function: the library surface's
	// (errgroup, WaitGroup.Go, conc, time.AfterFunc), a declared one
	// (//futlint:spawner, -concurrency.spawners), or one inferred from
	// its Summary.
	Callback
	// Subtest: t.Run(name, f) where f calls t.Parallel.
	Subtest
	// RunParallel: b.RunParallel(f).
	RunParallel
	// Handler: registered as an HTTP handler (http.HandleFunc, Handle,
	// ServeMux methods, a conversion to http.HandlerFunc).
	Handler
	// ServeHTTP: a ServeHTTP method of the package; it has no site.
	ServeHTTP
)

// A Spawn is a function started on a goroutine of its own.
type Spawn struct {
	Kind SpawnKind
	// Site is the go statement, the spawner call, or the ChangeType to
	// http.HandlerFunc; nil for ServeHTTP.
	Site   ssa.Instruction
	Parent *ssa.Function // the function containing Site; nil for ServeHTTP
	// Fn is the function that runs on the new goroutine: the go
	// statement's callee (a method value's method), the closure passed
	// to a spawner, or the function a wrapper runs.
	Fn *ssa.Function
	// Closure binds Fn's free variables, when Fn is a closure.
	Closure *ssa.MakeClosure
	// Args are Fn's arguments at Site, for go f(args); nil otherwise.
	// For a method value, the receiver is Args[0].
	Args []ssa.Value
	// Many: several instances may run at the same time: started in a
	// loop, per request, per item, a parallel subtest, RunParallel.
	Many bool
	// InLoop: Site is in a loop of Parent.
	InLoop bool
	// What names the spawner for messages: "go", "errgroup.Group.Go",
	// "pool.Submit", "http.HandleFunc".
	What string
	// Via is the wrapper a go statement runs, when Fn is the function
	// it calls (go withRecover(f)).
	Via *ssa.Function
}

// Spawns returns every spawn of the package, in source order of their
// parents.
func (m *Model) Spawns() []*Spawn {
	m.findSpawns()
	return m.spawns
}

// SpawnsBy returns the spawns whose site is in parent.
func (m *Model) SpawnsBy(parent *ssa.Function) []*Spawn {
	m.findSpawns()
	return m.byParent[parent]
}

// SpawnsAt returns the spawns of one instruction (a go statement of a
// wrapper has two: the wrapper and the function it runs).
func (m *Model) SpawnsAt(site ssa.Instruction) []*Spawn {
	m.findSpawns()
	return m.bySite[site]
}

// findSpawns collects the package's spawns, once: under a sync.Once,
// since a facts-only unit leaves them to the first pass that asks, when
// the model is already shared.
func (m *Model) findSpawns() { m.spawnsOnce.Do(m.collectSpawns) }

func (m *Model) collectSpawns() {
	m.byParent = make(map[*ssa.Function][]*Spawn)
	m.bySite = make(map[ssa.Instruction][]*Spawn)
	add := func(sp *Spawn) {
		if sp == nil || sp.Fn == nil {
			return
		}
		if sp.Site != nil {
			sp.InLoop = m.InLoop(sp.Site)
			sp.Many = sp.Many || sp.InLoop
			m.bySite[sp.Site] = append(m.bySite[sp.Site], sp)
		}
		m.spawns = append(m.spawns, sp)
		m.byParent[sp.Parent] = append(m.byParent[sp.Parent], sp)
	}
	for _, fn := range m.Funcs {
		if isServeHTTP(fn) && !m.InTest(fn.Pos()) {
			add(&Spawn{Kind: ServeHTTP, Fn: fn, Many: true, What: "ServeHTTP"})
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch instr := instr.(type) {
				case *ssa.Go:
					for _, sp := range m.goSpawns(fn, instr) {
						add(sp)
					}
				case *ssa.Call:
					add(m.callSpawn(fn, instr))
				case *ssa.ChangeType:
					if calls.IsNamed(instr.Type(), "net/http", "HandlerFunc") && !m.InTest(instr.Pos()) {
						sp := m.funcArgSpawn(fn, instr, instr.X, Handler, "http.HandlerFunc")
						if sp != nil {
							sp.Many = true
						}
						add(sp)
					}
				}
			}
		}
	}
}

// goSpawns returns the spawns of a go statement: its callee and, when the
// callee calls a func argument synchronously (a wrapper such as
// withRecover), that argument too.
func (m *Model) goSpawns(parent *ssa.Function, g *ssa.Go) []*Spawn {
	callee, mc, args := m.runs(&g.Call)
	if callee == nil {
		return nil
	}
	out := []*Spawn{{Kind: GoStmt, Site: g, Parent: parent, Fn: callee, Closure: mc, Args: args, What: "go"}}
	sum := m.Summary(callee)
	for i, a := range g.Call.Args {
		if sum == nil || sum.ParamUse(i)&CalledSync == 0 {
			continue
		}
		if sp := m.funcArgSpawn(parent, g, a, GoStmt, "go "+m.shortName(callee)); sp != nil {
			sp.Via = callee
			out = append(out, sp)
		}
	}
	return out
}

// runs returns the function a call runs, its closure and its arguments,
// looking through phis, free variables and bound-method wrappers (to the
// method, whose receiver becomes Args[0]).
func (m *Model) runs(c *ssa.CallCommon) (*ssa.Function, *ssa.MakeClosure, []ssa.Value) {
	if c.IsInvoke() {
		return nil, nil, nil
	}
	if mc, ok := ssautil.Origin(c.Value, ssautil.Conversions|ssautil.Phis|ssautil.FreeVars).(*ssa.MakeClosure); ok {
		if fn, ok := mc.Fn.(*ssa.Function); ok && strings.HasPrefix(fn.Synthetic, "bound method wrapper") && len(mc.Bindings) == 1 {
			if meth := m.methodOf(fn); meth != fn {
				return meth, nil, append([]ssa.Value{mc.Bindings[0]}, c.Args...)
			}
		}
	}
	fn, mc := m.FuncOf(c.Value)
	return fn, mc, c.Args
}

// callSpawn returns the spawn a call makes by handing a function to a
// spawner, or nil.
func (m *Model) callSpawn(parent *ssa.Function, call *ssa.Call) *Spawn {
	c := &call.Call
	if e, ok := calls.Lookup(c); ok {
		switch e.Role {
		case calls.Spawn:
			return m.lastFuncSpawn(parent, call, Callback, e.What, false)
		case calls.Handle:
			if m.InTest(call.Pos()) {
				return nil // a test decides how many requests run at once
			}
			return m.lastFuncSpawn(parent, call, Handler, e.What, true)
		case calls.RunParallel:
			return m.lastFuncSpawn(parent, call, RunParallel, e.What, true)
		case calls.Subtest:
			sp := m.lastFuncSpawn(parent, call, Subtest, e.What, false)
			if sp == nil || !callsParallel(sp.Fn) {
				return nil // runs while t.Run waits: see Contexts
			}
			sp.Many = true // in parallel with its sibling subtests
			return sp
		}
		return nil
	}
	callee := c.StaticCallee()
	if callee == nil {
		return nil
	}
	if m.IsSpawner(callee) {
		return m.lastFuncSpawn(parent, call, Callback, m.shortName(callee), false)
	}
	// An inferred spawner: its summary starts a func parameter.
	sum := m.Summary(callee)
	if sum == nil {
		return nil
	}
	for i, a := range c.Args {
		u := sum.ParamUse(i)
		if u&(Spawned|SpawnedMany) == 0 {
			continue
		}
		if sp := m.funcArgSpawn(parent, call, a, Callback, m.shortName(callee)); sp != nil {
			sp.Many = u&SpawnedMany != 0
			return sp
		}
	}
	return nil
}

// lastFuncSpawn makes a spawn of the call's last func-typed argument.
func (m *Model) lastFuncSpawn(parent *ssa.Function, call *ssa.Call, kind SpawnKind, what string, many bool) *Spawn {
	args := call.Call.Args
	for i := len(args) - 1; i >= 0; i-- {
		if _, ok := args[i].Type().Underlying().(*types.Signature); !ok {
			continue
		}
		sp := m.funcArgSpawn(parent, call, args[i], kind, what)
		if sp != nil {
			sp.Many = sp.Many || many
		}
		return sp
	}
	return nil
}

// funcArgSpawn makes a spawn of the function value v, or nil when the
// model cannot tell which function it is.
func (m *Model) funcArgSpawn(parent *ssa.Function, site ssa.Instruction, v ssa.Value, kind SpawnKind, what string) *Spawn {
	fn, mc := m.FuncOf(v)
	if fn == nil {
		return nil
	}
	return &Spawn{Kind: kind, Site: site, Parent: parent, Fn: fn, Closure: mc, What: what}
}

// FuncOf returns the function a function value v denotes and the
// closure binding its free variables, or nil.
func (m *Model) FuncOf(v ssa.Value) (*ssa.Function, *ssa.MakeClosure) {
	switch x := ssautil.Origin(v, ssautil.Conversions|ssautil.Phis|ssautil.FreeVars).(type) {
	case *ssa.Function:
		return x, nil
	case *ssa.MakeClosure:
		if fn, ok := x.Fn.(*ssa.Function); ok {
			if strings.HasPrefix(fn.Synthetic, "bound method wrapper") {
				if obj, ok := fn.Object().(*types.Func); ok {
					if meth := m.SSA.Pkg.Prog.FuncValue(obj); meth != nil {
						return meth, nil
					}
				}
			}
			return fn, x
		}
	}
	return nil, nil
}

// Contexts returns the contexts fn may run in. A function with no
// context at all is not called in the package and not reachable from
// outside it.
func (m *Model) Contexts(fn *ssa.Function) []Context {
	if cs, ok := m.contexts[fn]; ok {
		return cs
	}
	var out []Context
	flowing := make(map[ssa.Value]bool) // phis and conversions being followed
	m.findSpawns()
	for _, sp := range m.spawns {
		if sp.Fn == fn {
			out = append(out, Context{Kind: Go, Caller: sp.Parent, Site: sp.Site, Many: sp.Many, Spawn: sp, Via: sp.What})
		}
	}
	if fn.Parent() == nil {
		m.indexSites()
		for _, ci := range m.sites[fn] {
			out = m.siteContext(out, fn, ci, ci.Common().Value)
		}
		for _, u := range m.valueUses[fn] {
			if mc, ok := u.(*ssa.MakeClosure); ok && mc.Fn != fn {
				// A method value: its bound wrapper's uses.
				for _, r := range *mc.Referrers() {
					out = m.valueContexts(out, fn, r, mc, flowing)
				}
				continue
			}
			out = m.valueContexts(out, fn, u, fn, flowing)
		}
		if m.callableFromOutside(fn) {
			out = append(out, Context{Kind: Entry})
		}
	} else if refs := fn.Referrers(); refs != nil {
		for _, ref := range *refs {
			switch r := ref.(type) {
			case *ssa.MakeClosure:
				for _, u := range *r.Referrers() {
					out = m.valueContexts(out, fn, u, r, flowing)
				}
			default:
				out = m.valueContexts(out, fn, ref, fn, flowing)
			}
		}
	}
	if !m.frozen {
		m.contexts[fn] = out
	}
	return out
}

// callableFromOutside reports whether code the model cannot see may call
// fn: an exported function or method, or an unexported method the
// package calls through an interface (unexported method names cannot
// satisfy another package's interfaces).
func (m *Model) callableFromOutside(fn *ssa.Function) bool {
	obj, ok := fn.Object().(*types.Func)
	if !ok {
		return false
	}
	if obj.Exported() {
		return true
	}
	return obj.Signature().Recv() != nil && m.invoked[obj.Name()]
}

// siteContext adds the context of a direct call, defer or go of fn.
func (m *Model) siteContext(out []Context, fn *ssa.Function, ci ssa.CallInstruction, _ ssa.Value) []Context {
	switch ci.(type) {
	case *ssa.Go:
		return out // a Spawn, already listed
	case *ssa.Defer:
		return append(out, Context{Kind: Sync, Caller: ci.Parent(), Site: ci, Deferred: true})
	}
	return append(out, Context{Kind: Sync, Caller: ci.Parent(), Site: ci})
}

// valueContexts adds the contexts arising from instruction u, which uses
// the function value v of fn.
func (m *Model) valueContexts(out []Context, fn *ssa.Function, u ssa.Instruction, v ssa.Value, flowing map[ssa.Value]bool) []Context {
	switch u := u.(type) {
	case *ssa.DebugRef:
		return out
	case ssa.CallInstruction:
		c := u.Common()
		if c.Value == v {
			return m.siteContext(out, fn, u, v)
		}
		if m.spawnedAt(fn, u) {
			return out // listed as a Spawn
		}
		if e, ok := calls.Lookup(c); ok {
			switch e.Role {
			case calls.SyncCallback:
				return append(out, Context{Kind: Sync, Caller: u.Parent(), Site: u, Via: e.What})
			case calls.Subtest:
				// t.Run blocks until a subtest that does not call
				// t.Parallel is done: sequenced with its caller.
				return append(out, Context{Kind: Sync, Caller: u.Parent(), Site: u, Via: e.What})
			}
		}
		if callee := c.StaticCallee(); callee != nil {
			sum := m.Summary(callee)
			for i, a := range c.Args {
				if a != v || sum == nil {
					continue
				}
				use := sum.ParamUse(i)
				if _, isGo := u.(*ssa.Go); isGo && use&CalledSync != 0 {
					return out // go wrapper(f): listed as a Spawn
				}
				if use == CalledSync {
					_, deferred := u.(*ssa.Defer)
					return append(out, Context{Kind: Sync, Caller: u.Parent(), Site: u, Deferred: deferred, Via: m.shortName(callee)})
				}
			}
		}
		for i, a := range c.Args {
			if _, isGo := u.(*ssa.Go); !isGo && a == v && m.invokedSync(c, i) {
				_, deferred := u.(*ssa.Defer)
				return append(out, Context{Kind: Sync, Caller: u.Parent(), Site: u, Deferred: deferred, Via: c.Method.Name()})
			}
		}
		if fn.Synthetic == "range-over-func yield" {
			// The iterator calls the loop body before it returns.
			return append(out, Context{Kind: Sync, Caller: u.Parent(), Site: u, Via: "range-over-func"})
		}
		return append(out, Context{Kind: Escaped, Caller: u.Parent(), Site: u})
	case *ssa.ChangeType:
		if m.spawnedAt(fn, u) {
			return out
		}
		return m.flowContexts(out, fn, u, flowing)
	case *ssa.Phi:
		return m.flowContexts(out, fn, u, flowing)
	case *ssa.BinOp:
		return out // compared with nil
	case *ssa.Store:
		// Kept in a variable stored once (f := func(){...}, captured by
		// another closure): the uses of its loads, there too.
		if a, ok := u.Addr.(*ssa.Alloc); ok && u.Val == v && ssautil.SingleStore(a) == u {
			for _, ld := range cellLoads(a, 0) {
				out = m.flowContexts(out, fn, ld, flowing)
			}
			return out
		}
	}
	return append(out, Context{Kind: Escaped, Caller: u.Parent(), Site: u})
}

// flowContexts adds the contexts of the uses of v, a phi or conversion
// the function value flows into.
func (m *Model) flowContexts(out []Context, fn *ssa.Function, v ssa.Value, flowing map[ssa.Value]bool) []Context {
	if flowing[v] {
		return out
	}
	flowing[v] = true
	defer delete(flowing, v)
	for _, r := range *v.Referrers() {
		out = m.valueContexts(out, fn, r, v, flowing)
	}
	return out
}

// cellLoads returns the loads of the variable at addr (an Alloc, or a
// free variable of a closure capturing it), in closures too.
func cellLoads(addr ssa.Value, depth int) []ssa.Value {
	refs := addr.Referrers()
	if refs == nil || depth > 8 {
		return nil
	}
	var out []ssa.Value
	for _, ref := range *refs {
		switch r := ref.(type) {
		case *ssa.UnOp:
			if r.Op == token.MUL {
				out = append(out, r)
			}
		case *ssa.MakeClosure:
			for _, fv := range ssautil.BoundTo(r, addr) {
				out = append(out, cellLoads(fv, depth+1)...)
			}
		}
	}
	return out
}

func (m *Model) spawnedAt(fn *ssa.Function, site ssa.Instruction) bool {
	for _, sp := range m.bySite[site] {
		if sp.Fn == fn {
			return true
		}
	}
	return false
}

// RunsOnNewGoroutine reports whether fn has a Go context.
func (m *Model) RunsOnNewGoroutine(fn *ssa.Function) bool {
	for _, c := range m.Contexts(fn) {
		if c.Kind == Go {
			return true
		}
	}
	return false
}

func isServeHTTP(fn *ssa.Function) bool {
	sig := fn.Signature
	if fn.Name() != "ServeHTTP" || sig.Recv() == nil || sig.Params().Len() != 2 {
		return false
	}
	req, ok := sig.Params().At(1).Type().(*types.Pointer)
	return calls.IsNamed(sig.Params().At(0).Type(), "net/http", "ResponseWriter") && ok && calls.IsNamed(req.Elem(), "net/http", "Request")
}

// callsParallel reports whether a subtest function calls t.Parallel.
func callsParallel(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if call, ok := instr.(*ssa.Call); ok && calls.Is(&call.Call, "(*testing.T).Parallel") {
				return true
			}
		}
	}
	return false
}

// shortName names a function for messages: "pool.Submit",
// "pool.Pool.Submit", and without the package in its own package:
// "withRecover".
func (m *Model) shortName(fn *ssa.Function) string {
	fn = ssautil.OriginFunc(fn)
	obj, ok := fn.Object().(*types.Func)
	if !ok {
		return fn.Name()
	}
	name := calls.FuncName(obj)
	if obj.Pkg() == m.Pass.Pkg {
		name = strings.ReplaceAll(name, calls.PkgPath(obj.Pkg())+".", "")
	}
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	return strings.NewReplacer("(", "", ")", "", "*", "").Replace(name)
}
