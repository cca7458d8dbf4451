package main

import "syscall"

const canSupervise = true

// The worker gets SIGTERM, and cleans up, if the supervisor dies.
func workerAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
}
