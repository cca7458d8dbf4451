package lockwaitcell

import "sync"

// Each case here is pinned: switching off the check it names makes it
// fail. The shape: a goroutine waits, holding mu, on the channel kept in
// the captured variable ch; the spawner signals it holding mu too.

func roundTrip() {
	var mu sync.Mutex
	var ch chan struct{}
	ch = make(chan struct{})
	go func() {
		mu.Lock()
		<-ch // want `goroutine leaks: this receive from ch waits holding mu, but every send on or close of the channels ch holds \(line \d+\) is made holding mu too`
		mu.Unlock()
	}()
	mu.Lock()
	close(ch)
	mu.Unlock()
}

// ---- quiet twins ----

// The channel is also used as itself, not only through ch: a send on it
// holds no lock.
func roundTripDirect() {
	var mu sync.Mutex
	var ch chan struct{}
	made := make(chan struct{}, 1)
	ch = made
	go func() {
		mu.Lock()
		<-ch
		mu.Unlock()
	}()
	made <- struct{}{}
	mu.Lock()
	ch <- struct{}{}
	mu.Unlock()
}

// The wait is a poll: it does not block.
func roundTripPoll() {
	var mu sync.Mutex
	var ch chan struct{}
	ch = make(chan struct{})
	go func() {
		mu.Lock()
		select {
		case <-ch:
		default:
		}
		mu.Unlock()
	}()
	mu.Lock()
	close(ch)
	mu.Unlock()
}
