package domain_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
)

func validStatement() *domain.Statement {
	return &domain.Statement{
		ID: "statement:ana-ports", Speaker: "person:ana", OnBehalfOf: "country:spain",
		About: []string{"topic:ports"}, Stance: domain.StanceSupports, Date: "2024-05",
		Event: "event:summit", Confidence: domain.ConfidenceHigh,
		Evidence: domain.Evidence{SourceID: "source:speech", Quote: "ports need joint patrols"},
	}
}

func TestStatementProblems(t *testing.T) {
	cases := []struct {
		name   string
		edit   func(s *domain.Statement)
		fields []string // the fields at fault, in order; none for a valid statement
	}{
		{"valid", func(*domain.Statement) {}, nil},
		{"id of a node", func(s *domain.Statement) { s.ID = "person:ana" }, []string{"id"}},
		{"speaker a country", func(s *domain.Statement) { s.Speaker = "country:spain"; s.OnBehalfOf = "" }, []string{"speaker"}},
		{"on behalf of itself", func(s *domain.Statement) { s.OnBehalfOf = "organization:x"; s.Speaker = "organization:x" }, []string{"onBehalfOf"}},
		{"about nothing", func(s *domain.Statement) { s.About = nil }, []string{"about"}},
		{"about an event, twice a topic", func(s *domain.Statement) { s.About = []string{"event:summit", "topic:ports", "topic:ports"} }, []string{"about[0]", "about[2]"}},
		{"stance", func(s *domain.Statement) { s.Stance = "AGREES" }, []string{"stance"}},
		{"confidence", func(s *domain.Statement) { s.Confidence = "" }, []string{"confidence"}},
		{"date", func(s *domain.Statement) { s.Date = "2024-13" }, []string{"date"}},
		{"event a topic", func(s *domain.Statement) { s.Event = "topic:ports" }, []string{"event"}},
		{"source a person, empty quote", func(s *domain.Statement) { s.Evidence = domain.Evidence{SourceID: "person:ana", Quote: " "} }, []string{"source", "quote"}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			s := validStatement()
			tt.edit(s)
			var got []string
			for _, p := range s.Problems() {
				got = append(got, p.Field)
			}
			if !slices.Equal(got, tt.fields) {
				t.Errorf("fields at fault: got %v, want %v (%v)", got, tt.fields, s.Problems())
			}
		})
	}
}

const speechText = `Minutes, Quito, May 2024.
Ana Ruiz said that ports need joint patrols and that the summit should meet yearly.`

// statementLedger is a ledger with a person, a topic and a source a
// statement can cite.
func statementLedger(t *testing.T) *ledger {
	t.Helper()
	l := newLedger(t)
	l.mustApply(t, &domain.Write{Action: domain.ActionUpsertStakeholder, Actor: editor, Node: &domain.Node{Kind: domain.KindPerson, Name: "Ana"}})
	l.mustApply(t, &domain.Write{Action: domain.ActionUpsertStakeholder, Actor: editor, Node: &domain.Node{Kind: domain.KindTopic, Name: "Ports"}})
	l.mustApply(t, &domain.Write{Action: domain.ActionAddSource, Actor: editor, Node: &domain.Node{ID: "source:speech", Name: "Minutes"}, Text: speechText})
	return l
}

