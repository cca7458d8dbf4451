package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// monorepo makes a git repository holding a copy of the fixture module in
// its subdirectory mod/, committed, and returns the repository and the
// module directory. The copy leaves out the two packages that import
// net/http (clean, hits), as the cache tests do (cachePatterns): listing
// net/http's dependencies is most of a run's CPU, and the eleven
// findings left are of every analyzer.
func monorepo(t *testing.T) (repo, mod string) {
	t.Helper()
	repo = t.TempDir()
	mod = filepath.Join(repo, "mod")
	if err := os.Rename(copyModule(t), mod); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"clean", "hits"} {
		if err := os.RemoveAll(filepath.Join(mod, dir)); err != nil {
			t.Fatal(err)
		}
	}
	gitIn(t, repo, "init", "-q")
	gitIn(t, repo, "add", "-A")
	gitIn(t, repo, "commit", "-qm", "fixture")
	return repo, mod
}

func gitIn(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@t.invalid", "-c", "init.defaultBranch=main"}, args...)...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// A copy of Count: a new unlockedinc finding, in a file of its own.
const newCounter = `package counter

import "sync"

func Count2(items []string) int {
	var wg sync.WaitGroup
	n := 0
	for range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n++
		}()
	}
	wg.Wait()
	return n
}
`

// shiftFile inserts lines at the top of a file: every finding in it moves.
func shiftFile(t *testing.T, file string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(file, append([]byte("// An edit above the findings.\n// Another line.\n"), data...), 0o666)
}

// TestNewFromRev: only findings on lines changed since the revision (and
// in untracked files) are reported, in a module in a subdirectory of the
// repository.
func TestNewFromRev(t *testing.T) {
	t.Parallel()
	_, mod := monorepo(t)
	stdout, stderr, code := run(t, mod, "", "-new-from-rev=HEAD", "./...")
	if code != 0 || stdout != "" || !strings.Contains(stderr, "on lines unchanged since HEAD") {
		t.Fatalf("unchanged tree: exit %d, stdout:\n%s\nstderr:\n%s\nwant exit 0, nothing reported", code, stdout, stderr)
	}
	shiftFile(t, filepath.Join(mod, "counter/counter.go"))
	os.WriteFile(filepath.Join(mod, "counter/count2.go"), []byte(newCounter), 0o666)
	// A changed line: background's goroutine, rewritten.
	bg := filepath.Join(mod, "background/background.go")
	data, _ := os.ReadFile(bg)
	os.WriteFile(bg, []byte(strings.Replace(string(data), "go ", "go  ", 1)), 0o666)
	stdout, stderr, code = run(t, mod, "", "-new-from-rev=HEAD", "./...")
	got := parseText(t, stdout, true)
	if code != 3 || len(got) != 2 || got[0].file != "background/background.go" || got[1].file != "counter/count2.go" {
		t.Errorf("exit %d, findings %+v; want the changed line of background.go and count2.go's finding, not the moved ones\nstderr:\n%s", code, got, stderr)
	}
	if _, stderr, code := run(t, mod, "", "-new-from-rev=nosuchrev", "./..."); code != 2 || !strings.Contains(stderr, "nosuchrev") {
		t.Errorf("bad revision: exit %d, stderr %q; want 2 naming it", code, stderr)
	}
}

// TestBaseline: findings written to a baseline are not reported again,
// even after edits move them; new ones are.
func TestBaseline(t *testing.T) {
	t.Parallel()
	repo, mod := monorepo(t)
	base := filepath.Join(repo, ".futlint-baseline.json")
	_, stderr, code := run(t, mod, "", "-write-baseline="+base, "./...")
	if code != 0 || !strings.Contains(stderr, "wrote ") {
		t.Fatalf("-write-baseline: exit %d, stderr:\n%s", code, stderr)
	}
	data, _ := os.ReadFile(base)
	if !strings.Contains(string(data), `"file": "mod/counter/counter.go"`) {
		t.Errorf("baseline paths are not relative to its directory:\n%s", data)
	}
	stdout, stderr, code := run(t, mod, "", "-baseline="+base, "./...")
	if code != 0 || stdout != "" {
		t.Fatalf("-baseline on the same tree: exit %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	shiftFile(t, filepath.Join(mod, "counter/counter.go"))
	os.WriteFile(filepath.Join(mod, "counter/count2.go"), []byte(newCounter), 0o666)
	// SARIF (-sarif, written beside the text) and JSON report the same
	// one, SARIF relative to the repository root.
	sarif := filepath.Join(t.TempDir(), "futlint.sarif")
	stdout, stderr, code = run(t, mod, "", "-baseline="+base, "-sarif="+sarif, "./...")
	got := parseText(t, stdout, true)
	if code != 3 || len(got) != 1 || got[0].file != "counter/count2.go" {
		t.Errorf("exit %d, findings %+v; want only count2.go's\nstderr:\n%s", code, got, stderr)
	}
	data, _ = os.ReadFile(sarif)
	if strings.Count(string(data), `"ruleId"`) != 1 || !strings.Contains(string(data), `"uri": "mod/counter/count2.go"`) {
		t.Errorf("SARIF with -baseline: want one result at mod/counter/count2.go:\n%s", data)
	}
	stdout, _, _ = run(t, mod, "", "-baseline="+base, "-json", "./...")
	// Related positions have a "posn" of their own.
	if strings.Count(stdout, `"posn"`)-strings.Count(stdout, `"related"`) != 1 {
		t.Errorf("JSON with -baseline: want one diagnostic:\n%s", stdout)
	}
}
