package concurrency

import (
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/ssautil"
)

// A RootKind says where an access path starts.
type RootKind uint8

const (
	// Unknown: a call result, a value the model cannot follow. Paths
	// with an unknown root never alias by root, only by type (MayAlias).
	Unknown RootKind = iota
	// Local: memory made in the function, an Alloc (a local variable),
	// MakeChan, MakeMap, MakeSlice or MakeClosure.
	Local
	// Param: a parameter; the receiver of a method is parameter 0.
	Param
	// FreeVar: a closure's free variable whose binding the model cannot
	// tell (the closure is made in several places).
	FreeVar
	// Global: a package-level variable.
	Global
)

// A Step is one selection on the way from a root to the memory a path
// names.
type Step struct {
	// Field is the field's name; "" for an element ([i], a map value)
	// or a dereference.
	Field string
	// Struct names the struct type holding Field ("pkg/path.T", or the
	// struct literal type's string), so that fields of two types with
	// the same name differ.
	Struct string
	// Deref: the step loads a pointer from memory (*p, or a pointer
	// field): what follows may be reached by other paths too.
	Deref bool
}

func (s Step) elem() bool { return s.Field == "" && !s.Deref }

// A Path names memory or a channel by its access path: a root (local,
// parameter, receiver, free variable, global) and the selections from it.
// acc.stats.inMsgs and client.stats.inBytes are different paths, and so
// are a.n and b.n for two locals a and b of one type.
//
// Paths are comparable with Equal and MayAlias, and gob-encodable for
// facts (the root value of a local path is not encoded: facts only hold
// parameter and global paths).
type Path struct {
	Kind  RootKind
	Param int    // Param, FreeVar: index in Function.Params / FreeVars
	Name  string // the root's source name for messages; Global: "pkg/path.name"
	Steps []Step
	// PtrRoot: the root is a pointer (a *T parameter, a pointer local),
	// so the memory from the first step on may be reached by other
	// paths: aliasing is by type from there.
	PtrRoot bool

	root ssa.Value // Local, Unknown: the root value, for identity
}

// PathOf returns the access path of v, an address or a value (a channel,
// a mutex's address, a WaitGroup pointer), as seen in fn. Free variables
// are followed to their bindings only when asked for through the Model
// (Model.PathOf), which knows the closures' creation sites.
func PathOf(fn *ssa.Function, v ssa.Value) Path {
	return pathOf(fn, v, false, false)
}

// pathOf makes the path of v; follow: free variables to their bindings;
// cells: the loads of a captured parameter's cell as the parameter.
func pathOf(fn *ssa.Function, v ssa.Value, follow, cells bool) Path {
	var steps []Step
	for range 64 {
		switch x := v.(type) {
		case *ssa.FieldAddr:
			steps = append(steps, fieldStep(x.X.Type(), x.Field, true))
			v = x.X
			continue
		case *ssa.Field:
			steps = append(steps, fieldStep(x.X.Type(), x.Field, false))
			v = x.X
			continue
		case *ssa.IndexAddr:
			steps = append(steps, Step{})
			v = x.X
			continue
		case *ssa.Index:
			steps = append(steps, Step{})
			v = x.X
			continue
		case *ssa.Lookup:
			steps = append(steps, Step{})
			v = x.X
			continue
		case *ssa.Slice:
			v = x.X
			continue
		case *ssa.UnOp:
			if p := spilledParam(x, follow); cells && p != nil {
				// A parameter a closure captures lives in a cell
				// stored once on entry: its loads are the parameter.
				v = p
				continue
			}
			if x.Op == token.MUL {
				steps = append(steps, Step{Deref: true})
				v = x.X
				continue
			}
		case *ssa.ChangeType, *ssa.MakeInterface, *ssa.ChangeInterface, *ssa.Convert, *ssa.MultiConvert:
			if o := ssautil.Origin(v, ssautil.Conversions); o != v {
				v = o
				continue
			}
		case *ssa.FreeVar:
			if follow {
				if b := ssautil.Binding(x); b != nil {
					v = b
					continue
				}
			}
		case *ssa.Phi:
			if o := ssautil.Origin(x, ssautil.Phis|ssautil.Conversions); o != x {
				v = o
				continue
			}
		}
		break
	}
	// Collected from the outside in: reverse.
	for i, j := 0, len(steps)-1; i < j; i, j = i+1, j-1 {
		steps[i], steps[j] = steps[j], steps[i]
	}
	p := Path{Steps: steps, root: v}
	switch x := v.(type) {
	case *ssa.Parameter:
		p.Kind, p.Name = Param, x.Name()
		p.Param = indexOf(x.Parent().Params, x)
		p.PtrRoot = isPointer(x.Type())
	case *ssa.FreeVar:
		p.Kind, p.Name = FreeVar, x.Name()
		p.Param = indexOf(x.Parent().FreeVars, x)
		p.PtrRoot = isPointer(x.Type()) && !isCell(x)
	case *ssa.Global:
		p.Kind, p.Name = Global, x.Pkg.Pkg.Path()+"."+x.Name()
	case *ssa.Alloc:
		p.Kind, p.Name = Local, x.Comment
	case *ssa.MakeChan, *ssa.MakeMap, *ssa.MakeSlice, *ssa.MakeClosure:
		p.Kind = Local
	default:
		p.PtrRoot = v != nil && isPointer(v.Type())
	}
	return p
}

