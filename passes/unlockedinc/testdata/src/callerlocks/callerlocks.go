package callerlocks

import (
	"sync"
	"time"
)

type gateway struct {
	mu   sync.Mutex
	sent int
	subs map[string]int
}

func (g *gateway) sub(k string) {
	g.mu.Lock()
	g.subs[k]++
	g.sent = 0
	g.mu.Unlock()
}

// Quiet: the closure locks when asked to, and its one caller that does
// not ask holds the lock itself.
func (g *gateway) sendAll(keys []string) {
	send := func(k string, useLock bool) {
		if useLock {
			g.mu.Lock()
		}
		g.sent++
		if useLock {
			g.mu.Unlock()
		}
	}
	send("first", true)
	g.mu.Lock()
	for _, k := range keys {
		send(k, false)
	}
	g.mu.Unlock()
}

// Reported: this caller neither holds the lock nor asks for it.
func (g *gateway) sendEach(keys []string) {
	send := func(k string, useLock bool) {
		if useLock {
			g.mu.Lock()
		}
		g.sent++ // want `unsynchronized increment of g.sent: g.mu is held for g.sent at callerlocks.go:17`
		if useLock {
			g.mu.Unlock()
		}
	}
	for _, k := range keys {
		send(k, false)
	}
}

type conn struct {
	mu      sync.Mutex
	pending int
	out     []byte
}

// stalledWait releases the lock while it sleeps, and takes it back before
// it returns.
func (c *conn) stalledWait(d time.Duration) {
	c.mu.Unlock()
	defer c.mu.Lock()
	time.Sleep(d)
}

// waitOut is the same without defer.
func (c *conn) waitOut(d time.Duration) {
	c.mu.Unlock()
	time.Sleep(d)
	c.mu.Lock()
}

// Quiet: the lock is held again when stalledWait and waitOut return.
func (c *conn) flush(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stalledWait(d)
	c.pending++
	c.waitOut(d)
	c.pending--
}

// release unlocks and does not take the lock back.
func (c *conn) release() {
	c.out = c.out[:0]
	c.mu.Unlock()
}

// Reported: release returns with the lock released.
func (c *conn) write(b []byte) {
	c.mu.Lock()
	c.out = append(c.out, b...)
	c.release()
	c.pending++ // want `unsynchronized increment of c.pending: c.mu is held for c.pending at callerlocks.go:83`
}

type table struct {
	mu    sync.Mutex
	count int
}

func (t *table) set() {
	t.mu.Lock()
	t.count = 1
	t.mu.Unlock()
}

// Reported: TryLock may fail, and the update runs either way.
func (t *table) try() {
	if t.mu.TryLock() {
		defer t.mu.Unlock()
	}
	t.count++ // want `unsynchronized increment of t.count: t.mu is held for t.count at callerlocks.go:109`
}

// Quiet: the update runs only when TryLock succeeded.
func (t *table) tryOnly() {
	if !t.mu.TryLock() {
		return
	}
	defer t.mu.Unlock()
	t.count++
}

type hub struct{ gw *gateway }

// Quiet: bumpIn locks unless its caller says it holds the lock, and the
// caller that says so holds h.gw.mu, bumpIn's g.mu.
func bumpIn(g *gateway, locked bool) {
	if !locked {
		g.mu.Lock()
	}
	g.sent++
	if !locked {
		g.mu.Unlock()
	}
}

func (h *hub) run() {
	bumpIn(h.gw, false)
	h.gw.mu.Lock()
	bumpIn(h.gw, true)
	h.gw.mu.Unlock()
}

type stream struct {
	mu    sync.Mutex
	seq   int
	hooks []func()
}

// The only access under the lock is in a method whose receiver a closure
// captures (kept in a cell): the lock and the field are still both s's.
func (s *stream) store() {
	s.mu.Lock()
	s.seq++
	s.hooks = append(s.hooks, func() { _ = len(s.hooks) })
	s.mu.Unlock()
}

// Reported: the guard's one locked access is in store.
func (s *stream) skip() {
	s.seq++ // want `unsynchronized increment of s.seq: s.mu is held for s.seq at callerlocks.go:161`
}

// Quiet: bumpIn's shape where a closure captures the caller's h (a
// cell): the caller's h.gw.mu is still bumpIn's g.mu.
func (h *hub) runCaptured() {
	f := func() { _ = h.gw }
	f()
	bumpIn(h.gw, false)
	h.gw.mu.Lock()
	bumpIn(h.gw, true)
	h.gw.mu.Unlock()
}

type relay struct {
	mu sync.Mutex
	pb int
}

func (r *relay) reset() {
	r.mu.Lock()
	r.pb = 0
	r.mu.Unlock()
}

// Quiet: every chain to queue holds r.mu, one through a closure that
// locks when asked to and is called by another closure.
func (r *relay) queue()   { r.pb++ }
func (r *relay) enqueue() { r.queue() }

func (r *relay) switchAll() {
	send := func(useLock bool) {
		if useLock {
			r.mu.Lock()
		}
		r.enqueue()
		if useLock {
			r.mu.Unlock()
		}
	}
	r.mu.Lock()
	send(false)
	r.mu.Unlock()
	go func() { send(true) }()
}

// Reported: the same chain with one caller that neither holds nor asks.
func (r *relay) queue2()   { r.pb-- } // want `unsynchronized decrement of r.pb: r.mu is held for r.pb at callerlocks.go:189`
func (r *relay) enqueue2() { r.queue2() }

func (r *relay) switchAll2() {
	send := func(useLock bool) {
		if useLock {
			r.mu.Lock()
		}
		r.enqueue2()
		if useLock {
			r.mu.Unlock()
		}
	}
	send(false)
	go func() { send(true) }()
}
