package generic

import "sync"

type Number interface{ ~int | ~int64 | ~float64 }

type Counter[T Number] struct {
	mu sync.Mutex
	n  T
}

func (c *Counter[T]) Add(v T) {
	c.mu.Lock()
	c.n += v
	c.mu.Unlock()
}

// Reported: c.mu guards c.n in Add.
func (c *Counter[T]) Sub(v T) {
	c.n -= v // want `unsynchronized decrement of c.n: c.mu is held for c.n at generic.go:14; hold c.mu here too`
}

// Reported: a generic function whose goroutines share total.
func Sum[T Number](xs []T) T {
	var total T
	var wg sync.WaitGroup
	for _, x := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			total += x // want `unsynchronized increment of total \(shared by the goroutines started in a loop at generic.go:29\)`
		}()
	}
	wg.Wait()
	return total
}

// Quiet: per-goroutine results.
func Map[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, len(xs))
	var wg sync.WaitGroup
	for i, x := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = f(x)
		}()
	}
	wg.Wait()
	return out
}
