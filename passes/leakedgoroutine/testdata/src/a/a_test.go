package a

import (
	"testing"
	"time"
)

// t.Fatal never returns: the test stops there, and the process with it.
func TestFatal(t *testing.T) {
	ch := make(chan *Result)
	go func() { ch <- get("x") }()
	select {
	case <-ch:
	case <-time.After(time.Second):
		t.Fatal("timeout")
	}
}

// t.Error and return: the sender leaks only once the test has already
// failed, which the test reports: not a grade 1 leak.
func TestError(t *testing.T) {
	ch := make(chan *Result)
	go func() { ch <- get("x") }()
	select {
	case <-ch:
	case <-time.After(time.Second):
		t.Error("timeout")
		return
	}
}

// Positive twin: returning early without a failure leaks the sender.
func TestSkipReceive(t *testing.T) {
	ch := make(chan *Result)
	go func() { ch <- get("x") }() // want `send on ch \(line 35\) blocks forever once TestSkipReceive returns at line 37 \(before receiving from ch\)`
	if testing.Short() {
		return
	}
	<-ch
}
