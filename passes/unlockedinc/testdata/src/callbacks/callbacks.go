package callbacks

import (
	"sync"
	"testing"
	"time"

	"github.com/sourcegraph/conc/pool"
	"golang.org/x/sync/errgroup"
)

// Reported: errgroup callbacks started in a loop share n.
func group(items []int) error {
	var g errgroup.Group
	n := 0
	for range items {
		g.Go(func() error {
			n++ // want `unsynchronized increment of n \(shared by the functions passed to errgroup.Group.Go in a loop at callbacks.go:17\)`
			return nil
		})
	}
	return g.Wait()
}

// Quiet: the spawner reads n only after g.Wait.
func groupJoined() int {
	var g errgroup.Group
	n := 0
	g.Go(func() error {
		n++
		return nil
	})
	g.Wait()
	return n
}

// Reported: sync.WaitGroup.Go callbacks in a loop.
func waitGroupGo(items []int) int {
	var wg sync.WaitGroup
	sum := 0
	for _, it := range items {
		wg.Go(func() {
			sum += it // want `unsynchronized increment of sum \(shared by the functions passed to sync.WaitGroup.Go in a loop`
		})
	}
	wg.Wait()
	return sum
}

// Reported: conc pool tasks.
func concPool(items []int) {
	p := pool.New()
	done := 0
	for range items {
		p.Go(func() {
			done++ // want `unsynchronized increment of done \(shared by the functions passed to pool.Pool.Go in a loop`
		})
	}
	p.Wait()
}

// Reported: the timer callback runs while the caller goes on.
func afterFunc() int {
	fired := 0
	time.AfterFunc(time.Second, func() {
		fired++ // want `unsynchronized increment of fired \(shared with the function passed to time.AfterFunc at callbacks.go:65\)`
	})
	return fired
}

// Reported: parallel subtests share the counter.
func subtests(t *testing.T) {
	count := 0
	for _, name := range []string{"a", "b"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			count++ // want `unsynchronized increment of count \(shared by the parallel subtests started at callbacks.go:75\)`
		})
	}
}

// Quiet: sequential subtests.
func sequential(t *testing.T) {
	count := 0
	for _, name := range []string{"a", "b"} {
		t.Run(name, func(t *testing.T) {
			count++
		})
	}
}

// Reported: the RunParallel body runs on many goroutines.
func benchmark(b *testing.B) {
	ops := 0
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			ops++ // want `unsynchronized increment of ops \(shared by the RunParallel goroutines started at callbacks.go:95\)`
		}
	})
}
