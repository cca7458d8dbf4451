package contract

import "testing"

// A path that has failed the test leaks only once the test has failed.
func TestFailed(t *testing.T) {
	tk := ticker{beat: make(chan int), done: make(chan struct{})}
	tk.Start()
	if testing.Short() {
		t.Error("short")
		return
	}
	tk.Stop()
}
