package recall

import (
	"workqueue"

	"golang.org/x/sync/errgroup"
)

type filter struct{ calls int }

// Reported: ParallelizeUntil runs the function on several goroutines.
func (f *filter) run(pieces int) {
	workqueue.ParallelizeUntil(4, pieces, func(i int) {
		f.calls++ // want `unsynchronized increment of f.calls`
	})
}

// Quiet: Sequential calls it on the caller's goroutine.
func (f *filter) runSequential(pieces int) {
	workqueue.Sequential(pieces, func(i int) {
		f.calls++
	})
}

type tree struct{ kids []*tree }

// parallelWalk runs fn for every child on goroutines of an errgroup.
func parallelWalk(root *tree, fn func(*tree)) error {
	var g errgroup.Group
	for _, k := range root.kids {
		g.Go(func() error {
			fn(k)
			return nil
		})
	}
	return g.Wait()
}

// walk runs fn for every child in turn.
func walk(root *tree, fn func(*tree)) {
	for _, k := range root.kids {
		fn(k)
	}
}

// Reported: the walk's goroutines share visited.
func countParallel(root *tree) int {
	visited := 0
	parallelWalk(root, func(*tree) {
		visited++ // want `unsynchronized increment of visited`
	})
	return visited
}

// Quiet: walk calls fn on the caller's goroutine.
func count(root *tree) int {
	visited := 0
	walk(root, func(*tree) {
		visited++
	})
	return visited
}

func withRecover(f func()) {
	defer func() { _ = recover() }()
	f()
}

var hits int

// Reported: withRecover calls f on the new goroutine.
func serve(n int) {
	for range n {
		go withRecover(func() {
			hits++ // want `unsynchronized increment of hits`
		})
	}
}

var safe int

// Quiet: called directly, withRecover runs f on the caller's goroutine.
func serveOne(n int) {
	for range n {
		withRecover(func() {
			safe++
		})
	}
}

type cache struct {
	onEvict func(string)
	keys    chan string
}

func (c *cache) evictLoop() {
	for k := range c.keys {
		c.onEvict(k)
	}
}

type recorder struct{ n int }

func (r *recorder) count(string) {
	r.n++ // want `unsynchronized increment of r.n`
}

// Reported: the goroutine the constructor starts calls rec.count while
// the caller reads rec.n.
func watch(rec *recorder) int {
	c := &cache{onEvict: rec.count, keys: make(chan string)}
	go c.evictLoop()
	return rec.n
}

type tally struct{ n int }

func (t *tally) count(string) { t.n++ }

// Quiet: evictLoop runs on the caller's goroutine.
func drain(t *tally) int {
	c := &cache{onEvict: t.count, keys: make(chan string)}
	c.evictLoop()
	return t.n
}

// Reported: the goroutine and the caller update written.
func copyAll(src chan []byte) int {
	written := 0
	done := make(chan bool)
	go func() {
		for b := range src {
			written = written + len(b) // want `unsynchronized increment of written`
		}
		done <- true
	}()
	written = written + 1
	<-done
	return written
}

type sender struct {
	acks  chan int
	acked int
	sent  int
}

// Start starts the loop that counts acknowledgements.
func (s *sender) Start() {
	go s.ackLoop()
}

func (s *sender) ackLoop() {
	for range s.acks {
		s.acked++ // want `unsynchronized increment of s.acked`
	}
}

// Acked may be called on any goroutine while ackLoop runs.
func (s *sender) Acked() int { return s.acked }

type receiver struct {
	acks  chan int
	acked int
	sent  int
}

// Quiet: nothing but the loop touches acked.
func (r *receiver) Start() {
	go r.ackLoop()
}

func (r *receiver) ackLoop() {
	for range r.acks {
		r.acked++
	}
}

func (r *receiver) Sent() int { return r.sent }
