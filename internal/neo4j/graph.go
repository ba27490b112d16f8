package neo4j

import (
	"context"
	"slices"
	"strings"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// Neighborhood walks breadth-first from the root exactly as
// domain.NeighborhoodQuery defines, fan-out cap included: a node is entered
// only when its kind is allowed and only over relations in scope, and each
// node enters at most domain.MaxFanOut new neighbours, the first by ID. One
// statement checks the named IDs and walks every level; a second reads the
// nodes and the relations among them; both run in one read transaction.
func (s *Store) Neighborhood(ctx context.Context, q domain.NeighborhoodQuery) (*domain.Subgraph, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	scope := q.Scope()
	var sub *domain.Subgraph
	err := s.readTx(ctx, func(tx driver.ManagedTransaction) error {
		records, err := collectTx(ctx, tx, neighborhoodQueries[q.Depth],
			scopeParams(scope, map[string]any{"named": q.NamedIDs(), "root": q.Root,
				"kinds": kindNames(q.Kinds), "cap": domain.MaxFanOut}))
		if err != nil {
			return err
		}
		row := records[0].Values
		if missing := stringList(row[0]); len(missing) > 0 {
			return notFound(missing[0])
		}
		ids, capped := stringList(row[1]), stringList(row[2])
		if sub, err = s.subgraphTx(ctx, tx, scope, ids); err != nil {
			return err
		}
		slices.Sort(capped)
		sub.Capped = slices.Compact(capped)
		return nil
	})
	if err != nil {
		return nil, s.fail(err, "walking a neighborhood")
	}
	return sub, nil
}

// neighborhoodQueries walk a neighbourhood, one statement per depth
// (indexed by the validated depth; a level is a block of Cypher, not a
// parameter). It returns the named IDs that are missing (in the query's
// order), the IDs of the nodes reached and the nodes whose fan-out was
// capped. Candidates are judged against the earlier levels ($seen before
// the level), so the cap does not depend on the order of the frontier; the
// top-$cap+1 sort stops reading the order of a hub's neighbours early.
var neighborhoodQueries = func() []string {
	qs := make([]string, domain.MaxNeighborhoodDepth+1)
	level := `
		CALL (seen, frontier) {
		  UNWIND frontier AS u
		  CALL (u, seen) {
		    MATCH (u)-[r]-(v:Stakeholder)
		    WHERE (size($kinds) = 0 OR v.kind IN $kinds) AND NOT v IN seen AND ` + scopeWhere("r") + `
		    WITH DISTINCT v ORDER BY v.id LIMIT $cap + 1
		    RETURN collect(v) AS candidates
		  }
		  WITH collect(CASE WHEN size(candidates) > $cap THEN u.id END) AS cappedHere,
		       collect(candidates[..$cap]) AS entered
		  RETURN cappedHere, COLLECT { UNWIND entered AS list UNWIND list AS v RETURN DISTINCT v } AS next
		}
		WITH missing, seen + next AS seen, next AS frontier, capped + cappedHere AS capped`
	for depth := 1; depth <= domain.MaxNeighborhoodDepth; depth++ {
		qs[depth] = `
		WITH [id IN $named WHERE NOT EXISTS { MATCH (:Stakeholder {id: id}) }] AS missing
		OPTIONAL MATCH (root:Stakeholder {id: $root})
		WITH missing, CASE WHEN root IS NULL THEN [] ELSE [root] END AS seen
		WITH missing, seen, seen AS frontier, [] AS capped` +
			strings.Repeat(level, depth) + `
		RETURN missing, [n IN seen | n.id] AS ids, capped`
	}
	return qs
}()

// subgraphTx reads the nodes with the given IDs and every in-scope
// relation between them, in tx.
func (s *Store) subgraphTx(ctx context.Context, tx driver.ManagedTransaction, scope domain.Scope, ids []string) (*domain.Subgraph, error) {
	records, err := collectTx(ctx, tx, `
		RETURN COLLECT { MATCH (n:Stakeholder) WHERE n.id IN $ids RETURN `+nodeMap("n")+` } AS nodes,
		       COLLECT { MATCH (a:Stakeholder)-[r]->(b:Stakeholder)
		                 WHERE a.id IN $ids AND b.id IN $ids AND `+scopeWhere("r")+`
		                 RETURN `+relMap("r")+` } AS rels`,
		scopeParams(scope, map[string]any{"ids": ids}))
	if err != nil {
		return nil, err
	}
	return s.decodeSubgraph(records[0].Values[0], records[0].Values[1])
}

// decodeSubgraph decodes node and relation lists, ordered by ID in Go: the
// contract is Go's string order.
func (s *Store) decodeSubgraph(nodes, rels any) (*domain.Subgraph, error) {
	sub := &domain.Subgraph{}
	var err error
	if sub.Nodes, err = decodeNodes(nodes); err != nil {
		return nil, s.fail(err, "decoding nodes")
	}
	if sub.Relations, err = decodeRelations(rels); err != nil {
		return nil, s.fail(err, "decoding relations")
	}
	domain.SortNodes(sub.Nodes)
	domain.SortRelations(sub.Relations)
	return sub, nil
}

// Graph selects the nodes of the query's kinds and the in-scope relations
// between them; see domain.GraphQuery. Two statements in one read
// transaction stream their rows, decoded as they arrive: no record holds
// the whole graph.
func (s *Store) Graph(ctx context.Context, q domain.GraphQuery) (*domain.Subgraph, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	kindOK := func(v string) string { return `(size($kinds) = 0 OR ` + v + `.kind IN $kinds)` }
	params := scopeParams(q.Scope(), map[string]any{"kinds": kindNames(q.Kinds), "topic": q.Topic})
	var sub *domain.Subgraph
	err := s.readTx(ctx, func(tx driver.ManagedTransaction) error {
		sub = &domain.Subgraph{}
		if err := mustAllExistTx(ctx, tx, q.NamedIDs()); err != nil {
			return err
		}
		err := stream(ctx, tx, `
			MATCH (n:Stakeholder)
			WHERE `+kindOK("n")+`
			  AND ($topic = '' OR n.id = $topic
			       OR EXISTS { MATCH (n)-[r]-(m:Stakeholder) WHERE `+kindOK("m")+` AND `+scopeWhere("r")+` })
			RETURN `+nodeMap("n"), params, func(v any) error {
			n, err := decodeNode(v)
			sub.Nodes = append(sub.Nodes, n)
			return err
		})
		if err != nil {
			return err
		}
		return stream(ctx, tx, `
			MATCH (a:Stakeholder)-[r]->(b:Stakeholder)
			WHERE `+kindOK("a")+` AND `+kindOK("b")+` AND `+scopeWhere("r")+`
			RETURN `+relMap("r"), params, func(v any) error {
			r, err := decodeRelation(v)
			sub.Relations = append(sub.Relations, r)
			return err
		})
	})
	if err != nil {
		return nil, s.fail(err, "reading the graph")
	}
	domain.SortNodes(sub.Nodes)
	domain.SortRelations(sub.Relations)
	return sub, nil
}

// stream runs one statement in tx and hands the first column of each
// record to each as the driver receives it.
func stream(ctx context.Context, tx driver.ManagedTransaction, cypher string, params map[string]any, each func(any) error) error {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return err
	}
	for res.Next(ctx) {
		if err := each(res.Record().Values[0]); err != nil {
			return err
		}
	}
	return res.Err()
}

