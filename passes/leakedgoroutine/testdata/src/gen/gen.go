// Package gen has generators and helpers used from package genuser.
package gen

import "sync"

// Count sends 0..n-1 and closes the channel.
func Count(n int) <-chan int { // want Count:`generator\(result 0, sends until closed\)`
	ch := make(chan int)
	go func() {
		defer close(ch)
		for i := range n {
			ch <- i
		}
	}()
	return ch
}

// Search sends one result.
func Search(q string) (<-chan string, error) { // want Search:`generator\(result 0, sends 1\)`
	ch := make(chan string)
	go func() { ch <- q }()
	return ch, nil
}

// Work calls Done on wg when it is finished.
func Work(wg *sync.WaitGroup) {
	defer wg.Done()
}
