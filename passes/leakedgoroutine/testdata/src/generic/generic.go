// Package generic checks that generic code is analysed without a crash.
package generic

import (
	"sync"
	"time"
)

type box[T any] struct {
	wg  sync.WaitGroup
	out chan T
}

func (b *box[T]) start(v T) {
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		b.out <- v
	}()
}

func (b *box[T]) wait() { b.wg.Wait() }

func first[T any](f func() T) (T, bool) {
	ch := make(chan T)
	go func() { ch <- f() }() // want `goroutine leaks: send on ch \(line 26\) blocks forever once first returns at line 32 \(timeout\)`
	select {
	case v := <-ch:
		return v, true
	case <-time.After(time.Second):
		var zero T
		return zero, false
	}
}

func each[S ~[]E, E any](s S, f func(E)) {
	var wg sync.WaitGroup
	for _, e := range s {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(e)
		}()
	}
	wg.Wait()
}

func use() {
	first(func() int { return 1 })
	b := &box[int]{out: make(chan int, 1)}
	b.start(1)
	b.wait()
	each([]int{1}, func(int) {})
}
