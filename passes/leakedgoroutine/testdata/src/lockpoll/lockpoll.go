// Package lockpoll: a send holding a lock its only receiver, a select loop,
// takes going another way: a poll's default (here), a tick (tick.go).
package lockpoll

import "sync"

type probe struct {
	quit chan struct{}
}

type service struct {
	mu     sync.Mutex
	health *probe
	state  int
}

// quitCh is an unexported getter: only this package calls it.
func (p *probe) quitCh() chan struct{} { return p.quit }

func (p *probe) stopProbe() {
	p.quit <- struct{}{} // want `goroutine leaks: this send on probe.quit holds s.mu \(held by its caller reconfigure, line 46\), and its only receiver, watch, selects on probe.quit \(line 28\) and takes s.mu when its poll finds nothing \(line 32\): once the receiver waits for s.mu, the send never completes; unlock s.mu before sending`
}

// watch polls for the stop signal and otherwise checks the service under
// its lock.
func watch(s *service, quit chan struct{}) {
	for {
		select {
		case <-quit:
			return
		default:
			s.check()
		}
	}
}

func (s *service) check() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state++
}

func (s *service) reconfigure() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.health.stopProbe()
}

func newService() *service {
	s := &service{health: &probe{quit: make(chan struct{})}}
	go watch(s, s.health.quitCh())
	return s
}

func Use() {
	s := newService()
	go s.reconfigure()
}

// ---- quiet twins ----

// The fix: the probe is stopped after the lock is released.
type probe2 struct {
	quit chan struct{}
}

type service2 struct {
	mu     sync.Mutex
	health *probe2
	state  int
}

func (p *probe2) quitCh() chan struct{} { return p.quit }

func (p *probe2) stopProbe() { p.quit <- struct{}{} }

func watch2(s *service2, quit chan struct{}) {
	for {
		select {
		case <-quit:
			return
		default:
			s.check()
		}
	}
}

func (s *service2) check() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state++
}

func (s *service2) reconfigure() {
	s.mu.Lock()
	h := s.health
	s.mu.Unlock()
	h.stopProbe()
}

func Use2() {
	s := &service2{health: &probe2{quit: make(chan struct{})}}
	go watch2(s, s.health.quitCh())
	go s.reconfigure()
}

// A buffered stop channel: the one send does not wait for the poller.
type probe3 struct {
	quit chan struct{}
}

type service3 struct {
	mu     sync.Mutex
	health *probe3
	state  int
}

func (p *probe3) stopProbe() { p.quit <- struct{}{} }

func watch3(s *service3, p *probe3) {
	for {
		select {
		case <-p.quit:
			return
		default:
			s.mu.Lock()
			s.state++
			s.mu.Unlock()
		}
	}
}

func (s *service3) reconfigure() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.health.stopProbe()
}

func Use3() {
	s := &service3{health: &probe3{quit: make(chan struct{}, 1)}}
	go watch3(s, s.health)
	go s.reconfigure()
}

// The poller takes the lock only on some paths of its default: on one of
// them it waits for the lock.
type service4 struct {
	mu    sync.Mutex
	quit  chan struct{}
	state int
	busy  bool
}

func (s *service4) watch() {
	for {
		select {
		case <-s.quit:
			return
		default:
			if s.busy {
				s.mu.Lock()
				s.state++
				s.mu.Unlock()
			}
		}
	}
}

func (s *service4) reconfigure() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.quit <- struct{}{} // want `goroutine leaks: this send on service4.quit holds s.mu, and its only receiver, watch, selects on service4.quit \(line \d+\) and takes s.mu when its poll finds nothing`
}

func Use4() {
	s := &service4{quit: make(chan struct{})}
	go s.watch()
	go s.reconfigure()
}

// A method an interface value may call: code we do not see may receive
// from the channel it returns.
type quitter interface{ quitCh() chan struct{} }

type probe5 struct {
	quit chan struct{}
}

type service5 struct {
	mu     sync.Mutex
	health *probe5
}

func (p *probe5) quitCh() chan struct{} { return p.quit }

func watch5(s *service5, quit chan struct{}) {
	for {
		select {
		case <-quit:
			return
		default:
			s.mu.Lock()
			s.mu.Unlock()
		}
	}
}

func (s *service5) reconfigure() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.health.quit <- struct{}{}
}

func Use5() quitter {
	s := &service5{health: &probe5{quit: make(chan struct{})}}
	go watch5(s, s.health.quitCh())
	go s.reconfigure()
	return s.health
}
