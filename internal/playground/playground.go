// Package playground serves the GraphiQL playground at /: GraphiQL, React
// and the Monaco editor built from web/playground (npm run build) and
// embedded in the binary, so the page loads on a network without internet
// and the server needs no Node.js at run time.
package playground

import (
	"embed"
	"net/http"
	"strings"

	"github.com/stakegraph/stakegraph/internal/webassets"
)

//go:embed dist
var dist embed.FS

// Prefix is the path the page's files are served under.
const Prefix = "/playground/"

// contentSecurityPolicy allows the page nothing but its own origin: its
// scripts, the editor's workers and the API. Inline styles stay allowed
// because the editor and GraphiQL's panes set style attributes; fonts may
// be data: URLs because GraphiQL's style sheet inlines its fonts.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; worker-src 'self'; " +
	"style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; connect-src 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// files are read once at start.
var files = webassets.MustLoad(dist, "dist", "playground", contentSecurityPolicy)

// Handler serves the page at / and /playground/, and its files at
// /playground/<name>.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := webassets.Page
		if r.URL.Path != "/" {
			rest, ok := strings.CutPrefix(r.URL.Path, Prefix)
			if !ok {
				http.NotFound(w, r)
				return
			}
			if rest != "" {
				name = rest
			}
		}
		files.Serve(w, r, name)
	})
}
