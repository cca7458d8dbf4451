// Package cond: a sync.Cond Wait that nothing signals.
package cond

import "sync"

type plugin struct {
	ready *sync.Cond
	up    bool
}

func newPlugin() *plugin { return &plugin{ready: sync.NewCond(&sync.Mutex{})} }

func (p *plugin) waitReady() {
	p.ready.L.Lock()
	for !p.up {
		p.ready.Wait() // want `goroutine leaks: this p.ready.Wait\(\) blocks forever: nothing calls Signal or Broadcast on p.ready`
	}
	p.ready.L.Unlock()
}

func use(p *plugin) {
	done := make(chan struct{})
	go func() {
		p.waitReady()
		close(done)
	}()
	<-done
}

// ---- quiet twins ----

// Signalled by another method.
type queue struct {
	mu    sync.Mutex
	avail sync.Cond
	items []int
}

func newQueue() *queue {
	q := &queue{}
	q.avail.L = &q.mu
	return q
}

func (q *queue) put(v int) {
	q.mu.Lock()
	q.items = append(q.items, v)
	q.avail.Broadcast()
	q.mu.Unlock()
}

func (q *queue) take() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.avail.Wait()
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v
}

// Handed to a helper that may signal it.
type gate struct{ open *sync.Cond }

func (g *gate) wait() { g.open.Wait() }

func (g *gate) share(f func(*sync.Cond)) { f(g.open) }

// Copied into another value that signals it.
type alias struct{ c *sync.Cond }

type holder struct{ c *sync.Cond }

func (a *alias) wait() { a.c.Wait() }

func (a *alias) link(h *holder) { h.c = a.c }

func (h *holder) kick() { h.c.Signal() }

// Returned: callers may signal it.
type exposed struct{ c *sync.Cond }

func (e *exposed) wait() { e.c.Wait() }

func (e *exposed) Cond() *sync.Cond { return e.c }

// An exported field: importers may signal it.
type Public struct{ C *sync.Cond }

func (p *Public) wait() { p.C.Wait() }
