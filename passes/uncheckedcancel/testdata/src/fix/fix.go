// Package fix exercises the two suggested fixes.
package fix

import (
	"context"
	"time"
)

func handle(int) {}

func selectErr(ctx context.Context, in <-chan int) error {
	for { // want `loop never checks ctx.Done\(\)`
		select {
		case v := <-in:
			handle(v)
		case <-time.After(time.Second):
		}
	}
}

func selectValues(ctx context.Context, in <-chan int) (int, error) {
	sum := 0
	for { // want `loop never checks ctx.Done\(\)`
		select {
		case v := <-in:
			sum += v
		case <-time.After(time.Second):
			sum = 0
		}
	}
}

func plainNoResults(ctx context.Context, in <-chan int) {
	for v := range in { // want `loop never checks ctx.Done\(\)`
		handle(v)
	}
}

func plainValues(ctx context.Context, ready func() bool) (time.Time, string, error) {
	for { // want `loop never checks ctx.Done\(\)`
		if ready() {
			return time.Now(), "ok", nil
		}
		time.Sleep(time.Second)
	}
}

type poller struct {
	ctx context.Context
	in  chan int
}

func (p *poller) run() {
	for v := range p.in { // want `loop never checks p\.ctx.Done\(\)`
		handle(v)
	}
}

func closure(ctx context.Context, in <-chan int) {
	go func() {
		for v := range in { // want `loop never checks ctx.Done\(\)`
			handle(v)
		}
		_ = ctx
	}()
}

// No fix: the context has no name.
func blank(_ context.Context, in <-chan int) {
	for v := range in { // want `loop never checks ctx.Done\(\)`
		handle(v)
	}
}

// No fix: ctx is shadowed where the check would go.
func shadowed(ctx context.Context, in <-chan int) {
	{
		ctx := "shadow"
		for v := range in { // want `loop never checks ctx.Done\(\)`
			handle(v)
		}
		_ = ctx
	}
}
