package owner

import (
	"testing"
	"time"
)

// WaitWhile polls cond for up to five seconds. The case that takes the
// timer's value fails the test, and t.Fatal ends the goroutine, so the
// drain after Stop runs only when the value was not taken: no finding
// (leakedgoroutine's timer drain rule, standalone, where std has no
// ctrlflow facts and t.Fatal is known from the exit table only).
func WaitWhile(t *testing.T, cond func() bool) {
	timer := time.NewTimer(5 * time.Second)
	for {
		if cond() {
			select {
			case <-timer.C:
				t.Fatal("condition still true after 5s")
			default:
				time.Sleep(10 * time.Millisecond)
				continue
			}
		}
		if !timer.Stop() {
			<-timer.C
		}
		break
	}
}