func TestPlanAddStatement(t *testing.T) {
	cases := []struct {
		name     string
		edit     func(s *domain.Statement)
		wantCode string
		wantMsg  string
	}{
		{"passes, the quote wrapped differently", func(s *domain.Statement) { s.Evidence.Quote = "ports need\n joint patrols" }, "", ""},
		{"quote not verbatim", func(s *domain.Statement) { s.Evidence.Quote = "ports need patrols" }, domain.EINVALID, "quote: \"ports need patrols\" is not found verbatim in source:speech"},
		{"unknown topic", func(s *domain.Statement) { s.About = []string{"topic:fishing"} }, domain.EINVALID, "about[0]: topic:fishing is not a current node"},
		{"source without text", func(s *domain.Statement) { s.Evidence.SourceID = "source:nothing" }, domain.EINVALID, "source: source:nothing is not a current node"},
		{"breaks a rule", func(s *domain.Statement) { s.Stance = "" }, domain.EINVALID, "stance: required"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			l := statementLedger(t)
			s := validStatement()
			s.ID = ""
			tt.edit(s)
			c, err := l.apply(t, &domain.Write{Action: domain.ActionAddStatement, Actor: editor, Statement: s})
			if tt.wantCode != "" {
				if got := domain.ErrorCode(err); got != tt.wantCode || !strings.Contains(domain.ErrorMessage(err), tt.wantMsg) {
					t.Fatalf("got %s %q, want %s containing %q", got, domain.ErrorMessage(err), tt.wantCode, tt.wantMsg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := domain.StatementID("person:ana", "ports need joint patrols")
			if c.Target != want || len(l.graph.Statements) != 1 || l.graph.Statements[0].ID != want {
				t.Fatalf("got target %s and statements %v, want one statement %s", c.Target, l.graph.Statements, want)
			}
			if !c.Touches("topic:ports") || !c.Touches("person:ana") {
				t.Errorf("the change touches %v, want the speaker and topic among them", c.TouchedIDs())
			}
			// The same words again, however wrapped, are the same statement.
			_, err = l.apply(t, &domain.Write{Action: domain.ActionAddStatement, Actor: editor, Statement: s})
			if got := domain.ErrorCode(err); got != domain.ECONFLICT {
				t.Errorf("adding it twice: got %s, want ECONFLICT", got)
			}
		})
	}
}

func TestStatementHistory(t *testing.T) {
	l := statementLedger(t)
	add := l.mustApply(t, &domain.Write{Action: domain.ActionAddStatement, Actor: editor, Statement: validStatement()})
	// The source it cites cannot go while it is current.
	_, err := l.apply(t, &domain.Write{Action: domain.ActionRetireStakeholder, Actor: admin, Target: "source:speech", Reason: "wrong file"})
	if got := domain.ErrorCode(err); got != domain.ECONFLICT {
		t.Fatalf("retiring the cited source: got %s, want ECONFLICT", got)
	}
	// Retiring its speaker retires it in the same change; reverting brings both back.
	retire := l.mustApply(t, &domain.Write{Action: domain.ActionRetireStakeholder, Actor: admin, Target: "person:ana", Reason: "duplicate"})
	if len(l.graph.Statements) != 0 || !slices.ContainsFunc(retire.Steps, func(s domain.Step) bool { return s.Target == "statement:ana-ports" }) {
		t.Fatalf("after retiring the speaker: statements %v, steps %v", l.graph.Statements, retire.Steps)
	}
	l.mustApply(t, &domain.Write{Action: domain.ActionRevert, Actor: admin, Change: retire.Seq, Reason: "not a duplicate"})
	if len(l.graph.Statements) != 1 {
		t.Fatalf("after the revert: got %d statements, want 1", len(l.graph.Statements))
	}
	// Reverting the statement's own change takes it out.
	l.mustApply(t, &domain.Write{Action: domain.ActionRevert, Actor: admin, Change: add.Seq, Reason: "misattributed"})
	if len(l.graph.Statements) != 0 {
		t.Fatalf("after reverting the add: got %d statements, want 0", len(l.graph.Statements))
	}
	// Rewinding the history shows it again at the version it was added.
	g, _ := domain.Replay(l.graph, l.texts, l.changes[add.Seq:], true)
	if len(g.Statements) != 1 || g.Statements[0].ID != "statement:ana-ports" {
		t.Errorf("rewound to version %d: got %v, want the statement", add.Seq, g.Statements)
	}
}

func TestDiscourseTies(t *testing.T) {
	st := func(id, speaker string, stance domain.Stance, conf domain.Confidence, about ...string) *domain.Statement {
		return &domain.Statement{ID: "statement:" + id, Speaker: speaker, About: about, Stance: stance, Confidence: conf,
			Evidence: domain.Evidence{SourceID: "source:s", Quote: id}}
	}
	h, m := domain.ConfidenceHigh, domain.ConfidenceMedium
	all := []*domain.Statement{
		st("a1", "person:a", domain.StanceSupports, h, "topic:x", "topic:y"),
		st("b1", "person:b", domain.StanceSupports, m, "topic:x"),
		st("b2", "person:b", domain.StanceOpposes, h, "topic:y"),
		st("c1", "person:c", domain.StanceSupports, h, "topic:y"),
		st("c2", "person:c", domain.StanceOpposes, h, "topic:y"), // c is ambivalent on y
		st("d1", "person:d", domain.StanceNeutral, h, "topic:x", "topic:y"),
	}
	type edge struct {
		id       string
		weight   int
		conf     domain.Confidence
		evidence string
	}
	cases := []struct {
		name  string
		kind  domain.DiscourseKind
		topic string
		want  []edge
	}{
		{"congruence", domain.DiscourseCongruence, "", []edge{
			{"person:a|CONGRUENCE|person:b", 1, m, "a1 b1"},
			{"person:a|CONGRUENCE|person:c", 1, h, "a1 c1"},
			{"person:b|CONGRUENCE|person:c", 1, h, "b2 c2"},
		}},
		{"conflict", domain.DiscourseConflict, "", []edge{
			{"person:a|CONFLICT|person:b", 1, h, "a1 b2"},
			{"person:a|CONFLICT|person:c", 1, h, "a1 c2"},
			{"person:b|CONFLICT|person:c", 1, h, "b2 c1"},
		}},
		{"congruence on x only", domain.DiscourseCongruence, "topic:x", []edge{
			{"person:a|CONGRUENCE|person:b", 1, m, "a1 b1"},
		}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			var got []edge
			rels, weights := domain.DiscourseTies(all, tt.kind, tt.topic)
			for _, r := range rels {
				var quotes []string
				for _, e := range r.Evidence {
					quotes = append(quotes, e.Quote)
				}
				got = append(got, edge{r.ID, weights[r.ID], r.Confidence, strings.Join(quotes, " ")})
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	// Two concepts in common weigh two.
	two := append(slices.Clone(all), st("b3", "person:b", domain.StanceSupports, h, "topic:y"))
	rels, weights := domain.DiscourseTies(two, domain.DiscourseCongruence, "")
	if rels[0].ID != "person:a|CONGRUENCE|person:b" || weights[rels[0].ID] != 2 || rels[0].Note != "same stance on topic:x, topic:y" {
		t.Errorf("got %s weight %d note %q, want a–b weight 2 on x and y", rels[0].ID, weights[rels[0].ID], rels[0].Note)
	}
}

func TestDiscourseQueryValidate(t *testing.T) {
	for _, q := range []domain.DiscourseQuery{{Kind: "SAME"}, {Kind: domain.DiscourseConflict, Topic: "event:summit"}, {Kind: domain.DiscourseConflict, AsOf: "2024-13"}} {
		if err := q.Validate(); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%+v: got %v, want EINVALID", q, err)
		}
	}
}
