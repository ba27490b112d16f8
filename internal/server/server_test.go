package server_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/internal/auth"
	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/memstore"
	"github.com/stakegraph/stakegraph/internal/server"
)

// unreachableStore is the embedded store with Ping failing as a lost Neo4j
// connection would.
type unreachableStore struct{ domain.Store }

func (unreachableStore) Ping(context.Context) error {
	return domain.Errorf(domain.EUNAVAILABLE, "Neo4j at bolt://db:7687 is not reachable")
}

// emptiedStore is the embedded store pinging as a Neo4j restarted empty
// does behind a readiness.Guard.
type emptiedStore struct{ domain.Store }

func (emptiedStore) Ping(context.Context) error {
	return domain.NotReadyError(domain.ReasonNoData, nil, "the Neo4j database at bolt://db:7687 does not hold the stakegraph data")
}

// unreachableData is the embedded store with every read an export makes
// failing as a lost Neo4j connection would.
type unreachableData struct{ domain.Store }

func (unreachableData) Node(context.Context, string) (*domain.Node, error) {
	return nil, domain.Errorf(domain.EUNAVAILABLE, "Neo4j at bolt://db:7687 is not reachable")
}

func (unreachableData) Graph(context.Context, domain.GraphQuery) (*domain.Subgraph, error) {
	return nil, domain.Errorf(domain.EUNAVAILABLE, "Neo4j at bolt://db:7687 is not reachable")
}

// stalledData is the embedded store with Graph waiting until the request's
// deadline, as an overloaded Neo4j would.
type stalledData struct{ domain.Store }

func (stalledData) Graph(ctx context.Context, _ domain.GraphQuery) (*domain.Subgraph, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func newRoutes(tb testing.TB, wrap func(domain.Store) domain.Store) http.Handler {
	tb.Helper()
	return newRoutesWith(tb, wrap, server.Options{})
}

func newRoutesWith(tb testing.TB, wrap func(domain.Store) domain.Store, opts server.Options) http.Handler {
	tb.Helper()
	g, err := dataset.Shipped()
	if err != nil {
		tb.Fatal(err)
	}
	store, err := memstore.New(g)
	if err != nil {
		tb.Fatal(err)
	}
	s := wrap(store)
	logger := slog.New(slog.DiscardHandler)
	return server.Routes(s, graph.NewHandler(s, graph.HandlerOptions{Logger: logger}), logger, opts)
}

// TestExportTimeoutFromOptions checks the configured request timeout bounds
// exports: a stalled store gets a 503 naming the timeout, not a hung request.
func TestExportTimeoutFromOptions(t *testing.T) {
	h := newRoutesWith(t, func(s domain.Store) domain.Store { return stalledData{s} }, server.Options{RequestTimeout: 50 * time.Millisecond})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/export/graphml", nil))
	if got, want := rec.Code, http.StatusServiceUnavailable; got != want {
		t.Fatalf("status: got %d, want %d (body %s)", got, want, rec.Body)
	}
	if body := rec.Body.String(); !strings.Contains(body, "50ms") || !strings.Contains(body, "EUNAVAILABLE") {
		t.Errorf("body %s: want the 50ms timeout named and code EUNAVAILABLE", body)
	}
}

func TestRoutes(t *testing.T) {
	healthy := newRoutes(t, func(s domain.Store) domain.Store { return s })
	broken := newRoutes(t, func(s domain.Store) domain.Store { return unreachableStore{s} })
	brokenData := newRoutes(t, func(s domain.Store) domain.Store { return unreachableData{s} })
	emptied := newRoutes(t, func(s domain.Store) domain.Store { return emptiedStore{s} })
	cases := []struct {
		name       string
		handler    http.Handler
		method     string
		path       string
		wantStatus int
		wantBody   string
	}{
		{"health", healthy, "GET", "/healthz", 200, "ok"},
		{"ready", healthy, "GET", "/readyz", 200, "ready"},
		{"health while the store is down", broken, "GET", "/healthz", 200, "ok"},
		{"not ready while the store is down", broken, "GET", "/readyz", 503, "not ready: store-unreachable"},
		{"not ready while the store lacks its data", emptied, "GET", "/readyz", 503, "not ready: data-missing"},
		{"playground", healthy, "GET", "/", 200, `src="/playground/playground.js"`},
		{"playground script", healthy, "GET", "/playground/playground.js", 200, "MonacoEnvironment"},
		{"playground by POST", healthy, "POST", "/", 405, ""},
		{"unknown path", healthy, "GET", "/nope", 404, ""},
		{"graphql by GET", healthy, "GET", "/graphql?query=%7B__typename%7D", 200, `"Query"`},
		{"metrics", healthy, "GET", "/metrics", 200, "go_goroutines"},
		{"metrics say ready", healthy, "GET", "/metrics", 200, "\nstakegraph_store_ready 1\n"},
		{"metrics say not ready", emptied, "GET", "/metrics", 200, "\nstakegraph_store_ready 0\n"},
		{"export", healthy, "GET", "/export/graphml?root=country:hungary", 200, "graphml"},
		{"export of an unknown format", healthy, "GET", "/export/pdf", 404, `"ENOTFOUND"`},
		{"export with no format", healthy, "GET", "/export/", 404, "gexf"},
		{"export with a bad parameter", healthy, "GET", "/export/gexf?depth=9", 400, `"EINVALID"`},
		{"export while the store is down", brokenData, "GET", "/export/gexf", 503, `"EUNAVAILABLE"`},
		{"export by POST", healthy, "POST", "/export/gexf", 405, ""},
		{"explorer", healthy, "GET", "/explore", 200, "<"},
		{"explorer with state", healthy, "GET", "/explore/?focus=country:hungary&depth=2", 200, "<"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			c.handler.ServeHTTP(rec, httptest.NewRequest(c.method, c.path, nil))
			if rec.Code != c.wantStatus {
				t.Errorf("status: got %d, want %d", rec.Code, c.wantStatus)
			}
			if !strings.Contains(rec.Body.String(), c.wantBody) {
				t.Errorf("body: got %q, want it to contain %q", rec.Body.String(), c.wantBody)
			}
			if c.path == "/readyz" && strings.Contains(rec.Body.String(), "bolt:") {
				t.Errorf("body %q names the store's address", rec.Body.String())
			}
		})
	}
}

