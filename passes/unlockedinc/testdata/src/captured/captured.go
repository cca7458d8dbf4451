package captured

import (
	"fmt"
	"sync"
	"testing/synctest"
)

// Reported: the same variable is updated by every goroutine of the loop.
func loop(items []int) int {
	var wg sync.WaitGroup
	total := 0
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			total += it // want `unsynchronized increment of total \(shared by the goroutines started in a loop at captured.go:15\): use sync/atomic or hold a mutex`
		}()
	}
	wg.Wait()
	return total
}

// Reported: the spawner reads n while the goroutine may run.
func spawnerReads() {
	n := 0
	go func() {
		n++ // want `unsynchronized increment of n \(shared with the goroutine started at captured.go:27\)`
	}()
	fmt.Println(n)
}

// Reported: two goroutines update the same variable.
func siblings() {
	var wg sync.WaitGroup
	n := 0
	wg.Add(2)
	go func() {
		defer wg.Done()
		n-- // want `unsynchronized decrement of n \(shared with the goroutine started at captured.go:38\)`
	}()
	go func() {
		defer wg.Done()
		n *= 2 // want `unsynchronized update of n \(shared with the goroutine started at captured.go:42\)`
	}()
	wg.Wait()
}

type stats struct{ hits, misses int }

// Reported: a struct field and x = x + n forms, through a captured pointer.
func fields(keys []string) {
	s := &stats{}
	done := make(chan bool)
	for range keys {
		go func() {
			s.hits = s.hits + 1 // want `unsynchronized increment of s.hits \(shared by the goroutines started in a loop`
			done <- true
		}()
	}
	for range keys {
		<-done
	}
}

type outer struct{ stats *stats }

// Reported: nested field through a pointer field.
func nested(p *outer, n int) {
	for range n {
		go func() {
			p.stats.misses++ // want `unsynchronized increment of p.stats.misses`
		}()
	}
}

// Reported: a named function started in a loop with a pointer to one variable.
func worker(p *int) {
	*p++ // want `unsynchronized increment of \*p \(shared by the goroutines started in a loop at captured.go:85\)`
}

func pointers() {
	n := 0
	for range 3 {
		go worker(&n)
	}
}

type counter struct{ n int }

func (c *counter) inc() {
	c.n++ // want `unsynchronized increment of c.n \(shared by the goroutines started in a loop at captured.go:98\)`
}

// Reported: a method value started in a loop on one receiver.
func methodValue(c *counter) {
	for range 4 {
		go c.inc()
	}
}

// Reported: slice elements updated by all goroutines of a loop.
func sliceElem(counts []int) {
	for range 4 {
		go func() {
			counts[0]++ // want `unsynchronized increment of counts\[0\]`
		}()
	}
}

// Reported: a map element: concurrent map writes crash.
func mapElem(keys []string) {
	m := map[string]int{}
	for _, k := range keys {
		go func() {
			m[k]++ // want `unsynchronized increment of map element m\[k\] \(shared by the goroutines started in a loop at captured.go:115\): concurrent map writes are a fatal runtime error; hold a mutex`
		}()
	}
}

// Quiet: the spawner only uses n after wg.Wait.
func joined() int {
	var wg sync.WaitGroup
	n := 0
	wg.Add(1)
	go func() {
		defer wg.Done()
		n++
	}()
	wg.Wait()
	return n
}

// Quiet: the spawner only uses n after receiving from done.
func doneChannel() int {
	n := 0
	done := make(chan struct{})
	go func() {
		n++
		close(done)
	}()
	<-done
	return n
}

// Quiet: updates before the go statement are ordered before the goroutine.
func before() {
	n := 0
	n++
	go func() {
		n++
	}()
}

// Quiet: per-goroutine variables.
func local(items []int) {
	for _, it := range items {
		go func() {
			sum := 0
			for i := range it {
				sum += i
			}
			fmt.Println(&sum)
		}()
	}
	for _, it := range items {
		n := it // a fresh variable per iteration
		go func() {
			n++
		}()
	}
	for _, it := range items {
		go func(v int) { // copied by value
			v++
			fmt.Println(&v)
		}(it)
	}
}

