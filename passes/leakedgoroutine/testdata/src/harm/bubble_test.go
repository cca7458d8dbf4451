package harm

import (
	"testing"
	"testing/synctest"
	"time"
)

// Joined: a goroutine a bubble's goroutine starts is in the bubble too.
func TestBubbleNested(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		go func() {
			go func() {
				time.Sleep(time.Millisecond)
				t.Logf("nested %d", compute())
			}()
		}()
	})
}
