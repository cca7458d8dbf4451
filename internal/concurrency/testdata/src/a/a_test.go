package a

import (
	"sync"
	"testing"
)

// A closure called in a test body runs on the test's goroutine.
func TestSync(t *testing.T) {
	f := func() {
		where() // want `runs: sync held: -`
	}
	f()
	t.Run("seq", func(t *testing.T) {
		where() // want `runs: sync\(subtest\) held: -`
	})
	t.Run("par", func(t *testing.T) { // want `spawn "subtest" TestSync\$3 many`
		t.Parallel()
		where() // want `runs: go\(subtest,many\) held: -`
	})
}

// The path that unlocks and calls t.Fatalf never reaches what follows.
func TestFatalUnlocked(t *testing.T) {
	var mu sync.Mutex
	mu.Lock()
	if t.Name() == "" {
		mu.Unlock()
		t.Fatalf("no name")
	}
	where() // want `runs: entry held: mu`
	mu.Unlock()
}
