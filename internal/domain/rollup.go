package domain

import (
	"cmp"
	"slices"
)

// RollUp ties bodies to what they belong to: every organization that is
// PART_OF another organization or a country rolls up through that relation
// (the one with the lowest ID when it has several), so the National Police
// of Ecuador rolls up to Ecuador and EcuCERT through ARCOTEL to Ecuador.
// A national body is one whose chain ends at a country. Both stores build
// it from the PART_OF relations active at the query's date, so they roll up
// alike.
type RollUp struct {
	up    map[string]*Relation // body ID → the PART_OF relation it rolls up through
	nodes map[string]*Node
}

// NewRollUp builds the roll-up from PART_OF relations (others are ignored)
// and the nodes at their ends, looked up with node.
func NewRollUp(rels []*Relation, node func(id string) *Node) *RollUp {
	u := &RollUp{up: map[string]*Relation{}, nodes: map[string]*Node{}}
	for _, r := range rels {
		from, to := node(r.From), node(r.To)
		if r.Type != RelPartOf || from == nil || to == nil || from.Kind != KindOrganization ||
			(to.Kind != KindOrganization && to.Kind != KindCountry) {
			continue
		}
		if cur := u.up[r.From]; cur == nil || cmp.Less(r.ID, cur.ID) {
			u.up[r.From] = r
		}
		u.nodes[from.ID], u.nodes[to.ID] = from, to
	}
	return u
}

// chain lists the PART_OF relations from id upwards, stopping after stop
// (or at the top when stop is ""), guarding against cycles.
func (u *RollUp) chain(id, stop string) []*Relation {
	var out []*Relation
	seen := map[string]bool{id: true}
	for r := u.up[id]; r != nil && !seen[r.To]; r = u.up[r.To] {
		out = append(out, r)
		seen[r.To] = true
		if r.To == stop {
			break
		}
	}
	return out
}

// Country returns the country a national body rolls up to and the chain of
// relations that ties it there; nil when id is not a national body.
func (u *RollUp) Country(id string) (*Node, []*Relation) {
	chain := u.chain(id, "")
	if len(chain) == 0 {
		return nil, nil
	}
	top := u.nodes[chain[len(chain)-1].To]
	if top.Kind != KindCountry {
		return nil, nil
	}
	return top, chain
}

// Within returns the chain from id up to ancestor and whether id rolls up to
// ancestor at all (a node is within itself, through no relation).
func (u *RollUp) Within(id, ancestor string) ([]*Relation, bool) {
	if id == ancestor {
		return nil, true
	}
	chain := u.chain(id, ancestor)
	if len(chain) == 0 || chain[len(chain)-1].To != ancestor {
		return nil, false
	}
	return chain, true
}

// Bodies lists, ordered by ID, the nodes that roll up to id (directly or
// through other bodies), not id itself.
func (u *RollUp) Bodies(id string) []string {
	var out []string
	for body := range u.up {
		if _, ok := u.Within(body, id); ok && body != id {
			out = append(out, body)
		}
	}
	slices.Sort(out)
	return out
}

// SameSide reports whether a and b belong to one another: one rolls up to
// the other. An actor's own bodies, and its own country, are not its
// partners.
func (u *RollUp) SameSide(a, b string) bool {
	_, down := u.Within(a, b)
	_, upward := u.Within(b, a)
	return down || upward
}
