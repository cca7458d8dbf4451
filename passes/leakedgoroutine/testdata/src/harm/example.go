package harm

import "time"

// Not an example: outside a _test.go file, ExampleServe is an ordinary
// function.
func ExampleServe() {
	go func() { // want `goroutine never ends`
		for {
			time.Sleep(time.Second)
			flush()
		}
	}()
}
