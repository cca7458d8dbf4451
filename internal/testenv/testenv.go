// Package testenv is what the analyzers' fixture tests share.
package testenv

import (
	"os"
	"runtime/debug"
	"testing"
)

// heapLimit is the fixture test binaries' memory budget. Facts make
// analysistest analyse every dependency of a fixture from source (net/http,
// before it was stubbed, included), and the collector's default goal (twice the live heap) took
// unlockedinc's binary to 1.9 GB. The collector runs only when the heap
// reaches the limit (GOGC=off): at 1.5 GiB every binary then peaks near
// 1.55 GB, for less CPU than GOGC=100 under the same limit, which
// collected from twice the live heap on (unlockedinc 20.8 -> 17.0 CPU-s,
// leakedgoroutine 17.8 -> 11.2; GOGC=200: 18.5 and 14.2). A 768 MiB limit
// held 1.0 GB but doubled the CPU.
const heapLimit = 1536 << 20

// Main runs a fixture package's tests with the collector driven by
// heapLimit, unless GOMEMLIMIT or GOGC says otherwise, and with the test
// binary as the loads' GOPACKAGESDRIVER, which leaves out generated test
// mains (see useDriver):
// func TestMain(m *testing.M) { testenv.Main(m) }.
func Main(m *testing.M) {
	if os.Getenv(driverEnv) != "" {
		os.Exit(runDriver(os.Args[1:]))
	}
	useDriver()
	if os.Getenv("GOMEMLIMIT") == "" && os.Getenv("GOGC") == "" {
		debug.SetMemoryLimit(heapLimit)
		debug.SetGCPercent(-1)
	}
	os.Exit(m.Run())
}
