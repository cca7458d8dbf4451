package main

import (
	"os"
	"path/filepath"
	"testing"
)

// A facts-only unit (go vet's VetxOnly, for a dependency) makes the
// passes skip their rules; any other config runs them.
func TestVetxOnly(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, body string
		want       bool
	}{
		{"deps.cfg", `{"ImportPath":"a","VetxOnly":true}`, true},
		{"root.cfg", `{"ImportPath":"a","VetxOnly":false}`, false},
		{"plain.cfg", `{"ImportPath":"a"}`, false},
		{"broken.cfg", `{`, false},
	} {
		f := filepath.Join(dir, tc.name)
		if err := os.WriteFile(f, []byte(tc.body), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := vetxOnly(f); got != tc.want {
			t.Errorf("vetxOnly(%s) = %v, want %v", tc.body, got, tc.want)
		}
	}
	if vetxOnly(filepath.Join(dir, "missing.cfg")) {
		t.Error("vetxOnly of a missing file = true")
	}
}
