package protocol

import "time"

// A request loop that returns on quit: a Get after Close blocks forever.
type server struct {
	reqs chan chan int
	quit chan struct{}
}

func newServer() *server {
	s := &server{reqs: make(chan chan int), quit: make(chan struct{})}
	go s.loop()
	return s
}

func (s *server) loop() {
	for {
		select {
		case reply := <-s.reqs:
			reply <- 1
		case <-s.quit:
			return
		}
	}
}

func (s *server) Get() int {
	reply := make(chan int, 1)
	s.reqs <- reply // want `goroutine leaks: this send on server.reqs blocks forever once loop has returned on its case <-s.quit \(line 22\), since nothing else receives from server.reqs; select on that case's channel \(or one closed when loop returns\) here too`
	return <-reply
}

func (s *server) Close() { close(s.quit) }

// Quiet twin: the sender gives up with the loop.
type guarded struct {
	reqs chan chan int
	quit chan struct{}
}

func newGuarded() *guarded {
	s := &guarded{reqs: make(chan chan int), quit: make(chan struct{})}
	go s.loop()
	return s
}

func (s *guarded) loop() {
	for {
		select {
		case reply := <-s.reqs:
			reply <- 1
		case <-s.quit:
			return
		}
	}
}

func (s *guarded) Get() int {
	reply := make(chan int, 1)
	select {
	case s.reqs <- reply:
	case <-s.quit:
		return 0
	}
	return <-reply
}

func (s *guarded) Close() { close(s.quit) }

// A producer that polls its stop channel, then sends blocking: if the
// consumer sees stop first, the producer's next send blocks forever.
type pump struct {
	events chan int
	stop   chan struct{}
}

func newPump() *pump { return &pump{events: make(chan int), stop: make(chan struct{})} }

func (p *pump) start() {
	go func() { // want `goroutine leaks: its send on pump.events \(line 87\) blocks forever once consume has returned on its case <-p.stop \(line 97\), since nothing else receives from pump.events; select on that case's channel \(or one closed when consume returns\) in the send too`
		for {
			select {
			case <-p.stop:
				return
			default:
				p.events <- 1
			}
		}
	}()
}

func (p *pump) consume() {
	for {
		select {
		case <-p.events:
		case <-p.stop:
			return
		}
	}
}

func (p *pump) halt() { close(p.stop) }

// Quiet twin: the loop returns on the producer's own done signal, which
// it closes after its last send (here in the goroutine that calls it).
type batch struct {
	items chan int
	done  chan struct{}
}

func newBatch(xs []int) *batch {
	b := &batch{items: make(chan int), done: make(chan struct{})}
	go func() {
		b.produce(xs)
		close(b.done)
	}()
	return b
}

func (b *batch) produce(xs []int) {
	for _, x := range xs {
		b.items <- x
	}
}

func (b *batch) collect() (n int) {
	for {
		select {
		case x := <-b.items:
			n += x
		case <-b.done:
			return n
		}
	}
}

// Quiet twin: a worker that idles out on a timer may be restarted.
type idler struct{ work chan int }

func newIdler() *idler { return &idler{work: make(chan int)} }

func (w *idler) run() {
	for {
		select {
		case <-w.work:
		case <-time.After(time.Second):
			return
		}
	}
}

func (w *idler) submit(x int) { w.work <- x }

// Quiet twin: the stop case does not return; the loop keeps receiving.
type looper struct {
	in    chan int
	flush chan struct{}
}

func newLooper() *looper { return &looper{in: make(chan int), flush: make(chan struct{})} }

func (l *looper) run() {
	for {
		select {
		case <-l.in:
		case <-l.flush:
		}
	}
}

func (l *looper) put(x int)          { l.in <- x }
func (l *looper) kick()              { l.flush <- struct{}{} }
func (l *looper) end() chan struct{} { return nil }
