package memstore

import (
	"context"
	"slices"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// CommonConnections lists the nodes with in-scope relations to two or more
// of the given nodes; see domain.CommonConnectionsQuery.
func (s *Store) CommonConnections(ctx context.Context, q domain.CommonConnectionsQuery) ([]*domain.CommonConnection, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := s.mustExist(q.NamedIDs()...); err != nil {
		return nil, err
	}
	scope := q.Scope()
	rollUp := domain.NewRollUp(nil, nil) // without RollUp no chain is needed
	if q.RollUp {
		rollUp = s.rollUp(domain.Scope{AsOf: q.AsOf})
	}
	b := domain.NewCommonConnectionsBuilder(q, rollUp)
	for _, m := range b.Members() {
		given := s.node(m.Given)
		for _, r := range s.entryOf(m.Member).incident {
			if o := s.node(other(r, m.Member)); kindAllowed(o, q.Kinds) && s.inScope(scope, r) {
				b.Add(m, given, o, r)
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return b.Build(), nil
}

// CoParticipation pairs actors by the venues they both engage in; see
// domain.CoParticipationQuery.
func (s *Store) CoParticipation(ctx context.Context, q domain.CoParticipationQuery) ([]*domain.CoParticipation, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := s.mustExist(q.NamedIDs()...); err != nil {
		return nil, err
	}
	kinds := q.ActorKinds()
	scope := domain.Scope{AsOf: q.AsOf}
	var engagements []domain.Engagement
	for _, e := range s.byID {
		venue := e.node
		if !venue.Kind.IsVenue() || (q.Topic != "" && !addresses(e, q.Topic)) {
			continue
		}
		for _, r := range e.incident {
			actor := s.node(r.From)
			if slices.Contains(kinds, actor.Kind) && s.inScope(scope, r) && domain.IsEngagementOf(r, actor, venue) {
				engagements = append(engagements, domain.Engagement{Actor: actor, Venue: venue})
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return domain.PairCoParticipants(ctx, engagements, q.First)
}

// addresses reports whether venue has an ADDRESSES relation to topic.
func addresses(venue *entry, topic string) bool {
	return slices.ContainsFunc(venue.incident, func(r *domain.Relation) bool {
		return r.Type == domain.RelAddresses && r.From == venue.node.ID && r.To == topic
	})
}

// Timeline lists the starts and ends of dated relations and the dates of
// events, touching the actor when one is given; see domain.TimelineQuery.
func (s *Store) Timeline(ctx context.Context, q domain.TimelineQuery) ([]*domain.TimelineEntry, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := s.mustExist(q.NamedIDs()...); err != nil {
		return nil, err
	}
	var out []*domain.TimelineEntry
	relation := func(r *domain.Relation) {
		if r.Start != "" && q.Includes(r.Start) {
			out = append(out, &domain.TimelineEntry{Date: r.Start, Kind: domain.TimelineStarted, Relation: r})
		}
		if r.End != "" && q.Includes(r.End) {
			out = append(out, &domain.TimelineEntry{Date: r.End, Kind: domain.TimelineEnded, Relation: r})
		}
	}
	event := func(n *domain.Node) {
		if n.Kind == domain.KindEvent && n.Start != "" && q.Includes(n.Start) {
			out = append(out, &domain.TimelineEntry{Date: n.Start, Kind: domain.TimelineEvent, Node: n})
		}
	}
	if q.Actor == "" {
		for e := range s.eachRelation {
			relation(e.r)
		}
		for _, e := range s.byID {
			event(e.node)
		}
	} else {
		rels, events := s.entryOf(q.Actor).incident, []string{q.Actor}
		for _, r := range rels {
			relation(r)
			events = append(events, other(r, q.Actor))
		}
		slices.Sort(events)
		for _, id := range slices.Compact(events) {
			event(s.node(id))
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	domain.SortTimeline(out)
	return out[:min(len(out), q.First)], nil
}
