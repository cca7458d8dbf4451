package protocol

// A fresh buffered channel filled before its receiver exists: the
// method it is handed to sends once more before starting the receiver.
type compactor struct{ ch chan struct{} }

func (c *compactor) start(ready chan<- bool) {
	c.ch <- struct{}{} // want `goroutine leaks: this send blocks forever when start is called at line 21: it is send 2 on ch, made with a buffer of 1 at line 19, before anything that could receive from it has it; give ch a buffer of 2, or start the receiver first`
	go func() {
		ready <- true
		for range c.ch {
		}
	}()
}

func (c *compactor) stop() { close(c.ch) }

func runCompactor() {
	c := &compactor{ch: make(chan struct{}, 1)}
	c.ch <- struct{}{}
	c.start(nil)
}

// Quiet twin: the buffer holds both sends.
func runCompactor2() {
	c := &compactor{ch: make(chan struct{}, 2)}
	c.ch <- struct{}{}
	c.start(nil)
}

// Quiet twin: the receiver is started first.
func (c *compactor) startReceiving() {
	go func() {
		for range c.ch {
		}
	}()
	c.ch <- struct{}{}
}

func runCompactor3() {
	c := &compactor{ch: make(chan struct{}, 1)}
	c.ch <- struct{}{}
	c.startReceiving()
}

// Quiet twin: shared with a receiver before the second send.
func runCompactor4(out chan<- *compactor) {
	c := &compactor{ch: make(chan struct{}, 1)}
	c.ch <- struct{}{}
	out <- c
	c.ch <- struct{}{}
}
