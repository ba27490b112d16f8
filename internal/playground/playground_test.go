package playground_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/memstore"
	"github.com/stakegraph/stakegraph/internal/playground"
	"github.com/stakegraph/stakegraph/internal/server"
	"github.com/stakegraph/stakegraph/internal/webtest"
)

func TestHandlerServesThePage(t *testing.T) {
	h := playground.Handler()
	tests := []struct {
		method      string
		path        string
		status      int
		contentType string
		contains    string
	}{
		{"GET", "/", http.StatusOK, "text/html; charset=utf-8", `<div id="graphiql"`},
		{"GET", "/?query=x", http.StatusOK, "text/html; charset=utf-8", `src="/playground/playground.js"`},
		{"GET", "/playground/", http.StatusOK, "text/html; charset=utf-8", `href="/playground/playground.css"`},
		{"HEAD", "/", http.StatusOK, "text/html; charset=utf-8", ""},
		{"GET", "/playground/playground.js", http.StatusOK, "text/javascript; charset=utf-8", "MonacoEnvironment"},
		{"GET", "/playground/playground.css", http.StatusOK, "text/css; charset=utf-8", ".graphiql-container"},
		{"GET", "/playground/graphql.worker.js", http.StatusOK, "text/javascript; charset=utf-8", ""},
		{"GET", "/playground/json.worker.js", http.StatusOK, "text/javascript; charset=utf-8", ""},
		{"GET", "/playground/editor.worker.js", http.StatusOK, "text/javascript; charset=utf-8", ""},
		{"GET", "/playground/codicon.ttf", http.StatusOK, "font/ttf", ""},
		{"GET", "/playground/nope.js", http.StatusNotFound, "", "no such playground file"},
		{"GET", "/playground/../go.mod", http.StatusNotFound, "", ""},
		{"GET", "/graphiql", http.StatusNotFound, "", ""},
		{"POST", "/", http.StatusMethodNotAllowed, "", "use GET"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
			if rec.Code != tt.status {
				t.Fatalf("status: got %d, want %d", rec.Code, tt.status)
			}
			if tt.contentType != "" {
				if got := rec.Header().Get("Content-Type"); got != tt.contentType {
					t.Errorf("Content-Type: got %q, want %q", got, tt.contentType)
				}
				if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
					t.Errorf("X-Content-Type-Options: got %q, want nosniff", got)
				}
			}
			if !strings.Contains(rec.Body.String(), tt.contains) {
				t.Errorf("body does not contain %q", tt.contains)
			}
		})
	}

	t.Run("page headers", func(t *testing.T) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		csp := rec.Header().Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self';", "connect-src 'self'", "worker-src 'self'", "frame-ancestors 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("Content-Security-Policy: got %q, want it to hold %q", csp, want)
			}
		}
		// Nothing but the page's own origin (and inline data: fonts and
		// images, which are no requests): no host, scheme or wildcard.
		for _, source := range regexp.MustCompile(`[^\s;]+`).FindAllString(csp, -1) {
			if strings.Contains(source, "*") || strings.Contains(source, ".") ||
				(strings.HasSuffix(source, ":") && source != "data:") {
				t.Errorf("Content-Security-Policy allows %q: got %q, want the page's own origin only", source, csp)
			}
		}
		if got := rec.Header().Get("Referrer-Policy"); got != "same-origin" {
			t.Errorf("Referrer-Policy: got %q, want same-origin", got)
		}
	})

	t.Run("the page names only its own files", func(t *testing.T) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		refs := regexp.MustCompile(`(?:src|href)="([^"]*)"`).FindAllStringSubmatch(rec.Body.String(), -1)
		if len(refs) == 0 {
			t.Fatal("the page references no script or style sheet")
		}
		for _, ref := range refs {
			if !strings.HasPrefix(ref[1], playground.Prefix) {
				t.Errorf("the page references %q, want a file under %s", ref[1], playground.Prefix)
				continue
			}
			file := httptest.NewRecorder()
			h.ServeHTTP(file, httptest.NewRequest(http.MethodGet, ref[1], nil))
			if file.Code != http.StatusOK {
				t.Errorf("GET %s: got %d, want %d", ref[1], file.Code, http.StatusOK)
			}
		}
	})

	t.Run("revalidation", func(t *testing.T) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/playground/playground.js", nil))
		etag := rec.Header().Get("ETag")
		if etag == "" {
			t.Fatal("no ETag")
		}
		req := httptest.NewRequest(http.MethodGet, "/playground/playground.js", nil)
		req.Header.Set("If-None-Match", etag)
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusNotModified {
			t.Errorf("status with If-None-Match: got %d, want %d", rec.Code, http.StatusNotModified)
		}
	})
}

