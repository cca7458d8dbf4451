package unlockedinc

import (
	"fmt"
	"go/token"
	"go/types"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/calls"
)

type spawnKind int

const (
	goStmt      spawnKind = iota // go f()
	goCallback                   // errgroup, WaitGroup.Go, conc, time.AfterFunc
	subtest                      // t.Run(name, f) where f calls t.Parallel()
	parallelRun                  // b.RunParallel(f)
	handler                      // a function registered as an HTTP handler
	serveHTTP                    // a ServeHTTP method
)

// A spawn is a function that runs on a goroutine of its own, concurrently
// with its spawner, with itself, or with other spawned functions.
type spawn struct {
	fn      *ssa.Function
	parent  *ssa.Function    // the spawner; nil for a ServeHTTP method
	site    ssa.Instruction  // the go statement or call in parent; nil for ServeHTTP
	closure *ssa.MakeClosure // binds fn's free variables, if fn is a closure
	args    []ssa.Value      // fn's arguments, for go f(args)
	kind    spawnKind
	what    string // e.g. "errgroup.Group.Go"
}

// callbackSpawners maps functions that run a func argument on another
// goroutine to a short name for messages.
var callbackSpawners = map[string]string{
	"(*golang.org/x/sync/errgroup.Group).Go":                   "errgroup.Group.Go",
	"(*golang.org/x/sync/errgroup.Group).TryGo":                "errgroup.Group.TryGo",
	"(*sync.WaitGroup).Go":                                     "sync.WaitGroup.Go",
	"(*github.com/sourcegraph/conc.WaitGroup).Go":              "conc.WaitGroup.Go",
	"(*github.com/sourcegraph/conc/pool.Pool).Go":              "pool.Pool.Go",
	"(*github.com/sourcegraph/conc/pool.ErrorPool).Go":         "pool.ErrorPool.Go",
	"(*github.com/sourcegraph/conc/pool.ContextPool).Go":       "pool.ContextPool.Go",
	"(*github.com/sourcegraph/conc/pool.ResultPool).Go":        "pool.ResultPool.Go",
	"(*github.com/sourcegraph/conc/pool.ResultErrorPool).Go":   "pool.ResultErrorPool.Go",
	"(*github.com/sourcegraph/conc/pool.ResultContextPool).Go": "pool.ResultContextPool.Go",
	"(*github.com/sourcegraph/conc/stream.Stream).Go":          "stream.Stream.Go",
	"time.AfterFunc": "time.AfterFunc",
}

const (
	subtestRun    = "(*testing.T).Run"
	parallelBench = "(*testing.B).RunParallel"
)

// spawnerNames holds the bare names of every spawner above, to rule most
// calls out without building their full names.
var spawnerNames = bareNames(slices.Concat(slices.Collect(maps.Keys(callbackSpawners)), handlerRegistrars, []string{subtestRun, parallelBench}))

// bareNames maps full function names to their last element: "Go" for
// "(*sync.WaitGroup).Go".
func bareNames(full []string) map[string]bool {
	m := make(map[string]bool)
	for _, n := range full {
		m[n[strings.LastIndexByte(n, '.')+1:]] = true
	}
	return m
}

var handlerRegistrars = []string{
	"net/http.HandleFunc",
	"(*net/http.ServeMux).HandleFunc",
}

// findSpawns returns every function of the package that runs concurrently.
func (c *checker) findSpawns() []*spawn {
	var out []*spawn
	for _, fn := range c.funcs {
		if isServeHTTP(fn) && !c.inTest(fn.Pos()) {
			out = append(out, &spawn{fn: fn, kind: serveHTTP, what: "ServeHTTP"})
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch instr := instr.(type) {
				case *ssa.Go:
					callee := instr.Call.StaticCallee()
					if callee == nil {
						continue
					}
					sp := &spawn{fn: callee, parent: fn, site: instr, args: instr.Call.Args, kind: goStmt, what: "go"}
					sp.closure, _ = instr.Call.Value.(*ssa.MakeClosure)
					out = append(out, sp)
				case *ssa.Call:
					if obj := calls.Callee(&instr.Call); obj == nil || !spawnerNames[obj.Name()] {
						continue // the common case, decided without building names
					}
					name := calls.Name(&instr.Call)
					kind, what := goCallback, callbackSpawners[name]
					switch {
					case what != "":
					case slices.Contains(handlerRegistrars, name):
						kind, what = handler, shortFunc(name)
					case name == subtestRun:
						kind, what = subtest, "subtest"
					case name == parallelBench:
						kind, what = parallelRun, "RunParallel"
					default:
						continue
					}
					if kind == handler && c.inTest(instr.Pos()) {
						continue // see inTest
					}
					sp := c.callbackSpawn(fn, instr, instr.Call.Args, kind, what)
					if sp == nil || (kind == subtest && !callsParallel(sp.fn)) {
						continue
					}
					out = append(out, sp)
				case *ssa.ChangeType:
					if isNamed(instr.Type(), "net/http", "HandlerFunc") {
						if c.inTest(instr.Pos()) {
							continue // see inTest
						}
						if sp := c.callbackSpawn(fn, instr, []ssa.Value{instr.X}, handler, "http.HandlerFunc"); sp != nil {
							out = append(out, sp)
						}
					}
				}
			}
		}
	}
	return out
}

