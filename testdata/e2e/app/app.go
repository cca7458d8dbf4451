// Package app calls lib in loops: whether a loop observes cancellation
// depends on a fact about lib.Pause computed when analysing package lib.
package app

import (
	"context"
	"time"

	"example.com/e2e/lib"
)

// Retry calls try until it succeeds, pausing with lib.Pause, which ignores
// its ctx: the loop never stops on cancellation.
func Retry(ctx context.Context, try func() error) {
	for { // want uncheckedcancel "lib.Pause ignores its ctx"
		if try() == nil {
			return
		}
		lib.Pause(ctx, time.Second)
	}
}

// RetryCtx is Retry done right: lib.PauseCtx returns when ctx is done.
func RetryCtx(ctx context.Context, try func() error) error {
	for {
		if try() == nil {
			return nil
		}
		if err := lib.PauseCtx(ctx, time.Second); err != nil {
			return err
		}
	}
}
