package network_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/network"
)

// triad is A – B – C with A and C not tied, on the given sides.
func triad(tb testing.TB, sa, sb, sc domain.Side) (*domain.Subgraph, map[string]domain.Side) {
	tb.Helper()
	g := graphOf(tb, "a>b", "b>c")
	return g, map[string]domain.Side{"organization:a": sa, "organization:b": sb, "organization:c": sc}
}

func TestBrokerageRoles(t *testing.T) {
	ec, eu, ms := domain.SideEcuador, domain.SideEUInstitutions, domain.SideMemberStates
	tests := []struct {
		name       string
		sa, sb, sc domain.Side
		// Counts over the two readings of the open pair: A→B→C and C→B→A.
		want network.BrokerageScore
	}{
		{"coordinator", ec, ec, ec, network.BrokerageScore{Coordinator: 2}},
		{"itinerant", ec, eu, ec, network.BrokerageScore{Itinerant: 2}},
		// A→B→C: B shares C's side only (gatekeeper); C→B→A: B shares the
		// source's side only (representative).
		{"gatekeeper and representative", eu, ec, ec, network.BrokerageScore{Gatekeeper: 1, Representative: 1}},
		{"liaison", ec, eu, ms, network.BrokerageScore{Liaison: 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g, sides := triad(t, tc.sa, tc.sb, tc.sc)
			got := mustBrokerage(t, g, sides)
			if len(got) != 1 {
				t.Fatalf("got %d brokers, want only organization:b: %+v", len(got), got)
			}
			b := got[0]
			if b.Node.ID != "organization:b" || b.Side != tc.sb {
				t.Errorf("got broker %s on %s, want organization:b on %s", b.Node.ID, b.Side, tc.sb)
			}
			b.Node, b.Side = nil, ""
			if b != tc.want {
				t.Errorf("got %+v, want %+v", b, tc.want)
			}
			if b.Total() != 2 {
				t.Errorf("total: got %d, want 2", b.Total())
			}
		})
	}
}

func TestBrokerageTies(t *testing.T) {
	actor := func(id string, kind domain.Kind, orgType domain.OrgType) *domain.Node {
		return &domain.Node{ID: id, Kind: kind, Name: id, OrgType: orgType}
	}
	rel := func(from string, typ domain.RelationType, to string) *domain.Relation {
		return &domain.Relation{ID: domain.RelationID(from, typ, to), Type: typ, From: from, To: to}
	}
	nodes := []*domain.Node{
		actor("country:ecuador", domain.KindCountry, ""),
		actor("organization:ministry", domain.KindOrganization, domain.OrgMinistry),
		actor("organization:europol", domain.KindOrganization, domain.OrgEUAgency),
		actor("organization:fiiapp", domain.KindOrganization, domain.OrgImplementingAgency),
		actor("person:envoy", domain.KindPerson, ""),
		actor("event:summit", domain.KindEvent, ""),
		actor("programme:p", domain.KindProgramme, ""),
		actor("topic:t", domain.KindTopic, ""),
	}
	// ministry and europol meet at the summit; europol and fiiapp through
	// the programme; ecuador is tied to the ministry by PART_OF. The
	// programme ADDRESSES a topic, which is not an engagement and ties no one.
	// envoy REPRESENTS europol (a direct tie) and is the summit's object of a
	// relation pointing the wrong way (summit → envoy is no engagement).
	g := &domain.Subgraph{Nodes: nodes, Relations: []*domain.Relation{
		rel("organization:ministry", domain.RelPartOf, "country:ecuador"),
		rel("organization:ministry", domain.RelAttended, "event:summit"),
		rel("organization:europol", domain.RelChaired, "event:summit"),
		rel("organization:europol", domain.RelImplements, "programme:p"),
		rel("organization:fiiapp", domain.RelFunds, "programme:p"),
		rel("programme:p", domain.RelAddresses, "topic:t"),
		rel("person:envoy", domain.RelRepresents, "organization:europol"),
		rel("event:summit", domain.RelReviewed, "programme:p"),
	}}
	// Sides from the graph: ecuador and ministry ECUADOR, europol and envoy
	// EU, fiiapp IMPLEMENTING_AGENCIES.
	got := mustBrokerage(t, g, nil)
	byID := map[string]network.BrokerageScore{}
	for _, s := range got {
		byID[s.Node.ID] = s
	}
	// europol's neighbours: ministry, fiiapp, envoy (pairwise untied).
	// ministry(EC)–fiiapp(IA): liaison ×2; ministry–envoy(EU): EU is
	// europol's side, the envoy's too: gatekeeper + representative;
	// fiiapp–envoy: likewise gatekeeper + representative.
	wantEuropol := network.BrokerageScore{Side: domain.SideEUInstitutions, Liaison: 2, Gatekeeper: 2, Representative: 2}
	// ministry's neighbours: ecuador (EC), europol (EU): one open pair,
	// ministry on ecuador's side.
	wantMinistry := network.BrokerageScore{Side: domain.SideEcuador, Gatekeeper: 1, Representative: 1}
	for id, want := range map[string]network.BrokerageScore{"organization:europol": wantEuropol, "organization:ministry": wantMinistry} {
		s, ok := byID[id]
		if !ok {
			t.Errorf("%s: missing from %+v", id, got)
			continue
		}
		s.Node = nil
		if s != want {
			t.Errorf("%s: got %+v, want %+v", id, s, want)
		}
	}
	if len(got) != 2 {
		t.Errorf("got %d brokers, want 2 (ecuador, fiiapp and envoy have one tie each): %+v", len(got), got)
	}
	if len(got) > 0 && got[0].Node.ID != "organization:europol" {
		t.Errorf("first broker: got %s, want organization:europol (highest total)", got[0].Node.ID)
	}
}

