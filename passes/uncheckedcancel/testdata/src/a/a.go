// Package a holds the loop shapes and context sources of uncheckedcancel.
package a

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

type Job struct{ ID int }

func process(Job)                           {}
func ready() bool                           { return false }
func fetch() error                          { return nil }
func save(ctx context.Context, j Job) error { return ctx.Err() }

// Worker ranging over a jobs channel: flagged.
func workerRange(ctx context.Context, jobs <-chan Job) {
	for j := range jobs { // want `loop never checks ctx.Done\(\): it keeps running after ctx is cancelled`
		process(j)
	}
}

// Worker selecting on ctx.Done: quiet.
func workerSelect(ctx context.Context, jobs <-chan Job) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case j, ok := <-jobs:
			if !ok {
				return nil
			}
			process(j)
		}
	}
}

// Worker forwarding ctx to a callee that honours it, and leaving on error: quiet.
func workerForwards(ctx context.Context, jobs <-chan Job) error {
	for j := range jobs {
		if err := save(ctx, j); err != nil {
			return err
		}
	}
	return nil
}

// Ticker poller without a Done case: flagged.
func tickerPoller(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for range t.C { // want `loop never checks ctx.Done\(\)`
		if ready() {
			return
		}
	}
}

// time.Tick: flagged.
func tick(ctx context.Context) {
	for range time.Tick(time.Second) { // want `loop never checks ctx.Done\(\)`
		process(Job{})
	}
}

// Ticker poller with a Done case: quiet.
func tickerPollerDone(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			process(Job{})
		}
	}
}

// Polling with sleep: flagged.
func poll(ctx context.Context) {
	for { // want `loop never checks ctx.Done\(\)`
		if ready() {
			return
		}
		time.Sleep(time.Second)
	}
}

// ctx.Err() in the loop: quiet.
func pollErr(ctx context.Context) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if ready() {
			return nil
		}
		time.Sleep(time.Second)
	}
}

// context.Cause in the condition: quiet.
func pollCause(ctx context.Context) {
	for context.Cause(ctx) == nil {
		time.Sleep(time.Second)
	}
}

// ctx.Err() in the condition: quiet.
func pollCond(ctx context.Context) {
	for ctx.Err() == nil {
		time.Sleep(time.Second)
	}
}

// Retry with backoff that never checks ctx: flagged.
func retry(ctx context.Context) error {
	backoff := 10 * time.Millisecond
	for { // want `loop never checks ctx.Done\(\)`
		err := fetch()
		if err == nil {
			return nil
		}
		time.Sleep(backoff)
		backoff *= 2
	}
}

// Retry with backoff that waits on ctx.Done: quiet.
func retryDone(ctx context.Context) error {
	backoff := 10 * time.Millisecond
	for {
		err := fetch()
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
		backoff *= 2
	}
}

// A fixed number of attempts ends by itself: quiet.
func retryBounded(ctx context.Context) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		if err = fetch(); err == nil {
			return nil
		}
		time.Sleep(time.Second)
	}
	return err
}

// Bounded compute over a slice: quiet.
func sum(ctx context.Context, xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

// A loop that only computes: quiet.
func collatz(ctx context.Context, n int) int {
	steps := 0
	for n != 1 {
		if n%2 == 0 {
			n /= 2
		} else {
			n = 3*n + 1
		}
		steps++
	}
	return steps
}

// No context: quiet.
func noContext(jobs <-chan Job) {
	for j := range jobs {
		process(j)
	}
}

// An alias of ctx.Done() taken before the loop: quiet.
func alias(ctx context.Context, jobs <-chan Job) {
	done := ctx.Done()
	for {
		select {
		case <-done:
			return
		case j := <-jobs:
			process(j)
		}
	}
}

// A stop channel in a case that leaves the loop: quiet.
func stopChannel(ctx context.Context, stop <-chan struct{}, jobs <-chan Job) {
	for {
		select {
		case <-stop:
			return
		case j := <-jobs:
			process(j)
		}
	}
}

// A select without ctx or stop case: flagged.
func selectNoDone(ctx context.Context, a, b <-chan Job) {
	for { // want `loop never checks ctx.Done\(\)`
		select {
		case j := <-a:
			process(j)
		case j := <-b:
			process(j)
		}
	}
}

// A derived context checked in the loop: quiet.
func derived(ctx context.Context, jobs <-chan Job) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	for {
		select {
		case <-ctx.Done():
			return
		case j := <-jobs:
			process(j)
		}
	}
}

