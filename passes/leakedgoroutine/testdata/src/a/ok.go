package a

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// Fixed: a buffer of 1 lets the send complete after the timeout.
func fetchBuffered(url string) (*Result, error) {
	ch := make(chan *Result, 1)
	go func() { ch <- get(url) }()
	select {
	case r := <-ch:
		return r, nil
	case <-time.After(time.Second):
		return nil, errTimeout
	}
}

// Fixed: the sender gives up with its spawner.
func fetchSelect(ctx context.Context, url string) (*Result, error) {
	ch := make(chan *Result)
	go func() {
		select {
		case ch <- get(url):
		case <-ctx.Done():
		}
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Fixed: a deferred drain receives whatever is left.
func consumeDrain(items []string) error {
	ch := make(chan *Result)
	go func() {
		defer close(ch)
		for _, it := range items {
			ch <- get(it)
		}
	}()
	defer func() {
		for range ch {
		}
	}()
	for r := range ch {
		if r == nil {
			return errTimeout
		}
	}
	return nil
}

// Receiving every value.
func consumeAll(items []string) int {
	ch := make(chan *Result)
	go func() {
		defer close(ch)
		for _, it := range items {
			ch <- get(it)
		}
	}()
	n := 0
	for range ch {
		n++
	}
	return n
}

// Double send, two receives.
func doubleBoth() (*Result, *Result) {
	ch := make(chan *Result)
	go func() {
		ch <- get("a")
		ch <- get("b")
	}()
	return <-ch, <-ch
}

// A buffer for every goroutine of the loop.
func firstBuffered(urls []string) *Result {
	ch := make(chan *Result, len(urls))
	for _, u := range urls {
		go func() { ch <- get(u) }()
	}
	return <-ch
}

// A counted drain loop.
func gather(urls []string) []*Result {
	ch := make(chan *Result)
	for _, u := range urls {
		go func() { ch <- get(u) }()
	}
	var rs []*Result
	for range urls {
		rs = append(rs, <-ch)
	}
	return rs
}

// Fixed worker pool: the jobs channel is closed.
func poolClosed(jobs []string) {
	work := make(chan string)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range work {
				get(j)
			}
		}()
	}
	for _, j := range jobs {
		work <- j
	}
	close(work)
	wg.Wait()
}

// WaitGroup: Add before go, deferred Done inside, Wait in the spawner.
func waitGroup(urls []string) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			get(u)
		}()
	}
	wg.Wait()
}

// WaitGroup passed by pointer to the goroutine's function.
func worker(wg *sync.WaitGroup, u string) {
	defer wg.Done()
	get(u)
}

func waitGroupArg(urls []string) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go worker(&wg, u)
	}
	wg.Wait()
}

// WaitGroup passed to a helper called inside the goroutine.
func waitGroupHelper(urls []string) {
	wg := new(sync.WaitGroup)
	for _, u := range urls {
		wg.Add(1)
		go func() {
			get(u)
			finish(wg)
		}()
	}
	wg.Wait()
}

func finish(wg *sync.WaitGroup) { wg.Done() }

// WaitGroup as a pointer parameter: the caller waits.
func spawnInto(wg *sync.WaitGroup, u string) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		get(u)
	}()
}

// wg.Go, errgroup: calls, not go statements.
func groups(ctx context.Context, urls []string) error {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Go(func() { get(u) })
	}
	wg.Wait()
	g := new(errgroup.Group)
	for _, u := range urls {
		g.Go(func() error { get(u); return nil })
	}
	return g.Wait()
}

// A future: the goroutine closes a channel the spawner receives from.
func future() {
	done := make(chan struct{})
	go func() {
		defer close(done)
		check()
	}()
	<-done
}

// A result channel received by the spawner.
func result() error {
	errc := make(chan error, 1)
	go func() { errc <- check() }()
	return <-errc
}

// Generator: the join passes to the caller.
func gen(n int) <-chan int { // want gen:`generator\(result 0, sends until closed\)`
	ch := make(chan int)
	go func() {
		defer close(ch)
		for i := range n {
			ch <- i
		}
	}()
	return ch
}

