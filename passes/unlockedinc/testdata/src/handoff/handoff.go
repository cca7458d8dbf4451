// Package handoff: a spawner and its goroutine touching the same memory
// in turn, ordered by a channel or WaitGroup only they use.
package handoff

import (
	"fmt"
	"sync"
)

type job struct {
	offset int
	start  chan struct{}
	ready  chan struct{}
}

// Quiet: the spawner sets offset before the send the goroutine waits for.
func startAfterSetup(base int) {
	j := &job{start: make(chan struct{})}
	go func() {
		<-j.start
		j.offset++
	}()
	j.offset = base
	j.start <- struct{}{}
}

// Quiet: a close hands off the same way.
func startByClose(base int) {
	start := make(chan struct{})
	n := 0
	go func() {
		<-start
		n++
	}()
	n = base
	close(start)
}

// Reported: the spawner writes n after the send, while the goroutine,
// which has received it, updates n.
func writeAfterSend(base int) {
	start := make(chan struct{})
	n := 0
	go func() {
		<-start
		n++ // want `unsynchronized increment of n \(shared with the goroutine started at handoff.go:44\)`
	}()
	start <- struct{}{}
	n = base
}

// Reported: a send before the access, on another path through the loop,
// can reach the goroutine first.
func sendInLoop(items []int) {
	next := make(chan int)
	total := 0
	go func() {
		for v := range next {
			total += v // want `unsynchronized increment of total \(shared with the goroutine started at handoff.go:57\)`
		}
	}()
	for _, v := range items {
		total = 0
		next <- v
	}
}

// Reported: the goroutine may update n before it receives.
func updateBeforeReceive(base int) {
	start := make(chan struct{})
	n := 0
	go func(skip bool) {
		if !skip {
			<-start
		}
		n++ // want `unsynchronized increment of n \(shared with the goroutine started at handoff.go:72\)`
	}(base > 0)
	n = base
	start <- struct{}{}
}

// Reported: another function may send on the channel first.
type feed struct {
	n    int
	wake chan struct{}
}

func (f *feed) poke() { f.wake <- struct{}{} }

func startFeed(base int) *feed {
	f := &feed{wake: make(chan struct{})}
	go func() {
		<-f.wake
		f.n++ // want `unsynchronized increment of f.n \(shared with the goroutine started at handoff.go:92\)`
	}()
	f.n = base
	f.wake <- struct{}{}
	return f
}

// Quiet: a WaitGroup added to before the go statement, done by the
// spawner once it has set n.
func startByWaitGroup(base int) {
	var wg sync.WaitGroup
	n := 0
	wg.Add(1)
	go func() {
		wg.Wait()
		n++
	}()
	n = base
	wg.Done()
}

// Reported: nothing was added, so Wait may return at once.
func waitGroupNotAdded(base int) {
	var wg sync.WaitGroup
	n := 0
	go func() {
		wg.Wait()
		n++ // want `unsynchronized increment of n \(shared with the goroutine started at handoff.go:119\)`
	}()
	n = base
	wg.Add(1)
	wg.Done()
}

// Reported: a second goroutine, not part of the hand-off, updates n too.
func secondGoroutine(base int) {
	start := make(chan struct{})
	n := 0
	go func() {
		<-start
		n++ // want `unsynchronized increment of n \(shared with the goroutine started at handoff.go:132\)`
	}()
	go func() {
		n++ // want `unsynchronized increment of n \(shared with the goroutine started at handoff.go:136\)`
	}()
	n = base
	start <- struct{}{}
}

// Quiet: the unbuffered send completes only when the goroutine, done
// with n, receives.
func readAfterUnbufferedSend() {
	done := make(chan struct{})
	n := 0
	go func() {
		n++
		<-done
	}()
	done <- struct{}{}
	fmt.Println(n)
}

// Reported: a buffered send does not wait for the receive.
func readAfterBufferedSend() {
	done := make(chan struct{}, 1)
	n := 0
	go func() {
		n++ // want `unsynchronized increment of n \(shared with the goroutine started at handoff.go:160\)`
		<-done
	}()
	done <- struct{}{}
	fmt.Println(n)
}

// Reported: the goroutine may return without receiving, so the send may
// pair with nothing the update precedes.
func receiveOnSomePaths(quit bool) {
	done := make(chan struct{})
	n := 0
	go func() {
		n++ // want `unsynchronized increment of n \(shared with the goroutine started at handoff.go:173\)`
		if quit {
			return
		}
		<-done
	}()
	done <- struct{}{}
	fmt.Println(n)
}

// Quiet: the sarama shape, both ways in a loop: the spawner reads the
// offset, hands the response over and waits on the WaitGroup the
// goroutine is done with once it has updated the offset.
type consumer struct {
	offset int
	feeder chan int
	acks   sync.WaitGroup
}

func consume(batches [][]int) {
	c := &consumer{feeder: make(chan int)}
	go func() {
		for v := range c.feeder {
			c.offset += v
			c.acks.Done()
		}
	}()
	for _, b := range batches {
		fmt.Println(c.offset)
		c.acks.Add(1)
		c.feeder <- len(b)
		c.acks.Wait()
	}
	close(c.feeder)
}

