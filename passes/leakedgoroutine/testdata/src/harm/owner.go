// Package harm holds the harmful classes of unjoined goroutines (issue
// 17), each with its joined or guarded twin. The test runs it with
// -leakedgoroutine.strict=false: only the harmful classes are reported.
package harm

import (
	"context"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

type child struct{ n int }

func (c *child) kick()  { c.n++ }
func (c *child) Close() {}

// The lazy-balancer shape: a constructor hands out a callback that
// starts a method on a goroutine; the method builds a child under the
// lock; Close releases the child under the same lock but neither waits
// for the goroutine nor marks the balancer closed, so the goroutine can
// build a child after Close that nothing ever closes.
type lazy struct {
	mu    sync.Mutex
	child *child
	kicks int
}

func newLazy(register func(func())) *lazy {
	l := &lazy{}
	register(sync.OnceFunc(func() {
		go l.wake() // want `goroutine outlives its owner: it uses lazy.child \(line \d+\), which \(\*lazy\).Close releases, but Close neither waits for it nor stops it`
	}))
	return l
}

func (l *lazy) wake() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.child != nil {
		l.child.kick()
		return
	}
	l.child = &child{}
	l.kicks++
}

func (l *lazy) Close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.child != nil {
		l.child.Close()
		l.child = nil
	}
}

// Guarded twin: Close sets a closed flag under the lock, and the
// goroutine checks it under the same lock before building the child.
type guardedLazy struct {
	mu     sync.Mutex
	closed bool
	child  *child
}

func newGuardedLazy(register func(func())) *guardedLazy {
	l := &guardedLazy{}
	register(func() { go l.wake() })
	return l
}

func (l *guardedLazy) wake() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return
	}
	if l.child == nil {
		l.child = &child{}
	}
}

func (l *guardedLazy) Close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	if l.child != nil {
		l.child.Close()
		l.child = nil
	}
}

// Joined twin: the goroutine is started with the owner's WaitGroup and
// Close waits for it.
type joinedLazy struct {
	mu    sync.Mutex
	wg    sync.WaitGroup
	child *child
}

func (l *joinedLazy) Wake() {
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		l.mu.Lock()
		l.child = &child{}
		l.mu.Unlock()
	}()
}

func (l *joinedLazy) Close() {
	l.wg.Wait()
	l.mu.Lock()
	l.child = nil
	l.mu.Unlock()
}

// Stopped twin: a stop-channel loop Close closes.
type poller struct {
	quit  chan struct{}
	state map[string]int
}

func (p *poller) Start() {
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-p.quit:
				return
			case <-t.C:
				p.state["ticks"]++
			}
		}
	}()
}

func (p *poller) Stop() {
	close(p.quit)
	p.state = nil
}

// Stopped twin: a context Close cancels.
type watcher struct {
	ctx    context.Context
	cancel context.CancelFunc
	seen   int
}

func (w *watcher) Run() {
	go func() {
		for w.ctx.Err() == nil {
			w.seen++
			time.Sleep(time.Millisecond)
		}
	}()
}

func (w *watcher) Close() {
	w.cancel()
	w.seen = 0
}

// Stopped twin: a read loop ends when Close closes its conn.
type reader struct {
	conn net.Conn
	buf  []byte
}

func (r *reader) Start() {
	go func() {
		for {
			if _, err := r.conn.Read(r.buf); err != nil {
				return
			}
		}
	}()
}

func (r *reader) Close() { r.conn.Close() }

// Not the owner class: the goroutine touches nothing Close releases.
type counter struct {
	conn net.Conn
	hits int
}

func (c *counter) Bump() {
	go func() { c.hits++ }()
}

func (c *counter) Close() { c.conn.Close() }

// Stopped twin: a signal loop in a closure that selects on the owner's
// quit channel, which Shutdown closes after resetting state. Shutdown
// starts a goroutine of its own that captures s, so SSA keeps s in a
// heap cell and s.quitCh is a load through it (nats server.go Shutdown).
type server struct {
	mu      sync.Mutex
	quitCh  chan struct{}
	clients map[int]int
	down    atomic.Bool
}

func (s *server) handle(sig int) {
	if sig == 15 {
		s.Shutdown() // the loop may shut its owner down itself
		return
	}
	s.mu.Lock()
	s.clients[sig]++
	s.mu.Unlock()
}

func (s *server) handleSignals() {
	c := make(chan int, 1)
	go func() {
		for {
			select {
			case sig := <-c:
				s.handle(sig)
			case <-s.quitCh:
				return
			}
		}
	}()
}

