// Package closedafter: a function waits on a channel that only its own
// deferred close closes.
package closedafter

import "time"

type waitFn func(stop <-chan struct{}) <-chan struct{}

// ticker returns a wait function: a goroutine ticks on the channel it
// returns until stop is closed.
func ticker(d time.Duration) waitFn {
	return func(stop <-chan struct{}) <-chan struct{} {
		out := make(chan struct{})
		go func() {
			defer close(out)
			t := time.NewTicker(d)
			defer t.Stop()
			for {
				select {
				case <-t.C:
					select {
					case out <- struct{}{}:
					default:
					}
				case <-stop:
					return
				}
			}
		}()
		return out
	}
}

func pollUntil(wait waitFn, cond func() bool, stop <-chan struct{}) {
	for range wait(stop) {
		if cond() {
			return
		}
	}
}

// The callback keeps the stop channel it is given, and check waits on
// it: stop is closed only by check's defer.
func check() {
	stop := make(chan struct{})
	defer close(stop)
	tick := ticker(time.Millisecond)
	var seen <-chan struct{}
	pollUntil(func(s <-chan struct{}) <-chan struct{} {
		seen = s
		return tick(s)
	}, func() bool { return true }, stop)
	<-seen // want `goroutine leaks: this receive is from stop \(line 45\), which nothing sends on and only this function's deferred close \(line 46\) closes, after it returns: it blocks forever; close stop before waiting for it`
}

func watch(done <-chan struct{}) { <-done }

// The same, directly.
func direct() {
	done := make(chan struct{})
	defer close(done)
	go watch(done)
	<-done // want `goroutine leaks: this receive is from done \(line 60\), which nothing sends on and only this function's deferred close \(line 61\) closes`
}

// ---- quiet twins ----

// Closed before the wait.
func closedFirst() {
	stop := make(chan struct{})
	tick := ticker(time.Millisecond)
	var seen <-chan struct{}
	pollUntil(func(s <-chan struct{}) <-chan struct{} {
		seen = s
		return tick(s)
	}, func() bool { return true }, stop)
	close(stop)
	<-seen
}

// Another goroutine sends on it.
func signalled() {
	done := make(chan struct{})
	defer close(done)
	go func() { done <- struct{}{} }()
	<-done
}

// Handed to code we cannot follow.
type notifier interface{ notify(chan<- struct{}) }

func handedOn(n notifier) {
	done := make(chan struct{})
	defer close(done)
	n.notify(done)
	<-done
}

// The callback is stored, to be called later by anyone.
var hooks []func(<-chan struct{})

func register(h func(<-chan struct{})) { hooks = append(hooks, h) }

func fire(c chan struct{}) {
	for _, h := range hooks {
		h(c)
	}
}

func stored() {
	stop := make(chan struct{})
	defer close(stop)
	var seen <-chan struct{}
	register(func(s <-chan struct{}) { seen = s })
	fire(stop)
	<-seen
}

// The variable starts as another channel, closed: if the callback never
// runs, the receive returns.
func startsClosed() {
	stop := make(chan struct{})
	defer close(stop)
	tick := ticker(time.Millisecond)
	other := make(chan struct{})
	close(other)
	seen := (<-chan struct{})(other)
	pollUntil(func(s <-chan struct{}) <-chan struct{} {
		seen = s
		return tick(s)
	}, func() bool { return true }, stop)
	<-seen
}
