// Package server is stakegraph's HTTP front: the GraphQL endpoint, the
// playground, graph exports, the explorer, health and readiness probes,
// with timeouts and graceful shutdown.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/rs/cors"

	"github.com/stakegraph/stakegraph/internal/auth"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/explorer"
	"github.com/stakegraph/stakegraph/internal/export"
	"github.com/stakegraph/stakegraph/internal/playground"
)

// HTTP server timeouts: generous enough for the slowest bounded query, short
// enough that a stalled client cannot hold a connection for long.
const (
	ReadHeaderTimeout = 5 * time.Second
	ReadTimeout       = 15 * time.Second
	WriteTimeout      = 30 * time.Second
	IdleTimeout       = 120 * time.Second

	// ShutdownTimeout bounds how long in-flight requests may finish after a
	// stop signal.
	ShutdownTimeout = 10 * time.Second

	// readyTimeout bounds the store check behind /readyz.
	readyTimeout = 2 * time.Second
)

// Options tunes Routes. Zero fields take the defaults of the packages
// they configure.
type Options struct {
	// RequestTimeout bounds each export, store calls included, as
	// graph.HandlerOptions.RequestTimeout bounds each GraphQL request.
	RequestTimeout time.Duration
	// Metrics, when set, counts the requests, and Routes does not serve
	// /metrics: the caller serves Metrics.Handler on an address of its own
	// (serve --metrics-addr). When nil, Routes serves /metrics itself.
	Metrics *Metrics
	// Tokens are the configured bearer tokens; with none, writes are off.
	Tokens *auth.Tokens
	// RequireTokenForReads refuses exports without a valid token (the
	// GraphQL handler refuses queries itself).
	RequireTokenForReads bool
	// WriteOrigins are the browser origins (e.g. https://analyst.example)
	// allowed to send the Authorization header, and so to write, when
	// tokens are configured. Every origin may read without one.
	WriteOrigins []string
}

// Metrics are the Prometheus metrics of one server: per-route request
// counts and latencies, and the Go runtime's and the process's own.
type Metrics struct {
	registry *prometheus.Registry
	http     *httpMetrics
}

// NewMetrics returns an empty set of metrics.
func NewMetrics() *Metrics {
	registry := prometheus.NewRegistry()
	registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return &Metrics{registry: registry, http: newHTTPMetrics(registry)}
}

// watchStore adds the stakegraph_store_ready gauge: 1 while store.Ping
// succeeds (with a readiness.Guard, the last readiness check), 0 otherwise.
func (m *Metrics) watchStore(store domain.Store) {
	m.registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "stakegraph_store_ready",
		Help: "1 while the store is ready (holds the data this build serves, as /readyz says), 0 otherwise.",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), readyTimeout)
		defer cancel()
		if store.Ping(ctx) != nil {
			return 0
		}
		return 1
	}))
}

// Handler serves the metrics at GET /metrics and nothing else.
func (m *Metrics) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry}))
	return mux
}

// Routes builds the HTTP handler: "/" the GraphiQL playground (its files
// under "/playground/"), "/graphql"
// the API (GET and POST), "/export/{format}" graph downloads (see package
// export), "/explore" the interactive explorer, "/healthz" process
// liveness, "/readyz" store readiness (store.Ping: with a readiness.Guard,
// whether the store holds the data it should, as last checked), "/metrics" Prometheus metrics
// (unless opts.Metrics moves them elsewhere). Every request is counted,
// timed and logged. Other origins may read everything but the metrics.
func Routes(store domain.Store, api http.Handler, logger *slog.Logger, opts Options) http.Handler {
	m := opts.Metrics
	if m == nil {
		m = NewMetrics()
	}
	metrics := m.http
	m.watchStore(store)

	mux := http.NewServeMux()
	// The playground: the page at "/", its scripts and styles under
	// /playground/, all embedded, so it needs no internet.
	play := metrics.instrument("playground", playground.Handler())
	mux.Handle("/{$}", play)
	mux.Handle(playground.Prefix, play)
	mux.Handle("/graphql", metrics.instrument("graphql", api))
	// Exports: every path under /export/ goes to the export handler, so an
	// unknown or missing format is answered with the list of formats.
	exports := export.Handler(store, export.HandlerOptions{Logger: logger, RequestTimeout: opts.RequestTimeout})
	if opts.RequireTokenForReads {
		exports = requireToken(opts.Tokens, exports)
	}
	mux.Handle("GET /export/", metrics.instrument("export", exports))
	explore := metrics.instrument("explore", explorer.Handler())
	mux.Handle("/explore", explore)
	mux.Handle("/explore/", explore)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeText(w, http.StatusOK, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		if err := store.Ping(ctx); err != nil {
			// The reason and its summary only: the error itself may name
			// the store's address, which is logged, not shown.
			reason := domain.NotReadyReason(err)
			logger.Debug("not ready", "reason", reason, "err", err)
			writeText(w, http.StatusServiceUnavailable, "not ready: "+reason+": "+domain.NotReadySummary(reason))
			return
		}
		writeText(w, http.StatusOK, "ready")
	})
	withCORS := crossOrigin(mux, opts)
	root := http.NewServeMux()
	root.Handle("/", withCORS)
	if opts.Metrics == nil {
		// Metrics are for the operator's scraper, not for scripts on other
		// origins: outside CORS.
		root.Handle("/metrics", m.Handler())
	}
	return logRequests(logger, root)
}

