package locking

import "sync"

type stats struct {
	mu    sync.Mutex
	n     int
	calls int
	other int
	m     map[string]int
}

func (s *stats) Add() {
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
}

// Reported: s.n is guarded by s.mu elsewhere.
func (s *stats) Reset() {
	s.n-- // want `unsynchronized decrement of s.n: s.mu is held for s.n at locking.go:15; hold s.mu here too`
}

// Reported: the method locks s.mu for other fields but not for calls.
func (s *stats) Do(k string) {
	s.calls++ // want `unsynchronized increment of s.calls: s.mu guards other fields in Do but is not held for s.calls; hold s.mu here too`
	s.mu.Lock()
	s.m[k] = 1
	s.mu.Unlock()
}

// Reported: a map field guarded elsewhere.
func (s *stats) Bump(k string) {
	s.m[k]++ // want `unsynchronized increment of map element s.m\[k\]: s.mu is held for s.m at locking.go:28; concurrent map writes are a fatal runtime error: hold s.mu here too`
}

// Quiet: defer unlock.
func (s *stats) Deferred() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
}

func (s *stats) lock()   { s.mu.Lock() }
func (s *stats) unlock() { s.mu.Unlock() }

// Quiet: the lock is taken by a helper.
func (s *stats) Helper() {
	s.lock()
	s.n++
	s.unlock()
}

// Quiet: every caller holds s.mu.
func (s *stats) incLocked() {
	s.n++
}

func (s *stats) Caller() {
	s.mu.Lock()
	s.incLocked()
	s.mu.Unlock()
}

// Quiet: a value under construction.
func New() *stats {
	s := &stats{m: map[string]int{}}
	s.n++
	return s
}

// Quiet: fields never accessed under the mutex.
func (s *stats) Other() { s.other++ }

type embedded struct {
	sync.Mutex
	n int
}

// Quiet: the embedded mutex is held.
func (e *embedded) Inc() {
	e.Lock()
	e.n++
	e.Unlock()
}

// Reported: the embedded mutex is held for e.n elsewhere.
func (e *embedded) Dec() {
	e.n-- // want `unsynchronized decrement of e.n: e.Mutex is held for e.n at locking.go:83; hold e.Mutex here too`
}

type rw struct {
	mu sync.RWMutex
	n  int
}

func (r *rw) Get() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.n
}

// Reported: a read lock does not exclude other readers that also write.
func (r *rw) Touch() {
	r.mu.RLock()
	r.n++ // want `unsynchronized increment of r.n: r.mu is held for r.n at locking.go:100; hold r.mu here too`
	r.mu.RUnlock()
}

// Quiet: the write lock is held.
func (r *rw) Set() {
	r.mu.Lock()
	r.n++
	r.mu.Unlock()
}

type withLocker struct {
	l sync.Locker
	n int
}

// Quiet: a sync.Locker is held.
func (w *withLocker) Inc() {
	w.l.Lock()
	w.n++
	w.l.Unlock()
}

// Reported: w.l is held for w.n elsewhere.
func (w *withLocker) Dec() {
	w.n-- // want `unsynchronized decrement of w.n: w.l is held for w.n at locking.go:125`
}

// spin is a lock of its own kind, built on a sync.Mutex: its methods'
// summaries say what they do to the lock.
type spin struct{ mu sync.Mutex }

func (s *spin) RWLock(read bool) bool   { s.mu.Lock(); return true }
func (s *spin) RWUnlock(read bool) bool { s.mu.Unlock(); return true }

type guarded struct {
	mu spin
	n  int
}

// Quiet: a lock of another kind, known by its summary.
func (g *guarded) Inc() {
	g.mu.RWLock(false)
	g.n++
	g.mu.RWUnlock(false)
}

func (g *guarded) Get() int {
	g.mu.RWLock(true)
	defer g.mu.RWUnlock(true)
	return g.n
}

// Not reported (a limit): the mutex held is g.mu.mu, a field of g.mu,
// not a mutex of g's own struct; only those guard g's fields.
func (g *guarded) Dec() {
	g.n--
}

// Quiet: goroutines of a loop update count under a lock of another kind.
func customLock(n int) {
	var mu spin
	count := 0
	for range n {
		go func() {
			mu.RWLock(false)
			count++
			mu.RWUnlock(false)
		}()
	}
}

// A lock only by name is no lock: exact names or summaries decide.
type fake struct{ state int32 }

func (f *fake) Lock()   {}
func (f *fake) Unlock() {}

// Reported: fake.Lock does nothing to any mutex.
func fakeLock(n int) {
	var mu fake
	count := 0
	for range n {
		go func() {
			mu.Lock()
			count++ // want `unsynchronized increment of count \(shared by the goroutines started in a loop at locking.go:189\)`
			mu.Unlock()
		}()
	}
}

type owned struct {
	mu       sync.Mutex
	parent   *owned
	duration int
}

// Quiet: duration belongs to its owner's goroutine; the one access under
// a lock (of the parent chain) is the exception, not the rule.
func (o *owned) run() {
	o.duration++
	o.duration += 2
	for p := o.parent; p != nil; p = p.parent {
		p.mu.Lock()
		p.duration++
		p.mu.Unlock()
	}
	o.duration *= 2
}

type runner struct {
	mu       sync.Mutex
	done     bool
	duration int
}

func (r *runner) start() { r.duration = 0 }

// Quiet: duration is touched unlocked in several functions: it belongs to
// the runner's goroutine, whatever run locks for done.
func (r *runner) run() {
	r.duration++
	r.mu.Lock()
	r.done = true
	r.mu.Unlock()
}
