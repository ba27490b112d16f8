package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/stakegraph/stakegraph/internal/auth"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/network"
)

// Defaults for HandlerOptions fields left zero.
const (
	DefaultComplexityLimit = 1000
	DefaultRequestTimeout  = 10 * time.Second
	DefaultLoaderMaxWait   = time.Second
)

// HandlerOptions configures NewHandler. Zero fields take the defaults above.
type HandlerOptions struct {
	// ComplexityLimit is the highest cost a query may have (see
	// complexity.go for how cost is counted).
	ComplexityLimit int
	// QueryCacheBytes bounds the parsed and validated queries kept, by
	// weight in bytes (see NewQueryCache).
	QueryCacheBytes int
	// MaxBodyBytes is the largest POST body accepted; larger ones are
	// answered 413.
	MaxBodyBytes int
	// MaxQueryTokens and MaxQueryFields bound a query's text before it is
	// parsed and validated (see bounds.go).
	MaxQueryTokens int
	MaxQueryFields int
	// RequestTimeout bounds each request from the moment it arrives, body
	// reading, parsing and validation included; the deadline reaches the
	// store.
	RequestTimeout time.Duration
	// LoaderMaxWait bounds how long a batch of the per-request dataloaders
	// waits for the request's fields to settle (see batch.go); a batch
	// normally goes as soon as they have, without waiting for this.
	LoaderMaxWait time.Duration
	// Logger receives internal errors and recovered panics; slog.Default()
	// when nil.
	Logger *slog.Logger
	// Writer applies mutations and keeps history; when nil, the store's own
	// if it is a domain.Writer. Without one, mutations answer EUNAVAILABLE
	// and the data version is always 0.
	Writer domain.Writer
	// AtVersion rebuilds an earlier version of the graph for @asKnown;
	// when nil, package history's rebuild over store and Writer.
	AtVersion AtVersion
	// Tokens are the bearer tokens that may write (see package auth). With
	// none, reads are open and every write is refused with EUNAUTHORIZED.
	Tokens *auth.Tokens
	// RequireTokenForReads refuses queries without a valid token too.
	RequireTokenForReads bool
	// MaxWriteBodyBytes is the largest POST body accepted from a request
	// carrying a valid editor or admin token, so a source's full text fits
	// (MaxBodyBytes applies to everyone else).
	MaxWriteBodyBytes int
}

