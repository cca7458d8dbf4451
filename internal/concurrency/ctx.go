package concurrency

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/calls"
	"github.com/futlint/futlint/internal/ssautil"
)

// IsContext reports whether t is context.Context.
func IsContext(t types.Type) bool { return calls.IsNamed(t, "context", "Context") }

// ignoresCtx reports whether fn has context parameters and does nothing
// with them that could observe cancellation.
func (m *Model) ignoresCtx(fn *ssa.Function) bool {
	ignores := false
	for _, p := range fn.Params {
		if !IsContext(p.Type()) {
			continue
		}
		if !m.Unobserved(p) {
			return false
		}
		ignores = true
	}
	return ignores
}

// Unobserved reports whether no use of the context v could observe its
// cancellation: it is unused, only asked for values or its deadline,
// detached with WithoutCancel, or passed to functions whose Summary says
// they ignore it.
func (m *Model) Unobserved(v ssa.Value) bool {
	return m.unobserved(v, map[ssa.Value]bool{})
}

func (m *Model) unobserved(v ssa.Value, seen map[ssa.Value]bool) bool {
	if seen[v] {
		return true
	}
	seen[v] = true
	refs := v.Referrers()
	if refs == nil {
		return true
	}
	for _, ref := range *refs {
		switch ref := ref.(type) {
		case *ssa.DebugRef:
			continue
		case *ssa.Call:
			call := &ref.Call
			if call.IsInvoke() && call.Value == v && (call.Method.Name() == "Value" || call.Method.Name() == "Deadline") {
				continue
			}
			switch calls.Name(call) {
			case "context.WithoutCancel":
				continue
			case "context.WithValue":
				if !m.unobserved(ref, seen) {
					return false
				}
				continue
			}
			if callee := call.StaticCallee(); callee != nil {
				if s := m.Summary(callee); s != nil && s.IgnoresCtx {
					continue
				}
			}
			return false
		case *ssa.ChangeType, *ssa.MakeInterface, *ssa.ChangeInterface, *ssa.Phi:
			if !m.unobserved(ref.(ssa.Value), seen) {
				return false
			}
		default:
			// Stored, returned, captured, compared: assume it is used.
			return false
		}
	}
	return true
}

// Watches reports whether call hands the context v to a watch: it is
// context.AfterFunc(v, f), or a call of a function whose Summary says it
// watches the parameter v is passed as (Watched). A watch arranges for
// v's cancellation to be acted on asynchronously until it is stopped;
// the model trusts the AfterFunc callback to interrupt the work.
//
// An argument is v when it is v after conversions and loads of the cell a
// closure capturing v makes (ssautil.Cells).
func (m *Model) Watches(call *ssa.CallCommon, v ssa.Value) bool {
	is := func(a ssa.Value) bool {
		return ssautil.Origin(a, ssautil.Conversions|ssautil.Loads|ssautil.Cells) == v
	}
	if calls.Name(call) == "context.AfterFunc" {
		return len(call.Args) > 0 && is(call.Args[0])
	}
	callee := call.StaticCallee()
	if callee == nil {
		return false
	}
	s := m.Summary(callee)
	for i, a := range call.Args {
		if s.ParamUse(i)&Watched != 0 && is(a) {
			return true
		}
	}
	return false
}

// watchesParam reports whether some call in p's function hands the
// context parameter p to a watch.
func (m *Model) watchesParam(p *ssa.Parameter) bool {
	for _, b := range p.Parent().Blocks {
		for _, instr := range b.Instrs {
			if c, ok := instr.(ssa.CallInstruction); ok && m.Watches(c.Common(), p) {
				return true
			}
		}
	}
	return false
}
