package concurrency

import (
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/calls"
	"github.com/futlint/futlint/internal/ssautil"
)

// Analyzer computes the package's [*Model] and exports [Summary] facts.
// It reports no diagnostics.
var Analyzer = &analysis.Analyzer{
	Name:       "concurrency",
	Doc:        "model where code runs and what functions do to goroutines, locks, channels and contexts (reports nothing; the futlint passes ask it)",
	URL:        "https://github.com/futlint/futlint#architecture",
	Run:        run,
	Requires:   []*analysis.Analyzer{buildssa.Analyzer, ctrlflow.Analyzer},
	ResultType: reflect.TypeFor[*Model](),
	FactTypes:  []analysis.Fact{new(Summary)},
}

// spawnerFlag is -concurrency.spawners: functions that run their last
// func argument on a new goroutine, by full name.
var spawnerFlag string

// FactsOnly is set by a driver that analyses a package only for the facts
// its importers need and drops its diagnostics (go vet's VetxOnly units:
// every dependency of the packages named). go vet still runs every
// analyzer that requires this one there, since it exports facts; the
// passes then export their own facts and skip their rules, which would
// only make diagnostics nobody reads.
var FactsOnly bool

func init() {
	Analyzer.Flags.StringVar(&spawnerFlag, "spawners", "",
		"comma-separated functions that start their last func argument on a new goroutine, e.g. example.com/pool.Go,(*example.com/pool.Pool).Submit")
}

// A Model answers questions about one package. It is built once per
// package and is read-only for the passes; its answers are computed on
// first use and memoised.
type Model struct {
	Pass  *analysis.Pass
	SSA   *buildssa.SSA
	cfgs  *ctrlflow.CFGs
	Funcs []*ssa.Function // the package's source functions and closures: [SrcFuncs]

	spawners   map[string]bool // full names: flag and //futlint:spawner
	spawnsOnce sync.Once       // findSpawns
	sitesOnce  sync.Once       // indexSites
	spawns     []*Spawn
	byParent   map[*ssa.Function][]*Spawn
	bySite     map[ssa.Instruction][]*Spawn
	sites      map[*ssa.Function][]ssa.CallInstruction // static call sites of named functions
	valueUses  map[*ssa.Function][]ssa.Instruction     // named functions used as values
	invoked    map[string]bool                         // names of interface methods called in the package
	contexts   map[*ssa.Function][]Context
	summaries  map[*ssa.Function]*Summary

	chanFields  map[fieldKey]bool // per channel field: every make buffered (waits.go)
	unbufOnce   sync.Once         // fieldUnbuffered
	syncOnce    sync.Once         // indexSync
	chanUnbuf   map[fieldKey]bool // per channel field: every make unbuffered (handoff.go)
	syncIndex   []syncOp          // every channel and WaitGroup operation (handoff.go)
	syncByFn    map[*ssa.Function][]syncOp
	liveness    *Liveness // the model's own, used while it is built (warm)
	locks       map[*ssa.Function]*FuncLocks
	reach       map[*ssa.Function]*ssautil.Reach
	invokes     map[invokeKey]bool        // interface method calls: calls its argument (invoke.go)
	methodTypes map[string][]*types.Named // by method name: the named types with it
	shared
}

func run(pass *analysis.Pass) (any, error) {
	m := &Model{
		Pass:      pass,
		SSA:       pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA),
		cfgs:      pass.ResultOf[ctrlflow.Analyzer].(*ctrlflow.CFGs),
		spawners:  make(map[string]bool),
		contexts:  make(map[*ssa.Function][]Context),
		summaries: make(map[*ssa.Function]*Summary),
		liveness:  NewLiveness(),
		locks:     make(map[*ssa.Function]*FuncLocks),
		reach:     make(map[*ssa.Function]*ssautil.Reach),
		invokes:   make(map[invokeKey]bool),
	}
	m.Funcs = SrcFuncs(m.SSA)
	for name := range strings.SplitSeq(spawnerFlag, ",") {
		if name = strings.TrimSpace(name); name != "" {
			m.spawners[name] = true
		}
	}
	m.readSpawnerDirectives()
	m.exportFacts()
	m.warm()
	return m, nil
}

