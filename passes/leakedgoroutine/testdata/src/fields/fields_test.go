package fields

import "testing"

// A test double of an interface, whose channels the tests feed.
type store interface {
	Get(key string) int
}

type drainer interface {
	Drain() int
}

type fakeStore struct {
	getc   chan int
	rangec chan int
	waitc  chan int
	drainc chan int
}

func newFakeStore() *fakeStore {
	return &fakeStore{getc: make(chan int, 1), rangec: make(chan int, 1), waitc: make(chan int, 1), drainc: make(chan int, 1)}
}

func (f *fakeStore) Get(key string) int { return <-f.getc }

// Quiet: a method left on the double after the interface dropped it:
// nothing calls it and no interface has a method of its name, so it
// never runs (etcd mvcc fakeIndex.RangeSince).
func (f *fakeStore) RangeSince(key string) int { return <-f.rangec }

// Reported: the test calls it.
func (f *fakeStore) Wait() int {
	return <-f.waitc // want `goroutine leaks: this receive from fakeStore.waitc blocks forever`
}

// Reported: nothing calls it here, but the double is converted to an
// interface that has it.
func (f *fakeStore) Drain() int {
	return <-f.drainc // want `goroutine leaks: this receive from fakeStore.drainc blocks forever`
}

func TestStore(t *testing.T) {
	f := newFakeStore()
	var s store = f
	f.getc <- 1
	if s.Get("k") != 1 {
		t.Fatal("get")
	}
	var d drainer = f
	_ = d
	f.Wait()
}
