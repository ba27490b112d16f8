package export_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/export"
)

func newHandler(tb testing.TB, store domain.Store, timeout time.Duration) http.Handler {
	tb.Helper()
	return export.Handler(store, export.HandlerOptions{RequestTimeout: timeout, Logger: slog.New(slog.DiscardHandler)})
}

func get(h http.Handler, target string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	return rec
}

func TestHandlerHeaders(t *testing.T) {
	h := newHandler(t, shippedStore(t), 0)
	cases := []struct {
		target      string
		contentType string
		fileName    string
	}{
		{"/export/cytoscape", "application/json", "stakegraph-graph.cyjs"},
		{"/export/graphology?root=country:spain", "application/json", "stakegraph-country-spain-d1.graphology.json"},
		{"/export/gexf?root=country:hungary&depth=2", "application/gexf+xml", "stakegraph-country-hungary-d2.gexf"},
		{"/export/graphml", "application/graphml+xml", "stakegraph-graph.graphml"},
		{"/export/csv?kinds=Country&kinds=organization", "application/zip", "stakegraph-graph.csv.zip"},
		{"/export/ftm?root=country:ecuador&depth=2&topic=topic:maritime-security&asOf=2023-09-27", "application/x-ndjson",
			"stakegraph-country-ecuador-d2-maritime-security-asof-2023-09-27.ftm.json"},
		{"/export/gexf?asOf=2023", "application/gexf+xml", "stakegraph-graph-asof-2023.gexf"},
	}
	for _, c := range cases {
		t.Run(c.target, func(t *testing.T) {
			rec := get(h, c.target)
			if rec.Code != http.StatusOK {
				t.Fatalf("status: got %d, want 200; body %s", rec.Code, rec.Body)
			}
			if got := rec.Header().Get("Content-Type"); got != c.contentType {
				t.Errorf("Content-Type: got %q, want %q", got, c.contentType)
			}
			disposition, params, err := mime.ParseMediaType(rec.Header().Get("Content-Disposition"))
			if err != nil || disposition != "attachment" || params["filename"] != c.fileName {
				t.Errorf("Content-Disposition: got %q (%v), want attachment; filename=%q", rec.Header().Get("Content-Disposition"), err, c.fileName)
			}
			if rec.Body.Len() == 0 {
				t.Error("body: got empty, want the export")
			}
		})
	}
}