// SrcFuncs returns the package's source functions: buildssa's SrcFuncs
// (every function declaration and the literals inside it, in source
// order), then the function literals of package-level variable
// initializers, which buildssa leaves out because they belong to the
// synthetic package initializer: `var _ = Describe("x", func() { ... })`
// (ginkgo suites), `var handler = func(w, r) { ... }`. The synthetic
// init itself is not a source function: its body is the initializers'
// expressions and the calls of the package's init functions, run once
// before main; the literals' contexts come from their uses there
// (usually Escaped: stored or passed on).
func SrcFuncs(s *buildssa.SSA) []*ssa.Function {
	init := s.Pkg.Func("init")
	if init == nil || len(init.AnonFuncs) == 0 {
		return s.SrcFuncs
	}
	funcs := slices.Clip(s.SrcFuncs)
	var add func(f *ssa.Function)
	add = func(f *ssa.Function) {
		funcs = append(funcs, f)
		for _, anon := range f.AnonFuncs {
			add(anon)
		}
	}
	for _, anon := range init.AnonFuncs {
		add(anon)
	}
	return funcs
}

// readSpawnerDirectives adds the functions documented with
// //futlint:spawner to the spawners.
func (m *Model) readSpawnerDirectives() {
	for _, f := range m.Pass.Files {
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Doc == nil {
				continue
			}
			for _, c := range fd.Doc.List {
				if d, ok := ast.ParseDirective(c.Slash, c.Text); ok && d.Tool == "futlint" && d.Name == "spawner" {
					if obj, ok := m.Pass.TypesInfo.Defs[fd.Name].(*types.Func); ok {
						m.spawners[calls.FuncName(obj)] = true
					}
				}
			}
		}
	}
}

// IsSpawner reports whether fn is declared a spawner, by
// //futlint:spawner or -concurrency.spawners: it starts its last func
// argument on a new goroutine and owns joining it.
func (m *Model) IsSpawner(fn *ssa.Function) bool {
	obj, ok := ssautil.OriginFunc(fn).Object().(*types.Func)
	return ok && m.spawners[calls.FuncName(obj)]
}

// Local reports whether fn's body belongs to this package, so that the
// model computes its summary rather than importing it.
func (m *Model) Local(fn *ssa.Function) bool {
	fn = ssautil.OriginFunc(fn)
	return fn.Pkg != nil && fn.Pkg.Pkg == m.Pass.Pkg && len(fn.Blocks) > 0
}

// InTest reports whether pos is in a _test.go file.
func (m *Model) InTest(pos token.Pos) bool {
	return strings.HasSuffix(m.Pass.Fset.Position(pos).Filename, "_test.go")
}

// Pos renders pos as messages do: "file.go:12".
func (m *Model) Pos(pos token.Pos) string { return ssautil.ShortPos(m.Pass.Fset, pos) }

// Where renders pos for a message about code at from: "line 12" in the
// same file, "file.go:12" otherwise.
func (m *Model) Where(pos, from token.Pos) string { return ssautil.Where(m.Pass.Fset, pos, from) }

// Reach returns the memoised block reachability of fn.
func (m *Model) Reach(fn *ssa.Function) *ssautil.Reach {
	if m.frozen {
		return m.frozenReach(fn)
	}
	r := m.reach[fn]
	if r == nil {
		r = ssautil.NewReach(fn)
		m.reach[fn] = r
	}
	return r
}

// InLoop reports whether instr may run more than once per call of its
// function.
func (m *Model) InLoop(instr ssa.Instruction) bool {
	b := instr.Block()
	return b != nil && m.Reach(b.Parent()).InCycle(b)
}

// Origin walks v back to the value it comes from, following
// conversions, phis, free variables to their bindings, and parameters to
// the argument at their function's only call site in the package.
func (m *Model) Origin(v ssa.Value) ssa.Value {
	return ssautil.Walker{Follow: ssautil.Value, Sites: m.CallSites}.Origin(v)
}

