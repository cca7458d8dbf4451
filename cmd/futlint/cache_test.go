package main_test

// The result cache (internal/driver/cache.go): a warm run prints what a
// cold one does; an edit re-analyses the edited package and the importers
// whose view of it changed; a changed flag, concurrent runs, damaged
// entries; trimming; GOCACHEPROG.

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
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
	r, err := runFutlintCached(dir, cacheDir, env, args...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// runFutlintCached is runCached for callers without a test of their own
// (the shared runs, shared_test.go).
func runFutlintCached(dir, cacheDir string, env []string, args ...string) (cachedRun, error) {
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
		return r, fmt.Errorf("running futlint %v: %v", args, err)
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
	return r, nil
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

// The cache tests but TestCacheWarmEqualsCold analyse the fixture without
// its two packages that import net/http (clean, hits): listing net/http's
// ~200 dependencies is most of a run's CPU, the go command's, and the
// cache keeps any package's results the same way.
var (
	cacheUnits    = slices.DeleteFunc(slices.Clone(e2eUnits), func(id string) bool { return id == "example.com/e2e/clean" || id == "example.com/e2e/hits" })
	cachePatterns = patternsOf(cacheUnits, "./")
)

// patternsOf spells the units' packages as patterns: prefix "./" for
// directories, "" for import paths.
func patternsOf(units []string, prefix string) []string {
	var list []string
	for _, id := range units {
		if prefix != "" {
			id = prefix + strings.TrimPrefix(id, "example.com/e2e/")
		}
		list = append(list, id)
	}
	return list
}

func wantUnits(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: %q, want %q", what, got, want)
	}
}

// A warm run analyses nothing and prints what a cold run does, in each
// output format. The units' results do not depend on the output format
// (only analyzer flags reach the units), so one text run fills the cache
// for all four.
func TestCacheWarmEqualsCold(t *testing.T) {
	t.Parallel()
	cacheDir, fill := filledCache(t, "./...")
	sameOutput(t, "./... (filling the cache)", coldRun(t, e2eDir, "./..."), fill)
	wantUnits(t, "filling run's misses", fill.misses, e2eUnits)
	for _, args := range [][]string{{"./..."}, {"-json", "./..."}, {"-format=sarif", "./..."}, {"-fix", "-diff", "./..."}} {
		warm := runCached(t, e2eDir, cacheDir, nil, args...)
		sameOutput(t, strings.Join(args, " ")+" (warm)", coldRun(t, e2eDir, args...), warm)
		wantUnits(t, strings.Join(args, " ")+": warm run's hits", warm.hits, e2eUnits)
		wantUnits(t, strings.Join(args, " ")+": warm run's misses", warm.misses, nil)
	}
	// (coldRun fails the test if FUTLINT_CACHE=off used the cache.)
	if out := runCached(t, e2eDir, cacheDir, nil, "-cache=off", "./counter"); len(out.hits)+len(out.misses) != 0 {
		t.Errorf("-cache=off used the cache: %q %q", out.hits, out.misses)
	}
}

// An edit re-analyses the package edited; its importers only when what
// they import from it (types, positions, facts) changed.
func TestCacheEdit(t *testing.T) {
	t.Parallel()
	dir := copyModule(t)
	cacheDir := t.TempDir()
	runCached(t, dir, cacheDir, nil, cachePatterns...)

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
		return slices.DeleteFunc(slices.Clone(cacheUnits), func(id string) bool { return slices.Contains(except, id) })
	}
	check := func(what string, misses []string, cold cachedRun) {
		t.Helper()
		r := runCached(t, dir, cacheDir, nil, cachePatterns...)
		wantUnits(t, what+": misses", r.misses, misses)
		wantUnits(t, what+": hits", r.hits, others(misses...))
		sameOutput(t, what, cold, r)
	}

	// A comment at the end of a leaf package, and of lib, imported by app:
	// neither changes the package's types, their positions or its facts,
	// so app is not analysed again; nor does it change any finding, so the
	// output is the unedited module's.
	edit("counter/counter.go", func(s string) string { return s + "// edited\n" })
	edit("lib/lib.go", func(s string) string { return s + "// edited\n" })
	check("comments added to counter (a leaf) and lib", []string{"example.com/e2e/counter", "example.com/e2e/lib"}, coldRun(t, e2eDir, cachePatterns...))

	// lib.Pause now observes its ctx: lib's facts change, app is analysed
	// again and its finding goes away.
	edit("lib/lib.go", func(s string) string {
		return strings.Replace(s, "\ttime.Sleep(d)\n", "\tselect {\n\tcase <-ctx.Done():\n\tcase <-time.After(d):\n\t}\n", 1)
	})
	check("lib.Pause fixed", []string{"example.com/e2e/app", "example.com/e2e/lib"}, runCached(t, dir, "off", nil, cachePatterns...))
}

// A different analyzer flag is a different key: an option, and an
// analyzer switched off.
func TestCacheFlagChangeMisses(t *testing.T) {
	t.Parallel()
	cacheDir, _ := filledCache(t, cachePatterns...)
	for _, flag := range []string{"-leakedgoroutine.strict=false", "-unlockedinc=false"} {
		args := append([]string{flag}, cachePatterns...)
		r := runCached(t, e2eDir, cacheDir, nil, args...)
		wantUnits(t, flag+": misses", r.misses, cacheUnits)
		sameOutput(t, flag, coldRun(t, e2eDir, args...), r)
		again := runCached(t, e2eDir, cacheDir, nil, args...)
		wantUnits(t, flag+" again: hits", again.hits, cacheUnits)
	}
}

