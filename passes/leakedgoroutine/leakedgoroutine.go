package leakedgoroutine

import (
	_ "embed"
	"fmt"
	"go/token"
	"go/types"
	"slices"
	"sort"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"
	"honnef.co/go/tools/go/types/typeutil"

	"github.com/futlint/futlint/internal/analysisdoc"
	"github.com/futlint/futlint/internal/calls"
	"github.com/futlint/futlint/internal/concurrency"
	"github.com/futlint/futlint/internal/report"
	"github.com/futlint/futlint/internal/ssautil"
)

//go:embed doc.go
var doc string

var Analyzer = &analysis.Analyzer{
	Name:      "leakedgoroutine",
	Doc:       analysisdoc.MustExtract(doc, "leakedgoroutine"),
	URL:       "https://github.com/futlint/futlint#leakedgoroutine",
	Requires:  append([]*analysis.Analyzer{buildssa.Analyzer, concurrency.Analyzer}, report.Requires...),
	Run:       run,
	FactTypes: []analysis.Fact{new(generatorFact)},
}

var strict bool

func init() {
	Analyzer.Flags.BoolVar(&strict, "strict", true, "also report goroutines that nothing joins (grade 2)")
	// An alias, kept from before the shared model had the flag: the
	// same value, so setting either declares the spawners for every pass.
	Analyzer.Flags.Var(concurrency.Analyzer.Flags.Lookup("spawners").Value, "spawners", "the same as -concurrency.spawners (an alias; give one of the two)")
}

// generatorFact marks a function that makes a channel, starts a goroutine
// sending on it and returns it: the caller inherits the duty to drain it.
type generatorFact struct {
	Result int    // index of the channel among the results
	Cap    int    // constant buffer size
	Sends  int    // sends the goroutine makes at least; 0: a loop of sends ended by close
	Send   string // position of the send, for messages
}

func (*generatorFact) AFact() {}
func (f *generatorFact) String() string {
	if f.Sends == 0 {
		return fmt.Sprintf("generator(result %d, sends until closed)", f.Result)
	}
	return fmt.Sprintf("generator(result %d, sends %d)", f.Result, f.Sends)
}

// checker holds the state of one run.
type checker struct {
	pass     *analysis.Pass
	m        *concurrency.Model
	r        *report.Reporter
	strict   bool
	waited   map[string]bool // struct fields some function waits on, by "pkg.T.field"
	leaked   map[*ssa.Go]bool
	reported map[ssa.Instruction]bool
	reach    map[*ssa.Function]*ssautil.Reach // this pass's own: the model's is not memoised once shared

	ifaceMethods    map[*types.Func]bool                    // methods callable through an interface value (dead.go)
	usedMethodNames map[string]bool                         // method names called, taken or in an interface (dead.go)
	fieldFns        map[*types.Var][]*ssa.Function          // the functions kept in a func field (lockedsend.go)
	bubbleRoots     map[*ssa.Function]bool                  // functions passed to synctest.Test (bubble.go)
	fieldCalls      map[*ssa.Function][]ssa.CallInstruction // the calls of a func field, by function kept there (lockwait.go)
	fieldAddrs      map[*types.Var][]*ssa.FieldAddr         // the package's FieldAddrs by field Origin (addrsOf)
}

func run(pass *analysis.Pass) (_ any, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("leakedgoroutine: internal error in %s: %v", pass.Pkg.Path(), p)
		}
	}()
	c := &checker{
		pass:     pass,
		m:        pass.ResultOf[concurrency.Analyzer].(*concurrency.Model),
		strict:   strict,
		waited:   make(map[string]bool),
		leaked:   make(map[*ssa.Go]bool),
		reported: make(map[ssa.Instruction]bool),
		reach:    make(map[*ssa.Function]*ssautil.Reach),
	}
	funcs := c.m.Funcs // with the literals of variable initializers
	c.exportFacts(funcs)
	if concurrency.FactsOnly {
		return nil, nil
	}
	c.r = report.New(pass) // not before: a facts-only unit runs no reporting analyzers (analyzers.FactsOnly)
	whole := withInit(c.m.SSA.Pkg, funcs)
	c.index(whole) // the fields waited on, for the rules only: generator facts do not ask
	for _, fn := range funcs {
		c.checkLeaks(fn)
		c.checkOverfill(fn)
		c.checkLockedLocalWaits(fn) // lockwait.go
		c.checkStuckWaitLoops(fn)   // cond.go
		c.checkLockedCellWaits(fn)  // lockwait.go
	}
	c.checkFieldChannels(whole)
	c.checkWaitGroupFields()
	c.checkLockedExits()
	c.checkUncancelled(whole)
	c.checkDrainAfterDone()
	c.checkContracts(funcs)
	c.checkLockedSends(funcs)
	c.checkSilentConds(funcs)
	c.checkTimerDrains(funcs)
	for _, fn := range funcs {
		c.checkJoins(fn) // the policy findings only if c.strict
	}
	c.r.Finish()
	return nil, nil
}

// withInit adds to funcs the package initializer, which holds package
// variables' composite literals (var s = &T{ch: make(chan int)}): the
// package-wide field checks must see every store into a field. (The
// closures in initializers, var _ = Describe(func() { ... }), are in the
// model's Funcs already.)
func withInit(pkg *ssa.Package, funcs []*ssa.Function) []*ssa.Function {
	init := pkg.Func("init")
	if init == nil || slices.Contains(funcs, init) {
		return funcs
	}
	return append(slices.Clip(funcs), init)
}

