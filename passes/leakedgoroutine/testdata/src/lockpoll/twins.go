package lockpoll

import (
	"sync"
	"testing"
	"time"
)

// Each case here is pinned: switching off the check it names makes it
// fail. The shape is service4's: reconfigure sends on quit holding mu,
// watch polls quit and takes mu otherwise.

// The poller takes a read lock; the sender holds the write lock, which
// the read lock waits for.
type rwService struct {
	mu    sync.RWMutex
	quit  chan struct{}
	state int
}

func (s *rwService) watch() {
	for {
		select {
		case <-s.quit:
			return
		default:
			s.mu.RLock()
			_ = s.state
			s.mu.RUnlock()
		}
	}
}

func (s *rwService) reconfigure() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.quit <- struct{}{} // want `goroutine leaks: this send on rwService.quit holds s.mu, and its only receiver, watch, selects on rwService.quit \(line \d+\) and takes s.mu when its poll finds nothing`
}

func UseRW() {
	s := &rwService{quit: make(chan struct{})}
	go s.watch()
	go s.reconfigure()
}

// RunParallel runs its body in several goroutines at once: each sends
// once holding mu on a buffer of one, so the second send waits, holding
// mu, while the poller waits for mu.
type parallelSends struct {
	mu    sync.Mutex
	items chan int
	state int
}

func (s *parallelSends) watch() {
	for {
		select {
		case _, ok := <-s.items:
			if !ok {
				return
			}
		default:
			s.mu.Lock()
			s.state++
			s.mu.Unlock()
		}
	}
}

func BenchmarkParallelSends(b *testing.B) {
	s := &parallelSends{items: make(chan int, 1)}
	go s.watch()
	b.RunParallel(func(pb *testing.PB) {
		s.mu.Lock()
		s.items <- 1 // want `goroutine leaks: this send on parallelSends.items holds s.mu, .* once the buffer is full`
		s.mu.Unlock()
	})
}

// ---- quiet twins ----

// quietShape is the poller and the locked sender; each twin below makes
// it quiet another way.
type quietShape struct {
	mu    sync.Mutex
	quit  chan struct{}
	state int
}

func (s *quietShape) watch() {
	for {
		select {
		case <-s.quit:
			return
		default:
			s.mu.Lock()
			s.state++
			s.mu.Unlock()
		}
	}
}

func (s *quietShape) reconfigure() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.quit <- struct{}{}
}

// Both sides take read locks: neither waits for the other.
type readers struct {
	mu    sync.RWMutex
	quit  chan struct{}
	state int
}

func (s *readers) watch() {
	for {
		select {
		case <-s.quit:
			return
		default:
			s.mu.RLock()
			_ = s.state
			s.mu.RUnlock()
		}
	}
}

func (s *readers) reconfigure() {
	s.mu.RLock()
	defer s.mu.RUnlock()
	s.quit <- struct{}{}
}

func UseReaders() {
	s := &readers{quit: make(chan struct{})}
	go s.watch()
	go s.reconfigure()
}

// The channel may be one made outside the package: its receivers are not
// all here.
type foreignQuit struct{ quietShape }

func (s *foreignQuit) SetQuit(q chan struct{}) { s.quit = q }

func UseForeign() *foreignQuit {
	s := &foreignQuit{quietShape{quit: make(chan struct{})}}
	go s.watch()
	go s.reconfigure()
	return s
}

// A plain receive elsewhere may take the send.
type drained struct {
	mu    sync.Mutex
	quit  chan struct{}
	state int
}

func (s *drained) watch() {
	for {
		select {
		case <-s.quit:
			return
		default:
			s.mu.Lock()
			s.state++
			s.mu.Unlock()
		}
	}
}

func (s *drained) drain() { <-s.quit }

func (s *drained) reconfigure() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.quit <- struct{}{}
}

func UseDrained() {
	s := &drained{quit: make(chan struct{})}
	go s.watch()
	go s.drain()
	go s.reconfigure()
}

// A buffer of a size we do not know may hold every send.
type sized struct {
	mu    sync.Mutex
	quit  chan struct{}
	state int
}

func (s *sized) watch() {
	for {
		select {
		case <-s.quit:
			return
		default:
			s.mu.Lock()
			s.state++
			s.mu.Unlock()
		}
	}
}

func (s *sized) reconfigure() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.quit <- struct{}{}
}

func NewSized(n int) *sized {
	s := &sized{quit: make(chan struct{}, n)}
	go s.watch()
	go s.reconfigure()
	return s
}

// The sender checks for room first (len): a buffer used as a counter.
type counted struct {
	mu    sync.Mutex
	quit  chan struct{}
	state int
}

func (s *counted) watch() {
	for {
		select {
		case <-s.quit:
			return
		default:
			s.mu.Lock()
			s.state++
			s.mu.Unlock()
		}
	}
}

