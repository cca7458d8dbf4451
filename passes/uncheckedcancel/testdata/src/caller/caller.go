// Package caller uses facts about package callee.
package caller

import (
	"context"

	"callee"
)

func honours(ctx context.Context) error {
	for {
		if err := callee.Honours(ctx); err != nil {
			return err
		}
	}
}

func forwards(ctx context.Context) error {
	for {
		if err := callee.Forwards(ctx); err != nil {
			return err
		}
	}
}

func ignores(ctx context.Context) error {
	for { // want `callee\.Ignores ignores its ctx, so this loop never observes cancellation`
		if err := callee.Ignores(ctx); err != nil {
			return err
		}
	}
}

func valueOnly(ctx context.Context) error {
	for { // want `callee\.ValueOnly ignores its ctx, so this loop never observes cancellation`
		if err := callee.ValueOnly(ctx); err != nil {
			return err
		}
	}
}

func detaches(ctx context.Context) error {
	for { // want `callee\.Detaches ignores its ctx`
		if err := callee.Detaches(ctx); err != nil {
			return err
		}
	}
}

func passesIgnored(ctx context.Context) error {
	for { // want `callee\.PassesIgnored ignores its ctx`
		if err := callee.PassesIgnored(ctx); err != nil {
			return err
		}
	}
}

// A loop calling a function that waits is long-running.
func waits(ctx context.Context, ch <-chan int) int {
	sum := 0
	for sum < 100 { // want `loop never checks ctx.Done\(\)`
		sum += callee.Wait(ch)
	}
	return sum
}

// A loop calling a function that only computes is not.
func computes(ctx context.Context) int {
	n := 1
	for n < 1000 {
		n = callee.Compute(n)
	}
	return n
}

// Same-package callee that ignores its ctx.
func step(ctx context.Context) error {
	return nil
}

func local(ctx context.Context) error {
	for { // want `step ignores its ctx, so this loop never observes cancellation`
		if err := step(ctx); err != nil {
			return err
		}
	}
}
