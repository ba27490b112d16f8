// Package explorer serves the interactive graph explorer page at /explore:
// static assets built from web/explorer (npm run build) and embedded in the
// binary, so the server needs no Node.js at run time.
package explorer

import (
	"embed"
	"net/http"
	"strings"

	"github.com/stakegraph/stakegraph/internal/webassets"
)

//go:embed dist
var dist embed.FS

// contentSecurityPolicy allows the page only its own scripts and the API on
// the same origin. Inline styles stay allowed: Cytoscape and the legend set
// style attributes.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// files are read once at start.
var files = webassets.MustLoad(dist, "dist", "explorer", contentSecurityPolicy)

// Handler serves the explorer page and its assets under /explore: the page
// itself at /explore and /explore/ (whatever the query string, which holds
// the view's state), the files next to it at /explore/<name>.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, "/explore"), "/")
		if name == "" {
			name = webassets.Page
		}
		files.Serve(w, r, name)
	})
}