func (s *counted) reconfigure() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range 3 {
		if len(s.quit) < cap(s.quit) {
			s.quit <- struct{}{}
		}
	}
}

func UseCounted() {
	s := &counted{quit: make(chan struct{}, 1)}
	go s.watch()
	go s.reconfigure()
}

// A second receiver, a select that takes no lock, may take the send.
type twoReceivers struct {
	mu    sync.Mutex
	quit  chan struct{}
	work  chan int
	state int
}

func (s *twoReceivers) watch() {
	for {
		select {
		case <-s.quit:
			return
		default:
			s.mu.Lock()
			s.state++
			s.mu.Unlock()
		}
	}
}

func (s *twoReceivers) serve() {
	for {
		select {
		case <-s.quit:
			return
		case n := <-s.work:
			_ = n
		}
	}
}

func (s *twoReceivers) reconfigure() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.quit <- struct{}{}
}

func UseTwo() {
	s := &twoReceivers{quit: make(chan struct{}), work: make(chan int)}
	go s.watch()
	go s.serve()
	go s.reconfigure()
}

// A poll that also ticks: its default takes no lock and spins back to
// the select, where the pending send is as ready as the tick (only a
// select whose one other way is the tick is counted).
type pollTick struct {
	mu    sync.Mutex
	quit  chan struct{}
	tick  *time.Ticker
	state int
}

func (s *pollTick) watch() {
	for {
		select {
		case <-s.quit:
			return
		case <-s.tick.C:
			s.mu.Lock()
			s.state++
			s.mu.Unlock()
		default:
		}
	}
}

func (s *pollTick) reconfigure() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.quit <- struct{}{}
}

func UsePollTick() {
	s := &pollTick{quit: make(chan struct{}), tick: time.NewTicker(time.Second)}
	go s.watch()
	go s.reconfigure()
}

// Both sides take read locks, the poller through a func field.
type fnReaders struct {
	mu    sync.RWMutex
	quit  chan struct{}
	check func()
	state int
}

func newFnReaders() *fnReaders {
	s := &fnReaders{quit: make(chan struct{})}
	s.check = func() {
		s.mu.RLock()
		_ = s.state
		s.mu.RUnlock()
	}
	return s
}

func (s *fnReaders) watch() {
	for {
		select {
		case <-s.quit:
			return
		default:
			s.check()
		}
	}
}

func (s *fnReaders) reconfigure() {
	s.mu.RLock()
	defer s.mu.RUnlock()
	s.quit <- struct{}{}
}

func UseFnReaders() {
	s := newFnReaders()
	go s.watch()
	go s.reconfigure()
}

// The receiver polls once, not in a loop: it does not come back to wait
// for the lock again and again.
type pollOnce struct {
	mu    sync.Mutex
	quit  chan struct{}
	state int
}

func (s *pollOnce) check() {
	select {
	case <-s.quit:
		return
	default:
		s.mu.Lock()
		s.state++
		s.mu.Unlock()
	}
}

func (s *pollOnce) reconfigure() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.quit <- struct{}{}
}

func UsePollOnce() {
	s := &pollOnce{quit: make(chan struct{})}
	go s.check()
	go s.reconfigure()
}

// One send on a buffer of one: an interface call of a method of the same
// name, on an interface *single does not implement, is no repetition.
type single struct {
	mu    sync.Mutex
	items chan int
	state int
}

func (s *single) watch() {
	for {
		select {
		case _, ok := <-s.items:
			if !ok {
				return
			}
		default:
			s.mu.Lock()
			s.state++
			s.mu.Unlock()
		}
	}
}

func (s *single) note(n int) {
	s.mu.Lock()
	s.items <- n
	s.mu.Unlock()
}

type namer interface{ note(string) }

func replay(ns []namer) {
	for _, n := range ns {
		n.note("again")
	}
}

func UseSingle() any {
	s := &single{items: make(chan int, 1)}
	go s.watch()
	go s.note(1)
	return s
}

// Each call of kick starts a goroutine that sends holding mu, and kick
// runs in a loop: the sends repeat without bound and fill the buffer.
type kicked struct {
	mu    sync.Mutex
	items chan int
	state int
}

func (s *kicked) watch() {
	for {
		select {
		case _, ok := <-s.items:
			if !ok {
				return
			}
		default:
			s.mu.Lock()
			s.state++
			s.mu.Unlock()
		}
	}
}

func (s *kicked) send(n int) {
	s.mu.Lock()
	s.items <- n // want `goroutine leaks: this send on kicked.items holds s.mu, .* once the buffer is full`
	s.mu.Unlock()
}

func (s *kicked) kick(n int) { go s.send(n) }

func UseKicked() {
	s := &kicked{items: make(chan int, 1)}
	go s.watch()
	for i := range 3 {
		s.kick(i)
	}
}
