package harm

import (
	"sync"
	"testing"
)

func compute() int { return 1 }

func check(t *testing.T, n int) {
	t.Helper()
	if n != 1 {
		t.Errorf("got %d", n)
	}
}

// Outlives its test: t.Errorf may run after TestLate returns.
func TestLate(t *testing.T) {
	go func() { // want `goroutine outlives its test: it calls t.Errorf \(line \d+\) but nothing waits for it before TestLate returns`
		if compute() != 1 {
			t.Errorf("bad")
		}
	}()
}

// Outlives its test through a helper given t.
func TestLateHelper(t *testing.T) {
	go func() { // want `goroutine outlives its test: it calls t.Helper`
		check(t, compute())
	}()
}

// Twin: the test waits for it.
func TestJoined(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		check(t, compute())
	}()
	wg.Wait()
}

// Twin: a t.Cleanup waits for it.
func TestCleanup(t *testing.T) {
	var wg sync.WaitGroup
	t.Cleanup(wg.Wait)
	wg.Add(1)
	go func() {
		defer wg.Done()
		t.Log(compute())
	}()
}

// Twin: the goroutine does not touch t: the policy, not this class.
func TestNoT(t *testing.T) {
	go func() { compute() }()
}
