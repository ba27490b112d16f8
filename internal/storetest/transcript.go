package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// Transcript runs a fixed battery of queries over every node of g and renders
// the answers, in full, one per line. Two stores holding g conform when their
// transcripts are equal; Compare reports where they differ.
func Transcript(tb testing.TB, s domain.Store, g *domain.Graph) []string {
	tb.Helper()
	ctx := context.Background()
	var lines []string
	emit := func(query string, answer any, err error) {
		if err != nil {
			answer = fmt.Sprintf("error %s: %s", domain.ErrorCode(err), domain.ErrorMessage(err))
		}
		lines = append(lines, query+" => "+fmt.Sprint(answer))
	}
	ref := newReference(g)
	var actors, countries []string
	for _, n := range ref.nodes {
		if n.Kind.IsActor() {
			actors = append(actors, n.ID)
		}
		if n.Kind == domain.KindCountry {
			countries = append(countries, n.ID)
		}
	}

	for _, n := range ref.nodes {
		got, err := s.Node(ctx, n.ID)
		emit("node "+n.ID, renderNode(got), err)

		hits, err := s.Search(ctx, domain.SearchQuery{Text: n.Name, First: 5})
		emit("search "+n.Name, renderHits(hits), err)

		rels, err := s.Relations(ctx, domain.RelationFilter{NodeIDs: []string{n.ID}})
		emit("relations "+n.ID, renderRelations(rels), err)

		for depth := 1; depth <= 2; depth++ {
			sub, err := s.Neighborhood(ctx, domain.NeighborhoodQuery{Root: n.ID, Depth: depth})
			emit(fmt.Sprintf("neighborhood %s %d", n.ID, depth), renderSubgraph(sub), err)
		}
	}
	for _, k := range domain.Kinds {
		page, err := s.FindNodes(ctx, domain.NodeFilter{Kinds: []domain.Kind{k}, First: domain.MaxPageSize})
		if err == nil {
			emit("find "+string(k), fmt.Sprint(page.Total, page.HasNextPage, nodeIDs(page.Nodes)), nil)
		} else {
			emit("find "+string(k), nil, err)
		}
	}
	for _, a := range actors {
		rows, err := s.Cooperation(ctx, domain.CooperationQuery{Actor: a})
		var rendered []string
		for _, r := range rows {
			rendered = append(rendered, renderCooperation(r))
		}
		emit("cooperation "+a, rendered, err)
	}
	// Paths between every pair of countries and from each country to each programme.
	var targets []string
	for _, n := range ref.nodes {
		if n.Kind == domain.KindCountry || n.Kind == domain.KindProgramme {
			targets = append(targets, n.ID)
		}
	}
	for _, from := range countries {
		for _, to := range targets {
			if from >= to && strings.HasPrefix(to, "country:") {
				continue
			}
			paths, err := s.Paths(ctx, domain.PathQuery{From: from, To: to, MaxHops: 4, Limit: 10})
			emit("paths "+from+" "+to, renderPaths(paths), err)
		}
	}
	return lines
}

// Compare fails tb when the transcripts differ, showing the first differences.
func Compare(tb testing.TB, got, want []string) {
	tb.Helper()
	if len(got) != len(want) {
		tb.Fatalf("transcript length: got %d lines, want %d", len(got), len(want))
	}
	shown := 0
	for i := range got {
		if got[i] != want[i] {
			tb.Errorf("line %d:\n got %s\nwant %s", i, got[i], want[i])
			if shown++; shown == 5 {
				tb.FailNow()
			}
		}
	}
}

func renderHits(hits []domain.SearchHit) string {
	parts := make([]string, len(hits))
	for i, h := range hits {
		parts[i] = fmt.Sprintf("%s=%g", h.Node.ID, h.Score)
	}
	return strings.Join(parts, " ")
}

func renderRelations(rels []*domain.Relation) string {
	parts := make([]string, len(rels))
	for i, r := range rels {
		parts[i] = renderRelation(r)
	}
	return strings.Join(parts, "; ")
}

func renderSubgraph(sub *domain.Subgraph) string {
	if sub == nil {
		return "<nil>"
	}
	return fmt.Sprint(nodeIDs(sub.Nodes), relationIDs(sub.Relations))
}

func renderPaths(paths []*domain.Path) string {
	parts := make([]string, len(paths))
	for i, p := range paths {
		parts[i] = fmt.Sprint(nodeIDs(p.Nodes), relationIDs(p.Relations))
	}
	return strings.Join(parts, " | ")
}