func (s *server) Shutdown() {
	if !s.down.CompareAndSwap(false, true) {
		return
	}
	s.mu.Lock()
	s.clients = nil
	s.mu.Unlock()
	done := make(chan struct{})
	go func() {
		s.mu.Lock() // waits for the handlers holding it
		s.mu.Unlock()
		close(done)
	}()
	<-done
	close(s.quitCh)
}

// Not the owner class: Close closes the client the goroutine pings but
// does not reset it; the goroutine gets the closed client's errors.
type node struct {
	client net.Conn
	lat    int
}

func (n *node) probe() {
	go func() {
		for i := 0; i < 3; i++ {
			if _, err := n.client.Write(nil); err == nil {
				n.lat++
			}
		}
	}()
}

func (n *node) Close() error { return n.client.Close() }

// A server that blocks until it is shut down.
type httpServer struct{ addr string }

func (h *httpServer) ListenAndServe() error { return nil }
func (h *httpServer) Shutdown() error       { return nil }

// Stopped twin: the goroutine blocks on a server the spawner also stored
// in the owner; Shutdown shuts that field's server down, which ends the
// goroutine (moby libnetwork/diagnostic/server.go).
type diag struct {
	mu     sync.Mutex
	enable bool
	srv    *httpServer
}

func (s *diag) Enable(addr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	srv := &httpServer{addr: addr}
	s.srv = srv
	s.enable = true
	go func(n *diag) {
		if err := srv.ListenAndServe(); err != nil {
			n.mu.Lock()
			defer n.mu.Unlock()
			n.enable = false
		}
	}(s)
}

func (s *diag) Shutdown() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		s.srv.Shutdown()
		s.srv = nil
	}
	s.enable = false
}

// Outlives its owner: the same goroutine, but Shutdown leaves the server
// running.
type leakyDiag struct {
	mu     sync.Mutex
	enable bool
	srv    *httpServer
}

func (s *leakyDiag) Enable(addr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	srv := &httpServer{addr: addr}
	s.srv = srv
	s.enable = true
	go func(n *leakyDiag) { // want `goroutine outlives its owner: it uses leakyDiag.enable`
		if err := srv.ListenAndServe(); err != nil {
			n.mu.Lock()
			defer n.mu.Unlock()
			n.enable = false
		}
	}(s)
}

func (s *leakyDiag) Shutdown() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.enable = false
}

// Stopped twin: the goroutine blocks on the owner's server field itself,
// which Shutdown shuts down.
type fieldDiag struct {
	mu     sync.Mutex
	enable bool
	srv    *httpServer
}

func (s *fieldDiag) Enable(addr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.srv = &httpServer{addr: addr}
	s.enable = true
	go func() {
		if err := s.srv.ListenAndServe(); err != nil {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.enable = false
		}
	}()
}

func (s *fieldDiag) Shutdown() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.srv.Shutdown()
	s.enable = false
}

// An event fires once; Done's channel is closed when it has.
type event struct{ c chan struct{} }

func (e *event) Fire()                 { close(e.c) }
func (e *event) Done() <-chan struct{} { return e.c }

// Stopped twin: the loop selects on a channel a method of the owner's
// event returns, and Close fires the event (grpc priority/balancer.go).
type priority struct {
	mu      sync.Mutex
	done    *event
	updates chan string
	inUse   string
}

func newPriority() *priority {
	b := &priority{done: &event{c: make(chan struct{})}, updates: make(chan string)}
	go b.run()
	return b
}

func (b *priority) run() {
	for {
		select {
		case u := <-b.updates:
			b.mu.Lock()
			b.inUse = u
			b.mu.Unlock()
		case <-b.done.Done():
			return
		}
	}
}

func (b *priority) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done.Fire()
	b.inUse = ""
}

type sysInfo struct{ sent int }

// Stopped twin: Shutdown resets a pointer field to nil under the lock,
// and the goroutine checks it under the same lock before using it: the
// nil is its closed flag (nats Server.sys).
type events struct {
	mu  sync.Mutex
	sys *sysInfo
}

func (s *events) Notify() {
	go s.send()
}

func (s *events) send() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sys == nil {
		return
	}
	s.sys.sent++
}

func (s *events) Shutdown() {
	s.mu.Lock()
	s.sys = nil
	s.mu.Unlock()
}

// Stopped twin: the closed flag is read in a helper that every caller
// calls under the owner's lock (moby nodeRunner.enableReconnectWatcher).
type runner struct {
	mu       sync.Mutex
	stopped  bool
	restarts int
}

func (n *runner) Watch() {
	go func() {
		n.mu.Lock()
		n.maybeRestart()
		n.mu.Unlock()
	}()
}

