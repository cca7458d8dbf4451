// Package good type-checks and has a finding: a broken package next to it
// must not stop its analysis.
package good

import "sync"

// Count counts wrongly.
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
