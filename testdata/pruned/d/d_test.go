package d

import (
	"testing"

	"example.com/e"
)

func TestStart(t *testing.T) {
	Start()
	if e.Helper() != 1 {
		t.Fatal("e.Helper")
	}
}
