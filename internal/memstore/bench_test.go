package memstore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/storetest"
)

// BenchmarkPathModes times each path mode on the shipped data at its
// largest bounds, between two nodes far enough apart to have many paths.
func BenchmarkPathModes(b *testing.B) {
	s := openMemstore(b, storetest.ShippedGraph(b))
	ctx := context.Background()
	for _, q := range []domain.PathQuery{
		{Mode: domain.PathShortest, MaxHops: domain.MaxPathHops, Limit: domain.MaxPageSize},
		{Mode: domain.PathKShortest, MaxHops: domain.MaxSimplePathHops, Limit: 10},
		{Mode: domain.PathKShortest, MaxHops: domain.MaxSimplePathHops, Limit: domain.MaxPageSize},
		{Mode: domain.PathAllSimple, MaxHops: domain.MaxSimplePathHops, Limit: domain.MaxPageSize},
	} {
		q.From, q.To = "country:hungary", "programme:seacop"
		b.Run(string(q.Mode)+"/limit="+fmt.Sprint(q.Limit), func(b *testing.B) {
			for b.Loop() {
				paths, err := s.Paths(ctx, q)
				if err != nil || len(paths) == 0 {
					b.Fatalf("got %d paths, error %v", len(paths), err)
				}
			}
		})
	}
}
