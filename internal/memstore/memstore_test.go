package memstore_test

import (
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/memstore"
	"github.com/stakegraph/stakegraph/internal/storetest"
)

func openMemstore(tb testing.TB, g *domain.Graph) domain.Store {
	tb.Helper()
	s, err := memstore.New(g)
	if err != nil {
		tb.Fatalf("memstore.New: %v", err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, openMemstore)
}

func TestNewRejectsBrokenGraphs(t *testing.T) {
	node := func(id, name string) *domain.Node {
		kind, _, _ := domain.ParseID(id)
		return &domain.Node{ID: id, Kind: kind, Name: name}
	}
	evidence := []domain.Evidence{{SourceID: "source:a", Quote: "q"}}
	rel := func(from, to string) *domain.Relation {
		return &domain.Relation{ID: domain.RelationID(from, domain.RelAttended, to), Type: domain.RelAttended,
			From: from, To: to, Confidence: domain.ConfidenceHigh, Evidence: evidence}
	}
	cases := []struct {
		name  string
		graph *domain.Graph
		code  string
	}{
		{"duplicate node", &domain.Graph{Nodes: []*domain.Node{node("country:spain", "Spain"), node("country:spain", "España")}}, domain.ECONFLICT},
		{"dangling relation", &domain.Graph{Nodes: []*domain.Node{node("country:spain", "Spain")},
			Relations: []*domain.Relation{rel("country:spain", "event:nowhere")}}, domain.EINVALID},
		{"relation without evidence", &domain.Graph{Nodes: []*domain.Node{node("country:spain", "Spain"), node("event:x", "X")},
			Relations: []*domain.Relation{{ID: "r", Type: domain.RelAttended, From: "country:spain", To: "event:x", Confidence: domain.ConfidenceHigh}}}, domain.EINVALID},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := memstore.New(c.graph)
			if got := domain.ErrorCode(err); got != c.code {
				t.Errorf("got code %q (%v), want %q", got, err, c.code)
			}
		})
	}
}

func BenchmarkQueries(b *testing.B) {
	storetest.Benchmark(b, openMemstore(b, storetest.ShippedGraph(b)))
}
