package atomicpath

import (
	"sync"
	"sync/atomic"
)

type stats struct {
	sync.Mutex
	inMsgs  int64
	outMsgs int64
}

type account struct {
	stats stats
}

type client struct {
	stats stats
}

// The client's counters are read atomically, from any goroutine.
func (c *client) load() int64 { return atomic.LoadInt64(&c.stats.inMsgs) }

// Quiet: an account's counters are another path than a client's, and the
// account holds its own lock.
func (a *account) add(n int64) {
	a.stats.Lock()
	a.stats.inMsgs += n
	a.stats.Unlock()
}

// Quiet: another path, with no lock either: nothing touches an account's
// inMsgs atomically.
func (a *account) addUnlocked(n int64) {
	a.stats.outMsgs += n
}

// Reported: the same path as load.
func (c *client) add(n int64) {
	c.stats.inMsgs += n // want `unsynchronized increment of c.stats.inMsgs: it is also accessed with atomic.LoadInt64 at atomicpath.go:23`
}

type cache struct {
	mu   sync.RWMutex
	hits int64
	miss int64
}

// Quiet: every atomic access holds the read lock and the plain update
// holds the write lock, which excludes them.
func (c *cache) get() int64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	atomic.AddInt64(&c.miss, 1)
	return atomic.LoadInt64(&c.hits)
}

func (c *cache) reset() {
	c.mu.Lock()
	c.hits += 10
	c.mu.Unlock()
}

type gauge struct {
	mu   sync.RWMutex
	seen int64
}

func (g *gauge) peek() int64 {
	g.mu.RLock()
	defer g.mu.RUnlock()
	return atomic.LoadInt64(&g.seen)
}

// Reported: a read lock does not exclude the atomic reader's read lock.
func (g *gauge) bump() {
	g.mu.RLock()
	g.seen++ // want `unsynchronized increment of g.seen: it is also accessed with atomic.LoadInt64 at atomicpath.go:73`
	g.mu.RUnlock()
}

type queue struct {
	pending int32
	jobs    chan int
}

// Reported: workers decrement pending atomically while the producer adds
// to it with a plain +=.
func (q *queue) run(batches [][]int) {
	for range 4 {
		go func() {
			for range q.jobs {
				atomic.AddInt32(&q.pending, -1)
			}
		}()
	}
	for _, b := range batches {
		q.pending += int32(len(b)) // want `unsynchronized increment of q.pending: it is also accessed with atomic.AddInt32 at atomicpath.go:94`
		for _, j := range b {
			q.jobs <- j
		}
	}
}

type pool struct {
	pending int32
	jobs    chan int
}

// Quiet: the producer adds atomically too.
func (p *pool) run(batches [][]int) {
	for range 4 {
		go func() {
			for range p.jobs {
				atomic.AddInt32(&p.pending, -1)
			}
		}()
	}
	for _, b := range batches {
		atomic.AddInt32(&p.pending, int32(len(b)))
		for _, j := range b {
			p.jobs <- j
		}
	}
}
