package uncheckedcancel

import (
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/calls"
	"github.com/futlint/futlint/internal/concurrency"
	"github.com/futlint/futlint/internal/ssautil"
)

// A checker holds one pass's memoised answers about the package's
// functions. What functions do with their contexts and whether they wait
// (for this package's functions and, through facts, for other
// packages') is the concurrency model's: its Summary.
type checker struct {
	model *concurrency.Model
	live  *concurrency.Liveness
	srcs  map[*ssa.Function][]source // memoised sources
	pass  *analysis.Pass
	funcs []*ssa.Function // the package's source functions
}

func newChecker(pass *analysis.Pass, funcs []*ssa.Function) *checker {
	return &checker{
		model: pass.ResultOf[concurrency.Analyzer].(*concurrency.Model),
		live:  concurrency.NewLiveness(),
		srcs:  map[*ssa.Function][]source{},
		pass:  pass,
		funcs: funcs,
	}
}

func origin(fn *ssa.Function) *ssa.Function { return ssautil.OriginFunc(fn) }

// ignoresCtx reports whether fn has context parameters and does nothing
// with them that could observe cancellation.
func (c *checker) ignoresCtx(fn *ssa.Function) bool {
	s := c.model.Summary(fn)
	return s != nil && s.IgnoresCtx
}

// blocksWithoutCtx returns the blocking call fn makes without a context,
// or "".
func (c *checker) blocksWithoutCtx(fn *ssa.Function) string {
	if s := c.model.Summary(fn); s != nil {
		return s.BlocksWithoutCtx
	}
	return ""
}

// callWaits reports whether call waits for another party: a library call
// that does, or a call to a function whose summary says it may.
func (c *checker) callWaits(call *ssa.CallCommon) bool {
	if _, waits := calls.Blocks(call); waits {
		return true
	}
	callee := call.StaticCallee()
	if callee == nil {
		return false
	}
	s := c.model.Summary(callee)
	return s != nil && s.Waits
}
