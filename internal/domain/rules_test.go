package domain_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
)

func TestNodeProblems(t *testing.T) {
	cases := []struct {
		name string
		node domain.Node
		want []domain.Problem
	}{
		{"valid country", domain.Node{ID: "country:peru", Kind: domain.KindCountry, Name: "Peru", ISOCode: "PE"}, nil},
		{"valid organization", domain.Node{ID: "organization:x", Kind: domain.KindOrganization, Name: "X", OrgType: domain.OrgEUAgency}, nil},
		{"kind left empty", domain.Node{ID: "topic:t", Name: "T"}, []domain.Problem{{"kind", "required: Topic, as the id says"}}},
		{"missing id", domain.Node{Name: "Peru"}, []domain.Problem{{"id", "required, e.g. country:hungary"}}},
		{"unknown kind", domain.Node{ID: "planet:mars", Name: "Mars"},
			[]domain.Problem{{"id", `id "planet:mars" has unknown kind "planet"; known kinds: country, organization, person, programme, topic, event, agreement, source`}}},
		{"kind contradicts id", domain.Node{ID: "country:peru", Kind: domain.KindTopic, Name: "Peru"},
			[]domain.Problem{{"kind", "Topic, but the id says Country"}}},
		{"blank name", domain.Node{ID: "country:peru", Kind: domain.KindCountry, Name: "  "}, []domain.Problem{{"name", "required"}}},
		{"blank alias", domain.Node{ID: "country:peru", Kind: domain.KindCountry, Name: "Peru", Aliases: []string{"Perú", " "}},
			[]domain.Problem{{"aliases[1]", "must be a non-empty string"}}},
		{"field of another kind", domain.Node{ID: "country:peru", Kind: domain.KindCountry, Name: "Peru", Budget: "EUR 1M", URL: "https://x"},
			[]domain.Problem{{"budget", "applies to Programme nodes only, not Country"}, {"url", "applies to Source nodes only, not Country"}}},
		{"organization without type", domain.Node{ID: "organization:x", Kind: domain.KindOrganization, Name: "X"},
			[]domain.Problem{{"orgType", "required for organizations; one of MINISTRY, GOVERNMENT_AGENCY, POLICE_MILITARY, EU_INSTITUTION, EU_AGENCY, EU_DELEGATION, IMPLEMENTING_AGENCY, INTERNATIONAL_ORGANISATION, INDUSTRY, HUMAN_RIGHTS_INSTITUTION, RESEARCH_EDUCATION, GROUP"}}},
		{"unknown organization type", domain.Node{ID: "organization:x", Kind: domain.KindOrganization, Name: "X", OrgType: "BANK"},
			[]domain.Problem{{"orgType", `unknown organization type "BANK"; one of MINISTRY, GOVERNMENT_AGENCY, POLICE_MILITARY, EU_INSTITUTION, EU_AGENCY, EU_DELEGATION, IMPLEMENTING_AGENCY, INTERNATIONAL_ORGANISATION, INDUSTRY, HUMAN_RIGHTS_INSTITUTION, RESEARCH_EDUCATION, GROUP`}}},
		{"bad iso code", domain.Node{ID: "country:peru", Kind: domain.KindCountry, Name: "Peru", ISOCode: "per"},
			[]domain.Problem{{"isoCode", `"per" is not an ISO 3166-1 alpha-2 code (two capital letters)`}}},
		{"bad date", domain.Node{ID: "event:x", Kind: domain.KindEvent, Name: "X", Start: "2023-13"},
			[]domain.Problem{{"start", `date "2023-13" has month 13 outside 01–12`}}},
		{"end before start", domain.Node{ID: "event:x", Kind: domain.KindEvent, Name: "X", Start: "2023-09", End: "2023-08-31"},
			[]domain.Problem{{"end", "2023-08-31 is before start 2023-09"}}},
		{"end in the start month", domain.Node{ID: "event:x", Kind: domain.KindEvent, Name: "X", Start: "2023-09", End: "2023-09-01"}, nil},
		{"bad id still checks the name", domain.Node{ID: "peru"},
			[]domain.Problem{{"id", `id "peru" is not of the form kind:slug (e.g. country:hungary)`}, {"name", "required"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.node.Problems(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Problems:\n got %q\nwant %q", got, tc.want)
			}
			err := tc.node.Validate()
			if len(tc.want) == 0 {
				if err != nil {
					t.Errorf("Validate: got %v, want nil", err)
				}
				return
			}
			if got, want := domain.ErrorMessage(err), "node "+tc.node.ID+": "+tc.want[0].String(); got != want {
				t.Errorf("Validate: got %q, want %q", got, want)
			}
			if got, want := domain.ErrorCode(err), domain.EINVALID; got != want {
				t.Errorf("Validate code: got %s, want %s", got, want)
			}
		})
	}
}

// relation returns a valid relation changed by edit.
func relation(edit func(*domain.Relation)) domain.Relation {
	r := domain.Relation{ID: "r", Type: domain.RelAttended, From: "country:peru", To: "event:summit",
		Confidence: domain.ConfidenceHigh, Evidence: []domain.Evidence{{SourceID: "source:art", Quote: "Peru attended"}}}
	if edit != nil {
		edit(&r)
	}
	return r
}

func TestRelationProblems(t *testing.T) {
	cases := []struct {
		name string
		rel  domain.Relation
		want []domain.Problem
	}{
		{"valid", relation(nil), nil},
		{"missing id", relation(func(r *domain.Relation) { r.ID = "" }), []domain.Problem{{"id", "required"}}},
		{"missing type", relation(func(r *domain.Relation) { r.Type = "" }),
			[]domain.Problem{{"type", "required; one of MEMBER_OF, PART_OF, HOLDS_POSITION, REPRESENTS, PARTICIPATES_IN, ATTENDED, CHAIRED, FUNDS, IMPLEMENTS, SUPPORTS, ADDRESSES, PARTY_TO, COOPERATES_WITH, REVIEWED, VISITED, SUCCEEDED_BY"}}},
		{"unknown type", relation(func(r *domain.Relation) { r.Type = "LIKES" }),
			[]domain.Problem{{"type", `unknown relation type "LIKES"; one of MEMBER_OF, PART_OF, HOLDS_POSITION, REPRESENTS, PARTICIPATES_IN, ATTENDED, CHAIRED, FUNDS, IMPLEMENTS, SUPPORTS, ADDRESSES, PARTY_TO, COOPERATES_WITH, REVIEWED, VISITED, SUCCEEDED_BY`}}},
		{"missing from", relation(func(r *domain.Relation) { r.From = "" }), []domain.Problem{{"from", "required: the id of a node"}}},
		{"malformed to", relation(func(r *domain.Relation) { r.To = "summit" }),
			[]domain.Problem{{"to", `id "summit" is not of the form kind:slug (e.g. country:hungary)`}}},
		{"loop", relation(func(r *domain.Relation) { r.Type, r.To = domain.RelCooperatesWith, r.From }),
			[]domain.Problem{{"to", "same node as from (country:peru)"}}},
		{"wrong kind at the end", relation(func(r *domain.Relation) { r.To = "programme:p" }),
			[]domain.Problem{{"to", "ATTENDED goes to an event, got programme:p"}}},
		{"wrong kind at the start", relation(func(r *domain.Relation) { r.Type, r.From, r.To = domain.RelAddresses, "country:peru", "topic:t" }),
			[]domain.Problem{{"from", "ADDRESSES starts at programme, event or agreement, got country:peru"}}},
		{"succession of one kind", relation(func(r *domain.Relation) { r.Type, r.From, r.To = domain.RelSucceededBy, "event:a", "event:b" }), nil},
		{"succession across kinds", relation(func(r *domain.Relation) { r.Type, r.From, r.To = domain.RelSucceededBy, "event:a", "agreement:b" }),
			[]domain.Problem{{"to", "SUCCEEDED_BY joins two nodes of the same kind, got Event → Agreement"}}},
		{"succession of sources", relation(func(r *domain.Relation) { r.Type, r.From, r.To = domain.RelSucceededBy, "source:a", "source:b" }),
			[]domain.Problem{{"to", "SUCCEEDED_BY joins two nodes of the same kind, got Source → Source"}}},
		{"missing confidence", relation(func(r *domain.Relation) { r.Confidence = "" }),
			[]domain.Problem{{"confidence", "required: HIGH (primary source), MEDIUM (researched source) or LOW (unverified or inferred)"}}},
		{"bad confidence", relation(func(r *domain.Relation) { r.Confidence = "SURE" }),
			[]domain.Problem{{"confidence", `"SURE" is not HIGH, MEDIUM or LOW`}}},
		{"bad dates", relation(func(r *domain.Relation) { r.Start, r.End = "2023-02-30", "2022" }),
			[]domain.Problem{{"start", `date "2023-02-30" is not a calendar day`}}},
		{"end before start", relation(func(r *domain.Relation) { r.Start, r.End = "2023", "2022-12" }),
			[]domain.Problem{{"end", "2022-12 is before start 2023"}}},
		{"no evidence", relation(func(r *domain.Relation) { r.Evidence = nil }),
			[]domain.Problem{{"evidence", "required: at least one {source, quote}"}}},
		{"evidence without source or quote", relation(func(r *domain.Relation) { r.Evidence = append(r.Evidence, domain.Evidence{Quote: " "}) }),
			[]domain.Problem{{"evidence[1].source", "required: the id of a source node"}, {"evidence[1].quote", "required: a short verbatim excerpt of the source's text"}}},
		{"evidence citing no source", relation(func(r *domain.Relation) { r.Evidence[0].SourceID = "country:peru" }),
			[]domain.Problem{{"evidence[0].source", "country:peru is a Country, not a source"}}},
		{"every problem at once", relation(func(r *domain.Relation) { r.Type, r.Confidence, r.Evidence = "LIKES", "", nil }),
			[]domain.Problem{
				{"type", `unknown relation type "LIKES"; one of MEMBER_OF, PART_OF, HOLDS_POSITION, REPRESENTS, PARTICIPATES_IN, ATTENDED, CHAIRED, FUNDS, IMPLEMENTS, SUPPORTS, ADDRESSES, PARTY_TO, COOPERATES_WITH, REVIEWED, VISITED, SUCCEEDED_BY`},
				{"confidence", "required: HIGH (primary source), MEDIUM (researched source) or LOW (unverified or inferred)"},
				{"evidence", "required: at least one {source, quote}"},
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.rel.Problems(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Problems:\n got %q\nwant %q", got, tc.want)
			}
			err := tc.rel.Validate()
			if len(tc.want) == 0 {
				if err != nil {
					t.Errorf("Validate: got %v, want nil", err)
				}
				return
			}
			if got, want := domain.ErrorMessage(err), tc.want[0].String(); !strings.HasSuffix(got, ": "+want) {
				t.Errorf("Validate: got %q, want it to end in %q", got, want)
			}
		})
	}
}

// TestEveryRelationTypeHasEnds checks that every type but SUCCEEDED_BY says
// which kinds it joins, so no type escapes the kind rule.
func TestEveryRelationTypeHasEnds(t *testing.T) {
	for _, rt := range domain.RelationTypes {
		from, to, ok := domain.EndKinds(rt)
		if rt == domain.RelSucceededBy {
			if ok {
				t.Errorf("%s: got fixed end kinds %v → %v, want none (same kind at both ends)", rt, from, to)
			}
			continue
		}
		if !ok || len(from) == 0 || len(to) == 0 {
			t.Errorf("%s: got end kinds %v → %v, want some at both ends", rt, from, to)
		}
		if slices.Contains(from, domain.KindSource) || slices.Contains(to, domain.KindSource) {
			t.Errorf("%s: got a Source as an end, want sources cited by evidence only", rt)
		}
	}
}

func TestReferenceProblems(t *testing.T) {
	known := map[string]bool{"country:peru": true, "event:summit": true, "source:art": true}
	exists := func(id string) bool { return known[id] }
	cases := []struct {
		name string
		rel  domain.Relation
		want []domain.Problem
	}{
		{"all defined", relation(nil), nil},
		{"missing end", relation(func(r *domain.Relation) { r.To = "event:gala" }), []domain.Problem{{"to", "event:gala is not defined"}}},
		{"missing source", relation(func(r *domain.Relation) {
			r.Evidence = append(r.Evidence, domain.Evidence{SourceID: "source:gone", Quote: "q"})
		}), []domain.Problem{{"evidence[1].source", "source:gone is not defined"}}},
		{"malformed ids are left to Problems", relation(func(r *domain.Relation) { r.From, r.Evidence[0].SourceID = "peru", "country:chile" }), nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.rel.ReferenceProblems(exists); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ReferenceProblems:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestQuotes(t *testing.T) {
	const text = "Ecuador attended the round\n\ttable on “security”.  "
	cases := []struct {
		quote string
		want  bool
	}{
		{"Ecuador attended the round table", true},
		{"  attended   the\nround ", true},
		{"table on “security”.", true},
		{`table on "security"`, false}, // straight quotes are other characters
		{"ecuador attended", false},    // so is another case
		{"Ecuador attended the meeting", false},
		{" \n ", false}, // an empty quote states nothing
	}
	for _, tc := range cases {
		if got := domain.ContainsQuote(text, tc.quote); got != tc.want {
			t.Errorf("ContainsQuote(%q): got %v, want %v", tc.quote, got, tc.want)
		}
	}
	if got, want := domain.NormalizeQuote(" a\u00a0 b\n\nc "), "a b c"; got != want {
		t.Errorf("NormalizeQuote: got %q, want %q", got, want)
	}

	texts := map[string]string{"source:art": text}
	lookup := func(id string) (string, bool) { t, ok := texts[id]; return t, ok }
	r := relation(func(r *domain.Relation) {
		r.Evidence = []domain.Evidence{
			{SourceID: "source:art", Quote: "Peru attended"},
			{SourceID: "source:art", Quote: "Ecuador attended"},
			{SourceID: "source:untold", Quote: "anything"}, // no text: its own problem, elsewhere
		}
	})
	want := []domain.Problem{{"evidence[0].quote", "not found verbatim in source:art"}}
	if got := r.QuoteProblems(lookup); !reflect.DeepEqual(got, want) {
		t.Errorf("QuoteProblems:\n got %q\nwant %q", got, want)
	}
}

func TestGraphValidate(t *testing.T) {
	valid := func() *domain.Graph {
		r := relation(nil)
		return &domain.Graph{
			Nodes: []*domain.Node{
				{ID: "country:peru", Kind: domain.KindCountry, Name: "Peru"},
				{ID: "event:summit", Kind: domain.KindEvent, Name: "Summit"},
				{ID: "source:art", Kind: domain.KindSource, Name: "Article"},
			},
			Relations: []*domain.Relation{&r},
		}
	}
	cases := []struct {
		name     string
		edit     func(*domain.Graph)
		code     string
		message  string
		entryErr bool // ValidateEntries finds it too
	}{
		{"valid", func(*domain.Graph) {}, "", "", false},
		{"dangling end", func(g *domain.Graph) { g.Nodes = slices.Delete(g.Nodes, 1, 2) },
			domain.EINVALID, "relation r: to: event:summit is not defined", false},
		{"cited source missing", func(g *domain.Graph) { g.Nodes = g.Nodes[:2:2] },
			domain.EINVALID, "relation r: evidence[0].source: source:art is not defined", true},
		{"wrong end kind", func(g *domain.Graph) { g.Relations[0].Type = domain.RelVisited },
			domain.EINVALID, "relation r: from: VISITED starts at a person, got country:peru", true},
		{"field of another kind", func(g *domain.Graph) { g.Nodes[1].ISOCode = "PE" },
			domain.EINVALID, "node event:summit: isoCode: applies to Country nodes only, not Event", true},
		{"duplicate node", func(g *domain.Graph) {
			g.Nodes = append(g.Nodes, &domain.Node{ID: "country:peru", Kind: domain.KindCountry, Name: "Peru again"})
		},
			domain.ECONFLICT, "duplicate node id country:peru", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := valid()
			tc.edit(g)
			err := g.Validate()
			if got := domain.ErrorCode(err); got != tc.code {
				t.Fatalf("Validate code: got %q (%v), want %q", got, err, tc.code)
			}
			if got := domain.ErrorMessage(err); got != tc.message {
				t.Errorf("Validate: got %q, want %q", got, tc.message)
			}
			entryErr := g.ValidateEntries()
			if got := entryErr != nil; got != tc.entryErr {
				t.Errorf("ValidateEntries: got %v, want an error: %v", entryErr, tc.entryErr)
			}
		})
	}
}

func TestValidateReferences(t *testing.T) {
	rel := func(from, to, source string) *domain.Relation {
		return &domain.Relation{ID: from + "|ATTENDED|" + to, Type: domain.RelAttended, From: from, To: to, Confidence: domain.ConfidenceLow,
			Evidence: []domain.Evidence{{SourceID: source, Quote: "q"}}}
	}
	spain := &domain.Node{ID: "country:spain", Kind: domain.KindCountry, Name: "Spain"}
	summit := &domain.Node{ID: "event:summit", Kind: domain.KindEvent, Name: "Summit"}
	note := &domain.Node{ID: "source:note", Kind: domain.KindSource, Name: "Note"}
	// An entry breaking its own rules passes: that is Validate's business.
	nameless := &domain.Node{ID: "topic:t", Kind: domain.KindTopic}
	cases := []struct {
		name     string
		g        *domain.Graph
		wantCode string
		wantMsg  string
	}{
		{"references hold", &domain.Graph{Nodes: []*domain.Node{spain, summit, note, nameless}, Relations: []*domain.Relation{rel("country:spain", "event:summit", "source:note")}}, "", ""},
		{"duplicate node", &domain.Graph{Nodes: []*domain.Node{spain, spain}}, domain.ECONFLICT, "duplicate node id country:spain"},
		{"duplicate relation", &domain.Graph{Nodes: []*domain.Node{spain, summit, note}, Relations: []*domain.Relation{
			rel("country:spain", "event:summit", "source:note"), rel("country:spain", "event:summit", "source:note")}}, domain.ECONFLICT, "duplicate relation id"},
		{"dangling end", &domain.Graph{Nodes: []*domain.Node{spain, note}, Relations: []*domain.Relation{rel("country:spain", "event:summit", "source:note")}},
			domain.EINVALID, "to: event:summit is not defined"},
		{"missing source", &domain.Graph{Nodes: []*domain.Node{spain, summit}, Relations: []*domain.Relation{rel("country:spain", "event:summit", "source:note")}},
			domain.EINVALID, "evidence[0].source: source:note is not defined"},
		{"nil node", &domain.Graph{Nodes: []*domain.Node{nil}}, domain.EINVALID, "node 0 is missing"},
		{"no graph", nil, domain.EINVALID, "no graph"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.g.ValidateReferences()
			if got := domain.ErrorCode(err); got != tc.wantCode || !strings.Contains(domain.ErrorMessage(err), tc.wantMsg) {
				t.Errorf("got %q %q, want %q containing %q", got, domain.ErrorMessage(err), tc.wantCode, tc.wantMsg)
			}
		})
	}
}
