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

// No fix: false may mean something else to the caller ("handed over"),
// so the message asks what to return.
func waitReady(ctx context.Context, ready func() bool) bool {
	for { // want `loop never checks ctx.Done\(\): it keeps running after ctx is cancelled; check ctx.Err\(\) in the loop and decide what bool to return then$`
		if ready() {
			return true
		}
		time.Sleep(time.Second)
	}
}

// No fix in a select either: the results end without an error.
func countUntil(ctx context.Context, in <-chan int, stop int) (int, bool) {
	n := 0
	for { // want `add "case <-ctx.Done\(\):" to the select and decide what \(int, bool\) to return then$`
		select {
		case v := <-in:
			if v == stop {
				return n, true
			}
			n++
		case <-time.After(time.Second):
		}
	}
}

// The message matches the fix: a case for the select, returning ctx.Err().
func selectOnlyErr(ctx context.Context, in <-chan int) error {
	for { // want `add "case <-ctx.Done\(\): return ctx.Err\(\)" to the select$`
		select {
		case v := <-in:
			handle(v)
		case <-time.After(time.Second):
		}
	}
}

// And a check where there is no select.
func plainOnlyErr(ctx context.Context, ready func() bool) error {
	for { // want `check ctx.Err\(\) in the loop and return ctx.Err\(\)$`
		if ready() {
			return nil
		}
		time.Sleep(time.Second)
	}
}
