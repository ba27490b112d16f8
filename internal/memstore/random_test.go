package memstore_test

import (
	"testing"

	"github.com/stakegraph/stakegraph/internal/memstore"
	"github.com/stakegraph/stakegraph/internal/storetest"
	"github.com/stakegraph/stakegraph/internal/synth"
)

// TestRandomQueriesMatchReference checks the store's indexes and bounded
// searches against the brute-force reference on generated graphs of a few
// sizes and shapes.
func TestRandomQueriesMatchReference(t *testing.T) {
	cases := []synth.Options{
		{Nodes: synth.MinNodes, Seed: 1},
		{Nodes: 120, Seed: 2, RelationsPerNode: 3},
		{Nodes: 200, Seed: 3, Skew: 1.2},
		{Nodes: 300, Seed: 4, RelationsPerNode: 6, LocalShare: 0.9},
	}
	for _, opts := range cases {
		ds, err := synth.Generate(opts)
		if err != nil {
			t.Fatal(err)
		}
		s, err := memstore.New(ds.Graph)
		if err != nil {
			t.Fatal(err)
		}
		storetest.RunRandom(t, s, ds.Graph, opts.Seed, 60)
	}
}
