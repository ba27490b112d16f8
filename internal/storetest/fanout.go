package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// FanOutGraph has two hubs joined through one root, built to exercise
// domain.MaxFanOut:
//
//	root ─ hub   hub has MaxFanOut+5 organizations and 5 persons around it
//	root ─ hub2  hub2 has the last 55 of those organizations
//
// Relation IDs are "f-" and the slugs of their ends.
func FanOutGraph() *domain.Graph {
	const hub, hub2, root = "country:hub", "country:hub2", "country:root"
	g := &domain.Graph{Nodes: []*domain.Node{
		{ID: hub, Kind: domain.KindCountry, Name: "Hub"},
		{ID: hub2, Kind: domain.KindCountry, Name: "Hub two"},
		{ID: root, Kind: domain.KindCountry, Name: "Root"},
		{ID: "source:fan", Kind: domain.KindSource, Name: "Fan"},
	}}
	link := func(from, to string) {
		g.Relations = append(g.Relations, &domain.Relation{ID: "f-" + short(from) + "-" + short(to),
			Type: domain.RelCooperatesWith, From: from, To: to, Confidence: domain.ConfidenceLow,
			Evidence: []domain.Evidence{{SourceID: "source:fan", Quote: "fan"}}})
	}
	link(root, hub)
	link(root, hub2)
	for _, id := range fanOrganizations(0, domain.MaxFanOut+5) {
		g.Nodes = append(g.Nodes, &domain.Node{ID: id, Kind: domain.KindOrganization, Name: short(id), OrgType: domain.OrgGovernmentAgency})
		link(id, hub)
	}
	for _, id := range fanOrganizations(domain.MaxFanOut-50, domain.MaxFanOut+5) {
		link(id, hub2)
	}
	for i := range 5 {
		id := fmt.Sprintf("person:p%d", i)
		g.Nodes = append(g.Nodes, &domain.Node{ID: id, Kind: domain.KindPerson, Name: short(id)})
		link(id, hub)
	}
	return g
}

// fanOrganizations are the IDs organization:o000 … of FanOutGraph from
// number from up to, not including, number to.
func fanOrganizations(from, to int) []string {
	var ids []string
	for i := from; i < to; i++ {
		ids = append(ids, fmt.Sprintf("organization:o%03d", i))
	}
	return ids
}

func testFanOut(ctx context.Context, t *testing.T, open OpenFunc) {
	g := FanOutGraph()
	if err := g.Validate(); err != nil {
		t.Fatalf("fan-out graph: %v", err)
	}
	s := open(t, g)
	ref := newReference(g)
	const hub, hub2, root = "country:hub", "country:hub2", "country:root"
	persons := []string{"person:p0", "person:p1", "person:p2", "person:p3", "person:p4"}
	sorted := func(ids ...[]string) []string {
		all := slices.Concat(ids...)
		slices.Sort(all)
		return all
	}
	cases := []struct {
		name       string
		q          domain.NeighborhoodQuery
		wantNodes  []string
		wantCapped []string
	}{
		// The hub's candidates in ID order are root, then the
		// organizations, then the persons: it enters root and o000 … o098.
		{"hub depth 1", domain.NeighborhoodQuery{Root: hub, Depth: 1},
			sorted([]string{hub, root}, fanOrganizations(0, domain.MaxFanOut-1)), []string{hub}},
		// A kind filter leaves the hub under the cap.
		{"hub depth 1 persons", domain.NeighborhoodQuery{Root: hub, Depth: 1, Kinds: []domain.Kind{domain.KindPerson}},
			sorted([]string{hub}, persons), nil},
		// At level 2 the hub enters o000 … o099 and hub2 its 55: o100 …
		// o104 come through hub2 although the hub left them out.
		{"root depth 2", domain.NeighborhoodQuery{Root: root, Depth: 2},
			sorted([]string{hub, hub2, root}, fanOrganizations(0, domain.MaxFanOut+5)), []string{hub}},
		// Nodes of earlier levels are no candidates: from o000 the hub
		// enters root and o001 … o099.
		{"leaf depth 2", domain.NeighborhoodQuery{Root: "organization:o000", Depth: 2},
			sorted([]string{hub, root}, fanOrganizations(0, domain.MaxFanOut)), []string{hub}},
		// Level 3 adds hub2 (from root and o050 … o099); o100 … o104 would
		// be a level further.
		{"leaf depth 3", domain.NeighborhoodQuery{Root: "organization:o000", Depth: 3},
			sorted([]string{hub, hub2, root}, fanOrganizations(0, domain.MaxFanOut)), []string{hub}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sub, err := s.Neighborhood(ctx, c.q)
			noErr(t, err)
			refNodes, refRels, refCapped := ref.neighborhood(c.q)
			compareRows(t, "reference nodes", refNodes, c.wantNodes)
			compareRows(t, "reference capped", refCapped, c.wantCapped)
			checkSubgraph(t, ref, sub, c.wantNodes, refRels)
			compareRows(t, "capped", sub.Capped, c.wantCapped)
			if got, want := sub.Truncated(), len(c.wantCapped) > 0; got != want {
				t.Errorf("truncated: got %v, want %v", got, want)
			}
		})
	}
}
