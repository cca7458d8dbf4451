// Package pool has the drain loop of a connection pool (go-redis
// internal/pool putIdleConn): a finite in-memory queue whose only
// blocking-looking operation is the hand-over of a result.
package pool

import (
	"context"
	"sync"
)

type conn struct{}

// A waiter gets one connection, through a result channel made with a
// buffer of one (newWaiter), that tryDeliver fills once and closes.
type waiter struct {
	mu     sync.Mutex
	done   bool
	result chan *conn
}

func newWaiter() *waiter { return &waiter{result: make(chan *conn, 1)} }

func (w *waiter) tryDeliver(c *conn) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done {
		return false
	}
	w.done = true
	w.result <- c
	close(w.result)
	return true
}

type queue struct {
	mu    sync.Mutex
	items []*waiter
}

func (q *queue) dequeue() (*waiter, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 {
		return nil, false
	}
	w := q.items[0]
	q.items = q.items[1:]
	return w, true
}

type pool struct {
	q    queue
	idle []*conn
}

// putIdle returns false when it handed c to a waiter: the loop drains the
// queue and never blocks, quiet.
func (p *pool) putIdle(ctx context.Context, c *conn) bool {
	for {
		w, ok := p.q.dequeue()
		if !ok {
			break
		}
		if w.tryDeliver(c) {
			return false
		}
	}
	p.idle = append(p.idle, c)
	return true
}

// The same hand-over into an unbuffered channel waits for the waiter to
// receive: the loop can block after ctx is cancelled. It is reported, with
// no fix: false means "handed over" here, not "cancelled".
type syncWaiter struct {
	done   bool
	result chan *conn
}

func newSyncWaiter() *syncWaiter { return &syncWaiter{result: make(chan *conn)} }

func (w *syncWaiter) tryDeliver(c *conn) bool {
	if w.done {
		return false
	}
	w.done = true
	w.result <- c
	close(w.result)
	return true
}

type syncQueue struct{ items []*syncWaiter }

func (q *syncQueue) dequeue() (*syncWaiter, bool) {
	if len(q.items) == 0 {
		return nil, false
	}
	w := q.items[0]
	q.items = q.items[1:]
	return w, true
}

func putIdleSync(ctx context.Context, q *syncQueue, c *conn) bool {
	for { // want `loop never checks ctx.Done\(\): .*decide what bool to return then`
		w, ok := q.dequeue()
		if !ok {
			break
		}
		if w.tryDeliver(c) {
			return false
		}
	}
	return true
}
