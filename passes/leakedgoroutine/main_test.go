package leakedgoroutine_test

import (
	"testing"

	"github.com/futlint/futlint/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }
