// Package explorer serves the interactive graph explorer page at /explore:
// static assets built from web/explorer (npm run build) and embedded in the
// binary, so the server needs no Node.js at run time.
package explorer

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed dist
var dist embed.FS

// asset is one embedded file with what its responses need.
type asset struct {
	body        []byte
	contentType string
	etag        string
}

// assets maps a file name in dist to its asset; read once at start.
var assets = mustLoad()

func mustLoad() map[string]asset {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err)
	}
	out := map[string]asset{}
	err = fs.WalkDir(sub, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(sub, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ctype := mime.TypeByExtension(path.Ext(name))
		if ctype == "" {
			ctype = http.DetectContentType(body)
		}
		out[name] = asset{body: body, contentType: ctype, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
		return nil
	})
	if err != nil {
		panic(err)
	}
	if _, ok := out["index.html"]; !ok {
		panic("explorer: dist/index.html is missing; run npm run build in web/explorer")
	}
	return out
}

// contentSecurityPolicy allows the page only its own scripts and the API on
// the same origin. Inline styles stay allowed: Cytoscape and the legend set
// style attributes.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// Handler serves the explorer page and its assets under /explore: the page
// itself at /explore and /explore/ (whatever the query string, which holds
// the view's state), the files next to it at /explore/<name>. Responses carry
// an ETag, so a browser revalidates instead of downloading again.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method "+r.Method+" is not allowed; use GET", http.StatusMethodNotAllowed)
			return
		}
		name := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, "/explore"), "/")
		if name == "" {
			name = "index.html"
		}
		a, ok := assets[name]
		if !ok {
			http.Error(w, "no such explorer file: "+r.URL.Path, http.StatusNotFound)
			return
		}
		h := w.Header()
		h.Set("Content-Type", a.contentType)
		h.Set("ETag", a.etag)
		h.Set("Cache-Control", "no-cache")
		h.Set("X-Content-Type-Options", "nosniff")
		if name == "index.html" {
			h.Set("Content-Security-Policy", contentSecurityPolicy)
			h.Set("Referrer-Policy", "same-origin")
		}
		// ServeContent answers If-None-Match with 304 and handles HEAD and
		// ranges; the embedded files have no modification time.
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(a.body))
	})
}
