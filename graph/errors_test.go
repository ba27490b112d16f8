package graph_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/internal/domain"
)

// wantError checks resp carries exactly one error with code whose message
// contains every part of want, with an HTTP status below 500.
func wantError(tb testing.TB, resp response, code string, want ...string) {
	tb.Helper()
	if resp.Status >= 500 {
		tb.Errorf("got HTTP status %d, want < 500", resp.Status)
	}
	if len(resp.Errors) != 1 {
		tb.Fatalf("got errors %+v, want exactly one", resp.Errors)
	}
	e := resp.Errors[0]
	if e.code() != code {
		tb.Errorf("got extensions.code %q (message %q), want %q", e.code(), e.Message, code)
	}
	for _, w := range want {
		if !strings.Contains(e.Message, w) {
			tb.Errorf("got message %q, want it to contain %q", e.Message, w)
		}
	}
}

func TestErrors(t *testing.T) {
	h := newHandler(t)
	tests := []struct {
		name  string
		query string
		vars  map[string]any
		code  string
		want  []string // parts of the message
	}{
		{
			name:  "malformed id on node",
			query: `{ node(id: "hungary") { id } }`,
			code:  domain.EINVALID, want: []string{`"hungary"`, "kind:slug"},
		},
		{
			name:  "malformed id on stakeholder",
			query: `{ stakeholder(id: "hungary") { id } }`,
			code:  domain.EINVALID, want: []string{`"hungary"`, "kind:slug"},
		},
		{
			name:  "unknown kind prefix",
			query: `{ stakeholder(id: "planet:mars") { id } }`,
			code:  domain.EINVALID, want: []string{`"planet"`, "country"},
		},
		{
			name:  "unknown id",
			query: `{ stakeholder(id: "country:atlantis") { id } }`,
			code:  domain.ENOTFOUND, want: []string{`"country:atlantis"`, "search"},
		},
		{
			name:  "unknown connectedTo",
			query: `{ stakeholders(filter: {connectedTo: "programme:atlantis"}) { totalCount } }`,
			code:  domain.ENOTFOUND, want: []string{`"programme:atlantis"`},
		},
		{
			name:  "depth too deep",
			query: `{ neighborhood(id: "country:hungary", depth: 50) { nodes { id } } }`,
			code:  domain.EINVALID, want: []string{"depth 50", "1 to 3"},
		},
		{
			name:  "depth zero",
			query: `{ neighborhood(id: "country:hungary", depth: 0) { nodes { id } } }`,
			code:  domain.EINVALID, want: []string{"depth 0", "1 to 3"},
		},
		{
			name:  "maxHops too many",
			query: `{ paths(from: "country:hungary", to: "programme:el-paccto", maxHops: 9) { length } }`,
			code:  domain.EINVALID, want: []string{"maxHops 9", "1 to 6"},
		},
		{
			name:  "paths between a node and itself",
			query: `{ paths(from: "country:hungary", to: "country:hungary") { length } }`,
			code:  domain.EINVALID, want: []string{"country:hungary"},
		},
		{
			name:  "search first too large",
			query: `{ search(query: "europol", first: 500) { score } }`,
			code:  domain.EINVALID, want: []string{"first 500", "1 to 100"},
		},
		{
			name:  "stakeholders first too large",
			query: `{ stakeholders(first: 500) { totalCount } }`,
			code:  domain.EINVALID, want: []string{"first 500", "1 to 100"},
		},
		{
			name:  "first zero",
			query: `{ search(query: "europol", first: 0) { score } }`,
			code:  domain.EINVALID, want: []string{"first 0", "1 to 100"},
		},
		{
			name:  "first negative",
			query: `{ stakeholders(first: -1) { totalCount } }`,
			code:  domain.EINVALID, want: []string{"first -1", "1 to 100"},
		},
		{
			name:  "empty search",
			query: `{ search(query: "") { score } }`,
			code:  domain.EINVALID, want: []string{"empty"},
		},
		{
			name:  "search of punctuation only",
			query: `{ search(query: "--") { score } }`,
			code:  domain.EINVALID, want: []string{"letters or digits"},
		},
		{
			name:  "cooperation of a non-actor",
			query: `{ cooperation(actor: "programme:el-paccto") { partner { id } } }`,
			code:  domain.EINVALID, want: []string{"programme:el-paccto", "country, organization or person"},
		},
		{
			name:  "unknown enum value",
			query: `{ search(query: "europol", kinds: [Planet]) { score } }`,
			code:  "GRAPHQL_VALIDATION_FAILED", want: []string{"Planet", "Kind"},
		},
		{
			name:  "unknown enum value in a variable",
			query: `query($k: [Kind!]) { search(query: "europol", kinds: $k) { score } }`,
			vars:  map[string]any{"k": []string{"Planet"}},
			code:  "GRAPHQL_VALIDATION_FAILED", want: []string{"Planet"},
		},
		{
			// GraphQL validation matches variable enum names ignoring case.
			name:  "enum value in a variable in the wrong case",
			query: `query($k: [Kind!]) { search(query: "europol", kinds: $k) { score } }`,
			vars:  map[string]any{"k": []string{"COUNTRY"}},
			code:  domain.EINVALID, want: []string{`"COUNTRY" is not a Kind`, "Country, Organization"},
		},
		{
			name:  "direction in a variable in the wrong case",
			query: `query($d: Direction) { stakeholder(id: "country:spain") { relations(direction: $d) { id } } }`,
			vars:  map[string]any{"d": "out"},
			code:  domain.EINVALID, want: []string{`"out" is not a Direction`, "OUT, IN, BOTH"},
		},
		{
			name:  "unknown field",
			query: `{ search(query: "europol") { score colour } }`,
			code:  "GRAPHQL_VALIDATION_FAILED", want: []string{`"colour"`, "SearchHit"},
		},
		{
			name:  "wrong argument type",
			query: `{ neighborhood(id: "country:hungary", depth: "two") { nodes { id } } }`,
			code:  "GRAPHQL_VALIDATION_FAILED", want: []string{"Int"},
		},
		{
			name:  "missing required argument",
			query: `{ search { score } }`,
			code:  "GRAPHQL_VALIDATION_FAILED", want: []string{"query"},
		},
		{
			name:  "syntax error",
			query: `{ search(query: "europol" { score } }`,
			code:  "GRAPHQL_PARSE_FAILED",
		},
		{
			name: "over the complexity limit",
			query: `{ stakeholders(first: 100) { edges { node {
				relations { node { relations { node { id } } } }
			} } } }`,
			code: "COMPLEXITY_LIMIT_EXCEEDED", want: []string{"exceeds the limit of 1000", "lower first"},
		},
		{
			name:  "mutation",
			query: `mutation { x }`,
			code:  "GRAPHQL_VALIDATION_FAILED",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Run("POST", func(t *testing.T) {
				resp := post(t, h, tt.query, tt.vars)
				wantError(t, resp, tt.code, tt.want...)
			})
			t.Run("GET", func(t *testing.T) {
				resp := get(t, h, tt.query, tt.vars)
				wantError(t, resp, tt.code, tt.want...)
			})
		})
	}
}

