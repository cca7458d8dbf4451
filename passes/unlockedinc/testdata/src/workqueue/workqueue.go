// Package workqueue has a spawn helper another package calls.
package workqueue

import "sync"

// ParallelizeUntil calls f for every piece, on workers goroutines.
func ParallelizeUntil(workers, pieces int, f func(piece int)) {
	next := make(chan int, pieces)
	for i := range pieces {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	wg.Wait()
}

// Sequential calls f for every piece, on the caller's goroutine.
func Sequential(pieces int, f func(piece int)) {
	for i := range pieces {
		f(i)
	}
}
