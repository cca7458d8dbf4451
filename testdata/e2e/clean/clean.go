// Package clean has the safe look-alikes of every bug shape: no finding.
package clean

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Counter is guarded by its mutex.
type Counter struct {
	mu sync.Mutex
	n  int
}

// Inc holds the lock, released by defer.
func (c *Counter) Inc() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
}

// Count uses an atomic counter.
func Count(items []string) int64 {
	var wg sync.WaitGroup
	var n atomic.Int64
	for range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n.Add(1)
		}()
	}
	wg.Wait()
	return n.Load()
}

var hits atomic.Int64

// Register installs a handler with an atomic counter.
func Register(mux *http.ServeMux) {
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
	})
}

// Fetch gives the result channel room for the send.
func Fetch(get func() string) (string, bool) {
	ch := make(chan string, 1)
	go func() { ch <- get() }()
	select {
	case r := <-ch:
		return r, true
	case <-time.After(time.Second):
		return "", false
	}
}

// Watch stops when ctx is cancelled.
func Watch(ctx context.Context, check func() bool) error {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			if check() {
				return nil
			}
		}
	}
}
