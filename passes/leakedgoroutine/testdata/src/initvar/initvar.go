// Package initvar: function literals in package-level variable
// initializers are source functions too (buildssa's SrcFuncs leaves them
// out: they belong to the synthetic init).
package initvar

import (
	"errors"
	"time"
)

func get(string) int { return 0 }

var errTimeout = errors.New("timeout")

// Reported: a ginkgo-style suite body, `var _ = Describe(..., func() {...})`.
var _ = describe("fetch", func() {
	ch := make(chan int)
	go func() { ch <- get("x") }() // want `goroutine leaks: send on ch \(line 18\) blocks forever once the func literal returns at line 23 \(timeout\)`
	select {
	case <-ch:
		return
	case <-time.After(time.Second):
		return
	}
})

// Reported: a handler variable's literal.
var fetch = func(url string) (int, error) {
	ch := make(chan int)
	go func() { ch <- get(url) }() // want `goroutine leaks: send on ch \(line 30\) blocks forever once the func literal returns at line 35 \(timeout\)`
	select {
	case r := <-ch:
		return r, nil
	case <-time.After(time.Second):
		return 0, errTimeout
	}
}

// Quiet twin: the result channel has room for the late send.
var fetchBuffered = func(url string) (int, error) {
	ch := make(chan int, 1)
	go func() { ch <- get(url) }()
	select {
	case r := <-ch:
		return r, nil
	case <-time.After(time.Second):
		return 0, errTimeout
	}
}

func describe(text string, body func()) bool { return true }
