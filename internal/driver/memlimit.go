package driver

import (
	"bytes"
	"os"
	"strconv"
	"time"
)

// watchMemory kills process p when its resident memory exceeds limitMB,
// and reports whether it did. It returns when done is closed. It reads
// /proc, so it does nothing where there is none. It kills through p, not
// by a PID looked up later, which the system may have given another
// process once p exited.
func watchMemory(p *os.Process, limitMB int, done <-chan struct{}) (exceeded <-chan bool) {
	result := make(chan bool, 1)
	statm := "/proc/" + strconv.Itoa(p.Pid) + "/statm"
	pageMB := float64(os.Getpagesize()) / (1 << 20)
	go func() {
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				result <- false
				return
			case <-tick.C:
				data, err := os.ReadFile(statm)
				if err != nil {
					result <- false
					return
				}
				fields := bytes.Fields(data)
				if len(fields) < 2 {
					continue
				}
				pages, _ := strconv.Atoi(string(fields[1])) // resident
				if float64(pages)*pageMB > float64(limitMB) {
					p.Kill()
					result <- true
					return
				}
			}
		}
	}()
	return result
}

// rssMB converts getrusage's ru_maxrss to MB: kilobytes on Linux and the
// BSDs, bytes on macOS and iOS.
func rssMB(maxrss int64, goos string) int {
	if goos == "darwin" || goos == "ios" {
		return int(maxrss >> 20)
	}
	return int(maxrss >> 10)
}

// UnitMemCaveat says how -unitmem falls short on goos, or "" where it
// works fully: where there is no /proc, a unit's memory is known only once
// it exits, and on Windows not at all.
func UnitMemCaveat(goos string) string {
	switch goos {
	case "linux", "android":
		return ""
	case "windows":
		return "-unitmem has no effect on windows: futlint cannot read a process's memory there"
	}
	return "-unitmem is checked when a package's analysis ends (there is no /proc on " + goos + "): a package beyond the limit is reported, not stopped early"
}
