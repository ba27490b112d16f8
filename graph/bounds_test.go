package graph_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/internal/domain"
)

// fragmentBomb is a query of levels fragments, each spreading the next
// twice: a few hundred bytes that expand to 2^levels fields.
func fragmentBomb(levels int, used bool) string {
	var b strings.Builder
	if used {
		b.WriteString("{ ...F0 }\n")
	} else {
		b.WriteString("{ __typename }\n")
	}
	for i := range levels {
		fmt.Fprintf(&b, "fragment F%d on Query { ...F%d ...F%d }\n", i, i+1, i+1)
	}
	fmt.Fprintf(&b, "fragment F%d on Query { __typename }\n", levels)
	return b.String()
}

func repeated(field string, n int) string {
	return "{" + strings.Repeat(" "+field, n) + " }"
}

func TestQueryBounds(t *testing.T) {
	h := newHandler(t)
	tests := []struct {
		name  string
		query string
		want  string // part of the message
	}{
		{"nested fragments, each spread twice", fragmentBomb(26, true), "fields once its fragments are expanded"},
		{"nested fragments, unused", fragmentBomb(26, false), "fields once its fragments are expanded"},
		{"a field repeated 20,000 times", repeated("__typename", 20_000), "tokens"},
		{"fields past the bound", repeated("__typename", graph.DefaultMaxQueryFields+1), "fields once"},
		{"aliases past the bound", repeated(`n: node(id: "country:spain") { id }`, graph.DefaultMaxQueryFields/2+1), "fields once"},
		{"tokens past the bound", "{ search(query: \"x\", kinds: [" + strings.Repeat("COUNTRY ", graph.DefaultMaxQueryTokens) + "]) { score } }", "tokens"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Run("POST", func(t *testing.T) {
				resp := post(t, h, tt.query, nil)
				wantError(t, resp, domain.EINVALID, tt.want)
				if resp.Status != http.StatusUnprocessableEntity {
					t.Errorf("got status %d, want %d", resp.Status, http.StatusUnprocessableEntity)
				}
			})
			t.Run("GET", func(t *testing.T) {
				wantError(t, get(t, h, tt.query, nil), domain.EINVALID, tt.want)
			})
		})
	}
}

// introspection asks for the whole schema as GraphiQL does, with type
// references nine levels deep: it must stay well within the field bound.
const introspection = `query Schema {
	__schema { description queryType { name kind } mutationType { name kind } subscriptionType { name kind }
		types { ...Type }
		directives { name description isRepeatable locations args(includeDeprecated: true) { ...Arg } } }
}
fragment Type on __Type {
	kind name description specifiedByURL isOneOf
	fields(includeDeprecated: true) { name description args(includeDeprecated: true) { ...Arg } type { ...Ref } isDeprecated deprecationReason }
	inputFields(includeDeprecated: true) { ...Arg }
	interfaces { ...Ref }
	enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
	possibleTypes { ...Ref }
}
fragment Arg on __InputValue { name description type { ...Ref } defaultValue isDeprecated deprecationReason }
fragment Ref on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name
	ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } } }`

func TestQueryWithinBoundsAnswers(t *testing.T) {
	h := newHandler(t)
	for _, query := range []string{
		repeated("__typename", graph.DefaultMaxQueryFields),
		fragmentBomb(8, true), // 2^8 fields
		introspection,
	} {
		data := mustData[map[string]any](t, post(t, h, query, nil))
		if data["__typename"] != "Query" && data["__schema"] == nil {
			t.Errorf("got data %v, want __typename Query or the schema", data)
		}
	}
}

func TestIntrospectionWellWithinBounds(t *testing.T) {
	// Half the field bound still admits a full introspection query, so a
	// newer GraphiQL asking a few more fields keeps working.
	h := graph.NewHandler(shippedStore(t), graph.HandlerOptions{MaxQueryFields: graph.DefaultMaxQueryFields / 2})
	mustData[map[string]any](t, post(t, h, introspection, nil))
}

func TestExpiredDeadlineAnswersUnavailable(t *testing.T) {
	// The deadline passes before execution starts (as it did when
	// validation alone took longer than the timeout): the answer is a coded
	// error, not a bare null.
	h := graph.NewHandler(shippedStore(t), graph.HandlerOptions{RequestTimeout: time.Nanosecond})
	for _, resp := range []response{
		post(t, h, `{ stakeholder(id: "country:spain") { id } }`, nil),
		get(t, h, `{ __typename }`, nil),
	} {
		wantError(t, resp, domain.EUNAVAILABLE, "did not finish within")
	}
}

