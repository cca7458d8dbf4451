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
//   - memory a goroutine updates (started by go, errgroup.Group.Go,
//     sync.WaitGroup.Go, conc pools, time.AfterFunc, parallel subtests,
//     a spawner the package writes itself such as a worker pool or
//     go withRecover(f), or through a callback the goroutine finds in a
//     field its spawner set) while its spawner, or another goroutine,
//     accesses the same field before a join; or that every goroutine of a
//     loop updates;
//   - a package-level variable updated by code running in a goroutine
//     started in a loop or in an HTTP handler (every request runs on its
//     own goroutine), directly or through calls, in other packages too;
//   - the receiver of a ServeHTTP method;
//   - a field of a type whose method starts a goroutine updating it while
//     an exported function or method reads or writes it;
//   - a struct field that other code accesses with the struct's mutex
//     held (the message names the mutex and one such access), or that
//     is also accessed with sync/atomic functions where no lock held at
//     both accesses orders them.
//
// Memory is told apart by access path: a client's stats.inMsgs is not an
// Account's, and a goroutine that touches other fields of a struct does
// not share this one. A struct pointer handed out as an interface with
// methods is reached by the methods its holder can call, not as a whole. An update with a sync.Mutex or write-locked
// sync.RWMutex held on every path is safe, including locks released by
// defer, taken by a helper method (or a custom lock built on a mutex),
// embedded in the struct, held by every caller of a function (also
// callers of a closure that locks only when asked to, callees that unlock
// and lock again, and function values run before the call returns:
// iterator callbacks, range-over-func bodies, deferred closures, Once.Do).
// So are updates of goroutine-local memory, updates ordered by a join
// (before the go statement, after wg.Wait, g.Wait, synctest.Wait, a
// function that waits for its argument, or a channel receive), or by a
// hand-off through a channel or WaitGroup only the spawner and the
// goroutine use (the spawner sets a field, then sends the signal the
// goroutine waits for before its update; an unbuffered send the goroutine
// receives after it), and atomic
// types such as atomic.Int64. Functions are known by exact name or by
// their summary: a method named Lock or Wait is no lock or join by its
// name alone. Evidence found in _test.go files (goroutines a test starts,
// accesses a test makes with a lock held or atomically) counts only for
// findings in tests; handlers in tests are not treated as concurrent (the
// test issues the requests, and the race detector sees them). The
// runtime, which synchronizes by its own means, is not analysed.
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
// update as atomic.AddInt64(&hits, 1) and friends, unless a mutex guards
// the struct's other fields. Where a mutex already guards the field, the
// message names it instead: hold it. Each finding names the other party
// in its related information: where the goroutine starts, where the
// handler is registered, an access that holds the mutex, the atomic
// access.
//
// Suppress a finding that is safe for a reason the analyzer cannot see
// with //futlint:ignore unlockedinc <reason>.
package unlockedinc
