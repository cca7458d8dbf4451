package protocol

import (
	"sync"
	"time"
)

// An expiry callback that returns early with the lock held.
type cache struct {
	mu      sync.Mutex
	entries map[string]int
	pinned  map[string]bool
}

func (c *cache) expire(key string) {
	time.AfterFunc(time.Second, func() {
		c.mu.Lock()
		if c.pinned[key] {
			return // want `goroutine leaks: the goroutine returns here with c.mu still locked \(Lock at line 17; it unlocks it at line 22 on other paths\), and nothing else unlocks it, so every later Lock of c.mu blocks forever; unlock it before this return, or defer the Unlock`
		}
		delete(c.entries, key)
		c.mu.Unlock()
	})
}

// Quiet twin: the Unlock is deferred.
func (c *cache) expireDeferred(key string) {
	time.AfterFunc(time.Second, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.pinned[key] {
			return
		}
		delete(c.entries, key)
	})
}

// Quiet twin: the goroutine takes the lock for its spawner, which
// unlocks it (a handoff): it never unlocks it itself.
func (c *cache) freeze(ready chan struct{}) {
	go func() {
		c.mu.Lock()
		close(ready)
	}()
}

func (c *cache) thaw() { c.mu.Unlock() }

// Quiet twin: the function also runs synchronously, where the caller may
// unlock.
func (c *cache) sweep(key string) {
	f := func() {
		c.mu.Lock()
		if c.pinned[key] {
			return
		}
		delete(c.entries, key)
		c.mu.Unlock()
	}
	f()
	if c.pinned[key] {
		c.mu.Unlock()
	}
	go f()
}

// Quiet twin: a lock handed back and forth with the spawner, which took
// it first: the goroutine unlocks what it did not lock, and may return
// holding it for the spawner.
func (c *cache) pingPong(done chan struct{}) {
	c.mu.Lock()
	go func() {
		for {
			c.mu.Unlock()
			c.mu.Lock()
			select {
			case done <- struct{}{}:
				return
			default:
			}
		}
	}()
	<-done
}

// Quiet twin: a deferred closure unlocks on the paths that set the flag,
// so no return leaves the lock held for certain.
func (c *cache) expireFlagged(key string) {
	go func() {
		var held bool
		defer func() {
			if held {
				c.mu.Unlock()
			}
		}()
		c.mu.Lock()
		held = true
		if c.pinned[key] {
			return
		}
		delete(c.entries, key)
		c.mu.Unlock()
		held = false
	}()
}
