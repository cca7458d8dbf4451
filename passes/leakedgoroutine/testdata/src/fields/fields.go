// Package fields holds channels in struct fields that only this package
// can reach, with one side of the channel missing everywhere.
package fields

import "time"

// A stopper whose quit channel nothing ever closes: waiting on it through
// the accessor blocks forever.
type stopper struct{ quit chan struct{} }

func newStopper() *stopper { return &stopper{quit: make(chan struct{})} }

func (s *stopper) stopping() <-chan struct{} { return s.quit }

func (s *stopper) wait() {
	<-s.stopping() // want `goroutine leaks: this receive from stopper.quit blocks forever: nothing sends on or closes stopper.quit`
}

// Quiet twin: Stop closes it.
type closer struct{ quit chan struct{} }

func newCloser() *closer { return &closer{quit: make(chan struct{})} }

func (c *closer) wait() { <-c.quit }

func (c *closer) Stop() { close(c.quit) }

// Quiet twin: the channel is closed through a local copy and a closure.
type viaLocal struct{ quit chan struct{} }

func newViaLocal() *viaLocal {
	q := make(chan struct{})
	v := &viaLocal{quit: q}
	stop := func() { close(q) }
	time.AfterFunc(time.Second, stop)
	return v
}

func (v *viaLocal) wait() { <-v.quit }

// A result channel nothing receives from.
type watch struct {
	results chan int
	errs    chan error
}

func startWatch() *watch {
	w := &watch{results: make(chan int), errs: make(chan error, 1)}
	go w.run()
	return w
}

func (w *watch) run() {
	if err := <-w.errs; err != nil {
		w.results <- 1 // want `goroutine leaks: this send on watch.results blocks forever: nothing receives from watch.results`
	}
}

func (w *watch) Stop() { w.errs <- nil }

// Quiet twin: the channel is handed out receive-only; callers receive.
type feed struct{ out chan int }

func newFeed() *feed {
	f := &feed{out: make(chan int)}
	go f.run()
	return f
}

func (f *feed) run() { f.out <- 1 }

func (f *feed) Results() <-chan int { return f.out }

// Quiet twin: a buffered channel nobody receives from, used as a counter.
type slots struct{ used chan struct{} }

func newSlots() *slots { return &slots{used: make(chan struct{}, 8)} }

func (s *slots) take() int {
	s.used <- struct{}{}
	return len(s.used)
}

// Only non-blocking sends on an unbuffered wakeup channel: a kick that
// comes before the sleeper waits is lost.
type waker struct{ wake chan struct{} }

func newWaker() *waker { return &waker{wake: make(chan struct{})} }

func (w *waker) sleep() {
	<-w.wake // want `goroutine leaks: this receive from waker.wake can block forever: the only sends on waker.wake are non-blocking \(line 96\), so one that runs before the receive is dropped; give waker.wake a buffer of 1`
}

func (w *waker) kick() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Quiet twin: a buffer of 1 keeps the wakeup.
type bufWaker struct{ wake chan struct{} }

func newBufWaker() *bufWaker { return &bufWaker{wake: make(chan struct{}, 1)} }

func (w *bufWaker) sleep() { <-w.wake }

func (w *bufWaker) kick() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Quiet twin: the sleeper waits in a loop, so a later kick still comes.
type loopWaker struct{ wake chan struct{} }

func newLoopWaker() *loopWaker { return &loopWaker{wake: make(chan struct{})} }

func (w *loopWaker) run() {
	for {
		<-w.wake
	}
}

func (w *loopWaker) kick() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Quiet twin: an exported field of a library package; importers may send.
type Public struct{ C chan int }

func NewPublic() *Public { return &Public{C: make(chan int)} }

func (p *Public) wait() { <-p.C }

// Quiet twin: handed to a function value, which may close it.
type handed struct{ ch chan int }

func newHanded() *handed { return &handed{ch: make(chan int)} }

func (h *handed) wait() { <-h.ch }

func (h *handed) give(f func(chan int)) { f(h.ch) }

// Quiet twin: the field holds a channel made by the caller.
type given struct{ ch chan int }

func newGiven(ch chan int) *given { return &given{ch: ch} }

func (g *given) wait() { <-g.ch }

// A field never assigned: a nil channel blocks forever.
type never struct{ ch chan int }

func (n *never) wait() {
	<-n.ch // want `goroutine leaks: this receive from never.ch blocks forever: nothing sends on or closes never.ch \(never.ch is never assigned a channel: it is nil\)`
}

// Quiet twin: a select with another case does not block on it alone.
func (n *never) poll() {
	select {
	case <-n.ch:
	case <-time.After(time.Second):
	}
}

// Generic types: one field for every instance.
type box[T any] struct{ out chan T }

func newBox[T any]() *box[T] { return &box[T]{out: make(chan T)} }

func (b *box[T]) put(v T) {
	b.out <- v // want `goroutine leaks: this send on box.out blocks forever: nothing receives from box.out`
}

func useBox() { newBox[int]().put(1) }

// Quiet twin: the channel is made in a composite literal and closed by a
// defer, both in a closure of a package variable's initializer (a test
// suite's var _ = describe(func() { ... })): the package initializer's
// closures are users of the field too.
type gate struct{ release chan struct{} }

func (g *gate) wait() { <-g.release }

func describe(string, func()) bool { return true }

var _ = describe("gate", func() {
	g := &gate{release: make(chan struct{})}
	defer close(g.release)
	go g.wait()
})

// Quiet twin: a package variable's channel is made, buffered, by the
// package initializer; its one send fits the buffer.
type latch struct{ fired chan struct{} }

var startup = &latch{fired: make(chan struct{}, 1)}

func fire() { startup.fired <- struct{}{} }

// A buffer size given by the constructor's only caller: unbuffered.
type relay struct{ out chan int }

func newRelay(size int) *relay {
	r := &relay{out: make(chan int, size)}
	go r.run()
	return r
}

func (r *relay) run() {
	r.out <- 1 // want `goroutine leaks: this send on relay.out blocks forever: nothing receives from relay.out`
}

func useRelay() { _ = newRelay(0) }

// Quiet twin: a caller gives it a buffer, so the send may complete.
type bufRelay struct{ out chan int }

func newBufRelay(size int) *bufRelay {
	r := &bufRelay{out: make(chan int, size)}
	go r.run()
	return r
}

func (r *bufRelay) run() { r.out <- 1 }

func useBufRelay() {
	_ = newBufRelay(0)
	_ = newBufRelay(4)
}
