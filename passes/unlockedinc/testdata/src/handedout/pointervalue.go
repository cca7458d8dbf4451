package handedout

// A pointer the function already holds (a parameter: not the address of a
// variable or field it reaches) handed on as an interface is no access of
// its own: what the callee does with it, its facts say.

type heldTally struct{ n int }

func keepAny(v any) {}

func (t *heldTally) loop(stop chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
			t.n++
		}
	}
}

// Quiet: keepAny does nothing with t.
func Hand(t *heldTally, stop chan struct{}) {
	go t.loop(stop)
	keepAny(t)
}
