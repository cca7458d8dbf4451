package handedout

// Reported: a generic struct's methods are instances, which the program
// does not know by their objects (FuncValue), so what the holder's Close
// touches is not known and the whole value counts as reached.
type quietSlot[T any] struct {
	n    int
	val  T
	stop chan struct{}
}

func (s *quietSlot[T]) Close() { close(s.stop) }

func (s *quietSlot[T]) run() {
	for {
		select {
		case <-s.stop:
			return
		default:
			s.n++ // want `unsynchronized increment of s.n \(shared with the goroutine started at generic.go:27\)`
		}
	}
}

func OpenQuietSlot() closer {
	s := &quietSlot[int]{stop: make(chan struct{})}
	go s.run()
	return s
}
