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
	transcriptScoped(ctx, emit, s, ref)
	return lines
}

// transcriptScoped covers the scoped and analytical queries: neighborhoods
// by topic and date, graph selections, every path mode with topics, avoid
// and dates, cooperation by date, common connections, co-participation,
// timelines and the data version. It sweeps the graph so both stores are
// compared on many inputs, not a few.
func transcriptScoped(ctx context.Context, emit func(string, any, error), s domain.Store, ref *reference) {
	version, err := s.Version(ctx)
	emit("version", version, err)

	ids := ref.allIDs()
	actors := ref.actorIDs()
	topics := ref.nodesOfKind(domain.KindTopic)
	dates := []domain.PartialDate{"2019", "2023-09", "2023-09-27", "2023-10-26", "2023-10-27", "2024-03-12", "2026"}
	pick := func(list []string, i int) string {
		if len(list) == 0 {
			return ""
		}
		return list[i%len(list)]
	}
	// Neighborhoods of every node by topic and by date.
	for i, id := range ids {
		q := domain.NeighborhoodQuery{Root: id, Depth: 1 + i%2, Topic: pick(topics, i), AsOf: dates[i%len(dates)]}
		sub, err := s.Neighborhood(ctx, q)
		emit("neighborhood "+neighborhoodName(q), renderSubgraph(sub), err)
		q = domain.NeighborhoodQuery{Root: id, Depth: 2, AsOf: dates[(i+3)%len(dates)]}
		sub, err = s.Neighborhood(ctx, q)
		emit("neighborhood "+neighborhoodName(q), renderSubgraph(sub), err)
	}
	// Graph selections by date, by topic and by kind.
	graphs := []domain.GraphQuery{{}}
	for _, d := range dates {
		graphs = append(graphs, domain.GraphQuery{AsOf: d})
	}
	for i, topic := range topics {
		graphs = append(graphs, domain.GraphQuery{Topic: topic},
			domain.GraphQuery{Topic: topic, AsOf: dates[i%len(dates)], Kinds: []domain.Kind{domain.Kinds[i%len(domain.Kinds)], domain.KindTopic}})
	}
	for _, k := range domain.Kinds {
		graphs = append(graphs, domain.GraphQuery{Kinds: []domain.Kind{k}})
	}
	for _, q := range graphs {
		sub, err := s.Graph(ctx, q)
		emit(fmt.Sprintf("graph kinds %v types %v topic %q asOf %q", q.Kinds, q.RelationTypes, q.Topic, q.AsOf), renderSubgraph(sub), err)
	}
	// Paths in every mode between a spread of pairs, plain and scoped.
	for i := 0; i < 2*len(ids); i++ {
		from, to := ids[(i*31)%len(ids)], ids[(i*17+7)%len(ids)]
		if from == to {
			continue
		}
		queries := []domain.PathQuery{
			{Mode: domain.PathShortest, MaxHops: 6, Limit: 10},
			{Mode: domain.PathKShortest, MaxHops: 4, Limit: 1 + i%12},
			{Mode: domain.PathAllSimple, MaxHops: 3, Limit: 5 + i%20},
			{Mode: domain.PathShortest, MaxHops: 5, Limit: 10, Topics: []string{pick(topics, i)}, AsOf: dates[i%len(dates)]},
			{Mode: domain.PathKShortest, MaxHops: 4, Limit: 8, AsOf: dates[(i+2)%len(dates)], Avoid: avoidFor(ref, from, to, i)},
			{Mode: domain.PathAllSimple, MaxHops: 4, Limit: 15, Topics: []string{pick(topics, i), pick(topics, i+7)}},
		}
		for _, q := range queries {
			q.From, q.To = from, to
			paths, err := s.Paths(ctx, q)
			emit("paths "+pathName(q), renderPaths(paths), err)
		}
	}
	// Cooperation of every actor at a date.
	for i, a := range actors {
		q := domain.CooperationQuery{Actor: a, AsOf: dates[i%len(dates)]}
		rows, err := s.Cooperation(ctx, q)
		emit(fmt.Sprintf("cooperation %s asOf %q", q.Actor, q.AsOf), renderAll(rows, renderCooperation), err)
	}
	// Common connections of a spread of pairs and triples.
	for i := 0; i < len(actors); i++ {
		a, b, c := actors[i], pick(actors, i*7+3), pick(actors, i*11+5)
		queries := []domain.CommonConnectionsQuery{
			{IDs: []string{a, b}, First: domain.MaxPageSize},
			{IDs: []string{a, b, c}, AsOf: dates[i%len(dates)], First: 1 + i%6},
			{IDs: []string{c, a}, Kinds: []domain.Kind{domain.KindProgramme, domain.KindEvent, domain.KindAgreement}},
		}
		for _, q := range queries {
			rows, err := s.CommonConnections(ctx, q)
			emit(fmt.Sprintf("common %v kinds %v types %v asOf %q first %d", q.IDs, q.Kinds, q.RelationTypes, q.AsOf, q.First),
				renderAll(rows, renderCommonConnection), err)
		}
	}
	// Co-participation by kind, topic and date.
	coqs := []domain.CoParticipationQuery{{First: domain.MaxPageSize}}
	for _, k := range []domain.Kind{domain.KindCountry, domain.KindOrganization, domain.KindPerson} {
		coqs = append(coqs, domain.CoParticipationQuery{Kinds: []domain.Kind{k}, First: domain.MaxPageSize})
	}
	for i, topic := range topics {
		coqs = append(coqs, domain.CoParticipationQuery{Topic: topic, AsOf: dates[i%len(dates)], First: domain.MaxPageSize})
	}
	for _, d := range dates {
		coqs = append(coqs, domain.CoParticipationQuery{AsOf: d, First: 30})
	}
	for _, q := range coqs {
		rows, err := s.CoParticipation(ctx, q)
		emit(fmt.Sprintf("coParticipation kinds %v topic %q asOf %q first %d", q.Kinds, q.Topic, q.AsOf, q.First),
			renderAll(rows, renderCoParticipation), err)
	}
	// Timelines: the whole graph, every node, and date windows.
	tqs := []domain.TimelineQuery{{First: domain.MaxPageSize}}
	for i, id := range ids {
		tqs = append(tqs, domain.TimelineQuery{Actor: id, From: dates[i%len(dates)], First: domain.MaxPageSize})
	}
	for i, from := range dates {
		for _, to := range dates[i:] {
			tqs = append(tqs, domain.TimelineQuery{From: from, To: to, First: domain.MaxPageSize})
		}
	}
	for _, q := range tqs {
		entries, err := s.Timeline(ctx, q)
		emit("timeline "+timelineName(q), renderAll(entries, renderTimelineEntry), err)
	}
}

// avoidFor picks a node to avoid that is neither end of the path.
func avoidFor(ref *reference, from, to string, i int) []string {
	for j := range ref.nodes {
		if id := ref.nodes[(i+j)%len(ref.nodes)].ID; id != from && id != to {
			return []string{id}
		}
	}
	return nil
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
	return strings.Join(renderAll(paths, renderPath), " | ")
}
