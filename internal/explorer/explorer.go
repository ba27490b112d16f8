// Package explorer serves the interactive graph explorer page at /explore:
// static assets built from web/explorer and embedded in the binary.
package explorer

import "net/http"

// Handler serves the explorer page and its assets under /explore.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "the explorer is being built", http.StatusNotImplemented)
	})
}
