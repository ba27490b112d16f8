package neo4j

import (
	"context"
	"fmt"
	"slices"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// SHORTEST is one statement: Neo4j's ALL SHORTEST search stops at the
// least length. K_SHORTEST and ALL_SIMPLE list paths of every length, and
// matching whole routes in Cypher walks every trail out of the first end
// (millions between hubs at 10k nodes); they meet in the middle instead:
// half-routes of at most ⌈maxHops/2⌉ hops out of each end are read, at
// most domain.MaxPathRoutes in all, and joined in Go on their middle node.
// That costs about the square root of the whole routes, and past the
// budget the query answers PathQuery.TooManyRoutes instead of stalling.

// shortestQueries[h]: ALL SHORTEST keeps every trail of the least length up
// to h. A shortest trail between two different nodes never repeats a node
// (dropping the loop would give a shorter one), so these are exactly the
// shortest simple paths. The predicates sit inside the pattern, so they
// restrict the search rather than filter its result. A quantifier bound
// cannot be a parameter; picking a prepared statement by the validated
// integer keeps request input out of the Cypher text.
var shortestQueries = hopQueries(domain.MaxPathHops, func(hops int) string {
	return `
		MATCH (a:Stakeholder {id: $from}), (b:Stakeholder {id: $to})
		MATCH p = ALL SHORTEST (a)((x:Stakeholder)-[r]-(y:Stakeholder)
		  WHERE ` + scopeWhere("r") + ` AND NOT y.id IN $avoid AND y <> a AND x <> b){1,` + fmt.Sprint(hops) + `}(b)
		RETURN [n IN nodes(p) | ` + nodeMap("n") + `] AS nodes,
		       [[r IN relationships(p) | ` + relMap("r") + `]] AS variants`
})

// halfQueries[h] read the half-routes of exactly h hops out of $start, at
// most $budget+1 (the LIMIT stops the match): over in-scope relations,
// never entering an avoided node or $start again, never leaving from
// $other (the far end is a half-route's last node or none of it). With h ≤
// 2 these never repeat a node.
var halfQueries = hopQueries((domain.MaxSimplePathHops+1)/2, func(hops int) string {
	return `
		MATCH (s:Stakeholder {id: $start})
		MATCH p = (s)((x:Stakeholder)-[r]-(y:Stakeholder)
		  WHERE ` + scopeWhere("r") + ` AND NOT y.id IN $avoid AND y <> s AND x.id <> $other){` + fmt.Sprint(hops) + `}(m)
		WITH p LIMIT $budget + 1
		RETURN [n IN nodes(p) | n.id] AS nodes, [r IN relationships(p) | r.id] AS rels,
		       [r IN relationships(p) | elementId(r)] AS elementIDs`
})

func hopQueries(most int, build func(hops int) string) []string {
	qs := make([]string, most+1)
	for hops := 1; hops <= most; hops++ {
		qs[hops] = build(hops)
	}
	return qs
}

// Paths returns the paths q.Mode asks for (see domain.PathMode), at most
// q.Limit of them, in the mode's order, from statements of one read
// transaction.
func (s *Store) Paths(ctx context.Context, q domain.PathQuery) ([]*domain.Path, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	var paths []*domain.Path
	err := s.readTx(ctx, func(tx driver.ManagedTransaction) (err error) {
		if err := mustAllExistTx(ctx, tx, q.NamedIDs()); err != nil {
			return err
		}
		if q.Mode == domain.PathShortest {
			paths, err = shortestPaths(ctx, tx, q)
			return err
		}
		paths, err = (&meeting{ctx: ctx, tx: tx, q: q, budget: domain.MaxPathRoutes, elementIDs: map[string]string{}}).paths()
		return err
	})
	if err != nil {
		return nil, s.fail(err, "finding paths")
	}
	return paths, nil
}

func pathParams(q domain.PathQuery, params map[string]any) map[string]any {
	avoid := q.Avoid
	if avoid == nil {
		avoid = []string{}
	}
	params["avoid"] = avoid
	return scopeParams(q.Scope(), params)
}

func shortestPaths(ctx context.Context, tx driver.ManagedTransaction, q domain.PathQuery) ([]*domain.Path, error) {
	records, err := collectTx(ctx, tx, shortestQueries[q.MaxHops],
		pathParams(q, map[string]any{"from": q.From, "to": q.To}))
	if err != nil {
		return nil, err
	}
	var paths []*domain.Path
	for _, rec := range records {
		ns, err := decodeNodes(rec.Values[0])
		if err != nil {
			return nil, err
		}
		variants, _ := rec.Values[1].([]any)
		for _, v := range variants {
			rels, err := decodeRelations(v)
			if err != nil {
				return nil, err
			}
			paths = append(paths, &domain.Path{Nodes: slices.Clone(ns), Relations: rels})
		}
	}
	return cut(paths, q, domain.ComparePaths)
}

// cut orders paths by compare and keeps the first q.Limit, checking each
// is simple: a repeated node would mean the reasoning above is wrong, and
// must never reach the caller.
func cut(paths []*domain.Path, q domain.PathQuery, compare func(a, b *domain.Path) int) ([]*domain.Path, error) {
	slices.SortFunc(paths, compare)
	paths = paths[:min(len(paths), q.Limit)]
	for _, p := range paths {
		if !p.IsSimple() {
			return nil, domain.Errorf(domain.EINTERNAL, "neo4j: path %v repeats a node", pathIDs(p))
		}
	}
	return paths, nil
}

// halfRoute is a route out of one end of a path query: node IDs from that
// end to the middle, and the relations' IDs and element IDs.
type halfRoute struct {
	nodes, rels, elementIDs []string
}

func (h halfRoute) middle() string { return h.nodes[len(h.nodes)-1] }

// meeting finds K_SHORTEST and ALL_SIMPLE paths by joining half-routes: a
// path of length L is a half-route of ⌈L/2⌉ hops out of From and one of
// ⌊L/2⌋ hops out of To that end at the same node and share no other.
type meeting struct {
	ctx    context.Context
	tx     driver.ManagedTransaction
	q      domain.PathQuery
	budget int // half-routes and joined paths still allowed
	// halves[end][h] are the half-routes of h hops out of end, by middle,
	// read when first needed.
	halves map[string]map[int]map[string][]halfRoute
	// elementIDs maps the relation IDs of joined paths to element IDs,
	// which find a relationship without a scan.
	elementIDs map[string]string
}

func (m *meeting) paths() ([]*domain.Path, error) {
	q := m.q
	var found []*domain.Path
	for length := 1; length <= q.MaxHops; length++ {
		fromSide, err := m.half(q.From, q.To, (length+1)/2)
		if err != nil {
			return nil, err
		}
		toSide, err := m.half(q.To, q.From, length/2)
		if err != nil {
			return nil, err
		}
		for middle, outs := range fromSide {
			for _, out := range outs {
				for _, back := range toSide[middle] {
					if !simpleJoin(out, back) {
						continue
					}
					if m.budget--; m.budget < 0 {
						return nil, q.TooManyRoutes()
					}
					found = append(found, m.join(out, back))
				}
			}
		}
		// Paths are ordered by length first: once a length completes the
		// count, longer ones cannot enter it.
		if q.Mode == domain.PathKShortest && len(found) >= q.Limit {
			break
		}
	}
	compare := domain.ComparePaths
	if q.Mode == domain.PathAllSimple {
		compare = domain.CompareRoutes
	}
	// The stub paths carry IDs only, which is all the orders compare.
	paths, err := cut(found, q, compare)
	if err != nil {
		return nil, err
	}
	return m.fill(paths)
}

// half returns the half-routes of hops hops out of end, by middle node;
// zero hops is end itself.
func (m *meeting) half(end, other string, hops int) (map[string][]halfRoute, error) {
	if hops == 0 {
		return map[string][]halfRoute{end: {{nodes: []string{end}}}}, nil
	}
	if got, ok := m.halves[end][hops]; ok {
		return got, nil
	}
	records, err := collectTx(m.ctx, m.tx, halfQueries[hops],
		pathParams(m.q, map[string]any{"start": end, "other": other, "budget": m.budget}))
	if err != nil {
		return nil, err
	}
	if m.budget -= len(records); m.budget < 0 {
		return nil, m.q.TooManyRoutes()
	}
	byMiddle := map[string][]halfRoute{}
	for _, rec := range records {
		h := halfRoute{nodes: stringList(rec.Values[0]), rels: stringList(rec.Values[1]), elementIDs: stringList(rec.Values[2])}
		byMiddle[h.middle()] = append(byMiddle[h.middle()], h)
	}
	if m.halves == nil {
		m.halves = map[string]map[int]map[string][]halfRoute{}
	}
	if m.halves[end] == nil {
		m.halves[end] = map[int]map[string][]halfRoute{}
	}
	m.halves[end][hops] = byMiddle
	return byMiddle, nil
}

// simpleJoin reports whether out and back reversed make a simple path:
// they share their last node and no other.
func simpleJoin(out, back halfRoute) bool {
	for i, x := range out.nodes {
		if slices.Contains(out.nodes[i+1:], x) {
			return false
		}
		for j, y := range back.nodes {
			if x == y && (i < len(out.nodes)-1 || j < len(back.nodes)-1) {
				return false
			}
		}
	}
	for j, y := range back.nodes {
		if slices.Contains(back.nodes[j+1:], y) {
			return false
		}
	}
	return true
}

// join makes the path out, then back reversed, of stub nodes and relations
// that carry their IDs only, until fill; it records each relation's element
// ID for fill.
func (m *meeting) join(out, back halfRoute) *domain.Path {
	p := &domain.Path{}
	for _, id := range out.nodes {
		p.Nodes = append(p.Nodes, &domain.Node{ID: id})
	}
	for i := range out.rels {
		p.Relations = append(p.Relations, &domain.Relation{ID: out.rels[i]})
		m.elementIDs[out.rels[i]] = out.elementIDs[i]
	}
	for i := len(back.nodes) - 2; i >= 0; i-- {
		p.Nodes = append(p.Nodes, &domain.Node{ID: back.nodes[i]})
		p.Relations = append(p.Relations, &domain.Relation{ID: back.rels[i]})
		m.elementIDs[back.rels[i]] = back.elementIDs[i]
	}
	return p
}

// fill replaces the stub nodes and relations of paths with the stored
// ones, read in one statement.
func (m *meeting) fill(paths []*domain.Path) ([]*domain.Path, error) {
	var ids, elementIDs []string
	for _, p := range paths {
		for _, n := range p.Nodes {
			ids = append(ids, n.ID)
		}
		for _, r := range p.Relations {
			elementIDs = append(elementIDs, m.elementIDs[r.ID])
		}
	}
	records, err := collectTx(m.ctx, m.tx, `
		RETURN COLLECT { MATCH (n:Stakeholder) WHERE n.id IN $ids RETURN `+nodeMap("n")+` } AS nodes,
		       COLLECT { MATCH ()-[r]->() WHERE elementId(r) IN $elementIDs RETURN `+relMap("r")+` } AS rels`,
		map[string]any{"ids": ids, "elementIDs": elementIDs})
	if err != nil {
		return nil, err
	}
	nodes, err := decodeNodes(records[0].Values[0])
	if err != nil {
		return nil, err
	}
	rels, err := decodeRelations(records[0].Values[1])
	if err != nil {
		return nil, err
	}
	nodeByID := map[string]*domain.Node{}
	for _, n := range nodes {
		nodeByID[n.ID] = n
	}
	relByID := map[string]*domain.Relation{}
	for _, r := range rels {
		relByID[r.ID] = r
	}
	for _, p := range paths {
		for i, n := range p.Nodes {
			if p.Nodes[i] = nodeByID[n.ID]; p.Nodes[i] == nil {
				return nil, domain.Errorf(domain.EINTERNAL, "neo4j: node %s of a path vanished", n.ID)
			}
		}
		for i, r := range p.Relations {
			if p.Relations[i] = relByID[r.ID]; p.Relations[i] == nil {
				return nil, domain.Errorf(domain.EINTERNAL, "neo4j: relation %s of a path vanished", r.ID)
			}
		}
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
