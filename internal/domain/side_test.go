package domain_test

import (
	"testing"

	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
)

func org(id string, t domain.OrgType) *domain.Node {
	return &domain.Node{ID: id, Kind: domain.KindOrganization, Name: id, OrgType: t}
}

func rel(from string, t domain.RelationType, to string) *domain.Relation {
	return &domain.Relation{ID: domain.RelationID(from, t, to), Type: t, From: from, To: to}
}

func TestAssignSidesRules(t *testing.T) {
	nodes := []*domain.Node{
		{ID: domain.EcuadorID, Kind: domain.KindCountry},
		{ID: "country:spain", Kind: domain.KindCountry},
		{ID: "country:norway", Kind: domain.KindCountry},
		org(domain.EuropeanUnionID, domain.OrgEUInstitution),
		org("organization:ministry", domain.OrgMinistry),
		org("organization:unit", domain.OrgGovernmentAgency),
		org("organization:eco-agency", domain.OrgImplementingAgency),
		org("organization:eu-office", domain.OrgGroup),
		org("organization:frontex", domain.OrgEUAgency),
		org("organization:delegation", domain.OrgEUDelegation),
		org("organization:fiiapp", domain.OrgImplementingAgency),
		org("organization:unodc", domain.OrgInternational),
		org("organization:guardia", domain.OrgPoliceMilitary),
		org("organization:guardia-unit", domain.OrgPoliceMilitary),
		org("organization:norsk", domain.OrgMinistry),
		org("organization:company", domain.OrgIndustry),
		{ID: "person:minister", Kind: domain.KindPerson},
		{ID: "person:envoy", Kind: domain.KindPerson},
		{ID: "person:nobody", Kind: domain.KindPerson},
		{ID: "person:follower", Kind: domain.KindPerson},
		{ID: "programme:p", Kind: domain.KindProgramme},
		{ID: "topic:t", Kind: domain.KindTopic},
	}
	rels := []*domain.Relation{
		rel("organization:ministry", domain.RelPartOf, domain.EcuadorID),
		rel("organization:unit", domain.RelPartOf, "organization:ministry"),
		rel("organization:eco-agency", domain.RelPartOf, domain.EcuadorID),
		rel("organization:eu-office", domain.RelPartOf, domain.EuropeanUnionID),
		rel("country:spain", domain.RelMemberOf, domain.EuropeanUnionID),
		rel("organization:fiiapp", domain.RelPartOf, "country:spain"),
		rel("organization:guardia", domain.RelPartOf, "country:spain"),
		rel("organization:guardia-unit", domain.RelPartOf, "organization:guardia"),
		rel("organization:norsk", domain.RelPartOf, "country:norway"),
		// A PART_OF into a programme is not belonging to a state.
		rel("organization:company", domain.RelPartOf, "programme:p"),
		// Lowest relation ID wins: HOLDS_POSITION sorts before REPRESENTS.
		rel("person:minister", domain.RelRepresents, "country:spain"),
		rel("person:minister", domain.RelHoldsPosition, "organization:unit"),
		rel("person:envoy", domain.RelRepresents, "organization:delegation"),
		rel("person:envoy", domain.RelVisited, domain.EcuadorID),
		// A person's side comes from a body, not from another person.
		rel("person:follower", domain.RelRepresents, "person:minister"),
	}
	want := map[string]domain.Side{
		domain.EcuadorID:            domain.SideEcuador,
		"country:spain":             domain.SideMemberStates,
		"country:norway":            domain.SideOther,
		domain.EuropeanUnionID:      domain.SideEUInstitutions,
		"organization:ministry":     domain.SideEcuador,
		"organization:unit":         domain.SideEcuador,
		"organization:eco-agency":   domain.SideEcuador,
		"organization:eu-office":    domain.SideEUInstitutions,
		"organization:frontex":      domain.SideEUInstitutions,
		"organization:delegation":   domain.SideEUInstitutions,
		"organization:fiiapp":       domain.SideImplementingAgencies,
		"organization:unodc":        domain.SideInternationalOrganisations,
		"organization:guardia":      domain.SideMemberStates,
		"organization:guardia-unit": domain.SideMemberStates,
		"organization:norsk":        domain.SideOther,
		"organization:company":      domain.SideOther,
		"person:minister":           domain.SideEcuador,
		"person:envoy":              domain.SideEUInstitutions,
		"person:nobody":             domain.SideOther,
		"person:follower":           domain.SideOther,
	}
	got := domain.AssignSides(nodes, rels)
	if len(got) != len(want) {
		t.Errorf("got %d sides, want %d (actors only): %v", len(got), len(want), got)
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("side of %s: got %q, want %q", id, got[id], w)
		}
	}
	// The order of the input does not matter.
	reversed := make([]*domain.Relation, len(rels))
	for i, r := range rels {
		reversed[len(rels)-1-i] = r
	}
	again := domain.AssignSides(nodes, reversed)
	for id, w := range want {
		if again[id] != w {
			t.Errorf("reversed relations: side of %s: got %q, want %q", id, again[id], w)
		}
	}
}

func TestAssignSidesCycle(t *testing.T) {
	nodes := []*domain.Node{org("organization:a", domain.OrgGroup), org("organization:b", domain.OrgGroup)}
	rels := []*domain.Relation{
		rel("organization:a", domain.RelPartOf, "organization:b"),
		rel("organization:b", domain.RelPartOf, "organization:a"),
	}
	got := domain.AssignSides(nodes, rels)
	for _, n := range nodes {
		if got[n.ID] != domain.SideOther {
			t.Errorf("side of %s: got %q, want %q", n.ID, got[n.ID], domain.SideOther)
		}
	}
}

func TestAssignSidesShipped(t *testing.T) {
	g, err := dataset.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	got := g.AssignSides()
	for _, n := range g.Nodes {
		side, ok := got[n.ID]
		if ok != n.Kind.IsActor() {
			t.Errorf("%s (%s): has side %v, want side only for actors", n.ID, n.Kind, ok)
		}
		if ok && !side.Valid() {
			t.Errorf("%s: invalid side %q", n.ID, side)
		}
	}
	for _, tc := range []struct {
		id   string
		want domain.Side
	}{
		{"country:ecuador", domain.SideEcuador},
		{"organization:ministry-foreign-affairs-ecuador", domain.SideEcuador},
		{"organization:ecucert", domain.SideEcuador}, // PART_OF ARCOTEL, PART_OF Ecuador
		{"person:isabel-albornoz", domain.SideEcuador},
		{"organization:european-union", domain.SideEUInstitutions},
		{"organization:europol", domain.SideEUInstitutions},
		{"organization:eu-delegation-ecuador", domain.SideEUInstitutions},
		{"person:charles-michel-geurts", domain.SideEUInstitutions},
		{"person:ylva-johansson", domain.SideEUInstitutions},
		{"country:hungary", domain.SideMemberStates},
		{"organization:policia-nacional-spain", domain.SideMemberStates},
		{"person:annelies-verlinden", domain.SideMemberStates},
		{"organization:fiiapp", domain.SideImplementingAgencies},
		{"organization:giz", domain.SideImplementingAgencies},
		{"organization:iom", domain.SideInternationalOrganisations},
		{"organization:interpol", domain.SideInternationalOrganisations},
		{"country:colombia", domain.SideOther},
		{"organization:uk-fcdo", domain.SideOther},
	} {
		if got[tc.id] != tc.want {
			t.Errorf("side of %s: got %q, want %q", tc.id, got[tc.id], tc.want)
		}
	}
}
