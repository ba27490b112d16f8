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
// into Cooperation rows, so both stores group, filter and order alike.
type CooperationBuilder struct {
	query CooperationQuery
	rows  map[[2]string]*Cooperation // (partner ID, venue ID or "")
}

// NewCooperationBuilder starts the rows for q.
func NewCooperationBuilder(q CooperationQuery) *CooperationBuilder {
	return &CooperationBuilder{query: q, rows: map[[2]string]*Cooperation{}}
}

// Direct records a COOPERATES_WITH relation between the actor and partner.
func (b *CooperationBuilder) Direct(partner *Node, r *Relation) {
	b.add(partner, nil, r)
}

// Shared records that the actor (through actorRel) and partner (through
// partnerRel) both engage in venue.
func (b *CooperationBuilder) Shared(partner, venue *Node, actorRel, partnerRel *Relation) {
	b.add(partner, venue, actorRel, partnerRel)
}

func (b *CooperationBuilder) add(partner, venue *Node, rels ...*Relation) {
	if !partner.Kind.IsActor() || (b.query.Partner != "" && partner.ID != b.query.Partner) {
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
