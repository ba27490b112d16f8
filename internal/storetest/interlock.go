package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// compareRows fails tb unless got equals want, line by line.
func compareRows(tb testing.TB, what string, got, want []string) {
	tb.Helper()
	if !slices.Equal(got, orEmpty(want)) {
		tb.Errorf("%s (%d rows, want %d):\n got %v\nwant %v", what, len(got), len(want), got, want)
	}
}

func (ref *reference) actorIDs() []string {
	var out []string
	for _, n := range ref.nodes {
		if n.Kind.IsActor() {
			out = append(out, n.ID)
		}
	}
	return out
}

func testCooperation(ctx context.Context, t *testing.T, s domain.Store, ref *reference) {
	cases := []domain.CooperationQuery{
		{Actor: "country:ecuador"},
		{Actor: "country:ecuador", Partner: "country:spain"},
		{Actor: "country:ecuador", Topic: "topic:maritime-security"},
		{Actor: "organization:ministry-foreign-affairs-ecuador"},
		{Actor: "country:hungary", Topic: "topic:cyber-security"},
		{Actor: "country:ecuador", AsOf: "2023-09-27"},
		{Actor: "country:ecuador", AsOf: "2023-10-27"},
		{Actor: "country:ecuador", AsOf: "2023-10-26", Partner: "organization:europol"},
		{Actor: "organization:europol", AsOf: "2023-09", Topic: "topic:organised-crime"},
		{Actor: "country:spain", RollUp: true},
		{Actor: "country:spain", RollUp: true, Partner: "country:ecuador", AsOf: "2023-09-27"},
		{Actor: "country:ecuador", RollUp: true},
		{Actor: "country:ecuador", RollUp: true, Topic: "topic:maritime-security"},
		{Actor: "country:ecuador", RollUp: true, AsOf: "2023-10-27"},
		{Actor: "organization:european-union", RollUp: true, AsOf: "2024-08"},
	}
	for _, q := range cases {
		t.Run(fmt.Sprintf("%s topic %q partner %q asOf %q rollUp %v", q.Actor, q.Topic, q.Partner, q.AsOf, q.RollUp), func(t *testing.T) {
			rows, err := s.Cooperation(ctx, q)
			noErr(t, err)
			want := ref.cooperation(q)
			if len(want) == 0 {
				t.Fatalf("the dataset has no cooperation for this case; the test needs one")
			}
			compareRows(t, "cooperation", renderAll(rows, renderCooperation), want)
		})
	}
	// Sweep: every actor, unscoped and at a date; a sample with topics.
	topics := ref.nodesOfKind(domain.KindTopic)
	for i, a := range ref.actorIDs() {
		sweep := []domain.CooperationQuery{
			{Actor: a},
			{Actor: a, AsOf: sweepDates[i%len(sweepDates)]},
			{Actor: a, Topic: topics[i%len(topics)], AsOf: sweepDates[(i+4)%len(sweepDates)]},
			{Actor: a, RollUp: true},
			{Actor: a, RollUp: true, AsOf: sweepDates[(i+2)%len(sweepDates)]},
		}
		for _, q := range sweep {
			t.Run(fmt.Sprintf("sweep %s topic %q asOf %q rollUp %v", q.Actor, q.Topic, q.AsOf, q.RollUp), func(t *testing.T) {
				rows, err := s.Cooperation(ctx, q)
				noErr(t, err)
				compareRows(t, "cooperation", renderAll(rows, renderCooperation), ref.cooperation(q))
				for _, r := range rows {
					if err := ref.checkFull(append([]*domain.Node{r.Partner}, r.Topics...), r.Relations); err != nil {
						t.Error(err)
					}
				}
			})
		}
	}
	t.Run("roll up", func(t *testing.T) { testCooperationRollUp(ctx, t, s) })
	t.Run("not an actor", func(t *testing.T) {
		_, err := s.Cooperation(ctx, domain.CooperationQuery{Actor: "topic:maritime-security"})
		wantCode(t, err, domain.EINVALID)
	})
	t.Run("unknown actor", func(t *testing.T) {
		_, err := s.Cooperation(ctx, domain.CooperationQuery{Actor: "country:atlantis"})
		wantCode(t, err, domain.ENOTFOUND)
	})
}

// testCommonConnectionsRollUp: with rollUp, Spain and Ecuador share the
// programmes FIIAPP implements, and the chain shows why.
func testCommonConnectionsRollUp(ctx context.Context, t *testing.T, s domain.Store) {
	q := domain.CommonConnectionsQuery{IDs: []string{"country:spain", "country:ecuador"}, Kinds: []domain.Kind{domain.KindProgramme}, First: 20}
	plain, err := s.CommonConnections(ctx, q)
	noErr(t, err)
	q.RollUp = true
	rolled, err := s.CommonConnections(ctx, q)
	noErr(t, err)
	got := map[string][]string{}
	for _, c := range rolled {
		got[c.Node.ID] = relationIDs(c.Relations)
	}
	if !slices.Contains(got["programme:el-paccto"], "organization:fiiapp|PART_OF|country:spain") {
		t.Errorf("rolled up: got %v, want EL PAcCTO connecting Spain (through FIIAPP's chain) and Ecuador", got)
	}
	if len(rolled) <= len(plain) {
		t.Errorf("programmes Spain and Ecuador share: got %d rolled up and %d not, want more rolled up", len(rolled), len(plain))
	}
}