// PathOf returns the access path of v in fn, following free variables to
// their bindings in the enclosing function where it can.
func (m *Model) PathOf(fn *ssa.Function, v ssa.Value) Path {
	return pathOf(fn, v, true, false)
}

// LockPathOf is the path locks are named by: PathOf, where a parameter a
// closure captures (kept in a cell stored once, on entry) is the
// parameter itself, so that c.mu.Lock() in a method whose receiver a
// closure captures is the caller's c.mu. Compare lock paths with paths it
// makes.
func (m *Model) LockPathOf(fn *ssa.Function, v ssa.Value) Path {
	return pathOf(fn, v, true, true)
}

// CallSites returns the package's call, go and defer instructions that
// call fn statically (named functions) or directly (closures); nil when
// fn is also used as a value the model cannot follow.
func (m *Model) CallSites(fn *ssa.Function) []ssa.CallInstruction {
	if fn.Parent() != nil {
		return ssautil.CallSites(fn)
	}
	m.indexSites()
	if len(m.valueUses[fn]) > 0 {
		return nil
	}
	return m.sites[fn]
}

// indexSites records, once (under a sync.Once, like findSpawns), the
// static call sites of the package's named functions and the places they
// are used as values.
func (m *Model) indexSites() { m.sitesOnce.Do(m.collectSites) }

func (m *Model) collectSites() {
	m.sites = make(map[*ssa.Function][]ssa.CallInstruction)
	m.valueUses = make(map[*ssa.Function][]ssa.Instruction)
	m.invoked = make(map[string]bool)
	var ops []*ssa.Value
	for _, fn := range m.Funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if ci, ok := instr.(ssa.CallInstruction); ok && ci.Common().IsInvoke() {
					m.invoked[ci.Common().Method.Name()] = true
				}
				if ci, ok := instr.(ssa.CallInstruction); ok {
					if callee := ci.Common().StaticCallee(); callee != nil && callee.Parent() == nil {
						callee = ssautil.OriginFunc(callee)
						m.sites[callee] = append(m.sites[callee], ci)
					}
				}
				for i, op := range instr.Operands(ops[:0]) {
					f, ok := (*op).(*ssa.Function)
					if !ok || f.Parent() != nil {
						continue
					}
					if ci, ok := instr.(ssa.CallInstruction); ok && i == 0 && ci.Common().Value == f {
						continue // the callee operand of a call
					}
					f = m.methodOf(ssautil.OriginFunc(f))
					m.valueUses[f] = append(m.valueUses[f], instr)
				}
			}
		}
	}
}

// methodOf returns the method a bound-method wrapper or method-expression
// thunk stands for, or fn.
func (m *Model) methodOf(fn *ssa.Function) *ssa.Function {
	if strings.HasPrefix(fn.Synthetic, "bound method wrapper") || strings.HasPrefix(fn.Synthetic, "thunk") {
		if obj, ok := fn.Object().(*types.Func); ok {
			if meth := m.SSA.Pkg.Prog.FuncValue(obj); meth != nil {
				return meth
			}
		}
	}
	return fn
}

// NeverReturns reports whether the call never returns normally: panic,
// the Exit entries of calls.Surface (os.Exit, log.Fatal, t.FailNow, ...),
// and functions that always end in one, as x/tools' ctrlflow decides
// (through its noReturn facts across packages).
func (m *Model) NeverReturns(c *ssa.CallCommon) bool {
	if b, ok := c.Value.(*ssa.Builtin); ok {
		return b.Name() == "panic"
	}
	if e, ok := calls.Lookup(c); ok && e.Role == calls.Exit {
		return true // also where the standard library is not analysed
	}
	obj := calls.Callee(c)
	return obj != nil && !c.IsInvoke() && m.cfgs.NoReturn(obj)
}

// Surface returns the library-surface entry of the function c calls.
func (m *Model) Surface(c *ssa.CallCommon) (calls.Entry, bool) { return calls.Lookup(c) }
