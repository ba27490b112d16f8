package domain_test

import (
	"slices"
	"testing"

	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
)

func TestPartialDateBounds(t *testing.T) {
	tests := []struct {
		date                   domain.PartialDate
		wantEarliest, wantLast string
	}{
		{"2023", "2023-01-01", "2023-12-31"},
		{"2023-09", "2023-09-01", "2023-09-30"},
		{"2024-02", "2024-02-01", "2024-02-29"},
		{"2023-02", "2023-02-01", "2023-02-28"},
		{"2023-12", "2023-12-01", "2023-12-31"},
		{"2023-10-26", "2023-10-26", "2023-10-26"},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := tt.date.Earliest(); got != tt.wantEarliest {
			t.Errorf("%q.Earliest(): got %q, want %q", tt.date, got, tt.wantEarliest)
		}
		if got := tt.date.Latest(); got != tt.wantLast {
			t.Errorf("%q.Latest(): got %q, want %q", tt.date, got, tt.wantLast)
		}
	}
}

func TestActiveAt(t *testing.T) {
	negotiating := &domain.Relation{Start: "2023-09", End: "2023-10-26"}
	signed := &domain.Relation{Start: "2023-10-26"}
	endsInYear := &domain.Relation{End: "2022"}
	undated := &domain.Relation{}
	tests := []struct {
		name string
		r    *domain.Relation
		asOf domain.PartialDate
		want bool
	}{
		{"before the start", negotiating, "2023-08-31", false},
		{"a month start counts from its first day", negotiating, "2023-09-01", true},
		{"the round table", negotiating, "2023-09-27", true},
		{"the day before the end", negotiating, "2023-10-25", true},
		{"ended on the day", negotiating, "2023-10-26", false},
		{"starts on the day", signed, "2023-10-26", true},
		{"after the start, no end", signed, "2030", true},
		{"a year end lasts all year", endsInYear, "2022-12-30", true},
		{"after a year end", endsInYear, "2023-01-01", false},
		{"undated counts always", undated, "1990", true},
		{"no asOf counts always", negotiating, "", true},
	}
	for _, tt := range tests {
		if got := tt.r.ActiveAt(tt.asOf); got != tt.want {
			t.Errorf("%s: ActiveAt(%q) got %v, want %v", tt.name, tt.asOf, got, tt.want)
		}
	}
	if !undated.Undated() || signed.Undated() || endsInYear.Undated() {
		t.Errorf("Undated: got %v %v %v, want true false false", undated.Undated(), signed.Undated(), endsInYear.Undated())
	}
}

// TestActiveDays: the days ActiveDays names are exactly those ActiveAt
// counts, checked on each bound and the day beyond it.
func TestActiveDays(t *testing.T) {
	tests := []struct {
		r                   *domain.Relation
		wantFirst, wantLast string
		before, after       domain.PartialDate // the day before the first, the day after the last
	}{
		{&domain.Relation{Start: "2023-09", End: "2023-10-26"}, "2023-09-01", "2023-10-25", "2023-08-31", "2023-10-26"},
		{&domain.Relation{End: "2022"}, "", "2022-12-30", "", "2022-12-31"},
		{&domain.Relation{End: "2024-02"}, "", "2024-02-28", "", "2024-02-29"},
		{&domain.Relation{Start: "2023-10-26"}, "2023-10-26", "", "2023-10-25", ""},
		{&domain.Relation{Start: "2024-01-01", End: "2024-01-01"}, "2024-01-01", "2023-12-31", "", ""},
		{&domain.Relation{}, "", "", "", ""},
	}
	for _, tt := range tests {
		first, last := tt.r.ActiveDays()
		if first != tt.wantFirst || last != tt.wantLast {
			t.Errorf("%s–%s: ActiveDays got %q, %q, want %q, %q", tt.r.Start, tt.r.End, first, last, tt.wantFirst, tt.wantLast)
		}
		for day, want := range map[domain.PartialDate]bool{
			domain.PartialDate(first): first <= last || last == "",
			domain.PartialDate(last):  first <= last || first == "",
			tt.before:                 false,
			tt.after:                  false,
		} {
			if day != "" && tt.r.ActiveAt(day) != want {
				t.Errorf("%s–%s: ActiveAt(%s) got %v, want %v", tt.r.Start, tt.r.End, day, !want, want)
			}
		}
	}
}

