package blocks

import (
	"sync"
	"sync/atomic"
)

// A store of blocks, each with its own lock; the store's lock guards the
// store's counters.
type store struct {
	mu     sync.Mutex
	blocks []*block
	total  int
}

type block struct {
	mu    sync.Mutex
	msgs  int
	loads int
}

func (b *block) count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.loads++
	return b.msgs
}

func (b *block) Loads() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.loads
}

func (b *block) ResetLoads() {
	b.mu.Lock()
	b.loads = 0
	b.mu.Unlock()
}

// Lock should be held.
func (b *block) load() {
	b.loads++
}

// Quiet: the closure is called with the block it is given locked, so the
// block's method it calls runs under the block's lock.
func (s *store) expire() {
	drop := func(b *block) {
		b.load()
	}
	for _, b := range s.blocks {
		b.mu.Lock()
		drop(b)
		b.mu.Unlock()
	}
}

// Lock should be held.
func (b *block) reload() {
	b.loads++ // want `unsynchronized increment of b.loads: b.mu is held for b.loads at blocks.go:25; hold b.mu here too`
}

// Reported: one call of the closure passes a block nobody locked.
func (s *store) expireSome() {
	drop := func(b *block) {
		b.reload()
	}
	s.blocks[0].mu.Lock()
	drop(s.blocks[0])
	s.blocks[0].mu.Unlock()
	drop(s.blocks[1])
}

func (s *store) reset() {
	s.mu.Lock()
	s.total = 0
	s.mu.Unlock()
}

// More accesses under s.mu: s.total is guarded by it whichever updates
// below count as unlocked.
func (s *store) Total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}

func (s *store) Add(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.total += n
}

func (s *store) Set(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.total = n
}

// A set of sequence numbers whose every implementation calls its
// callback before it returns.
type seqs interface{ each(func(uint64) bool) }

type seqList []uint64

func (l seqList) each(f func(uint64) bool) {
	for _, x := range l {
		if !f(x) {
			return
		}
	}
}

type seqRange struct{ first, last uint64 }

func (r *seqRange) each(f func(uint64) bool) {
	for x := r.first; x <= r.last; x++ {
		if !f(x) {
			return
		}
	}
}

// Quiet: the callback runs before each returns, under s.mu.
func (s *store) drop(ds []seqs) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range ds {
		d.each(func(uint64) bool {
			s.total--
			return true
		})
	}
}

// One implementation keeps the callback for later.
type hooks interface{ on(func()) }

type hookList struct{ fs []func() }

func (h *hookList) on(f func()) { h.fs = append(h.fs, f) }

type hookNow struct{}

func (hookNow) on(f func()) { f() }

// Reported: the callback may run later, without s.mu.
func (s *store) hook(h hooks) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h.on(func() {
		s.total-- // want `unsynchronized decrement of s.total: s.mu is held for s.total at blocks.go:77; hold s.mu here too`
	})
}

// Lock should be held.
func (s *store) forget() {
	s.total-- // quiet: every caller holds s.mu, or has remove take it
}

// remove takes s.mu itself when asked to, through closures.
func (s *store) remove(needLock bool) {
	lock := func() {
		if needLock {
			s.mu.Lock()
		}
	}
	unlock := func() {
		if needLock {
			s.mu.Unlock()
		}
	}
	lock()
	defer unlock()
	s.forget()
}

func (s *store) Remove() { s.remove(true) }

func (s *store) removeLocked() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.remove(false)
}

// Lock should be held.
func (s *store) forgetAll() {
	s.total = s.total - 1 // want `unsynchronized decrement of s.total: s.mu is held for s.total at blocks.go:77; hold s.mu here too`
}

func (s *store) removeAll(needLock bool) {
	lock := func() {
		if needLock {
			s.mu.Lock()
		}
	}
	lock()
	s.forgetAll()
	if needLock {
		s.mu.Unlock()
	}
}

// Reported: this caller neither holds s.mu nor asks for it.
func (s *store) RemoveAll() { s.removeAll(false) }

func (s *store) RemoveAllLocked() { s.removeAll(true) }

// Counting subscribers: the local ones first, then the replies a
// handler adds atomically. The handler does not exist while the local
// count is taken.
func (s *store) countSubs(local []int, replies chan func(int32)) int32 {
	var n int32
	for range local {
		n++
	}
	replies <- func(k int32) { atomic.AddInt32(&n, k) }
	return atomic.LoadInt32(&n)
}

// Reported: the handler exists, and may run, when the count is updated.
func (s *store) countSubsLate(local []int, replies chan func(int32)) int32 {
	var n int32
	replies <- func(k int32) { atomic.AddInt32(&n, k) }
	for range local {
		n++ // want `unsynchronized increment of n: it is also accessed with atomic.AddInt32 at blocks.go:\d+, and no lock orders the two; use sync/atomic for every access`
	}
	return atomic.LoadInt32(&n)
}

// Reported: in a loop, the handler of the previous round exists.
func (s *store) countSubsLoop(rounds [][]int, replies chan func(int32)) {
	for _, local := range rounds {
		var n int32
		for range local {
			n++ // want `unsynchronized increment of n: it is also accessed with atomic.AddInt32 at blocks.go:\d+, and no lock orders the two; use sync/atomic for every access`
		}
		replies <- func(k int32) { atomic.AddInt32(&n, k) }
	}
}
