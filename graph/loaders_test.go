package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/internal/domain"
)

// countingStore counts the calls made to each method of a real store.
type countingStore struct {
	domain.Store
	mu    sync.Mutex
	calls map[string]int
}

func newCountingStore(s domain.Store) *countingStore {
	return &countingStore{Store: s, calls: map[string]int{}}
}

func (s *countingStore) count(method string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[method]++
}

func (s *countingStore) snapshot() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.calls)
}

func (s *countingStore) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.calls)
}

func (s *countingStore) Node(ctx context.Context, id string) (*domain.Node, error) {
	s.count("Node")
	return s.Store.Node(ctx, id)
}

func (s *countingStore) Nodes(ctx context.Context, ids []string) ([]*domain.Node, error) {
	s.count("Nodes")
	return s.Store.Nodes(ctx, ids)
}

func (s *countingStore) FindNodes(ctx context.Context, f domain.NodeFilter) (*domain.NodePage, error) {
	s.count("FindNodes")
	return s.Store.FindNodes(ctx, f)
}

func (s *countingStore) Search(ctx context.Context, q domain.SearchQuery) ([]domain.SearchHit, error) {
	s.count("Search")
	return s.Store.Search(ctx, q)
}

func (s *countingStore) Relations(ctx context.Context, f domain.RelationFilter) ([]*domain.Relation, error) {
	s.count("Relations")
	return s.Store.Relations(ctx, f)
}

func (s *countingStore) Related(ctx context.Context, q domain.RelatedQuery) (*domain.Related, error) {
	s.count("Related")
	return s.Store.Related(ctx, q)
}

func (s *countingStore) Neighborhood(ctx context.Context, q domain.NeighborhoodQuery) (*domain.Subgraph, error) {
	s.count("Neighborhood")
	return s.Store.Neighborhood(ctx, q)
}

func (s *countingStore) Graph(ctx context.Context, q domain.GraphQuery) (*domain.Subgraph, error) {
	s.count("Graph")
	return s.Store.Graph(ctx, q)
}

func (s *countingStore) Paths(ctx context.Context, q domain.PathQuery) ([]*domain.Path, error) {
	s.count("Paths")
	return s.Store.Paths(ctx, q)
}

func (s *countingStore) Cooperation(ctx context.Context, q domain.CooperationQuery) ([]*domain.Cooperation, error) {
	s.count("Cooperation")
	return s.Store.Cooperation(ctx, q)
}

func (s *countingStore) CommonConnections(ctx context.Context, q domain.CommonConnectionsQuery) ([]*domain.CommonConnection, error) {
	s.count("CommonConnections")
	return s.Store.CommonConnections(ctx, q)
}

func (s *countingStore) CoParticipation(ctx context.Context, q domain.CoParticipationQuery) ([]*domain.CoParticipation, error) {
	s.count("CoParticipation")
	return s.Store.CoParticipation(ctx, q)
}

func (s *countingStore) Timeline(ctx context.Context, q domain.TimelineQuery) ([]*domain.TimelineEntry, error) {
	s.count("Timeline")
	return s.Store.Timeline(ctx, q)
}

func (s *countingStore) Version(ctx context.Context) (string, error) {
	s.count("Version")
	return s.Store.Version(ctx)
}

func total(calls map[string]int) int {
	n := 0
	for _, c := range calls {
		n += c
	}
	return n
}

// listingQuery lists countries and organizations with six typed relation
// fields each, their outgoing relations, the node at the other end and
// every evidence's source: seven (direction, types) groups of relations.
const listingQuery = `query($n: Int) {
	stakeholders(filter: {kinds: [Country, Organization]}, first: $n) { edges { node {
		id
		relations(direction: OUT) { ...rel }
		... on Country { memberOf { ...rel } programmes { ...rel } attended { ...rel }
			agreements { ...rel } cooperatesWith { ...rel } representedBy { ...rel } }
		... on Organization { memberOf { ...rel } programmes { ...rel } attended { ...rel }
			agreements { ...rel } cooperatesWith { ...rel } representedBy { ...rel } }
	} } }
}
fragment rel on Relation { id type direction node { id name } evidence { quote source { name } } }`

// relationGroups is how many distinct (direction, types) the query asks for.
const relationGroups = 7

type listedRelation struct {
	ID        string
	Type      string
	Direction string
	Node      struct{ ID, Name string }
	Evidence  []struct {
		Quote  string
		Source struct{ Name string }
	}
}

type listing struct {
	Stakeholders struct {
		Edges []struct {
			Node struct {
				ID             string
				Relations      []listedRelation
				MemberOf       []listedRelation
				Programmes     []listedRelation
				Attended       []listedRelation
				Agreements     []listedRelation
				CooperatesWith []listedRelation
				RepresentedBy  []listedRelation
			}
		}
	}
}

