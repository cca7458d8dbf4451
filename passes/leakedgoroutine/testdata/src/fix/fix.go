package fix

import "time"

func get() int { return 1 }

func fetch() (int, bool) {
	ch := make(chan int)
	go func() { ch <- get() }() // want `goroutine leaks: send on ch \(line 9\) blocks forever once fetch returns at line 14 \(timeout\)`
	select {
	case v := <-ch:
		return v, true
	case <-time.After(time.Second):
		return 0, false
	}
}
