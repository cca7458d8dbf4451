package main_test

// End-to-end tests of the standalone driver's failure modes (issue 14),
// on small modules each test writes.

import (
	"fmt"
	goversion "go/version"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// writeModule writes files (slash-separated names relative to the module
// root) into a new temporary directory and returns it.
func writeModule(t *testing.T, files map[string]string) string {
	t.Helper()
	mod := t.TempDir()
	for name, content := range files {
		path := filepath.Join(mod, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	return mod
}

// runEnv is run with extra environment variables.
func runEnv(t *testing.T, dir string, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(futlint, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if exitErr, ok := err.(*exec.ExitError); ok {
		code = exitErr.ExitCode()
	} else if err != nil {
		t.Fatalf("running futlint %v: %v", args, err)
	}
	return out.String(), errOut.String(), code
}

const goMod = "module example.com/m\n\ngo 1.26\n"

// A pattern that matches nothing fails, as in go vet, so that a mistyped
// CI pattern cannot pass (issue 14, item 6); one among others that match
// is a warning.
func TestMatchedNoPackages(t *testing.T) {
	t.Parallel()
	mod := writeModule(t, map[string]string{
		"go.mod":       goMod,
		"ok/ok.go":     "package ok\n",
		"empty/README": "no Go here\n",
		"cgo/cgo.go":   "package cgo\n\nimport \"C\"\n",
	})
	for _, tc := range []struct {
		env      []string
		patterns []string
		code     int
		stderr   string
	}{
		{nil, []string{"./empty/..."}, 1, "futlint: ./empty/... matched no packages"},
		{[]string{"CGO_ENABLED=0"}, []string{"./cgo/..."}, 1, "matched no packages"},
		{nil, []string{"./ok", "./empty/..."}, 0, `futlint: warning: "./empty/..." matched no packages`},
	} {
		_, stderr, code := runEnv(t, mod, tc.env, tc.patterns...)
		if code != tc.code || !strings.Contains(stderr, tc.stderr) {
			t.Errorf("%v futlint %v: exit %d, stderr %q; want exit %d and %q", tc.env, tc.patterns, code, stderr, tc.code, tc.stderr)
		}
	}
}

// -json and -format=sarif contradict each other (issue 14, item 13).
func TestJSONAndSARIFRefused(t *testing.T) {
	t.Parallel()
	_, stderr, code := run(t, e2eDir, "", "-json", "-format=sarif", "./clean")
	if code != 2 || !strings.Contains(stderr, "-json and -format=sarif disagree") {
		t.Errorf("-json -format=sarif: exit %d, stderr %q; want exit 2 naming both", code, stderr)
	}
	if _, stderr, code := run(t, e2eDir, "", "-json", "-format=json", "./lib"); code != 0 {
		t.Errorf("-json -format=json: exit %d, stderr %q; want 0", code, stderr)
	}
}

// A package directory named x.cfg is a pattern, not a unitchecker config
// (issue 14, item 13).
func TestPackageDirNamedCfg(t *testing.T) {
	t.Parallel()
	mod := writeModule(t, map[string]string{
		"go.mod":     goMod,
		"x.cfg/x.go": "package x\n",
	})
	stdout, stderr, code := run(t, mod, "", "./x.cfg")
	if code != 0 || stdout != "" || stderr != "futlint: no findings in 1 package; exit 0 (clean)\n" {
		t.Errorf("futlint ./x.cfg: exit %d, stdout %q, stderr %q; want a clean run", code, stdout, stderr)
	}
}

// hitsLine is testdata/e2e/hits with the handler under a //line directive
// naming a grammar file, as parser generators write.
const hitsLine = `package hits

import (
	"fmt"
	"net/http"
)

var hits int64

// Register installs the counting handler.
func Register(mux *http.ServeMux) {
//line grammar.y:100
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		hits++
		fmt.Fprintln(w, "ok")
	})
}
`

// Under a //line directive, -fix edits the Go file the edits' offsets are
// in, never the file the directive names (issue 14, item 4), and the
// finding is reported at the directive's line, which has no column (item
// 5).
func TestFixUnderLineDirective(t *testing.T) {
	t.Parallel()
	mustBeRegistered(t, "unlockedinc")
	const grammar = "%%\nrule: 'x';\n%%\n"
	mod := writeModule(t, map[string]string{
		"go.mod":         goMod,
		"hits/hits.go":   hitsLine,
		"hits/grammar.y": grammar,
	})
	stdout, stderr, code := run(t, mod, "", "./...")
	if code != 3 || !strings.Contains(stdout, "hits/grammar.y:101: unlockedinc: unsynchronized increment of hits") {
		t.Errorf("exit %d, stdout %q, stderr %q; want the finding at grammar.y:101", code, stdout, stderr)
	}
	stdout, stderr, code = run(t, mod, "", "-fix", "./...")
	if code != 0 {
		t.Errorf("-fix: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if data, _ := os.ReadFile(filepath.Join(mod, "hits/grammar.y")); string(data) != grammar {
		t.Errorf("-fix edited grammar.y:\n%s", data)
	}
	got, _ := os.ReadFile(filepath.Join(mod, "hits/hits.go"))
	want := strings.Replace(strings.Replace(hitsLine, "hits++", "atomic.AddInt64(&hits, 1)", 1), "\"net/http\"\n", "\"net/http\"\n\t\"sync/atomic\"\n", 1)
	if string(got) != want {
		t.Errorf("hits.go after -fix:\n%s\nwant:\n%s", got, want)
	}
	if out, err := exec.Command("go", "-C", mod, "vet", "./...").CombinedOutput(); err != nil {
		t.Errorf("fixed module does not vet: %v\n%s", err, out)
	}
}

// hitsCgo is testdata/e2e/hits in a file that uses cgo.
const hitsCgo = `package hits

// static int one(void) { return 1; }
import "C"

import (
	"fmt"
	"net/http"
)

var hits int64

// Register installs the counting handler.
func Register(mux *http.ServeMux) {
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		hits++
		fmt.Fprintln(w, "ok", C.one())
	})
}
`

// Findings in a file that imports "C" are reported at the user's
// positions, standalone and under go vet (issue 14, item 3); their fixes,
// whose offsets are in cmd/cgo's output, are not applied (item 4).
func TestCgoFile(t *testing.T) {
	t.Parallel()
	mustBeRegistered(t, "unlockedinc")
	mod := writeModule(t, map[string]string{"go.mod": goMod, "hits/hits.go": hitsCgo})
	env := []string{"CGO_ENABLED=1"}
	const want = "hits/hits.go:16:3: unlockedinc: unsynchronized increment of hits"
	stdout, stderr, code := runEnv(t, mod, env, "./...")
	if code != 3 || !strings.Contains(stdout, want) {
		t.Errorf("exit %d, stdout %q, stderr %q; want %q", code, stdout, stderr, want)
	}
	cmd := exec.Command("go", "vet", "-vettool="+futlint, "./...")
	cmd.Dir, cmd.Env = mod, append(os.Environ(), env...)
	out, _ := cmd.CombinedOutput()
	if !strings.Contains(string(out), strings.Replace(want, "unlockedinc: ", "", 1)) {
		t.Errorf("go vet -vettool:\n%s\nwant %q", out, want)
	}
	stdout, stderr, code = runEnv(t, mod, env, "-fix", "./...")
	if code != 3 || !strings.Contains(stdout, want) {
		t.Errorf("-fix: exit %d, stdout %q, stderr %q; want the finding left unfixed", code, stdout, stderr)
	}
	if data, _ := os.ReadFile(filepath.Join(mod, "hits/hits.go")); string(data) != hitsCgo {
		t.Errorf("-fix edited hits.go with offsets from cmd/cgo's output:\n%s", data)
	}
}

// startFutlint starts futlint in dir with its temporary files under a
// directory of the test's, and waits until a unit is running.
func startFutlint(t *testing.T, dir string, env []string, args ...string) (cmd *exec.Cmd, stderr *strings.Builder, tmp string) {
	t.Helper()
	tmp = t.TempDir()
	cmd = exec.Command(futlint, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), append(env, "TMPDIR="+tmp)...)
	stderr = new(strings.Builder)
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, stderr, tmp
}

func waitFor(t *testing.T, pattern string) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m, _ := filepath.Glob(pattern); len(m) > 0 {
			return
		}
	}
	t.Fatalf("no %s after a minute", pattern)
}

func exitCode(err error) int {
	if exitErr, ok := err.(*exec.ExitError); ok {
		return exitErr.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// An interrupt stops the run at once and says so, exiting 128+signal, and
// leaves no temporary files, for SIGHUP and SIGQUIT too (issue 14, items
// 9 and 11).
func TestInterrupt(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("signals as on Linux")
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT} {
		cmd, stderr, tmp := startFutlint(t, e2eDir, nil, "-j=1", "./...")
		waitFor(t, filepath.Join(tmp, "futlint-*", "*", "vet.cfg"))
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatalf("%v: %v", sig, err)
		}
		sent := time.Now()
		code := exitCode(cmd.Wait())
		if d := time.Since(sent); d > 5*time.Second {
			t.Errorf("%v: exited %v after the signal", sig, d)
		}
		if want := 128 + int(sig); code != want || !strings.Contains(stderr.String(), "futlint: interrupted") || strings.Contains(stderr.String(), "context canceled") {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and \"futlint: interrupted\"", sig, code, stderr.String(), want)
		}
		if left, _ := os.ReadDir(tmp); len(left) > 0 {
			t.Errorf("%v: left %d temporary files: %v", sig, len(left), left[0].Name())
		}
	}
}

// A second interrupt exits at once, even while the first waits for the go
// command to clean up (issue 14, item 9).
func TestSecondInterruptKills(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("signals as on Linux")
	}
	// A go command that ignores SIGINT: the first interrupt would wait for
	// it to give up.
	bin := t.TempDir()
	mark := filepath.Join(t.TempDir(), "started")
	script := "#!/bin/sh\ntrap '' INT\ntouch " + mark + "\nexec sleep 8\n"
	if err := os.WriteFile(filepath.Join(bin, "go"), []byte(script), 0o777); err != nil {
		t.Fatal(err)
	}
	cmd, stderr, _ := startFutlint(t, e2eDir, []string{"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH")}, "./...")
	waitFor(t, mark)
	cmd.Process.Signal(os.Interrupt)
	time.Sleep(300 * time.Millisecond)
	cmd.Process.Signal(os.Interrupt)
	sent := time.Now()
	code := exitCode(cmd.Wait())
	if d := time.Since(sent); d > 2*time.Second || code != 130 {
		t.Errorf("exit %d %v after the second interrupt; want 130 at once\nstderr:\n%s", code, d, stderr)
	}
}