// TestExportHeaders checks the export route end to end through Routes:
// the content type and the download name.
func TestExportHeaders(t *testing.T) {
	rec := httptest.NewRecorder()
	newRoutes(t, func(s domain.Store) domain.Store { return s }).
		ServeHTTP(rec, httptest.NewRequest("GET", "/export/gexf?root=country:hungary&depth=2", nil))
	if got := rec.Header().Get("Content-Type"); got != "application/gexf+xml" {
		t.Errorf("Content-Type: got %q, want application/gexf+xml", got)
	}
	if got, want := rec.Header().Get("Content-Disposition"), `attachment; filename=stakegraph-country-hungary-d2.gexf`; got != want {
		t.Errorf("Content-Disposition: got %q, want %q", got, want)
	}
}

// TestMetricsCountRequests checks that a GraphQL request shows up in the
// request counter with its route and status.
func TestMetricsCountRequests(t *testing.T) {
	h := newRoutes(t, func(s domain.Store) domain.Store { return s })
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/graphql?query=%7B__typename%7D", nil))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	want := `stakegraph_http_requests_total{code="200",method="get",route="graphql"} 1`
	if !strings.Contains(rec.Body.String(), want) {
		t.Errorf("metrics lack %q:\n%s", want, rec.Body.String())
	}
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/export/pdf", nil))
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	want = `stakegraph_http_requests_total{code="404",method="get",route="export"} 1`
	if !strings.Contains(rec.Body.String(), want) {
		t.Errorf("metrics lack %q:\n%s", want, rec.Body.String())
	}
}

func TestCORS(t *testing.T) {
	req := httptest.NewRequest("OPTIONS", "/graphql", nil)
	req.Header.Set("Origin", "http://frontend.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "content-type") // browsers send it lower-case
	rec := httptest.NewRecorder()
	newRoutes(t, func(s domain.Store) domain.Store { return s }).ServeHTTP(rec, req)
	if got := rec.Header().Get("Access-Control-Allow-Origin"); got == "" {
		t.Errorf("Access-Control-Allow-Origin: got none, want the origin allowed")
	}
}

// TestServeShutsDownGracefully cancels the context while a request is in
// flight: the request must complete and Serve must return nil.
func TestServeShutsDownGracefully(t *testing.T) {
	started := make(chan struct{})
	release := make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
		_, _ = io.WriteString(w, "done")
	})
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- server.Serve(ctx, listener, slow, slog.New(slog.DiscardHandler)) }()

	body := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + listener.Addr().String() + "/")
		if err != nil {
			body <- "error: " + err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		body <- string(b)
	}()
	<-started
	cancel()
	time.Sleep(50 * time.Millisecond) // let Shutdown close the listener first
	close(release)
	if got := <-body; got != "done" {
		t.Errorf("in-flight request: got %q, want %q", got, "done")
	}
	if err := <-served; err != nil {
		t.Errorf("Serve: got %v, want nil", err)
	}
}

