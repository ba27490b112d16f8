package graph_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/internal/domain"
)

type statementAnswer struct {
	ID       string
	Speaker  struct{ ID string }
	About    []struct{ ID string }
	Stance   string
	Event    *struct{ Name string }
	Evidence struct {
		Quote  string
		Source struct{ ID string }
	}
}

func TestStatementsQuery(t *testing.T) {
	h := newHandler(t)
	const fields = `{ id speaker { id } about { id } stance event { name } evidence { quote source { id } } }`
	cases := []struct {
		name string
		args string
		want []string
	}{
		{"all", ``, []string{"statement:albornoz-eu-cooperation-2023", "statement:albornoz-shared-responsibility-2023",
			"statement:geurts-limits-of-prohibition-2023", "statement:geurts-new-bilateral-projects-2023"}},
		{"by speaker", `(speaker: "person:charles-michel-geurts")`, []string{"statement:geurts-limits-of-prohibition-2023", "statement:geurts-new-bilateral-projects-2023"}},
		{"on behalf of", `(speaker: "country:ecuador", first: 1)`, []string{"statement:albornoz-eu-cooperation-2023"}},
		{"by topic and event", `(topic: "topic:organised-crime", event: "event:iii-round-table-2023")`, []string{"statement:albornoz-shared-responsibility-2023"}},
		{"opposing", `(stance: OPPOSES)`, nil},
		{"before the round table", `(asOf: "2023-08-31")`, nil},
		{"page after", `(after: "statement:geurts-limits-of-prohibition-2023")`, []string{"statement:geurts-new-bilateral-projects-2023"}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			data := mustData[struct{ Statements []statementAnswer }](t, post(t, h, `{ statements`+tt.args+` `+fields+` }`, nil))
			var got []string
			for _, s := range data.Statements {
				got = append(got, s.ID)
				if s.Evidence.Source.ID != "source:roundtable-article-2023" || s.Evidence.Quote == "" || s.Speaker.ID == "" || len(s.About) == 0 {
					t.Errorf("%s: got %+v, want its speaker, concepts and quote resolved", s.ID, s)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	for q, code := range map[string]string{
		`{ statements(speaker: "person:nobody") { id } }`:                                            domain.ENOTFOUND,
		`{ statements(topic: "nonsense") { id } }`:                                                   domain.EINVALID,
		`{ statements(first: 101) { id } }`:                                                          domain.EINVALID,
		`{ statements(asOf: "2023-13") { id } }`:                                                     domain.EINVALID,
		`{ discourseNetwork(kind: CONFLICT, topic: "event:iii-round-table-2023") { nodes { id } } }`: domain.EINVALID,
		`{ discourseNetwork(kind: CONGRUENCE, topic: "topic:nothing") { nodes { id } } }`:            domain.ENOTFOUND,
	} {
		if got := errorCode(t, post(t, h, q, nil)); got != code {
			t.Errorf("%s: got code %q, want %s", q, got, code)
		}
	}
}

type discourseAnswer struct {
	DiscourseNetwork struct {
		Nodes []struct{ ID string }
		Edges []struct {
			ID, Type, Source, Target, Confidence string
			Weight                               *int
			Evidence                             []struct{ Quote string }
		}
	}
}

const discourseQuery = `query($kind: DiscourseKind!, $topic: ID) { discourseNetwork(kind: $kind, topic: $topic) {
	nodes { id } edges { id type source target weight confidence evidence { quote } } } }`

func TestDiscourseNetworkQuery(t *testing.T) {
	h := newHandler(t)
	data := mustData[discourseAnswer](t, post(t, h, discourseQuery, map[string]any{"kind": "CONGRUENCE"}))
	net := data.DiscourseNetwork
	if len(net.Nodes) != 2 || len(net.Edges) != 1 {
		t.Fatalf("congruence: got %+v, want the two speakers and one edge", net)
	}
	e := net.Edges[0]
	if e.Type != "CONGRUENCE" || e.Source != "person:charles-michel-geurts" || e.Target != "person:isabel-albornoz" ||
		e.Weight == nil || *e.Weight != 1 || e.Confidence != "MEDIUM" || len(e.Evidence) != 2 {
		t.Errorf("congruence edge: got %+v, want Geurts–Albornoz, weight 1, MEDIUM, two quotes", e)
	}
	conflict := mustData[discourseAnswer](t, post(t, h, discourseQuery, map[string]any{"kind": "CONFLICT"}))
	if len(conflict.DiscourseNetwork.Nodes)+len(conflict.DiscourseNetwork.Edges) != 0 {
		t.Errorf("conflict: got %+v, want an empty network", conflict.DiscourseNetwork)
	}
	// Stated relations carry no weight.
	g := mustData[struct {
		Graph struct{ Edges []struct{ Weight *int } }
	}](t, post(t, h, `{ graph(kinds: [Country, Event]) { edges { weight } } }`, nil))
	if len(g.Graph.Edges) == 0 || g.Graph.Edges[0].Weight != nil {
		t.Errorf("graph edges: got %+v, want edges without weight", g.Graph.Edges)
	}
	// A derived type is no filter for stated relations.
	if got := errorCode(t, post(t, h, `{ graph(relationTypes: [CONGRUENCE]) { edges { id } } }`, nil)); got != domain.EINVALID {
		t.Errorf("graph(relationTypes: [CONGRUENCE]): got code %q, want EINVALID", got)
	}
}

const mAddStatement = `mutation($quote: String!, $source: ID!) { addStatement(input: {speaker: "person:ylva-johansson", about: ["topic:organised-crime"],
	stance: OPPOSES, date: "2023-09-27", event: "event:iii-round-table-2023", confidence: LOW, evidence: {source: $source, quote: $quote}}) {
	change { seq action target steps { operation after { statement { id speaker about stance evidence { sourceId quote } } } } }
	statement { id stance version speaker { name } event { id } } } }`

func TestAddStatement(t *testing.T) {
	s := newWriteSetup(t, graph.HandlerOptions{})
	vars := map[string]any{"source": "source:roundtable-article-2023", "quote": "shows its limits when it is not part of a comprehensive strategy"}
	if got := errorCode(t, postAs(t, s.h, "", mAddStatement, vars)); got != "EUNAUTHORIZED" {
		t.Errorf("without a token: got %q, want EUNAUTHORIZED", got)
	}
	if got := errorCode(t, postAs(t, s.h, s.tokens.reader, mAddStatement, vars)); got != "EFORBIDDEN" {
		t.Errorf("as a reader: got %q, want EFORBIDDEN", got)
	}
	bad := map[string]any{"source": vars["source"], "quote": "shows no limits"}
	resp := postAs(t, s.h, s.tokens.editor, mAddStatement, bad)
	if got := errorCode(t, resp); got != domain.EINVALID {
		t.Fatalf("a quote not in the source: got %q, want EINVALID", got)
	}
	type addAnswer struct {
		AddStatement struct {
			Change struct {
				Seq    int
				Action string
				Target string
				Steps  []struct {
					Operation string
					After     struct {
						Statement struct{ ID, Speaker, Stance string }
					}
				}
			}
			Statement struct {
				ID, Stance string
				Version    int
				Speaker    struct{ Name string }
				Event      struct{ ID string }
			}
		}
	}
	a := mustData[addAnswer](t, postAs(t, s.h, s.tokens.editor, mAddStatement, vars)).AddStatement
	id := domain.StatementID("person:ylva-johansson", vars["quote"].(string))
	if a.Change.Action != "ADD_STATEMENT" || a.Change.Target != id || len(a.Change.Steps) != 1 ||
		a.Change.Steps[0].Operation != "CREATED" || a.Change.Steps[0].After.Statement.Speaker != "person:ylva-johansson" {
		t.Errorf("change: got %+v", a.Change)
	}
	if a.Statement.ID != id || a.Statement.Version != a.Change.Seq || a.Statement.Speaker.Name == "" || a.Statement.Event.ID != "event:iii-round-table-2023" {
		t.Errorf("statement: got %+v, want %s at version %d", a.Statement, id, a.Change.Seq)
	}
	if got := errorCode(t, postAs(t, s.h, s.tokens.editor, mAddStatement, vars)); got != domain.ECONFLICT {
		t.Errorf("the same words again: got %q, want ECONFLICT", got)
	}
	// The conflict network now has the new speaker against both others,
	// and before the write it had none.
	net := mustData[discourseAnswer](t, post(t, s.h, discourseQuery, map[string]any{"kind": "CONFLICT", "topic": "topic:organised-crime"})).DiscourseNetwork
	if len(net.Edges) != 2 || net.Edges[0].Target != "person:ylva-johansson" || net.Edges[0].Confidence != "LOW" {
		t.Errorf("conflict network after the write: got %+v", net)
	}
	past := mustData[discourseAnswer](t, post(t, s.h, strings.Replace(discourseQuery, ") { discourseNetwork", ") @asKnown(version: 0) { discourseNetwork", 1), map[string]any{"kind": "CONFLICT"})).DiscourseNetwork
	if len(past.Edges) != 0 {
		t.Errorf("conflict network @asKnown(version: 0): got %+v, want none", past)
	}
	// Reverting the write takes the statement out.
	revert := `mutation($seq: Int!) { revert(changeId: $seq, reason: "misattributed") { change { steps { target operation } } } }`
	if got := errorCode(t, postAs(t, s.h, s.tokens.admin, revert, map[string]any{"seq": a.Change.Seq})); got != "" {
		t.Fatalf("revert: got code %q", got)
	}
	after := mustData[struct{ Statements []struct{ ID string } }](t, post(t, s.h, `{ statements(speaker: "person:ylva-johansson") { id } }`, nil))
	if len(after.Statements) != 0 {
		t.Errorf("after the revert: got %v, want none", after.Statements)
	}
}
