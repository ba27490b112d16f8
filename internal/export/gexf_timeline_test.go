package export_test

import (
	"context"
	"encoding/xml"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/export"
)

// TestGEXFTimelineMatchesAsOf: on every day where a date of the shipped
// data begins or ends something, and the days either side, Gephi's
// timeline over the whole-graph GEXF shows exactly what the store's graph
// query shows for that asOf: the nodes without a spell or with one covering
// the day (spell bounds are inclusive), and the edges whose spell covers
// the day and whose ends are shown: the relations, then the statements the
// store counts as made by then.
func TestGEXFTimelineMatchesAsOf(t *testing.T) {
	store := shippedStore(t)
	ctx := context.Background()
	d, err := export.Select(ctx, store, export.Selection{Depth: 1})
	if err != nil {
		t.Fatal(err)
	}
	var doc gexfFile
	if err := xml.Unmarshal(render(t, "gexf", d), &doc); err != nil {
		t.Fatal(err)
	}
	covers := func(spells []gexfSpellRead, day string) bool {
		if len(spells) == 0 {
			return true
		}
		for _, s := range spells {
			if (s.Start == "" || s.Start <= day) && (s.End == "" || day <= s.End) {
				return true
			}
		}
		return false
	}

	days := map[string]bool{"1990-01-01": true, "2040-01-01": true}
	addAround := func(day string) {
		t0, err := time.Parse(time.DateOnly, day)
		if err != nil {
			t.Fatalf("day %q: %v", day, err)
		}
		for _, delta := range []int{-1, 0, 1} {
			days[t0.AddDate(0, 0, delta).Format(time.DateOnly)] = true
		}
	}
	for _, n := range d.Nodes {
		for _, p := range []domain.PartialDate{n.Start, n.End} {
			if p != "" {
				addAround(firstDay(p))
				addAround(lastDay(p))
			}
		}
	}
	for _, r := range d.Relations {
		for _, p := range []domain.PartialDate{r.Start, r.End} {
			if p != "" {
				addAround(firstDay(p))
				addAround(lastDay(p))
			}
		}
	}

	for _, st := range d.Statements {
		if st.Date != "" {
			addAround(firstDay(st.Date))
			addAround(lastDay(st.Date))
		}
	}

	for _, day := range slices.Sorted(maps.Keys(days)) {
		want, err := store.Graph(ctx, domain.GraphQuery{AsOf: domain.PartialDate(day)})
		if err != nil {
			t.Fatal(err)
		}
		shown := map[string]bool{}
		var nodes, edges []string
		for _, n := range doc.Graph.Nodes {
			if covers(n.Spells, day) {
				shown[n.ID] = true
				nodes = append(nodes, n.ID)
			}
		}
		for _, e := range doc.Graph.Edges {
			if covers(e.Spells, day) && shown[e.Source] && shown[e.Target] {
				edges = append(edges, e.ID)
			}
		}
		if got, want := nodes, nodeIDs(want.Nodes); !slices.Equal(got, want) {
			t.Errorf("%s nodes: Gephi shows %v, which asOf hides, and hides %v, which asOf shows", day, diff(got, want), diff(want, got))
		}
		wantEdges := relationIDs(want.Relations)
		for _, se := range statementEdgesOf(t, store, want.Nodes, domain.PartialDate(day)) {
			wantEdges = append(wantEdges, se.ID)
		}
		if got, want := edges, wantEdges; !slices.Equal(got, want) {
			t.Errorf("%s edges: Gephi shows %v, which asOf hides, and hides %v, which asOf shows", day, diff(got, want), diff(want, got))
		}
	}
	if len(days) < 20 {
		t.Errorf("checked %d days; the shipped data should give more", len(days))
	}
}

// TestGEXFEuropolHandover: the Europol working agreement was negotiated
// until 2023-10-26, when the signed status begins; the file ends the
// negotiation on 2023-10-25, so no day shows both.
func TestGEXFEuropolHandover(t *testing.T) {
	store := shippedStore(t)
	d, err := export.Select(context.Background(), store, export.Selection{Root: "agreement:europol-ecuador-working-agreement", Depth: 1})
	if err != nil {
		t.Fatal(err)
	}
	var doc gexfFile
	if err := xml.Unmarshal(render(t, "gexf", d), &doc); err != nil {
		t.Fatal(err)
	}
	want := map[string]gexfSpellRead{
		"country:ecuador|PARTY_TO|agreement:europol-ecuador-working-agreement":        {Start: "2023-09-01", End: "2023-10-25"},
		"country:ecuador|PARTY_TO|agreement:europol-ecuador-working-agreement|signed": {Start: "2023-10-26"},
	}
	for _, e := range doc.Graph.Edges {
		if w, ok := want[e.ID]; ok {
			if len(e.Spells) != 1 || e.Spells[0] != w {
				t.Errorf("%s spells: got %v, want [%v]", e.ID, e.Spells, w)
			}
			delete(want, e.ID)
		}
	}
	for id := range want {
		t.Errorf("%s: not in the file", id)
	}
}

// diff lists the elements of a that b lacks.
func diff(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}