// crossOrigin lets browser frontends on other origins read the API, GET
// and POST without credentials. When writes are on (tokens configured),
// the origins in opts.WriteOrigins may also send the Authorization header;
// no other origin may, so a page elsewhere cannot make a browser write with
// a token it holds.
func crossOrigin(next http.Handler, opts Options) http.Handler {
	public := cors.New(cors.Options{
		AllowedMethods: []string{http.MethodGet, http.MethodPost},
		AllowedHeaders: []string{"Content-Type"},
	}).Handler(next)
	if opts.Tokens.Len() == 0 || len(opts.WriteOrigins) == 0 {
		return public
	}
	writers := cors.New(cors.Options{
		AllowedOrigins: opts.WriteOrigins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost},
		AllowedHeaders: []string{"Content-Type", "Authorization"},
	}).Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if slices.Contains(opts.WriteOrigins, r.Header.Get("Origin")) {
			writers.ServeHTTP(w, r)
			return
		}
		public.ServeHTTP(w, r)
	})
}

// requireToken answers 401 to a request without a valid token.
func requireToken(tokens *auth.Tokens, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := tokens.Identify(r)
		if id.Presence != auth.Valid {
			msg := id.Problem
			if id.Presence == auth.None {
				msg = "this server requires a token for reads: send the header `Authorization: Bearer <token>`"
			}
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("WWW-Authenticate", "Bearer")
			w.WriteHeader(http.StatusUnauthorized)
			_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"message": msg, "code": domain.EUNAUTHORIZED}})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// httpMetrics counts and times requests per route.
type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newHTTPMetrics(registry *prometheus.Registry) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "stakegraph_http_requests_total",
			Help: "HTTP requests by route, method and status code.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "stakegraph_http_request_duration_seconds",
			Help:    "HTTP request latency by route.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route", "method", "code"}),
	}
	registry.MustRegister(m.requests, m.duration)
	return m
}

func (m *httpMetrics) instrument(route string, h http.Handler) http.Handler {
	labels := prometheus.Labels{"route": route}
	return promhttp.InstrumentHandlerDuration(m.duration.MustCurryWith(labels),
		promhttp.InstrumentHandlerCounter(m.requests.MustCurryWith(labels), h))
}

// statusRecorder remembers the status code a handler wrote, for the log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// logRequests logs one line per request; probes log at debug level so they
// do not drown the rest.
func logRequests(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		level := slog.LevelInfo
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" || r.URL.Path == "/metrics" {
			level = slog.LevelDebug
		}
		logger.Log(r.Context(), level, "request", "method", r.Method, "path", r.URL.Path,
			"status", rec.status, "duration", time.Since(start))
	})
}

func writeText(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body + "\n"))
}

// Serve serves handler on listener until ctx is done, then shuts down,
// giving in-flight requests ShutdownTimeout to finish.
func Serve(ctx context.Context, listener net.Listener, handler http.Handler, logger *slog.Logger) error {
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(listener) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down", "grace", ShutdownTimeout)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
