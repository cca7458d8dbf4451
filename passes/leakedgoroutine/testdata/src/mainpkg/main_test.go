package main

import (
	"os"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	go func() { time.Sleep(time.Second) }()
	os.Exit(m.Run())
}

func TestHelper(t *testing.T) {
	go helper() // want `goroutine is not joined`
}
