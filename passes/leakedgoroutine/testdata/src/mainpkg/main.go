// Package main's goroutines started in main and init, and those they
// start, live as long as the process: they are not reported as unjoined,
// and main returning ends the process, so no path of main leaks.
package main

import (
	"os"
	"os/signal"
	"time"
)

func init() {
	go func() { time.Sleep(time.Second) }()
}

func main() {
	go listenAndServe(":8080")
	go func() {
		for range time.Tick(time.Second) {
			go poll()
		}
	}()
	ch := make(chan int)
	go func() { ch <- 1 }()
	select {
	case <-ch:
	case <-time.After(time.Second):
		return
	}
	handle(func() {
		go poll() // want `goroutine is not joined`
	})
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	<-sig
}

func poll() {}

func handle(func()) {}

// Other functions of package main are checked as usual.
func helper() int {
	go listenAndServe(":8081") // want `goroutine is not joined`
	ch := make(chan int)
	go func() { ch <- 1 }() // want `goroutine leaks: send on ch \(line 46\) blocks forever once helper returns at line 51 \(timeout\)`
	select {
	case v := <-ch:
		return v
	case <-time.After(time.Second):
		return 0
	}
}

func listenAndServe(addr string) error {
	select {}
}

// beacon's goroutine ends only when done is closed; main starting one and
// never stopping it is the process's lifetime, not a leak.
type beacon struct{ tick, done chan int }

func (b *beacon) Start() {
	go func() { // want `goroutine is not joined`
		for {
			select {
			case <-b.tick:
			case <-b.done:
				return
			}
		}
	}()
}

func init() {
	b := &beacon{tick: make(chan int), done: make(chan int)}
	b.Start()
}