func TestConcernedTopicsAndScope(t *testing.T) {
	g := &domain.Graph{
		Nodes: []*domain.Node{
			{ID: "country:spain", Kind: domain.KindCountry, Name: "Spain"},
			{ID: "organization:fiiapp", Kind: domain.KindOrganization, Name: "FIIAPP", OrgType: domain.OrgImplementingAgency},
			{ID: "programme:seacop", Kind: domain.KindProgramme, Name: "SEACOP"},
			{ID: "topic:maritime-security", Kind: domain.KindTopic, Name: "Maritime security"},
			{ID: "topic:drug-trafficking", Kind: domain.KindTopic, Name: "Drug trafficking"},
		},
		Relations: []*domain.Relation{
			{ID: "a", Type: domain.RelAddresses, From: "programme:seacop", To: "topic:maritime-security"},
			{ID: "b", Type: domain.RelAddresses, From: "programme:seacop", To: "topic:drug-trafficking"},
			{ID: "c", Type: domain.RelImplements, From: "organization:fiiapp", To: "programme:seacop", Start: "2019"},
			{ID: "d", Type: domain.RelPartOf, From: "organization:fiiapp", To: "country:spain"},
		},
	}
	concerns := domain.ConcernedTopics(g)
	want := map[string][]string{
		"a": {"topic:maritime-security"},
		"b": {"topic:drug-trafficking"},
		"c": {"topic:drug-trafficking", "topic:maritime-security"},
		"d": nil,
	}
	for id, topics := range want {
		if !slices.Equal(concerns[id], topics) {
			t.Errorf("ConcernedTopics[%s]: got %v, want %v", id, concerns[id], topics)
		}
	}
	byID := map[string]*domain.Relation{}
	for _, r := range g.Relations {
		byID[r.ID] = r
	}
	tests := []struct {
		name  string
		scope domain.Scope
		want  []string
	}{
		{"everything", domain.Scope{}, []string{"a", "b", "c", "d"}},
		{"one type", domain.Scope{RelationTypes: []domain.RelationType{domain.RelImplements}}, []string{"c"}},
		{"a topic", domain.Scope{Topics: []string{"topic:drug-trafficking"}}, []string{"b", "c"}},
		{"an ADDRESSES relation concerns its own topic only", domain.Scope{Topics: []string{"topic:maritime-security"}}, []string{"a", "c"}},
		{"a date before the implementation", domain.Scope{AsOf: "2018"}, []string{"a", "b", "d"}},
		{"topic and date", domain.Scope{Topics: []string{"topic:maritime-security"}, AsOf: "2018"}, []string{"a"}},
	}
	for _, tt := range tests {
		var got []string
		for _, id := range []string{"a", "b", "c", "d"} {
			if tt.scope.Allows(byID[id], concerns[id]) {
				got = append(got, id)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: allowed %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestRelationOverlapsInTime(t *testing.T) {
	span := func(start, end domain.PartialDate) *domain.Relation {
		return &domain.Relation{Start: start, End: end}
	}
	tests := []struct {
		name string
		a, b *domain.Relation
		want bool
	}{
		{"hand-over on the day", span("2022-01-03", "2023-04-01"), span("2023-04-01", ""), false},
		{"one day shared", span("2022-01-03", "2023-04-02"), span("2023-04-01", ""), true},
		{"gap between", span("2022", "2023-04-01"), span("2023-11-23", ""), false},
		{"both open-ended", span("2022", ""), span("2023-11-23", ""), true},
		{"undated overlaps all", span("", ""), span("2023-11-23", "2023-12"), true},
		{"month end lasts the month", span("2023-02", "2023-02"), span("2023-02-27", "2023-03"), true},
		{"later start inside a year", span("2020", "2024-07"), span("2024-07-31", ""), false},
	}
	for _, tt := range tests {
		if got := tt.a.OverlapsInTime(tt.b); got != tt.want {
			t.Errorf("%s: a.OverlapsInTime(b): got %v, want %v", tt.name, got, tt.want)
		}
		if got := tt.b.OverlapsInTime(tt.a); got != tt.want {
			t.Errorf("%s: b.OverlapsInTime(a): got %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestAllowsBetweenAgreesWithAllows checks, on every relation of the
// shipped data and every topic, that testing a topic scope from a
// relation's ends gives Allows' answer on its ConcernedTopics entry.
func TestAllowsBetweenAgreesWithAllows(t *testing.T) {
	d, err := dataset.ShippedDataset()
	if err != nil {
		t.Fatal(err)
	}
	g := d.Graph
	concerns := domain.ConcernedTopics(g)
	kinds := map[string]domain.Kind{}
	var topics []string
	for _, n := range g.Nodes {
		kinds[n.ID] = n.Kind
		if n.Kind == domain.KindTopic {
			topics = append(topics, n.ID)
		}
	}
	addresses := map[string][]string{}
	for _, r := range g.Relations {
		if r.Type == domain.RelAddresses && kinds[r.To] == domain.KindTopic {
			addresses[r.From] = append(addresses[r.From], r.To)
		}
	}
	scopes := []domain.Scope{{Topics: topics[:2]}, {Topics: topics[len(topics)-1:], AsOf: "2023-09"}}
	for _, topic := range topics {
		scopes = append(scopes, domain.Scope{Topics: []string{topic}})
	}
	for _, r := range g.Relations {
		ends := domain.Ends{FromKind: kinds[r.From], ToKind: kinds[r.To], FromTopics: addresses[r.From], ToTopics: addresses[r.To]}
		for _, s := range scopes {
			if got, want := s.AllowsBetween(r, ends), s.Allows(r, concerns[r.ID]); got != want {
				t.Errorf("%s in %+v: got %v, want %v", r.ID, s, got, want)
			}
		}
	}
}
