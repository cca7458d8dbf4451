// Package main: exported methods of package main are called only by the
// package itself, so the channel an exported getter returns stays known.
package main

import "sync"

type Health struct {
	Stop chan struct{}
}

type Container struct {
	sync.Mutex
	Health *Health
}

func (h *Health) StopChannel() chan struct{} { return h.Stop }

func (h *Health) Close() {
	h.Stop <- struct{}{} // want `goroutine leaks: this send on Health.Stop holds c.Mutex \(held by its caller Update, line 37\)`
}

func Monitor(c *Container, stop chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
			c.Lock()
			c.Unlock()
		}
	}
}

func (c *Container) Update() {
	c.Lock()
	defer c.Unlock()
	c.Health.Close()
}

func main() {
	c := &Container{Health: &Health{Stop: make(chan struct{})}}
	go Monitor(c, c.Health.StopChannel())
	go c.Update()
}
