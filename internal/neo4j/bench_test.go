package neo4j_test

import (
	"cmp"
	"context"
	"slices"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/storetest"
)

// BenchmarkPathsWorstCase runs every path mode at the longest bound the
// enumerating modes allow between the two best-connected nodes of the
// shipped data that have the most simple paths between them: the heaviest
// path query a request can make, which must stay far inside the request
// timeout.
func BenchmarkPathsWorstCase(b *testing.B) {
	g := storetest.ShippedGraph(b)
	s := seeded(b, g)
	from, to, n := busiestPair(g, 12, domain.MaxSimplePathHops)
	b.Logf("%s to %s: %d simple paths up to %d hops", from, to, n, domain.MaxSimplePathHops)
	ctx := context.Background()
	for _, mode := range []domain.PathMode{domain.PathShortest, domain.PathKShortest, domain.PathAllSimple} {
		b.Run(string(mode), func(b *testing.B) {
			q := domain.PathQuery{From: from, To: to, MaxHops: domain.MaxSimplePathHops, Limit: domain.MaxPageSize, Mode: mode}
			for b.Loop() {
				if _, err := s.Paths(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// busiestPair returns, among the top nodes of highest degree, the pair with
// the most simple paths of at most maxHops relations, and that count.
func busiestPair(g *domain.Graph, top, maxHops int) (from, to string, most int) {
	adjacent := map[string][]string{}
	for _, r := range g.Relations {
		adjacent[r.From] = append(adjacent[r.From], r.To)
		adjacent[r.To] = append(adjacent[r.To], r.From)
	}
	var hubs []string
	for id := range adjacent {
		hubs = append(hubs, id)
	}
	slices.SortFunc(hubs, func(a, b string) int {
		return cmp.Or(cmp.Compare(len(adjacent[b]), len(adjacent[a])), cmp.Compare(a, b))
	})
	hubs = hubs[:min(top, len(hubs))]
	count := func(a, b string) int {
		n := 0
		on := map[string]bool{a: true}
		var walk func(id string, hops int)
		walk = func(id string, hops int) {
			if id == b {
				n++
				return
			}
			if hops == maxHops {
				return
			}
			for _, o := range adjacent[id] { // one entry per relation: parallel relations count apart
				if !on[o] {
					on[o] = true
					walk(o, hops+1)
					on[o] = false
				}
			}
		}
		walk(a, 0)
		return n
	}
	for i, a := range hubs {
		for _, b := range hubs[i+1:] {
			if n := count(a, b); n > most {
				from, to, most = a, b, n
			}
		}
	}
	return from, to, most
}
