// Package lib has a function that takes a ctx and ignores it: callers in
// other packages learn that from facts.
package lib

import (
	"context"
	"time"
)

// Pause sleeps for d. It takes a ctx but never looks at it.
func Pause(ctx context.Context, d time.Duration) {
	time.Sleep(d)
}

// PauseCtx sleeps for d or until ctx is cancelled.
func PauseCtx(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}
