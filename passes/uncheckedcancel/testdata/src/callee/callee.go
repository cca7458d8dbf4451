// Package callee has functions whose facts package caller uses.
package callee

import (
	"context"
	"time"
)

// Honours checks its ctx.
func Honours(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(time.Second):
		return nil
	}
}

// Forwards passes its ctx to a function that checks it.
func Forwards(ctx context.Context) error {
	return Honours(ctx)
}

// Ignores never looks at its ctx.
func Ignores(ctx context.Context) error {
	time.Sleep(time.Second)
	return nil
}

// ValueOnly reads a value from its ctx: that observes nothing.
func ValueOnly(ctx context.Context) error {
	_ = ctx.Value("k")
	return nil
}

// Detaches passes on only a detached ctx.
func Detaches(ctx context.Context) error {
	return Ignores(context.WithoutCancel(ctx))
}

// PassesIgnored passes its ctx to a function that ignores it.
func PassesIgnored(ctx context.Context) error {
	return Ignores(ctx)
}

// Wait waits without a context.
func Wait(ch <-chan int) int {
	return <-ch
}

// Compute neither waits nor takes a context: no fact.
func Compute(n int) int { return n * 2 }
