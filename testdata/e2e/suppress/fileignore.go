//futlint:file-ignore unlockedinc e2e: the whole file is silenced

package suppress

import "sync"

// FileIgnored has the bug, silenced by the file-ignore directive above.
func FileIgnored(items []string) int {
	var wg sync.WaitGroup
	n := 0
	for range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n++
		}()
	}
	wg.Wait()
	return n
}