// Quiet: each goroutine owns the value it receives.
func handOver(ch chan *stats) {
	for range 4 {
		go func() {
			for s := range ch {
				s.hits++
			}
		}()
	}
}

// Quiet: one goroutine, and the spawner never touches n again.
func single() {
	n := 0
	go func() {
		for {
			n++
		}
	}()
}

// Quiet: a mutex is held.
func locked(items []int) int {
	var mu sync.Mutex
	total := 0
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			total += it
			mu.Unlock()
		}()
	}
	wg.Wait()
	return total
}

// Quiet: defer unlock holds the mutex until return.
func deferred(items []int) {
	var mu sync.Mutex
	total := 0
	for range items {
		go func() {
			mu.Lock()
			defer mu.Unlock()
			total++
		}()
	}
}

// Quiet: sync.Once runs the function once.
func once(n int) {
	var o sync.Once
	count := 0
	for range n {
		go func() {
			o.Do(func() { count++ })
		}()
	}
}

// Quiet: the goroutine only reads the shared value.
func readOnly(n int) {
	limit := 10
	for range n {
		go func() {
			fmt.Println(limit + 1)
		}()
	}
}

// Quiet: each goroutine updates its own element.
func perElement(counts []int) {
	for i := range counts {
		go func() {
			counts[i]++
		}()
	}
}

var ticks int

// Reported: a package-level variable updated by a goroutine while the
// spawner reads it.
func ticker() {
	go func() {
		for {
			ticks++ // want `unsynchronized increment of ticks \(shared with the goroutine started at captured.go:267\)`
		}
	}()
	fmt.Println(ticks)
}

// Quiet: a package-level variable only the one goroutine touches.
var beats int

func heartbeat() {
	go func() {
		for {
			beats++
		}
	}()
}

// Quiet: silenced with a reason.
func ignored(n int) {
	x := 0
	for range n {
		go func() {
			//futlint:ignore unlockedinc approximate, only logged
			x++
		}()
	}
}

// The directive below silences nothing.
func clean() {
	//futlint:ignore unlockedinc nothing to silence here // want `this //futlint:ignore directive silences no unlockedinc finding; remove the directive`
	fmt.Println()
}

// Wait is no join: joins are known by exact name (or by a summary).
func Wait() {}

// Reported: a function named Wait waits for nothing.
func waitFunc() int {
	n := 0
	go func() {
		n++ // want `unsynchronized increment of n \(shared with the goroutine started at captured.go:309\)`
	}()
	Wait()
	return n
}

// Quiet: synctest.Wait returns when the bubble's other goroutines are
// blocked or done.
func synctestWait() int {
	n := 0
	go func() {
		n++
	}()
	synctest.Wait()
	return n
}

var served int

func report() { fmt.Println(served) }

// Reported: the spawner reads the global through a helper while the
// goroutine runs.
func helperReads() {
	go func() {
		served++ // want `unsynchronized increment of served \(shared with the goroutine started at captured.go:334\)`
	}()
	report()
}

// Quiet: the deferred closure reads n when the function returns, after
// wg.Wait.
func deferredAfterJoin() {
	var wg sync.WaitGroup
	n := 0
	defer func() { fmt.Println(n) }()
	wg.Add(1)
	go func() {
		defer wg.Done()
		n++
	}()
	wg.Wait()
}

// Reported: nothing waits for the goroutine before the deferred closure
// reads n.
func deferredNoJoin() {
	n := 0
	defer func() { fmt.Println(n) }()
	go func() {
		n++ // want `unsynchronized increment of n \(shared with the goroutine started at captured.go:359\)`
	}()
}

// Reported: the spawner hands n's address to fmt.Sscan, which writes it,
// while the goroutine runs.
func scanned() {
	n := 0
	go func() {
		n++ // want `unsynchronized increment of n \(shared with the goroutine started at captured.go:368\)`
	}()
	fmt.Sscan("1", &n)
}

// Reported: the function once.Do runs before it returns reads n.
func onceReads() {
	var once sync.Once
	n := 0
	go func() {
		n++ // want `unsynchronized increment of n \(shared with the goroutine started at captured.go:378\)`
	}()
	once.Do(func() { fmt.Println(n) })
}