// testCooperationRollUp checks the questions rollUp answers on the shipped
// data: what Spain cooperates with Ecuador on through FIIAPP, and that
// Ecuador's own bodies are never its partners.
func testCooperationRollUp(ctx context.Context, t *testing.T, s domain.Store) {
	const fiiappInSpain = "organization:fiiapp|PART_OF|country:spain"
	rows, err := s.Cooperation(ctx, domain.CooperationQuery{Actor: "country:spain", Partner: "country:ecuador", RollUp: true})
	noErr(t, err)
	via := map[string][]string{}
	for _, r := range rows {
		if r.Via != nil {
			via[r.Via.ID] = relationIDs(r.Relations)
		}
	}
	for _, p := range []string{"programme:el-paccto", "programme:copolad-iii", "programme:eurofront", "programme:seacop"} {
		if !slices.Contains(via[p], fiiappInSpain) {
			t.Errorf("Spain with Ecuador, rolled up, via %s: got relations %v, want FIIAPP's chain %s among them", p, via[p], fiiappInSpain)
		}
	}
	plain, err := s.Cooperation(ctx, domain.CooperationQuery{Actor: "country:spain", Partner: "country:ecuador"})
	noErr(t, err)
	if len(plain) >= len(rows) {
		t.Errorf("Spain with Ecuador: got %d rows without rollUp and %d with, want more with", len(plain), len(rows))
	}
	for _, rollUp := range []bool{false, true} {
		rows, err := s.Cooperation(ctx, domain.CooperationQuery{Actor: "country:ecuador", RollUp: rollUp})
		noErr(t, err)
		for _, r := range rows {
			if r.Partner.ID == "country:ecuador" || slices.Contains(ecuadorianBodies, r.Partner.ID) {
				t.Errorf("Ecuador (rollUp %v): got its own %s as a partner, want none of its bodies", rollUp, r.Partner.ID)
			}
			if rollUp && r.Partner.Kind == domain.KindOrganization && slices.Contains(nationalBodies, r.Partner.ID) {
				t.Errorf("Ecuador, rolled up: got the national body %s as a partner, want its country", r.Partner.ID)
			}
		}
	}
}

// ecuadorianBodies and nationalBodies are bodies of the shipped data that
// are PART_OF Ecuador or of another country.
var (
	ecuadorianBodies = []string{"organization:ministry-foreign-affairs-ecuador", "organization:ministry-interior-ecuador",
		"organization:policia-nacional-ecuador", "organization:armada-ecuador", "organization:senae", "organization:snai",
		"organization:arcotel", "organization:ecucert"}
	nationalBodies = []string{"organization:fiiapp", "organization:camoes", "organization:giz", "organization:policia-nacional-spain",
		"organization:ria-estonia", "organization:netherlands-mfa", "organization:ministry-interior-belgium", "organization:expertise-france"}
)

