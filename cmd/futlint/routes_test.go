package main_test

// The README's routes to futlint, each run as written, offline (the
// module cache holds what futlint's build needs; GOPROXY=off proves no
// download happens).

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var repoRoot = mustAbs("../..")

// goCmd runs the go command in dir, offline, and returns its combined
// output and exit code.
func goCmd(t *testing.T, dir string, env []string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), append([]string{"GOPROXY=off", "GOFLAGS="}, env...)...)
	out, err := cmd.CombinedOutput()
	code := 0
	if exitErr, ok := err.(*exec.ExitError); ok {
		code = exitErr.ExitCode()
	} else if err != nil {
		t.Fatalf("go %v: %v", args, err)
	}
	return string(out), code
}

// README, Quick start: go install ./cmd/futlint from the clone puts
// futlint in $(go env GOPATH)/bin (GOBIN here, to leave GOPATH alone).
// TestMain ran it, offline as goCmd runs the go command: the binary it
// installed is the one every test runs.
func TestRouteGoInstall(t *testing.T) {
	t.Parallel()
	if installErr != nil {
		t.Fatalf("go install ./cmd/futlint: %v\n%s", installErr, installOut)
	}
	exe := futlint
	if fi, err := os.Stat(exe); err != nil || !fi.Mode().IsRegular() {
		t.Fatalf("go install ./cmd/futlint put no futlint in GOBIN: %v", err)
	}
	stdout, stderr, code := run(t, e2eDir, exe, "./counter")
	if code != 3 || !strings.Contains(stdout, "counter/counter.go:15:4: unlockedinc: ") {
		t.Errorf("installed futlint ./counter: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

// README, "In your own module": a replace to the clone and a tool
// directive, then go tool futlint and go vet -vettool=$(go tool -n futlint).
func TestRouteGoTool(t *testing.T) {
	t.Parallel()
	mod := t.TempDir()
	src, _ := os.ReadFile(filepath.Join(e2eDir, "counter/counter.go"))
	os.WriteFile(filepath.Join(mod, "counter.go"), []byte(strings.Replace(string(src), "package counter", "package consumer", 1)), 0o666)
	os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module example.com/consumer\n\ngo 1.26\n"), 0o666)
	// Offline, the checksums come from the clone's go.sum (online,
	// sum.golang.org answers instead).
	sum, _ := os.ReadFile(filepath.Join(repoRoot, "go.sum"))
	os.WriteFile(filepath.Join(mod, "go.sum"), sum, 0o666)
	for _, args := range [][]string{
		{"mod", "edit", "-replace=github.com/futlint/futlint=" + repoRoot},
		{"get", "-tool", "github.com/futlint/futlint/cmd/futlint"},
	} {
		if out, code := goCmd(t, mod, nil, args...); code != 0 {
			t.Fatalf("go %v: exit %d\n%s", args, code, out)
		}
	}
	gomod, _ := os.ReadFile(filepath.Join(mod, "go.mod"))
	if !strings.Contains(string(gomod), "\ntool github.com/futlint/futlint/cmd/futlint\n") {
		t.Errorf("go.mod has no tool directive:\n%s", gomod)
	}
	out, code := goCmd(t, mod, nil, "tool", "futlint", "./...")
	if code != 3 || !strings.Contains(out, "counter.go:15:4: unlockedinc: unsynchronized increment of n") {
		t.Errorf("go tool futlint ./...: exit %d\n%s", code, out)
	}
	out, code = goCmd(t, mod, nil, "tool", "futlint", "version")
	if code != 0 || !strings.Contains(out, "built from "+repoRoot) {
		t.Errorf("go tool futlint version: exit %d, %q; want it to name the clone", code, out)
	}
	exe, code := goCmd(t, mod, nil, "tool", "-n", "futlint")
	if code != 0 {
		t.Fatalf("go tool -n futlint: exit %d\n%s", code, exe)
	}
	// go vet's own format: no "./", no analyzer name, exit 1.
	out, code = goCmd(t, mod, nil, "vet", "-vettool="+strings.TrimSpace(exe), "./...")
	if code != 1 || !strings.HasPrefix(out, "counter.go:15:4: unsynchronized increment of n") {
		t.Errorf("go vet -vettool=$(go tool -n futlint): exit %d\n%s", code, out)
	}
}

// README, go vet: with futlint missing, -vettool=$(go env GOPATH)/bin/futlint
// fails loudly instead of running plain vet.
func TestRouteVetMissingTool(t *testing.T) {
	t.Parallel()
	out, code := goCmd(t, e2eDir, nil, "vet", "-vettool="+filepath.Join(t.TempDir(), "bin", "futlint"), "./clean")
	if code == 0 || !strings.Contains(out, "futlint") {
		t.Errorf("go vet with a missing vettool: exit %d, %q; want a failure naming it", code, out)
	}
}