// failingBody fails mid-read as a reset connection does.
type failingBody struct{ read bool }

func (b *failingBody) Read(p []byte) (int, error) {
	if !b.read {
		b.read = true
		return copy(p, `{"query": "{ __typ`), nil
	}
	return 0, errors.New("read tcp 10.1.2.3:8080->10.9.8.7:51234: connection reset by peer")
}

func jsonPost(body io.Reader, contentType string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/graphql", body)
	r.Header.Set("Content-Type", contentType)
	return r
}

func TestRequestsTurnedAwayBeforeGraphQL(t *testing.T) {
	const maxBody = 64 << 10
	h := graph.NewHandler(shippedStore(t), graph.HandlerOptions{MaxBodyBytes: maxBody})
	bigInvalid := strings.Repeat("x", maxBody-1)
	tests := []struct {
		name   string
		req    *http.Request
		status int
		want   string
	}{
		{"body over the bound", jsonPost(strings.NewReader(`{"query": "`+strings.Repeat(" ", maxBody)+`{ __typename }"}`), "application/json"),
			http.StatusRequestEntityTooLarge, "larger than 65536 bytes"},
		{"body read fails", jsonPost(&failingBody{}, "application/json"), http.StatusBadRequest, "could not be read"},
		{"invalid JSON", jsonPost(strings.NewReader(bigInvalid), "application/json"), http.StatusBadRequest, "invalid JSON at byte 1"},
		{"query not a string", jsonPost(strings.NewReader(`{"query": 5}`), "application/json"), http.StatusBadRequest, `"query" holds a JSON number where it needs a string`},
		{"variables not an object", jsonPost(strings.NewReader(`{"query": "{ __typename }", "variables": [1]}`), "application/json"), http.StatusBadRequest, `"variables"`},
		{"a batch", jsonPost(strings.NewReader(`[{"query": "{ __typename }"}]`), "application/json"), http.StatusBadRequest, "want an object"},
		{"truncated JSON", jsonPost(strings.NewReader(`{"query": "{ __typename }"`), "application/json"), http.StatusBadRequest, "ends early"},
		{"malformed Content-Type parameters", jsonPost(strings.NewReader(`{"query": "{ __typename }"}`), "application/json; ;;;=="), http.StatusUnsupportedMediaType, "malformed parameters"},
		{"connection upgrade", func() *http.Request {
			r := jsonPost(strings.NewReader(`{"query": "{ __typename }"}`), "application/json")
			r.Header.Set("Upgrade", "websocket")
			return r
		}(), http.StatusBadRequest, "upgrades are not supported"},
		{"GET variables not an object", httptest.NewRequest(http.MethodGet, `/graphql?query=%7B__typename%7D&variables=%5B1%5D`, nil), http.StatusBadRequest, "must be a JSON object"},
		{"GET malformed query string", httptest.NewRequest(http.MethodGet, `/graphql?query=%7B__typename%7D&x=%zz`, nil), http.StatusBadRequest, "malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, tt.req)
			body := w.Body.String()
			if len(body) > 1024 {
				t.Errorf("got a %d-byte answer, want a short one that does not repeat the request", len(body))
			}
			for _, leak := range []string{"10.1.2.3", "10.9.8.7", "xxxxxxxx", "Go struct", "graphql.RawParams"} {
				if strings.Contains(body, leak) {
					t.Errorf("got answer %q, want it without %q", body, leak)
				}
			}
			resp := decode(t, w)
			if resp.Status != tt.status {
				t.Errorf("got status %d, want %d", resp.Status, tt.status)
			}
			wantError(t, resp, domain.EINVALID, tt.want)
		})
	}
}

func TestQueryCacheBoundedByBytes(t *testing.T) {
	const budget = 1 << 20
	c := graph.NewQueryCache(budget)
	ctx := context.Background()
	// 60 distinct queries of 64 KB each: four times the budget.
	for i := range 60 {
		query := fmt.Sprintf("query Q%d { __typename }\n#%s", i, strings.Repeat("x", 64<<10))
		c.Add(ctx, query, &ast.QueryDocument{})
	}
	if got := c.Bytes(); got > budget {
		t.Errorf("got %d bytes cached, want at most %d", got, budget)
	}
	small := "{ __typename }"
	c.Add(ctx, small, &ast.QueryDocument{})
	if _, ok := c.Get(ctx, small); !ok {
		t.Errorf("got %q evicted right after it was added, want it kept", small)
	}
}

func TestDeferNotAdvertisedAndRefused(t *testing.T) {
	// @defer needs a streaming transport; the endpoint has none, so the
	// directive is neither listed nor silently ignored.
	h := newHandler(t)
	data := mustData[struct {
		Schema struct {
			Directives []struct{ Name string }
		} `json:"__schema"`
	}](t, post(t, h, `{ __schema { directives { name } } }`, nil))
	var names []string
	for _, d := range data.Schema.Directives {
		names = append(names, d.Name)
	}
	if slices.Contains(names, "defer") || !slices.Contains(names, "include") {
		t.Errorf("got directives %v, want include and no defer", names)
	}
	query := `{ stakeholder(id: "country:spain") { id ... @defer { name } } }`
	for _, resp := range []response{post(t, h, query, nil), get(t, h, query, nil)} {
		wantError(t, resp, "GRAPHQL_VALIDATION_FAILED", "@defer")
	}
}

func TestPersistedQueriesBounded(t *testing.T) {
	// A persisted query is bounded by the text it stands for, when it is
	// registered and when it is later sent by hash alone.
	h := newHandler(t)
	query := fragmentBomb(26, true)
	hash := fmt.Sprintf("%x", sha256.Sum256([]byte(query)))
	ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}
	for _, body := range []map[string]any{
		{"query": query, "extensions": ext},
		{"extensions": ext},
	} {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		resp := serve(t, h, jsonPost(bytes.NewReader(b), "application/json"))
		wantError(t, resp, domain.EINVALID, "fields once its fragments are expanded")
	}
}

func TestErrorsPerResponseBounded(t *testing.T) {
	// 200 fields under one response name, each with other arguments,
	// conflict pairwise: about 20,000 validation errors from 8 KB of query.
	h := newHandler(t)
	var b strings.Builder
	b.WriteString("{")
	for i := range 200 {
		fmt.Fprintf(&b, ` n: node(id: "country:c%d") { id }`, i)
	}
	b.WriteString(" }")
	body, err := json.Marshal(map[string]any{"query": b.String()})
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, jsonPost(bytes.NewReader(body), "application/json"))
	resp := decode(t, w)
	if got, want := len(resp.Errors), 51; got != want {
		t.Fatalf("got %d errors, want %d", got, want)
	}
	last := resp.Errors[len(resp.Errors)-1]
	if !strings.Contains(last.Message, "further errors not shown") || last.code() != "GRAPHQL_VALIDATION_FAILED" {
		t.Errorf("got last error %+v, want a coded note of those not shown", last)
	}
	if w.Body.Len() > 32<<10 {
		t.Errorf("got a %d-byte answer, want at most 32 KB", w.Body.Len())
	}
}

func TestSlowBodyAnswersWithinTheDeadline(t *testing.T) {
	// A client that sends its headers and then stalls mid-body gets a coded
	// timeout once the request's deadline passes, not a connection held
	// open for as long as it likes.
	srv := httptest.NewServer(graph.NewHandler(shippedStore(t), graph.HandlerOptions{RequestTimeout: 200 * time.Millisecond}))
	defer srv.Close()
	body, stall := io.Pipe()
	defer stall.Close()
	go func() { _, _ = stall.Write([]byte(`{"query": "{ __typ`)) }()
	req, err := http.NewRequest(http.MethodPost, srv.URL, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	client := &http.Client{Timeout: 10 * time.Second}
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("got %v, want an answer once the 200ms deadline passed", err)
	}
	defer res.Body.Close()
	w := httptest.NewRecorder()
	w.WriteHeader(res.StatusCode)
	_, _ = io.Copy(w, res.Body)
	resp := decode(t, w)
	if resp.Status != http.StatusRequestTimeout {
		t.Errorf("got status %d, want %d", resp.Status, http.StatusRequestTimeout)
	}
	wantError(t, resp, domain.EUNAVAILABLE, "did not arrive within 200ms")
}
