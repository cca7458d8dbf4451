// Package unlockedinc defines an Analyzer that reports unsynchronized
// read-modify-write updates of memory shared between goroutines.
//
// # Analyzer unlockedinc
//
// unlockedinc: report non-atomic updates of memory shared between goroutines
//
// x++, x += n and m[k]++ are a load, an operation and a store. When two
// goroutines run them on the same memory at once, updates are lost; on a
// map, the runtime aborts the program with "concurrent map writes". The
// analyzer reports such an update when no mutex is held and the memory is
// shared:
//
//   - a local variable captured by a goroutine (go, errgroup.Group.Go,
//     sync.WaitGroup.Go, conc pools, time.AfterFunc, parallel subtests)
//     and also used by the spawner before it waits for the goroutine, or
//     captured by a goroutine started in a loop;
//   - a package-level variable updated by code running in a goroutine
//     started in a loop or in an HTTP handler (every request runs on its
//     own goroutine), directly or through calls, in other packages too;
//   - the receiver of a ServeHTTP method;
//   - a struct field that other code accesses with the struct's mutex
//     held (the message names the mutex and one such access), or that
//     is also accessed with sync/atomic functions.
//
// An update with a sync.Mutex or write-locked sync.RWMutex held on every
// path is safe, including locks released by defer, taken by a helper
// method, embedded in the struct, held by every caller of an unexported
// function, or taken by a call named lock/*Lock (custom mutexes). So are
// updates of goroutine-local memory, updates ordered by a join (before
// the go statement, after wg.Wait, g.Wait, synctest.Wait or a channel
// receive), and atomic types such as atomic.Int64. Handlers in _test.go files are not treated as concurrent
// (the test issues the requests, and the race detector sees them), and
// the runtime, which synchronizes by its own means, is not analysed.
//
//	// WRONG
//	var hits int64
//	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
//		hits++ // "unsynchronized increment of hits (the handler registered at main.go:12 runs concurrently for every request)"
//	})
//
//	// RIGHT
//	var hits atomic.Int64
//	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
//		hits.Add(1)
//	})
//
// For an integer of a fixed size (int32, int64, uint32, uint64, uintptr)
// whose every write is ++, --, += or -=, a suggested fix rewrites the
// update as atomic.AddInt64(&hits, 1) and friends. Where a mutex already
// guards the field, the message names it instead: hold it.
//
// Suppress a finding that is safe for a reason the analyzer cannot see
// with //futlint:ignore unlockedinc <reason>.
package unlockedinc
