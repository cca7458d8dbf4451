package harm

import "time"

func flush() {}

// Never ends: a ticker loop with no stop case, started per call.
func startFlusher(d time.Duration) {
	t := time.NewTicker(d)
	go func() { // want `goroutine never ends: its loop at line \d+ has no way out`
		for range t.C {
			flush()
		}
	}()
}

// Never ends: a sleep loop.
func startPinger(d time.Duration) {
	go func() { // want `goroutine never ends: its loop at line \d+ has no way out`
		for {
			time.Sleep(d)
			flush()
		}
	}()
}

// Twin: the loop has a stop case.
func startStoppable(d time.Duration, stop <-chan struct{}) {
	t := time.NewTicker(d)
	go func() {
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				flush()
			}
		}
	}()
}

// Twin: a loop over a channel someone may close ends when it is closed.
func startDrain(ch <-chan int) {
	go func() {
		for range ch {
			flush()
		}
	}()
}
