// Package lax is checked with -leakedgoroutine.strict=false: only grade 1.
package lax

import "time"

func background() {
	go func() { time.Sleep(time.Second) }()
}

func leak() int {
	ch := make(chan int)
	go func() { ch <- 1 }() // want `goroutine leaks: send on ch`
	select {
	case v := <-ch:
		return v
	case <-time.After(time.Second):
		return 0
	}
}
