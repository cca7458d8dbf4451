package main

import (
	"os/signal"
	"syscall"
)

const canSupervise = true

// The worker gets SIGTERM, and cleans up, if the supervisor dies.
func workerAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
}

// workerInit lets the worker write to the terminal from its own process
// group even under "stty tostop", which would stop it instead.
func workerInit() { signal.Ignore(syscall.SIGTTOU) }
