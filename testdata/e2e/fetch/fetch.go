// Package fetch has the timeout select with an unbuffered result channel:
// after the timeout, the worker's send blocks forever.
package fetch

import (
	"errors"
	"time"
)

var errTimeout = errors.New("timeout")

func get(url string) string { return url }

// Fetch gets url, giving up after a second.
func Fetch(url string) (string, error) {
	ch := make(chan string)
	go func() { ch <- get(url) }() // want leakedgoroutine "send on ch .* blocks forever once Fetch returns"
	select {
	case r := <-ch:
		return r, nil
	case <-time.After(time.Second):
		return "", errTimeout
	}
}
