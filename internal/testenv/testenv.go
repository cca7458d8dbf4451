// Package testenv is what the analyzers' fixture tests share.
package testenv

import (
	"os"
	"runtime/debug"
	"testing"
)

// heapLimit is the fixture test binaries' soft memory limit. Facts make
// analysistest analyse every dependency of a fixture from source, net/http
// included, and the collector's default goal (twice the live heap) then
// took unlockedinc's binary to 1.9 GB. 1.5 GiB holds it there for ~15%
// more CPU; the 768 MiB limit before held 1.0 GB but doubled the CPU
// (unlockedinc 27 -> 53 s user, uncheckedcancel 20 -> 39 s).
const heapLimit = 1536 << 20

// Main runs a fixture package's tests under heapLimit, unless GOMEMLIMIT
// says otherwise: func TestMain(m *testing.M) { testenv.Main(m) }.
func Main(m *testing.M) {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(heapLimit)
	}
	os.Exit(m.Run())
}
