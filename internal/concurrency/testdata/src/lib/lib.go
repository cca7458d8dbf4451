// Package lib is called from package a: its facts say what its functions
// do with their arguments.
package lib

import (
	"context"
	"os/exec"
	"sync"
	"time"
)

// Each calls f before it returns.
func Each(xs []int, f func(int)) { // want Each:"p1:sync"
	for _, x := range xs {
		f(x)
	}
}

// EachSet calls f, if set, before it returns: comparing it with nil
// neither keeps nor calls it.
func EachSet(xs []int, f func(int)) { // want EachSet:"^p1:sync$"
	if f == nil {
		return
	}
	for _, x := range xs {
		f(x)
	}
}

// Parallel starts f on a goroutine per piece: an inferred spawner.
func Parallel(n int, f func(int)) { // want Parallel:"p1:go\\|goMany; waits"
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(i)
		}()
	}
	wg.Wait()
}

// Safe calls f, recovering its panics: go Safe(f) runs f on the new
// goroutine.
func Safe(f func()) { // want Safe:"p0:sync"
	defer func() { _ = recover() }()
	f()
}

// Later keeps f for later.
func Later(f func()) { // want Later:"p0:stored"
	pending = append(pending, f)
}

var pending []func()

type Counter struct {
	mu sync.Mutex
	n  int
}

func (c *Counter) Lock() { c.mu.Lock() } // want Lock:"acquires p0.mu"

func (c *Counter) Unlock() { c.mu.Unlock() } // want Unlock:"releases p0.mu"

// Flush lets others in and takes the lock back: still held on return.
func (c *Counter) Flush() { // want Flush:"reacquires p0.mu"
	c.mu.Unlock()
	c.mu.Lock()
}

// Handshake calls a helper that lets others in and takes the lock back:
// still held on return, though its caller took it.
func (c *Counter) Handshake() { // want Handshake:"reacquires p0.mu"
	c.Flush()
}

// Pause lets others in while a closure uses the receiver (a captured
// parameter lives in a cell): the lock is still the caller's c.mu.
func (c *Counter) Pause() { // want Pause:"reacquires p0.mu"
	c.mu.Unlock()
	f := func() { c.n++ }
	f()
	c.mu.Lock()
}

// Grab takes the lock through a helper while a closure uses the
// receiver (a cell): the lock is its receiver's.
func (c *Counter) Grab() { // want Grab:"acquires p0.mu"
	f := func() { c.n++ }
	f()
	c.Lock()
}

// LockLogged takes the lock with a deferred call pending: the path a
// recovered panic takes out of it is no return of the lock's holder.
func (c *Counter) LockLogged() { // want LockLogged:"acquires p0.mu"
	defer logCall()
	c.mu.Lock()
}

func logCall() {}

// Inc locks and unlocks: no net effect.
func (c *Counter) Inc() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
}

// TryInc holds the lock only when TryLock succeeds: no net effect.
func (c *Counter) TryInc() {
	if c.mu.TryLock() {
		c.n++
		c.mu.Unlock()
	}
}

// MaybeLock may leave the lock held.
func (c *Counter) MaybeLock() bool { return c.mu.TryLock() } // want MaybeLock:"mayAcquire p0.mu"

// LockIf locks only if asked to.
func (c *Counter) LockIf(b bool) { // want LockIf:"mayAcquire p0.mu"
	if b {
		c.mu.Lock()
	}
}

// Limiter is a rate limiter: its Wait is no join.
type Limiter struct{ tokens chan struct{} }

func (l *Limiter) Wait() { <-l.tokens } // want Wait:"joins p0.tokens\\*; recv p0.tokens\\*; waits"

// Throttled waits on the limiter, not on goroutines: only the limiter's
// channel, which it was given.
func Throttled(l *Limiter) { l.Wait() } // want Throttled:"joins p0.tokens\\*; recv p0.tokens\\*; waits"

// WaitAll joins the group it is given.
func WaitAll(wg *sync.WaitGroup) { wg.Wait() } // want WaitAll:"joins p0; waits"

// Finish signals the group it is given.
func Finish(wg *sync.WaitGroup, done chan<- bool) { // want Finish:"signals p0; signals p1; send p1; waits"
	wg.Done()
	done <- true
}

// Ignores has a context and never looks at it.
func Ignores(ctx context.Context, n int) int { return n } // want Ignores:"ignoresCtx"

// Observes checks its context: no fact.
func Observes(ctx context.Context) error { return ctx.Err() }

// PassesOn hands its context only to a function that ignores it.
func PassesOn(ctx context.Context) int { return Ignores(ctx, 1) } // want PassesOn:"ignoresCtx"

