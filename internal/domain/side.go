package domain

import (
	"cmp"
	"slices"
)

// Side is the side of the EU–Ecuador cooperation an actor belongs to; it is
// the group Gould–Fernandez brokerage counts roles by.
type Side string

// The sides.
const (
	SideEcuador                    Side = "ECUADOR"
	SideEUInstitutions             Side = "EU_INSTITUTIONS"
	SideMemberStates               Side = "MEMBER_STATES"
	SideImplementingAgencies       Side = "IMPLEMENTING_AGENCIES"
	SideInternationalOrganisations Side = "INTERNATIONAL_ORGANISATIONS"
	SideOther                      Side = "OTHER"
)

// Sides lists every side in a fixed order.
var Sides = []Side{SideEcuador, SideEUInstitutions, SideMemberStates, SideImplementingAgencies,
	SideInternationalOrganisations, SideOther}

// Valid reports whether s is a known side.
func (s Side) Valid() bool { return slices.Contains(Sides, s) }

// The two anchors the sides are defined from.
const (
	EcuadorID       = "country:ecuador"
	EuropeanUnionID = "organization:european-union"
)

// AssignSides gives every actor (country, organization, person) among nodes
// its side, read from the structure of the data rather than from a list of
// names. "Belongs to X" below means X itself or X reached by following
// PART_OF relations from one actor to another, any number of hops
// (ecuCERT → ARCOTEL → Ecuador).
//
// A country or organization takes the first side that applies:
//  1. ECUADOR: belongs to country:ecuador — Ecuador's bodies are its side
//     whatever their type;
//  2. EU_INSTITUTIONS: belongs to organization:european-union, or has
//     orgType EU_INSTITUTION, EU_AGENCY or EU_DELEGATION;
//  3. IMPLEMENTING_AGENCIES: orgType IMPLEMENTING_AGENCY, even when it
//     belongs to a member state (FIIAPP is Spanish, but brokers as an agency);
//  4. INTERNATIONAL_ORGANISATIONS: orgType INTERNATIONAL_ORGANISATION;
//  5. MEMBER_STATES: belongs to a country that is MEMBER_OF the EU (as the
//     data records membership: a country without that relation is OTHER);
//  6. OTHER.
//
// A person takes the side of the country or organization of their
// HOLDS_POSITION or REPRESENTS relation with the lowest ID (OTHER without
// one). Only relations among nodes are read, so pass the whole graph to
// give an actor the same side at every date and filter.
func AssignSides(nodes []*Node, relations []*Relation) map[string]Side {
	byID := make(map[string]*Node, len(nodes))
	for _, n := range nodes {
		byID[n.ID] = n
	}
	isActor := func(id string) bool { n := byID[id]; return n != nil && n.Kind.IsActor() }
	parents := map[string][]string{}
	euMembers := map[string]bool{}
	var personal []*Relation
	for _, r := range relations {
		if !isActor(r.From) || !isActor(r.To) {
			continue
		}
		switch r.Type {
		case RelPartOf:
			parents[r.From] = append(parents[r.From], r.To)
		case RelMemberOf:
			if r.To == EuropeanUnionID && byID[r.From].Kind == KindCountry {
				euMembers[r.From] = true
			}
		case RelHoldsPosition, RelRepresents:
			if byID[r.From].Kind == KindPerson && byID[r.To].Kind != KindPerson {
				personal = append(personal, r)
			}
		}
	}

	sides := make(map[string]Side, len(nodes))
	for _, n := range nodes {
		if n.Kind == KindCountry || n.Kind == KindOrganization {
			sides[n.ID] = bodySide(n, belongsTo(n.ID, parents), euMembers)
		}
	}
	slices.SortFunc(personal, func(a, b *Relation) int { return cmp.Compare(a.ID, b.ID) })
	for _, r := range personal {
		if _, done := sides[r.From]; !done {
			sides[r.From] = sides[r.To]
		}
	}
	for _, n := range nodes {
		if n.Kind == KindPerson {
			if _, done := sides[n.ID]; !done {
				sides[n.ID] = SideOther
			}
		}
	}
	return sides
}

// AssignSides is AssignSides over the whole graph.
func (g *Graph) AssignSides() map[string]Side { return AssignSides(g.Nodes, g.Relations) }

// AssignSides is AssignSides over the subgraph.
func (s *Subgraph) AssignSides() map[string]Side { return AssignSides(s.Nodes, s.Relations) }

// belongsTo returns id and every actor reachable from it over PART_OF.
func belongsTo(id string, parents map[string][]string) map[string]bool {
	seen := map[string]bool{id: true}
	stack := []string{id}
	for len(stack) > 0 {
		cur := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, p := range parents[cur] {
			if !seen[p] {
				seen[p] = true
				stack = append(stack, p)
			}
		}
	}
	return seen
}

func bodySide(n *Node, within map[string]bool, euMembers map[string]bool) Side {
	switch {
	case within[EcuadorID]:
		return SideEcuador
	case within[EuropeanUnionID], n.OrgType == OrgEUInstitution, n.OrgType == OrgEUAgency, n.OrgType == OrgEUDelegation:
		return SideEUInstitutions
	case n.OrgType == OrgImplementingAgency:
		return SideImplementingAgencies
	case n.OrgType == OrgInternational:
		return SideInternationalOrganisations
	}
	for id := range within {
		if euMembers[id] {
			return SideMemberStates
		}
	}
	return SideOther
}
