package handoff

import "fmt"

// Reported: each goroutine receives twice, so a later iteration's send
// may pair with an earlier goroutine's second receive, before this
// iteration's goroutine has updated its n: the send waits for one of
// many goroutines, not for this one.
func sendToOneOfMany(items []int) {
	done := make(chan struct{})
	for range items {
		n := new(int)
		go func() {
			*n++ // want `unsynchronized increment of \*n \(shared by the goroutines started in a loop at many.go:13\)`
			<-done
			<-done
		}()
		done <- struct{}{}
		fmt.Println(*n)
	}
}

var side chan struct{}

// Reported: the goroutine first receives from side, which the model does
// not tell from done: the send may pair with that receive, before the
// update.
func sendMayPairEarly() {
	done := make(chan struct{})
	n := 0
	go func() {
		<-side
		n++ // want `unsynchronized increment of n \(shared with the goroutine started at many.go:31\)`
		<-done
	}()
	done <- struct{}{}
	fmt.Println(n)
}
