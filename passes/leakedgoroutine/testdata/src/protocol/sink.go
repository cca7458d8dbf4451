package protocol

// Rows pushed into a buffered channel that nothing reads: after the
// buffer fills, every push blocks forever.
type rowChan struct{ data chan int }

func newRowChan(size int) *rowChan { return &rowChan{data: make(chan int, size)} }

func (r *rowChan) push(v int) {
	r.data <- v // want `goroutine leaks: this send on rowChan.data blocks forever once the buffer is full: nothing ever receives from rowChan.data; receive from it, or send with select and a default`
}

func fill(r *rowChan, vs []int) {
	for _, v := range vs {
		r.push(v)
	}
}

// Quiet twin: a semaphore: len tells how many are taken.
type sem struct{ slots chan struct{} }

func newSem(n int) *sem { return &sem{slots: make(chan struct{}, n)} }

func (s *sem) acquire() int {
	s.slots <- struct{}{}
	return len(s.slots)
}

// Quiet twin: one send, in a function run once, fits the buffer.
type once struct{ result chan int }

func runOnce() *once {
	o := &once{result: make(chan int, 1)}
	o.result <- 1
	return o
}