func sum(n int) int {
	t := 0
	for v := range gen(n) {
		t += v
	}
	return t
}

// Owner type: Close waits on a WaitGroup field the goroutine signals.
type Owner struct {
	wg   sync.WaitGroup
	quit chan struct{}
}

func (o *Owner) Start() {
	o.wg.Add(1)
	go o.run()
}

func (o *Owner) run() {
	defer o.wg.Done()
	<-o.quit
}

func (o *Owner) Close() {
	close(o.quit)
	o.wg.Wait()
}

// Owner type with a done channel field.
type Ticker struct {
	stop, done chan struct{}
}

func (t *Ticker) Start() {
	go func() {
		defer close(t.done)
		<-t.stop
	}()
}

func (t *Ticker) Stop() {
	close(t.stop)
	<-t.done
}

// Workers joined by a closer goroutine that the spawner receives from.
func fanIn(urls []string) []*Result {
	results := make(chan *Result)
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- get(u)
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	var rs []*Result
	for r := range results {
		rs = append(rs, r)
	}
	return rs
}

// Silenced, with a reason.
func silenced() {
	//futlint:ignore leakedgoroutine the process exits right after
	go check()
}

// The other select case waits on a channel the sender closes after its
// send: the spawner never abandons a pending send.
func errOrDone() error {
	errc := make(chan error)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := check(); err != nil {
			errc <- err
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-done:
		return nil
	}
}

// A value channel and an error channel: the goroutine sends on one.
func valueOrError() (*Result, error) {
	resc := make(chan *Result)
	errc := make(chan error)
	go func() {
		if err := check(); err != nil {
			errc <- err
			return
		}
		resc <- get("x")
	}()
	select {
	case r := <-resc:
		return r, nil
	case err := <-errc:
		return nil, err
	}
}

// A test that fails on timeout stops there: t.Fatal never returns.
func waitOrFail(t interface{ Fatal(...any) }) *Result {
	ch := make(chan *Result)
	go func() { ch <- get("x") }()
	select {
	case r := <-ch:
		return r
	case <-time.After(time.Second):
		panic("timeout")
	}
}

// A method that signals on a field of its receiver.
type response struct{ res chan *Result }

func (r *response) finish() { r.res <- nil }

func serveOne() *Result {
	r := &response{res: make(chan *Result, 1)}
	go func() {
		get("x")
		r.finish()
	}()
	return <-r.res
}

// Two goroutines, two receives.
func pair() {
	c := make(chan bool)
	for i := 0; i < 2; i++ {
		go func() { c <- true }()
	}
	<-c
	<-c
}

// A dispatcher that never returns keeps feeding its workers: no leak,
// though nothing joins them either.
func dispatch(in <-chan string) {
	jobs := make(chan string)
	for range 4 {
		go func() { // want `goroutine is not joined`
			for j := range jobs {
				get(j)
			}
		}()
	}
	for {
		jobs <- <-in
	}
}

// A directive that silences nothing is reported.
func staleDirective() {
	done := make(chan struct{})
	//futlint:ignore leakedgoroutine nothing to silence here // want `this //futlint:ignore directive silences no leakedgoroutine finding; remove the directive`
	go func() { close(done) }()
	<-done
}

// Fixed: each round's channel has room for its one send.
func retryBuffered() error {
	for {
		res := make(chan error, 1)
		go func() { res <- check() }()
		select {
		case err := <-res:
			if err == nil {
				return nil
			}
		case <-time.After(time.Second):
		}
	}
}

// Fixed: the stop case waits for the round's result before returning.
func pollDrain(stop <-chan struct{}) {
	for {
		res := make(chan error)
		go func() { res <- check() }()
		select {
		case <-stop:
			<-res
			return
		case <-res:
		}
	}
}

// A wrapper that recovers and calls its argument: the goroutine runs the
// argument, which closes the channel the spawner receives from.
func withRecover(f func()) {
	defer func() { recover() }()
	f()
}

