package synccb

import (
	"iter"
	"sync"
)

type set struct{ m map[string]bool }

// iterFast calls f for every key before it returns.
func (s *set) iterFast(f func(string) bool) {
	for k := range s.m {
		if !f(k) {
			return
		}
	}
}

// onAdd keeps f, to call it when a key is added later.
func (s *set) onAdd(f func(string)) {
	go func() {
		for k := range s.m {
			f(k)
		}
	}()
}

type store struct {
	mu    sync.Mutex
	keys  *set
	seen  int
	added int
}

func (st *store) reset() {
	st.mu.Lock()
	st.seen = 0
	st.added = 0
	st.mu.Unlock()
}

// Quiet: the callback runs before iterFast returns, under st.mu.
func (st *store) count() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.keys.iterFast(func(k string) bool {
		st.seen++
		return true
	})
}

// Reported: onAdd runs the callback on a goroutine of its own, without st.mu.
func (st *store) watch() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.keys.onAdd(func(k string) {
		st.added++ // want `unsynchronized increment of st.added`
	})
}

type node struct {
	mu      sync.Mutex
	applied int
	log     []int
}

func (n *node) last() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.applied
}

// Quiet: the deferred closure runs before the deferred Unlock, with the
// lock held.
func (n *node) apply(e int) {
	n.mu.Lock()
	defer n.mu.Unlock()
	defer func() {
		n.applied++
	}()
	n.log = append(n.log, e)
}

// Reported: deferred before the lock is taken, it runs after the Unlock.
func (n *node) applyLate(e int) {
	defer func() {
		n.applied++ // want `unsynchronized increment of n.applied: n.mu is held for n.applied at synccb.go:70`
	}()
	n.mu.Lock()
	defer n.mu.Unlock()
	n.log = append(n.log, e)
}

type ipQueue struct {
	mu     sync.Mutex
	elts   []int
	popped int
}

func (q *ipQueue) all() iter.Seq[int] {
	return func(yield func(int) bool) {
		for _, e := range q.elts {
			if !yield(e) {
				return
			}
		}
	}
}

func (q *ipQueue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.elts) - q.popped
}

// Quiet: the body of a range over a function runs on the caller's
// goroutine, under q.mu.
func (q *ipQueue) drain() {
	q.mu.Lock()
	defer q.mu.Unlock()
	for range q.all() {
		q.popped++
	}
}

// Reported: the same loop without the lock.
func (q *ipQueue) drainUnlocked() {
	for range q.all() {
		q.popped++ // want `unsynchronized increment of q.popped: q.mu is held for q.popped at synccb.go:113`
	}
}
