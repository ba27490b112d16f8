package memstore

import (
	"cmp"
	"context"
	"math"
	"slices"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/iterator"
	"gonum.org/v1/gonum/graph/path"
	"gonum.org/v1/gonum/graph/simple"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// link joins a node to one neighbour through one or more relations.
type link struct {
	to   int64              // the neighbour's index in Store.nodeIDs
	rels []*domain.Relation // ordered by ID
}

func compareLinkTo(l link, to int64) int { return cmp.Compare(l.to, to) }

// linksOf groups the relations of a node by neighbour, ordered by the
// neighbour's ID; incident lists are ordered by relation ID, and a stable
// sort keeps each group in that order. Sorting once keeps a hub's links
// O(degree log degree) to build.
func (s *Store) linksOf(id string) []link {
	incident := s.incident[id]
	ends := make([]int64, len(incident))
	order := make([]int, len(incident))
	for i, r := range incident {
		ends[i], order[i] = s.position[other(r, id)], i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(ends[a], ends[b]) })
	var links []link
	for _, i := range order {
		if n := len(links); n == 0 || links[n-1].to != ends[i] {
			links = append(links, link{to: ends[i]})
		}
		links[len(links)-1].rels = append(links[len(links)-1].rels, incident[i])
	}
	return slices.Clip(links)
}

// Paths lists paths between two nodes in the query's mode; see
// domain.PathMode. Every mode works on the walkable graph of the query (its
// in-scope relations, avoided nodes removed): gonum finds node paths over
// that graph with parallel relations collapsed to one edge, and each node
// path is then expanded into one path per choice of parallel relations.
func (s *Store) Paths(ctx context.Context, q domain.PathQuery) ([]*domain.Path, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := s.mustExist(q.NamedIDs()...); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	w := s.walkable(q)
	from, to := s.position[q.From], s.position[q.To]
	switch q.Mode {
	case domain.PathKShortest:
		return w.kShortest(ctx, from, to, q.MaxHops, q.Limit)
	case domain.PathAllSimple:
		return w.routes(ctx, nil, from, to, 1, q.MaxHops, q.Limit)
	}
	return w.shortest(from, to, q.MaxHops, q.Limit), nil
}

// walkable is the graph one path query may walk, with nodes as indexes
// into Store.nodeIDs. It implements gonum's graph.Undirected and
// path.Weighted (every hop costs 1) without copying the store.
type walkable struct {
	s     *Store
	links [][]link // like Store.links, keeping in-scope relations and no avoided node
}

func (s *Store) walkable(q domain.PathQuery) *walkable {
	scope := q.Scope()
	avoid := make([]bool, len(s.nodeIDs))
	for _, id := range q.Avoid {
		if i, ok := s.position[id]; ok {
			avoid[i] = true
		}
	}
	w := &walkable{s: s, links: make([][]link, len(s.nodeIDs))}
	for i, links := range s.links {
		if avoid[i] {
			continue
		}
		for _, l := range links {
			if avoid[l.to] {
				continue
			}
			if rels := s.inScopeOf(scope, l.rels); len(rels) > 0 {
				w.links[i] = append(w.links[i], link{to: l.to, rels: rels})
			}
		}
	}
	return w
}

// inScopeOf returns the relations of rels the scope allows, in order; rels
// itself when it allows them all, the common case, to save copying.
func (s *Store) inScopeOf(scope domain.Scope, rels []*domain.Relation) []*domain.Relation {
	if !slices.ContainsFunc(rels, func(r *domain.Relation) bool { return !s.inScope(scope, r) }) {
		return rels
	}
	var out []*domain.Relation
	for _, r := range rels {
		if s.inScope(scope, r) {
			out = append(out, r)
		}
	}
	return out
}

// between returns the relations joining u and v, ordered by ID.
func (w *walkable) between(u, v int64) []*domain.Relation {
	links := w.links[u]
	i, found := slices.BinarySearchFunc(links, v, compareLinkTo)
	if !found {
		return nil
	}
	return links[i].rels
}

// Node, Nodes, From, HasEdgeBetween, Edge, EdgeBetween and Weight make a
// walkable a gonum graph. Iterators get fresh slices because Yen's
// algorithm reorders the slices it is given.