// callbackSpawn makes a spawn of the last function-typed argument.
func (c *checker) callbackSpawn(parent *ssa.Function, site ssa.Instruction, args []ssa.Value, kind spawnKind, what string) *spawn {
	for i := len(args) - 1; i >= 0; i-- {
		if _, ok := args[i].Type().Underlying().(*types.Signature); !ok {
			continue
		}
		v := args[i]
		for {
			ct, ok := v.(*ssa.ChangeType)
			if !ok {
				break
			}
			v = ct.X
		}
		switch v := v.(type) {
		case *ssa.Function:
			return &spawn{fn: v, parent: parent, site: site, kind: kind, what: what}
		case *ssa.MakeClosure:
			if fn, ok := v.Fn.(*ssa.Function); ok {
				return &spawn{fn: fn, parent: parent, site: site, closure: v, kind: kind, what: what}
			}
		}
		return nil
	}
	return nil
}

func isNamed(t types.Type, pkg, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == pkg && n.Obj().Name() == name
}

func isServeHTTP(fn *ssa.Function) bool {
	sig := fn.Signature
	if fn.Name() != "ServeHTTP" || sig.Recv() == nil || sig.Params().Len() != 2 {
		return false
	}
	req, ok := sig.Params().At(1).Type().(*types.Pointer)
	return isNamed(sig.Params().At(0).Type(), "net/http", "ResponseWriter") && ok && isNamed(req.Elem(), "net/http", "Request")
}

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

// inTest reports whether pos is in a _test.go file. A test decides how
// many requests its handlers serve at once (often one connection, one
// request at a time, each response read before the next request), and the
// race detector sees what the test runs: handlers there are not treated
// as concurrent.
func (c *checker) inTest(pos token.Pos) bool {
	return strings.HasSuffix(c.pass.Fset.Position(pos).Filename, "_test.go")
}

// describe says, for a message, why the spawn's memory is shared.
func (c *checker) describe(sp *spawn) string {
	at := ""
	if sp.site != nil {
		at = c.where(sp.site.Pos())
	}
	loop := sp.site != nil && c.inLoop(sp.site)
	switch sp.kind {
	case goStmt:
		if loop {
			return "shared by the goroutines started in a loop at " + at
		}
		return "shared with the goroutine started at " + at
	case goCallback:
		if loop {
			return fmt.Sprintf("shared by the functions passed to %s in a loop at %s", sp.what, at)
		}
		return fmt.Sprintf("shared with the function passed to %s at %s", sp.what, at)
	case subtest:
		return "shared by the parallel subtests started at " + at
	case parallelRun:
		return "shared by the RunParallel goroutines started at " + at
	case handler:
		return "the handler registered at " + at + " runs concurrently for every request"
	case serveHTTP:
		return "ServeHTTP runs concurrently for every request"
	}
	return ""
}

func (c *checker) where(pos token.Pos) string {
	p := c.pass.Fset.Position(pos)
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}

// multi reports whether the spawned function runs as many concurrent
// instances by itself: a handler, a RunParallel body.
func (sp *spawn) multi() bool {
	return sp.kind == handler || sp.kind == serveHTTP || sp.kind == parallelRun
}

// shared reports whether memory reached from root, a parameter, free
// variable or global of sp.fn, may be accessed concurrently with sp.fn.
// field is the field of root the update goes through, or -1.
func (c *checker) shared(sp *spawn, root ssa.Value, field int) bool {
	switch root := root.(type) {
	case *ssa.Global:
		return c.sharedGlobal(sp, root)
	case *ssa.FreeVar:
		i := slices.Index(sp.fn.FreeVars, root)
		if sp.closure == nil || i < 0 || i >= len(sp.closure.Bindings) {
			return false
		}
		return c.sharedBinding(sp, sp.closure.Bindings[i], field)
	case *ssa.Parameter:
		i := slices.Index(sp.fn.Params, root)
		if sp.kind == serveHTTP {
			return i == 0 // the receiver serves every request
		}
		if sp.args == nil || i < 0 || i >= len(sp.args) {
			return false
		}
		return c.sharedBinding(sp, sp.args[i], field)
	}
	return false
}