// A derived context passed to a callee: quiet.
func derivedForward(ctx context.Context, jobs <-chan Job) error {
	vctx := context.WithValue(ctx, "k", 1)
	for j := range jobs {
		if err := save(vctx, j); err != nil {
			return err
		}
	}
	return nil
}

// context.WithoutCancel is never cancelled: flagged, and the message says so.
func detached(ctx context.Context, jobs <-chan Job) {
	bg := context.WithoutCancel(ctx)
	for { // want `loop only watches context.WithoutCancel\(ctx\), which is never cancelled`
		select {
		case <-bg.Done():
			return
		case j := <-jobs:
			process(j)
		}
	}
}

// Every way to bg is context.Background, once through WithValue (the
// same Background call reached twice): flagged.
func backgroundEitherWay(ctx context.Context, jobs <-chan Job, tag bool) {
	bg := context.Background()
	if tag {
		bg = context.WithValue(bg, "k", 1)
	}
	for { // want `loop only watches context.Background\(\), which is never cancelled`
		select {
		case <-bg.Done():
			return
		case j := <-jobs:
			process(j)
		}
	}
}

// One way to c is the caller's ctx: c may be cancelled, quiet.
func backgroundOrCaller(ctx context.Context, jobs <-chan Job, own bool) {
	c := context.Background()
	if own {
		c = ctx
	}
	for {
		select {
		case <-c.Done():
			return
		case j := <-jobs:
			process(j)
		}
	}
}

// context.Background passed on is not ctx: flagged.
func background(ctx context.Context, jobs <-chan Job) error {
	for j := range jobs { // want `loop only watches context.Background\(\), which is never cancelled`
		if err := save(context.Background(), j); err != nil {
			return err
		}
	}
	return nil
}

// A context captured by a goroutine's function literal: flagged.
func captured(ctx context.Context, jobs <-chan Job) {
	go func() {
		for j := range jobs { // want `loop never checks ctx.Done\(\)`
			process(j)
		}
		_ = ctx
	}()
}

// A captured context checked: quiet.
func capturedDone(ctx context.Context, jobs <-chan Job) {
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case j := <-jobs:
				process(j)
			}
		}
	}()
}

// A function literal started by a bare go statement that captures no
// context has none: it may outlive the function by design. Quiet.
func notCaptured(ctx context.Context, jobs <-chan Job) {
	go func() {
		for j := range jobs {
			process(j)
		}
	}()
}

type server struct {
	ctx  context.Context
	jobs chan Job
}

// The receiver's context field: flagged.
func (s *server) run() {
	for j := range s.jobs { // want `loop never checks s\.ctx.Done\(\)`
		process(j)
	}
}

// The receiver's context checked: quiet.
func (s *server) runDone() {
	for {
		select {
		case <-s.ctx.Done():
			return
		case j := <-s.jobs:
			process(j)
		}
	}
}

// A test's context is cancelled only after the test function returns:
// checking it in the test's own loops is useless, quiet.
func TestWatch(t *testing.T) {
	ctx := t.Context()
	events := make(chan Job)
	go func() { events <- Job{}; close(events) }()
	for e := range events {
		process(e)
	}
	_ = ctx
}

// A goroutine of the test that asks for the test's context and ignores
// it outlives the test: flagged.
func TestBackground(t *testing.T) {
	events := make(chan Job)
	go func() {
		ctx := t.Context()
		for e := range events { // want `loop never checks t\.Context\(\).Done\(\)`
			process(e)
		}
		_ = ctx
	}()
}

// A subtest's own context, asked for in the subtest's function, is
// cancelled only after that function returns, as a test's is: quiet.
func TestSubtestOwnContext(t *testing.T) {
	t.Run("read", func(t *testing.T) {
		ctx := t.Context()
		events := make(chan Job)
		go func() { events <- Job{}; close(events) }()
		for e := range events {
			process(e)
		}
		_ = ctx
	})
}

// The same with the subtest's t captured by a closure, which puts it on
// the heap: quiet.
func TestSubtestOwnContextCaptured(t *testing.T) {
	t.Run("read", func(t *testing.T) {
		ctx := t.Context()
		defer func() { t.Log("done") }()
		events := make(chan Job)
		go func() { events <- Job{}; close(events) }()
		for e := range events {
			process(e)
		}
		_ = ctx
	})
}

