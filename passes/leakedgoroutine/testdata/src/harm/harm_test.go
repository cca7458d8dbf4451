package harm

import (
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

func compute() int { return 1 }

func check(t *testing.T, n int) {
	t.Helper()
	if n != 1 {
		t.Errorf("got %d", n)
	}
}

// Outlives its test: t.Log may run after TestLateLog returns (lost, or a
// panic once every test is done).
func TestLateLog(t *testing.T) {
	go func() { // want `goroutine outlives its test: it calls t.Logf \(line \d+\) but nothing waits for it before TestLateLog returns`
		time.Sleep(time.Millisecond)
		t.Logf("computed %d", compute())
	}()
}

// Outlives its test: a loop that keeps asserting through a helper given
// t; once the test tears down what it checks, the assertion fails after
// the test completed and panics.
func TestLateLoop(t *testing.T) {
	go func() { // want `goroutine outlives its test: it calls harm.check \(line \d+\) but nothing waits for it before TestLateLoop returns`
		for i := 0; i < 1000; i++ {
			time.Sleep(10 * time.Millisecond)
			check(t, compute())
		}
	}()
}

// Twin: a failure call outside a loop runs only once something failed.
func TestFailOnly(t *testing.T) {
	go func() {
		if compute() != 1 {
			t.Errorf("bad")
		}
	}()
}

// Twin: the test waits for it.
func TestJoined(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 3; i++ {
			check(t, compute())
		}
	}()
	wg.Wait()
}

// Twin: a t.Cleanup waits for it.
func TestCleanup(t *testing.T) {
	var wg sync.WaitGroup
	t.Cleanup(wg.Wait)
	wg.Add(1)
	go func() {
		defer wg.Done()
		t.Log(compute())
	}()
}

// Twin: the test stops it (a channel it closes when it returns).
func TestStopped(t *testing.T) {
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
				t.Log(compute())
			}
		}
	}()
}

// Twin: the goroutine does not touch t: the policy, not this class.
func TestNoT(t *testing.T) {
	go func() { compute() }()
}

// Twin: the goroutine's children signal the WaitGroup the test waits on.
func TestChildrenJoined(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(3)
	go func() {
		for i := 0; i < 3; i++ {
			check(t, compute())
			go func() { wg.Done() }()
		}
	}()
	wg.Wait()
}

// Twin: the read loop waits on a conn the test closes in a defer, and
// returns without using t when the read fails (moby resolver_test.go).
func TestReadLoopClosed(t *testing.T) {
	srv, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	go func() {
		buf := make([]byte, 512)
		for {
			n, src, err := srv.ReadFrom(buf)
			if errors.Is(err, net.ErrClosed) {
				return
			}
			t.Logf("%v: %d bytes", src, n)
		}
	}()
}

// Outlives its test: the test closes the conn, but the goroutine logs
// the read error it gets from that Close, after the test returned.
func TestReadLoopLogsClose(t *testing.T) {
	srv, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	go func() { // want `goroutine outlives its test: it calls t.Logf`
		buf := make([]byte, 512)
		for {
			if _, _, err := srv.ReadFrom(buf); err != nil {
				t.Logf("read: %v", err)
				return
			}
		}
	}()
}

type partition interface {
	Errors() <-chan error
	Close() error
}

func consume(n int) partition { return nil }

func closeIt(t *testing.T, c io.Closer) {
	t.Helper()
	if err := c.Close(); err != nil {
		t.Error(err)
	}
}

// Twin: the goroutine ranges over a channel of a value the test keeps in
// a map and closes, through a helper, before it returns (sarama
// consumer_test.go): Close ends the range.
func TestRangeClosedByHelper(t *testing.T) {
	consumers := map[int]partition{}
	for i := 0; i < 2; i++ {
		pc := consume(i)
		go func(c partition) {
			for err := range c.Errors() {
				t.Error(err)
			}
		}(pc)
		consumers[i] = pc
	}
	for _, pc := range consumers {
		closeIt(t, pc)
	}
}

// Outlives its test: the same range, but the test closes nothing.
func TestRangeNotClosed(t *testing.T) {
	pc := consume(0)
	go func(c partition) { // want `goroutine outlives its test: it calls t.Error`
		for err := range c.Errors() {
			t.Error(err)
		}
	}(pc)
}

// Twin: the writer closes the pipe last; the reader is handed on, and
// whoever reads it to EOF has waited for the writer (moby copier_test.go).
func piped(t *testing.T, buf []byte) io.Reader {
	r, w := io.Pipe()
	go func() {
		for i := 0; i < 10; i++ {
			if _, err := w.Write(buf); err != nil {
				t.Error(err)
			}
		}
		w.Close()
	}()
	return r
}

func TestPiped(t *testing.T) {
	if _, err := io.ReadAll(piped(t, []byte("x"))); err != nil {
		t.Fatal(err)
	}
}

// Outlives its test: the writer logs after its Close, which the reader's
// EOF does not wait for.
func pipedLate(t *testing.T, buf []byte) io.Reader {
	r, w := io.Pipe()
	go func() { // want `goroutine outlives its test: it calls t.Log`
		w.Write(buf)
		w.Close()
		t.Log("wrote")
	}()
	return r
}

func TestPipedLate(t *testing.T) {
	io.ReadAll(pipedLate(t, []byte("x")))
}

// Outlives its test: the test closes the conn, but the loop ignores the
// read error: after Close it keeps logging until its counter runs out.
func TestReadLoopIgnoresClose(t *testing.T) {
	srv, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	go func() { // want `goroutine outlives its test: it calls t.Logf`
		buf := make([]byte, 512)
		for i := 0; ; i++ {
			if i > 1000 {
				return
			}
			n, _, _ := srv.ReadFrom(buf)
			t.Logf("%d bytes", n)
		}
	}()
}

// Joined: synctest.Test waits for every goroutine of its bubble to exit,
// the ones started in its function and in the helpers it calls (std
// net/http transportDialTester.roundTrip).
func TestBubbleLog(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		go func() {
			time.Sleep(time.Millisecond)
			t.Logf("computed %d", compute())
		}()
		s := &starter{t: t}
		s.bubbleStart()
	})
}

type starter struct{ t *testing.T }

func (s *starter) bubbleStart() {
	go func() {
		time.Sleep(time.Millisecond)
		s.t.Logf("computed %d", compute())
	}()
}

// Outlives its test: the same helper, also called outside a bubble.
func (s *starter) start() {
	go func() { // want `goroutine outlives its test: it calls t.Logf`
		time.Sleep(time.Millisecond)
		s.t.Logf("computed %d", compute())
	}()
}

func TestBubbleAndNot(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		(&starter{t: t}).start()
	})
	(&starter{t: t}).start()
}

// Not reported: an example stands for a program, whose background loop
// lives as long as it does (startPinger in never.go is the same loop
// started per call).
func ExampleReload() {
	go func() {
		for {
			time.Sleep(time.Second)
			flush()
		}
	}()
}
