package main_test

// The result cache (internal/driver/cache.go): a warm run prints what a
// cold one does; an edit re-analyses the edited package and the importers
// whose view of it changed; a changed flag, concurrent runs, damaged
// entries; trimming; GOCACHEPROG.

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// cachedRun is one futlint run with the cache in cacheDir.
type cachedRun struct {
	stdout, stderr string // stderr without the cache debug lines
	code           int
	hits, misses   []string // unit IDs
}

func runCached(t *testing.T, dir, cacheDir string, env []string, args ...string) cachedRun {
	t.Helper()
	cmd := exec.Command(futlint, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), append([]string{"FUTLINT_CACHE=" + cacheDir, "FUTLINT_CACHEDEBUG=1"}, env...)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	var r cachedRun
	err := cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		r.code = exitErr.ExitCode()
	case err != nil:
		t.Fatalf("running futlint %v: %v", args, err)
	}
	var rest []string
	for line := range strings.SplitSeq(errOut.String(), "\n") {
		if id, ok := strings.CutPrefix(line, "futlint: cache hit "); ok {
			r.hits = append(r.hits, id)
		} else if id, ok := strings.CutPrefix(line, "futlint: cache miss "); ok {
			r.misses = append(r.misses, id)
		} else {
			rest = append(rest, line)
		}
	}
	r.stdout, r.stderr = out.String(), strings.Join(rest, "\n")
	return r
}

// sameOutput fails unless warm printed exactly what cold did.
func sameOutput(t *testing.T, what string, cold, warm cachedRun) {
	t.Helper()
	if warm.stdout != cold.stdout || warm.stderr != cold.stderr || warm.code != cold.code {
		t.Errorf("%s: output differs from a cold run:\ncold (exit %d):\n%s%s\nwarm (exit %d):\n%s%s", what, cold.code, cold.stdout, cold.stderr, warm.code, warm.stdout, warm.stderr)
	}
}

var e2eUnits = []string{
	"example.com/e2e/app", "example.com/e2e/background", "example.com/e2e/clean", "example.com/e2e/counter",
	"example.com/e2e/fetch", "example.com/e2e/gen", "example.com/e2e/hits", "example.com/e2e/lib",
	"example.com/e2e/owner", "example.com/e2e/poll", "example.com/e2e/suppress",
}

func wantUnits(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: %q, want %q", what, got, want)
	}
}

// A warm run analyses nothing and prints what a cold run does, in each
// output format.
func TestCacheWarmEqualsCold(t *testing.T) {
	t.Parallel()
	cacheDir := t.TempDir()
	for _, args := range [][]string{{"./..."}, {"-json", "./..."}, {"-format=sarif", "./..."}, {"-fix", "-diff", "./..."}} {
		cold := runCached(t, e2eDir, "off", nil, args...)
		first := runCached(t, e2eDir, cacheDir, nil, args...)
		warm := runCached(t, e2eDir, cacheDir, nil, args...)
		sameOutput(t, strings.Join(args, " ")+" (filling the cache)", cold, first)
		sameOutput(t, strings.Join(args, " ")+" (warm)", cold, warm)
		wantUnits(t, "warm run's hits", warm.hits, e2eUnits)
		wantUnits(t, "warm run's misses", warm.misses, nil)
		if len(cold.hits)+len(cold.misses) != 0 {
			t.Errorf("FUTLINT_CACHE=off used the cache: %q %q", cold.hits, cold.misses)
		}
	}
	if out := runCached(t, e2eDir, cacheDir, nil, "-cache=off", "./..."); len(out.hits)+len(out.misses) != 0 {
		t.Errorf("-cache=off used the cache: %q %q", out.hits, out.misses)
	}
}

