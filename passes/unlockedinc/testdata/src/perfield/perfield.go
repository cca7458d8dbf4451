package perfield

import "sync/atomic"

type child struct {
	msgs      chan int
	feeds     chan int
	retries   int
	fetchSize int32
	delivered int
	closed    atomic.Bool
}

// Quiet: each goroutine the constructor starts owns its own fields; the
// constructor touches others, or atomics only.
func newChild() *child {
	c := &child{msgs: make(chan int), feeds: make(chan int)}
	go c.dispatcher()
	go c.feeder()
	c.closed.Store(false)
	return c
}

func (c *child) dispatcher() {
	for range c.msgs {
		c.retries++
	}
}

func (c *child) feeder() {
	for range c.feeds {
		c.fetchSize++
	}
}

type parent struct {
	msgs      chan int
	feeds     chan int
	delivered int
}

// Reported: both goroutines update delivered.
func newParent() *parent {
	p := &parent{msgs: make(chan int), feeds: make(chan int)}
	go p.dispatcher()
	go p.feeder()
	return p
}

func (p *parent) dispatcher() {
	for range p.msgs {
		p.delivered++ // want `unsynchronized increment of p.delivered`
	}
}

func (p *parent) feeder() {
	for range p.feeds {
		p.delivered++ // want `unsynchronized increment of p.delivered`
	}
}

type metric struct {
	began   int64
	slept   int64
	reports int
}

// Quiet: the spawner goes on using other fields than the goroutine.
func watch(m *metric, tick chan int64) {
	go func() {
		for range tick {
			m.reports++
		}
	}()
	m.began = 1
	m.slept = 2
}

// Reported: the spawner reads the field the goroutine updates.
func watchRead(m *metric, tick chan int64) int {
	go func() {
		for range tick {
			m.reports++ // want `unsynchronized increment of m.reports \(shared with the goroutine started at perfield.go:81\)`
		}
	}()
	return m.reports
}
