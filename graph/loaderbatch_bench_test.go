package graph_test

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/graph"
)

// BenchmarkLoaderBatching measures a stakeholder query with its relations
// (one Related call looked ahead before execution) and a listing of 50
// stakeholders (its page, one Related call for the relations field, then
// the typed relation fields through the loaders): the median latency, and
// the store calls per request, which would grow if batches were split. The
// parallel cases run 16 requests at a time. Run with:
// go test -run '^$' -bench LoaderBatching ./graph
func BenchmarkLoaderBatching(b *testing.B) {
	const stakeholder = `{ stakeholder(id: "country:spain") { id name
		relations { type node { id name } evidence { quote source { name } } } } }`
	for _, q := range []struct {
		name  string
		query string
		vars  map[string]any
	}{
		{"stakeholder", stakeholder, nil},
		{"listing 50", listingQuery, map[string]any{"n": 50}},
	} {
		b.Run(q.name, func(b *testing.B) {
			store := newCountingStore(shippedStore(b))
			h := graph.NewHandler(store, graph.HandlerOptions{ComplexityLimit: 10_000_000})
			took := make([]time.Duration, b.N)
			for i := range b.N {
				start := time.Now()
				mustData[map[string]any](b, post(b, h, q.query, q.vars))
				took[i] = time.Since(start)
			}
			reportLatency(b, took, store)
		})
		b.Run(q.name+"/parallel 16", func(b *testing.B) {
			store := newCountingStore(shippedStore(b))
			h := graph.NewHandler(store, graph.HandlerOptions{ComplexityLimit: 10_000_000})
			var mu sync.Mutex
			var took []time.Duration
			b.SetParallelism(8) // 8 × GOMAXPROCS (2 here) = 16 at a time
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					start := time.Now()
					mustData[map[string]any](b, post(b, h, q.query, q.vars))
					d := time.Since(start)
					mu.Lock()
					took = append(took, d)
					mu.Unlock()
				}
			})
			reportLatency(b, took, store)
		})
	}
}

func reportLatency(b *testing.B, took []time.Duration, store *countingStore) {
	b.Helper()
	if len(took) == 0 {
		return
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(total(store.snapshot()))/float64(len(took)), "store-calls/op")
}