// Detaches keeps only the context's values.
func Detaches(ctx context.Context) { Observes(context.WithoutCancel(ctx)) } // want Detaches:"ignoresCtx"

// Sleeps waits for a timer.
func Sleeps() { time.Sleep(time.Millisecond) } // want Sleeps:"waits"

// Runs observes its ctx but runs the command without it: ctx cannot stop
// it while the command runs.
func Runs(ctx context.Context, name string) error { // want Runs:"waits; blocksWithoutCtx \\(\\*os/exec.Cmd\\).Run"
	if err := ctx.Err(); err != nil {
		return err
	}
	return exec.Command(name).Run()
}

// RunsWithCtx gives the command its ctx.
func RunsWithCtx(ctx context.Context, name string) error { // want RunsWithCtx:"waits"
	return exec.CommandContext(ctx, name).Run()
}

// RunsThrough blocks without ctx in a callee.
func RunsThrough(ctx context.Context, name string) error { // want RunsThrough:"waits; blocksWithoutCtx \\(\\*os/exec.Cmd\\).Run"
	return Runs(ctx, name)
}

// Fails never returns.
func Fails(msg string) { panic(msg) } // want Fails:"noReturn"

// FailsToo never returns either: it always calls Fails.
func FailsToo() { Fails("x") } // want FailsToo:"noReturn"

// Go hands f to the pool's workers: declared a spawner.
//
//futlint:spawner
func Go(f func()) { pending = append(pending, f) } // want Go:"p0:go\\|stored"

// A Waiter gets one value through a channel made with a buffer of one.
type Waiter struct{ result chan int }

func NewWaiter() *Waiter { return &Waiter{result: make(chan int, 1)} }

// Deliver hands the value over into the buffer and closes the channel:
// the send cannot wait, so Deliver does not.
func (w *Waiter) Deliver(v int) { // want Deliver:"signals p0.result\\*; send p0.result\\*; close p0.result\\*$"
	w.result <- v
	close(w.result)
}

// A SyncWaiter's channel has no buffer: Deliver waits for the receiver.
type SyncWaiter struct{ result chan int }

func NewSyncWaiter() *SyncWaiter { return &SyncWaiter{result: make(chan int)} }

func (w *SyncWaiter) Deliver(v int) { // want Deliver:"signals p0.result\\*; send p0.result\\*; close p0.result\\*; waits"
	w.result <- v
	close(w.result)
}

// Done unlocks only when asked to: no effect callers can count on.
func (c *Counter) Done(unlock bool) {
	if unlock {
		c.mu.Unlock()
	}
}

// Release unlocks on every path.
func (c *Counter) Release(quiet bool) { // want Release:"releases p0.mu"
	if quiet {
		c.mu.Unlock()
		return
	}
	c.n++
	c.mu.Unlock()
}

// A Server whose Shutdown starts a goroutine capturing s: SSA keeps the
// receiver in a heap cell, stored once on entry. Its loads are still
// the receiver, so the close and the send are the caller's p0.quit.
type Server struct {
	quit chan struct{}
	done chan bool
	wg   sync.WaitGroup
}

func (s *Server) Shutdown() { // want Shutdown:"signals p0.quit\\*; signals p0.done\\*; close p0.quit\\*; send p0.done\\*; waits$"
	go func() { s.wg.Wait() }()
	close(s.quit)
	s.done <- true
}

// Stop calls Shutdown: its effects, translated, are Stop's too.
func (s *Server) Stop() { s.Shutdown() } // want Stop:"signals p0.quit\\*; signals p0.done\\*; close p0.quit\\*; send p0.done\\*; waits$"

// Set's Range calls f before it returns, as the Ranger implementations of
// package a do.
type Set struct{ xs []int }

func (s *Set) Range(f func(int) bool) { // want Range:"p1:sync"
	for _, x := range s.xs {
		if !f(x) {
			return
		}
	}
}

// Ranger's one implementation calls its callback: so does RangeAll.
type Ranger interface{ Range(func(int) bool) }

func RangeAll(r Ranger, f func(int) bool) { r.Range(f) } // want RangeAll:"p1:sync"

// Watch arms a watch of ctx: context.AfterFunc acts on its cancellation
// asynchronously.
func Watch(ctx context.Context) func() bool { // want Watch:"p0:watch"
	return context.AfterFunc(ctx, func() {})
}

// WatchVia watches its second parameter through Watch's summary, and
// only that one.
func WatchVia(other, ctx context.Context) { // want WatchVia:"p1:watch"
	Watch(ctx)
	_ = other.Err()
}
