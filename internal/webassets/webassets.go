// Package webassets serves a browser page built into static files and
// embedded in the binary (the explorer, the playground): each file read once
// with its content type and ETag, and the page sent with the security
// headers every stakegraph page carries.
package webassets

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Page is the name of the HTML page among the files.
const Page = "index.html"

// asset is one file with what its responses need.
type asset struct {
	body        []byte
	contentType string
	etag        string
	// gzipped is body compressed, made on first use; nil for files that do
	// not shrink (fonts are compressed already).
	gzipped func() []byte
}

// compressible are the content types worth compressing: the page's text.
var compressible = map[string]bool{".html": true, ".js": true, ".css": true, ".json": true, ".svg": true}

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
		a := asset{body: body, contentType: ctype, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
		if compressible[path.Ext(name)] {
			a.gzipped = sync.OnceValue(func() []byte { return gzipBytes(body) })
		}
		files.assets[name] = a
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
	body, etag := a.body, a.etag
	if a.gzipped != nil {
		// The playground's scripts are megabytes of text: compressed they
		// are a third of that. Each file is compressed once, on first use,
		// not on every request; each encoding has its own ETag.
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			body, etag = a.gzipped(), strings.TrimSuffix(etag, `"`)+`-gzip"`
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("ETag", etag)
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	if name == Page {
		h.Set("Content-Security-Policy", f.csp)
		h.Set("Referrer-Policy", "same-origin")
	}
	// ServeContent answers If-None-Match with 304 and handles HEAD and
	// ranges; the embedded files have no modification time.
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(body))
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		panic(err) // only for an invalid level
	}
	// Writes to a bytes.Buffer do not fail.
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}

// acceptsGzip reports whether an Accept-Encoding header value allows gzip:
// gzip with a non-zero q, or, when gzip is not named, * with a non-zero q.
func acceptsGzip(header string) bool {
	gzipQ, starQ := -1.0, -1.0
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(part, ";")
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(p, "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil {
					f = 0
				}
				q = f
			}
		}
		switch strings.ToLower(strings.TrimSpace(coding)) {
		case "gzip", "x-gzip":
			gzipQ = q
		case "*":
			starQ = q
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return starQ > 0
}
