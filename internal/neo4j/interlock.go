package neo4j

import (
	"context"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

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

// mustAllExistTx is mustAllExist in a transaction of the caller.
func mustAllExistTx(ctx context.Context, tx driver.ManagedTransaction, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	records, err := collectTx(ctx, tx, `RETURN [id IN $ids WHERE NOT EXISTS { MATCH (:Stakeholder {id: id}) }] AS missing`,
		map[string]any{"ids": ids})
	if err != nil {
		return err
	}
	if missing := stringList(records[0].Values[0]); len(missing) > 0 {
		return notFound(missing[0])
	}
	return nil
}

// CommonConnections finds, in one query, every node outside the given ones
// with in-scope relations to two or more of them; Go orders and cuts with
// domain.SortCommonConnections.
// Its statements run in one read transaction.
func (s *Store) CommonConnections(ctx context.Context, q domain.CommonConnectionsQuery) (rows []*domain.CommonConnection, err error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	err = s.inOneRead(ctx, func(ctx context.Context) (err error) {
		rows, err = s.commonConnections(ctx, q)
		return err
	})
	return rows, err
}

func (s *Store) commonConnections(ctx context.Context, q domain.CommonConnectionsQuery) ([]*domain.CommonConnection, error) {
	if err := s.mustAllExist(ctx, q.NamedIDs()); err != nil {
		return nil, err
	}
	rollUp := domain.NewRollUp(nil, nil) // without RollUp no chain is needed
	if q.RollUp {
		var err error
		if rollUp, err = s.rollUp(ctx, domain.Scope{AsOf: q.AsOf}); err != nil {
			return nil, err
		}
	}
	b := domain.NewCommonConnectionsBuilder(q, rollUp)
	var members []map[string]any
	for _, m := range b.Members() {
		members = append(members, map[string]any{"member": m.Member, "given": m.Given})
	}
	// The member g is one end and the connector c the other, so each
	// relation is matched once per member whichever way it points.
	res, err := s.read(ctx, `
		UNWIND $members AS m
		MATCH (g:Stakeholder {id: m.member})-[r]-(c:Stakeholder), (o:Stakeholder {id: m.given})
		WHERE (size($kinds) = 0 OR c.kind IN $kinds) AND `+scopeWhere("r")+`
		RETURN m.member AS member, `+nodeMap("o")+` AS given, `+nodeMap("c")+` AS node, `+relMap("r")+` AS rel`,
		scopeParams(q.Scope(), map[string]any{"members": members, "kinds": kindNames(q.Kinds)}))
	if err != nil {
		return nil, s.fail(err, "finding common connections")
	}
	for _, rec := range res.Records {
		member, _ := rec.Values[0].(string)
		given, err := decodeNode(rec.Values[1])
		if err != nil {
			return nil, s.fail(err, "decoding a given node")
		}
		connector, err := decodeNode(rec.Values[2])
		if err != nil {
			return nil, s.fail(err, "decoding a connector")
		}
		r, err := decodeRelation(rec.Values[3])
		if err != nil {
			return nil, s.fail(err, "decoding a connecting relation")
		}
		b.Add(domain.Membership{Member: member, Given: given.ID}, given, connector, r)
	}
	return b.Build(), nil
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
	return domain.PairCoParticipants(ctx, engagements, q.First)
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
