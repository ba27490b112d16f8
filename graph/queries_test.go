package graph_test

import (
	"cmp"
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
)

// Tests for the queries of issue 3: scoped traversals, explained paths,
// interlocks, co-participation, centrality, brokerage and the timeline.

const (
	europolAgreement = "agreement:europol-ecuador-working-agreement"
	foreignMinistry  = "organization:ministry-foreign-affairs-ecuador"
	roundTable       = "event:iii-round-table-2023"
)

// newRoomyHandler is the handler over the shipped data with a complexity
// limit high enough for the wide selections these tests check at once.
func newRoomyHandler(tb testing.TB) http.Handler {
	tb.Helper()
	return graph.NewHandler(shippedStore(tb), graph.HandlerOptions{ComplexityLimit: 1_000_000})
}

// datedEdge is a GraphEdge with its dates and status.
type datedEdge struct {
	ID       string     `json:"id"`
	Type     string     `json:"type"`
	Source   string     `json:"source"`
	Target   string     `json:"target"`
	Role     *string    `json:"role"`
	Status   *string    `json:"status"`
	Start    *string    `json:"start"`
	End      *string    `json:"end"`
	Undated  bool       `json:"undated"`
	Evidence []evidence `json:"evidence"`
}

const datedEdgeFields = `id type source target role status start end undated evidence { sourceId quote source { id } }`

// firstDay and lastDay read a partial date as the first and the last day
// it can mean, as YYYY-MM-DD.
func firstDay(d string) string {
	switch len(d) {
	case 4:
		return d + "-01-01"
	case 7:
		return d + "-01"
	}
	return d
}

func lastDay(tb testing.TB, d string) string {
	tb.Helper()
	switch len(d) {
	case 4:
		return d + "-12-31"
	case 7:
		month, err := time.Parse("2006-01", d)
		if err != nil {
			tb.Fatalf("date %q: %v", d, err)
		}
		return month.AddDate(0, 1, -1).Format(time.DateOnly)
	}
	return d
}

// checkActive fails unless e holds on day asOf: started by then and not
// yet ended; an undated edge must say so.
func checkActive(tb testing.TB, e datedEdge, asOf string) {
	tb.Helper()
	if e.Start != nil && firstDay(*e.Start) > asOf {
		tb.Errorf("edge %s starts %s, after asOf %s", e.ID, *e.Start, asOf)
	}
	if e.End != nil && lastDay(tb, *e.End) <= asOf {
		tb.Errorf("edge %s ended %s, by asOf %s", e.ID, *e.End, asOf)
	}
	if e.Undated != (e.Start == nil && e.End == nil) {
		tb.Errorf("edge %s has start %v end %v but undated %v", e.ID, e.Start, e.End, e.Undated)
	}
}

// names maps node IDs to names, read through the API.
func names(tb testing.TB, h http.Handler, ids ...string) map[string]string {
	tb.Helper()
	out := map[string]string{}
	for _, id := range ids {
		data := mustData[struct{ Node *idName }](tb, post(tb, h,
			`query($id: ID!) { node(id: $id) { id ... on Stakeholder { name } } }`, map[string]any{"id": id}))
		if data.Node == nil {
			tb.Fatalf("no node %s in the shipped data", id)
		}
		out[id] = data.Node.Name
	}
	return out
}

func TestGraphSelection(t *testing.T) {
	h := newRoomyHandler(t)
	type subgraph struct {
		Graph struct {
			Nodes []graphNode
			Edges []datedEdge
		}
	}
	tests := []struct {
		name  string
		args  string
		kinds []string
		asOf  string
		topic string
	}{
		{name: "whole graph"},
		{name: "countries and events", args: `kinds: [Country, Event]`, kinds: []string{"Country", "Event"}},
		{name: "as of the round table", args: `asOf: "2023-09-27"`, asOf: "2023-09-27"},
		{name: "one topic", args: `topic: "topic:maritime-security"`, topic: "topic:maritime-security"},
	}
	var whole int
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := `{ graph` + "(" + tt.args + ")" + ` { nodes { id kind label } edges { ` + datedEdgeFields + ` } } }`
			if tt.args == "" {
				q = `{ graph { nodes { id kind label } edges { ` + datedEdgeFields + ` } } }`
			}
			sg := mustData[subgraph](t, post(t, h, q, nil)).Graph
			if len(sg.Nodes) == 0 || len(sg.Edges) == 0 {
				t.Fatalf("got %d nodes and %d edges, want some of both", len(sg.Nodes), len(sg.Edges))
			}
			if tt.args == "" {
				whole = len(sg.Edges)
			} else if whole > 0 && len(sg.Edges) >= whole {
				t.Errorf("got %d edges, want fewer than the whole graph's %d", len(sg.Edges), whole)
			}
			ids := map[string]bool{}
			for _, n := range sg.Nodes {
				ids[n.ID] = true
				if len(tt.kinds) > 0 && !slices.Contains(tt.kinds, n.Kind) {
					t.Errorf("node %s is a %s, want one of %v", n.ID, n.Kind, tt.kinds)
				}
			}
			if tt.topic != "" && !ids[tt.topic] {
				t.Errorf("got nodes without the topic %s, want it kept", tt.topic)
			}
			for _, e := range sg.Edges {
				if !ids[e.Source] || !ids[e.Target] {
					t.Errorf("edge %s joins %s and %s, want both among the nodes", e.ID, e.Source, e.Target)
				}
				if tt.asOf != "" {
					checkActive(t, e, tt.asOf)
				}
				if e.Undated != (e.Start == nil && e.End == nil) {
					t.Errorf("edge %s: undated %v with start %v end %v", e.ID, e.Undated, e.Start, e.End)
				}
			}
		})
	}
}

