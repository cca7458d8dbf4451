// Package initvar: function literals in package-level variable
// initializers are source functions too (buildssa's SrcFuncs leaves them
// out: they belong to the synthetic init).
package initvar

import (
	"context"
	"time"
)

type Job struct{ ID int }

func process(Job) {}

// Reported: a worker kept in a package-level variable.
var worker = func(ctx context.Context, jobs <-chan Job) {
	for j := range jobs { // want `loop never checks ctx.Done\(\)`
		process(j)
	}
}

// Reported: a ginkgo-style suite body, `var _ = Describe(..., func() {...})`.
var _ = describe("poll", func(ctx context.Context) {
	t := time.NewTicker(time.Millisecond)
	defer t.Stop()
	for range t.C { // want `loop never checks ctx.Done\(\)`
		poll()
	}
})

// Quiet twin: the worker selects on ctx.Done.
var workerSelect = func(ctx context.Context, jobs <-chan Job) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case j, ok := <-jobs:
			if !ok {
				return nil
			}
			process(j)
		}
	}
}

func poll() {}

func describe(text string, body func(context.Context)) bool { return true }