// The relation types and kinds Cooperation matches on, as the domain
// defines them.
var (
	engagementTypes = namesWhere(domain.RelationTypes, domain.RelationType.IsEngagement)
	venueKinds      = namesWhere(domain.Kinds, domain.Kind.IsVenue)
	actorKinds      = namesWhere(domain.Kinds, domain.Kind.IsActor)
)

// namesWhere lists the values of all that keep accepts, as strings.
func namesWhere[T ~string](all []T, keep func(T) bool) []string {
	var out []string
	for _, v := range all {
		if keep(v) {
			out = append(out, string(v))
		}
	}
	return out
}

// Cooperation fetches the PART_OF relations in scope (to roll bodies up
// and keep the actor's own side out of its partners), then the direct
// COOPERATES_WITH relations and shared engagements of the actor and, with
// RollUp, its bodies in one query, and leaves grouping, rolling up,
// filtering and ordering to domain.CooperationBuilder, as the memory store
// does. The partner and topic filters are also applied in Cypher, only to
// fetch less; asOf keeps only relations active then (see scopeWhere).
// Its statements run in one read transaction.
func (s *Store) Cooperation(ctx context.Context, q domain.CooperationQuery) (rows []*domain.Cooperation, err error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	err = s.inOneRead(ctx, func(ctx context.Context) (err error) {
		rows, err = s.cooperation(ctx, q)
		return err
	})
	return rows, err
}

