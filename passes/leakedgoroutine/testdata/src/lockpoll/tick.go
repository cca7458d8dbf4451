package lockpoll

import (
	"sync"
	"time"
)

// A batcher whose loop, on each tick, flushes under the owner's lock
// through a callback kept in a field; its input channel holds one item,
// and items come from goroutines started in a loop while the owner's lock
// is held.
type batcher struct {
	items   chan int
	pending map[int]bool
	flushFn func(int)
}

func newBatcher(flush func(int)) *batcher {
	b := &batcher{items: make(chan int, 1), pending: make(map[int]bool), flushFn: flush}
	go b.run()
	return b
}

func (b *batcher) run() {
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case it := <-b.items:
			b.pending[it] = true
		case <-tick.C:
			for it := range b.pending {
				b.flushFn(it)
				delete(b.pending, it)
			}
		}
	}
}

func (b *batcher) add(it int) {
	b.items <- it // want `goroutine leaks: this send on batcher.items holds o.mu \(held by its caller record, line \d+\), and its only receiver, run, selects on batcher.items \(line \d+\) and takes o.mu on a tick of tick.C \(line \d+\): once the receiver waits for o.mu, the send never completes once the buffer is full; unlock o.mu before sending`
}

type owner struct {
	mu    sync.Mutex
	b     *batcher
	total int
}

type recorder interface{ record(int) }

func (o *owner) record(it int) {
	o.mu.Lock()
	o.total++
	o.b.add(it)
	o.mu.Unlock()
}

func flusher(o *owner) func(int) {
	return func(int) {
		o.mu.Lock()
		defer o.mu.Unlock()
		o.total--
	}
}

func RunBatch() {
	o := &owner{}
	o.b = newBatcher(flusher(o))
	var r recorder = o
	for i := 0; i < 3; i++ {
		go func() { r.record(i) }()
	}
}

// ---- quiet twins ----

// One item only, into a buffer of one: the send never waits.
type batcher2 struct {
	items   chan int
	pending map[int]bool
	flushFn func(int)
}

func newBatcher2(flush func(int)) *batcher2 {
	b := &batcher2{items: make(chan int, 1), pending: make(map[int]bool), flushFn: flush}
	go b.run()
	return b
}

func (b *batcher2) run() {
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case it := <-b.items:
			b.pending[it] = true
		case <-tick.C:
			for it := range b.pending {
				b.flushFn(it)
				delete(b.pending, it)
			}
		}
	}
}

func (b *batcher2) add(it int) { b.items <- it }

type owner2 struct {
	mu    sync.Mutex
	b     *batcher2
	total int
}

func (o *owner2) record(it int) {
	o.mu.Lock()
	o.b.add(it)
	o.mu.Unlock()
}

func RunBatch2() {
	o := &owner2{}
	o.b = newBatcher2(func(int) {
		o.mu.Lock()
		o.total--
		o.mu.Unlock()
	})
	go o.record(1)
}

// The callback comes from outside the package: what it locks is not
// known.
type batcher3 struct {
	items   chan int
	flushFn func(int)
}

func NewBatcher3(flush func(int)) *batcher3 {
	b := &batcher3{items: make(chan int), flushFn: flush}
	go b.run()
	return b
}

func (b *batcher3) run() {
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-b.items:
		case <-tick.C:
			b.flushFn(0)
		}
	}
}

type owner3 struct {
	mu sync.Mutex
	b  *batcher3
}

func (o *owner3) record(it int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.b.items <- it
}

func (o *owner3) flush(int) {
	o.mu.Lock()
	defer o.mu.Unlock()
}

func RunBatch3(o *owner3) { go o.record(1) }

// The other case waits for a channel that need not fire: the loop may
// stay on the receive.
type batcher4 struct {
	items chan int
	kick  chan struct{}
	o     *owner4
}

type owner4 struct {
	mu sync.Mutex
	b  *batcher4
}

func (b *batcher4) run() {
	for {
		select {
		case <-b.items:
		case <-b.kick:
			b.o.mu.Lock()
			b.o.mu.Unlock()
		}
	}
}

func (o *owner4) record(it int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.b.items <- it
}

func RunBatch4() {
	o := &owner4{}
	o.b = &batcher4{items: make(chan int), kick: make(chan struct{}), o: o}
	go o.b.run()
	go o.record(1)
	o.b.kick <- struct{}{}
}
