// Package flagged is analysed with -concurrency.spawners=flagged.Run.
package flagged

func where() {}

var pending []func()

func Run(f func()) { pending = append(pending, f) }

func SpawnFlagged() {
	Run(func() { // want `spawn "Run" SpawnFlagged\$1`
		where() // want `runs: go\(Run\) held: -`
	})
}
