// Package owner starts a goroutine that can outlive its owner's Close:
// leakedgoroutine's harmful class "outlives-owner", reported also with
// -leakedgoroutine.strict=false (the grpc balancer/lazy shape).
package owner

import "sync"

type child struct{ n int }

func (c *child) close() {}

// Lazy builds its child on first use, on a goroutine of its own.
type Lazy struct {
	mu    sync.Mutex
	child *child
}

// Kick builds the child in the background.
func (l *Lazy) Kick() {
	go l.build() // want leakedgoroutine "goroutine outlives its owner: it uses Lazy.child"
}

func (l *Lazy) build() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.child == nil {
		l.child = &child{}
	}
}

// Close releases the child, but a build still running builds a new one
// that nothing closes.
func (l *Lazy) Close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.child != nil {
		l.child.close()
		l.child = nil
	}
}
