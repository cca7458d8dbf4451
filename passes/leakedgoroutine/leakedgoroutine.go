package leakedgoroutine

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"
	"honnef.co/go/tools/go/types/typeutil"

	"github.com/futlint/futlint/internal/analysisdoc"
	"github.com/futlint/futlint/internal/calls"
	"github.com/futlint/futlint/internal/report"
)

//go:embed doc.go
var doc string

var Analyzer = &analysis.Analyzer{
	Name:      "leakedgoroutine",
	Doc:       analysisdoc.MustExtract(doc, "leakedgoroutine"),
	URL:       "https://github.com/futlint/futlint#leakedgoroutine",
	Requires:  append([]*analysis.Analyzer{buildssa.Analyzer}, report.Requires...),
	Run:       run,
	FactTypes: []analysis.Fact{new(generatorFact), new(signalsFact)},
}

var (
	strict   bool
	spawners string
)

func init() {
	Analyzer.Flags.BoolVar(&strict, "strict", true, "also report goroutines that nothing joins (grade 2)")
	Analyzer.Flags.StringVar(&spawners, "spawners", "", "comma-separated functions (pkg/path.Func, (*pkg/path.T).Method) whose go statements belong to a group they manage")
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

// signalsFact lists the parameters a function signals on: a WaitGroup it
// calls Done on, a channel it sends on or closes. A goroutine running it
// is joined by whoever waits on the argument.
type signalsFact struct {
	Params []int
}

func (*signalsFact) AFact()           {}
func (f *signalsFact) String() string { return fmt.Sprintf("signals%v", f.Params) }

// checker holds the state of one run.
type checker struct {
	pass      *analysis.Pass
	r         *report.Reporter
	strict    bool
	spawners  map[string]bool
	closures  map[*ssa.Function]*ssa.MakeClosure  // the only MakeClosure of each closure
	users     map[*ssa.Function][]ssa.Instruction // instructions using each closure
	cycles    map[*ssa.Function]map[*ssa.BasicBlock]bool
	summaries map[*ssa.Function][]int
	waited    map[*types.Var]bool // struct fields some function waits on
	leaked    map[*ssa.Go]bool    // go statements reported as grade 1
	reported  map[ssa.Instruction]bool
}

func run(pass *analysis.Pass) (_ any, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("leakedgoroutine: internal error in %s: %v", pass.Pkg.Path(), p)
		}
	}()
	c := &checker{
		pass:      pass,
		r:         report.New(pass),
		strict:    strict,
		spawners:  make(map[string]bool),
		closures:  make(map[*ssa.Function]*ssa.MakeClosure),
		users:     make(map[*ssa.Function][]ssa.Instruction),
		cycles:    make(map[*ssa.Function]map[*ssa.BasicBlock]bool),
		summaries: make(map[*ssa.Function][]int),
		waited:    make(map[*types.Var]bool),
		leaked:    make(map[*ssa.Go]bool),
		reported:  make(map[ssa.Instruction]bool),
	}
	for name := range strings.SplitSeq(spawners, ",") {
		if name = strings.TrimSpace(name); name != "" {
			c.spawners[name] = true
		}
	}
	c.markSpawnerDirectives()
	funcs := pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA).SrcFuncs
	c.index(funcs)
	c.exportFacts(funcs)
	for _, fn := range funcs {
		c.checkLeaks(fn)
	}
	c.checkFieldChannels(funcs)
	if c.strict {
		for _, fn := range funcs {
			c.checkJoins(fn)
		}
	}
	c.r.Finish()
	return nil, nil
}

// markSpawnerDirectives adds the functions documented with
// //futlint:spawner to the spawners.
func (c *checker) markSpawnerDirectives() {
	for _, f := range c.pass.Files {
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Doc == nil {
				continue
			}
			for _, cm := range fd.Doc.List {
				if d, ok := ast.ParseDirective(cm.Slash, cm.Text); ok && d.Tool == "futlint" && d.Name == "spawner" {
					if obj, ok := c.pass.TypesInfo.Defs[fd.Name].(*types.Func); ok {
						c.spawners[typeutil.FuncName(obj)] = true
					}
				}
			}
		}
	}
}

// index records each closure's creation site and the struct fields some
// function of the package waits on.
func (c *checker) index(funcs []*ssa.Function) {
	multi := make(map[*ssa.Function]bool)
	var ops []*ssa.Value
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				for _, p := range instr.Operands(ops[:0]) {
					if f, ok := (*p).(*ssa.Function); ok && f.Parent() != nil {
						c.users[f] = append(c.users[f], instr)
					}
				}
				switch x := instr.(type) {
				case *ssa.MakeClosure:
					if f, ok := x.Fn.(*ssa.Function); ok {
						if _, dup := c.closures[f]; dup {
							multi[f] = true
						}
						c.closures[f] = x
					}
				case *ssa.UnOp:
					if x.Op == token.ARROW {
						c.markWaited(x.X)
					}
				case *ssa.Select:
					for _, st := range x.States {
						if st.Dir == types.RecvOnly {
							c.markWaited(st.Chan)
						}
					}
				case ssa.CallInstruction:
					if calls.Is(x.Common(), "(*sync.WaitGroup).Wait") && len(x.Common().Args) == 1 {
						c.markWaited(x.Common().Args[0])
					}
				}
			}
		}
	}
	for f := range multi {
		delete(c.closures, f)
	}
}

func (c *checker) markWaited(v ssa.Value) {
	if f := fieldOf(v); f != nil {
		c.waited[f] = true
	}
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

// inCycle reports whether b can reach itself: code in it may run many times.
func (c *checker) inCycle(b *ssa.BasicBlock) bool {
	fn := b.Parent()
	set, ok := c.cycles[fn]
	if !ok {
		set = make(map[*ssa.BasicBlock]bool)
		for _, blk := range fn.Blocks {
			if reaches(blk.Succs, blk) {
				set[blk] = true
			}
		}
		c.cycles[fn] = set
	}
	return set[b]
}

func reaches(from []*ssa.BasicBlock, to *ssa.BasicBlock) bool {
	seen := make(map[*ssa.BasicBlock]bool)
	stack := append([]*ssa.BasicBlock(nil), from...)
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if b == to {
			return true
		}
		if !seen[b] {
			seen[b] = true
			stack = append(stack, b.Succs...)
		}
	}
	return false
}

// topLevel returns the declared function that fn is, or is nested in.
func topLevel(fn *ssa.Function) *ssa.Function {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	return fn
}

// where renders pos for a message about code at from: a line number in
// the same file, file:line otherwise.
func (c *checker) where(pos, from token.Pos) string {
	p, q := c.pass.Fset.Position(pos), c.pass.Fset.Position(from)
	if p.Filename == q.Filename {
		return fmt.Sprintf("line %d", p.Line)
	}
	return fmt.Sprintf("%s:%d", shortFile(p.Filename), p.Line)
}

func shortFile(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		return name[i+1:]
	}
	return name
}