// TestHandlerSelection checks that the parameters reach the store: the
// exported IDs are those the store gives for the same query.
func TestHandlerSelection(t *testing.T) {
	store := shippedStore(t)
	h := newHandler(t, store, 0)
	ctx := context.Background()
	cases := []struct {
		target string
		asOf   domain.PartialDate
		want   func() (*domain.Subgraph, error)
	}{
		{"/export/cytoscape?kinds=Country,Programme&relationTypes=participates_in", "", func() (*domain.Subgraph, error) {
			return store.Graph(ctx, domain.GraphQuery{Kinds: []domain.Kind{"Country", "Programme"}, RelationTypes: []domain.RelationType{"PARTICIPATES_IN"}})
		}},
		{"/export/cytoscape?root=event:iii-round-table-2023&relationTypes=ATTENDED&kinds=Country", "", func() (*domain.Subgraph, error) {
			return store.Neighborhood(ctx, domain.NeighborhoodQuery{Root: "event:iii-round-table-2023", Depth: 1, RelationTypes: []domain.RelationType{"ATTENDED"}, Kinds: []domain.Kind{"Country"}})
		}},
		{"/export/cytoscape?root=country:spain&depth=3&topic=topic:cyber-security&asOf=2023-09", "2023-09", func() (*domain.Subgraph, error) {
			return store.Neighborhood(ctx, domain.NeighborhoodQuery{Root: "country:spain", Depth: 3, Topic: "topic:cyber-security", AsOf: "2023-09"})
		}},
	}
	for _, c := range cases {
		t.Run(c.target, func(t *testing.T) {
			want, err := c.want()
			if err != nil {
				t.Fatal(err)
			}
			rec := get(h, c.target)
			if rec.Code != http.StatusOK {
				t.Fatalf("status: got %d, want 200; body %s", rec.Code, rec.Body)
			}
			var doc struct {
				Elements struct {
					Nodes []struct{ Data struct{ ID string } }
					Edges []struct{ Data struct{ ID, Kind string } }
				}
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			var gotNodes, gotEdges []string
			for _, n := range doc.Elements.Nodes {
				gotNodes = append(gotNodes, n.Data.ID)
			}
			var gotStatements []string
			for _, e := range doc.Elements.Edges {
				if e.Data.Kind == export.EdgeKindStatement {
					gotStatements = append(gotStatements, e.Data.ID)
				} else {
					gotEdges = append(gotEdges, e.Data.ID)
				}
			}
			var wantStatements []string
			for _, se := range statementEdgesOf(t, store, want.Nodes, c.asOf) {
				wantStatements = append(wantStatements, se.ID)
			}
			if !slices.Equal(gotStatements, wantStatements) {
				t.Errorf("statement edges: got %v, want %v", gotStatements, wantStatements)
			}
			if strings.Join(gotNodes, " ") != strings.Join(nodeIDs(want.Nodes), " ") {
				t.Errorf("nodes: got %v, want %v", gotNodes, nodeIDs(want.Nodes))
			}
			if strings.Join(gotEdges, " ") != strings.Join(relationIDs(want.Relations), " ") {
				t.Errorf("edges: got %v, want %v", gotEdges, relationIDs(want.Relations))
			}
			if len(want.Nodes) < 2 {
				t.Errorf("store returned %d nodes; pick a selection that finds something", len(want.Nodes))
			}
		})
	}
}

// brokenStore fails every read the way a lost Neo4j connection would, or
// waits for the deadline when slow is set.
type brokenStore struct {
	domain.Store
	slow bool
	err  error
}

func (s brokenStore) fail(ctx context.Context) error {
	if s.slow {
		<-ctx.Done()
		return ctx.Err()
	}
	return s.err
}

func (s brokenStore) Node(ctx context.Context, _ string) (*domain.Node, error) {
	return nil, s.fail(ctx)
}
func (s brokenStore) Graph(ctx context.Context, _ domain.GraphQuery) (*domain.Subgraph, error) {
	return nil, s.fail(ctx)
}
func (s brokenStore) Neighborhood(ctx context.Context, _ domain.NeighborhoodQuery) (*domain.Subgraph, error) {
	return nil, s.fail(ctx)
}

func TestHandlerErrors(t *testing.T) {
	store := shippedStore(t)
	healthy := newHandler(t, store, 0)
	down := newHandler(t, brokenStore{Store: store, err: domain.Errorf(domain.EUNAVAILABLE, "Neo4j at bolt://db:7687 is not reachable")}, 0)
	slow := newHandler(t, brokenStore{Store: store, slow: true}, 20*time.Millisecond)
	buggy := newHandler(t, brokenStore{Store: store, err: errors.New("secret detail of a bug")}, 0)
	cases := []struct {
		name     string
		handler  http.Handler
		target   string
		status   int
		code     string
		contains string
	}{
		{"unknown format", healthy, "/export/pdf", 404, "ENOTFOUND", "cytoscape, graphology, gexf, graphml, csv, ftm"},
		{"no format", healthy, "/export/", 404, "ENOTFOUND", "gexf"},
		{"format in a sub-path", healthy, "/export/gexf/extra", 404, "ENOTFOUND", "ftm"},
		{"unknown root", healthy, "/export/gexf?root=country:atlantis", 404, "ENOTFOUND", "country:atlantis"},
		{"unknown topic", healthy, "/export/gexf?topic=topic:knitting", 404, "ENOTFOUND", "topic:knitting"},
		{"malformed root", healthy, "/export/gexf?root=hungary", 400, "EINVALID", "kind:slug"},
		{"depth zero", healthy, "/export/gexf?root=country:spain&depth=0", 400, "EINVALID", "depth 0"},
		{"depth too deep", healthy, "/export/gexf?root=country:spain&depth=4", 400, "EINVALID", "1 to 3"},
		{"depth not a number", healthy, "/export/gexf?root=country:spain&depth=two", 400, "EINVALID", "not a number"},
		{"depth without root", healthy, "/export/gexf?depth=2", 400, "EINVALID", "give root"},
		{"unknown kind", healthy, "/export/gexf?kinds=Country,Planet", 400, "EINVALID", `"Planet"`},
		{"unknown relation type", healthy, "/export/gexf?relationTypes=LIKES", 400, "EINVALID", `"LIKES"`},
		{"topic not a topic", healthy, "/export/gexf?topic=country:spain", 400, "EINVALID", "not a topic"},
		{"bad asOf", healthy, "/export/gexf?asOf=2023-13", 400, "EINVALID", "month 13"},
		{"asOf not a date", healthy, "/export/gexf?asOf=yesterday", 400, "EINVALID", "YYYY"},
		{"unknown parameter", healthy, "/export/gexf?relationType=ATTENDED", 400, "EINVALID", `"relationType"`},
		{"root twice", healthy, "/export/gexf?root=country:spain&root=country:italy", 400, "EINVALID", "once"},
		{"store down, whole graph", down, "/export/gexf", 503, "EUNAVAILABLE", "not reachable"},
		{"store down, neighborhood", down, "/export/ftm?root=country:spain", 503, "EUNAVAILABLE", "not reachable"},
		{"store too slow", slow, "/export/csv", 503, "EUNAVAILABLE", "did not answer"},
		{"store bug", buggy, "/export/graphml", 500, "EINTERNAL", "internal error"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := get(c.handler, c.target)
			if rec.Code != c.status {
				t.Errorf("status: got %d, want %d", rec.Code, c.status)
			}
			if got := rec.Header().Get("Content-Type"); got != "application/json" {
				t.Errorf("Content-Type: got %q, want application/json", got)
			}
			if rec.Header().Get("Content-Disposition") != "" {
				t.Errorf("Content-Disposition: got %q on an error, want none", rec.Header().Get("Content-Disposition"))
			}
			var body export.ErrorBody
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("body %q: %v", rec.Body, err)
			}
			if body.Error.Code != c.code || !strings.Contains(body.Error.Message, c.contains) {
				t.Errorf("error: got %+v, want code %s and a message containing %q", body.Error, c.code, c.contains)
			}
			if strings.Contains(body.Error.Message, "secret") {
				t.Errorf("message %q leaks an internal error", body.Error.Message)
			}
		})
	}
}

