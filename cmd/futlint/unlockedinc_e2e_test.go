package main_test

import (
	"strings"
	"testing"
)

// The standalone driver does not analyse the standard library, so the
// SSA it builds has no panic after t.Fatal: the path that unlocks and
// fails the test must still end there (the model's Exit table), or the
// update after it looks unlocked. t.Error returns: that twin is reported.
func TestUnlockThenFatal(t *testing.T) {
	mustBeRegistered(t, "unlockedinc")
	mod := writeModule(t, map[string]string{
		"go.mod": goMod,
		"st/st.go": `package st

import "sync"

type store struct {
	mu   sync.Mutex
	sips int
}

func (s *store) snap() {
	s.mu.Lock()
	s.sips = 0
	s.mu.Unlock()
}

func open() *store { return &store{} }
`,
		"st/st_test.go": `package st

import "testing"

func TestFatal(t *testing.T) {
	s := open()
	s.mu.Lock()
	if s.sips != 0 {
		s.mu.Unlock()
		t.Fatal("busy")
	}
	s.sips++
	s.mu.Unlock()
}

func TestError(t *testing.T) {
	s := open()
	s.mu.Lock()
	if s.sips != 0 {
		s.mu.Unlock()
		t.Error("busy")
	}
	s.sips++
	s.mu.Unlock()
}
`,
	})
	stdout, stderr, code := runEnv(t, mod, nil, "./...")
	if strings.Contains(stdout, "st_test.go:12:") {
		t.Errorf("the update after the t.Fatal path is reported:\n%s", stdout)
	}
	if code != 3 || !strings.Contains(stdout, "st_test.go:23:2: unlockedinc: unsynchronized increment of s.sips") {
		t.Errorf("exit %d, stdout %q, stderr %q; want the t.Error twin reported", code, stdout, stderr)
	}
}
