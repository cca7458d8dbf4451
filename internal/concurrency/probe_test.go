package concurrency_test

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/concurrency"
)

// probe reports the model's answers as diagnostics, so fixtures pin them:
// where() says where its function runs and the locks held; alias(x, y)
// compares two paths, pair(key, x) the paths of two pair calls with one
// key (across functions); functions named Spawn* and Test* report their spawns.
var probe = &analysis.Analyzer{
	Name:     "probe",
	Doc:      "report the concurrency model's answers",
	Requires: []*analysis.Analyzer{concurrency.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		m := pass.ResultOf[concurrency.Analyzer].(*concurrency.Model)
		for _, sp := range m.Spawns() {
			if sp.Site != nil && (strings.HasPrefix(sp.Parent.Name(), "Spawn") || strings.HasPrefix(sp.Parent.Name(), "Test")) {
				pass.Reportf(sp.Site.Pos(), "spawn %s%s", quoteWhat(sp.What), spawnTail(sp))
			}
		}
		pairs := map[string]concurrency.Path{}
		for _, fn := range m.Funcs {
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					call, ok := instr.(*ssa.Call)
					if !ok || call.Call.StaticCallee() == nil {
						continue
					}
					switch call.Call.StaticCallee().Name() {
					case "where":
						pass.Reportf(call.Pos(), "runs: %s held: %s", contexts(m, fn), held(m, fn, call))
					case "pair":
						// pair(key, x) compares x's path with the one
						// of the first pair call with the same key.
						key := call.Call.Args[0].(*ssa.Const).Value.ExactString()
						p := m.PathOf(fn, call.Call.Args[1])
						q, ok := pairs[key]
						if !ok {
							pairs[key] = p
							continue
						}
						verdict := "no alias"
						if p.MayAlias(q) {
							verdict = "alias"
						}
						pass.Reportf(call.Pos(), "%s / %s: %s", p, q, verdict)
					case "alias":
						p, q := m.PathOf(fn, call.Call.Args[0]), m.PathOf(fn, call.Call.Args[1])
						verdict := "no alias"
						if p.MayAlias(q) {
							verdict = "alias"
						}
						pass.Reportf(call.Pos(), "%s %s / %s %s: %s", p, orDash(p.TypeKey()), q, orDash(q.TypeKey()), verdict)
					}
				}
			}
		}
		return nil, nil
	},
}

func quoteWhat(what string) string {
	if what == "go" {
		return what
	}
	return fmt.Sprintf("%q", what)
}

func spawnTail(sp *concurrency.Spawn) string {
	s := " " + sp.Fn.Name()
	if sp.What == "go" && sp.Fn.Parent() == nil {
		s = " " + sp.Fn.Name()
	}
	if sp.Many {
		s += " many"
	}
	if len(sp.Args) > 0 {
		s += fmt.Sprintf(" args=%d", len(sp.Args))
	}
	return s
}

func contexts(m *concurrency.Model, fn *ssa.Function) string {
	var out []string
	for _, c := range m.Contexts(fn) {
		var opts []string
		if c.Via != "" {
			opts = append(opts, c.Via)
		}
		if c.Deferred {
			opts = append(opts, "deferred")
		}
		if c.Many {
			opts = append(opts, "many")
		}
		s := c.Kind.String()
		if len(opts) > 0 {
			s += "(" + strings.Join(opts, ",") + ")"
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return "-"
	}
	return strings.Join(out, " ")
}

// held lists the locks held at instr: the function's own, else those its
// synchronous callers hold.
func held(m *concurrency.Model, fn *ssa.Function, instr ssa.Instruction) string {
	s := m.Locks(fn).HeldAt(instr)
	if len(s) == 0 {
		s = m.CallerHeld(fn)
	}
	var names []string
	for _, l := range s {
		names = append(names, l.Path.String())
	}
	if len(names) == 0 {
		return "-"
	}
	return strings.Join(names, ",")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
