//go:build unix && !linux

package main

import "syscall"

const canSupervise = true

func workerAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }
