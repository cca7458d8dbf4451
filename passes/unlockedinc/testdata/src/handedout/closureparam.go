package handedout

// What a method's closure does to its own parameter is not what the
// method does to its receiver: the holder of a Ring reaches r.n only if a
// method touches the receiver's n.

type Ring interface {
	Absorb(other *ring)
	Close()
}

type ring struct {
	n    int
	stop chan struct{}
}

func (r *ring) Close() { close(r.stop) }

// Absorb's callback bumps its argument's n, another ring's, never r's.
func (r *ring) Absorb(other *ring) {
	apply(other, func(o *ring) { o.n++ })
}

func apply(x *ring, f func(*ring)) { f(x) }

func (r *ring) spin() {
	for {
		select {
		case <-r.stop:
			return
		default:
			r.n++
		}
	}
}

// Quiet: no method a Ring's holder can call touches r.n.
func NewRing() Ring {
	r := &ring{stop: make(chan struct{})}
	go r.spin()
	return r
}
