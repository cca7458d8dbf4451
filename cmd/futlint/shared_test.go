package main_test

// Runs shared between tests. Most of a futlint run's CPU on the fixture
// module is the go command's (two go list runs over net/http's
// dependencies), and many tests ask for the very same run: the text,
// JSON, SARIF and -fix -diff outputs of the unmodified fixture, which
// the cache tests also compare their warm runs with. Those runs are made
// once, by the first test that asks, and the others wait for it. Only
// runs that leave the fixture as it was are shared; a test that edits a
// module works on its own copy.

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// sharedDir holds the shared runs' files (a filled cache, a fixed copy
// of the fixture); TestMain removes it.
var sharedDir string

type coldKey struct{ dir, args string }

type coldEntry struct {
	once sync.Once
	r    cachedRun
	err  error
}

var coldRuns sync.Map // coldKey -> *coldEntry

// coldRun runs futlint with the cache off in dir, a fixture module no
// test modifies (e2eDir, brokenDir), once per dir and arguments.
// FUTLINT_CACHEDEBUG is on: a cold run that printed a cache line fails
// the test, so the output the tests see is what a user sees.
func coldRun(t *testing.T, dir string, args ...string) cachedRun {
	t.Helper()
	v, _ := coldRuns.LoadOrStore(coldKey{dir, strings.Join(args, "\x00")}, new(coldEntry))
	e := v.(*coldEntry)
	e.once.Do(func() { e.r, e.err = runFutlintCached(dir, "off", nil, args...) })
	if e.err != nil {
		t.Fatal(e.err)
	}
	if len(e.r.hits)+len(e.r.misses) != 0 {
		t.Errorf("futlint %v with FUTLINT_CACHE=off used the cache: hits %q, misses %q", args, e.r.hits, e.r.misses)
	}
	return e.r
}

type filledEntry struct {
	once sync.Once
	dir  string
	r    cachedRun
	err  error
}

var filledCaches sync.Map // patterns -> *filledEntry

// filledCache returns a cache directory of the test's own holding what
// one futlint run on the patterns in the fixture module stored in an
// empty cache, and that run.
func filledCache(t *testing.T, patterns ...string) (string, cachedRun) {
	t.Helper()
	e, _ := filledCaches.LoadOrStore(strings.Join(patterns, "\x00"), new(filledEntry))
	f := e.(*filledEntry)
	f.once.Do(func() {
		if err := os.MkdirAll(sharedDir, 0o777); err != nil {
			f.err = err
			return
		}
		if f.dir, f.err = os.MkdirTemp(sharedDir, "cache-"); f.err == nil {
			f.r, f.err = runFutlintCached(e2eDir, f.dir, nil, patterns...)
		}
	})
	if f.err != nil {
		t.Fatal(f.err)
	}
	dst := t.TempDir()
	copyTree(t, f.dir, dst)
	return dst, f.r
}

var fixed struct {
	once sync.Once
	dir  string
	r    cachedRun
	err  error
}

// fixedModule returns a copy of the fixture module after futlint -fix
// ./..., and that run. Tests must not modify it.
func fixedModule(t *testing.T) (string, cachedRun) {
	t.Helper()
	fixed.once.Do(func() {
		fixed.dir = filepath.Join(sharedDir, "fixed")
		if fixed.err = copyFiles(e2eDir, fixed.dir); fixed.err == nil {
			fixed.r, fixed.err = runFutlintCached(fixed.dir, "off", nil, "-fix", "./...")
		}
	})
	if fixed.err != nil {
		t.Fatal(fixed.err)
	}
	return fixed.dir, fixed.r
}

// copyTree copies the files under src into dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	if err := copyFiles(src, dst); err != nil {
		t.Fatal(err)
	}
}

func copyFiles(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o777)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("copying %s: %v", path, err)
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o666)
	})
}
