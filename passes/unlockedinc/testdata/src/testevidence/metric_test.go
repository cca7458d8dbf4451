package testevidence

import (
	"sync"
	"sync/atomic"
	"testing"
)

func TestSaturation(t *testing.T) {
	var s saturation
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.sleeping(1)
		}()
	}
	wg.Wait()
}

// Reported: a finding in the test itself.
func TestLost(t *testing.T) {
	var s saturation
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.lost++ // want `unsynchronized increment of s.lost \(shared by the goroutines started in a loop at metric_test.go:28\)`
		}()
	}
	wg.Wait()
}

func TestNode(t *testing.T) {
	n := &node{}
	n.Lock()
	n.paeBytes = 0
	n.Unlock()
	n.grow(1)
}

// Reported: in a test, the test's atomic access is evidence.
func (c *counter) bump() {
	c.hits += 2 // want `unsynchronized increment of c.hits: it is also accessed with atomic.LoadInt64 at metric_test.go:53`
}

func TestCounter(t *testing.T) {
	c := &counter{}
	c.add()
	c.bump()
	t.Log(atomic.LoadInt64(&c.hits))
}

// Quiet: the only path that unlocks before the update ends in t.Fatal,
// which never returns.
func TestFatalUnlocked(t *testing.T) {
	n := newNode()
	n.Lock()
	if n.applied != 0 {
		n.Unlock()
		t.Fatal("applied")
	}
	n.applied++
	n.Unlock()
}

// Reported: t.Error returns, and the update runs unlocked.
func TestErrorUnlocked(t *testing.T) {
	n := newNode()
	n.Lock()
	if n.applied != 0 {
		n.Unlock()
		t.Error("applied")
	}
	n.applied++ // want `unsynchronized increment of n.applied: n.RWMutex is held for n.applied at metric.go:30`
	n.Unlock()
}

func newNode() *node { return &node{} }
