package protocol

import "sync"

// Quiet twin: a test poking the loop's channel between newServer and
// Close, ordered by a lock. (No testing import: it keeps the test fast.)
func pokeServer() {
	var mu sync.Mutex
	s := newServer()
	mu.Lock()
	reply := make(chan int, 1)
	s.reqs <- reply
	mu.Unlock()
	<-reply
	s.Close()
}
