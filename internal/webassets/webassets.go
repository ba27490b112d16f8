// Package webassets serves a browser page built into static files and
// embedded in the binary (the explorer, the playground): each file read once
// with its content type and ETag, and the page sent with the security
// headers every stakegraph page carries.
package webassets

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"time"
)

// Page is the name of the HTML page among the files.
const Page = "index.html"

// asset is one file with what its responses need.
type asset struct {
	body        []byte
	contentType string
	etag        string
}

// Files is a built page and the files next to it.
type Files struct {
	label  string
	assets map[string]asset
	csp    string
}

// MustLoad reads every file under dir of fsys. label names the page in
// errors ("explorer"); the page (index.html) is sent with the
// Content-Security-Policy csp. It panics when a file cannot be
// read or the page is missing: embedded files are fixed at build time.
func MustLoad(fsys fs.FS, dir, label, csp string) *Files {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	files := &Files{label: label, assets: map[string]asset{}, csp: csp}
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
		files.assets[name] = asset{body: body, contentType: ctype, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
		return nil
	})
	if err != nil {
		panic(err)
	}
	if _, ok := files.assets[Page]; !ok {
		panic(fmt.Sprintf("%s: %s/%s is missing; build the page first", label, dir, Page))
	}
	return files
}

// Serve answers r with the file name (Page for the page itself): 405 for
// methods other than GET and HEAD, 404 naming r's path for an unknown file.
// Responses carry an ETag, so a browser revalidates instead of downloading
// again; the page also carries the Content-Security-Policy.
func (f *Files) Serve(w http.ResponseWriter, r *http.Request, name string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method "+r.Method+" is not allowed; use GET", http.StatusMethodNotAllowed)
		return
	}
	a, ok := f.assets[name]
	if !ok {
		http.Error(w, "no such "+f.label+" file: "+r.URL.Path, http.StatusNotFound)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("ETag", a.etag)
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	if name == Page {
		h.Set("Content-Security-Policy", f.csp)
		h.Set("Referrer-Policy", "same-origin")
	}
	// ServeContent answers If-None-Match with 304 and handles HEAD and
	// ranges; the embedded files have no modification time.
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(a.body))
}
