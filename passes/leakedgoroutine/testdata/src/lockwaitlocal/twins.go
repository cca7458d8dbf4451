package lockwaitlocal

import (
	"sync"
	"time"
)

// Each quiet twin here is pinned: switching off the check it names makes
// it report. The shape is ServeDirect's: a closure closes stop after
// locking l.mu; the function waits for stop holding l.mu.

// hook is code we do not see.
var hook func(chan struct{})

// stop is handed to code we do not see, which may close it.
func ServeHooked() {
	l := &listener{}
	stop := make(chan struct{})
	hook(stop)
	go func() {
		l.mu.Lock()
		l.pending = nil
		l.mu.Unlock()
		close(stop)
	}()
	l.mu.Lock()
	<-stop
	l.mu.Unlock()
}

// stop is returned: the caller may signal it.
func serveReturned() chan struct{} {
	l := &listener{}
	stop := make(chan struct{}, 1)
	go func() {
		l.mu.Lock()
		l.pending = nil
		l.mu.Unlock()
		close(stop)
	}()
	l.mu.Lock()
	<-stop
	l.mu.Unlock()
	return stop
}

// The wait also times out.
func ServeTimeout() {
	l := &listener{}
	stop := make(chan struct{})
	go func() {
		l.mu.Lock()
		l.pending = nil
		l.mu.Unlock()
		close(stop)
	}()
	l.mu.Lock()
	select {
	case <-stop:
	case <-time.After(time.Second):
	}
	l.mu.Unlock()
}

// Two different local mutexes: the closer's does not wait for the
// waiter's.
func ServeTwoLocks() {
	var waiting, closing sync.Mutex
	stop := make(chan struct{})
	go func() {
		closing.Lock()
		closing.Unlock()
		close(stop)
	}()
	waiting.Lock()
	<-stop
	waiting.Unlock()
}

// The signal is the waiter's own, into a buffer: it waits for no one.
func ServeOwn() {
	l := &listener{}
	stop := make(chan struct{}, 1)
	l.mu.Lock()
	stop <- struct{}{}
	<-stop
	l.mu.Unlock()
}

// The channel the closer waits for first is handed to code we do not
// see, which may close it without the lock.
type listener5 struct {
	mu      sync.Mutex
	pending []int
}

func (l *listener5) run(stop <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	<-stop
}

func ServeHop() {
	l := &listener5{}
	stop := make(chan struct{})
	defer close(stop)
	go l.run(stop)
	locked := make(chan struct{})
	hook(locked)
	go func() {
		l.mu.Lock()
		close(locked)
	}()
	<-locked
	l.mu.Unlock()
}

// The channel the closer waits for first has another signal, made
// without the lock.
type listener6 struct {
	mu      sync.Mutex
	pending []int
}

func (l *listener6) run(stop <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	<-stop
}

func ServeHopTwice() {
	l := &listener6{}
	stop := make(chan struct{})
	defer close(stop)
	go l.run(stop)
	locked := make(chan struct{}, 2)
	go func() {
		l.mu.Lock()
		locked <- struct{}{}
	}()
	go func() {
		locked <- struct{}{}
	}()
	<-locked
	l.mu.Unlock()
}

// The closer first calls a method taking a read lock; the waiter holds a
// read lock too: neither blocks the other.
type listener7 struct {
	mu      sync.RWMutex
	pending []int
}

func (l *listener7) run(stop <-chan struct{}) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	<-stop
}

func (l *listener7) size() int {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return len(l.pending)
}

func Serve7() {
	l := &listener7{}
	stop := make(chan struct{})
	go l.run(stop)
	go func() {
		_ = l.size()
		close(stop)
	}()
}

// The deferred close waits for the lock on one path only: the other
// returns without taking it.
type listener8 struct {
	mu      sync.Mutex
	pending []int
}

func (l *listener8) run(stop <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	<-stop
}

func ServeDeferred(reset bool) {
	l := &listener8{}
	stop := make(chan struct{})
	go l.run(stop)
	defer close(stop)
	if reset {
		l.mu.Lock()
		l.pending = nil
		l.mu.Unlock()
	}
}
