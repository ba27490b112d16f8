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
		// "Paths" is mode SHORTEST; its name is kept so earlier runs compare.
		{"Paths", func() error {
			_, err := s.Paths(ctx, domain.PathQuery{From: "country:hungary", To: "programme:seacop", MaxHops: 6, Limit: 20})
			return err
		}},
		{"PathsKShortest", func() error {
			_, err := s.Paths(ctx, domain.PathQuery{From: "country:hungary", To: "programme:seacop", MaxHops: 4, Limit: 20, Mode: domain.PathKShortest})
			return err
		}},
		{"PathsAllSimple", func() error {
			_, err := s.Paths(ctx, domain.PathQuery{From: "country:hungary", To: "programme:seacop", MaxHops: 4, Limit: 50, Mode: domain.PathAllSimple})
			return err
		}},
		{"PathsScoped", func() error {
			_, err := s.Paths(ctx, domain.PathQuery{From: "country:spain", To: "country:ecuador", MaxHops: 4, Limit: 20, Mode: domain.PathKShortest,
				Topics: []string{"topic:organised-crime"}, AsOf: "2023-10-27", Avoid: []string{"organization:europol"}})
			return err
		}},
		{"NeighborhoodScoped", func() error {
			_, err := s.Neighborhood(ctx, domain.NeighborhoodQuery{Root: "country:ecuador", Depth: 2, Topic: "topic:organised-crime", AsOf: "2023-09-27"})
			return err
		}},
		{"Graph", func() error { _, err := s.Graph(ctx, domain.GraphQuery{}); return err }},
		{"GraphScoped", func() error {
			_, err := s.Graph(ctx, domain.GraphQuery{Topic: "topic:maritime-security", AsOf: "2023-09-27"})
			return err
		}},
		{"Cooperation", func() error {
			_, err := s.Cooperation(ctx, domain.CooperationQuery{Actor: "country:ecuador"})
			return err
		}},
		{"CooperationAsOf", func() error {
			_, err := s.Cooperation(ctx, domain.CooperationQuery{Actor: "country:ecuador", AsOf: "2023-10-27"})
			return err
		}},
		{"CooperationRollUp", func() error {
			_, err := s.Cooperation(ctx, domain.CooperationQuery{Actor: "country:ecuador", RollUp: true})
			return err
		}},
		{"CommonConnectionsRollUp", func() error {
			_, err := s.CommonConnections(ctx, domain.CommonConnectionsQuery{IDs: []string{"country:spain", "country:ecuador"}, RollUp: true, First: domain.DefaultPageSize})
			return err
		}},
		{"CommonConnections", func() error {
			_, err := s.CommonConnections(ctx, domain.CommonConnectionsQuery{IDs: []string{"country:spain", "country:ecuador", "country:hungary"}})
			return err
		}},
		{"CoParticipation", func() error {
			_, err := s.CoParticipation(ctx, domain.CoParticipationQuery{First: domain.MaxPageSize})
			return err
		}},
		{"CoParticipationTopic", func() error {
			_, err := s.CoParticipation(ctx, domain.CoParticipationQuery{Topic: "topic:organised-crime", AsOf: "2023-10-27"})
			return err
		}},
		{"Timeline", func() error {
			_, err := s.Timeline(ctx, domain.TimelineQuery{First: domain.MaxPageSize})
			return err
		}},
		{"TimelineActor", func() error {
			_, err := s.Timeline(ctx, domain.TimelineQuery{Actor: "country:ecuador", From: "2023", To: "2024"})
			return err
		}},
		{"Version", func() error { _, err := s.Version(ctx); return err }},
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
