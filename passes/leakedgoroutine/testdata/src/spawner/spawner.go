// Package spawner declares its own goroutine groups.
package spawner

// Go runs f in a goroutine whose lifetime its caller manages.
//
//futlint:spawner
func Go(f func()) {
	go f()
}

// Submit is listed in -leakedgoroutine.spawners (the alias of
// -concurrency.spawners) by the test.
func Submit(f func()) {
	go func() {
		f()
	}()
}

func other(f func()) {
	go f() // want `goroutine is not joined`
}
