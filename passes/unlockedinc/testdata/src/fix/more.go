package fix

import (
	"sync"
	"sync/atomic"
)

type stats struct {
	served  uint64
	pending int32
	bytes   int
	queued  int64
}

var (
	s       stats
	resets  uint32
	ignored atomic.Bool
)

func serve(n int) {
	for range n {
		go func() {
			s.served++     // want `unsynchronized increment of s.served`
			s.pending -= 2 // want `unsynchronized decrement of s.pending`
			// No fix: int is not of a fixed size.
			s.bytes += 10 // want `unsynchronized increment of s.bytes`
			resets--      // want `unsynchronized decrement of resets`
			// No fix: only ++, --, += and -= are rewritten.
			s.queued = s.queued + 1 // want `unsynchronized increment of s.queued`
		}()
	}
}

// A plain store in an init function runs before any goroutine: resets
// keeps its fix.
func init() { resets = 1 }

type pool struct {
	mu   sync.Mutex
	idle []int
	hits int64
}

func (p *pool) put(v int) {
	p.mu.Lock()
	p.idle = append(p.idle, v)
	p.mu.Unlock()
}

// No fix: p.mu guards the struct's other fields; hold it.
func (p *pool) serve(n int) {
	for range n {
		go func() {
			p.hits++ // want `unsynchronized increment of p.hits`
		}()
	}
}
