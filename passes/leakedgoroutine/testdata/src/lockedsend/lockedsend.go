// Package lockedsend: a send made while holding the lock its receiver
// takes before receiving.
package lockedsend

import "sync"

type event int

type bus struct{ handlers []func(event) }

func (b *bus) on(h func(event)) { b.handlers = append(b.handlers, h) }

func (b *bus) run(e event) {
	for _, h := range b.handlers {
		h(e)
	}
}

// The handler sends under mu; the waiter locks mu before receiving.
func waitHandled(b *bus) {
	var mu sync.Mutex
	handled := make(chan bool)
	b.on(func(e event) {
		mu.Lock()
		defer mu.Unlock()
		handled <- true // want `goroutine leaks: this send on handled holds mu, which waitHandled takes \(line 30\) before it receives from handled \(line 32\): once it waits for mu, neither goroutine can go on; unlock mu before sending`
	})
	go b.run(1)

	mu.Lock()
	mu.Unlock()
	<-handled
}

// The receiver takes the lock after each receive; two senders.
type status struct {
	mu      sync.Mutex
	updates chan bool
	n       int
}

func newStatus() *status { return &status{updates: make(chan bool)} }

func (s *status) set() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.updates <- true // want `goroutine leaks: this send on s.updates holds s.mu, which sync takes \(line 55\) after each receive, before its next one from s.updates \(line 54\)`
}

func (s *status) bump() { s.mu.Lock(); s.n++; s.mu.Unlock() }

func (s *status) sync() {
	for i := 0; i < 2; i++ {
		<-s.updates
		s.bump()
	}
}

func runStatus() {
	s := newStatus()
	go s.sync()
	go s.set()
	go s.set()
}

// The sender method also has a closure capturing its receiver, so s is
// a heap cell its code reads: the channel's path and the held lock's path
// must still name the same s.
type cellStatus struct {
	mu      sync.Mutex
	updates chan bool
	n       int
}

func (s *cellStatus) set() {
	s.mu.Lock()
	defer s.mu.Unlock()
	count := func() { s.n++ }
	count()
	s.updates <- true // want `goroutine leaks: this send on s.updates holds s.mu, which sync takes`
}

func (s *cellStatus) bump() { s.mu.Lock(); s.n++; s.mu.Unlock() }

func (s *cellStatus) sync() {
	for i := 0; i < 2; i++ {
		<-s.updates
		s.bump()
	}
}

func runCellStatus() {
	s := &cellStatus{updates: make(chan bool)}
	go s.sync()
	go s.set()
	go s.set()
}

// The lock is the spawner's parameter, captured by the sending closure.
func paramLock(mu *sync.Mutex) {
	ch := make(chan bool)
	go func() {
		mu.Lock()
		defer mu.Unlock()
		ch <- true // want `goroutine leaks: this send on ch holds mu`
	}()
	mu.Lock()
	mu.Unlock()
	<-ch
}

// ---- quiet twins ----

// paramLock's twin: the closure unlocks the parameter's mutex first.
func paramLockUnlocked(mu *sync.Mutex) {
	ch := make(chan bool)
	go func() {
		mu.Lock()
		mu.Unlock()
		ch <- true
	}()
	mu.Lock()
	mu.Unlock()
	<-ch
}

// cellStatus's twin: the sender unlocks before sending.
type cellStatusUnlocked struct {
	mu      sync.Mutex
	updates chan bool
	n       int
}

func (s *cellStatusUnlocked) set() {
	s.mu.Lock()
	count := func() { s.n++ }
	count()
	s.mu.Unlock()
	s.updates <- true
}

func (s *cellStatusUnlocked) bump() { s.mu.Lock(); s.n++; s.mu.Unlock() }

func (s *cellStatusUnlocked) sync() {
	for i := 0; i < 2; i++ {
		<-s.updates
		s.bump()
	}
}

func runCellStatusUnlocked() {
	s := &cellStatusUnlocked{updates: make(chan bool)}
	go s.sync()
	go s.set()
	go s.set()
}

// The lock is released before the send.
func unlockFirst(b *bus) {
	var mu sync.Mutex
	done := make(chan bool)
	b.on(func(e event) {
		mu.Lock()
		mu.Unlock()
		done <- true
	})
	go b.run(1)
	mu.Lock()
	mu.Unlock()
	<-done
}

// The receiver takes the lock on one path only.
func somePath(b *bus, check bool) {
	var mu sync.Mutex
	done := make(chan bool)
	b.on(func(e event) {
		mu.Lock()
		defer mu.Unlock()
		done <- true
	})
	go b.run(1)
	if check {
		mu.Lock()
		mu.Unlock()
	}
	<-done
}

// Another receiver takes no lock.
func twoReceivers(b *bus) {
	var mu sync.Mutex
	done := make(chan bool)
	b.on(func(e event) {
		mu.Lock()
		defer mu.Unlock()
		done <- true
	})
	go b.run(1)
	go func() { <-done }()
	mu.Lock()
	mu.Unlock()
	<-done
}

// Another receiver selects on it with another case, without the lock.
func selected(b *bus, quit chan struct{}) {
	var mu sync.Mutex
	done := make(chan bool)
	b.on(func(e event) {
		mu.Lock()
		defer mu.Unlock()
		done <- true
	})
	go b.run(1)
	go func() {
		select {
		case <-done:
		case <-quit:
		}
	}()
	mu.Lock()
	mu.Unlock()
	<-done
}

// The channel is handed to code that may receive without the lock.
func handed(b *bus, keep func(chan bool)) {
	var mu sync.Mutex
	done := make(chan bool)
	b.on(func(e event) {
		mu.Lock()
		defer mu.Unlock()
		done <- true
	})
	keep(done)
	go b.run(1)
	mu.Lock()
	mu.Unlock()
	<-done
}

