package donepath

import "testing"

// The early return follows a reported failure.
func TestFails(t *testing.T) {
	done := make(chan struct{})
	go func() {
		if _, ok := next(); !ok {
			t.Error("no next")
			return
		}
		close(done)
	}()
	<-done
}
