package fix

import (
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
