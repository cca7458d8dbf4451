package web

import (
	"net/http"

	"metrics"
)

// Reported: the handler updates metrics.hits through metrics.Inc.
func Register() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		metrics.Inc() // want `unsynchronized update of metrics.hits by metrics.Inc \(at metrics.go:8; the handler registered at web.go:11 runs concurrently for every request\): use sync/atomic or hold a mutex in metrics.Inc`
	})
}
