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

// The channel is handed on through a select's send: whoever takes it
// may close it without the lock.
func roundTripHanded(out chan chan struct{}) {
	var mu sync.Mutex
	var ch chan struct{}
	ch = make(chan struct{})
	go func() {
		mu.Lock()
		<-ch
		mu.Unlock()
	}()
	mu.Lock()
	select {
	case out <- ch:
	default:
		close(ch)
	}
	mu.Unlock()
}

// The channel is also kept in a package variable.
var kept chan struct{}

func roundTripKept() {
	var mu sync.Mutex
	var ch chan struct{}
	ch = make(chan struct{})
	kept = ch
	go func() {
		mu.Lock()
		<-ch
		mu.Unlock()
	}()
	mu.Lock()
	ch <- struct{}{}
	mu.Unlock()
}

// The channel is handed to a function, which may keep it and signal it
// later, unlocked.
func roundTripPassed(keep func(chan struct{})) {
	var mu sync.Mutex
	var ch chan struct{}
	ch = make(chan struct{}, 1)
	go func() {
		mu.Lock()
		<-ch
		mu.Unlock()
	}()
	mu.Lock()
	keep(ch)
	ch <- struct{}{}
	mu.Unlock()
}

// Two package-level mutexes: the closer's is not the waiter's.
var waitMu, closeMu sync.Mutex

func roundTripTwoLocks() {
	var ch chan struct{}
	ch = make(chan struct{})
	go func() {
		waitMu.Lock()
		<-ch
		waitMu.Unlock()
	}()
	closeMu.Lock()
	close(ch)
	closeMu.Unlock()
}

// Read locks on both sides do not block each other.
func roundTripReaders() {
	var mu sync.RWMutex
	var ch chan struct{}
	ch = make(chan struct{})
	go func() {
		mu.RLock()
		<-ch
		mu.RUnlock()
	}()
	mu.RLock()
	close(ch)
	mu.RUnlock()
}

// The closing closure is started as a goroutine under the lock: it runs
// without it.
func roundTripStarted() {
	var mu sync.Mutex
	var ch chan struct{}
	ch = make(chan struct{})
	end := func() { close(ch) }
	go func() {
		mu.Lock()
		<-ch
		mu.Unlock()
	}()
	mu.Lock()
	go end()
	mu.Unlock()
}

// An exported method: callers outside the package need not hold t.mu.
type tripper struct{ mu sync.Mutex }

func (t *tripper) RoundTrip() {
	var ch chan struct{}
	ch = make(chan struct{})
	go func() {
		t.mu.Lock()
		<-ch
		t.mu.Unlock()
	}()
	close(ch)
}

func (t *tripper) locked() {
	t.mu.Lock()
	t.RoundTrip()
	t.mu.Unlock()
}
