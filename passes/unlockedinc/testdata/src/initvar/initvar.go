// Package initvar: function literals in package-level variable
// initializers are source functions too (buildssa's SrcFuncs leaves them
// out: they belong to the synthetic init).
package initvar

import "sync"

// Reported: a ginkgo-style suite body, `var _ = Describe(..., func() {...})`.
var _ = describe("counts", func() {
	var wg sync.WaitGroup
	n := 0
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n++ // want `unsynchronized increment of n \(shared by the goroutines started in a loop at initvar.go:14\)`
		}()
	}
	wg.Wait()
})

// Reported: a closure nested in a handler variable's literal.
var handler = func(items []int) int {
	total := 0
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			total += it // want `unsynchronized increment of total \(shared by the goroutines started in a loop at initvar.go:28\)`
		}()
	}
	wg.Wait()
	return total
}

// Quiet twin: the same suite body, the increment under a mutex.
var _ = describe("locked", func() {
	var wg sync.WaitGroup
	var mu sync.Mutex
	n := 0
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			n++
			mu.Unlock()
		}()
	}
	wg.Wait()
})

func describe(text string, body func()) bool { return true }