func TestErrorsOutsideGraphQL(t *testing.T) {
	h := newHandler(t)
	tests := []struct {
		name   string
		req    *http.Request
		status int
	}{
		{"PUT", httptest.NewRequest(http.MethodPut, "/graphql", strings.NewReader(`{}`)), http.StatusMethodNotAllowed},
		{"POST as text", func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{ search(query: "x") { score } }`))
			r.Header.Set("Content-Type", "text/plain")
			return r
		}(), http.StatusUnsupportedMediaType},
		{"POST broken JSON", func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query": `))
			r.Header.Set("Content-Type", "application/json")
			return r
		}(), http.StatusBadRequest},
		{"GET broken variables", httptest.NewRequest(http.MethodGet, `/graphql?query=%7B__typename%7D&variables=%7Bx`, nil), http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := serve(t, h, tt.req)
			if resp.Status != tt.status {
				t.Errorf("got status %d, want %d", resp.Status, tt.status)
			}
			wantError(t, resp, domain.EINVALID)
		})
	}
}

// brokenStore fails in the ways a backend can; methods it does not
// override panic through the nil embedded interface.
type brokenStore struct {
	domain.Store
	node func(ctx context.Context, id string) (*domain.Node, error)
}

func (s brokenStore) Node(ctx context.Context, id string) (*domain.Node, error) {
	return s.node(ctx, id)
}

