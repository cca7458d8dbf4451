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
