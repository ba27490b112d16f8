package network_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/memstore"
	"github.com/stakegraph/stakegraph/internal/network"
	"github.com/stakegraph/stakegraph/internal/synth"
)

// stopAfter is a context that reports itself cancelled once Err has been
// asked `checks` times: a computation that stops on it asks while it runs,
// not only before it starts.
type stopAfter struct {
	context.Context
	left atomic.Int64
}

func newStopAfter(checks int64) *stopAfter {
	c := &stopAfter{Context: context.Background()}
	c.left.Store(checks)
	return c
}

func (c *stopAfter) Err() error {
	if c.left.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

func synthGraph(tb testing.TB, nodes int) *domain.Subgraph {
	tb.Helper()
	ds, err := synth.Generate(synth.Options{Nodes: nodes, Seed: 7})
	if err != nil {
		tb.Fatal(err)
	}
	s, err := memstore.New(ds.Graph)
	if err != nil {
		tb.Fatal(err)
	}
	sub, err := s.Graph(context.Background(), domain.GraphQuery{})
	if err != nil {
		tb.Fatal(err)
	}
	return sub
}

func TestAnalysesStopWhenCancelled(t *testing.T) {
	g := synthGraph(t, 300)
	for _, m := range network.Measures {
		// Degree is one pass over the ties and asks once, before it starts.
		checks := int64(2)
		if m == network.Degree {
			checks = 0
		}
		if _, err := network.Centrality(newStopAfter(checks), g, m, 0); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: got %v, want context.Canceled", m, err)
		}
		if _, err := network.Centrality(newStopAfter(1_000_000), g, m, 0); err != nil {
			t.Errorf("%s without cancelling: %v", m, err)
		}
	}
	if _, err := network.Brokerage(newStopAfter(2), g, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("brokerage: got %v, want context.Canceled", err)
	}
}

func TestCentralitySamplesLargeGraphs(t *testing.T) {
	g := synthGraph(t, 400)
	ctx := context.Background()
	for _, m := range network.Measures {
		exact, err := network.Centrality(ctx, g, m, 0)
		if err != nil {
			t.Fatal(err)
		}
		if exact.Approximate() || exact.SampledSources != 0 {
			t.Errorf("%s on %d nodes: approximate with %d sources, want exact", m, len(g.Nodes), exact.SampledSources)
		}
		// A budget of ten searches or a few more (parallel relations make
		// one tie): betweenness and closeness sample.
		limits := network.Limits{SearchBudget: 10 * (len(g.Nodes) + 2*len(g.Relations)), MinSources: 5, MaxNodes: len(g.Nodes)}
		r, err := network.CentralityWithin(ctx, g, m, 0, limits)
		if err != nil {
			t.Fatal(err)
		}
		sampled := m == network.Betweenness || m == network.Closeness
		if r.Approximate() != sampled || (sampled && (r.SampledSources < 10 || r.SampledSources > len(g.Nodes)/10)) {
			t.Errorf("%s: approximate %v from %d sources, want sampling (10 sources or a few more) only for betweenness and closeness",
				m, r.Approximate(), r.SampledSources)
		}
		again, err := network.CentralityWithin(ctx, g, m, 0, limits)
		if err != nil {
			t.Fatal(err)
		}
		for i := range r.Scores {
			if again.Scores[i] != r.Scores[i] {
				t.Fatalf("%s: a second run differs at rank %d: %+v, then %+v", m, i+1, r.Scores[i], again.Scores[i])
			}
		}
		limits.MaxNodes = len(g.Nodes) - 1
		_, err = network.CentralityWithin(ctx, g, m, 0, limits)
		if domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%s above MaxNodes: got %v, want EINVALID", m, err)
		}
	}
}

func TestBrokerageRefusesTooManyTies(t *testing.T) {
	// One venue engaging n actors ties every pair of them.
	n := 4_600 // n(n−1) > MaxBrokerageTies
	g := &domain.Subgraph{Nodes: []*domain.Node{{ID: "programme:p", Kind: domain.KindProgramme, Name: "p"}}}
	for i := range n {
		id := "person:" + string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676))
		g.Nodes = append(g.Nodes, &domain.Node{ID: id, Kind: domain.KindPerson, Name: id})
		g.Relations = append(g.Relations, &domain.Relation{ID: domain.RelationID(id, domain.RelParticipatesIn, "programme:p"),
			Type: domain.RelParticipatesIn, From: id, To: "programme:p"})
	}
	_, err := network.Brokerage(context.Background(), g, nil)
	if domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("got %v, want EINVALID", err)
	}
	t.Log(domain.ErrorMessage(err))
}
