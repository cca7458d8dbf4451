package lockwaitcell

import "sync"

// A quiet twin of roundTrip, pinned: switching off the check it names
// makes it report. The closure closing ch is kept in two func fields:
// signal, called holding mu, and notify, which importers may also set to
// anything (SetNotify), so notify's calls are not known to be the
// closure's (allCallSites: fieldFuncs is nil) and Notify may run it
// without mu.
type Signaller struct {
	signal func()
	notify func()
}

func (s *Signaller) SetNotify(f func()) { s.notify = f }

func (s *Signaller) Notify() { s.notify() }

func RoundTripField(s *Signaller) {
	var mu sync.Mutex
	var ch chan struct{}
	ch = make(chan struct{})
	go func() {
		mu.Lock()
		<-ch
		mu.Unlock()
	}()
	signal := func() { close(ch) }
	s.signal = signal
	s.notify = signal
	mu.Lock()
	s.signal()
	mu.Unlock()
}