// TestMetricsNotCrossOrigin checks that a script on another origin may read
// the API but not the metrics.
func TestMetricsNotCrossOrigin(t *testing.T) {
	h := newRoutes(t, func(s domain.Store) domain.Store { return s })
	for _, c := range []struct {
		path string
		cors bool
	}{
		{"/graphql?query=%7B__typename%7D", true},
		{"/metrics", false},
	} {
		req := httptest.NewRequest("GET", c.path, nil)
		req.Header.Set("Origin", "http://elsewhere.example")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if got := rec.Header().Get("Access-Control-Allow-Origin") != ""; got != c.cors || rec.Code != http.StatusOK {
			t.Errorf("%s: got status %d and CORS %v, want 200 and CORS %v", c.path, rec.Code, got, c.cors)
		}
	}
}

// TestMetricsOnTheirOwnHandler checks that metrics moved to their own
// address are gone from the API's routes and still count its requests.
func TestMetricsOnTheirOwnHandler(t *testing.T) {
	metrics := server.NewMetrics()
	h := newRoutesWith(t, func(s domain.Store) domain.Store { return s }, server.Options{Metrics: metrics})
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/graphql?query=%7B__typename%7D", nil))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("/metrics on the API's routes: got status %d, want 404", rec.Code)
	}
	rec = httptest.NewRecorder()
	metrics.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	want := `stakegraph_http_requests_total{code="200",method="get",route="graphql"} 1`
	if !strings.Contains(rec.Body.String(), want) {
		t.Errorf("metrics lack %q:\n%s", want, rec.Body.String())
	}
}

// TestCORSAuthorization: browsers may send the Authorization header only
// from the configured write origins, and only when tokens are configured.
func TestCORSAuthorization(t *testing.T) {
	token, _ := auth.NewToken()
	tokens, err := auth.Parse(strings.NewReader(auth.Line("alice", domain.RoleEditor, token)), "tokens")
	if err != nil {
		t.Fatal(err)
	}
	const writer, other = "https://analyst.example", "https://elsewhere.example"
	tests := []struct {
		name   string
		opts   server.Options
		origin string
		header string // requested header
		allow  bool   // the preflight allows it
	}{
		{"writes on, write origin, Authorization", server.Options{Tokens: tokens, WriteOrigins: []string{writer}}, writer, "authorization,content-type", true},
		{"writes on, other origin, Authorization", server.Options{Tokens: tokens, WriteOrigins: []string{writer}}, other, "authorization,content-type", false},
		{"writes on, other origin, reads", server.Options{Tokens: tokens, WriteOrigins: []string{writer}}, other, "content-type", true},
		{"writes on, no write origins", server.Options{Tokens: tokens}, writer, "authorization", false},
		{"writes off, listed origin", server.Options{WriteOrigins: []string{writer}}, writer, "authorization", false},
		{"writes off, reads", server.Options{WriteOrigins: []string{writer}}, other, "content-type", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("OPTIONS", "/graphql", nil)
			req.Header.Set("Origin", tt.origin)
			req.Header.Set("Access-Control-Request-Method", "POST")
			req.Header.Set("Access-Control-Request-Headers", tt.header)
			rec := httptest.NewRecorder()
			newRoutesWith(t, func(s domain.Store) domain.Store { return s }, tt.opts).ServeHTTP(rec, req)
			origin := rec.Header().Get("Access-Control-Allow-Origin")
			allowed := (origin == tt.origin || origin == "*") &&
				strings.Contains(strings.ToLower(rec.Header().Get("Access-Control-Allow-Headers")), strings.Split(tt.header, ",")[0])
			if allowed != tt.allow {
				t.Errorf("preflight allowed: got %v, want %v (headers %v)", allowed, tt.allow, rec.Header())
			}
		})
	}
}

// TestExportsRequireToken: with RequireTokenForReads, an export needs a
// valid token.
func TestExportsRequireToken(t *testing.T) {
	token, _ := auth.NewToken()
	tokens, err := auth.Parse(strings.NewReader(auth.Line("reader", domain.RoleReader, token)), "tokens")
	if err != nil {
		t.Fatal(err)
	}
	h := newRoutesWith(t, func(s domain.Store) domain.Store { return s }, server.Options{Tokens: tokens, RequireTokenForReads: true})
	for _, tt := range []struct {
		header string
		want   int
	}{{"", http.StatusUnauthorized}, {"Bearer sg_wrong", http.StatusUnauthorized}, {"Bearer " + token, http.StatusOK}} {
		req := httptest.NewRequest("GET", "/export/csv", nil)
		if tt.header != "" {
			req.Header.Set("Authorization", tt.header)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != tt.want {
			t.Errorf("export with %q: got status %d, want %d: %s", strings.SplitN(tt.header, " ", 2)[0], rec.Code, tt.want, rec.Body.String())
		}
		if rec.Code == http.StatusUnauthorized && !strings.Contains(rec.Body.String(), domain.EUNAUTHORIZED) {
			t.Errorf("refused export body %s lacks the code", rec.Body.String())
		}
	}
}
