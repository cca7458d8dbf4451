// Package timerdrain: `if !t.Stop() { <-t.C }` after the same goroutine
// already received the timer's value.
package timerdrain

import (
	"context"
	"testing"
	"time"
)

// A debouncer whose tick case takes the value without re-arming: the
// next kick's drain waits for a value that never comes.
type debouncer struct {
	timer *time.Timer
	kick  chan struct{}
	every time.Duration
	ticks int
}

func (d *debouncer) loop(ctx context.Context) {
	for {
		select {
		case <-d.timer.C:
			d.ticks++
		case <-d.kick:
			if !d.timer.Stop() {
				<-d.timer.C // want `goroutine leaks: this drain of d.timer.C blocks forever once the case on d.timer.C \(line 23\) has taken the timer's value and the timer was not reset`
			}
			d.timer.Reset(d.every)
		case <-ctx.Done():
			return
		}
	}
}

func startDebouncer(ctx context.Context, every time.Duration) *debouncer {
	d := &debouncer{timer: time.NewTimer(every), kick: make(chan struct{}, 1), every: every}
	go d.loop(ctx)
	return d
}

// A wait with a timeout, then the drain: when the timeout fired, its
// value is already taken.
func waitOrTimeout(done <-chan struct{}, d time.Duration) {
	t := time.NewTimer(d)
	select {
	case <-done:
	case <-t.C:
	}
	if !t.Stop() {
		<-t.C // want `goroutine leaks: this drain of t.C blocks forever once the case on t.C \(line 48\) has taken the timer's value`
	}
}

// ---- quiet twins ----

// The tick case re-arms the timer: Stop is true again by the next kick.
type rearmed struct {
	timer *time.Timer
	kick  chan struct{}
	every time.Duration
}

func (r *rearmed) loop(ctx context.Context) {
	for {
		select {
		case <-r.timer.C:
			r.timer.Reset(r.every)
		case <-r.kick:
			if !r.timer.Stop() {
				<-r.timer.C
			}
			r.timer.Reset(r.every)
		case <-ctx.Done():
			return
		}
	}
}

// A flag records that the value was taken, and the drain is skipped.
func waitFlagged(done <-chan struct{}, d time.Duration) {
	t := time.NewTimer(d)
	fired := false
	select {
	case <-done:
	case <-t.C:
		fired = true
	}
	if !fired && !t.Stop() {
		<-t.C
	}
}

// Only the drain: nothing received the value before.
func stopOnly(t *time.Timer) {
	if !t.Stop() {
		<-t.C
	}
}

// Another method re-arms the timer, on another goroutine.
type shared struct {
	timer *time.Timer
	kick  chan struct{}
}

func (s *shared) loop() {
	for {
		select {
		case <-s.timer.C:
		case <-s.kick:
			if !s.timer.Stop() {
				<-s.timer.C
			}
		}
	}
}

func (s *shared) poke(d time.Duration) { s.timer.Reset(d) }

// The tick case calls this package's code, which may re-arm the timer.
type helped struct {
	timer *time.Timer
	kick  chan struct{}
}

func (h *helped) loop() {
	for {
		select {
		case <-h.timer.C:
			h.rearm()
		case <-h.kick:
			if !h.timer.Stop() {
				<-h.timer.C
			}
		}
	}
}

func (h *helped) rearm() { h.timer = time.NewTimer(time.Second) }

// The timeout case ends the test: no path from it reaches the drain.
func waitUntil(t *testing.T, busy func() bool) {
	timer := time.NewTimer(time.Second)
	for {
		if busy() {
			select {
			case <-timer.C:
				t.Fatal("still busy")
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

// The timeout case fails the test: the drain blocks only once it failed.
func checkReady(t *testing.T, ready <-chan struct{}) {
	timer := time.NewTimer(time.Second)
	select {
	case <-ready:
	case <-timer.C:
		t.Error("not ready")
	}
	if !timer.Stop() {
		<-timer.C
	}
}