type pathHop struct {
	From     graphNode `json:"from"`
	To       graphNode `json:"to"`
	Forward  bool      `json:"forward"`
	Type     string    `json:"type"`
	Status   *string   `json:"status"`
	Start    *string   `json:"start"`
	End      *string   `json:"end"`
	Undated  bool      `json:"undated"`
	Quotes   []string  `json:"quotes"`
	Sentence string    `json:"sentence"`
	Edge     datedEdge `json:"edge"`
}

type explainedPath struct {
	Length   int
	Nodes    []graphNode
	Edges    []datedEdge
	Hops     []pathHop
	Sentence string
}

const explainedPathFields = `length nodes { id kind label } edges { ` + datedEdgeFields + ` }
	hops { from { id label } to { id label } forward type status start end undated quotes sentence edge { ` + datedEdgeFields + ` } }
	sentence`

// checkPath checks that p runs from → to and that every hop explains the
// edge it walks: same ends, direction, type and dates, quotes that are the
// edge's evidence and appear verbatim in their source's text, and a
// sentence naming both ends.
func checkPath(tb testing.TB, p explainedPath, from, to string) {
	tb.Helper()
	if p.Length != len(p.Edges) || len(p.Hops) != len(p.Edges) || len(p.Nodes) != len(p.Edges)+1 {
		tb.Fatalf("got length %d, %d nodes, %d edges and %d hops; want length = edges = hops = nodes-1",
			p.Length, len(p.Nodes), len(p.Edges), len(p.Hops))
	}
	if p.Nodes[0].ID != from || p.Nodes[len(p.Nodes)-1].ID != to {
		tb.Errorf("path runs %s → %s, want %s → %s", p.Nodes[0].ID, p.Nodes[len(p.Nodes)-1].ID, from, to)
	}
	seen := map[string]bool{}
	for _, n := range p.Nodes {
		if seen[n.ID] {
			tb.Errorf("path visits %s twice", n.ID)
		}
		seen[n.ID] = true
	}
	last := p.Nodes[len(p.Nodes)-1].Label + wantQualifier(p.Edges[len(p.Edges)-1]) + "."
	if !strings.HasPrefix(p.Sentence, p.Nodes[0].Label+" ") || !strings.HasSuffix(p.Sentence, last) {
		tb.Errorf("path sentence %q, want it to start with %q and end with %q", p.Sentence, p.Nodes[0].Label, last)
	}
	for i, h := range p.Hops {
		e := p.Edges[i]
		if h.From.ID != p.Nodes[i].ID || h.To.ID != p.Nodes[i+1].ID {
			tb.Errorf("hop %d goes %s → %s, want %s → %s", i, h.From.ID, h.To.ID, p.Nodes[i].ID, p.Nodes[i+1].ID)
		}
		if h.Edge.ID != e.ID || h.Type != e.Type {
			tb.Errorf("hop %d walks %s (%s), want edge %s (%s)", i, h.Edge.ID, h.Type, e.ID, e.Type)
		}
		if h.Forward != (e.Source == h.From.ID && e.Target == h.To.ID) {
			tb.Errorf("hop %d: forward %v for edge %s → %s walked %s → %s", i, h.Forward, e.Source, e.Target, h.From.ID, h.To.ID)
		}
		if !equalPtr(h.Status, e.Status) || !equalPtr(h.Start, e.Start) || !equalPtr(h.End, e.End) || h.Undated != e.Undated {
			tb.Errorf("hop %d: status/start/end/undated %v %v %v %v, want the edge's %v %v %v %v",
				i, h.Status, h.Start, h.End, h.Undated, e.Status, e.Start, e.End, e.Undated)
		}
		if len(h.Quotes) == 0 || len(h.Quotes) != len(e.Evidence) {
			tb.Errorf("hop %d: got %d quotes for %d evidence, want one each and at least one", i, len(h.Quotes), len(e.Evidence))
		}
		for j, q := range h.Quotes {
			if j < len(e.Evidence) && q != e.Evidence[j].Quote {
				tb.Errorf("hop %d quote %d is %q, want the evidence's %q", i, j, q, e.Evidence[j].Quote)
			}
			if j < len(e.Evidence) {
				text, ok := dataset.SourceText(e.Evidence[j].SourceID)
				if !ok || !domain.ContainsQuote(text, q) {
					tb.Errorf("hop %d quote %q is not verbatim in %s", i, q, e.Evidence[j].SourceID)
				}
			}
		}
		end := " " + h.To.Label + wantQualifier(e)
		if h.Sentence == "" || !strings.HasPrefix(h.Sentence, h.From.Label+" ") || !strings.HasSuffix(h.Sentence, end) {
			tb.Errorf("hop %d sentence %q, want %q … %q", i, h.Sentence, h.From.Label, end)
		}
		if i > 0 && !strings.Contains(p.Sentence, end) {
			tb.Errorf("path sentence %q does not contain %q", p.Sentence, end)
		}
	}
}

