//go:build unix && !linux

package main

import (
	"os/signal"
	"syscall"
)

const canSupervise = true

func workerAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

// workerInit lets the worker write to the terminal from its own process
// group even under "stty tostop", which would stop it instead.
func workerInit() { signal.Ignore(syscall.SIGTTOU) }