// A go command newer than the Go futlint was built with is refused with
// the fix, not with an internal error and bogus type errors (issue 14,
// item 8).
func TestToolchainSkew(t *testing.T) {
	t.Parallel()
	built := goversion.Lang(runtime.Version())
	minor, err := strconv.Atoi(strings.TrimPrefix(built, "go1."))
	if err != nil {
		t.Skipf("built with %s", runtime.Version())
	}
	newer := fmt.Sprintf("go1.%d", minor+1)
	real, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	// A go command that says it is the next release, as GOTOOLCHAIN would
	// select one.
	bin := t.TempDir()
	script := "#!/bin/sh\nif [ \"$1 $2\" = 'env GOVERSION' ]; then echo " + newer + ".0; exit 0; fi\nexec " + real + " \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "go"), []byte(script), 0o777); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := runEnv(t, e2eDir, []string{"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH")}, "./clean")
	want := fmt.Sprintf("futlint was built with %s; rebuild it with %s", built, newer)
	if code != 1 || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stderr %q; want exit 1 and %q", code, stderr, want)
	}
}

// -vet reports what go vet reports, no more (issue 14, item 7): vet's
// lostcancel needs ctrlflow's facts about dependencies (log.Fatalf does
// not return), which the units, analysing only the matched packages,
// lack.
func TestVetMatchesGoVet(t *testing.T) {
	t.Parallel()
	mod := writeModule(t, map[string]string{
		"go.mod": goMod,
		"p/p.go": "package p\n\nimport (\n\t\"context\"\n\t\"fmt\"\n\t\"log\"\n)\n\n" +
			"func Bad() { fmt.Printf(\"%d\\n\", \"x\") }\n\n" +
			"func G(ctx context.Context, bad bool) {\n\t_, cancel := context.WithCancel(ctx)\n\tif bad {\n\t\tlog.Fatalf(\"bad\")\n\t} else {\n\t\tcancel()\n\t}\n}\n",
		"p/p_test.go": "package p\n\nimport \"testing\"\n\nfunc TestX(t *testing.T) { t.Logf(\"%d\", \"y\") }\n",
	})
	cmd := exec.Command("go", "vet", "./...")
	cmd.Dir = mod
	out, _ := cmd.CombinedOutput()
	var want []string
	for line := range strings.SplitSeq(strings.TrimSpace(string(out)), "\n") {
		if !strings.HasPrefix(line, "#") {
			want = append(want, strings.TrimPrefix(line, "./"))
		}
	}
	stdout, stderr, code := run(t, mod, "", "-vet", "./...")
	var got []string
	for line := range strings.SplitSeq(strings.TrimSpace(stdout), "\n") {
		// file:line:col: analyzer: message -> file:line:col: message
		posn, rest, _ := strings.Cut(line, ": ")
		_, msg, _ := strings.Cut(rest, ": ")
		got = append(got, posn+": "+msg)
	}
	slices.Sort(want)
	slices.Sort(got)
	if code != 3 || !slices.Equal(got, want) || len(want) != 2 {
		t.Errorf("futlint -vet: exit %d\n%s\nstderr:\n%s\ngo vet:\n%s", code, stdout, stderr, out)
	}
	// -test=false leaves out the test files, -printf=false the analyzer.
	if stdout, _, _ := run(t, mod, "", "-vet", "-test=false", "./..."); strings.Contains(stdout, "_test.go") || !strings.Contains(stdout, "p/p.go:9:26: printf:") {
		t.Errorf("-vet -test=false:\n%s", stdout)
	}
	if stdout, _, code := run(t, mod, "", "-vet", "-printf=false", "./..."); code != 0 || stdout != "" {
		t.Errorf("-vet -printf=false: exit %d\n%s", code, stdout)
	}
}

