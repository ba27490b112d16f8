package neo4j

import (
	"context"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// mustAllExist returns ENOTFOUND for the first of ids, in the given order,
// that names no node. Every ID a query names must exist, so a typo is
// reported rather than answered with an empty result.
func (s *Store) mustAllExist(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	nodes, err := s.Nodes(ctx, ids)
	if err != nil {
		return err
	}
	for i, n := range nodes {
		if n == nil {
			return notFound(ids[i])
		}
	}
	return nil
}

// CommonConnections finds, in one query, every node outside the given ones
// with in-scope relations to two or more of them; Go orders and cuts with
// domain.SortCommonConnections.
func (s *Store) CommonConnections(ctx context.Context, q domain.CommonConnectionsQuery) ([]*domain.CommonConnection, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := s.mustAllExist(ctx, q.NamedIDs()); err != nil {
		return nil, err
	}
	// The given node g is one end and the connector c the other, so each
	// relation is matched once whichever way it points.
	res, err := s.read(ctx, `
		MATCH (g:Stakeholder)-[r]-(c:Stakeholder)
		WHERE g.id IN $ids AND NOT c.id IN $ids
		  AND (size($kinds) = 0 OR c.kind IN $kinds)
		  AND `+scopeWhere("r")+`
		WITH c, collect(DISTINCT g) AS given, collect(r) AS rels
		WHERE size(given) >= 2
		RETURN `+nodeMap("c")+` AS node,
		       [g IN given | `+nodeMap("g")+`] AS connected,
		       [r IN rels | `+relMap("r")+`] AS rels`,
		scopeParams(q.Scope(), map[string]any{"ids": q.IDs, "kinds": kindNames(q.Kinds)}))
	if err != nil {
		return nil, s.fail(err, "finding common connections")
	}
	out := make([]*domain.CommonConnection, 0, len(res.Records))
	for _, rec := range res.Records {
		c := &domain.CommonConnection{}
		if c.Node, err = decodeNode(rec.Values[0]); err != nil {
			return nil, s.fail(err, "decoding a connector")
		}
		if c.Connected, err = decodeNodes(rec.Values[1]); err != nil {
			return nil, s.fail(err, "decoding connected nodes")
		}
		if c.Relations, err = decodeRelations(rec.Values[2]); err != nil {
			return nil, s.fail(err, "decoding connecting relations")
		}
		domain.SortNodes(c.Connected)
		domain.SortRelations(c.Relations)
		out = append(out, c)
	}
	domain.SortCommonConnections(out)
	if len(out) > q.First {
		out = out[:q.First]
	}
	return out, nil
}

// CoParticipation reads every engagement of an actor of the query's kinds
// in a venue (domain.IsEngagementOf) that the query's topic and asOf allow,
// then pairs the actors in Go. The topic test uses the relation's
// concerned topics: for an engagement those are exactly the topics its
// venue addresses.
func (s *Store) CoParticipation(ctx context.Context, q domain.CoParticipationQuery) ([]*domain.CoParticipation, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := s.mustAllExist(ctx, q.NamedIDs()); err != nil {
		return nil, err
	}
	scope := q.Scope()
	res, err := s.read(ctx, `
		MATCH (a:Stakeholder)-[r]->(v:Stakeholder)
		WHERE a.kind IN $actorKinds AND type(r) IN $engagement AND v.kind IN $venueKinds
		  AND `+scopeWhere("r")+`
		WITH DISTINCT a, v
		RETURN `+nodeMap("a")+` AS actor, `+nodeMap("v")+` AS venue`,
		scopeParams(scope, map[string]any{"actorKinds": kindNames(q.ActorKinds()),
			"engagement": engagementTypes, "venueKinds": venueKinds}))
	if err != nil {
		return nil, s.fail(err, "finding co-participation")
	}
	engagements := make([]domain.Engagement, 0, len(res.Records))
	for _, rec := range res.Records {
		a, err := decodeNode(rec.Values[0])
		if err != nil {
			return nil, s.fail(err, "decoding an actor")
		}
		v, err := decodeNode(rec.Values[1])
		if err != nil {
			return nil, s.fail(err, "decoding a venue")
		}
		engagements = append(engagements, domain.Engagement{Actor: a, Venue: v})
	}
	return domain.PairCoParticipants(engagements, q.First), nil
}

// Timeline reads the dated relations and events (touching the actor when
// one is given); Go turns them into entries, keeps those within the query's
// dates, orders them with domain.SortTimeline and cuts.
func (s *Store) Timeline(ctx context.Context, q domain.TimelineQuery) ([]*domain.TimelineEntry, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := s.mustAllExist(ctx, q.NamedIDs()); err != nil {
		return nil, err
	}
	res, err := s.read(ctx, `
		RETURN COLLECT { MATCH (a:Stakeholder)-[r]->(b:Stakeholder)
		                 WHERE ($actor = '' OR a.id = $actor OR b.id = $actor)
		                   AND (r.start IS NOT NULL OR r.end IS NOT NULL)
		                 RETURN `+relMap("r")+` } AS rels,
		       COLLECT { MATCH (e:Stakeholder)
		                 WHERE e.kind = $event AND e.start IS NOT NULL
		                   AND ($actor = '' OR e.id = $actor OR EXISTS { (e)--(:Stakeholder {id: $actor}) })
		                 RETURN `+nodeMap("e")+` } AS events`,
		map[string]any{"actor": q.Actor, "event": string(domain.KindEvent)})
	if err != nil {
		return nil, s.fail(err, "reading the timeline")
	}
	rels, err := decodeRelations(res.Records[0].Values[0])
	if err != nil {
		return nil, s.fail(err, "decoding relations")
	}
	events, err := decodeNodes(res.Records[0].Values[1])
	if err != nil {
		return nil, s.fail(err, "decoding events")
	}
	var out []*domain.TimelineEntry
	add := func(e *domain.TimelineEntry) {
		if e.Date != "" && q.Includes(e.Date) {
			out = append(out, e)
		}
	}
	for _, r := range rels {
		add(&domain.TimelineEntry{Date: r.Start, Kind: domain.TimelineStarted, Relation: r})
		add(&domain.TimelineEntry{Date: r.End, Kind: domain.TimelineEnded, Relation: r})
	}
	for _, e := range events {
		add(&domain.TimelineEntry{Date: e.Start, Kind: domain.TimelineEvent, Node: e})
	}
	domain.SortTimeline(out)
	if len(out) > q.First {
		out = out[:q.First]
	}
	return out, nil
}
