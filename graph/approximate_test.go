package graph_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/internal/memstore"
	"github.com/stakegraph/stakegraph/internal/network"
	"github.com/stakegraph/stakegraph/internal/synth"
)

// TestCentralitySaysWhenApproximate checks that betweenness and closeness
// on a graph too large to search from every node answer approximate with
// the number of sources, and that exact answers say they are exact.
func TestCentralitySaysWhenApproximate(t *testing.T) {
	ds, err := synth.Generate(synth.Options{Nodes: 3000, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	large, err := memstore.New(ds.Graph)
	if err != nil {
		t.Fatal(err)
	}
	type ranking struct {
		NodeCount      int
		Approximate    bool
		SampledSources *int
		Scores         []struct{ Score float64 }
	}
	const q = `query($m: CentralityMeasure!) {
		centrality(measure: $m, first: 5) { nodeCount approximate sampledSources scores { score } } }`
	for _, tc := range []struct {
		name  string
		h     http.Handler
		large bool
	}{
		{"shipped", newHandler(t), false},
		// A generous deadline: this checks the answer's shape, not its speed,
		// and the race detector slows the search severalfold.
		{"3000 nodes", graph.NewHandler(large, graph.HandlerOptions{RequestTimeout: 5 * time.Minute}), true},
	} {
		name := tc.name
		for _, m := range network.Measures {
			r := mustData[struct{ Centrality ranking }](t, post(t, tc.h, q, map[string]any{"m": m})).Centrality
			sampled := tc.large && (m == network.Betweenness || m == network.Closeness)
			if r.Approximate != sampled || (r.SampledSources != nil) != sampled {
				t.Errorf("%s %s: approximate %v, sampledSources %v; want approximate %v with sources only then",
					name, m, r.Approximate, r.SampledSources, sampled)
				continue
			}
			if sampled && (*r.SampledSources < network.DefaultLimits.MinSources || *r.SampledSources >= r.NodeCount) {
				t.Errorf("%s %s: %d sampled sources of %d nodes, want at least %d and fewer than the nodes",
					name, m, *r.SampledSources, r.NodeCount, network.DefaultLimits.MinSources)
			}
			if len(r.Scores) != 5 || r.Scores[0].Score <= 0 {
				t.Errorf("%s %s: got scores %v, want 5 with the best above 0", name, m, r.Scores)
			}
		}
	}
}
