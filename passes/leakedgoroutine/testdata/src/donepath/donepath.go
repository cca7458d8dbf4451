// Package donepath: a done channel the goroutine can return without
// signalling, while its spawner waits on it.
package donepath

func next() (int, bool) { return 0, false }

func use(int) {}

func early(items chan int) {
	done := make(chan struct{})
	go func() {
		for v := range items {
			if v < 0 {
				return // the close below never runs on this path
			}
			use(v)
		}
		close(done)
	}()
	items <- 1
	close(items)
	<-done // want `goroutine leaks: this receive from done blocks forever when the goroutine \(line 11\) returns at line 14 without closing it; close it with a defer at the goroutine's start`
}

// ---- quiet twins ----

func deferred(items chan int) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for v := range items {
			if v < 0 {
				return
			}
		}
	}()
	close(items)
	<-done
}

func everyPath() {
	done := make(chan struct{})
	go func() {
		if _, ok := next(); !ok {
			close(done)
			return
		}
		close(done)
	}()
	<-done
}

// A value channel: the goroutine sends the failure or closes it.
func errOrClose() int {
	res := make(chan int, 1)
	go func() {
		v, ok := next()
		if !ok {
			res <- v
			return
		}
		close(res)
	}()
	return <-res
}

// The defer comes after the early return: that return does not close.
func lateDefer(items chan int) {
	done := make(chan struct{})
	go func() {
		if _, ok := next(); !ok {
			return
		}
		defer close(done)
		for range items {
		}
	}()
	<-done // want `goroutine leaks: this receive from done blocks forever when the goroutine \(line \d+\) returns at line \d+ without closing it`
}

// The goroutine returns on its stop case, which the spawner closes after
// its receive.
func stopCase() {
	stop := make(chan struct{})
	first := make(chan struct{})
	go func() {
		for i := 0; ; i++ {
			if i == 0 {
				close(first)
			}
			select {
			case <-stop:
				return
			default:
			}
		}
	}()
	<-first
	close(stop)
}

// The spawner may give up waiting.
func withTimeout(items chan int, quit chan struct{}) {
	done := make(chan struct{})
	go func() {
		for v := range items {
			if v < 0 {
				return
			}
		}
		close(done)
	}()
	select {
	case <-done:
	case <-quit:
	}
}

// Two parties may close it.
func twoSignallers(items chan int, stop chan struct{}) {
	done := make(chan struct{})
	go func() {
		for v := range items {
			if v < 0 {
				return
			}
		}
		close(done)
	}()
	go func() {
		<-stop
		close(done)
	}()
	<-done
}

// The channel is handed on: someone else may close it.
func handed(items chan int, keep func(chan struct{})) {
	done := make(chan struct{})
	keep(done)
	go func() {
		for v := range items {
			if v < 0 {
				return
			}
		}
		close(done)
	}()
	<-done
}

// Started in a loop: each goroutine has its own turn.
func inLoop(n int) {
	done := make(chan struct{})
	for i := 0; i < n; i++ {
		go func() {
			if i < 0 {
				return
			}
			close(done)
		}()
	}
	<-done
}