func testCommonConnections(ctx context.Context, t *testing.T, s domain.Store, ref *reference) {
	type tc struct {
		q        domain.CommonConnectionsQuery
		nonEmpty bool // the example the issue gives: the answer must not be empty
	}
	cases := []tc{
		{domain.CommonConnectionsQuery{IDs: []string{"country:spain", "country:ecuador"}}, true},
		{domain.CommonConnectionsQuery{IDs: []string{"country:spain", "country:ecuador"},
			Kinds: []domain.Kind{domain.KindProgramme, domain.KindEvent}}, true},
		{domain.CommonConnectionsQuery{IDs: []string{"country:ecuador", "organization:europol"}, AsOf: "2023-09-27"}, true},
		{domain.CommonConnectionsQuery{IDs: []string{"country:ecuador", "organization:europol"}, AsOf: "2023-10-27"}, true},
		{domain.CommonConnectionsQuery{IDs: []string{"country:spain", "country:ecuador", "country:hungary", "country:france"},
			RelationTypes: []domain.RelationType{domain.RelAttended, domain.RelParticipatesIn}, First: 5}, true},
		{domain.CommonConnectionsQuery{IDs: []string{"country:spain", "country:ecuador", "country:hungary"}, First: 1}, true},
		{domain.CommonConnectionsQuery{IDs: []string{"country:spain", "country:ecuador"}, RollUp: true,
			Kinds: []domain.Kind{domain.KindProgramme, domain.KindEvent}}, true},
		{domain.CommonConnectionsQuery{IDs: []string{"country:spain", "country:ecuador", "organization:european-union"}, RollUp: true,
			AsOf: "2023-09-27"}, true},
		{domain.CommonConnectionsQuery{IDs: []string{"country:ecuador", "organization:arcotel"}, RollUp: true}, false},
	}
	// Sweep: pairs and triples spread over the actors, with kinds, types and dates.
	actors := ref.actorIDs()
	for i := 0; i < 60; i++ {
		a, b, c := actors[(i*7)%len(actors)], actors[(i*13+5)%len(actors)], actors[(i*29+17)%len(actors)]
		if a == b || b == c || a == c {
			continue
		}
		cases = append(cases,
			tc{q: domain.CommonConnectionsQuery{IDs: []string{a, b}}},
			tc{q: domain.CommonConnectionsQuery{IDs: []string{a, b, c}, First: 1 + i%10}},
			tc{q: domain.CommonConnectionsQuery{IDs: []string{c, a}, AsOf: sweepDates[i%len(sweepDates)],
				Kinds: []domain.Kind{domain.Kinds[i%len(domain.Kinds)], domain.Kinds[(i+4)%len(domain.Kinds)]}}},
			tc{q: domain.CommonConnectionsQuery{IDs: []string{b, c}, RelationTypes: []domain.RelationType{
				domain.RelationTypes[i%len(domain.RelationTypes)], domain.RelAttended, domain.RelParticipatesIn}}},
			tc{q: domain.CommonConnectionsQuery{IDs: []string{a, c}, RollUp: true, AsOf: sweepDates[(i+3)%len(sweepDates)]}},
		)
	}
	// Every pair of countries.
	countries := ref.nodesOfKind(domain.KindCountry)
	for i, a := range countries {
		for _, b := range countries[i+1:] {
			cases = append(cases, tc{q: domain.CommonConnectionsQuery{IDs: []string{a, b}, First: domain.MaxPageSize}},
				tc{q: domain.CommonConnectionsQuery{IDs: []string{a, b}, First: domain.MaxPageSize, RollUp: true}})
		}
	}
	t.Run("roll up", func(t *testing.T) { testCommonConnectionsRollUp(ctx, t, s) })
	for _, c := range cases {
		q := c.q
		t.Run(fmt.Sprintf("%v kinds %v types %v asOf %q first %d rollUp %v", q.IDs, q.Kinds, q.RelationTypes, q.AsOf, q.First, q.RollUp), func(t *testing.T) {
			rows, err := s.CommonConnections(ctx, q)
			noErr(t, err)
			valid := q
			noErr(t, valid.Validate())
			want := ref.commonConnections(valid)
			if c.nonEmpty && len(want) == 0 {
				t.Fatalf("the dataset has no common connection for this case; the test needs one")
			}
			compareRows(t, "common connections", renderAll(rows, renderCommonConnection), want)
			for _, r := range rows {
				if err := ref.checkFull(append([]*domain.Node{r.Node}, r.Connected...), r.Relations); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

func testCoParticipation(ctx context.Context, t *testing.T, s domain.Store, ref *reference) {
	cases := []domain.CoParticipationQuery{
		{},
		{First: domain.MaxPageSize},
		{First: 1},
		{Kinds: []domain.Kind{domain.KindCountry}, First: domain.MaxPageSize},
		{Kinds: []domain.Kind{domain.KindOrganization}, First: 50},
		{Kinds: []domain.Kind{domain.KindPerson}, First: domain.MaxPageSize},
		{Kinds: []domain.Kind{domain.KindCountry, domain.KindPerson}, First: 30},
		{Topic: "topic:maritime-security", First: domain.MaxPageSize},
		{Topic: "topic:organised-crime", AsOf: "2023-09-27", First: domain.MaxPageSize},
		{Topic: "topic:organised-crime", AsOf: "2023-10-27", First: domain.MaxPageSize},
	}
	for i, d := range sweepDates {
		cases = append(cases, domain.CoParticipationQuery{AsOf: d, First: 40 + i})
	}
	for i, topic := range ref.nodesOfKind(domain.KindTopic) {
		cases = append(cases, domain.CoParticipationQuery{Topic: topic, First: 5 + i*5})
	}
	for _, q := range cases {
		t.Run(fmt.Sprintf("kinds %v topic %q asOf %q first %d", q.Kinds, q.Topic, q.AsOf, q.First), func(t *testing.T) {
			rows, err := s.CoParticipation(ctx, q)
			noErr(t, err)
			valid := q
			noErr(t, valid.Validate())
			compareRows(t, "co-participation", renderAll(rows, renderCoParticipation), ref.coParticipation(valid))
			for _, r := range rows {
				if err := ref.checkFull(append([]*domain.Node{r.A, r.B}, r.Shared...), nil); err != nil {
					t.Error(err)
				}
			}
		})
	}
	t.Run("default page", func(t *testing.T) {
		rows, err := s.CoParticipation(ctx, domain.CoParticipationQuery{})
		noErr(t, err)
		if all := ref.coParticipation(domain.CoParticipationQuery{First: domain.MaxPageSize}); len(all) > domain.DefaultPageSize && len(rows) != domain.DefaultPageSize {
			t.Errorf("got %d rows, want the default page of %d", len(rows), domain.DefaultPageSize)
		}
	})
}