// index records the struct fields some function of the package waits on,
// or hands out to callers who may.
func (c *checker) index(funcs []*ssa.Function) {
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch x := instr.(type) {
				case *ssa.UnOp:
					if x.Op == token.ARROW {
						c.markWaited(fn, x.X)
					}
				case *ssa.Select:
					for _, st := range x.States {
						if st.Dir == types.RecvOnly {
							c.markWaited(fn, st.Chan)
						}
					}
				case ssa.CallInstruction:
					if e, ok := calls.Lookup(x.Common()); ok && e.Role == calls.Join && len(x.Common().Args) == 1 {
						c.markWaited(fn, x.Common().Args[0])
					}
				case *ssa.Return:
					// A channel field handed out (done() <-chan struct{}):
					// whoever gets it may wait on it.
					for _, r := range x.Results {
						if _, ok := r.Type().Underlying().(*types.Chan); ok {
							c.markWaited(fn, r)
						}
					}
				}
			}
		}
	}
}

func (c *checker) markWaited(fn *ssa.Function, v ssa.Value) {
	if k := lastField(c.m.PathOf(fn, v)); k != "" {
		c.waited[k] = true
	}
}

// lastField names the last field of a path, "pkg.T.field", or "".
func lastField(p concurrency.Path) string {
	for i := len(p.Steps) - 1; i >= 0; i-- {
		if st := p.Steps[i]; st.Field != "" {
			return st.Struct + "." + st.Field
		}
	}
	return ""
}

// fieldOf returns the struct field v is loaded from or points to.
func fieldOf(v ssa.Value) *types.Var {
	for {
		switch x := v.(type) {
		case *ssa.ChangeType:
			v = x.X
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return nil
			}
			v = x.X
		case *ssa.FieldAddr:
			return fieldOfAddr(x)
		case *ssa.Field:
			return fieldVar(x.X.Type(), x.Field)
		default:
			return nil
		}
	}
}

func fieldVar(t types.Type, i int) *types.Var {
	if s, ok := t.Underlying().(*types.Struct); ok && i < s.NumFields() {
		return s.Field(i)
	}
	return nil
}

func fieldOfAddr(v ssa.Value) *types.Var {
	fa, ok := v.(*ssa.FieldAddr)
	if !ok {
		return nil
	}
	// The pointer's type may be a type parameter constrained to one.
	if p, ok := typeutil.CoreType(fa.X.Type()).(*types.Pointer); ok {
		return fieldVar(p.Elem(), fa.Field)
	}
	return nil
}

// isSpawner reports whether fn manages the goroutines it starts: marked
// //futlint:spawner, or named in -concurrency.spawners (alias
// -leakedgoroutine.spawners).
func (c *checker) isSpawner(fn *ssa.Function) bool { return c.m.IsSpawner(fn) }

// inCycle reports whether b can reach itself: code in it may run many times.
func (c *checker) inCycle(b *ssa.BasicBlock) bool { return c.reachIn(b.Parent()).InCycle(b) }

func (c *checker) reachIn(fn *ssa.Function) *ssautil.Reach {
	r := c.reach[fn]
	if r == nil {
		r = ssautil.NewReach(fn)
		c.reach[fn] = r
	}
	return r
}

// where renders pos for a message about code at from.
func (c *checker) where(pos, from token.Pos) string { return c.m.Where(pos, from) }

// addrsOf returns every FieldAddr of the package (its functions and its
// initializer: withInit) that selects f or another instance of f's
// generic field, in the order of the functions. It is the one scan behind
// the package-wide field checks; each filters what it needs (one
// instance, no initializer).
func (c *checker) addrsOf(f *types.Var) []*ssa.FieldAddr {
	return c.fieldAddrIndex()[f.Origin()]
}

// fieldAddrIndex maps each field Origin to its FieldAddrs (addrsOf).
func (c *checker) fieldAddrIndex() map[*types.Var][]*ssa.FieldAddr {
	if c.fieldAddrs == nil {
		c.fieldAddrs = make(map[*types.Var][]*ssa.FieldAddr)
		for _, fn := range withInit(c.m.SSA.Pkg, c.m.Funcs) {
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					if fa, ok := instr.(*ssa.FieldAddr); ok {
						if g := fieldOfAddr(fa); g != nil {
							c.fieldAddrs[g.Origin()] = append(c.fieldAddrs[g.Origin()], fa)
						}
					}
				}
			}
		}
	}
	return c.fieldAddrs
}

// addressedField is a field and the FieldAddrs that select it.
type addressedField struct {
	field *types.Var
	addrs []*ssa.FieldAddr
}

// addressedFields groups the package's FieldAddrs (addrsOf) by field: key
// maps the field an address selects (fieldOfAddr) to the one it is
// grouped under, itself or its Origin, or to nil to leave the address
// out. The groups come in the order of their fields' positions, each
// group's addresses in the order of the functions.
func (c *checker) addressedFields(key func(*types.Var) *types.Var) []*addressedField {
	byField := make(map[*types.Var]*addressedField)
	for _, addrs := range c.fieldAddrIndex() {
		for _, fa := range addrs {
			f := key(fieldOfAddr(fa))
			if f == nil {
				continue
			}
			g := byField[f]
			if g == nil {
				g = &addressedField{field: f}
				byField[f] = g
			}
			g.addrs = append(g.addrs, fa)
		}
	}
	out := make([]*addressedField, 0, len(byField))
	for _, g := range byField {
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].field.Pos() < out[j].field.Pos() })
	return out
}

// closedChan returns the channel cc closes (close(ch)), or nil.
func closedChan(cc *ssa.CallCommon) ssa.Value {
	if b, ok := cc.Value.(*ssa.Builtin); ok && b.Name() == "close" && len(cc.Args) == 1 {
		return cc.Args[0]
	}
	return nil
}
