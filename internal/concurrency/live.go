package concurrency

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/calls"
	"github.com/futlint/futlint/internal/ssautil"
)

// A Liveness answers "does this value carry a live context?": a context
// that may be cancelled, a handler's request, a value that carries its
// own context (a stream), or anything a call that was given one returned
// (a request, a response and its body, a scanner over it). Operations on
// such values are taken to stop when the context is cancelled. It
// memoises its answers, so each goroutine needs its own: passes run
// concurrently on one Model (see warm.go).
type Liveness struct {
	memo map[ssa.Value]bool
}

// NewLiveness returns a Liveness for one pass.
func NewLiveness() *Liveness { return &Liveness{memo: map[ssa.Value]bool{}} }

// Live reports whether v carries a live context.
func (l *Liveness) Live(v ssa.Value) bool {
	if r, ok := l.memo[v]; ok {
		return r
	}
	l.memo[v] = false // cycles: decided by the other paths
	r := l.computeLive(v)
	l.memo[v] = r
	return r
}

// liveEdges are the ways back from a value to what it was made of: a
// field, element or slice of a live value, a load or conversion of one,
// any edge of a phi, any value stored in a variable, a captured one.
const liveEdges = ssautil.Conversions | ssautil.Loads | ssautil.Selections | ssautil.Phis | ssautil.FreeVars | ssautil.Cells

func (l *Liveness) computeLive(v ssa.Value) bool {
	return ssautil.Any(v, liveEdges, l.liveOrigin)
}

// liveOrigin decides the values computeLive's walk reaches that carry a
// context themselves (found) or end the walk (stop).
func (l *Liveness) liveOrigin(v ssa.Value) (found, stop bool) {
	if IsContext(v.Type()) {
		return Uncancellable(v) == "", true
	}
	if calls.IsPointerTo(v.Type(), "net/http", "Request") {
		// A handler's request: its body and its uses end with it. A
		// request made without a context is live only if made with one,
		// which the walk finds.
		if _, ok := v.(*ssa.Parameter); ok {
			return true, true
		}
	} else if CarriesContext(v.Type()) {
		return true, true // a stream: its uses end with it
	}
	switch v := v.(type) {
	case *ssa.Call:
		return l.GivenLive(&v.Call), true
	case *ssa.Extract:
		if call, ok := v.Tuple.(*ssa.Call); ok {
			return l.GivenLive(&call.Call), true
		}
	case *ssa.Convert:
		// Any conversion, not only the pointer-shaped ones the walk
		// follows: string(body) is as live as body.
		return l.Live(v.X), true
	case *ssa.MultiConvert:
		return false, true
	}
	return false, false
}

// GivenLive reports whether a call was given a live context or value,
// so what it returns is bound to the context.
func (l *Liveness) GivenLive(call *ssa.CallCommon) bool {
	switch calls.Name(call) {
	case "(context.Context).Value", "(context.Context).Deadline", "(context.Context).Done",
		"(context.Context).Err", "context.WithoutCancel", "context.Cause":
		return false
	}
	if call.IsInvoke() && l.Live(call.Value) {
		return true
	}
	for _, arg := range call.Args {
		if l.Live(arg) {
			return true
		}
	}
	return false
}

// CarriesContext reports whether values of type t carry their own context,
// as *http.Request and gRPC streams do: they have a method
// Context() context.Context. Tests also have one, but calls on t do not
// end when t.Context() is cancelled.
func CarriesContext(t types.Type) bool {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		if n, ok := types.Unalias(p.Elem()).(*types.Named); ok && calls.InPkg(n.Obj(), "testing") {
			return false
		}
	}
	if n, ok := types.Unalias(t).(*types.Named); ok && calls.InPkg(n.Obj(), "testing") {
		return false
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "Context")
	m, ok := obj.(*types.Func)
	if !ok {
		return false
	}
	sig := m.Signature()
	return sig.Params().Len() == 0 && sig.Results().Len() == 1 && IsContext(sig.Results().At(0).Type())
}

// Uncancellable returns a description of v, a context, when it can never
// be cancelled ("context.Background()", "context.WithoutCancel(ctx)"), and
// "" when it may be. Every origin of v must be uncancellable: each edge of
// a phi, each value stored in a captured or address-taken variable; a
// WithValue stands for its parent.
func Uncancellable(v ssa.Value) string {
	desc := ""
	follow := ssautil.Conversions | ssautil.Phis | ssautil.FreeVars | ssautil.Loads | ssautil.Cells
	mayCancel := ssautil.Any(v, follow, func(v ssa.Value) (found, stop bool) {
		d, through := uncancellableOrigin(v)
		switch {
		case through:
			return false, false
		case d == "":
			return true, true
		}
		desc = d
		return false, true
	})
	if mayCancel {
		return ""
	}
	return desc
}

// uncancellableOrigin describes v when it is a context that can never be
// cancelled; through reports that v is not an origin but a way to one
// that [ssautil.Any] follows (a conversion, phi, load, cell or bound free
// variable).
func uncancellableOrigin(v ssa.Value) (desc string, through bool) {
	switch v := v.(type) {
	case *ssa.Const:
		if v.IsNil() {
			return "a nil context", false
		}
	case *ssa.Call:
		switch name := calls.Name(&v.Call); {
		case name == "context.Background":
			return "context.Background()", false
		case name == "context.TODO":
			return "context.TODO()", false
		case name == "context.WithoutCancel":
			return "context.WithoutCancel(" + shortName(v.Call.Args[0]) + ")", false
		case name == "context.WithValue" && len(v.Call.Args) > 0:
			return Uncancellable(v.Call.Args[0]), false
		}
	case *ssa.ChangeType, *ssa.MakeInterface, *ssa.ChangeInterface, *ssa.Phi, *ssa.Alloc:
		return "", true
	case *ssa.UnOp:
		return "", v.Op == token.MUL
	case *ssa.FreeVar:
		return "", ssautil.Binding(v) != nil
	}
	// Anything else (a parameter, a field, a call's result, WithCancel and
	// friends, which their own cancel function or timer can cancel) may be
	// cancelled.
	return "", false
}

// shortName names v in a message: its source name when it has one.
func shortName(v ssa.Value) string {
	switch v := v.(type) {
	case *ssa.Parameter:
		return v.Name()
	case *ssa.FreeVar:
		return v.Name()
	case *ssa.UnOp:
		if fv, ok := v.X.(*ssa.FreeVar); ok {
			return fv.Name()
		}
		if alloc, ok := v.X.(*ssa.Alloc); ok && alloc.Comment != "" {
			return alloc.Comment
		}
	}
	return "ctx"
}
