package harm

import (
	"testing"
	"time"
)

// Not examples: in a _test.go file, an ExampleX with a receiver, a
// parameter or a result is an ordinary function (go test runs no such
// example), so what it starts is checked like any test helper's.

type exampler struct{}

func (exampler) ExampleMethod() {
	go func() { // want `goroutine never ends`
		for {
			time.Sleep(time.Second)
			flush()
		}
	}()
}

func ExampleWithParam(d time.Duration) {
	go func() { // want `goroutine never ends`
		for {
			time.Sleep(d)
			flush()
		}
	}()
}

func ExampleWithResult() int {
	go func() { // want `goroutine never ends`
		for {
			time.Sleep(time.Second)
			flush()
		}
	}()
	return 0
}

func TestNotExamples(t *testing.T) {
	exampler{}.ExampleMethod()
	ExampleWithParam(time.Second)
	_ = ExampleWithResult()
}
