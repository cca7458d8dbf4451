package protocol

import "time"

// A stop channel that Stop forgot to close: the loop's only way out
// never fires.
type ticker struct {
	quit  chan struct{}
	beats chan int
}

func newTicker() *ticker {
	t := &ticker{quit: make(chan struct{}), beats: make(chan int, 1)}
	go t.run()
	return t
}

func (t *ticker) stopping() <-chan struct{} { return t.quit }

func (t *ticker) run() {
	for {
		select {
		case <-t.stopping(): // want `goroutine leaks: run's loop can only end on this case, and nothing sends on or closes ticker.quit, so the loop never ends; close ticker.quit where the owner is stopped`
			return
		case n := <-t.beats:
			_ = n
		default:
			time.Sleep(time.Millisecond)
		}
	}
}

func (t *ticker) beat() {
	select {
	case t.beats <- 1:
	default:
	}
}

func (t *ticker) Stop() {} // forgot close(t.quit)

// Quiet twin: Stop closes it.
type stoppable struct{ quit chan struct{} }

func newStoppable() *stoppable {
	s := &stoppable{quit: make(chan struct{})}
	go s.run()
	return s
}

func (s *stoppable) run() {
	for {
		select {
		case <-s.quit:
			return
		default:
			time.Sleep(time.Millisecond)
		}
	}
}

func (s *stoppable) Stop() { close(s.quit) }

// Quiet twin: the loop also ends on a timeout.
type patient struct {
	quit chan struct{}
	in   chan int
}

func (p *patient) run() {
	for {
		select {
		case <-p.quit:
			return
		case <-p.in:
		case <-time.After(time.Minute):
			return
		}
	}
}

func (p *patient) put() { p.in <- 1 }

// Quiet twin: the case on the dead channel is not the way out.
type unused struct {
	quit chan struct{}
	in   chan int
}

func (u *unused) run() {
	for {
		select {
		case <-u.quit:
		case v, ok := <-u.in:
			if !ok {
				return
			}
			_ = v
		}
	}
}

func (u *unused) put(v int) { u.in <- v }
func (u *unused) end()      { close(u.in) }
