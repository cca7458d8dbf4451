package protocol

import "sync"

// Tasks are added but never marked done: draining blocks forever.
type tasks struct {
	mu      sync.Mutex
	pending sync.WaitGroup
	closed  bool
}

func (t *tasks) begin() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return false
	}
	t.pending.Add(1)
	return true
}

func (t *tasks) finish() {} // forgot t.pending.Done()

func (t *tasks) drain() {
	t.mu.Lock()
	t.closed = true
	t.mu.Unlock()
	t.pending.Wait() // want `goroutine leaks: this Wait on tasks.pending blocks forever once begin has called Add \(line 18\): nothing in the package calls tasks.pending.Done; call Done \(with defer\) when each task added ends`
}

// Quiet twin: Done in a defer.
type doneTasks struct{ pending sync.WaitGroup }

func (t *doneTasks) run(f func()) {
	t.pending.Add(1)
	go func() {
		defer t.pending.Done()
		f()
	}()
}

func (t *doneTasks) drain() { t.pending.Wait() }

// Quiet twin: Add(-1) balances.
type countTasks struct{ pending sync.WaitGroup }

func (t *countTasks) begin()  { t.pending.Add(1) }
func (t *countTasks) finish() { t.pending.Add(-1) }
func (t *countTasks) drain()  { t.pending.Wait() }

// Quiet twin: handed to a helper, which may call Done.
type handedTasks struct{ pending sync.WaitGroup }

func (t *handedTasks) begin()           { t.pending.Add(1); go work(&t.pending) }
func (t *handedTasks) drain()           { t.pending.Wait() }
func work(wg *sync.WaitGroup)           { defer wg.Done() }
func (t *handedTasks) doneFunc() func() { return t.pending.Done }
