// Package handedout: a struct pointer returned as an interface while its
// goroutine updates it is reached only through what the interface's
// holder may call.
package handedout

// A Feed is what callers get: they can only call its methods.
type Feed interface {
	Messages() <-chan int
	Close()
}

type feed struct {
	next int
	msgs chan int
	stop chan struct{}
}

func (f *feed) Messages() <-chan int { return f.msgs }
func (f *feed) Close()               { close(f.stop) }

// skip is unexported and asserted nowhere: no holder of a Feed can call it.
func (f *feed) skip() { f.next++ }

func (f *feed) run() {
	for {
		select {
		case <-f.stop:
			return
		case f.msgs <- f.next:
			f.next++
		}
	}
}

// Quiet: the caller gets a Feed, whose methods do not touch next.
func Open() Feed {
	f := &feed{msgs: make(chan int), stop: make(chan struct{})}
	go f.run()
	return f
}

type counter struct {
	n    int
	stop chan struct{}
}

func (c *counter) Close() { close(c.stop) }

// Count is exported: any holder may assert an interface with it.
func (c *counter) Count() int { return c.n }

func (c *counter) run() {
	for {
		select {
		case <-c.stop:
			return
		default:
			c.n++ // want `unsynchronized increment of c.n \(shared with the goroutine started at handedout.go:68\)`
		}
	}
}

type closer interface{ Close() }

// Reported: Count, exported, reads n while run updates it.
func OpenCounter() closer {
	c := &counter{stop: make(chan struct{})}
	go c.run()
	return c
}

type peeker struct {
	n    int
	stop chan struct{}
}

func (p *peeker) Close() { close(p.stop) }

func (p *peeker) run() {
	for {
		select {
		case <-p.stop:
			return
		default:
			p.n++ // want `unsynchronized increment of p.n \(shared with the goroutine started at handedout.go:93\)`
		}
	}
}

// Reported: the package asserts a closer back to *peeker and reads n.
func OpenPeeker() closer {
	p := &peeker{stop: make(chan struct{})}
	go p.run()
	return p
}

func Peek(c closer) int { return c.(*peeker).n }

type sizer struct {
	size int
	stop chan struct{}
}

// length is the interface's own method (unexported), and reads size.
func (s *sizer) length() int { return s.size }
func (s *sizer) Close()      { close(s.stop) }

func (s *sizer) grow() {
	for {
		select {
		case <-s.stop:
			return
		default:
			s.size += 2 // want `unsynchronized increment of s.size \(shared with the goroutine started at handedout.go:127\)`
		}
	}
}

type sizedCloser interface {
	length() int
	Close()
}

// Reported: the caller can call length while grow updates size.
func OpenSizer() sizedCloser {
	s := &sizer{stop: make(chan struct{})}
	go s.grow()
	return s
}

type anyBox struct {
	n    int
	stop chan struct{}
}

func (b *anyBox) run() {
	for {
		select {
		case <-b.stop:
			return
		default:
			b.n++ // want `unsynchronized increment of b.n \(shared with the goroutine started at handedout.go:150\)`
		}
	}
}

// Reported: an interface without methods is read by reflection (fmt, json).
func OpenAny() any {
	b := &anyBox{stop: make(chan struct{})}
	go b.run()
	return b
}

// Gauge is exported with an exported field: another package may assert a
// closer back to *Gauge and read Level.
type Gauge struct {
	Level int
	stop  chan struct{}
}

func (g *Gauge) Close() { close(g.stop) }

func (g *Gauge) run() {
	for {
		select {
		case <-g.stop:
			return
		default:
			g.Level++ // want `unsynchronized increment of g.Level \(shared with the goroutine started at handedout.go:177\)`
		}
	}
}

// Reported: any package may read Level after asserting.
func OpenGauge() closer {
	g := &Gauge{stop: make(chan struct{})}
	go g.run()
	return g
}

type stopper struct{ stop chan struct{} }

func (s *stopper) Close()   { close(s.stop) }
func (s *stopper) Reset()   {}
func (s *stopper) stopped() {}

// tally's Close is promoted from its embedded stopper.
type tally struct {
	stopper
	n int
}

func (t *tally) run() {
	for {
		select {
		case <-t.stop:
			return
		default:
			t.n++ // want `unsynchronized increment of t.n \(shared with the goroutine started at handedout.go:208\)`
		}
	}
}

// Reported: promoted methods are not followed; the whole tally counts as
// reached.
func OpenTally() closer {
	t := &tally{stopper: stopper{stop: make(chan struct{})}}
	go t.run()
	return t
}

type prober struct {
	n    int
	stop chan struct{}
}

func (p *prober) Close()     { close(p.stop) }
func (p *prober) probe() int { return p.n }

func (p *prober) run() {
	for {
		select {
		case <-p.stop:
			return
		default:
			p.n++ // want `unsynchronized increment of p.n \(shared with the goroutine started at handedout.go:235\)`
		}
	}
}

// Reported: the package asserts closers to an interface with probe,
// which reads n.
func OpenProber() closer {
	p := &prober{stop: make(chan struct{})}
	go p.run()
	return p
}

func Probe(c closer) int {
	if pr, ok := c.(interface{ probe() int }); ok {
		return pr.probe()
	}
	return 0
}
