package neo4j_test

import (
	"context"
	"testing"

	"github.com/stakegraph/stakegraph/internal/storetest"
	"github.com/stakegraph/stakegraph/internal/synth"
)

// TestRandomAnalysesMatchReference checks centrality (exact and sampled),
// brokerage and co-participation over what Neo4j returns against the
// brute-force references, on a generated graph.
func TestRandomAnalysesMatchReference(t *testing.T) {
	opts := synth.Options{Nodes: 150, Seed: 5, RelationsPerNode: 4}
	ds, err := synth.Generate(opts)
	if err != nil {
		t.Fatal(err)
	}
	s := seeded(t, ds.Graph)
	t.Cleanup(func() {
		// Leave the shipped data for the tests that follow.
		if err := s.Seed(context.Background(), storetest.ShippedGraph(t)); err != nil {
			t.Errorf("seeding the shipped data back: %v", err)
		}
	})
	storetest.RunRandomAnalyses(t, s, ds.Graph, opts.Seed, 6)
}
