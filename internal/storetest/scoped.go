package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// sweepDates are asOf dates around the shipped data's changes: before any
// dated relation, the round table, the Europol signing day and the days
// either side, later successions, and partial dates.
var sweepDates = []domain.PartialDate{"2019", "2022-06", "2023-09", "2023-09-26", "2023-09-27",
	"2023-10-25", "2023-10-26", "2023-10-27", "2024-03-12", "2025-09-24", "2026"}

// europolAgreement is the agreement whose parties' status changes on its
// signing day in the shipped data.
const europolAgreement = "agreement:europol-ecuador-working-agreement"

func testVersion(ctx context.Context, t *testing.T, s domain.Store, g *domain.Graph) {
	for range 2 {
		got, err := s.Version(ctx)
		noErr(t, err)
		if want := g.Version(); got != want {
			t.Fatalf("Version: got %q, want %q (Graph.Version of the loaded data)", got, want)
		}
	}
}

// testCheck: a store holding g is ready for g's version and not for
// another, which it reports as such.
func testCheck(ctx context.Context, t *testing.T, s domain.Store, g *domain.Graph) {
	noErr(t, s.Check(ctx, g.Version()))
	err := s.Check(ctx, "another-version")
	if got, want := domain.NotReadyReason(err), domain.ReasonOtherData; got != want {
		t.Errorf("Check for another version: got reason %q (%v), want %q", got, err, want)
	}
	if got, want := domain.ErrorCode(err), domain.EUNAVAILABLE; got != want {
		t.Errorf("Check for another version: got code %q, want %q", got, want)
	}
}

// nodesOfKind returns the IDs of the graph's nodes of kind k, by ID.
func (ref *reference) nodesOfKind(k domain.Kind) []string {
	var out []string
	for _, n := range ref.nodes {
		if n.Kind == k {
			out = append(out, n.ID)
		}
	}
	return out
}

// every returns every step-th ID starting at offset, so sweeps stay small
// while still reaching all parts of the graph.
func every(ids []string, step, offset int) []string {
	var out []string
	for i := offset % step; i < len(ids); i += step {
		out = append(out, ids[i])
	}
	return out
}

func (ref *reference) allIDs() []string { return nodeIDs(ref.nodes) }

