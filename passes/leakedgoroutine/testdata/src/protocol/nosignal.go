// Package protocol holds channel protocols that span goroutines and
// methods; it is checked with -leakedgoroutine.strict=false.
package protocol

// A done channel handed to a watcher that never signals it: the waiter
// blocks forever.
type conn struct{ in chan int }

func (c *conn) watch(done chan bool) {
	for v := range c.in {
		_ = v
	}
}

func (c *conn) dial() {
	done := make(chan bool)
	go c.watch(done)
	<-done // want `goroutine leaks: this receive from done blocks forever: done is handed to watch \(line 17\), but nothing sends on or closes done; close\(done\) \(with defer\) when watch is done`
}

// Quiet twin: the watcher closes it when it returns.
func (c *conn) watchAndSignal(done chan bool) {
	defer close(done)
	for v := range c.in {
		_ = v
	}
}

func (c *conn) dialSignalled() {
	done := make(chan bool)
	go c.watchAndSignal(done)
	<-done
}

// Quiet twin: the block-forever idiom hands the channel to nobody.
func (c *conn) serveForever() {
	go c.watch(nil)
	<-make(chan bool)
}

// Quiet twin: the waiter also gives up on a timeout.
func (c *conn) dialOrGiveUp(stop <-chan struct{}) {
	done := make(chan bool)
	go c.watch(done)
	select {
	case <-done:
	case <-stop:
	}
}

func (c *conn) close() { close(c.in) }
