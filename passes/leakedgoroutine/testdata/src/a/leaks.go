package a

import (
	"context"
	"errors"
	"time"
)

type Result struct{}

func get(string) *Result { return nil }

func check() error { return nil }

var errTimeout = errors.New("timeout")

// Timeout select with an unbuffered result channel.
func fetch(url string) (*Result, error) {
	ch := make(chan *Result)
	go func() { ch <- get(url) }() // want `goroutine leaks: send on ch \(line 20\) blocks forever once fetch returns at line 25 \(timeout\); give ch a buffer of 1, or select on ctx.Done\(\)`
	select {
	case r := <-ch:
		return r, nil
	case <-time.After(time.Second):
		return nil, errTimeout
	}
}

// The same with ctx.Done().
func fetchCtx(ctx context.Context, url string) (*Result, error) {
	ch := make(chan *Result)
	go func() { // want `send on ch \(line 33\) blocks forever once fetchCtx returns at line 39 \(ctx.Done\(\)\)`
		ch <- get(url)
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Early return before the receive.
func early(url string) (*Result, error) {
	errc := make(chan error)
	go func() { errc <- check() }() // want `send on errc \(line 46\) blocks forever once early returns at line 48 \(before receiving from errc\)`
	if url == "" {
		return nil, errTimeout
	}
	return nil, <-errc
}

// The worker is a named function.
func work(ch chan<- error) { ch <- check() }

func earlyNamed(url string) error {
	ch := make(chan error)
	go work(ch) // want `send on ch \(line 54\) blocks forever once earlyNamed returns at line 60`
	if url == "" {
		return errTimeout
	}
	return <-ch
}

// Double send, single receive.
func double() *Result {
	ch := make(chan *Result)
	go func() { // want `send on ch \(line 70\) blocks forever once double returns at line 72 \(after 1 of 2 receives\); give ch a buffer of 1, or select on ctx.Done\(\)`
		ch <- get("a")
		ch <- get("b")
	}()
	return <-ch
}

// First result wins: N goroutines send, one receive.
func first(urls []string) *Result {
	ch := make(chan *Result)
	for _, u := range urls {
		go func() { ch <- get(u) }() // want `goroutines started in a loop each send on ch \(line 79\) but first receives only one value \(line 81\)`
	}
	return <-ch
}

// Producer/consumer where the consumer returns on error.
func consume(items []string) error {
	ch := make(chan *Result)
	go func() { // want `send on ch \(line 90\) blocks forever once consume returns at line 95 \(before ch is closed\); drain ch before returning`
		defer close(ch)
		for _, it := range items {
			ch <- get(it)
		}
	}()
	for r := range ch {
		if r == nil {
			return errTimeout
		}
	}
	return nil
}

// Worker pool whose jobs channel is never closed.
func pool(jobs []string) {
	work := make(chan string)
	for range 4 {
		go func() { // want `it ranges over work \(line 106\) but nothing closes work, so it blocks forever once pool stops sending; close\(work\) after the last send`
			for j := range work {
				get(j)
			}
		}()
	}
	for _, j := range jobs {
		work <- j
	}
}

// Start without Stop: a background loop with no owner.
type Server struct {
	quit chan struct{}
}

func (s *Server) loop() {
	for {
		select {
		case <-s.quit:
			return
		case <-time.After(time.Second):
		}
	}
}

func (s *Server) Start() {
	go s.loop() // want `goroutine is not joined: nothing waits for it to finish; start it with errgroup.Group.Go or sync.WaitGroup.Go, or wait on a done channel`
}

// Fire and forget.
func notify(ctx context.Context) {
	go func() { // want `goroutine is not joined`
		<-ctx.Done()
		check()
	}()
}

// A goroutine running a function of another package.
func serve(f func() error) {
	go f() // want `goroutine is not joined`
}

// Signals a channel nobody receives from.
func unwaited() {
	done := make(chan struct{}, 1)
	go func() { // want `goroutine is not joined`
		check()
		done <- struct{}{}
	}()
}

// The result is never received at all.
func forgotten() error {
	done := make(chan error)
	go func() { done <- check() }() // want `send on done \(line 160\) blocks forever once forgotten returns at line 161 \(nothing ever receives from done\)`
	return nil
}

type server struct{}

func (*server) Serve() error    { return nil }
func (*server) Shutdown() error { return nil }

// Shutting the server down makes Serve return, and its error has nowhere to go.
func run(ctx context.Context, srv *server) error {
	errc := make(chan error)
	go func() { errc <- srv.Serve() }() // want `send on errc \(line 172\) blocks forever once run returns at line 177 \(ctx.Done\(\)\)`
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return srv.Shutdown()
	}
}

// A fresh channel each round, abandoned when the stop case wins.
func pollUntil(stop <-chan struct{}) {
	for {
		res := make(chan error)
		go func() { res <- check() }() // want `send on res \(line 185\) blocks forever once pollUntil returns at line 188 \(case <-stop\); give res a buffer of 1`
		select {
		case <-stop:
			return
		case <-res:
		}
	}
}

// A fresh channel each round, abandoned when the timeout wins.
func retry() error {
	for {
		res := make(chan error)
		go func() { res <- check() }() // want `send on res \(line 198\) blocks forever once retry's loop goes round to a new res at line 197 \(timeout\); give res a buffer of 1`
		select {
		case err := <-res:
			if err == nil {
				return nil
			}
		case <-time.After(time.Second):
		}
	}
}

// A timer's channel is a timeout too.
func fetchTimer(url string) *Result {
	ch := make(chan *Result)
	go func() { ch <- get(url) }() // want `send on ch \(line 212\) blocks forever once fetchTimer returns at line 219 \(timeout\); give ch a buffer of 1`
	t := time.NewTimer(time.Second)
	defer t.Stop()
	select {
	case r := <-ch:
		return r
	case <-t.C:
		return nil
	}
}

// The same with an unexported field nobody waits on.
type workPool struct {
	done chan struct{}
}

func (p *workPool) start() {
	go func() { // want `goroutine is not joined`
		defer close(p.done)
		check()
	}()
}

// A wrapper that calls its argument, which signals nothing.
func recoveredLost() {
	go withRecover(func() { check() }) // want `goroutine is not joined`
}

// Positive twin of flags set from receives: one channel seen closed is
// enough to return, and the other sender is left blocked.
func eitherClosed() {
	aCh, bCh := make(chan error), make(chan error)
	go func() { // want `send on aCh \(line 246\) blocks forever once eitherClosed returns at line 255 \(case <-bCh\)`
		defer close(aCh)
		aCh <- check()
	}()
	go func() { // want `send on bCh \(line 250\) blocks forever once eitherClosed returns at line 255 \(case <-aCh\)`
		defer close(bCh)
		bCh <- check()
	}()
	var aDone, bDone bool
	for {
		if aDone || bDone {
			return
		}
		select {
		case _, ok := <-aCh:
			aDone = !ok
		case _, ok := <-bCh:
			bDone = !ok
		}
	}
}

// A helper given the channel sends twice on some path: the return after
// the first send is missing.
func reply(ch chan<- error, err error) {
	if err != nil {
		ch <- err
	}
	ch <- nil
}

func replyOnce() error {
	ch := make(chan error)
	go func() { reply(ch, check()) }() // want `send on ch \(line 277\) blocks forever once replyOnce returns at line 278 \(after 1 of 2 receives\); give ch a buffer of 1`
	return <-ch
}
