package graph

import (
	"context"
	"encoding/json"
	"log/slog"
	"mime"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/network"
)

// Defaults for HandlerOptions fields left zero.
const (
	DefaultComplexityLimit = 1000
	DefaultQueryCacheSize  = 1000
	DefaultRequestTimeout  = 10 * time.Second
	DefaultLoaderWait      = 16 * time.Millisecond
	apqCacheSize           = 100
)

// HandlerOptions configures NewHandler. Zero fields take the defaults above.
type HandlerOptions struct {
	// ComplexityLimit is the highest cost a query may have (see
	// complexity.go for how cost is counted).
	ComplexityLimit int
	// QueryCacheSize is how many parsed and validated queries are kept.
	QueryCacheSize int
	// RequestTimeout bounds each request; the deadline reaches the store.
	RequestTimeout time.Duration
	// LoaderWait is how long the per-request dataloaders collect keys
	// before one batched store call (see loaders.go).
	LoaderWait time.Duration
	// Logger receives internal errors and recovered panics; slog.Default()
	// when nil.
	Logger *slog.Logger
}

func (o HandlerOptions) withDefaults() HandlerOptions {
	if o.ComplexityLimit <= 0 {
		o.ComplexityLimit = DefaultComplexityLimit
	}
	if o.QueryCacheSize <= 0 {
		o.QueryCacheSize = DefaultQueryCacheSize
	}
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = DefaultRequestTimeout
	}
	if o.LoaderWait <= 0 {
		o.LoaderWait = DefaultLoaderWait
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

// NewHandler returns the GraphQL endpoint over store: queries by GET or
// POST (application/json), introspection on, automatic persisted queries,
// a parsed-query cache, a complexity limit, a per-request timeout, and
// errors that always carry extensions.code.
func NewHandler(store domain.Store, opts HandlerOptions) http.Handler {
	opts = opts.withDefaults()
	cfg := Config{Resolvers: &Resolver{store: store, analyzer: network.NewAnalyzer(store)}}
	setComplexity(&cfg.Complexity)
	srv := handler.New(NewExecutableSchema(cfg))

	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})

	srv.SetQueryCache(lru.New[*ast.QueryDocument](opts.QueryCacheSize))
	srv.Use(extension.Introspection{})
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](apqCacheSize)})
	srv.Use(extension.FixedComplexityLimit(opts.ComplexityLimit, complexity.WithFixedScalarValue(0)))

	srv.AroundFields(internalErrors)
	srv.SetRecoverFunc(recoverPanic(opts.Logger))
	srv.SetErrorPresenter(presentError(opts.Logger, opts.RequestTimeout))

	return &endpoint{srv: srv, store: store, timeout: opts.RequestTimeout, loaderWait: opts.LoaderWait}
}

// endpoint turns away requests gqlgen would answer without an error code,
// bounds the rest with the request timeout and gives each request its own
// dataloaders (see loaders.go).
type endpoint struct {
	srv        *handler.Server
	store      domain.Store
	timeout    time.Duration
	loaderWait time.Duration
}

func (e *endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		q := r.URL.Query()
		for _, param := range []string{"variables", "extensions"} {
			if v := q.Get(param); v != "" && !json.Valid([]byte(v)) {
				writeError(w, http.StatusBadRequest, domain.EINVALID,
					"the "+param+" query parameter is not valid JSON")
				return
			}
		}
	case http.MethodPost:
		mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if mediaType != "application/json" {
			writeError(w, http.StatusUnsupportedMediaType, domain.EINVALID,
				`send POST requests with Content-Type: application/json and a body like {"query": "{ search(query: \"europol\") { node { id name } } }"}`)
			return
		}
	case http.MethodOptions:
	default:
		w.Header().Set("Allow", "GET, POST, OPTIONS")
		writeError(w, http.StatusMethodNotAllowed, domain.EINVALID,
			"method "+r.Method+" is not allowed; use GET or POST")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), e.timeout)
	defer cancel()
	e.srv.ServeHTTP(w, r.WithContext(withLoaders(ctx, e.store, e.loaderWait)))
}

// writeError answers a request that never reached GraphQL execution.
func writeError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": gqlerror.List{{Message: message, Extensions: map[string]any{"code": code}}},
	})
}
