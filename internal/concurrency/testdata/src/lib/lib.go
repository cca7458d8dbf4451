package lib

import "sync"

func Each(xs []int, f func(int)) { // want Each:"p1:sync"
	for _, x := range xs {
		f(x)
	}
}

func Parallel(n int, f func(int)) { // want Parallel:"p1:go\\|goMany; waits"
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(i)
		}()
	}
	wg.Wait()
}

type Counter struct {
	mu sync.Mutex
	n  int
}

func (c *Counter) Lock() { c.mu.Lock() } // want Lock:"acquires p0.mu"

func (c *Counter) Unlock() { c.mu.Unlock() } // want Unlock:"releases p0.mu"

func (c *Counter) Flush() { // want Flush:"reacquires p0.mu"
	c.mu.Unlock()
	c.mu.Lock()
}
