package testevidence

import "sync"

type saturation struct {
	slept int64
	lost  int64
}

// Quiet: only a test runs sleeping on goroutines; a test's goroutines are
// evidence for findings in tests only.
func (s *saturation) sleeping(d int64) {
	s.slept += d
}

type node struct {
	sync.RWMutex
	paeBytes int
	applied  int
}

// Quiet: only a test holds the lock for paeBytes.
func (n *node) grow(b int) {
	n.paeBytes += b
}

func (n *node) last() int {
	n.RLock()
	defer n.RUnlock()
	return n.applied
}

// Reported: production code holds the lock for applied, in last.
func (n *node) apply() {
	n.applied++ // want `unsynchronized increment of n.applied: n.RWMutex is held for n.applied at metric.go:30`
}

type counter struct{ hits int64 }

// Quiet: only a test reads hits atomically.
func (c *counter) add() {
	c.hits++
}
