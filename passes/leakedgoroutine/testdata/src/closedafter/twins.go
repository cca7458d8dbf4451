package closedafter

import "time"

// Quiet twins of direct, each pinned: switching off the check it names
// makes it report.

// A helper's deferred close runs when the helper returns, before the
// receive.
func closeWhenDone(ch chan struct{}) {
	defer close(ch)
}

func viaHelper() {
	done := make(chan struct{})
	closeWhenDone(done)
	<-done
}

// The channel is also returned: the rule does not follow it into the
// callers.
func returned() chan struct{} {
	done := make(chan struct{})
	defer close(done)
	go watch(done)
	<-done
	return done
}

// The receive is a helper's: only receives in the function that defers
// the close are reported, which its message names.
func waitFor(ch chan struct{}) { <-ch }

func inHelper() {
	done := make(chan struct{})
	defer close(done)
	waitFor(done)
}

// The wait also times out.
func withTimeout() {
	done := make(chan struct{})
	defer close(done)
	go watch(done)
	select {
	case <-done:
	case <-time.After(time.Second):
	}
}
