package protocol

import "sync"

// Stopping under the lock the draining goroutine needs: stop waits for
// done while holding mu; the goroutine closes done only after merging
// the pending updates, which takes mu.
type broadcaster struct {
	mu      sync.Mutex
	updates chan int
	done    chan struct{}
	last    int
}

func newBroadcaster() *broadcaster {
	b := &broadcaster{updates: make(chan int, 1), done: make(chan struct{})}
	go func() {
		defer close(b.done)
		for u := range b.updates {
			b.merge(u)
		}
	}()
	return b
}

func (b *broadcaster) merge(u int) {
	b.mu.Lock()
	b.last = u
	b.mu.Unlock()
}

func (b *broadcaster) stop() {
	b.mu.Lock()
	defer b.mu.Unlock()
	close(b.updates)
	<-b.done // want `goroutine leaks: this receive from broadcaster.done waits holding b.mu, but newBroadcaster's closure signals broadcaster.done \(line 18\) only after locking b.mu \(line 20\), so neither can move; unlock b.mu before waiting`
}

// Quiet twin: stop unlocks before it waits.
type unlockedStop struct {
	mu      sync.Mutex
	updates chan int
	done    chan struct{}
	last    int
}

func newUnlockedStop() *unlockedStop {
	b := &unlockedStop{updates: make(chan int, 1), done: make(chan struct{})}
	go func() {
		defer close(b.done)
		for u := range b.updates {
			b.merge(u)
		}
	}()
	return b
}

func (b *unlockedStop) merge(u int) {
	b.mu.Lock()
	b.last = u
	b.mu.Unlock()
}

func (b *unlockedStop) stop() {
	b.mu.Lock()
	close(b.updates)
	b.mu.Unlock()
	<-b.done
}

// Quiet twin: the goroutine takes another lock than the one held.
type twoLocks struct {
	mu      sync.Mutex
	stateMu sync.Mutex
	updates chan int
	done    chan struct{}
	last    int
}

func newTwoLocks() *twoLocks {
	b := &twoLocks{updates: make(chan int, 1), done: make(chan struct{})}
	go func() {
		defer close(b.done)
		for u := range b.updates {
			b.stateMu.Lock()
			b.last = u
			b.stateMu.Unlock()
		}
	}()
	return b
}

func (b *twoLocks) stop() {
	b.mu.Lock()
	defer b.mu.Unlock()
	close(b.updates)
	<-b.done
}

// Quiet twin: both sides take the read lock, which they can share.
type readers struct {
	mu      sync.RWMutex
	updates chan int
	done    chan struct{}
	last    int
}

func newReaders() *readers {
	b := &readers{updates: make(chan int, 1), done: make(chan struct{})}
	go func() {
		defer close(b.done)
		for range b.updates {
			b.mu.RLock()
			_ = b.last
			b.mu.RUnlock()
		}
	}()
	return b
}

func (b *readers) stop() {
	b.mu.RLock()
	defer b.mu.RUnlock()
	close(b.updates)
	<-b.done
}
