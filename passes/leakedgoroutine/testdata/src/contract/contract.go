// Package contract: a Start that spawns a loop only a stop channel ends,
// and callers that own the value and return without stopping it.
package contract

import "os"

// pump forwards jobs until quit is signalled (pointer receiver, stopped
// by a send).
type pump struct {
	jobs chan int
	quit chan struct{}
	out  []int
}

func (p *pump) Run() {
	go func() {
		for {
			select {
			case j := <-p.jobs:
				p.out = append(p.out, j)
			case <-p.quit:
				return
			}
		}
	}()
}

func (p *pump) Close() { p.quit <- struct{}{} }

func (p *pump) Push(j int) {
	select {
	case p.jobs <- j:
	case <-p.quit:
	}
}

func runPump(js []int) {
	p := &pump{jobs: make(chan int), quit: make(chan struct{})}
	p.Run() // want `goroutine leaks: p.Run\(\) starts a goroutine \(line 16\) that ends only when p.quit is closed or sent on; runPump returns at line 43 without that, and nothing else can reach p: call p.Close\(\) on every path`
	for _, j := range js {
		p.Push(j)
	}
}

// ticker is a value type stopped by a close, like a worker copied around.
type ticker struct {
	beat chan int
	done chan struct{}
}

func (t ticker) Start() {
	go t.loop()
}

func (t ticker) loop() {
	for {
		select {
		case <-t.beat:
		case <-t.done:
			return
		}
	}
}

func (t ticker) Stop() { close(t.done) }

// Stop is called on the success path only.
func earlyError(fail bool) error {
	t := ticker{beat: make(chan int), done: make(chan struct{})}
	t.Start() // want `goroutine leaks: t.Start\(\) starts a goroutine \(line 52\) that ends only when t.done is closed or sent on; earlyError returns at line 72`
	if fail {
		return os.ErrInvalid
	}
	t.Stop()
	return nil
}

// ---- quiet twins ----

func deferred() {
	t := ticker{beat: make(chan int), done: make(chan struct{})}
	t.Start()
	defer t.Stop()
}

func everyPath(fail bool) error {
	t := ticker{beat: make(chan int), done: make(chan struct{})}
	t.Start()
	if fail {
		t.Stop()
		return os.ErrInvalid
	}
	t.Stop()
	return nil
}

func stopInGoroutine() {
	t := ticker{beat: make(chan int), done: make(chan struct{})}
	t.Start()
	go func() { t.Stop() }()
}

// The caller gets it: it may stop it.
func returned() *pump {
	p := &pump{jobs: make(chan int), quit: make(chan struct{})}
	p.Run()
	return p
}

var global *pump

func stored() {
	p := &pump{jobs: make(chan int), quit: make(chan struct{})}
	p.Run()
	global = p
}

type closer interface{ Close() }

func asInterface(keep func(closer)) {
	p := &pump{jobs: make(chan int), quit: make(chan struct{})}
	p.Run()
	keep(p)
}

func methodValue(onExit func(func())) {
	p := &pump{jobs: make(chan int), quit: make(chan struct{})}
	p.Run()
	onExit(p.Close)
}

// The stop channel is the caller's: the caller may close it.
func foreignStop(done chan struct{}) {
	t := ticker{beat: make(chan int), done: done}
	t.Start()
}

// The stop channel is also held in a local that closes it.
func sharedStop() {
	done := make(chan struct{})
	t := ticker{beat: make(chan int), done: done}
	t.Start()
	close(done)
}

// The stop channel value is handed to a helper that closes it.
func handedStop() {
	t := ticker{beat: make(chan int), done: make(chan struct{})}
	t.Start()
	closeLater(t.done)
}

func closeLater(ch chan struct{}) { close(ch) }

// A method replaces the stop channel with the caller's.
func (t *ticker) reset(ch chan struct{}) { t.done = ch }

func replaced(ext chan struct{}) {
	t := &ticker{beat: make(chan int), done: make(chan struct{})}
	t.reset(ext)
	t.Start()
}

// The function closes the stop field itself.
func closesItself() {
	t := ticker{beat: make(chan int), done: make(chan struct{})}
	t.Start()
	close(t.done)
}

// A path that exits the process, through a helper that never returns.
func exits(fail bool) {
	t := ticker{beat: make(chan int), done: make(chan struct{})}
	t.Start()
	if fail {
		die()
		return
	}
	t.Stop()
}

func die() { os.Exit(1) }

// drain's loop also ends when its work channel is closed.
type drain struct {
	in   chan int
	done chan struct{}
}

func (d *drain) Start() {
	go func() {
		for {
			select {
			case _, ok := <-d.in:
				if !ok {
					return
				}
			case <-d.done:
				return
			}
		}
	}()
}

func (d *drain) Stop() { close(d.done) }

func closesWork() {
	d := &drain{in: make(chan int), done: make(chan struct{})}
	d.Start()
	close(d.in)
}

// guard's loop panics on a bad value: it has another way out.
type guard struct {
	in   chan int
	done chan struct{}
}

func (g *guard) Start() {
	go func() {
		for {
			select {
			case v := <-g.in:
				if v < 0 {
					panic("negative")
				}
			case <-g.done:
				return
			}
		}
	}()
}

func (g *guard) Stop() { close(g.done) }

func panics() {
	g := &guard{in: make(chan int), done: make(chan struct{})}
	g.Start()
}

// self stops itself on a zero value.
type self struct {
	in   chan int
	done chan struct{}
}

func (s *self) Start() {
	go func() {
		for {
			select {
			case v := <-s.in:
				if v == 0 {
					close(s.done)
				}
			case <-s.done:
				return
			}
		}
	}()
}

func stopsItself() {
	s := &self{in: make(chan int), done: make(chan struct{})}
	s.Start()
}

// The whole value, stop channel included, comes from elsewhere.
func makeTicker(done chan struct{}) ticker { return ticker{beat: make(chan int), done: done} }

func (t *ticker) touch() {}

func madeElsewhere(done chan struct{}) {
	t := makeTicker(done)
	t.touch()
	t.Start()
}

// A value whose address is taken is a copy of the literal's variable.
func copied() {
	t := ticker{beat: make(chan int), done: make(chan struct{})}
	t.touch()
	t.Start() // want `goroutine leaks: t.Start\(\) starts a goroutine \(line 52\) that ends only when t.done is closed or sent on; copied returns at line 283`
}

// A variable assigned from itself (its single store copies its own value)
// is no copy of another literal: the owner search stops there (it looped
// forever on github.com/google/uuid) and the owner is p itself.
func selfAssigned() {
	var p pump
	p = p
	q := &p
	q.Run() // want `goroutine leaks: q.Run\(\) starts a goroutine \(line 16\) that ends only when q.quit is closed or sent on; selfAssigned returns`
}