func (w *walkable) Node(id int64) graph.Node {
	if id < 0 || id >= int64(len(w.links)) {
		return nil
	}
	return w.s.graphNodes[id]
}

func (w *walkable) Nodes() graph.Nodes {
	return iterator.NewOrderedNodes(slices.Clone(w.s.graphNodes))
}

func (w *walkable) From(id int64) graph.Nodes {
	links := w.links[id]
	if len(links) == 0 {
		return graph.Empty
	}
	nodes := make([]graph.Node, len(links))
	for i, l := range links {
		nodes[i] = w.s.graphNodes[l.to]
	}
	return iterator.NewOrderedNodes(nodes)
}

func (w *walkable) HasEdgeBetween(x, y int64) bool { return w.between(x, y) != nil }

func (w *walkable) Edge(u, v int64) graph.Edge { return w.EdgeBetween(u, v) }

func (w *walkable) EdgeBetween(x, y int64) graph.Edge {
	if w.between(x, y) == nil {
		return nil
	}
	return simple.Edge{F: simple.Node(x), T: simple.Node(y)}
}

func (w *walkable) Weight(x, y int64) (float64, bool) {
	switch {
	case x == y:
		return 0, true
	case w.between(x, y) != nil:
		return 1, true
	}
	return math.Inf(1), false
}

var (
	_ graph.Undirected = (*walkable)(nil)
	_ path.Weighted    = (*walkable)(nil)
)

// nodePath turns a gonum node path into node indexes.
func nodePath(nodes []graph.Node) []int64 {
	ids := make([]int64, len(nodes))
	for i, n := range nodes {
		ids[i] = n.ID()
	}
	return ids
}

// expand appends to out the paths along the node path ids, one per choice
// of parallel relations in relation-ID order (the order of
// domain.ComparePaths among paths with the same nodes), until out holds
// limit paths.
func (w *walkable) expand(out []*domain.Path, ids []int64, limit int) []*domain.Path {
	nodes := make([]*domain.Node, len(ids))
	for i, id := range ids {
		nodes[i] = w.s.nodes[w.s.nodeIDs[id]]
	}
	hops := make([][]*domain.Relation, len(ids)-1)
	for i := range hops {
		hops[i] = w.between(ids[i], ids[i+1])
	}
	choice := make([]int, len(hops))
	for len(out) < limit {
		rels := make([]*domain.Relation, len(hops))
		for i, c := range choice {
			rels[i] = hops[i][c]
		}
		out = append(out, &domain.Path{Nodes: slices.Clone(nodes), Relations: rels})
		// Advance the choices like an odometer, the last hop fastest.
		i := len(choice) - 1
		for ; i >= 0; i-- {
			if choice[i]++; choice[i] < len(hops[i]) {
				break
			}
			choice[i] = 0
		}
		if i < 0 {
			break
		}
	}
	return out
}

// expandAll expands node paths in the order of domain.ComparePaths (by
// length, then node IDs, which index order follows) into at most limit
// paths.
func (w *walkable) expandAll(nodePaths [][]int64, limit int) []*domain.Path {
	slices.SortFunc(nodePaths, func(a, b []int64) int {
		if c := cmp.Compare(len(a), len(b)); c != 0 {
			return c
		}
		return slices.Compare(a, b)
	})
	var out []*domain.Path
	for _, ids := range nodePaths {
		if len(out) == limit {
			break
		}
		out = w.expand(out, ids, limit)
	}
	return out
}

// shortest lists every shortest path, found by gonum's Dijkstra keeping all
// equal-length alternatives.
func (w *walkable) shortest(from, to int64, maxHops, limit int) []*domain.Path {
	all, length := path.DijkstraAllFrom(simple.Node(from), w).AllTo(to)
	if math.IsInf(length, 1) || length > float64(maxHops) {
		return nil
	}
	nodePaths := make([][]int64, len(all))
	for i, p := range all {
		nodePaths[i] = nodePath(p)
	}
	return w.expandAll(nodePaths, limit)
}