// wantQualifier is the aside a sentence gives an edge's role and status.
func wantQualifier(e datedEdge) string {
	var parts []string
	if e.Role != nil {
		parts = append(parts, "role: "+*e.Role)
	}
	if e.Status != nil {
		parts = append(parts, "status: "+*e.Status)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

func equalPtr(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func TestPathsExplained(t *testing.T) {
	h := newRoomyHandler(t)
	data := mustData[struct{ Paths []explainedPath }](t, post(t, h,
		`query($from: ID!, $to: ID!) { paths(from: $from, to: $to) { `+explainedPathFields+` } }`,
		map[string]any{"from": "country:hungary", "to": foreignMinistry}))
	if len(data.Paths) == 0 {
		t.Fatalf("got no path from country:hungary to %s, want some", foreignMinistry)
	}
	for i, p := range data.Paths {
		checkPath(t, p, "country:hungary", foreignMinistry)
		if p.Length != data.Paths[0].Length {
			t.Errorf("path %d has length %d, want every SHORTEST path as long as the first (%d)", i, p.Length, data.Paths[0].Length)
		}
	}
}

func TestPathModesAndScopes(t *testing.T) {
	h := newRoomyHandler(t)
	g, err := dataset.Shipped()
	if err != nil {
		t.Fatalf("loading the shipped data: %v", err)
	}
	concerns := domain.ConcernedTopics(g)
	tests := []struct {
		name   string
		args   string
		limit  int
		check  func(t *testing.T, paths []explainedPath)
		atMost int // longest path allowed
	}{
		{
			name: "k shortest", args: `mode: K_SHORTEST, limit: 8, maxHops: 4`, limit: 8, atMost: 4,
			check: func(t *testing.T, paths []explainedPath) {
				for i := 1; i < len(paths); i++ {
					if paths[i].Length < paths[i-1].Length {
						t.Errorf("path %d has length %d after one of %d, want shortest first", i, paths[i].Length, paths[i-1].Length)
					}
				}
			},
		},
		{name: "all simple", args: `mode: ALL_SIMPLE, limit: 20, maxHops: 3`, limit: 20, atMost: 3},
		{
			name: "avoid the round table", args: `avoid: ["` + roundTable + `"], maxHops: 6`, limit: 5, atMost: 6,
			check: func(t *testing.T, paths []explainedPath) {
				for _, p := range paths {
					for _, n := range p.Nodes {
						if n.ID == roundTable {
							t.Errorf("path %q passes the avoided %s", p.Sentence, roundTable)
						}
					}
				}
			},
		},
		{
			name: "as of the round table", args: `asOf: "2023-09-27", maxHops: 6`, limit: 5, atMost: 6,
			check: func(t *testing.T, paths []explainedPath) {
				for _, p := range paths {
					for _, e := range p.Edges {
						checkActive(t, e, "2023-09-27")
					}
				}
			},
		},
		{
			name: "one topic", args: `topics: ["topic:organised-crime"], maxHops: 6`, limit: 5, atMost: 6,
			check: func(t *testing.T, paths []explainedPath) {
				for _, p := range paths {
					for _, e := range p.Edges {
						if !slices.Contains(concerns[e.ID], "topic:organised-crime") {
							t.Errorf("edge %s concerns %v, want topic:organised-crime among them", e.ID, concerns[e.ID])
						}
					}
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := mustData[struct{ Paths []explainedPath }](t, post(t, h,
				`{ paths(from: "country:hungary", to: "`+foreignMinistry+`", `+tt.args+`) { `+explainedPathFields+` } }`, nil))
			if len(data.Paths) == 0 {
				t.Fatalf("got no paths, want some")
			}
			if len(data.Paths) > tt.limit {
				t.Errorf("got %d paths, want at most %d", len(data.Paths), tt.limit)
			}
			for _, p := range data.Paths {
				checkPath(t, p, "country:hungary", foreignMinistry)
				if p.Length > tt.atMost {
					t.Errorf("got a path of %d hops, want at most %d", p.Length, tt.atMost)
				}
			}
			if tt.check != nil {
				tt.check(t, data.Paths)
			}
		})
	}
}

func TestAgreementStatusAsOf(t *testing.T) {
	// The Europol agreement was under negotiation at the round table and
	// signed on 2023-10-26 (see internal/dataset/data/relations/agreements.yaml).
	h := newRoomyHandler(t)
	tests := []struct {
		asOf any // nil: no argument
		want any // nil: null
	}{
		{"2023-09-27", "negotiating"},
		{"2023-10-25", "negotiating"},
		{"2023-10-26", "signed"},
		{"2023-10-27", "signed"},
		{"2024", "signed"},
		{"2020", nil},
		{nil, "signed"},
	}
	for _, tt := range tests {
		data := mustData[struct {
			Stakeholder struct{ Status *string }
		}](t, post(t, h, `query($id: ID!, $asOf: Date) { stakeholder(id: $id) { ... on Agreement { status(asOf: $asOf) } } }`,
			map[string]any{"id": europolAgreement, "asOf": tt.asOf}))
		got := data.Stakeholder.Status
		if (got == nil) != (tt.want == nil) || (got != nil && *got != tt.want) {
			t.Errorf("status(asOf: %v) = %v, want %v", tt.asOf, deref(got), tt.want)
		}
	}
}

// TestStakeholderDates checks that every kind answers its node's start and
// end, so a client reading a stakeholder and writing it back with
// upsertStakeholder (which replaces the whole value) can keep them.
func TestStakeholderDates(t *testing.T) {
	d, err := dataset.ShippedDataset()
	if err != nil {
		t.Fatal(err)
	}
	h := newRoomyHandler(t)
	const q = `query($id: ID!) { stakeholder(id: $id) {
		... on Country { start end } ... on Organization { start end } ... on Person { start end } ... on Topic { start end }
		... on Programme { start end } ... on Event { start end } ... on Agreement { start end } } }`
	dated := 0
	for _, n := range d.Graph.Nodes {
		if n.Kind == domain.KindSource {
			continue
		}
		data := mustData[struct {
			Stakeholder struct{ Start, End *string }
		}](t, post(t, h, q, map[string]any{"id": n.ID}))
		if got, want := deref(data.Stakeholder.Start), optionalDate(n.Start); got != want {
			t.Errorf("%s start: got %v, want %v", n.ID, got, want)
		}
		if got, want := deref(data.Stakeholder.End), optionalDate(n.End); got != want {
			t.Errorf("%s end: got %v, want %v", n.ID, got, want)
		}
		if n.Start != "" && (n.Kind == domain.KindOrganization || n.Kind == domain.KindCountry || n.Kind == domain.KindPerson) {
			dated++
		}
	}
	if dated == 0 {
		t.Error("no country, organization or person in the shipped data has a start date; the test checks nothing new")
	}
}

func optionalDate(d domain.PartialDate) any {
	if d == "" {
		return nil
	}
	return string(d)
}

func deref(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

func TestScopedNeighborhoodAndCooperation(t *testing.T) {
	h := newRoomyHandler(t)
	// Before the signing the parties were negotiating; after it, signed.
	for asOf, want := range map[string]string{"2023-09-27": "negotiating", "2023-10-27": "signed"} {
		data := mustData[struct {
			Neighborhood struct{ Edges []datedEdge }
		}](t, post(t, h, `query($asOf: Date) { neighborhood(id: "`+europolAgreement+`", relationTypes: [PARTY_TO], asOf: $asOf) {
			edges { `+datedEdgeFields+` } } }`, map[string]any{"asOf": asOf}))
		if len(data.Neighborhood.Edges) == 0 {
			t.Errorf("asOf %s: got no PARTY_TO edges, want the parties", asOf)
		}
		for _, e := range data.Neighborhood.Edges {
			checkActive(t, e, asOf)
			if e.Status == nil || *e.Status != want {
				t.Errorf("asOf %s: edge %s has status %v, want %s", asOf, e.ID, deref(e.Status), want)
			}
		}
	}

	data := mustData[struct {
		Cooperation []struct{ Edges []datedEdge }
	}](t, post(t, h, `{ cooperation(actor: "country:ecuador", asOf: "2023-09-27") { edges { `+datedEdgeFields+` } } }`, nil))
	if len(data.Cooperation) == 0 {
		t.Fatalf("got no cooperation of country:ecuador as of 2023-09-27, want some")
	}
	for _, row := range data.Cooperation {
		for _, e := range row.Edges {
			checkActive(t, e, "2023-09-27")
		}
	}
}

// neighbours lists the nodes related to id, read through its relations field.
func neighbours(tb testing.TB, h http.Handler, id string) map[string]string {
	tb.Helper()
	data := mustData[struct {
		Stakeholder struct {
			Relations []struct {
				Node idName
			}
		}
	}](tb, post(tb, h, `query($id: ID!) { stakeholder(id: $id) { relations { node { id kind } } } }`, map[string]any{"id": id}))
	out := map[string]string{}
	for _, r := range data.Stakeholder.Relations {
		out[r.Node.ID] = r.Node.Kind
	}
	return out
}

func TestCommonConnections(t *testing.T) {
	h := newRoomyHandler(t)
	ids := []string{"country:spain", "country:ecuador"}
	data := mustData[struct {
		CommonConnections []struct {
			Node     idName
			Count    int
			Connects []idName
			Edges    []datedEdge
		}
	}](t, post(t, h, `query($ids: [ID!]!) { commonConnections(ids: $ids, first: 100) {
		node { id kind } count connects { id } edges { `+datedEdgeFields+` } } }`, map[string]any{"ids": ids}))
	spain, ecuador := neighbours(t, h, ids[0]), neighbours(t, h, ids[1])
	var want []string
	for id := range spain {
		if _, ok := ecuador[id]; ok && !slices.Contains(ids, id) {
			want = append(want, id)
		}
	}
	slices.Sort(want)
	var got []string
	for i, c := range data.CommonConnections {
		got = append(got, c.Node.ID)
		if c.Count != len(c.Connects) || c.Count < 2 {
			t.Errorf("%s: count %d with %d connected, want equal and at least 2", c.Node.ID, c.Count, len(c.Connects))
		}
		for _, n := range c.Connects {
			if !slices.Contains(ids, n.ID) {
				t.Errorf("%s connects %s, which was not asked for", c.Node.ID, n.ID)
			}
		}
		for _, e := range c.Edges {
			ends := []string{e.Source, e.Target}
			if !slices.Contains(ends, c.Node.ID) || (!slices.Contains(ends, ids[0]) && !slices.Contains(ends, ids[1])) {
				t.Errorf("%s: edge %s joins %s and %s, want it and one of %v", c.Node.ID, e.ID, e.Source, e.Target, ids)
			}
		}
		if i > 0 {
			prev := data.CommonConnections[i-1]
			if prev.Count < c.Count || (prev.Count == c.Count && prev.Node.ID > c.Node.ID) {
				t.Errorf("%s (%d) ranks after %s (%d), want count descending, then ID", c.Node.ID, c.Count, prev.Node.ID, prev.Count)
			}
		}
	}
	slices.Sort(got)
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("got connectors %v, want the shared neighbours %v (at least one)", got, want)
	}
}

// venuesOf lists the venues actor engages in, read through its relations.
func venuesOf(tb testing.TB, h http.Handler, actor string) []string {
	tb.Helper()
	data := mustData[struct {
		Stakeholder struct {
			Relations []struct{ Node idName }
		}
	}](tb, post(tb, h, `query($id: ID!) { stakeholder(id: $id) {
		relations(direction: OUT, types: [PARTICIPATES_IN, ATTENDED, CHAIRED, FUNDS, IMPLEMENTS, SUPPORTS, PARTY_TO]) { node { id kind } } } }`,
		map[string]any{"id": actor}))
	var out []string
	for _, r := range data.Stakeholder.Relations {
		if r.Node.Kind == "Programme" || r.Node.Kind == "Event" || r.Node.Kind == "Agreement" {
			out = append(out, r.Node.ID)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func TestCoParticipation(t *testing.T) {
	h := newRoomyHandler(t)
	type pair struct {
		A, B        idName
		Jaccard     float64
		SharedCount int
		Shared      []struct {
			ID     string
			Kind   string
			Topics []struct{ Node idName }
		}
		VenuesA, VenuesB int
	}
	const q = `query($topic: ID) { coParticipation(kinds: [Country], topic: $topic, first: 100) {
		a { id kind } b { id kind } jaccard sharedCount venuesA venuesB
		shared { id kind ... on Programme { topics { node { id } } } ... on Event { topics { node { id } } } ... on Agreement { topics { node { id } } } }
	} }`
	for _, topic := range []any{nil, "topic:maritime-security"} {
		pairs := mustData[struct{ CoParticipation []pair }](t, post(t, h, q, map[string]any{"topic": topic})).CoParticipation
		if len(pairs) == 0 {
			t.Fatalf("topic %v: got no pairs of countries, want some", topic)
		}
		for i, p := range pairs {
			if p.A.Kind != "Country" || p.B.Kind != "Country" || p.A.ID >= p.B.ID {
				t.Errorf("pair %d is %s (%s), %s (%s); want two countries, a's ID first", i, p.A.ID, p.A.Kind, p.B.ID, p.B.Kind)
			}
			if p.SharedCount != len(p.Shared) || p.SharedCount == 0 {
				t.Errorf("pair %s–%s: sharedCount %d with %d shared, want equal and above 0", p.A.ID, p.B.ID, p.SharedCount, len(p.Shared))
			}
			union := p.VenuesA + p.VenuesB - p.SharedCount
			if want := float64(p.SharedCount) / float64(union); math.Abs(p.Jaccard-want) > 1e-12 {
				t.Errorf("pair %s–%s: jaccard %v, want %d/%d", p.A.ID, p.B.ID, p.Jaccard, p.SharedCount, union)
			}
			if i > 0 && pairs[i-1].Jaccard < p.Jaccard {
				t.Errorf("pair %d (jaccard %v) ranks after one of %v, want highest first", i, p.Jaccard, pairs[i-1].Jaccard)
			}
			for _, v := range p.Shared {
				if topic == nil {
					continue
				}
				if !slices.ContainsFunc(v.Topics, func(t struct{ Node idName }) bool { return t.Node.ID == topic }) {
					t.Errorf("pair %s–%s shares %s, which does not address %s", p.A.ID, p.B.ID, v.ID, topic)
				}
			}
		}
		if topic != nil {
			continue
		}
		// The top pair's venue counts and shared venues, from their relations.
		top := pairs[0]
		va, vb := venuesOf(t, h, top.A.ID), venuesOf(t, h, top.B.ID)
		var shared []string
		for _, v := range va {
			if slices.Contains(vb, v) {
				shared = append(shared, v)
			}
		}
		var got []string
		for _, v := range top.Shared {
			got = append(got, v.ID)
		}
		if top.VenuesA != len(va) || top.VenuesB != len(vb) || !slices.Equal(got, shared) {
			t.Errorf("pair %s–%s: venues %d, %d sharing %v; want %d, %d sharing %v",
				top.A.ID, top.B.ID, top.VenuesA, top.VenuesB, got, len(va), len(vb), shared)
		}
	}
}

func TestCentrality(t *testing.T) {
	h := newRoomyHandler(t)
	type ranking struct {
		Measure     string
		DataVersion string
		NodeCount   int
		EdgeCount   int
		Scores      []struct {
			Rank  int
			Score float64
			Node  idName
		}
	}
	const q = `query($m: CentralityMeasure!, $k: [Kind!], $first: Int) {
		centrality(measure: $m, kinds: $k, first: $first) { measure dataVersion nodeCount edgeCount scores { rank score node { id kind } } } }`
	for _, m := range []string{"DEGREE", "BETWEENNESS", "CLOSENESS", "PAGERANK", "EIGENVECTOR"} {
		r := mustData[struct{ Centrality ranking }](t, post(t, h, q, map[string]any{"m": m, "first": 10})).Centrality
		if r.Measure != m || r.DataVersion == "" || r.NodeCount == 0 || len(r.Scores) != 10 {
			t.Errorf("%s: got measure %s, version %q, %d nodes, %d scores; want the measure, a version, nodes and 10 scores",
				m, r.Measure, r.DataVersion, r.NodeCount, len(r.Scores))
			continue
		}
		for i, s := range r.Scores {
			higher := 0
			for _, o := range r.Scores {
				if o.Score > s.Score {
					higher++
				}
			}
			if s.Rank != 1+higher {
				t.Errorf("%s: %s scores %v with rank %d, want %d", m, s.Node.ID, s.Score, s.Rank, 1+higher)
			}
			if s.Node.Kind == "Source" {
				t.Errorf("%s: ranked source %s, want sources left out by default", m, s.Node.ID)
			}
			if i > 0 && (r.Scores[i-1].Score < s.Score || (r.Scores[i-1].Score == s.Score && r.Scores[i-1].Node.ID > s.Node.ID)) {
				t.Errorf("%s: %s ranks after %s, want score descending, then ID", m, s.Node.ID, r.Scores[i-1].Node.ID)
			}
		}
	}

	// Degree, worked out from the graph the API draws: distinct neighbours
	// over the most there could be.
	r := mustData[struct{ Centrality ranking }](t, post(t, h, q, map[string]any{"m": "DEGREE", "first": 3})).Centrality
	sg := mustData[struct {
		Graph struct {
			Nodes []graphNode
			Edges []graphEdge
		}
	}](t, post(t, h, `{ graph(kinds: [Country, Organization, Person, Programme, Topic, Event, Agreement]) { nodes { id } edges { id source target } } }`, nil)).Graph
	if r.NodeCount != len(sg.Nodes) || r.EdgeCount != len(sg.Edges) {
		t.Errorf("got %d nodes and %d edges, want the graph's %d and %d", r.NodeCount, r.EdgeCount, len(sg.Nodes), len(sg.Edges))
	}
	for _, s := range r.Scores {
		adjacent := map[string]bool{}
		for _, e := range sg.Edges {
			if e.Source == s.Node.ID && e.Target != s.Node.ID {
				adjacent[e.Target] = true
			}
			if e.Target == s.Node.ID && e.Source != s.Node.ID {
				adjacent[e.Source] = true
			}
		}
		want := float64(len(adjacent)) / float64(len(sg.Nodes)-1)
		if math.Abs(s.Score-want) > 1e-9 {
			t.Errorf("degree of %s is %v, want %d/%d = %v", s.Node.ID, s.Score, len(adjacent), len(sg.Nodes)-1, want)
		}
	}

	countries := mustData[struct{ Centrality ranking }](t, post(t, h, q, map[string]any{"m": "BETWEENNESS", "k": []string{"Country"}})).Centrality
	for _, s := range countries.Scores {
		if s.Node.Kind != "Country" {
			t.Errorf("kinds [Country] ranked %s, a %s", s.Node.ID, s.Node.Kind)
		}
	}
}

func TestBrokerage(t *testing.T) {
	h := newRoomyHandler(t)
	data := mustData[struct {
		Brokerage []struct {
			Node                                                        idName
			Side                                                        string
			Coordinator, Itinerant, Gatekeeper, Representative, Liaison int
			Total                                                       int
		}
	}](t, post(t, h, `{ brokerage(groupBy: SIDE, first: 15) {
		node { id kind } side coordinator itinerant gatekeeper representative liaison total } }`, nil))
	if len(data.Brokerage) == 0 || len(data.Brokerage) > 15 {
		t.Fatalf("got %d brokers, want 1 to 15", len(data.Brokerage))
	}
	var sides []string
	for _, s := range domain.Sides {
		sides = append(sides, string(s))
	}
	for i, b := range data.Brokerage {
		if sum := b.Coordinator + b.Itinerant + b.Gatekeeper + b.Representative + b.Liaison; sum != b.Total || sum == 0 {
			t.Errorf("%s: roles sum to %d, total %d; want equal and above 0", b.Node.ID, sum, b.Total)
		}
		if b.Gatekeeper != b.Representative {
			t.Errorf("%s: gatekeeper %d, representative %d; want equal for undirected ties", b.Node.ID, b.Gatekeeper, b.Representative)
		}
		if !slices.Contains(sides, b.Side) {
			t.Errorf("%s: side %q, want one of %v", b.Node.ID, b.Side, sides)
		}
		if b.Node.Kind != "Country" && b.Node.Kind != "Organization" && b.Node.Kind != "Person" {
			t.Errorf("%s is a %s, want only actors", b.Node.ID, b.Node.Kind)
		}
		if b.Node.ID == "country:ecuador" && b.Side != "ECUADOR" {
			t.Errorf("country:ecuador is on side %s, want ECUADOR", b.Side)
		}
		if i > 0 {
			prev := data.Brokerage[i-1]
			if c := cmp.Or(cmp.Compare(b.Total, prev.Total), cmp.Compare(prev.Node.ID, b.Node.ID)); c > 0 {
				t.Errorf("%s (%d) ranks after %s (%d), want total descending, then ID", b.Node.ID, b.Total, prev.Node.ID, prev.Total)
			}
		}
	}
}

type timelineEntry struct {
	Date     string
	Kind     string
	Edge     *datedEdge
	Event    *idName
	Sentence string
}

const timelineFields = `date kind sentence edge { ` + datedEdgeFields + ` } event { id name }`

// checkTimeline checks order, the range and the sentence of every entry.
func checkTimeline(tb testing.TB, h http.Handler, es []timelineEntry, from, to string) {
	tb.Helper()
	for i, e := range es {
		if !strings.HasPrefix(e.Sentence, e.Date+": ") {
			tb.Errorf("entry %d: sentence %q, want it to start with its date %s", i, e.Sentence, e.Date)
		}
		if i > 0 && firstDay(es[i-1].Date) > firstDay(e.Date) {
			tb.Errorf("entry %d (%s) comes after one dated %s, want date order", i, e.Date, es[i-1].Date)
		}
		if from != "" && lastDay(tb, e.Date) < firstDay(from) || to != "" && firstDay(e.Date) > lastDay(tb, to) {
			tb.Errorf("entry %d is dated %s, outside %s–%s", i, e.Date, from, to)
		}
		switch e.Kind {
		case "STARTED", "ENDED":
			if e.Edge == nil || e.Event != nil {
				tb.Errorf("entry %d (%s): got edge %v and event %v, want an edge only", i, e.Kind, e.Edge, e.Event)
				continue
			}
			date := e.Edge.Start
			if e.Kind == "ENDED" {
				date = e.Edge.End
			}
			if date == nil || *date != e.Date {
				tb.Errorf("entry %d (%s) dated %s, want the edge's date %v", i, e.Kind, e.Date, deref(date))
			}
			n := names(tb, h, e.Edge.Source, e.Edge.Target)
			if !strings.Contains(e.Sentence, n[e.Edge.Source]) || !strings.Contains(e.Sentence, n[e.Edge.Target]) {
				tb.Errorf("entry %d: sentence %q does not name both %q and %q", i, e.Sentence, n[e.Edge.Source], n[e.Edge.Target])
			}
			if e.Edge.Status != nil && !strings.Contains(e.Sentence, *e.Edge.Status) {
				tb.Errorf("entry %d: sentence %q does not give the status %q", i, e.Sentence, *e.Edge.Status)
			}
		case "EVENT":
			if e.Event == nil || e.Edge != nil {
				tb.Errorf("entry %d (EVENT): got edge %v and event %v, want an event only", i, e.Edge, e.Event)
				continue
			}
			if !strings.Contains(e.Sentence, e.Event.Name+" took place") {
				tb.Errorf("entry %d: sentence %q, want %q", i, e.Sentence, e.Event.Name+" took place")
			}
		default:
			tb.Errorf("entry %d has kind %q", i, e.Kind)
		}
	}
}

func TestTimeline(t *testing.T) {
	h := newRoomyHandler(t)
	q := `query($actor: ID, $from: Date, $to: Date) { timeline(actor: $actor, from: $from, to: $to) { ` + timelineFields + ` } }`

	// The agreement: the negotiation ends and the signing starts on 2023-10-26.
	es := mustData[struct{ Timeline []timelineEntry }](t, post(t, h, q, map[string]any{"actor": europolAgreement})).Timeline
	checkTimeline(t, h, es, "", "")
	var signed, ended bool
	for _, e := range es {
		if e.Kind == "EVENT" {
			// An event the agreement is related to (the round table reviewed it).
			if _, ok := neighbours(t, h, europolAgreement)[e.Event.ID]; !ok {
				t.Errorf("entry %q is an event not related to %s", e.Sentence, europolAgreement)
			}
			continue
		}
		if e.Edge == nil || (e.Edge.Source != europolAgreement && e.Edge.Target != europolAgreement) {
			t.Errorf("entry %q does not touch %s", e.Sentence, europolAgreement)
			continue
		}
		if e.Date == "2023-10-26" && e.Kind == "STARTED" && deref(e.Edge.Status) == "signed" && e.Edge.Type == "PARTY_TO" {
			signed = true
		}
		if e.Date == "2023-10-26" && e.Kind == "ENDED" && deref(e.Edge.Status) == "negotiating" {
			ended = true
		}
	}
	if !signed || !ended {
		t.Errorf("got timeline %+v, want the signing to start and the negotiation to end on 2023-10-26", es)
	}

	// Hungary: the round table it attended took place.
	es = mustData[struct{ Timeline []timelineEntry }](t, post(t, h, q, map[string]any{"actor": "country:hungary"})).Timeline
	checkTimeline(t, h, es, "", "")
	if !slices.ContainsFunc(es, func(e timelineEntry) bool { return e.Kind == "EVENT" && e.Event != nil && e.Event.ID == roundTable }) {
		t.Errorf("got timeline %+v, want the round table Hungary attended as an EVENT", es)
	}

	// A window over the whole graph.
	es = mustData[struct{ Timeline []timelineEntry }](t, post(t, h, q, map[string]any{"from": "2023-09", "to": "2023-10"})).Timeline
	if len(es) == 0 {
		t.Fatalf("got no entries in 2023-09–2023-10, want some")
	}
	checkTimeline(t, h, es, "2023-09", "2023-10")
}

func TestIssue3Errors(t *testing.T) {
	h := newHandler(t)
	tests := []struct {
		name  string
		query string
		vars  map[string]any
		code  string
		want  []string
	}{
		{"bad asOf", `{ neighborhood(id: "country:hungary", asOf: "2023-13") { nodes { id } } }`, nil,
			domain.EINVALID, []string{"2023-13", "month"}},
		{"bad asOf in a variable", `query($d: Date) { graph(asOf: $d) { nodes { id } } }`, map[string]any{"d": "27/09/2023"},
			domain.EINVALID, []string{"27/09/2023", "YYYY-MM-DD"}},
		{"topic that is not a topic", `{ neighborhood(id: "country:hungary", topic: "country:spain") { nodes { id } } }`, nil,
			domain.EINVALID, []string{"country:spain", "not a topic"}},
		{"unknown topic", `{ graph(topic: "topic:piracy") { nodes { id } } }`, nil,
			domain.ENOTFOUND, []string{`"topic:piracy"`}},
		{"all simple paths too long", `{ paths(from: "country:hungary", to: "programme:el-paccto", mode: ALL_SIMPLE, maxHops: 6) { length } }`, nil,
			domain.EINVALID, []string{"maxHops 6", "ALL_SIMPLE"}},
		{"avoid an end", `{ paths(from: "country:hungary", to: "programme:el-paccto", avoid: ["country:hungary"]) { length } }`, nil,
			domain.EINVALID, []string{"avoid", "country:hungary"}},
		{"unknown path end", `{ paths(from: "country:atlantis", to: "programme:el-paccto") { length } }`, nil,
			domain.ENOTFOUND, []string{`"country:atlantis"`}},
		{"path mode in the wrong case", `query($m: PathMode) { paths(from: "country:hungary", to: "programme:el-paccto", mode: $m) { length } }`,
			map[string]any{"m": "all_simple"}, domain.EINVALID, []string{`"all_simple" is not a PathMode`}},
		{"one id to connect", `{ commonConnections(ids: ["country:spain"]) { count } }`, nil,
			domain.EINVALID, []string{"2 to 20", "got 1"}},
		{"the same id twice", `{ commonConnections(ids: ["country:spain", "country:spain"]) { count } }`, nil,
			domain.EINVALID, []string{"country:spain", "twice"}},
		{"unknown id to connect", `{ commonConnections(ids: ["country:spain", "country:atlantis"]) { count } }`, nil,
			domain.ENOTFOUND, []string{`"country:atlantis"`}},
		{"commonConnections first zero", `{ commonConnections(ids: ["country:spain", "country:ecuador"], first: 0) { count } }`, nil,
			domain.EINVALID, []string{"first 0"}},
		{"co-participation of programmes", `{ coParticipation(kinds: [Programme]) { jaccard } }`, nil,
			domain.EINVALID, []string{"Programme", "Country, Organization or Person"}},
		{"centrality page too large", `{ centrality(measure: DEGREE, first: 500) { nodeCount } }`, nil,
			domain.EINVALID, []string{"first 500", "1 to 100"}},
		{"centrality topic that is not a topic", `{ centrality(measure: DEGREE, topic: "programme:el-paccto") { nodeCount } }`, nil,
			domain.EINVALID, []string{"programme:el-paccto", "not a topic"}},
		{"measure in the wrong case", `query($m: CentralityMeasure!) { centrality(measure: $m) { nodeCount } }`,
			map[string]any{"m": "degree"}, domain.EINVALID, []string{`"degree" is not a CentralityMeasure`, "DEGREE"}},
		{"brokerage first negative", `{ brokerage(first: -1) { total } }`, nil,
			domain.EINVALID, []string{"first -1"}},
		{"timeline ends before it starts", `{ timeline(from: "2024", to: "2023") { date } }`, nil,
			domain.EINVALID, []string{"before"}},
		{"timeline of an unknown actor", `{ timeline(actor: "country:atlantis") { date } }`, nil,
			domain.ENOTFOUND, []string{`"country:atlantis"`}},
		{"status on an impossible day", `{ stakeholder(id: "` + europolAgreement + `") { ... on Agreement { status(asOf: "2023-02-30") } } }`, nil,
			domain.EINVALID, []string{"2023-02-30"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, post(t, h, tt.query, tt.vars), tt.code, tt.want...)
		})
	}
}

func TestIssue3Complexity(t *testing.T) {
	// Enumerating modes, analyses and long pages cost more, under a limit
	// that lets the cheap version through.
	h := graph.NewHandler(shippedStore(t), graph.HandlerOptions{ComplexityLimit: 300})
	tests := []struct {
		small, large string
	}{
		{`{ paths(from: "country:hungary", to: "programme:el-paccto", limit: 30) { nodes { id } } }`,
			`{ paths(from: "country:hungary", to: "programme:el-paccto", limit: 30, mode: ALL_SIMPLE) { nodes { id } } }`},
		{`{ centrality(measure: DEGREE, first: 10) { scores { node { id } } } }`,
			`{ centrality(measure: DEGREE, first: 100) { scores { node { id } } } }`},
		{`{ brokerage(first: 10) { node { id } } }`,
			`{ brokerage(first: 100) { node { id } } }`},
		{`{ commonConnections(ids: ["country:spain", "country:ecuador"], first: 5) { node { id } connects { id } } }`,
			`{ commonConnections(ids: ["country:spain", "country:ecuador"], first: 50) { node { id } connects { id } } }`},
		{`{ coParticipation(first: 40) { a { id } b { id } } }`,
			`{ coParticipation(first: 50) { a { id } b { id } shared { id } } }`},
		{`{ timeline(first: 50) { date edge { id } event { id } } }`,
			`{ timeline(first: 100) { date edge { id } event { id } } }`},
		{`{ neighborhood(id: "country:hungary") { nodes { id } } }`,
			`{ graph { nodes { id } edges { id } } }`},
	}
	for _, tt := range tests {
		if resp := post(t, h, tt.small, nil); len(resp.Errors) > 0 {
			t.Errorf("%s: got errors %+v, want none", tt.small, resp.Errors)
		}
		wantError(t, post(t, h, tt.large, nil), "COMPLEXITY_LIMIT_EXCEEDED")
	}
}

// TestDefaultLimitAdmitsWholeViews checks the default complexity limit lets
// a frontend fetch the whole graph with evidence, and a full timeline with
// evidence, in one query — and still refuses nesting that multiplies lists.
func TestDefaultLimitAdmitsWholeViews(t *testing.T) {
	h := newHandler(t)
	admitted := []string{
		`{ graph { nodes { id label kind } edges { id source target type evidence { quote source { name url } } } } }`,
		`{ timeline(actor: "country:ecuador") { date kind sentence edge { id evidence { quote source { name url } } } event { id name } } }`,
	}
	for _, q := range admitted {
		if resp := post(t, h, q, nil); len(resp.Errors) > 0 {
			t.Errorf("%s: got errors %+v, want none", q, resp.Errors)
		}
	}
	wantError(t, post(t, h, `{ graph { nodes { stakeholder { relations { node { relations { id } } } } } } }`, nil), "COMPLEXITY_LIMIT_EXCEEDED")
}

// TestCooperationRollUp: the rollUp argument reaches the store, and the
// chain that ties FIIAPP to Spain shows in the row's edges and evidence.
func TestCooperationRollUp(t *testing.T) {
	h := newRoomyHandler(t)
	type row struct {
		Via      *idName
		Edges    []struct{ ID string }
		Evidence []struct{ Quote string }
	}
	query := `query($rollUp: Boolean) { cooperation(actor: "country:spain", partner: "country:ecuador", rollUp: $rollUp) {
		via { id } edges { id } evidence { quote } } }`
	tests := []struct {
		rollUp    any
		wantChain bool
	}{
		{nil, false},
		{false, false},
		{true, true},
	}
	for _, tt := range tests {
		data := mustData[struct{ Cooperation []row }](t, post(t, h, query, map[string]any{"rollUp": tt.rollUp}))
		gotChain := false
		for _, r := range data.Cooperation {
			for _, e := range r.Edges {
				if e.ID == "organization:fiiapp|PART_OF|country:spain" {
					gotChain = true
					if !slices.ContainsFunc(r.Evidence, func(ev struct{ Quote string }) bool { return ev.Quote == "FIIAPP (Spain)" }) {
						t.Errorf("rollUp %v via %v: got evidence %v, want the chain's quote %q", tt.rollUp, r.Via, r.Evidence, "FIIAPP (Spain)")
					}
				}
			}
		}
		if gotChain != tt.wantChain {
			t.Errorf("rollUp %v: got FIIAPP's chain in the rows %v, want %v", tt.rollUp, gotChain, tt.wantChain)
		}
	}
}

// TestCommonConnectionsRollUp: the rollUp argument reaches the store.
func TestCommonConnectionsRollUp(t *testing.T) {
	h := newRoomyHandler(t)
	query := `query($rollUp: Boolean) { commonConnections(ids: ["country:spain", "country:ecuador"], kinds: [Programme], rollUp: $rollUp) {
		node { id } } }`
	count := map[bool]int{}
	for _, rollUp := range []bool{false, true} {
		data := mustData[struct{ CommonConnections []struct{ Node idName } }](t, post(t, h, query, map[string]any{"rollUp": rollUp}))
		count[rollUp] = len(data.CommonConnections)
	}
	if count[true] <= count[false] {
		t.Errorf("programmes Spain and Ecuador share: got %d with rollUp and %d without, want more with", count[true], count[false])
	}
}