// The parent's context, asked for in a subtest that runs synchronously
// (no t.Parallel): the parent is waiting in t.Run, so its context is not
// cancelled before the subtest returns either: quiet.
func TestSubtestParentContext(t *testing.T) {
	parent := t
	t.Run("read", func(t *testing.T) {
		ctx := parent.Context()
		events := make(chan Job)
		go func() { events <- Job{}; close(events) }()
		for e := range events {
			process(e)
		}
		_ = ctx
	})
}

// A test that never asks for its context has none: quiet.
func TestNoContext(t *testing.T) {
	events := make(chan Job)
	close(events)
	for e := range events {
		process(e)
	}
}

// An error that the loop checks is not a context: flagged.
func errLoop(ctx context.Context, errs <-chan error) error {
	for err := range errs { // want `loop never checks ctx.Done\(\)`
		if errors.Is(err, context.Canceled) {
			return err
		}
	}
	return nil
}

// Nested loops: the receive is the outer loop's; the inner range over a
// slice is bounded.
func nested(ctx context.Context, batches <-chan []Job) {
	for { // want `loop never checks ctx.Done\(\)`
		for _, j := range <-batches {
			process(j)
		}
	}
}

// Silenced with a reason.
func silenced(ctx context.Context, jobs <-chan Job) {
	//futlint:ignore uncheckedcancel jobs is closed by the owner, who cancels ctx only after
	for j := range jobs {
		process(j)
	}
}

// Generic code: no crash, same rules.
func drain[T any](ctx context.Context, ch <-chan T, f func(T)) {
	for v := range ch { // want `loop never checks ctx.Done\(\)`
		f(v)
	}
}

func drainDone[T any](ctx context.Context, ch <-chan T, f func(T)) {
	for {
		select {
		case <-ctx.Done():
			return
		case v := <-ch:
			f(v)
		}
	}
}

type result struct{ err error }

func work(ctx context.Context) error { return ctx.Err() }

// Results come from goroutines given ctx: they report its cancellation, quiet.
func gather(ctx context.Context, n int) error {
	results := make(chan result)
	for i := 0; i < n; i++ {
		go func() { results <- result{work(ctx)} }()
	}
	timer := time.NewTimer(time.Second)
	for {
		select {
		case r := <-results:
			if r.err != nil {
				return r.err
			}
		case <-timer.C:
			go func() { results <- result{work(ctx)} }()
		}
	}
}

func produce(ctx context.Context, out chan<- result) { out <- result{work(ctx)} }

// The same with a named producer function: quiet.
func gatherNamed(ctx context.Context) error {
	results := make(chan result)
	go produce(ctx, results)
	for {
		r := <-results
		if r.err != nil {
			return r.err
		}
	}
}

// A stream carries its own context: receiving from it ends with it, quiet.
type grpcStream interface {
	Context() context.Context
	Recv() (Job, error)
}

func (s *server) recvLoop(st grpcStream) error {
	for {
		j, err := st.Recv()
		if err != nil {
			return err
		}
		process(j)
	}
}

func watch(ctx context.Context, key string) <-chan Job { return make(chan Job) }

// A channel a call returned after being given ctx is closed with it, quiet.
func watcher(ctx context.Context) {
	for j := range watch(ctx, "k") {
		process(j)
	}
}

// A receiver without Context(): flagged.
type plainRecv interface{ Recv() (Job, error) }

func recvPlain(ctx context.Context, st plainRecv) error {
	for { // want `loop never checks ctx.Done\(\)`
		j, err := st.Recv()
		if err != nil {
			return err
		}
		process(j)
	}
}

func lookup(ctx context.Context) any { return ctx.Value("k") }

// A benchmark loop is bounded by the framework, quiet.
func BenchmarkLookup(b *testing.B) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	b.Run("sub", func(b *testing.B) {
		for b.Loop() {
			lookup(ctx)
		}
	})
}

type gate struct {
	mu    sync.Mutex
	cond  *sync.Cond
	ready bool
}

// A condition-variable wait in a function given ctx: Wait does not wake
// on cancellation, and no check of ctx.Err() alone fixes that, so there is
// no fix.
func (g *gate) wait(ctx context.Context) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	for !g.ready { // want `loop waits on g\.cond\.Wait\(\), which cancelling ctx does not wake: .*call context\.AfterFunc\(ctx, g\.cond\.Broadcast\) before the loop and check ctx\.Err\(\) in it, or wait on a channel`
		g.cond.Wait()
	}
	return nil
}

