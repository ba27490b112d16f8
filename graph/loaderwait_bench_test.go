package graph_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/graph"
)

// BenchmarkLoaderWait measures a stakeholder query with its relations (one
// root lookup, then relations and their other ends through the loaders),
// and a listing of 50 stakeholders, for several loader waits: the median
// latency, and the store calls per request, which grow if a short wait
// splits batches. Run with: go test -run '^$' -bench LoaderWait ./graph
func BenchmarkLoaderWait(b *testing.B) {
	const stakeholder = `{ stakeholder(id: "country:spain") { id name
		relations { type node { id name } evidence { quote source { name } } } } }`
	for _, wait := range []time.Duration{graph.DefaultLoaderWait, 4 * time.Millisecond, time.Millisecond} {
		for _, q := range []struct {
			name  string
			query string
			vars  map[string]any
		}{
			{"stakeholder", stakeholder, nil},
			{"listing 50", listingQuery, map[string]any{"n": 50}},
		} {
			b.Run(fmt.Sprintf("%s/wait=%s", q.name, wait), func(b *testing.B) {
				store := newCountingStore(shippedStore(b))
				h := graph.NewHandler(store, graph.HandlerOptions{ComplexityLimit: 10_000_000, LoaderWait: wait})
				took := make([]time.Duration, b.N)
				for i := range b.N {
					start := time.Now()
					mustData[map[string]any](b, post(b, h, q.query, q.vars))
					took[i] = time.Since(start)
				}
				slices.Sort(took)
				b.ReportMetric(float64(took[b.N/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(total(store.snapshot()))/float64(b.N), "store-calls/op")
			})
		}
	}
}
