package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
)

func pathName(q domain.PathQuery) string {
	return fmt.Sprintf("%s %s to %s hops %d limit %d types %v topics %v avoid %v asOf %q",
		q.Mode, q.From, q.To, q.MaxHops, q.Limit, q.RelationTypes, q.Topics, q.Avoid, q.AsOf)
}

// checkPaths compares a store's answer to q with the reference's.
func checkPaths(ctx context.Context, tb testing.TB, s domain.Store, ref *reference, q domain.PathQuery) {
	tb.Helper()
	paths, err := s.Paths(ctx, q)
	noErr(tb, err)
	valid := q
	noErr(tb, valid.Validate())
	for i, p := range paths {
		if err := ref.checkPath(p, valid); err != nil {
			tb.Errorf("path %d %s: %v", i, renderPath(p), err)
		}
		if err := ref.checkFull(p.Nodes, p.Relations); err != nil {
			tb.Errorf("path %d: %v", i, err)
		}
	}
	got := renderAll(paths, renderPath)
	want := renderAll(ref.paths(valid), renderPath)
	if !slices.Equal(got, want) {
		tb.Errorf("paths (%d, want %d):\n got %v\nwant %v", len(got), len(want), got, want)
	}
}

func testPaths(ctx context.Context, t *testing.T, s domain.Store, ref *reference) {
	cases := []domain.PathQuery{
		{From: "country:hungary", To: "programme:el-paccto", MaxHops: 4, Limit: 5},
		{From: "country:spain", To: "topic:maritime-security", MaxHops: 4, Limit: 100},
		{From: "person:ylva-johansson", To: "organization:europol", MaxHops: 6, Limit: 3},
		{From: "country:hungary", To: "programme:el-paccto", MaxHops: 4, Limit: 5,
			RelationTypes: []domain.RelationType{domain.RelAttended, domain.RelReviewed}},
		{From: "country:hungary", To: "programme:el-paccto", MaxHops: 1, Limit: 5},
		{From: "country:hungary", To: "programme:seacop", MaxHops: 6, Limit: 20},
		{From: "country:hungary", To: "programme:el-paccto", MaxHops: 4, Limit: 100, Mode: domain.PathKShortest},
		{From: "country:hungary", To: "programme:el-paccto", MaxHops: 3, Limit: 100, Mode: domain.PathAllSimple},
		{From: "country:hungary", To: "programme:el-paccto", MaxHops: 4, Limit: 7, Mode: domain.PathAllSimple},
		{From: "country:spain", To: "country:ecuador", MaxHops: 3, Limit: 50, Mode: domain.PathKShortest,
			Topics: []string{"topic:organised-crime", "topic:cyber-security"}},
		{From: "country:ecuador", To: "organization:europol", MaxHops: 2, Limit: 10, AsOf: "2023-09-27"},
		{From: "country:ecuador", To: "organization:europol", MaxHops: 2, Limit: 10, AsOf: "2023-10-27"},
		{From: "country:ecuador", To: "organization:europol", MaxHops: 2, Limit: 10, AsOf: "2023-10-26", Mode: domain.PathAllSimple},
		{From: "country:ecuador", To: "organization:europol", MaxHops: 3, Limit: 30, Mode: domain.PathKShortest,
			Avoid: []string{europolAgreement}},
		{From: "country:ecuador", To: "organization:europol", MaxHops: 4, Limit: 30, Mode: domain.PathAllSimple,
			Topics: []string{"topic:organised-crime"}, AsOf: "2023-10-27", Avoid: []string{"country:spain"}},
	}
	// Sweep: a spread of pairs over the actors and venues, in every mode,
	// unscoped, and with a topic, a date and an avoided node.
	var ends []string
	for _, n := range ref.nodes {
		if n.Kind.IsActor() || n.Kind.IsVenue() || n.Kind == domain.KindTopic {
			ends = append(ends, n.ID)
		}
	}
	topics := ref.nodesOfKind(domain.KindTopic)
	for i := 0; i < 48; i++ {
		from, to := ends[(i*37)%len(ends)], ends[(i*53+11)%len(ends)]
		if from == to {
			continue
		}
		base := domain.PathQuery{From: from, To: to}
		modes := []domain.PathQuery{
			{Mode: domain.PathShortest, MaxHops: 6, Limit: 20},
			{Mode: domain.PathKShortest, MaxHops: 4, Limit: 1 + i%15},
			{Mode: domain.PathAllSimple, MaxHops: 3 + i%2, Limit: 10 + i%30},
		}
		for _, m := range modes {
			q := base
			q.Mode, q.MaxHops, q.Limit = m.Mode, m.MaxHops, m.Limit
			cases = append(cases, q)
			scoped := q
			scoped.Topics = []string{topics[i%len(topics)], topics[(i+5)%len(topics)]}
			cases = append(cases, scoped)
			dated := q
			dated.AsOf = sweepDates[i%len(sweepDates)]
			cases = append(cases, dated)
			// Avoid the first inner node of the best unscoped answer, so the
			// avoid list changes what is found.
			valid := q
			if valid.Validate() == nil {
				if best := ref.paths(valid); len(best) > 0 && best[0].Length() > 1 {
					avoiding := q
					avoiding.Avoid = []string{best[0].Nodes[1].ID}
					cases = append(cases, avoiding)
				}
			}
		}
	}
	for _, q := range cases {
		t.Run(pathName(q), func(t *testing.T) { checkPaths(ctx, t, s, ref, q) })
	}
	t.Run("empty mode means shortest", func(t *testing.T) {
		q := domain.PathQuery{From: "country:hungary", To: "programme:seacop", MaxHops: 6, Limit: 20}
		plain, err := s.Paths(ctx, q)
		noErr(t, err)
		q.Mode = domain.PathShortest
		shortest, err := s.Paths(ctx, q)
		noErr(t, err)
		if got, want := renderAll(plain, renderPath), renderAll(shortest, renderPath); !slices.Equal(got, want) {
			t.Errorf("empty mode:\n got %v\nwant %v", got, want)
		}
	})
}
