package neo4j

import (
	"context"
	"fmt"
	"slices"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// hopPattern is the quantified path pattern every path query walks: from a
// to b over relations in scope (scopeWhere), in either direction, never
// entering an avoided node, between 1 and hops relations. Neo4j matches it
// with trail semantics (no relationship twice), which still allows a node
// twice; the queries below deal with that. Never stepping back onto a nor
// out of b prunes the commonest repeats early, which matters between hubs.
func hopPattern(hops int) string {
	return fmt.Sprintf(`(a)((x:Stakeholder)-[r]-(y:Stakeholder)
		WHERE %s AND NOT y.id IN $avoid AND y <> a AND x <> b){1,%d}(b)`, scopeWhere("r"), hops)
}

// The path statements, one per hop bound, indexed by PathQuery.MaxHops. A
// quantifier bound cannot be a parameter; picking a prepared statement by
// the validated integer keeps request input out of the Cypher text, and a
// bound in the pattern stops the search instead of filtering on length.
var (
	// shortestQueries: ALL SHORTEST keeps every trail of the least length.
	// A shortest trail between two different nodes never repeats a node
	// (dropping the loop would give a shorter one), so these are exactly
	// the shortest simple paths. The predicates sit inside the pattern, so
	// they restrict the search rather than filter its result.
	shortestQueries = hopQueries(func(hops int) string {
		return `
		MATCH (a:Stakeholder {id: $from}), (b:Stakeholder {id: $to})
		MATCH p = ALL SHORTEST ` + hopPattern(hops) + `
		RETURN [n IN nodes(p) | ` + nodeMap("n") + `] AS nodes,
		       [[r IN relationships(p) | ` + relMap("r") + `]] AS variants`
	})
	// simpleQueries enumerate every trail up to the bound, keep the simple
	// ones and group them by their node sequence: paths that differ only in
	// parallel relations share a row. Rows come in $order — by length then
	// node IDs for K_SHORTEST, by node IDs for ALL_SIMPLE — and only the
	// first $limit rows are returned. Both path orders compare node IDs
	// before relation IDs, so the first $limit paths lie in the first $limit
	// rows whatever the tie-break; Go sorts and cuts them exactly. Node IDs
	// are ASCII (domain.ParseID), so Cypher orders them as Go does.
	simpleQueries = hopQueries(func(hops int) string {
		return `
		MATCH (a:Stakeholder {id: $from}), (b:Stakeholder {id: $to})
		MATCH p = ` + hopPattern(hops) + `
		WITH nodes(p) AS ns, relationships(p) AS rs
		WITH ns, rs, [n IN ns | n.id] AS ids
		WHERE all(i IN range(1, size(ids) - 1) WHERE NOT ids[i] IN ids[..i])
		WITH ns, ids, collect(rs) AS variants
		ORDER BY CASE $order WHEN 'length' THEN size(ids) ELSE 0 END, ids
		LIMIT $limit
		RETURN [n IN ns | ` + nodeMap("n") + `] AS nodes,
		       [rs IN variants | [r IN rs | ` + relMap("r") + `]] AS variants`
	})
)

func hopQueries(build func(hops int) string) []string {
	qs := make([]string, domain.MaxPathHops+1)
	for hops := 1; hops <= domain.MaxPathHops; hops++ {
		qs[hops] = build(hops)
	}
	return qs
}

// Paths returns the paths q.Mode asks for (see domain.PathMode), at most
// q.Limit of them, in the mode's order.
func (s *Store) Paths(ctx context.Context, q domain.PathQuery) ([]*domain.Path, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := s.mustAllExist(ctx, q.NamedIDs()); err != nil {
		return nil, err
	}
	avoid := q.Avoid
	if avoid == nil {
		avoid = []string{}
	}
	params := scopeParams(q.Scope(), map[string]any{"from": q.From, "to": q.To, "avoid": avoid, "limit": q.Limit})
	cypher := shortestQueries[q.MaxHops]
	compare := domain.ComparePaths
	switch q.Mode {
	case domain.PathKShortest:
		cypher = simpleQueries[q.MaxHops]
		params["order"] = "length"
	case domain.PathAllSimple:
		cypher = simpleQueries[q.MaxHops]
		params["order"] = "route"
		compare = domain.CompareRoutes
	}
	res, err := s.read(ctx, cypher, params)
	if err != nil {
		return nil, s.fail(err, "finding paths")
	}
	var paths []*domain.Path
	for _, rec := range res.Records {
		ns, err := decodeNodes(rec.Values[0])
		if err != nil {
			return nil, s.fail(err, "decoding a path")
		}
		variants, _ := rec.Values[1].([]any)
		for _, v := range variants {
			rels, err := decodeRelations(v)
			if err != nil {
				return nil, s.fail(err, "decoding a path")
			}
			p := &domain.Path{Nodes: slices.Clone(ns), Relations: rels}
			// Guards the reasoning above: a non-simple path must never
			// reach the caller.
			if !p.IsSimple() {
				return nil, domain.Errorf(domain.EINTERNAL, "neo4j: path %v repeats a node", pathIDs(p))
			}
			paths = append(paths, p)
		}
	}
	slices.SortFunc(paths, compare)
	if len(paths) > q.Limit {
		paths = paths[:q.Limit]
	}
	return paths, nil
}

// pathIDs lists a path's node IDs, for messages.
func pathIDs(p *domain.Path) []string {
	ids := make([]string, len(p.Nodes))
	for i, n := range p.Nodes {
		ids[i] = n.ID
	}
	return ids
}
