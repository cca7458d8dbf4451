// Package spawnerflag: the settings' concurrency.spawners reach the
// shared model, so leakedgoroutine does not ask Submit, a declared
// spawner, to join what it starts.
package spawnerflag

// Submit is named in the settings' concurrency.spawners.
func Submit(f func()) {
	go f()
}

func other(f func()) {
	go f() // want `goroutine is not joined`
}
