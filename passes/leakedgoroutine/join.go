package leakedgoroutine

import (
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/calls"
	"github.com/futlint/futlint/internal/concurrency"
	"github.com/futlint/futlint/internal/ssautil"
)

const unjoinedMessage = "goroutine is not joined: nothing waits for it to finish; start it with errgroup.Group.Go or sync.WaitGroup.Go, or wait on a done channel"

// checkJoins reports the go statements of fn whose goroutine nothing waits
// for (grade 2).
func (c *checker) checkJoins(fn *ssa.Function) {
	if c.processLifetime(fn) || c.isSpawner(ssautil.Root(fn)) || c.inBubble(fn) {
		return // goroutines that live as long as the process, or that synctest.Test waits for
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			g, ok := instr.(*ssa.Go)
			if !ok || c.leaked[g] || c.joined(g) {
				continue
			}
			if d, ok := c.harm(g); ok { // harm.go: the classes that break something
				c.r.Report(d)
				continue
			}
			if !c.strict {
				continue
			}
			c.r.Report(analysis.Diagnostic{Pos: g.Pos(), Category: "unjoined", Message: unjoinedMessage})
		}
	}
}

// processLifetime reports whether goroutines started by fn live as long
// as the process by design: main, init and TestMain, and the goroutines
// they start. Other closures in them (handlers, callbacks) run per event
// and are checked.
func (c *checker) processLifetime(fn *ssa.Function) bool {
	if fn.Parent() != nil {
		return onlyStarted(fn) && c.processLifetime(fn.Parent())
	}
	return processRoot(fn) || c.isExample(fn)
}

// isExample: ExampleX() in a _test.go file. An example stands for a
// program (godoc shows it as one); without an Output comment it does not
// even run.
func (c *checker) isExample(fn *ssa.Function) bool {
	return strings.HasPrefix(fn.Name(), "Example") && fn.Signature.Recv() == nil &&
		fn.Signature.Params().Len() == 0 && fn.Signature.Results().Len() == 0 && c.m.InTest(fn.Pos())
}

// onlyStarted reports whether the closure fn is only ever run by go
// statements.
func onlyStarted(fn *ssa.Function) bool {
	sites := ssautil.CallSites(fn)
	for _, s := range sites {
		if _, ok := s.(*ssa.Go); !ok {
			return false
		}
	}
	return len(sites) > 0
}

// processRoot reports whether fn's return ends the process or fn runs
// once before everything else: main, init and TestMain.
func processRoot(fn *ssa.Function) bool {
	if fn.Signature.Recv() != nil {
		return false
	}
	switch fn.Name() {
	case "main":
		return fn.Pkg != nil && fn.Pkg.Pkg.Name() == "main"
	case "TestMain":
		return true
	}
	return fn.Synthetic == "package initializer" || isInit(fn)
}

func isInit(fn *ssa.Function) bool {
	// init functions are named init#1, init#2, ... in SSA.
	return len(fn.Name()) > 5 && fn.Name()[:5] == "init#"
}

// joined reports whether something waits for the goroutine g starts: it
// signals a WaitGroup or channel that its spawner (or an owner's method,
// or the caller) waits on. A go statement running a wrapper (go
// withRecover(f)) is joined when either the wrapper or f signals.
func (c *checker) joined(g *ssa.Go) bool {
	for _, sp := range c.m.SpawnsAt(g) {
		if c.repliesDone(sp.Fn) {
			return true
		}
		s := c.m.Summary(sp.Fn)
		if s == nil {
			continue
		}
		for _, p := range s.Signals {
			if c.waitedFor(sp, p) && c.finishes(sp.Fn, p) {
				return true
			}
		}
	}
	return false
}