// TestDefaultQueryAnswers runs the query the playground opens with, and
// each example its comments suggest, against the API: each must answer
// data and no error, or the analysts' first click shows one.
func TestDefaultQueryAnswers(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "web", "playground", "src", "default-query.graphql"))
	if err != nil {
		t.Fatal(err)
	}
	ts := newServer(t)
	queries := map[string]string{"default query": string(src)}
	for _, line := range strings.Split(string(src), "\n") {
		if example, ok := strings.CutPrefix(line, "#   {"); ok {
			queries["example "+strings.TrimSpace(example)] = "{" + example
		}
	}
	if len(queries) < 2 {
		t.Fatalf("the default query suggests no examples (comment lines starting with \"#   {\"):\n%s", src)
	}
	for name, query := range queries {
		t.Run(name, func(t *testing.T) {
			body, err := json.Marshal(map[string]string{"query": query})
			if err != nil {
				t.Fatal(err)
			}
			resp, err := http.Post(ts.URL+"/graphql", "application/json", bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var answer struct {
				Data   map[string]json.RawMessage `json:"data"`
				Errors []json.RawMessage          `json:"errors"`
			}
			if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != http.StatusOK || len(answer.Errors) > 0 {
				t.Fatalf("got status %d, errors %s; want 200 and no error", resp.StatusCode, answer.Errors)
			}
			for field, value := range answer.Data {
				if v := string(value); v == "null" || v == "[]" {
					t.Errorf("%s: got %s, want an answer from the shipped dataset", field, v)
				}
			}
		})
	}
}

// TestDistIsUpToDate rebuilds the playground from web/playground and
// compares it with the committed, embedded build. It needs the npm packages
// installed (npm ci in web/playground, which scripts/test.sh runs).
func TestDistIsUpToDate(t *testing.T) {
	webtest.CheckBuild(t, filepath.Join("..", "..", "web", "playground"))
}

