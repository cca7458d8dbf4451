//go:build unix

package driver

import (
	"os"
	"runtime"
	"syscall"
)

// peakRSSMB returns the peak resident memory of an exited process in MB,
// or 0 if the system does not say.
func peakRSSMB(ps *os.ProcessState) int {
	if ps == nil {
		return 0
	}
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return rssMB(int64(ru.Maxrss), runtime.GOOS)
	}
	return 0
}
