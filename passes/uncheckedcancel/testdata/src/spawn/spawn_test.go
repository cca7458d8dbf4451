package spawn

import (
	"testing"
	"time"
)

type event struct{}

// A closure called synchronously in a test body runs on the test's
// goroutine: its t.Context() is the test's own, cancelled only once the
// test returns, as for the same loop written inline: quiet.
func TestDrainSync(t *testing.T) {
	events := make(chan event, 1)
	events <- event{}
	close(events)
	drain := func() {
		ctx := t.Context()
		for e := range events {
			_ = e
		}
		_ = ctx
	}
	drain()
}

// The same closure on a goroutine of the test outlives it: flagged.
func TestDrainGo(t *testing.T) {
	events := make(chan event)
	drain := func() {
		ctx := t.Context()
		for e := range events { // want `loop never checks t\.Context\(\)\.Done\(\)`
			_ = e
		}
		_ = ctx
	}
	go drain()
	time.Sleep(time.Millisecond)
}
