package timerdrain

import (
	"testing"
	"time"
)

// Each case here is pinned: switching off the check it names makes it
// fail.

// Stopping an expired timer again does not re-arm it (a Stop call on
// the way is no Reset).
func stopTwice(done <-chan struct{}, d time.Duration) {
	t := time.NewTimer(d)
	select {
	case <-done:
	case <-t.C:
		t.Stop()
	}
	if !t.Stop() {
		<-t.C // want `goroutine leaks: this drain of t.C blocks forever once the case on t.C \(line 17\) has taken the timer's value`
	}
}

// ---- quiet twins ----

// The drain re-arms the timer first: its receive waits for the new value.
func rearmThenWait(done <-chan struct{}, d time.Duration) {
	t := time.NewTimer(d)
	select {
	case <-done:
	case <-t.C:
	}
	if !t.Stop() {
		t.Reset(d)
		<-t.C
	}
}

// The tick case puts a new timer in the field: the drain is of that one.
type replaced struct {
	timer *time.Timer
	kick  chan struct{}
}

func (r *replaced) loop() {
	for {
		select {
		case <-r.timer.C:
			r.timer = time.NewTimer(time.Second)
		case <-r.kick:
			if !r.timer.Stop() {
				<-r.timer.C
			}
		}
	}
}

// The tick case calls a closure of the package, which replaces the timer.
type viaClosure struct {
	timer *time.Timer
	kick  chan struct{}
}

func (v *viaClosure) loop(d time.Duration) {
	rearm := func() { v.timer = time.NewTimer(d) }
	for {
		select {
		case <-v.timer.C:
			rearm()
		case <-v.kick:
			if !v.timer.Stop() {
				<-v.timer.C
			}
		}
	}
}

// The timeout case ends the test through the testing.TB interface.
func waitUntilTB(tb testing.TB, busy func() bool) {
	timer := time.NewTimer(time.Second)
	for {
		if busy() {
			select {
			case <-timer.C:
				tb.Fatal("still busy")
			default:
				time.Sleep(time.Millisecond)
				continue
			}
		}
		if !timer.Stop() {
			<-timer.C
		}
		return
	}
}
