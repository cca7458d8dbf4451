// Package finish: grade 2 joins that mean the goroutine has finished.
package finish

import "sync"

func work() {}

// ---- signals that do not say "finished" ----

type notifier struct {
	kick chan struct{}
	jobs chan int
}

// The goroutine pokes kick without blocking, and keeps working.
func (n *notifier) start() {
	go func() { // want `goroutine is not joined`
		for j := range n.jobs {
			_ = j
			select {
			case n.kick <- struct{}{}:
			default:
			}
		}
	}()
}

func (n *notifier) wait() { <-n.kick }

// The last act is a notification the waiter may miss: not "finished".
func (n *notifier) ping() {
	go func() { // want `goroutine is not joined`
		work()
		select {
		case n.kick <- struct{}{}:
		default:
		}
	}()
}

func newNotifier() *notifier {
	return &notifier{kick: make(chan struct{}), jobs: make(chan int)}
}

func (n *notifier) Push(j int) { n.jobs <- j }

// A non-blocking notify mid-body: the goroutine goes on and later
// returns without signalling.
func notifyThenContinue(in chan int) {
	ch := make(chan struct{})
	go func() { // want `goroutine is not joined`
		for {
			select {
			case ch <- struct{}{}:
			default:
			}
			if _, ok := <-in; !ok {
				return
			}
		}
	}()
	<-ch
}

// The non-blocking send is the only way out, but more work follows it.
func exitSendThenWork() {
	ch := make(chan struct{})
	go func() { // want `goroutine is not joined`
		for {
			work()
			select {
			case ch <- struct{}{}:
				work()
				return
			default:
			}
		}
	}()
	<-ch
}

// The send's success returns, but so does giving up after n tries.
func exitSendOrGiveUp(n int) {
	ch := make(chan struct{})
	go func() { // want `goroutine is not joined`
		for i := 0; i < n; i++ {
			work()
			select {
			case ch <- struct{}{}:
				return
			default:
			}
		}
	}()
	<-ch
}

// ready is closed at the start: it says "started", not "done".
func startedOnly(in chan int) {
	ready := make(chan struct{})
	go func() { // want `goroutine is not joined`
		close(ready)
		for v := range in {
			_ = v
			work()
		}
	}()
	<-ready
}

// progress is sent on after each item, and the loop does more work.
func progressOnly(in chan int) {
	progress := make(chan int)
	go func() { // want `goroutine is not joined`
		for v := range in {
			progress <- v
			work()
		}
	}()
	<-progress
}

// ---- quiet twins: the last act ----

func deferredClose() {
	done := make(chan struct{})
	go func() {
		defer close(done)
		work()
	}()
	<-done
}

func result() int {
	res := make(chan int)
	go func() { res <- compute() }()
	return <-res
}

func compute() int { return 1 }

func closedAtEnd() {
	done := make(chan struct{})
	go func() {
		work()
		close(done)
	}()
	<-done
}

// The non-blocking send's success is the goroutine's only way out: the
// default branch goes round again, so it has finished once the send is
// received (prometheus TestReshardRaceWithStop).
func exitSendOnly() {
	exitCh := make(chan struct{})
	go func() {
		for {
			work()
			select {
			case exitCh <- struct{}{}:
				return
			default:
			}
		}
	}()
	<-exitCh
}

// A counted producer: its last send is its last act.
func produce(xs []int) {
	out := make(chan int)
	go func() {
		for _, x := range xs {
			out <- x
		}
	}()
	for range xs {
		<-out
	}
}

// A helper that signals as its last act, called last.
func (n *notifier) finish() { close(n.kick) }

func (n *notifier) run() {
	go func() {
		work()
		n.finish()
	}()
}

// ---- joins through what the goroutine hands back ----

// The done channel is handed out by an accessor: its callers wait on it.
type watcher struct{ donec chan struct{} }

func newWatcher() *watcher {
	w := &watcher{donec: make(chan struct{})}
	go w.loop()
	return w
}

func (w *watcher) loop() {
	defer close(w.donec)
	work()
}

func (w *watcher) Done() <-chan struct{} { return w.donec }

// The stop request carries the channel to reply on.
type actor struct{ stopc chan chan struct{} }

func newActor() *actor {
	a := &actor{stopc: make(chan chan struct{})}
	go a.run()
	return a
}

func (a *actor) run() {
	donec := <-a.stopc
	defer close(donec)
	work()
}

func (a *actor) Stop() {
	donec := make(chan struct{})
	a.stopc <- donec
	<-donec
}

// The goroutine's last act is a helper that closes the done channel
// under a lock and clears it.
type agent struct {
	mu    sync.Mutex
	stopc chan struct{}
	donec chan struct{}
}

func (a *agent) stopComplete() {
	a.mu.Lock()
	if a.donec != nil {
		close(a.donec)
		a.donec = nil
	}
	a.mu.Unlock()
}

func (a *agent) run() {
	for {
		select {
		case <-a.stopc:
			work()
			a.stopComplete()
			return
		default:
			work()
		}
	}
}

func (a *agent) Start() { go a.run() }

func newAgent() *agent {
	return &agent{stopc: make(chan struct{}), donec: make(chan struct{})}
}

func (a *agent) Stop() { close(a.stopc) }

func (a *agent) wait() { <-a.donec }