// sharedBinding reports whether b, a value of the spawner bound to the
// spawned function, refers to memory the spawner or another goroutine may
// access while the spawned function runs.
func (c *checker) sharedBinding(sp *spawn, b ssa.Value, field int) bool {
	root := rootOf(b)
	if g, ok := root.(*ssa.Global); ok {
		return c.sharedGlobal(sp, g)
	}
	if sp.multi() {
		return true
	}
	if sp.site == nil {
		return false
	}
	if c.inLoop(sp.site) && c.invariant(b, sp.site.Block()) {
		return true // every iteration's goroutine gets the same memory
	}
	if root != b {
		field = firstField(b, root)
	}
	def, _ := root.(ssa.Instruction)
	return c.concurrentAccess(sp, def, func(instr ssa.Instruction) bool { return c.accesses(instr, root, field, sp) })
}

// sharedGlobal reports whether a package-level variable updated by sp.fn
// may be accessed concurrently.
func (c *checker) sharedGlobal(sp *spawn, g *ssa.Global) bool {
	if sp.multi() || (sp.site != nil && c.inLoop(sp.site)) {
		return true
	}
	if sp.site == nil {
		return false
	}
	return c.concurrentAccess(sp, nil, func(instr ssa.Instruction) bool {
		if instr == sp.site {
			return false
		}
		if ci, ok := instr.(ssa.CallInstruction); ok {
			if callee := ci.Common().StaticCallee(); callee != nil && c.local(callee) && c.refersTo(callee, g) {
				return true
			}
		}
		return c.accesses(instr, g, -1, sp)
	})
}

// concurrentAccess reports whether an instruction of the spawner
// satisfying access may run while sp.fn runs: after the spawn and before a
// join, or in a sibling spawned earlier and not yet joined. Paths through
// def, the instruction creating the memory, lead to a fresh variable.
func (c *checker) concurrentAccess(sp *spawn, def ssa.Instruction, access func(ssa.Instruction) bool) bool {
	if sp.kind != subtest && c.reachesUnjoined(sp.site, def, access) {
		return true
	}
	for _, other := range c.spawnsByParent[sp.parent] {
		if other == sp || other.site == sp.site || !access(other.site) && (other.closure == nil || !access(other.closure)) {
			continue
		}
		if c.reachesUnjoined(other.site, def, func(instr ssa.Instruction) bool { return instr == sp.site }) {
			return true
		}
	}
	return false
}

// accesses reports whether instr reads or writes memory reached from x
// (through field, if not -1), as seen from the spawner of sp.
func (c *checker) accesses(instr ssa.Instruction, x ssa.Value, field int, sp *spawn) bool {
	switch instr := instr.(type) {
	case *ssa.UnOp:
		return instr.Op == token.MUL && instr.X == x
	case *ssa.Store:
		return instr.Addr == x
	case *ssa.FieldAddr:
		return instr.X == x && (field < 0 || instr.Field == field)
	case *ssa.Field:
		return instr.X == x && (field < 0 || instr.Field == field)
	case *ssa.IndexAddr:
		return instr.X == x
	case *ssa.MapUpdate:
		return instr.Map == x
	case *ssa.Lookup:
		return instr.X == x
	case *ssa.MakeClosure:
		if instr == sp.closure || !slices.Contains(instr.Bindings, x) {
			return false
		}
		// A closure deferred to the end of the spawner runs after the
		// joins that precede the return, in the usual idiom.
		for _, ref := range *instr.Referrers() {
			if _, ok := ref.(*ssa.Defer); !ok {
				return true
			}
		}
		return false
	case *ssa.Go:
		return instr != sp.site && slices.Contains(instr.Call.Args, x)
	case *ssa.Call:
		callee := instr.Call.StaticCallee()
		return callee != nil && c.local(callee) && slices.Contains(instr.Call.Args, x)
	}
	return false
}

// refersTo reports whether fn uses global g directly.
func (c *checker) refersTo(fn *ssa.Function, g *ssa.Global) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			var ops [8]*ssa.Value
			for _, op := range instr.Operands(ops[:0]) {
				if *op == g {
					return true
				}
			}
		}
	}
	return false
}

// isJoin reports whether instr waits for other goroutines: a function or
// method named Wait (WaitGroup, errgroup, conc, synctest), a channel
// receive, a blocking select.
func isJoin(instr ssa.Instruction) bool {
	switch instr := instr.(type) {
	case *ssa.UnOp:
		return instr.Op == token.ARROW
	case *ssa.Select:
		return instr.Blocking
	case *ssa.Call:
		obj := calls.Callee(&instr.Call)
		return obj != nil && (obj.Name() == "Wait" || obj.Name() == "Join" && obj.Signature().Recv() != nil)
	}
	return false
}

