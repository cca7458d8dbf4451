package handlers

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// Quiet: a test decides how many requests run at once, and reads the
// counter after a join.
func TestSequential(t *testing.T) {
	n := 0
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n++
	}))
	defer ts.Close()
	done := make(chan bool)
	go func() {
		http.Get(ts.URL)
		done <- true
	}()
	<-done
	if n != 1 {
		t.Fatal(n)
	}
}

// Reported: the test reads the counter while the handler may run.
func TestUnjoined(t *testing.T) {
	n := 0
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n++ // want `unsynchronized increment of n \(shared with the function passed to http.HandlerFunc at handlers_test.go:31\)`
	}))
	defer ts.Close()
	go http.Get(ts.URL)
	t.Log(n)
}
