package lockwaitlocal

// A quiet twin of ServeDirect, pinned: switching off the check it names
// makes it report.

// countdown calls itself before it sends on stop; only a negative count,
// which it never passes itself, locks l.mu (locksField: a recursive call
// says nothing of the locks its own call takes). A second goroutine sends
// too, after locking l.mu.
func (l *listener) countdown(stop chan struct{}, n int) {
	if n < 0 {
		l.mu.Lock()
		l.pending = nil
		l.mu.Unlock()
		return
	}
	if n == 0 {
		return
	}
	l.countdown(make(chan struct{}, 1), n-1)
	stop <- struct{}{}
}

func ServeCountdown() {
	l := &listener{}
	stop := make(chan struct{}, 2)
	go l.countdown(stop, 2)
	go func() {
		l.mu.Lock()
		l.pending = nil
		l.mu.Unlock()
		stop <- struct{}{}
	}()
	l.mu.Lock()
	<-stop
	l.mu.Unlock()
}
