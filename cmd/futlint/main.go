// Command futlint reports unsafe concurrency in Go code. See the README.
package main

import (
	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/futlint/futlint/internal/analyzers"
)

func main() {
	multichecker.Main(analyzers.All()...)
}
