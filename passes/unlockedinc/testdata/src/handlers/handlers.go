package handlers

import (
	"net/http"
	"sync"
	"sync/atomic"
)

var hits int

var requests = map[string]int{}

// Reported: every request runs the handler on its own goroutine.
func register() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		hits++                 // want `unsynchronized increment of hits \(the handler registered at handlers.go:15 runs concurrently for every request\): use sync/atomic or hold a mutex`
		requests[r.URL.Path]++ // want `unsynchronized increment of map element requests\[r.URL.Path\] \(the handler registered at handlers.go:15 runs concurrently for every request\): concurrent map writes are a fatal runtime error`
	})
}

var served int

func count() { // want count:`updates served at handlers.go:24`
	served += 1 // want `unsynchronized increment of served \(the handler registered at handlers.go:33`
}

func index(w http.ResponseWriter, r *http.Request) { // want index:`updates served at handlers.go:24`
	count()
}

// Reported: through a helper called from a named handler on a mux.
func registerMux(mux *http.ServeMux) {
	mux.HandleFunc("/index", index)
}

// Reported: a local counter captured by a handler is shared by all requests.
func closure() http.Handler {
	n := 0
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n++ // want `unsynchronized increment of n \(the handler registered at handlers.go:39 runs concurrently for every request\)`
	})
}

type server struct {
	calls int
	bytes int64
}

// Reported: the receiver of ServeHTTP serves every request.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.calls++ // want `unsynchronized increment of s.calls \(ServeHTTP runs concurrently for every request\)`
	s.record(r)
}

func (s *server) record(r *http.Request) {
	s.bytes += r.ContentLength // want `unsynchronized increment of s.bytes \(ServeHTTP runs concurrently for every request\)`
}

type app struct{ views int }

func (a *app) view(w http.ResponseWriter, r *http.Request) { a.views++ } // want `unsynchronized increment of a.views \(the handler registered at handlers.go:65`

// Reported: a method value registered as a handler.
func (a *app) routes() {
	http.HandleFunc("/view", a.view)
}

var (
	mu     sync.Mutex
	safe   int
	visits atomic.Int64
)

// Quiet: the handler holds a mutex, or uses an atomic type, or updates
// per-request memory.
func quiet() {
	http.HandleFunc("/quiet", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		safe++
		mu.Unlock()
		visits.Add(1)
		local := 0
		local++
		per := map[string]int{}
		per[r.URL.Path]++
		_ = &local
	})
}