func TestParseSelection(t *testing.T) {
	cases := []struct {
		query string
		want  export.Selection
	}{
		{"", export.Selection{Depth: 1}},
		{"root=country:spain", export.Selection{Root: "country:spain", Depth: 1}},
		{"root=country:spain&depth=3&kinds=country,PROGRAMME&kinds=Event&relationTypes=attended,FUNDS&topic=topic:cyber-security&asOf=2024-02",
			export.Selection{Root: "country:spain", Depth: 3, Kinds: []domain.Kind{"Country", "Programme", "Event"},
				RelationTypes: []domain.RelationType{"ATTENDED", "FUNDS"}, Topic: "topic:cyber-security", AsOf: "2024-02"}},
		{"kinds=&kinds=%20Person%20,", export.Selection{Depth: 1, Kinds: []domain.Kind{"Person"}}},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			q, err := urlQuery(c.query)
			if err != nil {
				t.Fatal(err)
			}
			got, err := export.ParseSelection(q)
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			gotJSON, _ := json.Marshal(got)
			wantJSON, _ := json.Marshal(c.want)
			if string(gotJSON) != string(wantJSON) {
				t.Errorf("got %s, want %s", gotJSON, wantJSON)
			}
		})
	}
}

func urlQuery(raw string) (map[string][]string, error) {
	req, err := http.NewRequest(http.MethodGet, "/export/gexf?"+raw, nil)
	if err != nil {
		return nil, err
	}
	return req.URL.Query(), nil
}

func TestHandlerHead(t *testing.T) {
	h := newHandler(t, shippedStore(t), 0)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodHead, "/export/graphml", nil))
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 || rec.Header().Get("Content-Length") == "0" {
		t.Errorf("HEAD: got status %d, %d body bytes, Content-Length %q; want 200, no body, the export's length",
			rec.Code, rec.Body.Len(), rec.Header().Get("Content-Length"))
	}
}

// TestHandlerStreamsLargeExports checks that an export larger than the
// stream threshold goes out as it is written (no length announced) and is
// byte for byte the file a whole render gives, in every format.
func TestHandlerStreamsLargeExports(t *testing.T) {
	store := shippedStore(t)
	whole := newHandler(t, store, 0)
	streamed := export.Handler(store, export.HandlerOptions{StreamThreshold: 512, Logger: slog.New(slog.DiscardHandler)})
	for _, name := range export.FormatNames() {
		t.Run(name, func(t *testing.T) {
			want := get(whole, "/export/"+name)
			got := get(streamed, "/export/"+name)
			if got.Code != http.StatusOK || want.Code != http.StatusOK {
				t.Fatalf("status: got %d streamed and %d whole, want 200", got.Code, want.Code)
			}
			if want.Body.Len() <= 512 {
				t.Fatalf("the whole export is %d bytes, not above the 512-byte threshold", want.Body.Len())
			}
			if cl := got.Header().Get("Content-Length"); cl != "" {
				t.Errorf("Content-Length: got %q on a streamed export, want none", cl)
			}
			if want.Header().Get("Content-Length") == "" {
				t.Errorf("Content-Length: got none on a whole export, want its length")
			}
			if got.Body.String() != want.Body.String() {
				t.Errorf("streamed body differs from the whole render (%d vs %d bytes)", got.Body.Len(), want.Body.Len())
			}
			if got.Header().Get("Content-Disposition") != want.Header().Get("Content-Disposition") {
				t.Errorf("Content-Disposition: got %q, want %q", got.Header().Get("Content-Disposition"), want.Header().Get("Content-Disposition"))
			}
		})
	}
}
