// Package poll has loops that are given a ctx and never check it.
package poll

import (
	"context"
	"time"
)

// Watch calls check every second until it reports true, and keeps going
// after ctx is cancelled.
func Watch(ctx context.Context, check func() bool) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for range t.C { // want uncheckedcancel `loop never checks ctx.Done\(\)`
		if check() {
			return
		}
	}
}

// WaitReady polls ready with a sleep.
func WaitReady(ctx context.Context, ready func() bool) {
	for { // want uncheckedcancel `loop never checks ctx.Done\(\)`
		if ready() {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}