func (o HandlerOptions) withDefaults() HandlerOptions {
	if o.ComplexityLimit <= 0 {
		o.ComplexityLimit = DefaultComplexityLimit
	}
	if o.QueryCacheBytes <= 0 {
		o.QueryCacheBytes = DefaultQueryCacheBytes
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.MaxQueryTokens <= 0 {
		o.MaxQueryTokens = DefaultMaxQueryTokens
	}
	if o.MaxQueryFields <= 0 {
		o.MaxQueryFields = DefaultMaxQueryFields
	}
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = DefaultRequestTimeout
	}
	if o.LoaderMaxWait <= 0 {
		o.LoaderMaxWait = DefaultLoaderMaxWait
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.MaxWriteBodyBytes < o.MaxBodyBytes {
		o.MaxWriteBodyBytes = max(o.MaxBodyBytes, DefaultMaxWriteBodyBytes)
	}
	return o
}

// NewHandler returns the GraphQL endpoint over store: queries by GET or
// POST (application/json), introspection on, automatic persisted queries,
// bounds on the body, the query's tokens and fields, a parsed-query cache
// bounded in bytes, a complexity limit, a per-request timeout, and errors
// that always carry extensions.code.
func NewHandler(store domain.Store, opts HandlerOptions) http.Handler {
	opts = opts.withDefaults()
	schema := servedSchema()
	writer := opts.Writer
	if writer == nil {
		writer, _ = store.(domain.Writer)
	}
	resolver := &Resolver{store: store, analyzer: network.NewAnalyzer(store), writer: writer, tokens: opts.Tokens,
		atVersion: opts.AtVersion, loaderWait: opts.LoaderMaxWait, types: newObjectTypes(schema)}
	if resolver.atVersion == nil && writer != nil {
		resolver.atVersion = defaultAtVersion(store, writer)
	}
	cfg := Config{Resolvers: resolver, Schema: schema}
	setComplexity(&cfg.Complexity)
	srv := handler.New(NewExecutableSchema(cfg))

	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.AddTransport(unsupportedTransport{})

	cache := NewQueryCache(opts.QueryCacheBytes)
	srv.SetQueryCache(cache)
	srv.SetParserTokenLimit(opts.MaxQueryTokens)
	srv.SetValidationRulesFn(validationRules)
	srv.Use(extension.Introspection{})
	// Persisted queries first, so the bounds see the text they stand for.
	srv.Use(extension.AutomaticPersistedQuery{Cache: newPersistedQueryCache(persistedQueryBytes)})
	srv.Use(queryBounds{maxTokens: opts.MaxQueryTokens, maxFields: opts.MaxQueryFields, cache: cache})
	srv.Use(extension.FixedComplexityLimit(opts.ComplexityLimit, complexity.WithFixedScalarValue(0)))

	present := presentError(opts.Logger, opts.RequestTimeout)
	srv.AroundOperations(answerExpired(present))
	srv.AroundOperations(guardReads(opts.RequireTokenForReads, present))
	// Before the prefetch, which must use the loaders of the version read.
	srv.AroundOperations(resolver.chooseVersion(present))
	srv.AroundOperations(prefetchRootNodes)
	srv.AroundOperations(countRootFields)
	srv.AroundResponses(limitErrors(maxErrors))
	srv.AroundFields(trackFields)
	srv.AroundFields(internalErrors)
	srv.SetRecoverFunc(recoverPanic(opts.Logger))
	srv.SetErrorPresenter(present)

	return &endpoint{srv: srv, store: store, types: resolver.types, timeout: opts.RequestTimeout, loaderWait: opts.LoaderMaxWait,
		maxBody: int64(opts.MaxBodyBytes), maxWriteBody: int64(opts.MaxWriteBodyBytes), tokens: opts.Tokens,
		logger: opts.Logger}
}

// servedSchema is the schema without the @defer directive gqlparser
// declares for every schema. Answering it needs a streaming transport this
// endpoint does not offer, so it is not advertised, and validation refuses
// a query that uses it rather than answering without the deferred parts.
func servedSchema() *ast.Schema {
	full := NewExecutableSchema(Config{}).Schema()
	served := *full
	served.Directives = maps.Clone(full.Directives)
	delete(served.Directives, "defer")
	return &served
}

// guardReads refuses any operation carrying a token the server does not
// know, and, when reads need a token, a query without one. Mutations
// without a token are refused field by field (see Resolver.actor), each
// saying the role it needs.
func guardReads(requireToken bool, present graphql.ErrorPresenterFunc) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		id := auth.FromContext(ctx)
		var err error
		switch {
		case id.Presence == auth.Invalid:
			err = domain.Errorf(domain.EUNAUTHORIZED, "%s", id.Problem)
		case requireToken && id.Presence == auth.None && graphql.GetOperationContext(ctx).Operation.Operation != ast.Mutation:
			err = domain.Errorf(domain.EUNAUTHORIZED, "this server requires a token for reads: send the header `Authorization: Bearer <token>`")
		}
		if err != nil {
			return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{present(ctx, err)}})
		}
		return next(ctx)
	}
}

// answerExpired answers EUNAVAILABLE for a request whose deadline passed
// before execution began (gqlgen would answer a bare null).
func answerExpired(present graphql.ErrorPresenterFunc) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		responses := next(ctx)
		first := true
		return func(ctx context.Context) *graphql.Response {
			resp := responses(ctx)
			if resp == nil && first && ctx.Err() != nil {
				resp = &graphql.Response{Errors: gqlerror.List{present(ctx, ctx.Err())}}
			}
			first = false
			return resp
		}
	}
}

// limitErrors keeps the first n errors of a response and says there were
// more, so a small query with many conflicting fields cannot answer
// megabytes of errors.
func limitErrors(n int) graphql.ResponseMiddleware {
	return func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		resp := next(ctx)
		if resp == nil || len(resp.Errors) <= n {
			return resp
		}
		last := resp.Errors[n-1]
		code, _ := last.Extensions["code"].(string)
		more := &gqlerror.Error{
			Message:    "further errors not shown; fix the ones above and retry",
			Extensions: map[string]any{"code": code},
		}
		resp.Errors = append(resp.Errors[:n:n], more)
		return resp
	}
}

// unsupportedTransport answers the requests no other transport takes (an
// Upgrade header, say) with a coded error.
type unsupportedTransport struct{}

func (unsupportedTransport) Supports(*http.Request) bool { return true }

func (unsupportedTransport) Do(w http.ResponseWriter, _ *http.Request, _ graphql.GraphExecutor) {
	writeError(w, http.StatusBadRequest, domain.EINVALID,
		"send GraphQL queries by GET, or by POST with Content-Type: application/json; connection upgrades are not supported")
}

// endpoint turns away requests gqlgen would answer without an error code,
// bounds the rest with the request timeout and gives each request its own
// dataloaders (see loaders.go).
type endpoint struct {
	srv        *handler.Server
	store      domain.Store
	types      *objectTypes
	timeout    time.Duration
	loaderWait time.Duration
	maxBody    int64
	// maxWriteBody bounds the body of a request with an editor or admin
	// token instead of maxBody.
	maxWriteBody int64
	tokens       *auth.Tokens
	logger       *slog.Logger
}