func TestNoNPlusOne(t *testing.T) {
	// Listing stakeholders with their relations costs the same few store
	// calls however many stakeholders are listed: one FindNodes, one
	// Related for the generic relations field (looked ahead by the
	// stakeholders field), one Relations per distinct typed field and one
	// Nodes for their other ends and evidence sources. A batch goes when
	// the request's fields have settled; the bound on its wait is set far
	// beyond the test's watchdog, so batching cannot rest on a timer.
	store := newCountingStore(shippedStore(t))
	h := settledHandler(store)
	want := map[string]int{"FindNodes": 1, "Related": 1, "Relations": relationGroups - 1, "Nodes": 1}
	for _, n := range []int{10, 50} {
		store.reset()
		data := mustData[listing](t, postWithin(t, h, listingQuery, map[string]any{"n": n}))
		if got := len(data.Stakeholders.Edges); got != n {
			t.Fatalf("got %d stakeholders, want %d", got, n)
		}
		if got := store.snapshot(); !maps.Equal(got, want) {
			t.Errorf("%d stakeholders: got store calls %v, want %v", n, got, want)
		}
		checkListing(t, shippedStore(t), data)
	}
}

// checkListing compares what the batched loaders answered with the store
// asked one node at a time.
func checkListing(tb testing.TB, store domain.Store, data listing) {
	tb.Helper()
	ctx := context.Background()
	engagement := []domain.RelationType{domain.RelParticipatesIn, domain.RelFunds, domain.RelImplements, domain.RelSupports}
	for _, e := range data.Stakeholders.Edges {
		n := e.Node
		fields := []struct {
			name  string
			got   []listedRelation
			dir   domain.Direction
			types []domain.RelationType
		}{
			{"relations(direction: OUT)", n.Relations, domain.DirectionOut, nil},
			{"memberOf", n.MemberOf, domain.DirectionOut, []domain.RelationType{domain.RelMemberOf}},
			{"programmes", n.Programmes, domain.DirectionOut, engagement},
			{"attended", n.Attended, domain.DirectionOut, []domain.RelationType{domain.RelAttended, domain.RelChaired}},
			{"agreements", n.Agreements, domain.DirectionOut, []domain.RelationType{domain.RelPartyTo}},
			{"cooperatesWith", n.CooperatesWith, domain.DirectionBoth, []domain.RelationType{domain.RelCooperatesWith}},
			{"representedBy", n.RepresentedBy, domain.DirectionIn, []domain.RelationType{domain.RelRepresents}},
		}
		for _, f := range fields {
			rels, err := store.Relations(ctx, domain.RelationFilter{NodeIDs: []string{n.ID}, Direction: f.dir, Types: f.types})
			if err != nil {
				tb.Fatalf("Relations(%s): %v", n.ID, err)
			}
			var want []string
			for _, r := range rels {
				other := r.To
				if other == n.ID {
					other = r.From
				}
				if f.name == "programmes" && !slices.Contains([]string{"programme"}, kindPrefix(other)) {
					continue
				}
				want = append(want, r.ID)
			}
			var got []string
			for _, r := range f.got {
				got = append(got, r.ID)
				if r.Node.Name == "" || len(r.Evidence) == 0 {
					tb.Errorf("%s.%s: relation %s has node %+v and %d evidence, want a named node and evidence",
						n.ID, f.name, r.ID, r.Node, len(r.Evidence))
				}
				for _, ev := range r.Evidence {
					if ev.Source.Name == "" {
						tb.Errorf("%s.%s: relation %s cites a source without a name", n.ID, f.name, r.ID)
					}
				}
			}
			if !slices.Equal(got, want) {
				tb.Errorf("%s.%s: got relations %v, want %v", n.ID, f.name, got, want)
			}
		}
	}
}

func kindPrefix(id string) string {
	kind, _, err := domain.ParseID(id)
	if err != nil {
		return ""
	}
	return kind.Prefix()
}

// settledHandler serves store with loaders whose batches never go for a
// timer in a test's time: they go when the request's fields have settled.
func settledHandler(store domain.Store) http.Handler {
	return graph.NewHandler(store, graph.HandlerOptions{
		ComplexityLimit: 10_000_000, LoaderMaxWait: time.Hour, RequestTimeout: time.Hour})
}

// postWithin posts query and fails if no answer comes within a generous
// watchdog: a batch waiting for a field that never runs would hang.
func postWithin(tb testing.TB, h http.Handler, query string, vars map[string]any) response {
	tb.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return serveWithin(tb, h, req)
}