// maybeRestart: n.mu must be held.
func (n *runner) maybeRestart() {
	if n.stopped {
		return
	}
	n.restarts++
}

func (n *runner) Stop() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.stopped = true
	n.restarts = 0
}

// Not the owner class: the goroutine is a teardown, it closes its owner
// itself (sarama safeAsyncClose).
type broker struct {
	mu   sync.Mutex
	conn net.Conn
}

func (b *broker) connected() bool { return b.conn != nil }

func (b *broker) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.conn = nil
	return nil
}

func asyncClose(b *broker) {
	go func() {
		if b.connected() {
			b.Close()
		}
	}()
}

// Stopped twin: the nil check is in a "lock held" helper that not every
// caller calls under the lock (Enabled), but the goroutine's way to it
// does (nats eventsEnabled).
type bus struct {
	mu   sync.Mutex
	sys  *sysInfo
	sent int
}

// enabled: s.mu should be held.
func (s *bus) enabled() bool { return s.sys != nil }

func (s *bus) Enabled() bool { return s.enabled() }

func (s *bus) Publish() { go s.publish() }

func (s *bus) publish() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.enabled() {
		return
	}
	s.sent++
}

func (s *bus) Shutdown() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sys = nil
	s.sent = 0
}

// Stopped twin: a background reader with a state field (running,
// stopping, stopped) under a sync.Cond's lock. Stop moves it to stopping;
// the goroutine checks it under the same lock after each read and moves
// it to stopped itself: a flag it obeys, not state it rebuilds, though it
// writes the field (pgx bgreader).
const (
	readerStopped = iota
	readerRunning
	readerStopping
)

type bgReader struct {
	conn   net.Conn
	cond   *sync.Cond
	status int32
	bufs   [][]byte
}

func (r *bgReader) Start() {
	r.cond.L.Lock()
	defer r.cond.L.Unlock()
	if r.status == readerStopped {
		r.status = readerRunning
		go r.read()
	}
}

func (r *bgReader) Stop() {
	r.cond.L.Lock()
	defer r.cond.L.Unlock()
	if r.status == readerRunning {
		r.status = readerStopping
	}
}

func (r *bgReader) read() {
	for more := true; more; {
		buf := make([]byte, 512)
		n, err := r.conn.Read(buf)
		r.cond.L.Lock()
		r.bufs = append(r.bufs, buf[:n])
		if r.status == readerStopping || err != nil {
			r.status = readerStopped
			more = false
		}
		r.cond.L.Unlock()
		r.cond.Broadcast()
	}
}

// Outlives its owner: the same reader, but the goroutine checks the state
// without the lock Stop sets it under, so it can miss Stop and keep
// appending after it.
type racyReader struct {
	conn   net.Conn
	mu     sync.Mutex
	status int32
	bufs   [][]byte
}

func (r *racyReader) Start() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.status == readerStopped {
		r.status = readerRunning
		go r.read() // want `goroutine outlives its owner: it uses racyReader.bufs`
	}
}

func (r *racyReader) Stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.status = readerStopping
	r.bufs = nil
}

func (r *racyReader) read() {
	for more := true; more; {
		buf := make([]byte, 512)
		n, err := r.conn.Read(buf)
		r.bufs = append(r.bufs, buf[:n])
		if r.status == readerStopping || err != nil {
			r.status = readerStopped
			more = false
		}
	}
}

// Stopped twin: Close runs the state hook, and a helper both Close and
// the goroutine call sets the hook's running flag under the lock; the
// goroutine runs the hook again only while that helper says the state
// changed (std net/http ClientConn.maybeRunStateHook): a flag both obey,
// not state Close releases.
type hookConn struct {
	mu      sync.Mutex
	conn    *child
	hook    func(*hookConn)
	running bool
	last    int
}

func (c *hookConn) Close() {
	defer c.maybeRunHook()
	c.conn.Close()
}

func (c *hookConn) shouldRun(stop bool) func(*hookConn) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if stop {
		c.running = false
	}
	if c.hook == nil || c.running {
		return nil
	}
	var hook func(*hookConn)
	if n := c.conn.n; n != c.last {
		hook = c.hook
		c.running = true
		c.last = n
	}
	return hook
}

func (c *hookConn) maybeRunHook() {
	hook := c.shouldRun(false)
	if hook == nil {
		return
	}
	hook(c)
	if hook = c.shouldRun(true); hook != nil {
		go func() {
			for hook != nil {
				hook(c)
				hook = c.shouldRun(true)
			}
		}()
	}
}