// Likewise as an interface.
func asAny(b *bus, keep func(any)) {
	var mu sync.Mutex
	done := make(chan bool)
	b.on(func(e event) {
		mu.Lock()
		defer mu.Unlock()
		done <- true
	})
	keep(done)
	go b.run(1)
	mu.Lock()
	mu.Unlock()
	<-done
}

// Or sent on a channel.
func sentOn(b *bus, out chan chan bool) {
	var mu sync.Mutex
	done := make(chan bool)
	b.on(func(e event) {
		mu.Lock()
		defer mu.Unlock()
		done <- true
	})
	out <- done
	go b.run(1)
	mu.Lock()
	mu.Unlock()
	<-done
}

var kept chan bool

// Or stored where others find it.
func storedChan(b *bus) {
	var mu sync.Mutex
	done := make(chan bool)
	b.on(func(e event) {
		mu.Lock()
		defer mu.Unlock()
		done <- true
	})
	kept = done
	go b.run(1)
	mu.Lock()
	mu.Unlock()
	<-done
}

// A field channel handed out: importers may receive.
type feed struct {
	mu  sync.Mutex
	out chan int
}

func (f *feed) C() <-chan int { return f.out }

func (f *feed) push(v int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.out <- v
}

func (f *feed) drain() {
	for {
		f.mu.Lock()
		f.mu.Unlock()
		<-f.out
	}
}

// An exported channel field: importers may receive.
type Pub struct {
	mu  sync.Mutex
	Out chan int
}

func (p *Pub) push(v int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.Out <- v
}

func (p *Pub) drain() {
	for {
		p.mu.Lock()
		p.mu.Unlock()
		<-p.Out
	}
}

// The lock belongs to another value than the channel.
type pair struct {
	mu sync.Mutex
	ch chan int
}

func (p *pair) sendVia(o *pair) {
	o.mu.Lock()
	defer o.mu.Unlock()
	p.ch <- 1
}

func (p *pair) recv() {
	p.mu.Lock()
	p.mu.Unlock()
	<-p.ch
}

// Read locks on both sides do not exclude each other.
type readers struct {
	mu sync.RWMutex
	ch chan int
}

func (r *readers) send() {
	r.mu.RLock()
	defer r.mu.RUnlock()
	r.ch <- 1
}

func (r *readers) recv() {
	r.mu.RLock()
	r.mu.RUnlock()
	<-r.ch
}

// The receiver locks after its receive but receives once only.
type once struct {
	mu sync.Mutex
	ch chan bool
	n  int
}

func (o *once) set() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.ch <- true
}

func (o *once) wait() {
	<-o.ch
	o.mu.Lock()
	o.n++
	o.mu.Unlock()
}

func runOnce() {
	o := &once{ch: make(chan bool)}
	go o.wait()
	go o.set()
	go o.set()
}

// The receiver loops but only one send can happen.
type single struct {
	mu sync.Mutex
	ch chan bool
	n  int
}

func (s *single) set() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ch <- true
}

func (s *single) loop() {
	for {
		<-s.ch
		s.mu.Lock()
		s.n++
		enough := s.n > 10
		s.mu.Unlock()
		if enough {
			return
		}
	}
}

func runSingle() {
	s := &single{ch: make(chan bool)}
	go s.loop()
	go s.set()
}

// The receiver locks another value's lock than the one the channel
// belongs to.
type peer struct {
	mu sync.Mutex
	ch chan int
}

func (p *peer) send() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ch <- 1
}

func (p *peer) recvVia(q *peer) {
	q.mu.Lock()
	q.mu.Unlock()
	<-p.ch
}

// The channel is buffered: the send does not wait for the receiver
// (sync TestCondSignalGenerations: make(chan bool, n) for n senders).
func buffered(b *bus) {
	var mu sync.Mutex
	handled := make(chan bool, 1)
	b.on(func(e event) {
		mu.Lock()
		defer mu.Unlock()
		handled <- true
	})
	go b.run(1)
	mu.Lock()
	mu.Unlock()
	<-handled
}

// A field made buffered: the sends need not wait for the receiver.
type bufStatus struct {
	mu      sync.Mutex
	updates chan bool
	n       int
}

func (s *bufStatus) set() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.updates <- true
}

func (s *bufStatus) bump() { s.mu.Lock(); s.n++; s.mu.Unlock() }

func (s *bufStatus) sync() {
	for i := 0; i < 2; i++ {
		<-s.updates
		s.bump()
	}
}

func runBufStatus() {
	s := &bufStatus{updates: make(chan bool, 2)}
	go s.sync()
	go s.set()
	go s.set()
}

// Each iteration makes its own lock and channel and starts one sender:
// the locked send happens once per channel, and the receiver's lock after
// the receive waits for no second locked send (sync
// TestCondSignalStealing).
func perIteration() {
	for i := 0; i < 10; i++ {
		var mu sync.Mutex
		ch := make(chan bool)
		go func() {
			mu.Lock()
			ch <- true
			mu.Unlock()
			ch <- true
		}()
		<-ch
		mu.Lock()
		mu.Unlock()
		<-ch
	}
}

// The same with the channel made once, outside the loop: the goroutines
// of two iterations send on one channel, and the second one's locked
// send can wait, holding mu, for the receiver waiting for mu.
func sharedAcross() {
	var mu sync.Mutex
	ch := make(chan bool)
	for i := 0; i < 10; i++ {
		go func() {
			mu.Lock()
			ch <- true // want `goroutine leaks: this send on ch holds mu, which sharedAcross takes \(line \d+\) after each receive`
			mu.Unlock()
		}()
		<-ch
		mu.Lock()
		mu.Unlock()
	}
}
