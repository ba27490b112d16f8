package graph_test

import (
	"slices"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/memstore"
	"github.com/stakegraph/stakegraph/internal/storetest"
)

func TestNeighborhoodTruncated(t *testing.T) {
	store, err := memstore.New(storetest.FanOutGraph())
	if err != nil {
		t.Fatalf("memstore.New: %v", err)
	}
	h := graph.NewHandler(store, graph.HandlerOptions{})
	type subgraph struct {
		Nodes     []struct{ ID string }
		Truncated bool
		Capped    []string
		FanOutCap int
	}
	cases := []struct {
		query         string
		wantNodes     int
		wantTruncated bool
		wantCapped    []string
	}{
		{`{ s: neighborhood(id: "country:hub") { nodes { id } truncated capped fanOutCap } }`,
			domain.MaxFanOut + 1, true, []string{"country:hub"}},
		{`{ s: neighborhood(id: "country:hub", kinds: [Person]) { nodes { id } truncated capped fanOutCap } }`,
			6, false, []string{}},
		{`{ s: graph { nodes { id } truncated capped fanOutCap } }`,
			len(storetest.FanOutGraph().Nodes), false, []string{}},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			got := mustData[struct{ S subgraph }](t, post(t, h, c.query, nil)).S
			if len(got.Nodes) != c.wantNodes {
				t.Errorf("nodes: got %d, want %d", len(got.Nodes), c.wantNodes)
			}
			if got.Truncated != c.wantTruncated {
				t.Errorf("truncated: got %v, want %v", got.Truncated, c.wantTruncated)
			}
			if !slices.Equal(got.Capped, c.wantCapped) || got.Capped == nil {
				t.Errorf("capped: got %#v, want %#v", got.Capped, c.wantCapped)
			}
			if got.FanOutCap != domain.MaxFanOut {
				t.Errorf("fanOutCap: got %d, want %d", got.FanOutCap, domain.MaxFanOut)
			}
		})
	}
}
