// Package counter has the captured-counter bug: n++ in goroutines started
// in a loop.
package counter

import "sync"

// Count counts the items, concurrently and wrongly.
func Count(items []string) int {
	var wg sync.WaitGroup
	n := 0
	for range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n++ // want unlockedinc "unsynchronized increment of n"
		}()
	}
	wg.Wait()
	return n
}