func recovered() {
	done := make(chan struct{})
	go withRecover(func() {
		defer close(done)
		check()
	})
	<-done
}

// A channel parameter: the caller receives the result.
func startInto(errc chan<- error, serve func() error) {
	go func() { errc <- serve() }()
}

// An exported field: importers may wait on it.
type Pool struct {
	Done chan struct{}
}

func (p *Pool) Start() {
	go func() {
		defer close(p.Done)
		check()
	}()
}

// Flags set from receives: the return needs both channels seen closed.
func bothClosed() error {
	aCh, bCh := make(chan error), make(chan error)
	go func() {
		defer close(aCh)
		if err := check(); err != nil {
			aCh <- err
		}
	}()
	go func() {
		defer close(bCh)
		if err := check(); err != nil {
			bCh <- err
		}
	}()
	var aDone, bDone bool
	var first error
	for {
		if aDone && bDone {
			return first
		}
		select {
		case err, ok := <-aCh:
			aDone = !ok
			if first == nil {
				first = err
			}
		case err, ok := <-bCh:
			bDone = !ok
			if first == nil {
				first = err
			}
		}
	}
}

// A loop that polls until the done signal came: done is set only by
// the receive.
func pollDone() {
	doneCh := make(chan struct{})
	go func() {
		defer func() { doneCh <- struct{}{} }()
		check()
	}()
	done := false
	for !done {
		check()
		select {
		case <-doneCh:
			done = true
		default:
		}
	}
}

// The senders have finished once Wait returns: leaving the rest of the
// values in the buffer leaks nothing.
func waitThenLeave(stop chan struct{}) int {
	errs := make(chan error, 16)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				close(errs)
				return
			default:
				errs <- check()
			}
		}
	}()
	close(stop)
	wg.Wait()
	if len(errs) == 0 {
		return 0
	}
	n := 0
	for range errs {
		n++
	}
	return n
}

// The first value is received before the second sender starts: one slot
// of buffer is enough for the second.
func secondFits() (error, error) {
	res := make(chan error, 1)
	go func() { res <- check() }()
	first := <-res
	go func() { res <- check() }()
	select {
	case err := <-res:
		return first, err
	case <-time.After(time.Second):
		return first, errTimeout
	}
}

func use(*Result) error { return nil }

// The sender sets failed just before it stops: a spawner that sees it
// set knows the sender is gone.
func stopsOnFailure(items []string) error {
	out := make(chan *Result)
	var failed error
	go func() {
		defer close(out)
		for _, it := range items {
			if it == "" {
				failed = errTimeout
				return
			}
			out <- get(it)
		}
	}()
	var bad error
loop:
	for r := range out {
		if err := use(r); err != nil {
			bad = err
			break loop
		}
	}
	if failed != nil {
		return failed
	}
	if bad != nil {
		for range out {
		}
		return bad
	}
	return nil
}

// Fixed: the helper returns after its first send.
func replyFixed(ch chan<- error, err error) {
	if err != nil {
		ch <- err
		return
	}
	ch <- nil
}

func replyFixedOnce() error {
	ch := make(chan error)
	go func() { replyFixed(ch, check()) }()
	return <-ch
}

// A helper that keeps the channel: its other users are unknown.
var kept chan<- error

func keep(ch chan<- error) { kept = ch }

func keptOnce() error {
	ch := make(chan error)
	go func() { keep(ch); ch <- check() }()
	if check() != nil {
		return errTimeout
	}
	return <-ch
}

// A local variable a closure reads, set on the path that breaks out of
// the loop: the path knows it is set, and drains before returning.
func breakAndDrain(items []string) error {
	out := make(chan *Result)
	go func() {
		defer close(out)
		for _, it := range items {
			out <- get(it)
		}
	}()
	var bad error
	seen := func() bool { return bad != nil }
loop:
	for r := range out {
		if err := use(r); err != nil {
			bad = err
			break loop
		}
	}
	_ = seen
	if bad != nil {
		for range out {
		}
		return bad
	}
	return nil
}
