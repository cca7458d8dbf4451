// Package spawn has loops in closures: where a closure runs decides
// whose context it should watch.
package spawn

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

type acc struct{ n []int }

func (a *acc) Add(x int) { a.n = append(a.n, x) }

type sampler struct{}

func (sampler) Sample() int             { return 1 }
func (sampler) Interval() time.Duration { return time.Second }

// A sampling loop run by wg.Go in a function given ctx: flagged, though
// the closure never mentions ctx.
func sampleWG(ctx context.Context, a *acc, s sampler) {
	var wg sync.WaitGroup
	wg.Go(func() {
		for { // want `loop never checks ctx.Done\(\)`
			a.Add(s.Sample())
			time.Sleep(s.Interval())
		}
	})
	wg.Wait()
}

// The same loop checking ctx: quiet.
func sampleWGDone(ctx context.Context, a *acc, s sampler) {
	var wg sync.WaitGroup
	wg.Go(func() {
		for ctx.Err() == nil {
			a.Add(s.Sample())
			time.Sleep(s.Interval())
		}
	})
	wg.Wait()
}

// errgroup's Go, in a function given ctx: flagged.
func sampleGroup(ctx context.Context, a *acc, s sampler) error {
	g, _ := errgroup.WithContext(ctx)
	g.Go(func() error {
		for { // want `loop never checks ctx.Done\(\)`
			a.Add(s.Sample())
			time.Sleep(s.Interval())
		}
	})
	return g.Wait()
}

// A bare go statement starts what may outlive the function by design: it
// gets no context it does not capture (see serveConn). Quiet.
func sampleGo(ctx context.Context, a *acc, s sampler) {
	go func() {
		for {
			a.Add(s.Sample())
			time.Sleep(s.Interval())
		}
	}()
}

// Capturing ctx makes it the goroutine's: flagged.
func sampleGoCaptured(ctx context.Context, a *acc, s sampler) {
	go func() {
		for { // want `loop never checks ctx.Done\(\)`
			a.Add(s.Sample())
			time.Sleep(s.Interval())
		}
		_ = ctx
	}()
}

// The server half of a pipe a dialer returns (go-redis
// double_freeturn_test.go): the goroutine serves the connection for as
// long as it lives; the dialer's ctx governs only the dial. Quiet.
type conn struct{ ch chan []byte }

func (c *conn) Read() ([]byte, bool) { b, ok := <-c.ch; return b, ok }

func dialPipe(ctx context.Context) (*conn, error) {
	select {
	case <-time.After(time.Millisecond):
		server := &conn{ch: make(chan []byte)}
		go func() {
			for {
				if _, ok := server.Read(); !ok {
					return
				}
			}
		}()
		return server, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// With a Done case: quiet.
func sampleGoDone(ctx context.Context, a *acc, s sampler) {
	go func() {
		t := time.NewTicker(s.Interval())
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				a.Add(s.Sample())
			}
		}
	}()
}

// A closure called synchronously is its caller's loop: flagged.
func sampleSync(ctx context.Context, a *acc, s sampler) {
	run := func() {
		for { // want `loop never checks ctx.Done\(\)`
			a.Add(s.Sample())
			time.Sleep(s.Interval())
		}
	}
	run()
}

// A closure stored where the model cannot follow it may run anywhere,
// for anyone: it gets no context from the function that made it, quiet.
var hooks []func()

func register(ctx context.Context, a *acc, s sampler) {
	hooks = append(hooks, func() {
		for {
			a.Add(s.Sample())
			time.Sleep(s.Interval())
		}
	})
}

// A goroutine started by a function without a context: quiet.
func sampleNoCtx(a *acc, s sampler) {
	go func() {
		for {
			a.Add(s.Sample())
			time.Sleep(s.Interval())
		}
	}()
}

// A generator whose goroutine sends each item with a plain send, into a
// channel without a buffer, while its consumer stops on ctx.Done(): once
// ctx is cancelled the sender blocks forever. That is reported once, as a
// leak, by leakedgoroutine at the call in consume (naming the return that
// abandons the channel), not here: the loop is bounded and its goroutine's
// only wait is the send, quiet.
func gen(ctx context.Context, xs []int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for _, x := range xs {
			out <- x
		}
	}()
	return out
}

func consume(ctx context.Context, xs []int) int {
	n := 0
	ch := gen(ctx, xs)
	for {
		select {
		case <-ctx.Done():
			return n
		case x, ok := <-ch:
			if !ok {
				return n
			}
			n += x
		}
	}
}

// The send in a select on ctx.Done(): quiet.
func genDone(ctx context.Context, xs []int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for _, x := range xs {
			select {
			case out <- x:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

func consumeDone(ctx context.Context, xs []int) int {
	n := 0
	ch := genDone(ctx, xs)
	for {
		select {
		case <-ctx.Done():
			return n
		case x, ok := <-ch:
			if !ok {
				return n
			}
			n += x
		}
	}
}

// A channel buffered for every item never blocks the sender: quiet.
func genBuffered(ctx context.Context, xs []int) <-chan int {
	out := make(chan int, len(xs))
	go func() {
		defer close(out)
		for _, x := range xs {
			out <- x
		}
	}()
	return out
}

// A consumer that drains the channel to the end, not stopping on
// ctx.Done(), does not leave the sender behind: quiet. (Its loop ranges
// over a channel a call given ctx returned, taken to end with ctx.)
func genPlain(ctx context.Context, xs []int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for _, x := range xs {
			out <- x
		}
	}()
	return out
}

func drainAll(ctx context.Context, xs []int) int {
	n := 0
	for x := range genPlain(ctx, xs) {
		n += x
	}
	return n
}
