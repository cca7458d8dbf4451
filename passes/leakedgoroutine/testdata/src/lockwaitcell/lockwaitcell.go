// Package lockwaitcell: a receive, holding a lock, from a channel kept in
// captured variables, whose every send or close is made holding that
// lock too.
package lockwaitcell

import "sync"

type member struct {
	join  func()
	await func()
}

// The first member ends each round (closes its channel and starts the
// next); the others wait for the round they joined to end. Both run
// under the round lock.
func elect() {
	ms := make([]member, 3)
	round := make(chan struct{})
	for i := range ms {
		var mine chan struct{}
		ms[i].join = func() { mine = round }
		ms[i].await = func() {
			if i == 0 {
				close(round)
				round = make(chan struct{})
			}
			<-mine // want `goroutine leaks: this receive from mine waits holding mu \(held by its caller elect's closure, line 41\), but every send on or close of the channels mine holds \(line 24\) is made holding mu too, so once it waits nothing can signal it; unlock mu before waiting`
		}
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range ms {
		wg.Add(1)
		go func(m *member) {
			defer wg.Done()
			for k := 0; k < 10; k++ {
				mu.Lock()
				m.join()
				mu.Unlock()
				mu.Lock()
				m.await()
				mu.Unlock()
			}
		}(&ms[i])
	}
	wg.Wait()
}

// ---- quiet twins ----

type member2 struct {
	join  func()
	end   func()
	await func()
}

// The fix: the round ends under the lock, the wait happens outside it.
func elect2() {
	ms := make([]member2, 3)
	round := make(chan struct{})
	for i := range ms {
		var mine chan struct{}
		ms[i].join = func() { mine = round }
		ms[i].end = func() {
			if i == 0 {
				close(round)
				round = make(chan struct{})
			}
		}
		ms[i].await = func() { <-mine }
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range ms {
		wg.Add(1)
		go func(m *member2) {
			defer wg.Done()
			for k := 0; k < 10; k++ {
				mu.Lock()
				m.join()
				m.end()
				mu.Unlock()
				m.await()
			}
		}(&ms[i])
	}
	wg.Wait()
}

type member3 struct {
	join  func()
	await func()
	quit  func()
}

// Another signal, made without the lock, may end the wait.
func elect3(stop chan struct{}) {
	ms := make([]member3, 3)
	round := make(chan struct{})
	for i := range ms {
		var mine chan struct{}
		ms[i].join = func() { mine = round }
		ms[i].await = func() {
			if i == 0 {
				close(round)
				round = make(chan struct{})
			}
			<-mine
		}
		ms[i].quit = func() { close(round) }
	}
	var mu sync.Mutex
	for i := range ms {
		go func(m *member3) {
			mu.Lock()
			m.join()
			m.await()
			mu.Unlock()
		}(&ms[i])
	}
	<-stop
	ms[0].quit()
}

// Hooks run by code we do not see, maybe without the lock.
var Hooks []func()

type member4 struct {
	join  func()
	await func()
}

// The closure that ends the round is handed on: it may run unlocked.
func elect4() {
	ms := make([]member4, 3)
	round := make(chan struct{})
	for i := range ms {
		var mine chan struct{}
		ms[i].join = func() { mine = round }
		ms[i].await = func() {
			if i == 0 {
				close(round)
				round = make(chan struct{})
			}
			<-mine
		}
		Hooks = append(Hooks, ms[i].await)
	}
	var mu sync.Mutex
	for i := range ms {
		go func(m *member4) {
			mu.Lock()
			m.join()
			m.await()
			mu.Unlock()
		}(&ms[i])
	}
}