// checkSubgraph compares a store's subgraph with the reference's IDs and
// checks the entries are whole.
func checkSubgraph(tb testing.TB, ref *reference, sub *domain.Subgraph, wantNodes, wantRels []string) {
	tb.Helper()
	if sub == nil {
		tb.Fatalf("got a nil subgraph")
	}
	if got := nodeIDs(sub.Nodes); !slices.Equal(got, orEmpty(wantNodes)) {
		tb.Errorf("nodes:\n got %v\nwant %v", got, wantNodes)
	}
	if got := relationIDs(sub.Relations); !slices.Equal(got, orEmpty(wantRels)) {
		tb.Errorf("relations:\n got %v\nwant %v", got, wantRels)
	}
	if err := ref.checkFull(sub.Nodes, sub.Relations); err != nil {
		tb.Error(err)
	}
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func neighborhoodName(q domain.NeighborhoodQuery) string {
	return fmt.Sprintf("%s depth %d kinds %v types %v topic %q asOf %q", q.Root, q.Depth, q.Kinds, q.RelationTypes, q.Topic, q.AsOf)
}

func testNeighborhood(ctx context.Context, t *testing.T, s domain.Store, ref *reference) {
	cases := []domain.NeighborhoodQuery{
		{Root: "event:iii-round-table-2023", Depth: 1},
		{Root: "country:hungary", Depth: 2},
		{Root: "country:hungary", Depth: 3, Kinds: []domain.Kind{domain.KindCountry, domain.KindEvent, domain.KindProgramme}},
		{Root: "programme:seacop", Depth: 2, RelationTypes: []domain.RelationType{domain.RelImplements, domain.RelPartOf}},
		{Root: "topic:maritime-security", Depth: 2, RelationTypes: []domain.RelationType{domain.RelAddresses, domain.RelImplements}},
		{Root: "country:ecuador", Depth: 1, Topic: "topic:organised-crime"},
		{Root: "country:ecuador", Depth: 2, Topic: "topic:cyber-security", AsOf: "2023-09-27"},
		{Root: "country:ecuador", Depth: 1, AsOf: "2023-09-27"},
		{Root: "country:ecuador", Depth: 1, AsOf: "2023-10-27"},
		{Root: "programme:el-paccto", Depth: 1, AsOf: "2024-03-12"},
		{Root: "programme:el-paccto", Depth: 1, AsOf: "2024-03-11"},
		{Root: "programme:gifp", Depth: 2, AsOf: "2019-11", Kinds: []domain.Kind{domain.KindProgramme}},
		{Root: "organization:europol", Depth: 3, Topic: "topic:organised-crime", AsOf: "2023-10",
			Kinds: []domain.Kind{domain.KindCountry, domain.KindOrganization, domain.KindAgreement, domain.KindTopic}},
	}
	// Sweeps: every node at depths 1 and 2; a sample of roots under each
	// topic and each date, and both together.
	for _, id := range ref.allIDs() {
		cases = append(cases, domain.NeighborhoodQuery{Root: id, Depth: 1}, domain.NeighborhoodQuery{Root: id, Depth: 2})
	}
	roots := every(ref.allIDs(), 9, 0)
	topics := ref.nodesOfKind(domain.KindTopic)
	for i, root := range roots {
		for j, topic := range every(topics, 3, i) {
			cases = append(cases, domain.NeighborhoodQuery{Root: root, Depth: 1 + (i+j)%3, Topic: topic})
		}
		for j, d := range sweepDates {
			cases = append(cases, domain.NeighborhoodQuery{Root: root, Depth: 1 + (i+j)%3, AsOf: d})
		}
		cases = append(cases, domain.NeighborhoodQuery{Root: root, Depth: 2, Topic: topics[i%len(topics)], AsOf: sweepDates[i%len(sweepDates)]})
	}
	for _, q := range cases {
		t.Run(neighborhoodName(q), func(t *testing.T) {
			sub, err := s.Neighborhood(ctx, q)
			noErr(t, err)
			wantNodes, wantRels, wantCapped := ref.neighborhood(q)
			checkSubgraph(t, ref, sub, wantNodes, wantRels)
			compareRows(t, "capped", sub.Capped, wantCapped)
		})
	}
	t.Run("member states attended", func(t *testing.T) {
		sub, err := s.Neighborhood(ctx, domain.NeighborhoodQuery{Root: "event:iii-round-table-2023", Depth: 1,
			RelationTypes: []domain.RelationType{domain.RelAttended}, Kinds: []domain.Kind{domain.KindCountry}})
		noErr(t, err)
		got := nodeIDs(sub.Nodes)
		for _, c := range []string{"austria", "belgium", "ecuador", "france", "germany", "hungary", "italy", "netherlands", "spain"} {
			if !slices.Contains(got, "country:"+c) {
				t.Errorf("round table attendees %v lack country:%s", got, c)
			}
		}
	})
}

func testGraph(ctx context.Context, t *testing.T, s domain.Store, ref *reference) {
	cases := []domain.GraphQuery{
		{},
		{Kinds: []domain.Kind{domain.KindCountry, domain.KindEvent}},
		{RelationTypes: []domain.RelationType{domain.RelAttended, domain.RelChaired}},
		{Topic: "topic:maritime-security"},
		{Topic: "topic:maritime-security", Kinds: []domain.Kind{domain.KindCountry, domain.KindProgramme}},
		// The topic itself is not of the selected kinds, so it is not kept.
		{Topic: "topic:maritime-security", Kinds: []domain.Kind{domain.KindProgramme}},
		{Topic: "topic:organised-crime", AsOf: "2023-09-27"},
		{Topic: "topic:organised-crime", AsOf: "2023-10-27", RelationTypes: []domain.RelationType{domain.RelPartyTo}},
		{Kinds: []domain.Kind{domain.KindTopic}, Topic: "topic:cyber-security"},
	}
	for _, d := range sweepDates {
		cases = append(cases, domain.GraphQuery{AsOf: d})
	}
	for i, topic := range ref.nodesOfKind(domain.KindTopic) {
		cases = append(cases, domain.GraphQuery{Topic: topic})
		cases = append(cases, domain.GraphQuery{Topic: topic, AsOf: sweepDates[i%len(sweepDates)],
			Kinds: []domain.Kind{domain.Kinds[i%len(domain.Kinds)], domain.Kinds[(i+3)%len(domain.Kinds)], domain.KindTopic}})
	}
	for _, k := range domain.Kinds {
		cases = append(cases, domain.GraphQuery{Kinds: []domain.Kind{k, domain.KindProgramme}})
	}
	for _, q := range cases {
		t.Run(fmt.Sprintf("kinds %v types %v topic %q asOf %q", q.Kinds, q.RelationTypes, q.Topic, q.AsOf), func(t *testing.T) {
			sub, err := s.Graph(ctx, q)
			noErr(t, err)
			wantNodes, wantRels := ref.graph(q)
			checkSubgraph(t, ref, sub, wantNodes, wantRels)
		})
	}
	t.Run("whole graph", func(t *testing.T) {
		sub, err := s.Graph(ctx, domain.GraphQuery{})
		noErr(t, err)
		if len(sub.Nodes) != len(ref.nodes) || len(sub.Relations) != len(ref.relations) {
			t.Errorf("got %d nodes and %d relations, want %d and %d", len(sub.Nodes), len(sub.Relations), len(ref.nodes), len(ref.relations))
		}
	})
}

// partyStatuses returns the statuses of the PARTY_TO relations to the
// Europol agreement among rels.
func partyStatuses(rels []*domain.Relation) []string {
	var out []string
	for _, r := range rels {
		if r.Type == domain.RelPartyTo && r.To == europolAgreement {
			out = append(out, r.Status)
		}
	}
	return out
}

// testEuropolAgreementAsOf checks the example: the Europol working
// agreement reads "negotiating" on 2023-09-27 and "signed" a month later,
// seen through neighborhood, graph, cooperation and the timeline.
func testEuropolAgreementAsOf(ctx context.Context, t *testing.T, s domain.Store, ref *reference) {
	cases := []struct {
		asOf   domain.PartialDate
		status string
		count  int // parties with that status on the day, counted from the reference
	}{
		{"2023-09-27", "negotiating", 0},
		{"2023-10-27", "signed", 0},
	}
	for i := range cases {
		for _, r := range ref.relations {
			if r.Type == domain.RelPartyTo && r.To == europolAgreement && r.ActiveAt(cases[i].asOf) {
				cases[i].count++
			}
		}
		if cases[i].count < 2 {
			t.Fatalf("shipped data: %d parties to %s as of %s, the test needs at least 2", cases[i].count, europolAgreement, cases[i].asOf)
		}
	}
	onlyStatus := func(tb testing.TB, statuses []string, want string, count int) {
		tb.Helper()
		if len(statuses) != count {
			tb.Errorf("PARTY_TO statuses %v: got %d, want %d", statuses, len(statuses), count)
		}
		for _, st := range statuses {
			if st != want {
				tb.Errorf("PARTY_TO statuses %v: want only %q", statuses, want)
				break
			}
		}
	}
	for _, c := range cases {
		t.Run(string(c.asOf), func(t *testing.T) {
			t.Run("neighborhood", func(t *testing.T) {
				sub, err := s.Neighborhood(ctx, domain.NeighborhoodQuery{Root: europolAgreement, Depth: 1, AsOf: c.asOf})
				noErr(t, err)
				onlyStatus(t, partyStatuses(sub.Relations), c.status, c.count)
			})
			t.Run("graph", func(t *testing.T) {
				sub, err := s.Graph(ctx, domain.GraphQuery{AsOf: c.asOf})
				noErr(t, err)
				onlyStatus(t, partyStatuses(sub.Relations), c.status, c.count)
			})
			t.Run("cooperation", func(t *testing.T) {
				rows, err := s.Cooperation(ctx, domain.CooperationQuery{Actor: "country:ecuador", Partner: "organization:europol", AsOf: c.asOf})
				noErr(t, err)
				var via []*domain.Cooperation
				for _, r := range rows {
					if r.Via != nil && r.Via.ID == europolAgreement {
						via = append(via, r)
					}
				}
				if len(via) != 1 {
					t.Fatalf("got %d rows via %s, want 1", len(via), europolAgreement)
				}
				onlyStatus(t, partyStatuses(via[0].Relations), c.status, 2)
			})
			t.Run("timeline", func(t *testing.T) {
				entries, err := s.Timeline(ctx, domain.TimelineQuery{Actor: europolAgreement, First: domain.MaxPageSize})
				noErr(t, err)
				// Replay the timeline up to the day: what started and has not ended.
				active := map[string]*domain.Relation{}
				day := c.asOf.Earliest()
				for _, e := range entries {
					if e.Relation == nil {
						continue
					}
					switch {
					case e.Kind == domain.TimelineStarted && e.Date.Earliest() <= day:
						active[e.Relation.ID] = e.Relation
					case e.Kind == domain.TimelineEnded && e.Date.Latest() <= day:
						delete(active, e.Relation.ID)
					}
				}
				var rels []*domain.Relation
				for _, r := range active {
					rels = append(rels, r)
				}
				onlyStatus(t, partyStatuses(rels), c.status, c.count)
			})
		})
	}
	t.Run("timeline order on the signing day", func(t *testing.T) {
		entries, err := s.Timeline(ctx, domain.TimelineQuery{Actor: europolAgreement, From: "2023-10-26", To: "2023-10-26", First: domain.MaxPageSize})
		noErr(t, err)
		var got []string
		for _, e := range entries {
			if e.Relation == nil || e.Date != "2023-10-26" {
				t.Errorf("entry %s: want only relations dated 2023-10-26", renderTimelineEntry(e))
				continue
			}
			got = append(got, string(e.Kind)+" "+e.Relation.Status)
		}
		// The negotiation hands over to the signature on the day: ends first.
		// Five start: Ecuador, Europol, the interior ministry and its minister
		// as signed parties, and the police's support (no status).
		want := []string{"ENDED negotiating", "ENDED negotiating", "STARTED signed", "STARTED signed", "STARTED signed", "STARTED ", "STARTED signed"}
		if !slices.Equal(got, want) {
			t.Errorf("signing day:\n got %v\nwant %v", got, want)
		}
	})
}
