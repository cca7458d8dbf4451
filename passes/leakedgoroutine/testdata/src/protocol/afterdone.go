package protocol

import "context"

// Waiting for every lane's token, and on cancellation handing the wait
// to a goroutine: but the lanes' senders give up on the same ctx, so
// the goroutine may wait for a token never sent.
type lanes struct{ toks []chan bool }

func newLanes() *lanes {
	l := &lanes{}
	l.toks = append(l.toks, make(chan bool), make(chan bool))
	return l
}

func (l *lanes) acquire(ctx context.Context) {
	done := ctx.Done()
	for _, t := range l.toks {
		select {
		case <-t:
		case <-done:
			go func() {
				for _, t := range l.toks {
					<-t // want `goroutine leaks: this receive from an element of lanes.toks blocks forever: the goroutine is started once ctx is done \(line 22\), and every send on lanes.toks gives up when that ctx is done \(line 34\), so the value may never come; receive only what was sent, or select on ctx.Done\(\) here too`
				}
			}()
			return
		}
	}
}

func (l *lanes) release(ctx context.Context) {
	for _, t := range l.toks {
		select {
		case t <- true:
		case <-ctx.Done():
			return
		}
	}
}

func runLanes() {
	l := newLanes()
	ctx, cancel := context.WithCancel(context.Background())
	go l.release(ctx)
	go l.acquire(ctx)
	cancel()
}

// Quiet twin: the senders do not give up, so every token comes.
type sureLanes struct{ toks []chan bool }

func newSureLanes() *sureLanes {
	l := &sureLanes{}
	l.toks = append(l.toks, make(chan bool))
	return l
}

func (l *sureLanes) acquire(ctx context.Context) {
	select {
	case <-l.toks[0]:
	case <-ctx.Done():
		go func() { <-l.toks[0] }()
	}
}

func (l *sureLanes) release() { l.toks[0] <- true }

func runSureLanes() {
	l := newSureLanes()
	ctx, cancel := context.WithCancel(context.Background())
	go l.release()
	go l.acquire(ctx)
	cancel()
}

// Quiet twin: the senders watch another context, which is not done.
type otherLanes struct{ toks []chan bool }

func newOtherLanes() *otherLanes {
	l := &otherLanes{}
	l.toks = append(l.toks, make(chan bool))
	return l
}

func (l *otherLanes) acquire(ctx context.Context) {
	select {
	case <-l.toks[0]:
	case <-ctx.Done():
		go func() { <-l.toks[0] }()
	}
}

func (l *otherLanes) release(ctx context.Context) {
	select {
	case l.toks[0] <- true:
	case <-ctx.Done():
	}
}

func runOtherLanes() {
	l := newOtherLanes()
	ctx, cancel := context.WithCancel(context.Background())
	go l.release(context.Background())
	go l.acquire(ctx)
	cancel()
}

// Quiet twin: one sender watches another context, which is not done:
// its token still comes.
type mixedLanes struct{ toks []chan bool }

func newMixedLanes() *mixedLanes {
	l := &mixedLanes{}
	l.toks = append(l.toks, make(chan bool))
	return l
}

func (l *mixedLanes) acquire(ctx context.Context) {
	select {
	case <-l.toks[0]:
	case <-ctx.Done():
		go func() { <-l.toks[0] }()
	}
}

func (l *mixedLanes) releaseOther(ctx context.Context) {
	select {
	case l.toks[0] <- true:
	case <-ctx.Done():
	}
}

func (l *mixedLanes) release(ctx context.Context) {
	select {
	case l.toks[0] <- true:
	case <-ctx.Done():
	}
}

func runMixedLanes() {
	l := newMixedLanes()
	ctx, cancel := context.WithCancel(context.Background())
	go l.releaseOther(context.Background())
	go l.release(ctx)
	go l.acquire(ctx)
	cancel()
}
