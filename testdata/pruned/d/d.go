// Package d is a dependency of module m, analysed from m.
package d

// Start leaks its goroutine: nothing receives from done.
func Start() {
	done := make(chan int)
	go func() {
		done <- 1
	}()
}
