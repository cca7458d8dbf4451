package uncheckedcancel_test

import (
	"os"
	"runtime/debug"
	"testing"
)

// TestMain bounds the heap: facts make analysistest analyse every
// dependency from source, and the collector's default goal (twice the
// live heap) then doubles the peak of a run that loads net/http.
func TestMain(m *testing.M) {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(768 << 20)
	}
	os.Exit(m.Run())
}
