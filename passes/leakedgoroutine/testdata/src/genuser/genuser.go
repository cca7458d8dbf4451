package genuser

import (
	"sync"
	"time"

	"gen"
)

func firstOver(limit int) int {
	for v := range gen.Count(100) { // want `goroutine leaks: Count starts a goroutine that sends on the channel it returns \(gen.go:12\), which blocks forever once firstOver returns at line 13`
		if v > limit {
			return v
		}
	}
	return -1
}

func searchTimeout(q string) string {
	ch, err := gen.Search(q) // want `Search starts a goroutine that sends on the channel it returns \(gen.go:21\), which blocks forever once searchTimeout returns at line 28 \(timeout\)`
	if err != nil {
		return ""
	}
	select {
	case r := <-ch:
		return r
	case <-time.After(time.Second):
		return ""
	}
}

// Draining the whole generator is fine.
func total() int {
	t := 0
	for v := range gen.Count(100) {
		t += v
	}
	return t
}

func searchWait(q string) string {
	ch, _ := gen.Search(q)
	return <-ch
}

// The worker in another package calls Done: joined through its fact.
func workers(n int) {
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go gen.Work(&wg)
	}
	wg.Wait()
}