// Reported: a send before the go statement, into the buffer, lets the
// goroutine start at once.
func signalBeforeGo(base int) {
	start := make(chan struct{}, 1)
	n := 0
	start <- struct{}{}
	go func() {
		<-start
		n++ // want `unsynchronized increment of n \(shared with the goroutine started at handoff.go:216\)`
	}()
	n = base
	start <- struct{}{}
}

func (j *job) bump() { j.offset++ }

// Quiet: the goroutine updates offset in a method it calls after the
// receive.
func startHelper(base int) {
	j := &job{start: make(chan struct{})}
	go func() {
		<-j.start
		j.bump()
	}()
	j.offset = base
	j.start <- struct{}{}
}

// Reported: the first send pairs with the first receive, which the
// update follows; the read after it races.
func updateBetweenReceives() {
	done := make(chan struct{})
	n := 0
	go func() {
		<-done
		n++ // want `unsynchronized increment of n \(shared with the goroutine started at handoff.go:243\)`
		<-done
	}()
	done <- struct{}{}
	fmt.Println(n)
	done <- struct{}{}
}

type relay struct {
	n     int
	ready chan struct{}
}

func (r *relay) drain() { <-r.ready }

// Reported: drain, another receiver, may take the send before the
// goroutine is done with n.
func startRelay() *relay {
	r := &relay{ready: make(chan struct{})}
	go func() {
		r.n++ // want `unsynchronized increment of r.n \(shared with the goroutine started at handoff.go:264\)`
		<-r.ready
	}()
	r.ready <- struct{}{}
	fmt.Println(r.n)
	return r
}

// Quiet: the send in the branch that starts no goroutine is none the
// goroutine can receive.
func startOrSignal(spawn bool) {
	start := make(chan struct{}, 1)
	n := 0
	if spawn {
		go func() {
			<-start
			n++
		}()
	} else {
		start <- struct{}{}
	}
	n = 1
	start <- struct{}{}
}

type task struct {
	offset int
	start  chan struct{}
}

// Quiet: t reaches fmt, but the package's other signals are on channels
// their functions make, or on fields of other types.
func startLogged(base int) {
	t := &task{start: make(chan struct{})}
	fmt.Println(t)
	go func() {
		<-t.start
		t.offset++
	}()
	t.offset = base
	t.start <- struct{}{}
}

type service struct {
	n     int
	start chan struct{}
}

// Reported: the channel is the receiver's: another call of run may send
// the signal this goroutine receives.
func (s *service) run(base int) {
	go func() {
		<-s.start
		s.n++ // want `unsynchronized increment of s.n \(shared with the goroutine started at handoff.go:316\)`
	}()
	s.n = base
	s.start <- struct{}{}
}

func (j *job) settle() {
	j.offset++ // want `unsynchronized increment of j.offset \(shared with the goroutine started at handoff.go:331\)`
}

// Reported: the deferred settle runs after the receive the send waits for.
func deferredUpdate() {
	j := &job{ready: make(chan struct{})}
	go func() {
		defer j.settle()
		<-j.ready
	}()
	j.ready <- struct{}{}
	fmt.Println(j.offset)
}

// Reported: kick runs twice, each goroutine may receive the other call's
// send: the channel belongs to the enclosing function, not to kick.
func nestedSpawner(base int) {
	start := make(chan struct{})
	n := 0
	kick := func() {
		go func() {
			<-start
			n++ // want `unsynchronized increment of n \(shared with the goroutine started at handoff.go:345\)`
		}()
		n = base
		start <- struct{}{}
	}
	kick()
	kick()
}

type bell struct {
	n    int
	ring chan struct{}
}

// ringVia rings a bell it was given, through a variable of its own.
func ringVia(b *bell) {
	held := b
	defer func() { _ = held }()
	held.ring <- struct{}{}
}

// Reported: b is returned, and ringVia may ring it first.
func startBell(base int) *bell {
	b := &bell{ring: make(chan struct{})}
	go func() {
		<-b.ring
		b.n++ // want `unsynchronized increment of b.n \(shared with the goroutine started at handoff.go:371\)`
	}()
	b.n = base
	b.ring <- struct{}{}
	return b
}

// kick signals a job's start; startAfterSetup's job never reaches it.
func (j *job) kick() { j.start <- struct{}{} }

// Reported: the select may take the other case and update n at once.
func selectBeforeUpdate(base int, quit chan struct{}) {
	start := make(chan struct{})
	n := 0
	go func() {
		select {
		case <-start:
		case <-quit:
		}
		n++ // want `unsynchronized increment of n \(shared with the goroutine started at handoff.go:387\)`
	}()
	n = base
	start <- struct{}{}
}

// Reported: the send may pair with nothing: the goroutine's select can
// take the other case.
func selectAfterUpdate() {
	done := make(chan struct{})
	quit := make(chan struct{})
	defer close(quit)
	n := 0
	go func() {
		n++ // want `unsynchronized increment of n \(shared with the goroutine started at handoff.go:405\)`
		select {
		case <-done:
		case <-quit:
		}
	}()
	done <- struct{}{}
	fmt.Println(n)
}
