// Package hits has a handler bumping a package-level counter: every
// request runs on its own goroutine.
package hits

import (
	"fmt"
	"net/http"
)

var hits int64

// Register installs the counting handler.
func Register(mux *http.ServeMux) {
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		hits++ // want unlockedinc "unsynchronized increment of hits"
		fmt.Fprintln(w, "ok")
	})
}
