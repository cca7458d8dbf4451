// Package timerfatal: a timer drain after a case that took the value,
// in a package with no other Reset (a Reset that may be on the same
// timer keeps the rule quiet). Here the SSA of analysistest already ends
// the block at t.Fatal (std is analysed, so ctrlflow knows it never
// returns); the standalone driver, which has no facts for std, is pinned
// by the e2e module (testdata/e2e/owner/wait.go).
package timerfatal

import (
	"testing"
	"time"
)

// Quiet: the case that takes the value fails the test, and t.Fatal ends
// the goroutine, so the drain runs only when the value was not taken
// (grpc transport_test.go waitWhileTrue).
func waitWhileTrue(t *testing.T, cond func() bool) {
	timer := time.NewTimer(5 * time.Second)
	for {
		if cond() {
			select {
			case <-timer.C:
				t.Fatal("condition still true")
			default:
				time.Sleep(time.Millisecond)
				continue
			}
		}
		if !timer.Stop() {
			<-timer.C
		}
		break
	}
}

// Reported: the same wait, but the case only logs and goes on to the
// drain.
func waitWhileTrueLogged(t *testing.T, cond func() bool) {
	timer := time.NewTimer(5 * time.Second)
	for {
		if cond() {
			select {
			case <-timer.C:
				t.Log("condition still true")
			default:
				time.Sleep(time.Millisecond)
				continue
			}
		}
		if !timer.Stop() {
			<-timer.C // want `goroutine leaks: this drain of timer.C blocks forever once the case on timer.C`
		}
		break
	}
}