// kShortest lists the limit first simple paths in domain.ComparePaths order.
// Yen's algorithm yields the limit shortest node paths, which fixes the
// length L of the limit-th path and every path shorter than L; but Yen
// breaks ties at L arbitrarily, so the paths of length L are then walked in
// ID order to make the cut the same on every store.
func (w *walkable) kShortest(ctx context.Context, from, to int64, maxHops, limit int) ([]*domain.Path, error) {
	near := w.within(from, to, maxHops)
	found := path.YenKShortestPaths(near, limit, float64(maxHops-near.hops), simple.Node(from), simple.Node(to))
	if len(found) == 0 {
		return nil, nil
	}
	nodePaths := make([][]int64, len(found))
	for i, p := range found {
		nodePaths[i] = nodePath(p)
	}
	paths := w.expandAll(nodePaths, limit)
	if len(found) < limit {
		// Yen ran out of paths within maxHops: it found them all.
		return paths, nil
	}
	cut := paths[len(paths)-1].Length()
	if longest := len(found[len(found)-1]) - 1; cut < longest {
		// Every node path shorter than the longest Yen returned is among
		// those it returned, so all paths up to the cut are in hand.
		return paths, nil
	}
	shorter := slices.IndexFunc(paths, func(p *domain.Path) bool { return p.Length() == cut })
	return near.routes(ctx, paths[:shorter], from, to, cut, cut, limit)
}

// nearGraph is a walkable cut down to the nodes that lie on some walk of at
// most a given length between two nodes, which holds every simple path
// that short and makes each of Yen's many searches small.
type nearGraph struct {
	*walkable
	hops int // the distance between the two nodes; -1 when beyond the bound
}

// within keeps the nodes v with dist(from, v) + dist(v, to) ≤ maxHops.
func (w *walkable) within(from, to int64, maxHops int) nearGraph {
	fromDist, toDist := w.distances(from, maxHops), w.distances(to, maxHops)
	keep := func(v int64) bool {
		return fromDist[v] >= 0 && toDist[v] >= 0 && fromDist[v]+toDist[v] <= maxHops
	}
	near := &walkable{s: w.s, links: make([][]link, len(w.links))}
	for v, links := range w.links {
		if !keep(int64(v)) {
			continue
		}
		for _, l := range links {
			if keep(l.to) {
				near.links[v] = append(near.links[v], l)
			}
		}
	}
	return nearGraph{walkable: near, hops: fromDist[to]}
}

// routes appends to out the simple paths of minHops to maxHops hops, in the
// order a depth-first walk from from meets them visiting neighbours by ID
// (domain.CompareRoutes), until out holds limit paths. Nodes that cannot
// reach to within the hops left are not entered.
func (w *walkable) routes(ctx context.Context, out []*domain.Path, from, to int64, minHops, maxHops, limit int) ([]*domain.Path, error) {
	toDist := w.distances(to, maxHops)
	if toDist[from] < 0 || len(out) >= limit {
		return out, nil
	}
	onPath := make([]bool, len(w.links))
	onPath[from] = true
	ids := []int64{from}
	var err error
	var walk func(id int64)
	walk = func(id int64) {
		if err = ctx.Err(); err != nil {
			return
		}
		for _, l := range w.links[id] {
			if len(out) == limit || err != nil {
				return
			}
			// After this hop the path has len(ids) hops.
			if d := toDist[l.to]; d < 0 || onPath[l.to] || len(ids)+d > maxHops {
				continue
			}
			ids = append(ids, l.to)
			switch {
			case l.to != to:
				onPath[l.to] = true
				walk(l.to)
				onPath[l.to] = false
			case len(ids)-1 >= minHops:
				out = w.expand(out, ids, limit)
			}
			ids = ids[:len(ids)-1]
		}
	}
	walk(from)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// distances gives each node's hop count from start, -1 beyond maxHops.
func (w *walkable) distances(start int64, maxHops int) []int {
	dist := make([]int, len(w.links))
	for i := range dist {
		dist[i] = -1
	}
	dist[start] = 0
	frontier := []int64{start}
	for hop := 1; hop <= maxHops && len(frontier) > 0; hop++ {
		var next []int64
		for _, id := range frontier {
			for _, l := range w.links[id] {
				if dist[l.to] < 0 {
					dist[l.to] = hop
					next = append(next, l.to)
				}
			}
		}
		frontier = next
	}
	return dist
}
