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
// faults. So unit processes collect at GOGC=400 under a soft limit of
// unitHeapLimit, which bounds their peak: the largest packages, whose live
// heap passes half the limit, go back to the defaults, so that the limit
// never makes the collector run back to back. 256 MB, not the 160 MB it
// was: with the passes' rules and the model's facts of 2026-12 a 160 MB
// limit made etcd's larger units collect near it (go vet -vettool on etcd,
// 3 alternating runs: 13.1 s at 160 MB, 11.5 s with no limit, against go
// vet's 12.0 s; largest process 155 MB vs 190 MB, go vet's 111 MB).
//
// GOGC or GOMEMLIMIT in the environment win: the user chose. The
// standalone driver sets GOGC=100 for its units (driver.unitEnv): it runs
// several at once and keeps their sum small.
const (
	unitGCPercent = 400
	unitHeapLimit = 256 << 20
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
