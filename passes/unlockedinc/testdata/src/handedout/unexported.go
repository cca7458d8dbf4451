package handedout

// Quiet: gauge is unexported, so no other package can assert a closer
// back to it: its exported field is reached only through Close.
type gauge struct {
	Level int
	stop  chan struct{}
}

func (g *gauge) Close() { close(g.stop) }

func (g *gauge) run() {
	for {
		select {
		case <-g.stop:
			return
		default:
			g.Level++
		}
	}
}

func OpenLowGauge() closer {
	g := &gauge{stop: make(chan struct{})}
	go g.run()
	return g
}
