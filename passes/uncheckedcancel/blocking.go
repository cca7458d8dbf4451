package uncheckedcancel

import (
	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/calls"
	"github.com/futlint/futlint/internal/concurrency"
)

// takesContext reports whether c calls a function with a context
// parameter, other than the context package's own helpers.
func takesContext(c *ssa.CallCommon) bool {
	if fn := c.StaticCallee(); fn != nil && fn.Pkg != nil && calls.PkgPath(fn.Pkg.Pkg) == "context" {
		return false
	}
	params := c.Signature().Params()
	for i := range params.Len() {
		if concurrency.IsContext(params.At(i).Type()) {
			return true
		}
	}
	return false
}