// spilledParam returns the parameter a load reads, when it loads a
// captured variable (a heap cell) whose only store is of that parameter;
// in a closure too, through its free variables, if follow.
func spilledParam(ld *ssa.UnOp, follow bool) *ssa.Parameter {
	if ld.Op != token.MUL {
		return nil
	}
	a, ok := ld.X.(*ssa.Alloc)
	if _, isFV := ld.X.(*ssa.FreeVar); isFV && follow {
		a = ssautil.CellOf(ld.X)
		ok = a != nil
	}
	if !ok || !a.Heap {
		return nil
	}
	st := ssautil.SingleStore(a)
	if st == nil {
		return nil
	}
	p, _ := st.Val.(*ssa.Parameter)
	return p
}

// isCell reports whether a free variable is a captured variable (a cell
// the closure shares with its creator), rather than a captured pointer.
// SSA cannot tell them apart by type; a captured variable's name matches
// a heap Alloc of the parent, which is what Binding returns.
func isCell(fv *ssa.FreeVar) bool {
	if b := ssautil.Binding(fv); b != nil {
		a, ok := b.(*ssa.Alloc)
		return ok && a.Heap
	}
	return false
}

func indexOf[T comparable](s []T, x T) int {
	for i, y := range s {
		if y == x {
			return i
		}
	}
	return -1
}

func isPointer(t types.Type) bool {
	_, ok := t.Underlying().(*types.Pointer)
	return ok
}

// fieldStep names field i of the struct t (or *t, when addr) selects.
func fieldStep(t types.Type, i int, addr bool) Step {
	if addr {
		if p, ok := t.Underlying().(*types.Pointer); ok {
			t = p.Elem()
		}
	}
	s := Step{Field: "#" + strconv.Itoa(i), Struct: TypeName(t)}
	if st, ok := t.Underlying().(*types.Struct); ok && i < st.NumFields() {
		s.Field = st.Field(i).Name()
	}
	return s
}

// TypeName names t as Step.Struct does: a named type (its generic origin)
// by package path and name, anything else by its type string.
func TypeName(t types.Type) string {
	if n, ok := types.Unalias(t).(*types.Named); ok {
		n = n.Origin()
		if n.Obj().Pkg() != nil {
			return n.Obj().Pkg().Path() + "." + n.Obj().Name()
		}
		return n.Obj().Name()
	}
	return t.String()
}

// Root returns the path's root value (nil for a path read from a fact).
func (p Path) Root() ssa.Value { return p.root }

// IsZero reports whether p is the zero Path (no path).
func (p Path) IsZero() bool { return p.Kind == Unknown && p.root == nil && p.Steps == nil }

// String renders the path as Go source would: "c.stats.inMsgs",
// "items[]", "pkg.counter".
func (p Path) String() string {
	var b strings.Builder
	switch {
	case p.Name != "":
		b.WriteString(p.Name)
	case p.Kind == Param:
		b.WriteString("p" + strconv.Itoa(p.Param))
	default:
		b.WriteString("?")
	}
	for _, s := range p.Steps {
		switch {
		case s.Deref:
		case s.Field == "":
			b.WriteString("[]")
		default:
			b.WriteString("." + s.Field)
		}
	}
	return b.String()
}

// Key returns a string that is equal for equal paths, for maps. Keys of
// local paths are only meaningful within one package's analysis.
func (p Path) Key() string {
	var b strings.Builder
	b.WriteString(p.rootKey())
	for _, s := range p.Steps {
		b.WriteString(s.key())
	}
	return b.String()
}

func (s Step) key() string {
	switch {
	case s.Deref:
		return "*"
	case s.Field == "":
		return "[]"
	}
	return "." + s.Field
}

func (p Path) rootKey() string {
	switch p.Kind {
	case Param:
		if f := paramFunc(p.root); f != nil && f.Parent() != nil {
			// A closure's own parameter: not its enclosing function's
			// parameter of the same index, whose paths it also uses.
			return "p" + strconv.Itoa(p.Param) + "@" + f.String()
		}
		return "p" + strconv.Itoa(p.Param)
	case FreeVar:
		return "f" + strconv.Itoa(p.Param) + "@" + posKey(p.root)
	case Global:
		return "g:" + p.Name
	}
	return "v@" + posKey(p.root)
}

func paramFunc(v ssa.Value) *ssa.Function {
	if v == nil {
		return nil
	}
	return v.Parent()
}

