// Package lockwaitlocal: a receive from a local channel made holding a
// lock that every signal of the channel waits for first.
package lockwaitlocal

import "sync"

type listener struct {
	mu      sync.Mutex
	pending []int
}

// run keeps l.mu until stop is closed.
func (l *listener) run(stop <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pending = nil
	<-stop // want `goroutine leaks: this receive from stop waits holding l.mu, but Serve closes stop \(line 23\) only after receiving from locked \(line 30\), which Serve's closure signals only after locking l.mu \(line 27\), so neither can move; unlock l.mu before waiting`
}

func Serve() {
	l := &listener{}
	stop := make(chan struct{})
	defer close(stop)
	go l.run(stop)
	locked := make(chan struct{})
	go func() {
		l.mu.Lock()
		close(locked)
	}()
	<-locked
	l.mu.Unlock()
}

// The signaler locks first itself.
func ServeDirect() {
	l := &listener{}
	stop := make(chan struct{})
	go func() {
		l.mu.Lock()
		l.pending = append(l.pending, 1)
		l.mu.Unlock()
		close(stop)
	}()
	l.mu.Lock()
	<-stop // want `goroutine leaks: this receive from stop waits holding l.mu, but ServeDirect's closure closes stop \(line 42\) only after locking l.mu \(line 39\), so neither can move; unlock l.mu before waiting`
	l.mu.Unlock()
}

// ---- quiet twins ----

// The fix: run lets go of the lock before it waits.
type listener2 struct {
	mu      sync.Mutex
	pending []int
}

func (l *listener2) run(stop <-chan struct{}) {
	l.mu.Lock()
	l.pending = nil
	l.mu.Unlock()
	<-stop
}

func Serve2() {
	l := &listener2{}
	stop := make(chan struct{})
	defer close(stop)
	go l.run(stop)
	locked := make(chan struct{})
	go func() {
		l.mu.Lock()
		close(locked)
	}()
	<-locked
	l.mu.Unlock()
}

// The closer signals before it waits for the goroutine taking the lock.
type listener3 struct {
	mu      sync.Mutex
	pending []int
}

func (l *listener3) run(stop <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	<-stop
}

func Serve3() {
	l := &listener3{}
	stop := make(chan struct{})
	go l.run(stop)
	locked := make(chan struct{})
	go func() {
		l.mu.Lock()
		close(locked)
	}()
	close(stop)
	<-locked
	l.mu.Unlock()
}

// Read locks on both sides do not block each other.
type listener4 struct {
	mu      sync.RWMutex
	pending []int
}

func (l *listener4) run(stop <-chan struct{}) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	<-stop
}

func Serve4() {
	l := &listener4{}
	stop := make(chan struct{})
	defer close(stop)
	go l.run(stop)
	locked := make(chan struct{})
	go func() {
		l.mu.RLock()
		close(locked)
		l.mu.RUnlock()
	}()
	<-locked
}
