package testevidence

import (
	"sync"
	"testing"
)

func TestSaturation(t *testing.T) {
	var s saturation
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.sleeping(1)
		}()
	}
	wg.Wait()
}

// Reported: a finding in the test itself.
func TestLost(t *testing.T) {
	var s saturation
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.lost++ // want `unsynchronized increment of s.lost \(shared by the goroutines started in a loop at metric_test.go:27\)`
		}()
	}
	wg.Wait()
}

func TestNode(t *testing.T) {
	n := &node{}
	n.Lock()
	n.paeBytes = 0
	n.Unlock()
	n.grow(1)
}
