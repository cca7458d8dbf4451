//go:build !unix

package main

import "syscall"

// Without process groups a terminal's Ctrl-C would reach the worker
// twice: run in-process, where a Go crash exits 2.
const canSupervise = false

func workerAttr() *syscall.SysProcAttr { return nil }

func workerInit() {}