// spawnerPath returns the path, as seen in the spawner, of p, a path in
// the summary of the function sp runs; ok is false when it cannot be
// told (then callers assume it is waited for).
func (c *checker) spawnerPath(sp *concurrency.Spawn, p concurrency.Path) (concurrency.Path, bool) {
	switch p.Kind {
	case concurrency.Param:
		if prm, ok := p.Root().(*ssa.Parameter); ok && prm.Parent() != sp.Fn {
			return p, false // a parameter of the spawner (a closure's capture): the caller's
		}
		if p.Param < 0 || p.Param >= len(sp.Args) {
			return p, false
		}
		q := c.m.PathOf(sp.Parent, sp.Args[p.Param])
		return q.Append(p), true
	case concurrency.Local:
		return p, p.Root() != nil
	}
	return p, false
}

// waitedFor reports whether the path p that the goroutine of spawn sp
// signals on is waited for: by the spawner, by an owner's method, or by
// someone the spawner hands it to.
func (c *checker) waitedFor(sp *concurrency.Spawn, p concurrency.Path) bool {
	if k := lastField(p); k != "" {
		// A field: waited for if some function of the package waits on
		// it; an exported field may be waited on by importers.
		return c.waited[k] || token.IsExported(k[lastDot(k)+1:])
	}
	q, ok := c.spawnerPath(sp, p)
	if !ok {
		return true // a parameter of the spawner, a global: assume someone waits
	}
	if k := lastField(q); k != "" {
		return c.waited[k] || token.IsExported(k[lastDot(k)+1:])
	}
	g, _ := sp.Site.(*ssa.Go)
	switch root := q.Root().(type) {
	case *ssa.MakeChan:
		if q.Kind != concurrency.Local {
			return true
		}
		return c.chanWaited(root.Parent(), root, g)
	case *ssa.Alloc:
		if isWaitGroup(root.Type()) {
			return c.groupWaited(root, g)
		}
		if st := ssautil.SingleStore(root); st != nil {
			if _, made := st.Val.(*ssa.MakeChan); !made {
				return true // a captured parameter or call result: the caller's channel
			}
		}
		return c.chanWaited(root.Parent(), root, g)
	}
	return q.Kind != concurrency.Local // a call's result, a parameter: assume someone waits
}

func lastDot(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '.' {
			return i
		}
	}
	return -1
}

func isWaitGroup(t types.Type) bool {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	return calls.IsNamed(t, "sync", "WaitGroup")
}

// chanWaited: some actor other than g receives from ch, or ch leaves
// the function that made it (returned, stored, passed on).
func (c *checker) chanWaited(owner *ssa.Function, ch ssa.Value, g *ssa.Go) bool {
	u := channelUsage(owner, ch)
	if u.escapes || u.returned {
		return true
	}
	for _, o := range u.recvs {
		if o.actor != g {
			return true
		}
	}
	return false
}

// groupWaited: Wait is called on the WaitGroup, or it is handed to code
// we do not follow.
func (c *checker) groupWaited(wg ssa.Value, g *ssa.Go) bool {
	seen := make(map[ssa.Value]bool)
	var walk func(v ssa.Value) bool
	walk = func(v ssa.Value) bool {
		if seen[v] {
			return false
		}
		seen[v] = true
		for _, ref := range *v.Referrers() {
			switch r := ref.(type) {
			case *ssa.DebugRef, *ssa.Store:
			case *ssa.MakeClosure:
				for _, fv := range ssautil.BoundTo(r, v) {
					if walk(fv) {
						return true
					}
				}
			case ssa.CallInstruction:
				cc := r.Common()
				if calls.Is(cc, "(*sync.WaitGroup).Wait") {
					return true
				}
				if calls.Is(cc, "(*sync.WaitGroup).Add", "(*sync.WaitGroup).Done", "(*sync.WaitGroup).Go") {
					continue
				}
				if callee := cc.StaticCallee(); callee != nil && callee.Blocks != nil && !cc.IsInvoke() {
					if _, isGo := r.(*ssa.Go); isGo {
						for i, a := range cc.Args {
							if a == v && i < len(callee.Params) && walk(callee.Params[i]) {
								return true
							}
						}
						continue
					}
				}
				return true // handed to a helper: assume it waits
			default:
				return true
			}
		}
		return false
	}
	return walk(wg)
}