func TestBrokerageClosedTriad(t *testing.T) {
	// A shared venue closes the triad: no open pair is left to broker.
	g := graphOf(t, "a>b", "b>c")
	g.Nodes = append(g.Nodes, &domain.Node{ID: "event:e", Kind: domain.KindEvent, Name: "e"})
	for _, from := range []string{"organization:a", "organization:c"} {
		g.Relations = append(g.Relations, &domain.Relation{ID: from + "|ATTENDED|event:e", Type: domain.RelAttended, From: from, To: "event:e"})
	}
	if got := mustBrokerage(t, g, nil); len(got) != 0 {
		t.Errorf("got %+v, want no broker", got)
	}
}

func TestBrokerageOrder(t *testing.T) {
	// Two stars: z with three leaves, b with two; equal totals fall back to ID.
	g := graphOf(t, "z>l1", "z>l2", "z>l3", "b>m1", "b>m2", "a>n1", "a>n2")
	got := mustBrokerage(t, g, nil)
	var ids []string
	for _, s := range got {
		ids = append(ids, s.Node.ID)
	}
	want := []string{"organization:z", "organization:a", "organization:b"}
	if len(ids) != len(want) {
		t.Fatalf("got %v, want %v", ids, want)
	}
	for i := range want {
		if ids[i] != want[i] {
			t.Errorf("got %v, want %v", ids, want)
			break
		}
	}
	// z: 3 leaves give 3·2 ordered open pairs, all OTHER: coordinator.
	if got[0].Coordinator != 6 {
		t.Errorf("z coordinator: got %d, want 6", got[0].Coordinator)
	}
}

func mustBrokerage(tb testing.TB, g *domain.Subgraph, sides map[string]domain.Side) []network.BrokerageScore {
	tb.Helper()
	got, err := network.Brokerage(context.Background(), g, sides)
	if err != nil {
		tb.Fatal(err)
	}
	return got
}

// TestBrokerageLongPath counts on a graph of many actors with few ties
// each, where brokers walk their neighbours' ties one by one rather than
// intersect rows of bits: each inner actor of a path brokers its two
// neighbours both ways; in a triangle x, y, z with w hanging from x, only x
// brokers, between w and each of y and z, both ways.
func TestBrokerageLongPath(t *testing.T) {
	const n = 2000
	arcs := []string{"x>y", "y>z", "z>x", "w>x"}
	name := func(i int) string { return fmt.Sprintf("p%04d", i) }
	for i := 1; i < n; i++ {
		arcs = append(arcs, name(i-1)+">"+name(i))
	}
	got := mustBrokerage(t, graphOf(t, arcs...), map[string]domain.Side{})
	if len(got) != n-1 {
		t.Fatalf("got %d brokers, want x and the %d inner actors of the path", len(got), n-2)
	}
	if got[0].Node.ID != "organization:x" || got[0].Coordinator != 4 || got[0].Total() != 4 {
		t.Errorf("first: got %+v, want organization:x as coordinator 4", got[0])
	}
	for _, s := range got[1:] {
		if s.Coordinator != 2 || s.Total() != 2 || s.Node.ID == "organization:"+name(0) || s.Node.ID == "organization:"+name(n-1) {
			t.Errorf("%s: got %+v, want coordinator 2 for an inner actor of the path", s.Node.ID, s)
		}
	}
}
