package webassets_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stakegraph/stakegraph/internal/webassets"
)

const csp = "default-src 'self'"

var (
	page   = []byte("<!doctype html><title>t</title>")
	script = bytes.Repeat([]byte("console.log('stakegraph');\n"), 1000)
	font   = bytes.Repeat([]byte{0, 1, 2, 3}, 1000)
)

func testFiles(tb testing.TB) *webassets.Files {
	tb.Helper()
	return webassets.MustLoad(fstest.MapFS{
		"dist/index.html": {Data: page},
		"dist/app.js":     {Data: script},
		"dist/icons.ttf":  {Data: font},
	}, "dist", "test", csp)
}

func serve(tb testing.TB, f *webassets.Files, method, name string, header http.Header) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequest(method, "/"+name, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	f.Serve(rec, req, name)
	return rec
}

// decoded is the body as the client reads it.
func decoded(tb testing.TB, rec *httptest.ResponseRecorder) []byte {
	tb.Helper()
	if rec.Header().Get("Content-Encoding") != "gzip" {
		return rec.Body.Bytes()
	}
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		tb.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestServe(t *testing.T) {
	f := testFiles(t)
	tests := []struct {
		name           string
		file           string
		acceptEncoding string
		wantType       string
		wantGzip       bool
		wantBody       []byte
	}{
		{"page", webassets.Page, "", "text/html; charset=utf-8", false, page},
		{"script", "app.js", "", "text/javascript; charset=utf-8", false, script},
		{"script, gzip", "app.js", "gzip, deflate, br", "text/javascript; charset=utf-8", true, script},
		{"script, gzip by weight", "app.js", "br;q=1.0, GZIP;q=0.5", "text/javascript; charset=utf-8", true, script},
		{"script, any coding", "app.js", "*", "text/javascript; charset=utf-8", true, script},
		{"script, gzip refused", "app.js", "gzip;q=0", "text/javascript; charset=utf-8", false, script},
		{"script, gzip refused despite *", "app.js", "*, gzip;q=0", "text/javascript; charset=utf-8", false, script},
		{"script, other coding only", "app.js", "br", "text/javascript; charset=utf-8", false, script},
		{"font is not compressed again", "icons.ttf", "gzip", "font/ttf", false, font},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := serve(t, f, http.MethodGet, tt.file, http.Header{"Accept-Encoding": {tt.acceptEncoding}})
			if rec.Code != http.StatusOK {
				t.Fatalf("status: got %d, want %d", rec.Code, http.StatusOK)
			}
			if got := rec.Header().Get("Content-Type"); got != tt.wantType {
				t.Errorf("Content-Type: got %q, want %q", got, tt.wantType)
			}
			if got := rec.Header().Get("Content-Encoding") == "gzip"; got != tt.wantGzip {
				t.Errorf("gzip: got %v, want %v", got, tt.wantGzip)
			}
			if got := decoded(t, rec); !bytes.Equal(got, tt.wantBody) {
				t.Errorf("body: got %d bytes, want the file's %d", len(got), len(tt.wantBody))
			}
			if tt.wantGzip && rec.Body.Len() >= len(tt.wantBody) {
				t.Errorf("compressed body: got %d bytes, want fewer than %d", rec.Body.Len(), len(tt.wantBody))
			}
			if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options: got %q, want nosniff", got)
			}
			wantCSP := ""
			if tt.file == webassets.Page {
				wantCSP = csp
			}
			if got := rec.Header().Get("Content-Security-Policy"); got != wantCSP {
				t.Errorf("Content-Security-Policy: got %q, want %q", got, wantCSP)
			}
		})
	}
}

func TestServeRevalidates(t *testing.T) {
	f := testFiles(t)
	for _, enc := range []string{"", "gzip"} {
		t.Run("Accept-Encoding "+enc, func(t *testing.T) {
			first := serve(t, f, http.MethodGet, "app.js", http.Header{"Accept-Encoding": {enc}})
			etag := first.Header().Get("ETag")
			if etag == "" {
				t.Fatal("no ETag")
			}
			if got := first.Header().Get("Vary"); got != "Accept-Encoding" {
				t.Errorf("Vary: got %q, want Accept-Encoding", got)
			}
			again := serve(t, f, http.MethodGet, "app.js", http.Header{"Accept-Encoding": {enc}, "If-None-Match": {etag}})
			if again.Code != http.StatusNotModified {
				t.Errorf("status with If-None-Match: got %d, want %d", again.Code, http.StatusNotModified)
			}
		})
	}
	plain := serve(t, f, http.MethodGet, "app.js", nil).Header().Get("ETag")
	gzipped := serve(t, f, http.MethodGet, "app.js", http.Header{"Accept-Encoding": {"gzip"}}).Header().Get("ETag")
	if plain == gzipped {
		t.Errorf("ETags of the plain and the gzip body: both %s, want them to differ", plain)
	}
}

func TestServeRefuses(t *testing.T) {
	f := testFiles(t)
	rec := serve(t, f, http.MethodGet, "nope.js", nil)
	if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "no such test file: /nope.js") {
		t.Errorf("unknown file: got %d %q, want 404 naming it", rec.Code, rec.Body.String())
	}
	rec = serve(t, f, http.MethodPost, webassets.Page, nil)
	if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: got %d, Allow %q, want 405 with Allow: GET, HEAD", rec.Code, rec.Header().Get("Allow"))
	}
}

func TestMustLoadWantsThePage(t *testing.T) {
	defer func() {
		msg, _ := recover().(string)
		if !strings.Contains(msg, "index.html is missing") {
			t.Errorf("panic: got %q, want it to say index.html is missing", msg)
		}
	}()
	webassets.MustLoad(fstest.MapFS{"dist/app.js": {Data: script}}, "dist", "test", csp)
}