// reachesUnjoined reports whether an instruction satisfying match can run
// after from, on some path that does not pass a join.
func (c *checker) reachesUnjoined(from, def ssa.Instruction, match func(ssa.Instruction) bool) bool {
	b := from.Block()
	if b == nil {
		return false
	}
	i := slices.Index(b.Instrs, from)
	seen := make(map[*ssa.BasicBlock]bool)
	var scan func(b *ssa.BasicBlock, start int) bool
	scan = func(b *ssa.BasicBlock, start int) bool {
		for _, instr := range b.Instrs[start:] {
			if isJoin(instr) || instr == def {
				return false
			}
			if match(instr) {
				return true
			}
		}
		for _, s := range b.Succs {
			if !seen[s] {
				seen[s] = true
				if scan(s, 0) {
					return true
				}
			}
		}
		return false
	}
	return scan(b, i+1)
}

// inLoop reports whether instr may execute more than once per call of its
// function.
func (c *checker) inLoop(instr ssa.Instruction) bool {
	b := instr.Block()
	return b != nil && c.reaches(b, b)
}

// reaches reports whether to can be reached from from by one or more edges.
func (c *checker) reaches(from, to *ssa.BasicBlock) bool {
	set, ok := c.reach[from]
	if !ok {
		set = make(map[*ssa.BasicBlock]bool)
		var visit func(b *ssa.BasicBlock)
		visit = func(b *ssa.BasicBlock) {
			for _, s := range b.Succs {
				if !set[s] {
					set[s] = true
					visit(s)
				}
			}
		}
		visit(from)
		c.reach[from] = set
	}
	return set[to]
}

// invariant reports whether v has the same value in every iteration of
// the loop containing block loop: it is defined outside the loop, or
// selected from such a value without a varying index.
func (c *checker) invariant(v ssa.Value, loop *ssa.BasicBlock) bool {
	instr, ok := v.(ssa.Instruction)
	if !ok {
		return true // parameters, free variables, globals, constants
	}
	b := instr.Block()
	if b == nil || !(c.reaches(loop, b) && c.reaches(b, loop)) {
		return true
	}
	switch v := v.(type) {
	case *ssa.UnOp:
		return v.Op == token.MUL && c.invariant(v.X, loop)
	case *ssa.FieldAddr:
		return c.invariant(v.X, loop)
	case *ssa.Field:
		return c.invariant(v.X, loop)
	case *ssa.ChangeType:
		return c.invariant(v.X, loop)
	case *ssa.MakeInterface:
		return c.invariant(v.X, loop)
	case *ssa.IndexAddr:
		return c.invariant(v.X, loop) && c.invariant(v.Index, loop)
	}
	return false // a fresh variable, a call result, a phi: new each time
}

// sameElement reports whether the element indices on the way to u's
// address are the same in every instance of the spawned function: each
// goroutine of a loop updating counts[i] for its own i is not a race.
// Variable indices reached through calls, or in handlers, are not
// followed: the analyzer stays quiet.
func (c *checker) sameElement(sp *spawn, u *update) bool {
	if u.isMap {
		return true // any two writes to one map race, whatever the keys
	}
	for v := u.addr; v != nil; {
		var idx, next ssa.Value
		switch x := v.(type) {
		case *ssa.IndexAddr:
			idx, next = x.Index, x.X
		case *ssa.Index:
			idx, next = x.Index, x.X
		case *ssa.FieldAddr:
			next = x.X
		case *ssa.Field:
			next = x.X
		case *ssa.UnOp:
			if x.Op == token.MUL {
				next = x.X
			}
		case *ssa.ChangeType:
			next = x.X
		case *ssa.Slice:
			next = x.X
		}
		if idx != nil && !c.sameIndex(sp, u, idx) {
			return false
		}
		v = next
	}
	return true
}

func (c *checker) sameIndex(sp *spawn, u *update, idx ssa.Value) bool {
	if _, ok := idx.(*ssa.Const); ok {
		return true
	}
	if u.fn != sp.fn || sp.site == nil || !c.inLoop(sp.site) {
		return false
	}
	for {
		ld, ok := idx.(*ssa.UnOp)
		if !ok || ld.Op != token.MUL {
			break
		}
		idx = ld.X
	}
	var b ssa.Value
	switch x := idx.(type) {
	case *ssa.Global:
		return true
	case *ssa.FreeVar:
		if i := slices.Index(sp.fn.FreeVars, x); sp.closure != nil && i >= 0 && i < len(sp.closure.Bindings) {
			b = sp.closure.Bindings[i]
		}
	case *ssa.Parameter:
		if i := slices.Index(sp.fn.Params, x); i >= 0 && i < len(sp.args) {
			b = sp.args[i]
		}
	}
	return b != nil && c.invariant(b, sp.site.Block())
}