// TestPlaygroundInBrowser opens the playground in headless Chromium against
// a real server holding the shipped dataset, runs a query typed into the
// editor and compares the answer the result pane shows with the store's.
// Every request the page makes must go to the server itself: the browser
// resolves no other host (as on a network without internet), and the test
// records each request the page sends.
func TestPlaygroundInBrowser(t *testing.T) {
	start := time.Now()
	store := shippedStore(t)
	served := &servedLog{statuses: map[string][]int{}}
	ts := httptest.NewServer(served.record(routes(store)))
	defer ts.Close()
	origin, err := url.Parse(ts.URL)
	if err != nil {
		t.Fatal(err)
	}

	// Offline: every host name but the test server's fails to resolve.
	ctx := webtest.Open(t, 3*time.Minute,
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE "+origin.Hostname()))
	t.Logf("browser started in %v", time.Since(start).Round(time.Millisecond))
	net := recordNetwork(t, ctx)
	exceptions := recordExceptions(ctx)
	// Content-Security-Policy violations, recorded from the first script on.
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.cspViolations = [];
			document.addEventListener('securitypolicyviolation',
				e => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));`,
	}); err != nil {
		t.Fatal(err)
	}

	const (
		country = "country:hungary"
		words   = "paccto"
	)
	query := fmt.Sprintf(`{ country: stakeholder(id: %q) { id name ... on Country { isoCode } } hits: search(query: %q, first: 2) { node { id name } } }`, country, words)
	want := wantAnswer(t, store, country, words)

	webtest.Step(t, "open the page", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/")); err != nil {
			t.Fatal(err)
		}
		// GraphiQL renders its editors, and the query editor shows the
		// default query, an example for the analysts.
		waitFor(t, ctx, `document.querySelector('.graphiql-container .graphiql-execute-button') !== null &&
			document.querySelector('.graphiql-query-editor .monaco-editor .view-lines') !== null`)
		waitFor(t, ctx, fmt.Sprintf(`(%s)('.graphiql-query-editor').includes('stakeholder(id: "event:iii-round-table-2023")')`, editorTextJS))
		// The schema came through introspection: the docs show the API's
		// root type with its description of a field.
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.graphiql-sidebar button[aria-label="Show Documentation Explorer"]`))); err != nil {
			t.Fatal(err)
		}
		waitFor(t, ctx, `(document.querySelector('.graphiql-doc-explorer') || {}).textContent?.includes('StakeholderConnection')`)
		// Closed again, so the result pane has its room.
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.graphiql-sidebar button[aria-label="Hide Documentation Explorer"]`))); err != nil {
			t.Fatal(err)
		}
		waitFor(t, ctx, `document.querySelector('.graphiql-doc-explorer') === null`)
	})

	webtest.Step(t, "type a query and run it", func(t *testing.T) {
		err := chromedp.Do(ctx,
			chromedp.Click(chromedp.CSS(".graphiql-query-editor .view-lines")),
		)
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, ctx, `document.activeElement !== null && document.activeElement.closest('.graphiql-query-editor') !== null`)
		// Select all, delete, and type the query as one input, the way a
		// paste or an input method enters text (key by key, the editor
		// would close each bracket itself).
		err = chromedp.Do(ctx,
			chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
			chromedp.KeyEvent(kb.Delete),
		)
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, ctx, fmt.Sprintf(`(%s)('.graphiql-query-editor').trim() === ''`, editorTextJS))
		if _, err := chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: query}); err != nil {
			t.Fatal(err)
		}
		waitFor(t, ctx, fmt.Sprintf(`(%s)('.graphiql-query-editor').trim().split(/\s+/).join(' ') === %s`, editorTextJS, webtest.JS(query)))
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".graphiql-execute-button"))); err != nil {
			t.Fatal(err)
		}
		waitFor(t, ctx, fmt.Sprintf(`(%s)('.graphiql-response').includes(%s)`, editorTextJS, webtest.JS(`"hits"`)))
		shown := evalString(t, ctx, fmt.Sprintf(`(%s)('.graphiql-response')`, editorTextJS))
		var got2 any
		if err := json.Unmarshal([]byte(shown), &got2); err != nil {
			t.Fatalf("the result pane shows no JSON answer (%v):\n%s", err, shown)
		}
		if !reflect.DeepEqual(got2, want) {
			t.Errorf("the result pane:\n got %s\nwant %s", shown, mustJSON(t, want))
		}
		webtest.Screenshot(t, ctx, "playground.png")
		if !slices.ContainsFunc(net.snapshot(t, ctx), func(r request) bool {
			return r.URL == ts.URL+"/graphql" && r.Method == http.MethodPost
		}) {
			t.Error("no POST to /graphql recorded for the query")
		}
	})

	webtest.Step(t, "every request goes to the server itself", func(t *testing.T) {
		requests := net.snapshot(t, ctx)
		var files []string
		for _, r := range requests {
			u, err := url.Parse(r.URL)
			if err != nil {
				t.Errorf("request to an unreadable URL %q", r.URL)
				continue
			}
			// data: URLs (GraphiQL's inlined fonts) are read from the page
			// itself, not sent anywhere.
			if u.Scheme == "data" {
				continue
			}
			if u.Scheme+"://"+u.Host != ts.URL {
				t.Errorf("request to another origin: %s %s (%s), want only %s", r.Method, r.URL, r.Type, ts.URL)
				continue
			}
			if strings.HasPrefix(u.Path, playground.Prefix) {
				files = append(files, strings.TrimPrefix(u.Path, playground.Prefix))
			}
			if r.Failed != "" {
				t.Errorf("%s %s failed: %s", r.Method, r.URL, r.Failed)
			} else if r.Status >= 400 && u.Path != "/favicon.ico" {
				t.Errorf("%s %s: status %d", r.Method, r.URL, r.Status)
			}
		}
		// The page, its script and style sheet and the editor's workers all
		// came from the server.
		for _, want := range []string{"playground.js", "playground.css", "editor.worker.js", "graphql.worker.js", "json.worker.js"} {
			if !slices.Contains(files, want) {
				t.Errorf("the page never loaded %s%s; loaded %v", playground.Prefix, want, files)
			}
			// Workers load in their own context: the page's events show no
			// status for them, the server's own log does.
			for _, status := range served.get(playground.Prefix + want) {
				if status != http.StatusOK && status != http.StatusNotModified {
					t.Errorf("GET %s%s: the server answered %d", playground.Prefix, want, status)
				}
			}
		}
		t.Logf("%d requests from the page:", len(requests))
		for _, r := range requests {
			t.Logf("  %s %s %s %d", r.Type, r.Method, r.URL[:min(len(r.URL), 80)], r.Status)
		}
	})

	if got := evalStrings(t, ctx, `window.cspViolations`); len(got) != 0 {
		t.Errorf("Content-Security-Policy violations: %q", got)
	}
	for _, msg := range exceptions.drain() {
		t.Errorf("uncaught exception in the page: %s", msg)
	}
	t.Logf("browser test took %v", time.Since(start).Round(time.Millisecond))
}

func shippedStore(tb testing.TB) domain.Store {
	tb.Helper()
	g, err := dataset.Shipped()
	if err != nil {
		tb.Fatal(err)
	}
	store, err := memstore.New(g)
	if err != nil {
		tb.Fatal(err)
	}
	return store
}

// routes is the whole service on store, as stakegraph serve runs it.
func routes(store domain.Store) http.Handler {
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	return server.Routes(store, graph.NewHandler(store, graph.HandlerOptions{Logger: logger}), logger, server.Options{})
}

// newServer serves the shipped dataset until the test ends.
func newServer(tb testing.TB) *httptest.Server {
	tb.Helper()
	ts := httptest.NewServer(routes(shippedStore(tb)))
	tb.Cleanup(ts.Close)
	return ts
}

// servedLog records the status of every response the server sent, by path:
// the browser's events give no status for what its workers load.
type servedLog struct {
	mu       sync.Mutex
	statuses map[string][]int
}

func (l *servedLog) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		l.mu.Lock()
		l.statuses[r.URL.Path] = append(l.statuses[r.URL.Path], rec.status)
		l.mu.Unlock()
	})
}

func (l *servedLog) get(path string) []int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.statuses[path])
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// wantAnswer is the answer to the test's query, from the store.
func wantAnswer(tb testing.TB, store domain.Store, country, words string) any {
	tb.Helper()
	ctx := context.Background()
	n, err := store.Node(ctx, country)
	if err != nil {
		tb.Fatal(err)
	}
	hits, err := store.Search(ctx, domain.SearchQuery{Text: words, First: 2})
	if err != nil {
		tb.Fatal(err)
	}
	if len(hits) == 0 {
		tb.Fatalf("the dataset has no search hit for %q; pick other words", words)
	}
	type hitNode struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	type hit struct {
		Node hitNode `json:"node"`
	}
	var hs []hit
	for _, h := range hits {
		hs = append(hs, hit{Node: hitNode{ID: h.Node.ID, Name: h.Node.Name}})
	}
	answer := map[string]any{"data": map[string]any{
		"country": map[string]any{"id": n.ID, "name": n.Name, "isoCode": n.ISOCode},
		"hits":    hs,
	},
		// Every answer reports the data version it was read at; the test's
		// store holds the data as loaded.
		"extensions": map[string]any{"dataVersion": 0},
	}
	// Compare as decoded JSON, as the pane's text is.
	var out any
	if err := json.Unmarshal([]byte(mustJSON(tb, answer)), &out); err != nil {
		tb.Fatal(err)
	}
	return out
}

// editorTextJS reads the text a Monaco editor under a selector shows: its
// rendered lines in top-to-bottom order (Monaco reuses line elements, so
// their DOM order is not the text's), with Monaco's non-breaking spaces as
// spaces.
const editorTextJS = `(sel) => [...document.querySelectorAll(sel + ' .view-lines .view-line')]
	.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
	.map(l => l.textContent.replace(/\u00a0/g, ' '))
	.join('\n')`

// ---------------------------------------------------------------- network

// request is one request the page sent and what became of it.
type request struct {
	ID     network.RequestID
	Method string
	URL    string
	Type   network.ResourceType
	Status int64
	Failed string
}

// networkLog records the page's requests from the CDP network events.
type networkLog struct {
	mu       sync.Mutex
	requests map[network.RequestID]*request
	order    []network.RequestID
}

func recordNetwork(tb testing.TB, ctx context.Context) *networkLog {
	tb.Helper()
	l := &networkLog{requests: map[network.RequestID]*request{}}
	// Subscribed before the page opens, so no event is missed.
	sent := chromedp.Events(ctx, network.RequestWillBeSent)
	answered := chromedp.Events(ctx, network.ResponseReceived)
	failed := chromedp.Events(ctx, network.LoadingFailed)
	go func() {
		for ev, err := range sent {
			if err != nil {
				return
			}
			l.mu.Lock()
			if _, ok := l.requests[ev.RequestID]; !ok {
				l.order = append(l.order, ev.RequestID)
			}
			// A redirect reuses the ID; the last URL is the one fetched, and
			// every URL on the way is recorded under its own key too.
			if ev.RedirectResponse != nil {
				redirected := ev.RequestID + "-redirected-from-" + network.RequestID(ev.RedirectResponse.URL)
				l.requests[redirected] = &request{ID: redirected, Method: ev.Request.Method, URL: ev.RedirectResponse.URL, Type: ev.Type, Status: ev.RedirectResponse.Status}
				l.order = append(l.order, redirected)
			}
			l.requests[ev.RequestID] = &request{ID: ev.RequestID, Method: ev.Request.Method, URL: ev.Request.URL, Type: ev.Type}
			l.mu.Unlock()
		}
	}()
	go func() {
		for ev, err := range answered {
			if err != nil {
				return
			}
			l.mu.Lock()
			if r, ok := l.requests[ev.RequestID]; ok {
				r.Status = ev.Response.Status
			}
			l.mu.Unlock()
		}
	}()
	go func() {
		for ev, err := range failed {
			if err != nil {
				return
			}
			l.mu.Lock()
			if r, ok := l.requests[ev.RequestID]; ok {
				r.Failed = ev.ErrorText
			}
			l.mu.Unlock()
		}
	}()
	return l
}

// snapshot returns the requests so far. The events arrive on their own
// goroutines, so it first sends a marker request from the page and waits
// until the log holds its answer: every event before it is then recorded.
func (l *networkLog) snapshot(tb testing.TB, ctx context.Context) []request {
	tb.Helper()
	marker := fmt.Sprintf("/healthz?marker=%d", time.Now().UnixNano())
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`fetch(%s).then(r => r.status)`, webtest.JS(marker)), chromedp.EvalAwaitPromise)); err != nil {
		tb.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		l.mu.Lock()
		var out []request
		seen := false
		for _, id := range l.order {
			r := *l.requests[id]
			if strings.HasSuffix(r.URL, marker) {
				seen = r.Status != 0
				continue
			}
			out = append(out, r)
		}
		l.mu.Unlock()
		if seen {
			return out
		}
		if time.Now().After(deadline) {
			tb.Fatalf("the network log never recorded the marker request %s", marker)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// ---------------------------------------------------------------- page

type exceptionLog struct {
	mu   sync.Mutex
	msgs []string
}

func recordExceptions(ctx context.Context) *exceptionLog {
	l := &exceptionLog{}
	events := chromedp.Events(ctx, runtime.ExceptionThrown)
	go func() {
		for ev, err := range events {
			if err != nil {
				return
			}
			msg := ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil && ev.ExceptionDetails.Exception.Description != "" {
				msg = ev.ExceptionDetails.Exception.Description
			}
			l.mu.Lock()
			l.msgs = append(l.msgs, msg)
			l.mu.Unlock()
		}
	}()
	return l
}

func (l *exceptionLog) drain() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.msgs
	l.msgs = nil
	return out
}

// waitFor waits until the JavaScript condition holds.
func waitFor(tb testing.TB, ctx context.Context, cond string) {
	tb.Helper()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](cond,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil {
		tb.Fatalf("waiting for %s: %v", cond, err)
	}
}

func evalString(tb testing.TB, ctx context.Context, expr string) string {
	tb.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		tb.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

func evalStrings(tb testing.TB, ctx context.Context, expr string) []string {
	tb.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](expr))
	if err != nil {
		tb.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

func mustJSON(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}
