// Package watcher is a stub of pgx's pgconn/ctxwatch: Watch arms
// context.AfterFunc, whose callback sets a deadline on the connection, so
// that a cancel makes a blocked Read fail.
package watcher

import (
	"context"
	"time"
)

// A Conn is a connection that can be interrupted by a deadline.
type Conn interface {
	Read(p []byte) (int, error)
	SetDeadline(t time.Time) error
}

// A Watcher interrupts its connection when a watched context is cancelled.
type Watcher struct {
	conn     Conn
	stop     func() bool
	onCancel func(context.Context)
}

func New(conn Conn) *Watcher { return &Watcher{conn: conn} }

// Watch interrupts the connection when ctx is cancelled, until Unwatch.
func (w *Watcher) Watch(ctx context.Context) {
	if ctx.Done() != nil {
		// The callback captures ctx: ctx then lives in a heap cell, and
		// AfterFunc is given a load of it.
		w.stop = context.AfterFunc(ctx, func() {
			w.conn.SetDeadline(time.Now())
			if w.onCancel != nil {
				w.onCancel(ctx)
			}
		})
	}
}

// Unwatch stops watching.
func (w *Watcher) Unwatch() {
	if w.stop != nil {
		w.stop()
		w.stop = nil
	}
}
