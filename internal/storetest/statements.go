package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// statementsByHand selects statements as StatementQuery documents it,
// written out here apart from domain.SelectStatements, whatever First says.
func statementsByHand(g *domain.Graph, q domain.StatementQuery) []string {
	var ids []string
	for _, s := range g.Statements {
		if q.Speaker != "" && s.Speaker != q.Speaker && s.OnBehalfOf != q.Speaker {
			continue
		}
		if q.Topic != "" && !slices.Contains(s.About, q.Topic) {
			continue
		}
		if q.Event != "" && s.Event != q.Event {
			continue
		}
		if q.Stance != "" && s.Stance != q.Stance {
			continue
		}
		// A statement dated later than asOf was not made yet; an undated one
		// counts at every date. Partial dates compare by their first day.
		if q.AsOf != "" && s.Date != "" && firstDay(q.AsOf) < firstDay(s.Date) {
			continue
		}
		if s.ID > q.After {
			ids = append(ids, s.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

func firstDay(d domain.PartialDate) string {
	return string(d) + "-01-01"[len(d)-4:]
}

func statementIDs(sts []*domain.Statement) []string {
	ids := make([]string, len(sts))
	for i, s := range sts {
		ids[i] = s.ID
	}
	return ids
}

// testStatements checks the statements the store returns for each filter
// against the shipped graph's, and that the store returns them whole.
func testStatements(ctx context.Context, t *testing.T, s domain.Store, g *domain.Graph) {
	if len(g.Statements) == 0 {
		t.Fatal("the shipped dataset holds no statements")
	}
	geurts, albornoz := "person:charles-michel-geurts", "person:isabel-albornoz"
	queries := []domain.StatementQuery{
		{},
		{Speaker: geurts},
		{Speaker: "country:ecuador"}, // on whose behalf
		{Topic: "topic:organised-crime"},
		{Topic: "topic:organised-crime", Speaker: albornoz},
		{Event: "event:iii-round-table-2023"},
		{Stance: domain.StanceSupports},
		{Stance: domain.StanceOpposes},
		{AsOf: "2023-08"},
		{AsOf: "2023-09"},
		{First: 1},
		{First: 2, After: "statement:albornoz-eu-cooperation-2023"},
	}
	byID := map[string]*domain.Statement{}
	for _, st := range g.Statements {
		byID[st.ID] = st
	}
	for _, q := range queries {
		t.Run(fmt.Sprintf("%+v", q), func(t *testing.T) {
			got, err := s.Statements(ctx, q)
			noErr(t, err)
			want := statementsByHand(g, q)
			if q.First > 0 && len(want) > q.First {
				want = want[:q.First]
			}
			if !slices.Equal(statementIDs(got), want) {
				t.Fatalf("got %v, want %v", statementIDs(got), want)
			}
			for _, st := range got {
				if !domain.SameStatement(st, byID[st.ID]) {
					t.Errorf("got %+v, want %+v", st, byID[st.ID])
				}
			}
		})
	}
	t.Run("errors", func(t *testing.T) {
		_, err := s.Statements(ctx, domain.StatementQuery{Speaker: "person:nobody"})
		wantCode(t, err, domain.ENOTFOUND)
		_, err = s.Statements(ctx, domain.StatementQuery{Stance: "AGREES"})
		wantCode(t, err, domain.EINVALID)
		_, err = s.Statements(ctx, domain.StatementQuery{First: domain.MaxPageSize + 1})
		wantCode(t, err, domain.EINVALID)
	})
}

// RenderDiscourse renders a discourse network, weights and evidence
// included, so two stores' answers can be compared as text.
func RenderDiscourse(sg *domain.Subgraph) string {
	var b strings.Builder
	for _, n := range sg.Nodes {
		fmt.Fprintf(&b, "node %s\n", n.ID)
	}
	for _, r := range sg.Relations {
		fmt.Fprintf(&b, "edge %s weight %d %s %s:", r.ID, sg.Weights[r.ID], r.Confidence, r.Note)
		for _, e := range r.Evidence {
			fmt.Fprintf(&b, " [%s %q]", e.SourceID, e.Quote)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// testDiscourseNetwork checks the shipped statements' actor networks: both
// speakers stand for joint action against organised crime, and no two
// actors take opposite stances.
func testDiscourseNetwork(ctx context.Context, t *testing.T, s domain.Store) {
	const tie = "person:charles-michel-geurts|CONGRUENCE|person:isabel-albornoz"
	cases := []struct {
		q     domain.DiscourseQuery
		edges []string // ID:weight
	}{
		{domain.DiscourseQuery{Kind: domain.DiscourseCongruence}, []string{tie + ":1"}},
		{domain.DiscourseQuery{Kind: domain.DiscourseCongruence, Topic: "topic:organised-crime"}, []string{tie + ":1"}},
		{domain.DiscourseQuery{Kind: domain.DiscourseCongruence, Topic: "topic:terrorism"}, nil},
		{domain.DiscourseQuery{Kind: domain.DiscourseCongruence, AsOf: "2023-08"}, nil},
		{domain.DiscourseQuery{Kind: domain.DiscourseConflict}, nil},
	}
	for _, tt := range cases {
		t.Run(fmt.Sprintf("%+v", tt.q), func(t *testing.T) {
			sg, err := domain.DiscourseNetwork(ctx, s, tt.q)
			noErr(t, err)
			var got []string
			for _, r := range sg.Relations {
				got = append(got, fmt.Sprintf("%s:%d", r.ID, sg.Weights[r.ID]))
			}
			if !slices.Equal(got, tt.edges) {
				t.Fatalf("edges: got %v, want %v", got, tt.edges)
			}
			if len(tt.edges) > 0 && (len(sg.Nodes) != 2 || len(sg.Relations[0].Evidence) != 2) {
				t.Errorf("got %d nodes and evidence %v, want the two speakers and their two quotes", len(sg.Nodes), sg.Relations[0].Evidence)
			}
		})
	}
	_, err := domain.DiscourseNetwork(ctx, s, domain.DiscourseQuery{Kind: domain.DiscourseConflict, Topic: "topic:nothing"})
	wantCode(t, err, domain.ENOTFOUND)
}

// StatementWrites adds a statement that opposes what two speakers
// support, and checks reads, history, the conflict network, retiring its
// speaker and reverting, on a fresh writable store holding the shipped
// dataset and its texts (RunWrites runs it; a store whose tests open their
// own may call it).
func StatementWrites(t *testing.T, s domain.Store, w domain.Writer) {
	ctx := context.Background()
	add := &domain.Write{Action: domain.ActionAddStatement, Actor: ScriptEditor, Statement: &domain.Statement{
		Speaker: "person:ylva-johansson", About: []string{"topic:organised-crime"}, Stance: domain.StanceOpposes,
		Date: "2023-09-27", Event: "event:iii-round-table-2023", Confidence: domain.ConfidenceLow,
		Note:     "Coded against the text for this test only.",
		Evidence: domain.Evidence{SourceID: "source:roundtable-article-2023", Quote: "shows its limits when it is\nnot part of a comprehensive strategy"},
	}}
	bad := *add.Statement
	bad.Evidence.Quote = "shows no limits"
	_, err := w.Apply(ctx, &domain.Write{Action: domain.ActionAddStatement, Actor: ScriptEditor, Statement: &bad})
	wantCode(t, err, domain.EINVALID)
	_, err = w.Apply(ctx, &domain.Write{Action: domain.ActionAddStatement, Actor: ScriptReader, Statement: add.Statement})
	wantCode(t, err, domain.EFORBIDDEN)

	c, err := w.Apply(ctx, add)
	noErr(t, err)
	id := domain.StatementID("person:ylva-johansson", "shows its limits when it is not part of a comprehensive strategy")
	if c.Target != id || c.Action != domain.ActionAddStatement {
		t.Fatalf("change: got %s", RenderChange(c))
	}
	got, err := s.Statements(ctx, domain.StatementQuery{Speaker: "person:ylva-johansson"})
	noErr(t, err)
	if len(got) != 1 || !domain.SameStatement(got[0], c.Steps[0].After.Statement) {
		t.Fatalf("statements of the speaker: got %v, want the one added", statementIDs(got))
	}
	page, err := w.Changes(ctx, domain.ChangeQuery{Target: "topic:organised-crime"})
	noErr(t, err)
	if n := len(page.Changes); n == 0 || page.Changes[n-1].Seq != c.Seq {
		t.Errorf("history of the topic: got %s, want it to end with change %d", renderChangeSeqs(page), c.Seq)
	}
	sg, err := domain.DiscourseNetwork(ctx, s, domain.DiscourseQuery{Kind: domain.DiscourseConflict})
	noErr(t, err)
	want := "node person:charles-michel-geurts\nnode person:isabel-albornoz\nnode person:ylva-johansson\n"
	if r := RenderDiscourse(sg); !strings.HasPrefix(r, want) || len(sg.Relations) != 2 || sg.Relations[0].Confidence != domain.ConfidenceLow {
		t.Errorf("conflict network: got\n%s\nwant the new speaker against both others, LOW confidence", r)
	}

	retire, err := w.Apply(ctx, &domain.Write{Action: domain.ActionRetireStakeholder, Actor: ScriptAdmin, Target: "person:ylva-johansson", Reason: "test"})
	noErr(t, err)
	if !slices.ContainsFunc(retire.Steps, func(s domain.Step) bool { return s.Target == id && s.After == nil }) {
		t.Errorf("retiring the speaker: got %s, want the statement retired with it", RenderChange(retire))
	}
	got, err = s.Statements(ctx, domain.StatementQuery{})
	noErr(t, err)
	if slices.Contains(statementIDs(got), id) {
		t.Errorf("after retiring the speaker: got %v, want the statement gone", statementIDs(got))
	}
	_, err = w.Apply(ctx, &domain.Write{Action: domain.ActionRevert, Actor: ScriptAdmin, Change: retire.Seq, Reason: "test"})
	noErr(t, err)
	got, err = s.Statements(ctx, domain.StatementQuery{Speaker: "person:ylva-johansson"})
	noErr(t, err)
	if len(got) != 1 || got[0].ID != id {
		t.Errorf("after the revert: got %v, want the statement back", statementIDs(got))
	}
	_, err = w.Apply(ctx, add)
	wantCode(t, err, domain.ECONFLICT)
}
