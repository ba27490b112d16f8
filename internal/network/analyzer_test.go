package network_test

import (
	"context"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/memstore"
	"github.com/stakegraph/stakegraph/internal/network"
)

func shipped(tb testing.TB) *domain.Graph {
	tb.Helper()
	g, err := dataset.Shipped()
	if err != nil {
		tb.Fatal(err)
	}
	return g
}

// countingStore counts Graph calls on a real store and reports a version
// the test can change.
type countingStore struct {
	domain.Store
	graphCalls atomic.Int64
	mu         sync.Mutex
	version    string
	onGraph    func() // runs inside Graph, before the real call
}

func newCountingStore(tb testing.TB) *countingStore {
	tb.Helper()
	s, err := memstore.New(shipped(tb))
	if err != nil {
		tb.Fatal(err)
	}
	return &countingStore{Store: s, version: "v1"}
}

func (s *countingStore) Graph(ctx context.Context, q domain.GraphQuery) (*domain.Subgraph, error) {
	s.graphCalls.Add(1)
	if s.onGraph != nil {
		s.onGraph()
	}
	return s.Store.Graph(ctx, q)
}

func (s *countingStore) Version(context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.version, nil
}

func (s *countingStore) setVersion(v string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.version = v
}

func TestAnalyzerCache(t *testing.T) {
	ctx := context.Background()
	store := newCountingStore(t)
	a := network.NewAnalyzer(store)
	calls := func() int64 { return store.graphCalls.Load() }
	steps := []struct {
		name string
		run  func() error
		want int64 // Graph calls so far
	}{
		{"first centrality", func() error {
			_, err := a.Centrality(ctx, network.CentralityQuery{Measure: network.Betweenness})
			return err
		}, 1},
		{"same query", func() error {
			_, err := a.Centrality(ctx, network.CentralityQuery{Measure: network.Betweenness})
			return err
		}, 1},
		{"same query, other page size", func() error {
			_, err := a.Centrality(ctx, network.CentralityQuery{Measure: network.Betweenness, First: 5})
			return err
		}, 1},
		{"default kinds spelled out, in another order", func() error {
			kinds := slices.Clone(network.DefaultKinds)
			slices.Reverse(kinds)
			_, err := a.Centrality(ctx, network.CentralityQuery{Measure: network.Betweenness, Kinds: kinds})
			return err
		}, 1},
		{"other measure", func() error {
			_, err := a.Centrality(ctx, network.CentralityQuery{Measure: network.Degree})
			return err
		}, 2},
		{"other asOf", func() error {
			_, err := a.Centrality(ctx, network.CentralityQuery{Measure: network.Degree, AsOf: "2020"})
			return err
		}, 3},
		{"brokerage", func() error {
			_, err := a.Brokerage(ctx, network.BrokerageQuery{})
			return err
		}, 4},
		{"brokerage again", func() error {
			_, err := a.Brokerage(ctx, network.BrokerageQuery{GroupBy: network.GroupBySide, First: 3})
			return err
		}, 4},
		{"new data version", func() error {
			store.setVersion("v2")
			_, err := a.Centrality(ctx, network.CentralityQuery{Measure: network.Betweenness})
			return err
		}, 5},
		{"new version cached", func() error {
			r, err := a.Centrality(ctx, network.CentralityQuery{Measure: network.Betweenness})
			if err == nil && r.DataVersion != "v2" {
				t.Errorf("data version: got %q, want v2", r.DataVersion)
			}
			return err
		}, 5},
	}
	for _, step := range steps {
		if err := step.run(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if got := calls(); got != step.want {
			t.Errorf("%s: got %d Graph calls, want %d", step.name, got, step.want)
		}
	}
}

func TestAnalyzerCacheIsBounded(t *testing.T) {
	ctx := context.Background()
	store := newCountingStore(t)
	a := network.NewAnalyzerSize(store, 2)
	query := func(m network.Measure) {
		t.Helper()
		if _, err := a.Centrality(ctx, network.CentralityQuery{Measure: m}); err != nil {
			t.Fatal(err)
		}
	}
	query(network.Degree)
	query(network.Closeness)
	query(network.Eigenvector) // evicts DEGREE, the oldest
	query(network.Eigenvector)
	query(network.Closeness)
	if got := store.graphCalls.Load(); got != 3 {
		t.Errorf("got %d Graph calls, want 3", got)
	}
	query(network.Degree)
	if got := store.graphCalls.Load(); got != 4 {
		t.Errorf("after evicted query: got %d Graph calls, want 4", got)
	}
}

func TestAnalyzerVersionChangesDuringCompute(t *testing.T) {
	store := newCountingStore(t)
	var once sync.Once
	store.onGraph = func() { once.Do(func() { store.setVersion("v2") }) }
	a := network.NewAnalyzer(store)
	r, err := a.Centrality(context.Background(), network.CentralityQuery{Measure: network.Degree})
	if err != nil {
		t.Fatal(err)
	}
	if r.DataVersion != "v2" {
		t.Errorf("data version: got %q, want v2 (the data the scores were computed on)", r.DataVersion)
	}
	if got := store.graphCalls.Load(); got != 2 {
		t.Errorf("got %d Graph calls, want 2 (one discarded, one kept)", got)
	}
}

func TestAnalyzerConcurrent(t *testing.T) {
	store := newCountingStore(t)
	// A cache of 2 makes calls evict each other's entries while others read.
	a := network.NewAnalyzerSize(store, 2)
	var wg sync.WaitGroup
	results := make([][]network.Score, 16)
	for i := range results {
		wg.Go(func() {
			m := []network.Measure{network.Degree, network.PageRank, network.Betweenness}[i%3]
			r, err := a.Centrality(context.Background(), network.CentralityQuery{Measure: m, First: 100})
			if err != nil {
				t.Error(err)
				return
			}
			results[i] = r.Scores
		})
	}
	wg.Wait()
	for i := range results {
		if j := i % 3; !slices.Equal(results[i], results[j]) {
			t.Errorf("call %d differs from call %d with the same measure", i, j)
		}
	}
}

func TestAnalyzerValidation(t *testing.T) {
	store := newCountingStore(t)
	a := network.NewAnalyzer(store)
	ctx := context.Background()
	centrality := []struct {
		name string
		q    network.CentralityQuery
	}{
		{"unknown measure", network.CentralityQuery{Measure: "KATZ"}},
		{"no measure", network.CentralityQuery{}},
		{"first too large", network.CentralityQuery{Measure: network.Degree, First: 101}},
		{"first negative", network.CentralityQuery{Measure: network.Degree, First: -1}},
		{"topic not a topic", network.CentralityQuery{Measure: network.Degree, Topic: "country:spain"}},
		{"topic not an id", network.CentralityQuery{Measure: network.Degree, Topic: "maritime"}},
		{"unknown kind", network.CentralityQuery{Measure: network.Degree, Kinds: []domain.Kind{"Ship"}}},
		{"bad date", network.CentralityQuery{Measure: network.Degree, AsOf: "2023-13"}},
	}
	for _, tc := range centrality {
		_, err := a.Centrality(ctx, tc.q)
		if domain.ErrorCode(err) != domain.EINVALID || domain.ErrorMessage(err) == "" {
			t.Errorf("centrality %s: got %v, want EINVALID with a message", tc.name, err)
		}
	}
	brokerage := []struct {
		name string
		q    network.BrokerageQuery
	}{
		{"unknown grouping", network.BrokerageQuery{GroupBy: "REGION"}},
		{"first too large", network.BrokerageQuery{First: 1000}},
		{"bad date", network.BrokerageQuery{AsOf: "23-09"}},
	}
	for _, tc := range brokerage {
		_, err := a.Brokerage(ctx, tc.q)
		if domain.ErrorCode(err) != domain.EINVALID || domain.ErrorMessage(err) == "" {
			t.Errorf("brokerage %s: got %v, want EINVALID with a message", tc.name, err)
		}
	}
	if got := store.graphCalls.Load(); got != 0 {
		t.Errorf("invalid queries reached the store: %d Graph calls", got)
	}
}

func TestAnalyzerStoreError(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s, err := memstore.New(shipped(t))
	if err != nil {
		t.Fatal(err)
	}
	a := network.NewAnalyzer(s)
	if _, err := a.Centrality(ctx, network.CentralityQuery{Measure: network.Degree}); err == nil {
		t.Error("centrality on a cancelled context: got no error")
	}
	if _, err := a.Brokerage(ctx, network.BrokerageQuery{}); err == nil {
		t.Error("brokerage on a cancelled context: got no error")
	}
}

func TestCentralityShipped(t *testing.T) {
	g := shipped(t)
	s, err := memstore.New(g)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	sub, err := s.Graph(ctx, domain.GraphQuery{Kinds: network.DefaultKinds})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range network.Measures {
		t.Run(string(m), func(t *testing.T) {
			r, err := network.Centrality(context.Background(), sub, m, 0)
			if err != nil {
				t.Fatal(err)
			}
			if r.NodeCount != len(sub.Nodes) || len(r.Scores) != len(sub.Nodes) {
				t.Fatalf("got %d nodes, %d scores, want %d", r.NodeCount, len(r.Scores), len(sub.Nodes))
			}
			var sum float64
			for i, sc := range r.Scores {
				sum += sc.Score
				if sc.Score < 0 || sc.Score > 1 || math.IsNaN(sc.Score) {
					t.Errorf("%s: score %v outside 0–1", sc.Node.ID, sc.Score)
				}
				if sc.Node.Kind == domain.KindSource {
					t.Errorf("%s: a source is ranked by default", sc.Node.ID)
				}
				higher := 0
				for _, o := range r.Scores {
					if o.Score > sc.Score {
						higher++
					}
				}
				if sc.Rank != higher+1 {
					t.Errorf("%s: rank %d, want %d (1 + %d higher scores)", sc.Node.ID, sc.Rank, higher+1, higher)
				}
				if i > 0 {
					prev := r.Scores[i-1]
					if prev.Score < sc.Score || (prev.Score == sc.Score && prev.Node.ID >= sc.Node.ID) {
						t.Errorf("%s (%v) follows %s (%v): want score descending, then ID", sc.Node.ID, sc.Score, prev.Node.ID, prev.Score)
					}
				}
			}
			if m == network.PageRank && math.Abs(sum-1) > 1e-6 {
				t.Errorf("PageRank scores sum to %v, want 1", sum)
			}
			if top := r.Scores[0].Score; (m == network.Eigenvector || m == network.Closeness) && top == 0 {
				t.Errorf("top score is 0")
			}
			// Run to run, and on a copy of the graph listed in another
			// order, the answer is the same.
			shuffled := &domain.Subgraph{Nodes: slices.Clone(sub.Nodes), Relations: slices.Clone(sub.Relations)}
			slices.Reverse(shuffled.Nodes)
			slices.Reverse(shuffled.Relations)
			for range 3 {
				again, err := network.Centrality(context.Background(), shuffled, m, 0)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(again.Scores, r.Scores) {
					t.Fatalf("second run differs")
				}
			}
		})
	}
}

func TestCentralityShippedDegreeByHand(t *testing.T) {
	g := shipped(t)
	a := network.NewAnalyzer(mustStore(t, g))
	r, err := a.Centrality(context.Background(), network.CentralityQuery{Measure: network.Degree, First: 100})
	if err != nil {
		t.Fatal(err)
	}
	kind := map[string]domain.Kind{}
	for _, n := range g.Nodes {
		kind[n.ID] = n.Kind
	}
	neighbours := map[string]map[string]bool{}
	n := 0
	for _, node := range g.Nodes {
		if node.Kind != domain.KindSource {
			n++
			neighbours[node.ID] = map[string]bool{}
		}
	}
	for _, rel := range g.Relations {
		if kind[rel.From] != domain.KindSource && kind[rel.To] != domain.KindSource {
			neighbours[rel.From][rel.To], neighbours[rel.To][rel.From] = true, true
		}
	}
	if r.NodeCount != n {
		t.Errorf("node count: got %d, want %d", r.NodeCount, n)
	}
	for _, sc := range r.Scores {
		want := float64(len(neighbours[sc.Node.ID])) / float64(n-1)
		if math.Abs(sc.Score-want) > tol {
			t.Errorf("%s: got %v, want %v", sc.Node.ID, sc.Score, want)
		}
	}
}

func mustStore(tb testing.TB, g *domain.Graph) domain.Store {
	tb.Helper()
	s, err := memstore.New(g)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func TestCentralityFilters(t *testing.T) {
	g := shipped(t)
	a := network.NewAnalyzer(mustStore(t, g))
	ctx := context.Background()
	kind := map[string]domain.Kind{}
	for _, n := range g.Nodes {
		kind[n.ID] = n.Kind
	}
	const asOf = "2015"
	active := 0
	for _, r := range g.Relations {
		if kind[r.From] != domain.KindSource && kind[r.To] != domain.KindSource && r.ActiveAt(asOf) {
			active++
		}
	}
	all, err := a.Centrality(ctx, network.CentralityQuery{Measure: network.Betweenness})
	if err != nil {
		t.Fatal(err)
	}
	then, err := a.Centrality(ctx, network.CentralityQuery{Measure: network.Betweenness, AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	if then.EdgeCount != active || then.EdgeCount >= all.EdgeCount {
		t.Errorf("asOf %s: got %d edges (all: %d), want %d", asOf, then.EdgeCount, all.EdgeCount, active)
	}
	if slices.Equal(then.Scores, all.Scores) {
		t.Errorf("asOf %s: same ranking as without asOf", asOf)
	}

	countries, err := a.Centrality(ctx, network.CentralityQuery{Measure: network.Degree, Kinds: []domain.Kind{domain.KindCountry, domain.KindOrganization}, First: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range countries.Scores {
		if sc.Node.Kind != domain.KindCountry && sc.Node.Kind != domain.KindOrganization {
			t.Errorf("kinds Country, Organization: got %s", sc.Node.ID)
		}
	}

	topic, err := a.Centrality(ctx, network.CentralityQuery{Measure: network.Degree, Topic: "topic:maritime-security", First: 100})
	if err != nil {
		t.Fatal(err)
	}
	if topic.EdgeCount == 0 || topic.EdgeCount >= all.EdgeCount {
		t.Errorf("topic: got %d edges, want some but fewer than %d", topic.EdgeCount, all.EdgeCount)
	}
}

// referenceBrokerage counts roles over every triple of actors, with ties
// derived from the whole graph's relations and shared venues.
func referenceBrokerage(g *domain.Graph, asOf domain.PartialDate) map[string][5]int {
	byID := map[string]*domain.Node{}
	for _, n := range g.Nodes {
		byID[n.ID] = n
	}
	tied := map[[2]string]bool{}
	venues := map[string]map[string]bool{} // actor → venues
	for _, r := range g.Relations {
		if !r.ActiveAt(asOf) {
			continue
		}
		from, to := byID[r.From], byID[r.To]
		if from.Kind.IsActor() && to.Kind.IsActor() {
			tied[[2]string{r.From, r.To}], tied[[2]string{r.To, r.From}] = true, true
		}
		if domain.IsEngagementOf(r, from, to) {
			if venues[r.From] == nil {
				venues[r.From] = map[string]bool{}
			}
			venues[r.From][r.To] = true
		}
	}
	isTied := func(a, b string) bool {
		if tied[[2]string{a, b}] {
			return true
		}
		for v := range venues[a] {
			if venues[b][v] {
				return true
			}
		}
		return false
	}
	sides := g.AssignSides()
	var actors []string
	for _, n := range g.Nodes {
		if n.Kind.IsActor() {
			actors = append(actors, n.ID)
		}
	}
	out := map[string][5]int{}
	for _, b := range actors {
		var roles [5]int
		for _, a := range actors {
			for _, c := range actors {
				if a == b || b == c || a == c || !isTied(a, b) || !isTied(b, c) || isTied(a, c) {
					continue
				}
				sa, sb, sc := sides[a], sides[b], sides[c]
				switch {
				case sa == sb && sb == sc:
					roles[0]++
				case sa == sc:
					roles[1]++
				case sb == sc:
					roles[2]++
				case sa == sb:
					roles[3]++
				default:
					roles[4]++
				}
			}
		}
		if roles != [5]int{} {
			out[b] = roles
		}
	}
	return out
}

func TestBrokerageShipped(t *testing.T) {
	g := shipped(t)
	a := network.NewAnalyzer(mustStore(t, g))
	ctx := context.Background()
	sides := g.AssignSides()
	for _, asOf := range []domain.PartialDate{"", "2015", "2023-09-27"} {
		got, err := a.Brokerage(ctx, network.BrokerageQuery{AsOf: asOf, First: 100})
		if err != nil {
			t.Fatal(err)
		}
		want := referenceBrokerage(g, asOf)
		if len(got) != min(len(want), 100) {
			t.Errorf("asOf %q: got %d brokers, want %d", asOf, len(got), len(want))
		}
		for i, s := range got {
			roles := [5]int{s.Coordinator, s.Itinerant, s.Gatekeeper, s.Representative, s.Liaison}
			if roles != want[s.Node.ID] {
				t.Errorf("asOf %q: %s: got %v, want %v", asOf, s.Node.ID, roles, want[s.Node.ID])
			}
			if s.Side != sides[s.Node.ID] {
				t.Errorf("asOf %q: %s: side %s, want %s", asOf, s.Node.ID, s.Side, sides[s.Node.ID])
			}
			if s.Gatekeeper != s.Representative {
				t.Errorf("asOf %q: %s: gatekeeper %d ≠ representative %d on undirected ties", asOf, s.Node.ID, s.Gatekeeper, s.Representative)
			}
			if i > 0 {
				prev := got[i-1]
				if prev.Total() < s.Total() || (prev.Total() == s.Total() && prev.Node.ID >= s.Node.ID) {
					t.Errorf("asOf %q: %s (%d) follows %s (%d): want total descending, then ID", asOf, s.Node.ID, s.Total(), prev.Node.ID, prev.Total())
				}
			}
		}
	}
	early, err := a.Brokerage(ctx, network.BrokerageQuery{AsOf: "2015", First: 100})
	if err != nil {
		t.Fatal(err)
	}
	now, err := a.Brokerage(ctx, network.BrokerageQuery{First: 100})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(early, now) {
		t.Error("asOf 2015 gives the same brokerage as all time")
	}
	top, err := a.Brokerage(ctx, network.BrokerageQuery{First: 3})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(top, now[:3]) {
		t.Errorf("first 3: got %v, want the head of the full list", top)
	}
}