// An edit re-analyses the package edited; its importers only when what
// they import from it (types, positions, facts) changed.
func TestCacheEdit(t *testing.T) {
	t.Parallel()
	dir := copyModule(t)
	cacheDir := t.TempDir()
	runCached(t, dir, cacheDir, nil, "./...")

	edit := func(file string, f func(string) string) {
		t.Helper()
		name := filepath.Join(dir, file)
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(f(string(data))), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	others := func(except ...string) []string {
		return slices.DeleteFunc(slices.Clone(e2eUnits), func(id string) bool { return slices.Contains(except, id) })
	}
	check := func(what string, misses []string) {
		t.Helper()
		r := runCached(t, dir, cacheDir, nil, "./...")
		wantUnits(t, what+": misses", r.misses, misses)
		wantUnits(t, what+": hits", r.hits, others(misses...))
		sameOutput(t, what, runCached(t, dir, "off", nil, "./..."), r)
	}

	// A leaf package.
	edit("counter/counter.go", func(s string) string { return s + "// edited\n" })
	check("comment added to a leaf", []string{"example.com/e2e/counter"})

	// lib, imported by app: a comment at the end changes neither its types
	// nor their positions nor its facts, so app is not analysed again.
	edit("lib/lib.go", func(s string) string { return s + "// edited\n" })
	check("comment added to lib", []string{"example.com/e2e/lib"})

	// lib.Pause now observes its ctx: lib's facts change, app is analysed
	// again and its finding goes away.
	edit("lib/lib.go", func(s string) string {
		return strings.Replace(s, "\ttime.Sleep(d)\n", "\tselect {\n\tcase <-ctx.Done():\n\tcase <-time.After(d):\n\t}\n", 1)
	})
	check("lib.Pause fixed", []string{"example.com/e2e/app", "example.com/e2e/lib"})
}

// A different analyzer flag is a different key.
func TestCacheFlagChangeMisses(t *testing.T) {
	t.Parallel()
	cacheDir := t.TempDir()
	runCached(t, e2eDir, cacheDir, nil, "./...")
	for _, args := range [][]string{
		{"-leakedgoroutine.strict=false", "./..."},
		{"-unlockedinc=false", "./..."},
	} {
		r := runCached(t, e2eDir, cacheDir, nil, args...)
		wantUnits(t, strings.Join(args, " ")+": misses", r.misses, e2eUnits)
		sameOutput(t, strings.Join(args, " "), runCached(t, e2eDir, "off", nil, args...), r)
		again := runCached(t, e2eDir, cacheDir, nil, args...)
		wantUnits(t, strings.Join(args, " ")+" again: hits", again.hits, e2eUnits)
	}
}

// Two runs sharing a cache at once both print what a cold run does, and
// leave the cache usable.
func TestCacheConcurrentRuns(t *testing.T) {
	cold := runCached(t, e2eDir, "off", nil, "./...")
	cacheDir := t.TempDir()
	var wg sync.WaitGroup
	runs := make([]cachedRun, 2)
	for i := range runs {
		wg.Go(func() { runs[i] = runCached(t, e2eDir, cacheDir, nil, "./...") })
	}
	wg.Wait()
	for _, r := range runs {
		sameOutput(t, "concurrent run", cold, r)
	}
	warm := runCached(t, e2eDir, cacheDir, nil, "./...")
	sameOutput(t, "run after the concurrent ones", cold, warm)
	wantUnits(t, "hits after the concurrent runs", warm.hits, e2eUnits)
}

// Damaged entries (truncated outputs, garbled index files) are misses:
// the units are analysed again, and the output is still right.
func TestCacheCorruptEntry(t *testing.T) {
	t.Parallel()
	cold := runCached(t, e2eDir, "off", nil, "./...")
	for _, damage := range []struct {
		name   string
		suffix string
		f      func([]byte) []byte
	}{
		{"truncated output", "-d", func(b []byte) []byte { return b[:len(b)/2] }},
		{"flipped byte in output", "-d", func(b []byte) []byte { b[len(b)/3] ^= 0x55; return b }},
		{"truncated index", "-a", func(b []byte) []byte { return b[:len(b)-10] }},
	} {
		cacheDir := t.TempDir()
		runCached(t, e2eDir, cacheDir, nil, "./...")
		n := 0
		filepath.WalkDir(cacheDir, func(path string, d fs.DirEntry, err error) error {
			if err == nil && strings.HasSuffix(path, damage.suffix) {
				data, _ := os.ReadFile(path)
				os.WriteFile(path, damage.f(data), 0o666)
				n++
			}
			return nil
		})
		if n == 0 {
			t.Fatalf("%s: no cache files to damage", damage.name)
		}
		r := runCached(t, e2eDir, cacheDir, nil, "./...")
		sameOutput(t, damage.name, cold, r)
		wantUnits(t, damage.name+": misses", r.misses, e2eUnits)
		again := runCached(t, e2eDir, cacheDir, nil, "./...")
		wantUnits(t, damage.name+": hits after rewriting", again.hits, e2eUnits)
		sameOutput(t, damage.name+", rewritten", cold, again)
	}
}

// With GOCACHEPROG, results go through the program: a run with another,
// empty, local cache directory finds them there.
func TestCacheGOCACHEPROG(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	prog := filepath.Join(tmp, "cacheprog")
	if out, err := exec.Command("go", "build", "-o", prog, "../../testdata/cacheprog").CombinedOutput(); err != nil {
		t.Fatalf("building cacheprog: %v\n%s", err, out)
	}
	gocache, err := exec.Command("go", "env", "GOCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	// The go commands futlint runs use the program too; misses fall back
	// to the usual build cache, read-only.
	env := []string{"GOCACHEPROG=" + prog + " " + filepath.Join(tmp, "store") + " " + strings.TrimSpace(string(gocache))}
	cold := runCached(t, e2eDir, "off", nil, "./...")
	first := runCached(t, e2eDir, filepath.Join(tmp, "local1"), env, "./...")
	sameOutput(t, "first run through GOCACHEPROG", cold, first)
	wantUnits(t, "first run through GOCACHEPROG: misses", first.misses, e2eUnits)
	second := runCached(t, e2eDir, filepath.Join(tmp, "local2"), env, "./...")
	sameOutput(t, "second run through GOCACHEPROG", cold, second)
	wantUnits(t, "second run, another local directory: hits", second.hits, e2eUnits)
	for _, local := range []string{"local1", "local2"} {
		filepath.WalkDir(filepath.Join(tmp, local), func(path string, d fs.DirEntry, err error) error {
			if err == nil && (strings.HasSuffix(path, "-a") || strings.HasSuffix(path, "-d")) {
				t.Errorf("with GOCACHEPROG, an entry was written to the local cache: %s", path)
			}
			return nil
		})
	}
}

// Entries unused for more than five days are trimmed, as in the go
// command's cache, at most once a day.
func TestCacheTrim(t *testing.T) {
	t.Parallel()
	cacheDir := t.TempDir()
	runCached(t, e2eDir, cacheDir, nil, "-leakedgoroutine.strict=false", "./...")
	entries := func() map[string]bool {
		m := make(map[string]bool)
		filepath.WalkDir(cacheDir, func(path string, d fs.DirEntry, err error) error {
			if err == nil && strings.HasSuffix(path, "-a") {
				m[path] = true
			}
			return nil
		})
		return m
	}
	old := entries()
	if len(old) == 0 {
		t.Fatal("no cache entries written")
	}
	// Age everything by a week and forget the last trim.
	week := time.Now().Add(-7 * 24 * time.Hour)
	filepath.WalkDir(cacheDir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			os.Chtimes(path, week, week)
		}
		return nil
	})
	os.Remove(filepath.Join(cacheDir, "trim.txt"))
	// Another flag and another spelling of the patterns: other keys (the
	// remembered export list is keyed by the patterns); the old entries
	// are not used, so they go.
	r := runCached(t, e2eDir, cacheDir, nil, "example.com/e2e/...")
	wantUnits(t, "misses with another flag", r.misses, e2eUnits)
	for path := range entries() {
		if old[path] {
			t.Errorf("entry unused for a week not trimmed: %s", path)
		}
	}
	if len(entries()) == 0 {
		t.Error("the run's own entries were trimmed too")
	}
}
