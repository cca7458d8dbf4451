package atomics

import (
	"sync"
	"sync/atomic"
)

var total int64

func Add() { atomic.AddInt64(&total, 1) }

// Reported: mixed atomic and plain access to one variable.
func Bump() { // want Bump:`updates total at atomics.go:14`
	total += 2 // want `unsynchronized increment of total: it is also accessed with atomic.AddInt64 at atomics.go:10, and no lock orders the two; use sync/atomic for every access`
}

type gauge struct{ v int32 }

func (g *gauge) Load() int32 { return atomic.LoadInt32(&g.v) }

func (g *gauge) Inc() {
	g.v++ // want `unsynchronized increment of g.v: it is also accessed with atomic.LoadInt32 at atomics.go:19`
}

// Quiet: atomic types.
type counter struct{ n atomic.Int64 }

func (c *counter) Inc() { c.n.Add(1) }

func loop(n int) {
	var wg sync.WaitGroup
	var c counter
	var plain int64
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.Inc()
			atomic.AddInt64(&plain, 1)
		}()
	}
	wg.Wait()
}

// Quiet: a local variable no other goroutine can reach, even if its
// address is passed to sync/atomic.
func localMixed() int32 {
	var x struct{ i int32 }
	for d := int32(1); d < 100; d += d {
		_ = atomic.LoadInt32(&x.i)
		x.i += d
	}
	return x.i
}

// Reported: the spawner hands n's address to atomic.AddInt64 while the
// goroutine updates n plainly.
func mixed() int64 {
	var n int64
	go func() {
		n++ // want `unsynchronized increment of n \(shared with the goroutine started at atomics.go:60\)`
	}()
	return atomic.AddInt64(&n, 1)
}