// Broadcast on cancellation and check ctx in the loop: quiet.
func (g *gate) waitCtx(ctx context.Context) error {
	stop := context.AfterFunc(ctx, func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		g.cond.Broadcast()
	})
	defer stop()
	g.mu.Lock()
	defer g.mu.Unlock()
	for !g.ready {
		if err := ctx.Err(); err != nil {
			return err
		}
		g.cond.Wait()
	}
	return nil
}

// Broadcast on cancellation but no check of ctx in the loop: the watch
// wakes Wait, and the loop waits again.
func (g *gate) waitWatchedOnly(ctx context.Context) error {
	stop := context.AfterFunc(ctx, func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		g.cond.Broadcast()
	})
	defer stop()
	g.mu.Lock()
	defer g.mu.Unlock()
	for !g.ready { // want `loop waits on g\.cond\.Wait\(\), which cancelling ctx does not wake`
		g.cond.Wait()
	}
	return nil
}

// Producers given ctx by the caller (go-redis executeMultiSlot): the
// loop in collect ends when they do, quiet.
func gatherAll(ctx context.Context, n int) error {
	results := make(chan result, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- result{work(ctx)}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	return collect(ctx, results)
}

func collect(ctx context.Context, results <-chan result) error {
	var first error
	for r := range results {
		if r.err != nil && first == nil {
			first = r.err
		}
	}
	return first
}

// The same collector whose caller's producers never see ctx: flagged.
func gatherBlind(ctx context.Context, n int) error {
	results := make(chan result, n)
	for i := 0; i < n; i++ {
		go func() { results <- result{fetch()} }()
	}
	return collectBlind(ctx, results)
}

func collectBlind(ctx context.Context, results <-chan result) error {
	for r := range results { // want `loop never checks ctx.Done\(\)`
		if r.err != nil {
			return r.err
		}
	}
	return nil
}

// A retry loop bounded in attempts but not in time: each sleep doubles.
func retryBackoff(ctx context.Context, attempts int) error {
	backoff := 10 * time.Millisecond
	var err error
	for i := 0; i < attempts; i++ { // want `retry loop is bounded in attempts, not in time: it sleeps a growing backoff and never checks ctx\.Done\(\)`
		if err = fetch(); err == nil {
			return nil
		}
		time.Sleep(backoff)
		backoff *= 2
	}
	return err
}

// The backoff capped with min, and the shift by the attempt: flagged.
func retryCapped(ctx context.Context) error {
	backoff := time.Millisecond
	for i := 0; i < 8; i++ { // want `retry loop is bounded in attempts`
		if fetch() == nil {
			return nil
		}
		time.Sleep(backoff)
		backoff = min(backoff*2, time.Second)
	}
	return errors.New("gave up")
}

func retryShift(ctx context.Context) error {
	for i := 0; i < 8; i++ { // want `retry loop is bounded in attempts`
		if fetch() == nil {
			return nil
		}
		time.Sleep(time.Millisecond << i)
	}
	return errors.New("gave up")
}

// The same backoff waiting in a select on ctx.Done: quiet.
func retryBackoffDone(ctx context.Context, attempts int) error {
	backoff := 10 * time.Millisecond
	var err error
	for i := 0; i < attempts; i++ {
		if err = fetch(); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
		backoff *= 2
	}
	return err
}

// A fixed pause between a fixed number of attempts stays quiet (gosec's
// G118 agrees): see retryBounded.

// A *testing.T has a Context method but calls on it do not end when that
// context is cancelled: t is no stream, and the loop is flagged (it would
// be quiet if t counted as carrying its context).
func logUntilReady(ctx context.Context, t *testing.T) {
	for { // want `loop never checks ctx\.Done\(\)`
		if ready() {
			return
		}
		t.Log("waiting")
		time.Sleep(time.Millisecond)
	}
}

// A counted loop whose body captures the counter (each iteration has its
// own i, so SSA sees no stepped phi) is still bounded by its for clause,
// and a fixed pause keeps it quiet.
func spawnEach(ctx context.Context, n int) {
	for i := 0; i < n; i++ {
		go func() { process(Job{ID: i}) }()
		time.Sleep(time.Millisecond)
	}
}
