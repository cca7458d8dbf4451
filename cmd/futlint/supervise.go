package main

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

// A standalone run is supervised: futlint starts itself again to do the
// work and maps the exit code. A Go program that panics or hits a fatal
// error (out of memory, a concurrent map write) exits 2, which is
// futlint's usage code; under supervision a crash exits 1 with a line
// saying so, and the worker's real usage errors come back as
// workerUsage, which the supervisor turns into 2.
//
// The worker runs in its own process group, so that a terminal's Ctrl-C
// reaches it once, through the supervisor, which passes on every
// interrupt signal it gets (a second one still stops the worker at once).
const (
	workerEnv   = "FUTLINT_STANDALONE_WORKER"
	workerUsage = 99
)

// isWorker reports whether this process is a supervised worker, and
// forgets the mark so that processes it starts do not inherit it.
func isWorker() bool {
	if os.Getenv(workerEnv) == "" {
		return false
	}
	os.Unsetenv(workerEnv)
	return true
}

// runStandalone runs the standalone driver: supervised where processes
// can be grouped, else in this process.
func runStandalone(run func() int) int {
	if isWorker() {
		workerInit()
		code := run()
		if code == exitUsage {
			code = workerUsage
		}
		return code
	}
	if !canSupervise {
		return run()
	}
	exe, err := os.Executable()
	if err != nil {
		return run()
	}
	cmd := exec.Command(exe, os.Args[1:]...)
	cmd.Env = append(os.Environ(), workerEnv+"=1")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.SysProcAttr = workerAttr()
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, interruptSignals...)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		signal.Stop(sigs)
		return run()
	}
	forwarded := make(chan struct{})
	go func() {
		defer close(forwarded)
		for sig := range sigs {
			cmd.Process.Signal(sig)
		}
	}()
	cmd.Wait()
	// After Stop no signal is delivered on sigs, so closing it is safe
	// and ends the forwarder.
	signal.Stop(sigs)
	close(sigs)
	<-forwarded
	ps := cmd.ProcessState
	if ps == nil {
		return exitError
	}
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	switch code := ps.ExitCode(); code {
	case workerUsage:
		return exitUsage
	case exitUsage: // only the Go runtime exits 2 in the worker
		fmt.Fprintf(os.Stderr, "%s: internal error: futlint crashed (see above); please report it with the trace\n", progname)
		return exitError
	default:
		return code
	}
}