const postUsage = `send POST requests with Content-Type: application/json and a body like {"query": "{ search(query: \"europol\") { node { id name } } }"}`

func (e *endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// The deadline starts before the body is read, so it covers reading,
	// parsing and validation as well as execution.
	ctx, cancel := context.WithTimeout(r.Context(), e.timeout)
	defer cancel()
	// Who the request says it is, once; resolvers read it from the context.
	id := e.tokens.Identify(r)
	ctx = auth.WithIdentity(ctx, id)
	r = r.WithContext(ctx)
	switch r.Method {
	case http.MethodGet:
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			writeError(w, http.StatusBadRequest, domain.EINVALID, "the URL query string is malformed; encode the query, variables and extensions parameters")
			return
		}
		for _, param := range []string{"variables", "extensions"} {
			if v := q.Get(param); v != "" {
				if err := decodeJSON([]byte(v), new(map[string]any)); err != nil {
					writeError(w, http.StatusBadRequest, domain.EINVALID,
						"the "+param+" query parameter must be a JSON object: "+err.Error())
					return
				}
			}
		}
	case http.MethodPost:
		mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if mediaType != "application/json" {
			writeError(w, http.StatusUnsupportedMediaType, domain.EINVALID, postUsage)
			return
		}
		if err != nil {
			writeError(w, http.StatusUnsupportedMediaType, domain.EINVALID,
				"the Content-Type header has malformed parameters; "+postUsage)
			return
		}
		limit := e.maxBody
		if id.Presence == auth.Valid && id.Actor.Role.Allows(domain.RoleEditor) {
			limit = e.maxWriteBody
		}
		if !e.checkBody(w, r, limit) {
			return
		}
	case http.MethodOptions:
	default:
		w.Header().Set("Allow", "GET, POST, OPTIONS")
		writeError(w, http.StatusMethodNotAllowed, domain.EINVALID,
			"method "+r.Method+" is not allowed; use GET or POST")
		return
	}
	e.srv.ServeHTTP(w, r.WithContext(withLoaders(ctx, e.store, e.types, e.loaderWait)))
}

// checkBody reads a POST body up to the size bound and checks it decodes
// as GraphQL request parameters, answering a coded error when not; the
// body is put back for gqlgen. Error messages never repeat the body or the
// connection's addresses.
func (e *endpoint) checkBody(w http.ResponseWriter, r *http.Request, limit int64) bool {
	// A body that trickles in is bounded by the request's deadline too
	// (a test recorder cannot set one; the deadline is then not enforced
	// while reading).
	if deadline, ok := r.Context().Deadline(); ok {
		_ = http.NewResponseController(w).SetReadDeadline(deadline)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		if errors.As(err, new(*http.MaxBytesError)) {
			msg := fmt.Sprintf("the request body is larger than %d bytes; send a smaller query, or split it", limit)
			if limit < e.maxWriteBody {
				msg += fmt.Sprintf(" (requests with an editor or admin token may send up to %d bytes, for source texts)", e.maxWriteBody)
			}
			writeError(w, http.StatusRequestEntityTooLarge, domain.EINVALID, msg)
			return false
		}
		if errors.Is(err, os.ErrDeadlineExceeded) || r.Context().Err() != nil {
			writeError(w, http.StatusRequestTimeout, domain.EUNAVAILABLE,
				fmt.Sprintf("the request body did not arrive within %s; send it again", e.timeout))
			return false
		}
		e.logger.WarnContext(r.Context(), "graphql: reading the request body", "err", err)
		writeError(w, http.StatusBadRequest, domain.EINVALID, "the request body could not be read to its end; send it again")
		return false
	}
	if err := decodeJSON(body, new(graphql.RawParams)); err != nil {
		writeError(w, http.StatusBadRequest, domain.EINVALID, "the request body is not a GraphQL request: "+err.Error()+"; "+postUsage)
		return false
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	return true
}

// decodeJSON decodes data into v as gqlgen's transports do, and describes
// what is wrong without repeating the input.
func decodeJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	err := dec.Decode(v)
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &syntax):
		return fmt.Errorf("invalid JSON at byte %d", syntax.Offset)
	case errors.As(err, &typ) && typ.Field != "":
		return fmt.Errorf("%q holds a JSON %s where it needs %s", typ.Field, typ.Value, jsonKind(typ.Type.Kind().String()))
	case errors.As(err, &typ):
		return fmt.Errorf("got a JSON %s, want an object", typ.Value)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("the JSON ends early")
	default:
		return errors.New("invalid JSON")
	}
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "map", "struct":
		return "an object"
	default:
		return goKind
	}
}

// writeError answers a request that never reached GraphQL execution.
func writeError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": gqlerror.List{{Message: message, Extensions: map[string]any{"code": code}}},
	})
}
