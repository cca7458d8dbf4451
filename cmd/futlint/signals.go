package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"sync/atomic"
	"syscall"
)

// interruptSignals stop a standalone run: the driver stops scheduling,
// kills the running units, lets go list clean up, removes its temporary
// directory and exits 128+signal ("interrupted"). SIGQUIT also dumps the
// driver's goroutines first, as Go does by default.
var interruptSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT}

// interruptible returns a context cancelled by the first interrupt
// signal, and interrupted, which returns the exit code for that signal or
// 0 if none came. A second signal exits at once. stop ends the handling.
func interruptible() (ctx context.Context, interrupted func() int, stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, interruptSignals...)
	var code atomic.Int32
	done := make(chan struct{})
	handled := make(chan struct{})
	go func() {
		defer close(handled)
		select {
		case sig := <-sigs:
			code.Store(int32(signalExitCode(sig)))
			if sig == syscall.SIGQUIT {
				pprof.Lookup("goroutine").WriteTo(os.Stderr, 2)
			}
			cancel()
		case <-done:
			return
		}
		select {
		case sig := <-sigs:
			fmt.Fprintf(os.Stderr, "%s: interrupted again; exiting at once\n", progname)
			os.Exit(signalExitCode(sig))
		case <-done:
		}
	}()
	return ctx, func() int { return int(code.Load()) }, func() {
		signal.Stop(sigs)
		close(done)
		<-handled
		cancel()
	}
}

// signalExitCode is the shell's code for death by sig: 130 for SIGINT,
// 143 for SIGTERM.
func signalExitCode(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return exitError
}
