package harm

import (
	"sync"
	"testing"
	"time"
)

func compute() int { return 1 }

func check(t *testing.T, n int) {
	t.Helper()
	if n != 1 {
		t.Errorf("got %d", n)
	}
}

// Outlives its test: t.Log may run after TestLateLog returns (lost, or a
// panic once every test is done).
func TestLateLog(t *testing.T) {
	go func() { // want `goroutine outlives its test: it calls t.Logf \(line \d+\) but nothing waits for it before TestLateLog returns`
		time.Sleep(time.Millisecond)
		t.Logf("computed %d", compute())
	}()
}

// Outlives its test: a loop that keeps asserting through a helper given
// t; once the test tears down what it checks, the assertion fails after
// the test completed and panics.
func TestLateLoop(t *testing.T) {
	go func() { // want `goroutine outlives its test: it calls harm.check \(line \d+\) but nothing waits for it before TestLateLoop returns`
		for i := 0; i < 1000; i++ {
			time.Sleep(10 * time.Millisecond)
			check(t, compute())
		}
	}()
}

// Twin: a failure call outside a loop runs only once something failed.
func TestFailOnly(t *testing.T) {
	go func() {
		if compute() != 1 {
			t.Errorf("bad")
		}
	}()
}

// Twin: the test waits for it.
func TestJoined(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 3; i++ {
			check(t, compute())
		}
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

// Twin: the test stops it (a channel it closes when it returns).
func TestStopped(t *testing.T) {
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
				t.Log(compute())
			}
		}
	}()
}

// Twin: the goroutine does not touch t: the policy, not this class.
func TestNoT(t *testing.T) {
	go func() { compute() }()
}

// Twin: the goroutine's children signal the WaitGroup the test waits on.
func TestChildrenJoined(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(3)
	go func() {
		for i := 0; i < 3; i++ {
			check(t, compute())
			go func() { wg.Done() }()
		}
	}()
	wg.Wait()
}
