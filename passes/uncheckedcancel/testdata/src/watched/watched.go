// Package watched has loops that read a connection while a watch of their
// context (watcher.Watch: context.AfterFunc in another package, known from
// its fact) interrupts the read on cancel, and loops that are not so
// covered.
package watched

import (
	"context"

	"watcher"
)

type Conn struct {
	w    *watcher.Watcher
	conn watcher.Conn
}

// Prepare watches ctx before its loop (unless ctx is Background, which is
// never cancelled): quiet.
func (c *Conn) Prepare(ctx context.Context) error {
	if ctx != context.Background() {
		c.w.Watch(ctx)
		defer c.w.Unwatch()
	}
	buf := make([]byte, 64)
	for {
		if _, err := c.conn.Read(buf); err != nil {
			return err
		}
	}
}

// WatchedOnlyIfBackground watches only the context that never cancels.
func (c *Conn) WatchedOnlyIfBackground(ctx context.Context) error {
	if ctx == context.Background() {
		c.w.Watch(ctx)
	}
	buf := make([]byte, 64)
	for { // want `loop never checks ctx\.Done\(\)`
		if _, err := c.conn.Read(buf); err != nil {
			return err
		}
	}
}

// LoopBeforeWatch reads before the watch starts.
func (c *Conn) LoopBeforeWatch(ctx context.Context) error {
	buf := make([]byte, 64)
	for { // want `loop never checks ctx\.Done\(\)`
		if _, err := c.conn.Read(buf); err != nil {
			break
		}
	}
	c.w.Watch(ctx)
	defer c.w.Unwatch()
	return nil
}

// SometimesWatched watches ctx on one path to the loop only.
func (c *Conn) SometimesWatched(ctx context.Context, watch bool) error {
	if watch {
		c.w.Watch(ctx)
	}
	buf := make([]byte, 64)
	for { // want `loop never checks ctx\.Done\(\)`
		if _, err := c.conn.Read(buf); err != nil {
			return err
		}
	}
}

// WatchesOther watches a different context than the one it was given.
func (c *Conn) WatchesOther(ctx, other context.Context) error {
	c.w.Watch(other)
	buf := make([]byte, 64)
	for { // want `loop never checks ctx\.Done\(\)`
		if _, err := c.conn.Read(buf); err != nil {
			return err
		}
	}
}

// A Reader reads results under the watch Exec started.
type Reader struct {
	conn *Conn
	ctx  context.Context
}

// Exec returns a Reader whose ctx it watches.
func (c *Conn) Exec(ctx context.Context) *Reader {
	r := &Reader{conn: c, ctx: ctx}
	if ctx != context.Background() {
		c.w.Watch(ctx)
	}
	return r
}

// Drain reads under Exec's watch of r.ctx: quiet.
func (r *Reader) Drain() error {
	buf := make([]byte, 64)
	for {
		if _, err := r.conn.conn.Read(buf); err != nil {
			return err
		}
	}
}

// Next returns a Result carrying the Reader's watched context.
func (r *Reader) Next() *Result { return &Result{conn: r.conn, ctx: r.ctx} }

// A Result gets its ctx from a watched Reader.ctx.
type Result struct {
	conn *Conn
	ctx  context.Context
}

// Close drains under the watch of the Reader's ctx: quiet.
func (res *Result) Close() error {
	buf := make([]byte, 64)
	for {
		if _, err := res.conn.conn.Read(buf); err != nil {
			return err
		}
	}
}

// An Unwatched reader is made by a constructor that does not watch.
type Unwatched struct {
	conn *Conn
	ctx  context.Context
}

func (c *Conn) Open(ctx context.Context) *Unwatched { return &Unwatched{conn: c, ctx: ctx} }

func (u *Unwatched) Drain() error {
	buf := make([]byte, 64)
	for { // want `loop never checks u\.ctx\.Done\(\)`
		if _, err := u.conn.conn.Read(buf); err != nil {
			return err
		}
	}
}

// A Mixed reader is made by a constructor that watches and by one that
// does not.
type Mixed struct {
	conn *Conn
	ctx  context.Context
}

func (c *Conn) MixedWatched(ctx context.Context) *Mixed {
	c.w.Watch(ctx)
	return &Mixed{conn: c, ctx: ctx}
}

func (c *Conn) MixedPlain(ctx context.Context) *Mixed { return &Mixed{conn: c, ctx: ctx} }

func (m *Mixed) Drain() error {
	buf := make([]byte, 64)
	for { // want `loop never checks m\.ctx\.Done\(\)`
		if _, err := m.conn.conn.Read(buf); err != nil {
			return err
		}
	}
}

// An Exported reader's context field can be set by other packages, which
// need not watch it.
type Exported struct {
	conn *Conn
	Ctx  context.Context
}

func (c *Conn) OpenExported(ctx context.Context) *Exported {
	c.w.Watch(ctx)
	return &Exported{conn: c, Ctx: ctx}
}

func (e *Exported) Drain() error {
	buf := make([]byte, 64)
	for { // want `loop never checks e\.Ctx\.Done\(\)`
		if _, err := e.conn.conn.Read(buf); err != nil {
			return err
		}
	}
}

// A Never reader's context field is never stored into in this package:
// nothing shows it is watched.
type Never struct {
	conn *Conn
	ctx  context.Context
}

func (c *Conn) OpenNever(ctx context.Context) *Never {
	c.w.Watch(ctx)
	return &Never{conn: c}
}

func (n *Never) Drain() error {
	buf := make([]byte, 64)
	for { // want `loop never checks n\.ctx\.Done\(\)`
		if _, err := n.conn.conn.Read(buf); err != nil {
			return err
		}
	}
}