// getWithin is postWithin by GET.
func getWithin(tb testing.TB, h http.Handler, query string, vars map[string]any) response {
	tb.Helper()
	params := url.Values{"query": {query}}
	if vars != nil {
		b, _ := json.Marshal(vars)
		params.Set("variables", string(b))
	}
	return serveWithin(tb, h, httptest.NewRequest(http.MethodGet, "/graphql?"+params.Encode(), nil))
}

func serveWithin(tb testing.TB, h http.Handler, req *http.Request) response {
	tb.Helper()
	const watchdog = 20 * time.Second
	done := make(chan *httptest.ResponseRecorder, 1)
	go func() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		done <- w
	}()
	select {
	case w := <-done:
		return decode(tb, w)
	case <-time.After(watchdog):
		tb.Fatalf("no answer to %s %s within %s: a loader batch waits for fields that never run", req.Method, req.URL, watchdog)
		return response{}
	}
}

func TestSiblingFieldsShareOneBatch(t *testing.T) {
	// However many sibling stakeholders ask for their relations, one
	// Related call before execution brings the roots, their relations, the
	// other ends and the sources.
	const fields = `{ id relations { type node { id name } evidence { quote source { name } } } }`
	ids := []string{"country:spain", "country:ecuador", "country:germany", "country:austria", "country:belgium"}
	for _, n := range []int{1, 2, len(ids)} {
		store := newCountingStore(shippedStore(t))
		h := settledHandler(store)
		var q strings.Builder
		q.WriteString("{")
		for i, id := range ids[:n] {
			fmt.Fprintf(&q, " s%d: stakeholder(id: %q) %s", i, id, fields)
		}
		q.WriteString(" }")
		data := mustData[map[string]struct {
			ID        string
			Relations []listedRelation
		}](t, postWithin(t, h, q.String(), nil))
		if len(data) != n {
			t.Fatalf("%d siblings: got %d stakeholders, want %d", n, len(data), n)
		}
		for _, s := range data {
			if len(s.Relations) == 0 {
				t.Errorf("%d siblings: %s has no relations, want some", n, s.ID)
			}
		}
		want := map[string]int{"Related": 1}
		if got := store.snapshot(); !maps.Equal(got, want) {
			t.Errorf("%d siblings: got store calls %v, want %v", n, got, want)
		}
	}
}

func TestBatchesSettleOnEveryShape(t *testing.T) {
	// A batch waits until every field the request will run has started and
	// is done or waiting. Shapes whose objects run no field, or fewer than
	// they select, must not leave it waiting for ever.
	h := settledHandler(shippedStore(t))
	const rel = `relations(direction: OUT) { id node { id } evidence { source { name } } }`
	for _, tc := range []struct {
		name, query string
		wantCode    string // the error code a field answers, if any
	}{
		{"objects with only __typename", `{ search(query: "europol") { node { __typename } } s: stakeholder(id: "country:spain") { ` + rel + ` } }`, ""},
		{"fragments of other types", `{ search(query: "europol") { node { ... on Person { title } } } s: stakeholder(id: "country:spain") { ` + rel + ` } }`, ""},
		{"skipped and included fields", `{ stakeholders(first: 5) { edges { node { id skipped: relations @skip(if: true) { id } ... on Country { ` + rel + ` } a: relations @include(if: false) { id } } } } }`, ""},
		{"nested relations", `{ stakeholder(id: "country:ecuador") { relations { node { ... on Stakeholder { ` + rel + ` } } } } }`, ""},
		{"a failing sibling", `{ a: stakeholder(id: "country:nowhere") { id } b: stakeholder(id: "country:spain") { ` + rel + ` } }`, "ENOTFOUND"},
		{"timeline sentences", `{ timeline(actor: "country:ecuador", first: 20) { date sentence event { name } } }`, ""},
		{"neighbourhood", `{ neighborhood(id: "country:ecuador", depth: 2) { nodes { id } edges { id evidence { source { name } } } } }`, ""},
		{"introspection", `{ __schema { types { name fields { name } } } }`, ""},
		{"null node", `{ node(id: "country:nowhere") { id ... on Country { ` + rel + ` } } }`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := postWithin(t, h, tc.query, nil)
			var codes []string
			for _, e := range resp.Errors {
				codes = append(codes, e.code())
			}
			switch {
			case tc.wantCode == "" && len(codes) > 0:
				t.Errorf("got errors %+v, want none", resp.Errors)
			case tc.wantCode != "" && !slices.Equal(codes, []string{tc.wantCode}):
				t.Errorf("got error codes %v, want [%s]", codes, tc.wantCode)
			}
		})
	}
}
