// Package metrics has an unsynchronized counter behind a function.
package metrics

var hits int

// Inc is called by handlers in other packages.
func Inc() { // want Inc:`updates hits at metrics.go:8`
	hits++
}
