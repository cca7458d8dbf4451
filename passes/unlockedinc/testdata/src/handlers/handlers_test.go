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

// Quiet: requests are issued by the test, which reads the counter
// when their responses have arrived.
func TestSequentialRequests(t *testing.T) {
	n := 0
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n++
	}))
	defer ts.Close()
	for range 3 {
		http.Get(ts.URL)
	}
	t.Log(n)
}