func (s *Store) cooperation(ctx context.Context, q domain.CooperationQuery) ([]*domain.Cooperation, error) {
	scope := domain.Scope{AsOf: q.AsOf}
	rollUp, err := s.rollUp(ctx, scope)
	if err != nil {
		return nil, err
	}
	b := domain.NewCooperationBuilder(q, rollUp)
	partner := q.Partner
	if q.RollUp {
		partner = "" // the partner may be a body of the one named
	}
	res, err := s.read(ctx, `
		MATCH (a:Stakeholder) WHERE a.id IN $members
		CALL (a) {
		  MATCH (a)-[r:COOPERATES_WITH]-(p:Stakeholder)
		  WHERE $topic = '' AND ($partner = '' OR p.id = $partner) AND `+scopeWhere("r")+`
		  RETURN p, null AS v, r AS ra, null AS rp
		UNION ALL
		  MATCH (a)-[ra]->(v:Stakeholder)<-[rp]-(p:Stakeholder)
		  WHERE type(ra) IN $engagement AND type(rp) IN $engagement AND v.kind IN $venueKinds
		    AND p <> a AND p.kind IN $actorKinds
		    AND ($partner = '' OR p.id = $partner)
		    AND ($topic = '' OR EXISTS { (v)-[:ADDRESSES]->(:Stakeholder {id: $topic}) })
		    AND `+scopeWhere("ra")+` AND `+scopeWhere("rp")+`
		  RETURN p, v, ra, rp
		}
		RETURN a.id AS member, `+nodeMap("p")+` AS partner,
		       CASE WHEN v IS NULL THEN null ELSE `+nodeMap("v")+` END AS venue,
		       `+relMap("ra")+` AS actorRel,
		       CASE WHEN rp IS NULL THEN null ELSE `+relMap("rp")+` END AS partnerRel,
		       COLLECT { MATCH (v)-[:ADDRESSES]->(t:Stakeholder) RETURN `+nodeMap("t")+` } AS topics`,
		scopeParams(scope, map[string]any{"members": b.Members(), "topic": q.Topic, "partner": partner,
			"engagement": engagementTypes, "venueKinds": venueKinds, "actorKinds": actorKinds}))
	if err != nil {
		return nil, s.fail(err, "finding cooperation")
	}
	if len(res.Records) == 0 {
		// No rows: either no partner, or a given ID names no node (rows
		// need the actor, and the partner or topic when given); only the
		// latter is an error.
		if err := s.mustAllExist(ctx, q.NamedIDs()); err != nil {
			return nil, err
		}
		return nil, nil
	}
	topics := map[string][]*domain.Node{}
	for _, rec := range res.Records {
		member, _ := rec.Values[0].(string)
		row, err := decodeCooperationRow(rec.Values[1:])
		if err != nil {
			return nil, s.fail(err, "decoding cooperation")
		}
		if row.venue == nil {
			b.Direct(member, row.partner, row.actorRel)
			continue
		}
		b.Shared(member, row.partner, row.venue, row.actorRel, row.partnerRel)
		domain.SortNodes(row.topics)
		topics[row.venue.ID] = row.topics
	}
	rows := b.Build(func(venueID string) []*domain.Node { return topics[venueID] })
	if len(rows) == 0 && q.RollUp {
		// With RollUp the partner was not checked in Cypher.
		if err := s.mustAllExist(ctx, q.NamedIDs()); err != nil {
			return nil, err
		}
	}
	return rows, nil
}

// rollUp reads the PART_OF relations in scope, with the nodes at their
// ends, into a domain.RollUp.
func (s *Store) rollUp(ctx context.Context, scope domain.Scope) (*domain.RollUp, error) {
	res, err := s.read(ctx, `
		MATCH (b:Stakeholder {kind: 'Organization'})-[r:PART_OF]->(p:Stakeholder)
		WHERE p.kind IN ['Organization', 'Country'] AND `+scopeWhere("r")+`
		RETURN `+nodeMap("b")+` AS body, `+relMap("r")+` AS rel, `+nodeMap("p")+` AS parent`,
		scopeParams(scope, nil))
	if err != nil {
		return nil, s.fail(err, "rolling bodies up")
	}
	nodes := map[string]*domain.Node{}
	var rels []*domain.Relation
	for _, rec := range res.Records {
		body, err := decodeNode(rec.Values[0])
		if err != nil {
			return nil, s.fail(err, "decoding a body")
		}
		r, err := decodeRelation(rec.Values[1])
		if err != nil {
			return nil, s.fail(err, "decoding a PART_OF relation")
		}
		parent, err := decodeNode(rec.Values[2])
		if err != nil {
			return nil, s.fail(err, "decoding a parent")
		}
		nodes[body.ID], nodes[parent.ID] = body, parent
		rels = append(rels, r)
	}
	return domain.NewRollUp(rels, func(id string) *domain.Node { return nodes[id] }), nil
}

type cooperationRow struct {
	partner, venue       *domain.Node
	actorRel, partnerRel *domain.Relation
	topics               []*domain.Node
}

func decodeCooperationRow(values []any) (row cooperationRow, err error) {
	if row.partner, err = decodeNode(values[0]); err != nil {
		return row, err
	}
	if row.venue, err = decodeNode(values[1]); err != nil {
		return row, err
	}
	if row.actorRel, err = decodeRelation(values[2]); err != nil {
		return row, err
	}
	if values[3] != nil {
		if row.partnerRel, err = decodeRelation(values[3]); err != nil {
			return row, err
		}
	}
	row.topics, err = decodeNodes(values[4])
	return row, err
}
