//go:build !unix

package driver

import "os"

// peakRSSMB is unknown here: only the sampler enforces -unitmem.
func peakRSSMB(*os.ProcessState) int { return 0 }
