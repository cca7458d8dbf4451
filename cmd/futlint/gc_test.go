package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// A unit whose live heap outgrows half the soft limit goes back to the
// default collector settings, so the limit cannot make it thrash.
func TestUnitGCBacksOffForLargeHeaps(t *testing.T) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		t.Skip("GOGC or GOMEMLIMIT is set: tuneUnitGC leaves the collector alone")
	}
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))

	tuneUnitGC()
	if got := debug.SetGCPercent(unitGCPercent); got != unitGCPercent {
		t.Fatalf("after tuneUnitGC, GOGC = %d, want %d", got, unitGCPercent)
	}

	const chunk = 2 << 20
	live := make([][]byte, 0, unitHeapLimit/2/chunk+8)
	for range cap(live) {
		live = append(live, make([]byte, chunk)) // 16 MB over half the limit
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		runtime.GC()
		time.Sleep(10 * time.Millisecond) // the hook is a finalizer: it runs after the cycle
		if gogc := debug.SetGCPercent(-1); gogc == 100 {
			debug.SetGCPercent(100)
			break
		} else {
			debug.SetGCPercent(gogc)
		}
		if time.Now().After(deadline) {
			t.Fatal("GOGC still tuned with a live heap over half the limit")
		}
	}
	if limit := debug.SetMemoryLimit(-1); limit != 1<<63-1 {
		t.Errorf("memory limit = %d after backing off, want none", limit)
	}
	runtime.KeepAlive(live)
}
