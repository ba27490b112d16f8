package domain

import (
	"cmp"
	"slices"
)

// IsEngagementOf reports whether r ties actor to venue as a participant:
// an engagement-type relation from the actor to a programme, event or
// agreement.
func IsEngagementOf(r *Relation, actor, venue *Node) bool {
	return actor.Kind.IsActor() && r.Type.IsEngagement() &&
		r.From == actor.ID && r.To == venue.ID && venue.Kind.IsVenue()
}

// CooperationBuilder collects the relations a store finds around an actor
// (and, with RollUp, around its bodies) into Cooperation rows, so both
// stores group, roll up, filter and order alike.
type CooperationBuilder struct {
	query  CooperationQuery
	rollUp *RollUp
	rows   map[[2]string]*Cooperation // (partner ID, venue ID or "")
}

// NewCooperationBuilder starts the rows for q; u holds the PART_OF
// relations active at q.AsOf.
func NewCooperationBuilder(q CooperationQuery, u *RollUp) *CooperationBuilder {
	return &CooperationBuilder{query: q, rollUp: u, rows: map[[2]string]*Cooperation{}}
}

// Members are the IDs whose relations count as the actor's: the actor and,
// with RollUp, its bodies. A store looks for cooperation around each.
func (b *CooperationBuilder) Members() []string {
	if !b.query.RollUp {
		return []string{b.query.Actor}
	}
	return append([]string{b.query.Actor}, b.rollUp.Bodies(b.query.Actor)...)
}

// Direct records a COOPERATES_WITH relation between member (see Members)
// and partner.
func (b *CooperationBuilder) Direct(member string, partner *Node, r *Relation) {
	b.add(member, partner, nil, r)
}

// Shared records that member (through actorRel) and partner (through
// partnerRel) both engage in venue.
func (b *CooperationBuilder) Shared(member string, partner, venue *Node, actorRel, partnerRel *Relation) {
	b.add(member, partner, venue, actorRel, partnerRel)
}

func (b *CooperationBuilder) add(member string, partner, venue *Node, rels ...*Relation) {
	if !partner.Kind.IsActor() {
		return
	}
	memberChain, ok := b.rollUp.Within(member, b.query.Actor)
	if !ok || (member != b.query.Actor && !b.query.RollUp) {
		return // not one of the actor's members
	}
	rels = append(memberChain, rels...)
	if b.query.RollUp {
		if country, chain := b.rollUp.Country(partner.ID); country != nil {
			partner = country
			rels = append(rels, chain...)
		}
	}
	if b.rollUp.SameSide(partner.ID, b.query.Actor) || (b.query.Partner != "" && partner.ID != b.query.Partner) {
		return
	}
	key := [2]string{partner.ID, ""}
	if venue != nil {
		key[1] = venue.ID
	}
	row := b.rows[key]
	if row == nil {
		row = &Cooperation{Partner: partner, Via: venue}
		b.rows[key] = row
	}
	for _, r := range rels {
		if !containsRelation(row.Relations, r.ID) {
			row.Relations = append(row.Relations, r)
		}
	}
}

func containsRelation(rels []*Relation, id string) bool {
	return slices.ContainsFunc(rels, func(r *Relation) bool { return r.ID == id })
}

// Build returns the rows ordered by partner ID then venue ID (direct rows
// first), with each venue's topics from topicsOf, keeping only rows whose
// venue addresses the query's topic when one is set.
func (b *CooperationBuilder) Build(topicsOf func(venueID string) []*Node) []*Cooperation {
	var out []*Cooperation
	for _, row := range b.rows {
		if row.Via != nil {
			row.Topics = topicsOf(row.Via.ID)
		}
		if b.query.Topic != "" && !containsNode(row.Topics, b.query.Topic) {
			continue
		}
		SortRelations(row.Relations)
		out = append(out, row)
	}
	slices.SortFunc(out, compareCooperation)
	return out
}

func containsNode(nodes []*Node, id string) bool {
	return slices.ContainsFunc(nodes, func(n *Node) bool { return n.ID == id })
}

func viaID(c *Cooperation) string {
	if c.Via == nil {
		return ""
	}
	return c.Via.ID
}

func compareCooperation(a, b *Cooperation) int {
	if c := cmp.Compare(a.Partner.ID, b.Partner.ID); c != 0 {
		return c
	}
	return cmp.Compare(viaID(a), viaID(b))
}