// posKey identifies a local root value within a package.
func posKey(v ssa.Value) string {
	if v == nil {
		return "nil"
	}
	fn := ""
	if v.Parent() != nil {
		fn = v.Parent().String()
	}
	return fn + ":" + strconv.Itoa(int(v.Pos())) + ":" + v.Name()
}

// SameRoot reports whether p and q start from the same variable.
func (p Path) SameRoot(q Path) bool {
	if p.Kind != q.Kind {
		return false
	}
	switch p.Kind {
	case Param:
		// Parameters of different functions are different roots; a
		// path read from a fact has no root value and is in its
		// callee's terms.
		if p.root != nil && q.root != nil {
			return p.root == q.root
		}
		return p.Param == q.Param
	case Global:
		return p.Name == q.Name
	case Unknown:
		return p.root != nil && p.root == q.root
	}
	return p.root == q.root
}

// Equal reports whether p and q are the same access path.
func (p Path) Equal(q Path) bool {
	if !p.SameRoot(q) || len(p.Steps) != len(q.Steps) {
		return false
	}
	for i := range p.Steps {
		if p.Steps[i] != q.Steps[i] {
			return false
		}
	}
	return true
}

// TypeKey names the memory by type from the last pointer on the way:
// "pkg.Account.stats.inMsgs" for acc.stats.inMsgs with acc *Account. It
// is "" when the path goes through no pointer (the memory belongs to its
// root variable alone).
func (p Path) TypeKey() string {
	start := -1
	if p.PtrRoot || p.Kind == Unknown {
		start = 0
	}
	for i, s := range p.Steps {
		if s.Deref {
			start = i + 1
		}
	}
	if start < 0 || start >= len(p.Steps) {
		return ""
	}
	var b strings.Builder
	first := p.Steps[start]
	if first.Struct != "" {
		b.WriteString(first.Struct)
	}
	for _, s := range p.Steps[start:] {
		b.WriteString(s.key())
	}
	return b.String()
}

// MayAlias reports whether p and q may name overlapping memory: the same
// root with one selection a prefix of the other (a struct holds its
// fields; elements are not told apart), or, from different roots, the
// same selections by type from the last pointer on each (TypeKey).
// acc.stats.inMsgs and client.stats.inMsgs do not alias when Account and
// client embed stats by value: their TypeKeys start at different types.
func (p Path) MayAlias(q Path) bool {
	if p.SameRoot(q) {
		n := min(len(p.Steps), len(q.Steps))
		for i := range n {
			a, b := p.Steps[i], q.Steps[i]
			if a.Deref != b.Deref || a.Field != b.Field {
				return false
			}
		}
		return true
	}
	tp, tq := p.TypeKey(), q.TypeKey()
	if tp == "" || tq == "" {
		return false
	}
	return strings.HasPrefix(tp, tq) && (len(tp) == len(tq) || strings.ContainsAny(tp[len(tq):len(tq)+1], ".[*")) ||
		strings.HasPrefix(tq, tp) && (len(tp) == len(tq) || strings.ContainsAny(tq[len(tp):len(tp)+1], ".[*"))
}

// Append returns p followed by the steps of q (q's root is ignored): the
// path of a callee's parameter path q in the caller, when p is the
// argument's path.
func (p Path) Append(q Path) Path {
	out := p
	out.Steps = append(append([]Step(nil), p.Steps...), q.Steps...)
	return out
}

// Translate maps a callee's path, rooted at one of its parameters (or a
// global), onto the caller at call: the argument's path followed by the
// callee's steps. It returns false when the path has a local root.
func (m *Model) Translate(caller *ssa.Function, call *ssa.CallCommon, callee Path) (Path, bool) {
	return m.translate(caller, call, callee, false)
}

// TranslateLock is Translate for a lock's path: the argument's path is
// its LockPathOf.
func (m *Model) TranslateLock(caller *ssa.Function, call *ssa.CallCommon, callee Path) (Path, bool) {
	return m.translate(caller, call, callee, true)
}

func (m *Model) translate(caller *ssa.Function, call *ssa.CallCommon, callee Path, lock bool) (Path, bool) {
	switch callee.Kind {
	case Global:
		return callee, true
	case Local, FreeVar:
		if callee.root != nil && call.StaticCallee() != nil && call.StaticCallee().Parent() != nil {
			return callee, true // a closure's path in its enclosing function
		}
	case Param:
		if callee.root != nil && callee.root.Parent() != call.StaticCallee() && call.StaticCallee() != nil && call.StaticCallee().Parent() != nil {
			return callee, true // a closure's path from a parameter of its enclosing function
		}
		args := call.Args
		if call.IsInvoke() {
			args = append([]ssa.Value{call.Value}, args...)
		}
		if callee.Param < 0 || callee.Param >= len(args) {
			return Path{}, false
		}
		return pathOf(caller, args[callee.Param], true, lock).Append(callee), true
	}
	return Path{}, false
}

// exportable reports whether p can appear in a fact: rooted at a
// parameter or a global.
func (p Path) exportable() bool { return p.Kind == Param || p.Kind == Global }
