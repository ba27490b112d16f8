package storetest

import (
	"context"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// Benchmark measures the store's queries on the shipped dataset, one
// sub-benchmark per query shape, so backends can be compared with
// benchstat: go test -run '^$' -bench . ./internal/memstore ./internal/neo4j
func Benchmark(b *testing.B, s domain.Store) {
	ctx := context.Background()
	queries := []struct {
		name string
		run  func() error
	}{
		{"Node", func() error { _, err := s.Node(ctx, "programme:el-paccto"); return err }},
		{"Search", func() error {
			_, err := s.Search(ctx, domain.SearchQuery{Text: "relaciones exteriores", First: 10})
			return err
		}},
		{"FindNodes", func() error {
			_, err := s.FindNodes(ctx, domain.NodeFilter{Kinds: []domain.Kind{domain.KindOrganization}, First: 50})
			return err
		}},
		{"Relations", func() error {
			_, err := s.Relations(ctx, domain.RelationFilter{NodeIDs: []string{"country:ecuador"}})
			return err
		}},
		{"NeighborhoodDepth1", func() error {
			_, err := s.Neighborhood(ctx, domain.NeighborhoodQuery{Root: "event:iii-round-table-2023", Depth: 1})
			return err
		}},
		{"NeighborhoodDepth3", func() error {
			_, err := s.Neighborhood(ctx, domain.NeighborhoodQuery{Root: "country:hungary", Depth: 3})
			return err
		}},
		{"Paths", func() error {
			_, err := s.Paths(ctx, domain.PathQuery{From: "country:hungary", To: "programme:seacop", MaxHops: 6, Limit: 20})
			return err
		}},
		{"Cooperation", func() error {
			_, err := s.Cooperation(ctx, domain.CooperationQuery{Actor: "country:ecuador"})
			return err
		}},
	}
	for _, q := range queries {
		b.Run(q.name, func(b *testing.B) {
			for b.Loop() {
				if err := q.run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