func (s brokenStore) Nodes(ctx context.Context, ids []string) ([]*domain.Node, error) {
	nodes := make([]*domain.Node, len(ids))
	for i, id := range ids {
		n, err := s.node(ctx, id)
		if err != nil {
			return nil, err
		}
		nodes[i] = n
	}
	return nodes, nil
}

func TestInternalErrors(t *testing.T) {
	tests := []struct {
		name    string
		node    func(ctx context.Context, id string) (*domain.Node, error)
		code    string
		message string
		logged  string // must appear in the log
	}{
		{
			name: "raw error",
			node: func(context.Context, string) (*domain.Node, error) {
				return nil, errors.New("dial tcp 10.0.0.7:7687: secret")
			},
			code:    domain.EINTERNAL,
			message: "internal error",
			logged:  "10.0.0.7",
		},
		{
			name: "EINTERNAL with cause",
			node: func(context.Context, string) (*domain.Node, error) {
				return nil, domain.WrapError(domain.EINTERNAL, errors.New("cypher syntax: secret"), "query failed")
			},
			code:    domain.EINTERNAL,
			message: "internal error",
			logged:  "cypher syntax",
		},
		{
			name:    "panic",
			node:    func(context.Context, string) (*domain.Node, error) { panic("nil map: secret") },
			code:    domain.EINTERNAL,
			message: "internal error",
			logged:  "goroutine",
		},
		{
			name: "unavailable",
			node: func(context.Context, string) (*domain.Node, error) {
				return nil, domain.WrapError(domain.EUNAVAILABLE, errors.New("connection refused"), "the graph database is unavailable")
			},
			code:    domain.EUNAVAILABLE,
			message: "the graph database is unavailable",
		},
		{
			name: "deadline reaches the store",
			node: func(ctx context.Context, _ string) (*domain.Node, error) {
				<-ctx.Done()
				return nil, ctx.Err()
			},
			code:    domain.EUNAVAILABLE,
			message: "did not finish within 50ms",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log bytes.Buffer
			h := graph.NewHandler(brokenStore{node: tt.node}, graph.HandlerOptions{
				RequestTimeout: 50 * time.Millisecond,
				Logger:         slog.New(slog.NewTextHandler(&log, nil)),
			})
			resp := post(t, h, `{ stakeholder(id: "country:hungary") { id } }`, nil)
			wantError(t, resp, tt.code, tt.message)
			if strings.Contains(resp.Errors[0].Message, "secret") {
				t.Errorf("got message %q, want no internal detail", resp.Errors[0].Message)
			}
			if tt.logged != "" && !strings.Contains(log.String(), tt.logged) {
				t.Errorf("got log %q, want it to contain %q", log.String(), tt.logged)
			}
		})
	}
}

func TestComplexityGrowsWithArguments(t *testing.T) {
	// The same selection is refused once its size arguments grow, under a
	// limit that lets the small version through.
	h := graph.NewHandler(shippedStore(t), graph.HandlerOptions{ComplexityLimit: 100})
	tests := []struct {
		small, large string
	}{
		{`{ neighborhood(id: "country:hungary", depth: 1) { nodes { id } edges { id } } }`,
			`{ neighborhood(id: "country:hungary", depth: 3) { nodes { id } edges { id } } }`},
		{`{ paths(from: "country:hungary", to: "programme:el-paccto", limit: 1, maxHops: 2) { nodes { id } } }`,
			`{ paths(from: "country:hungary", to: "programme:el-paccto", limit: 20, maxHops: 6) { nodes { id } } }`},
		{`{ search(query: "e", first: 10) { node { id } } }`,
			`{ search(query: "e", first: 100) { node { id } } }`},
		{`{ stakeholders(first: 10) { edges { node { id } } } }`,
			`{ stakeholders(first: 100) { edges { node { id } } } }`},
		{`{ stakeholder(id: "country:spain") { ... on Country { programmes { node { id } } } } }`,
			`{ stakeholder(id: "country:spain") { ... on Country { programmes { node { ... on Programme { participants { node { id } } } } } } } }`},
	}
	for _, tt := range tests {
		if resp := post(t, h, tt.small, nil); len(resp.Errors) > 0 {
			t.Errorf("%s: got errors %+v, want none", tt.small, resp.Errors)
		}
		wantError(t, post(t, h, tt.large, nil), "COMPLEXITY_LIMIT_EXCEEDED")
	}
}