// A Go crash of the driver (a panic, a fatal error, here SIGABRT's dump)
// exits 1 saying so, not 2, the usage code (issue 14, item 13).
func TestDriverCrashIsNotUsage(t *testing.T) {
	t.Parallel()
	if runtime.GOOS != "linux" {
		t.Skip("finds the worker process in /proc")
	}
	cmd, stderr, tmp := startFutlint(t, e2eDir, nil, "-j=1", "./...")
	waitFor(t, filepath.Join(tmp, "futlint-*", "*", "vet.cfg"))
	// The supervised worker is futlint's only child then: units and go
	// list are the worker's.
	var fields []string
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", cmd.Process.Pid))
	for _, task := range tasks {
		data, _ := os.ReadFile(task) // a thread's children
		fields = append(fields, strings.Fields(string(data))...)
	}
	if len(fields) != 1 {
		t.Fatalf("children of futlint: %q; want the worker", fields)
	}
	worker, _ := strconv.Atoi(fields[0])
	if err := syscall.Kill(worker, syscall.SIGABRT); err != nil {
		t.Fatal(err)
	}
	code := exitCode(cmd.Wait())
	if code != 1 || !strings.Contains(stderr.String(), "SIGABRT") || !strings.Contains(stderr.String(), "futlint: internal error: futlint crashed") {
		t.Errorf("exit %d; want 1 and the crash named\nstderr:\n%.2000s", code, stderr)
	}
}

// On a terminal with "stty tostop", the supervised worker, in its own
// process group, still writes its progress instead of being stopped.
func TestWorkerWritesUnderTostop(t *testing.T) {
	script, err := exec.LookPath("script")
	if runtime.GOOS != "linux" || err != nil {
		t.Skip("needs util-linux's script for a terminal")
	}
	cmd := exec.Command(script, "-qec", "stty tostop; "+futlint+" ./lib; echo rc=$?", os.DevNull)
	cmd.Dir = e2eDir
	done := make(chan []byte)
	go func() {
		out, _ := cmd.CombinedOutput()
		done <- out
	}()
	select {
	case out := <-done:
		if !strings.Contains(string(out), "rc=0") {
			t.Errorf("output:\n%s", out)
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("futlint stopped on the terminal (SIGTTOU)")
	}
}
