package main

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// A unit process analyses one package and exits, and most packages need
// little memory: collecting at the default GOGC=100 from a 4 MB heap spends
// a tenth of the CPU of a go vet -vettool run in the collector and its page
// faults. So unit processes do not collect until their heap nears a soft
// limit of unitHeapLimit (GOGC=off under GOMEMLIMIT), which bounds their
// peak: most units never collect; the largest packages, whose live heap
// passes half the limit, go back to the defaults, so that the limit never
// makes the collector run back to back. Off, not GOGC=400 under 256 MB:
// go vet -vettool on etcd, 4 alternating runs, CPU of the process tree
// 28.6 -> 25.1 s (wall 72 -> 63 s at load ~20); its 630 units run one at
// a time, alternately: 42.8 s at GOGC=400/256 MB, 41.6 s off/192 MB,
// 41.2 s off/256 MB (two passes), largest process 183, 188, 202 MB (go
// vet's 111 MB, and the benchmark allows 2x: hence 192 MB).
//
// GOGC or GOMEMLIMIT in the environment win: the user chose. The
// standalone driver sets GOGC=100 for its units (driver.unitEnv): it runs
// several at once and keeps their sum small.
const (
	unitGCPercent = -1 // off: collect only near the limit
	unitHeapLimit = 192 << 20
)

func tuneUnitGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(unitGCPercent)
	debug.SetMemoryLimit(unitHeapLimit)
	armGCHook()
}

// gcHook's finalizer runs after each collection that finds it unreachable:
// once per GC cycle while it re-arms itself. It is large enough not to be
// batched by the tiny allocator, whose objects may never be finalized.
type gcHook struct{ _ [32]byte }

func armGCHook() {
	runtime.SetFinalizer(new(gcHook), afterGC)
}

var liveHeap = []metrics.Sample{{Name: "/gc/heap/live:bytes"}}

func afterGC(*gcHook) {
	metrics.Read(liveHeap)
	if liveHeap[0].Value.Kind() == metrics.KindUint64 && liveHeap[0].Value.Uint64() > unitHeapLimit/2 {
		debug.SetMemoryLimit(math.MaxInt64)
		debug.SetGCPercent(100)
		return
	}
	armGCHook()
}