// Two runs sharing a cache at once both print what a cold run does, and
// leave the cache usable.
func TestCacheConcurrentRuns(t *testing.T) {
	cold := coldRun(t, e2eDir, cachePatterns...)
	cacheDir := t.TempDir()
	var wg sync.WaitGroup
	runs := make([]cachedRun, 2)
	for i := range runs {
		wg.Go(func() { runs[i] = runCached(t, e2eDir, cacheDir, nil, cachePatterns...) })
	}
	wg.Wait()
	for _, r := range runs {
		sameOutput(t, "concurrent run", cold, r)
	}
	warm := runCached(t, e2eDir, cacheDir, nil, cachePatterns...)
	sameOutput(t, "run after the concurrent ones", cold, warm)
	wantUnits(t, "hits after the concurrent runs", warm.hits, cacheUnits)
}

// Damaged entries (truncated outputs, flipped bytes, garbled index files)
// are misses: the units are analysed again, the output is still right,
// and the entries are written anew. Every entry of a filled cache is
// damaged, each unit's in one of the ways in turn, and the remembered
// export list (cache.go's speculation) too.
func TestCacheCorruptEntry(t *testing.T) {
	t.Parallel()
	cold := coldRun(t, e2eDir, cachePatterns...)
	cacheDir, _ := filledCache(t, cachePatterns...)
	damages := []struct {
		name  string
		index bool // damage the index file (-a), not the output (-d)
		f     func([]byte) []byte
	}{
		{"truncated output", false, func(b []byte) []byte { return b[:len(b)/2] }},
		{"flipped byte in output", false, func(b []byte) []byte { b[len(b)/3] ^= 0x55; return b }},
		{"truncated index", true, func(b []byte) []byte { return b[:len(b)-10] }},
	}
	// The index files name their outputs: "v1 ACTIONID OUTPUTID SIZE TIME".
	indexOf := make(map[string]string) // output ID -> index file
	outputs := make(map[string]string) // output ID -> output file
	filepath.WalkDir(cacheDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if id, ok := strings.CutSuffix(filepath.Base(path), "-d"); ok {
			outputs[id] = path
		} else if strings.HasSuffix(path, "-a") {
			data, _ := os.ReadFile(path)
			if f := strings.Fields(string(data)); len(f) >= 3 {
				indexOf[f[2]] = path
			}
		}
		return nil
	})
	damaged := make(map[string]string) // unit ID -> damage
	n := 0
	for _, id := range slices.Sorted(maps.Keys(outputs)) {
		data, _ := os.ReadFile(outputs[id])
		unit := entryUnit(data)
		damage := damages[n%len(damages)]
		file := outputs[id]
		if damage.index {
			file = indexOf[id]
		}
		if file == "" {
			t.Fatalf("no index file for output %s", id)
		}
		if unit != "" {
			damaged[unit] = damage.name
			n++
		}
		data, _ = os.ReadFile(file)
		os.WriteFile(file, damage.f(data), 0o666)
	}
	if n < len(damages) || len(damaged) != len(cacheUnits) {
		t.Fatalf("damaged %v; want every unit's entry", damaged)
	}
	r := runCached(t, e2eDir, cacheDir, nil, cachePatterns...)
	sameOutput(t, "damaged entries", cold, r)
	wantUnits(t, fmt.Sprintf("misses (damages: %v)", damaged), r.misses, cacheUnits)
	again := runCached(t, e2eDir, cacheDir, nil, cachePatterns...)
	wantUnits(t, "hits after rewriting", again.hits, cacheUnits)
	sameOutput(t, "damaged entries, rewritten", cold, again)
}

// entryUnit returns the unit whose result a cache output holds: the
// package of its findings or, without findings, the one whose files its
// types name; "" for another entry (the remembered export list).
func entryUnit(data []byte) string {
	const magic = "futlint result v1\n"
	if !bytes.HasPrefix(data, []byte(magic)) || len(data) < len(magic)+8 {
		return ""
	}
	rest := data[len(magic)+8:]
	if id, ok := bytes.CutPrefix(rest, []byte(`{"`)); ok {
		if end := bytes.IndexByte(id, '"'); end > 0 {
			return string(id[:end])
		}
	}
	for _, unit := range e2eUnits {
		if bytes.Contains(rest, []byte(filepath.Join(e2eDir, strings.TrimPrefix(unit, "example.com/e2e/"))+string(filepath.Separator))) {
			return unit
		}
	}
	return ""
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
	cold := coldRun(t, e2eDir, cachePatterns...)
	first := runCached(t, e2eDir, filepath.Join(tmp, "local1"), env, cachePatterns...)
	sameOutput(t, "first run through GOCACHEPROG", cold, first)
	wantUnits(t, "first run through GOCACHEPROG: misses", first.misses, cacheUnits)
	second := runCached(t, e2eDir, filepath.Join(tmp, "local2"), env, cachePatterns...)
	sameOutput(t, "second run through GOCACHEPROG", cold, second)
	wantUnits(t, "second run, another local directory: hits", second.hits, cacheUnits)
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
	cacheDir, _ := filledCache(t, cachePatterns...)
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
	r := runCached(t, e2eDir, cacheDir, nil, append([]string{"-leakedgoroutine.strict=false"}, patternsOf(cacheUnits, "")...)...)
	wantUnits(t, "misses with another flag", r.misses, cacheUnits)
	for path := range entries() {
		if old[path] {
			t.Errorf("entry unused for a week not trimmed: %s", path)
		}
	}
	if len(entries()) == 0 {
		t.Error("the run's own entries were trimmed too")
	}
}
