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
	to   int64              // the neighbour's slot
	rels []*domain.Relation // ordered by ID
}

// compareLinkTo orders a link against slot to by their nodes' IDs.
func (s *Store) compareLinkTo(l link, to int64) int { return s.compareSlots(l.to, to) }

// linksOf groups the incident relations of a node by neighbour, ordered by
// the neighbour's ID; incident lists are ordered by relation ID, and a
// stable sort keeps each group in that order. Sorting once keeps a hub's
// links O(degree log degree) to build, and the groups share one array.
// Adding or removing other nodes keeps the order, as it follows IDs.
func (s *Store) linksOf(id string, incident []*domain.Relation) []link {
	ends := make([]int64, len(incident))
	order := make([]int, len(incident))
	for i, r := range incident {
		ends[i], order[i] = s.position[other(r, id)], i
	}
	slices.SortStableFunc(order, func(a, b int) int { return s.compareSlots(ends[a], ends[b]) })
	rels := make([]*domain.Relation, len(order))
	var links []link
	start := 0
	for k, i := range order {
		rels[k] = incident[i]
		if k+1 == len(order) || ends[order[k+1]] != ends[i] {
			links = append(links, link{to: ends[i], rels: rels[start : k+1 : k+1]})
			start = k + 1
		}
	}
	return slices.Clip(links)
}

// Paths lists paths between two nodes in the query's mode; see
// domain.PathMode. Every mode works on the walkable graph of the query (its
// in-scope relations, avoided nodes removed), read lazily so a query costs
// the nodes it reaches: SHORTEST by a bidirectional breadth-first search
// cut at maxHops, K_SHORTEST by gonum's Yen over the nodes that lie on a
// short enough walk, ALL_SIMPLE by a pruned depth-first walk. Parallel
// relations collapse to one edge, and each node path is then expanded into
// one path per choice of parallel relations.
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
	return w.shortest(ctx, from, to, q.MaxHops, q.Limit)
}

// walkable is the graph one path query may walk, with nodes as indexes
// into Store.nodeIDs. It implements gonum's graph.Undirected and
// path.Weighted (every hop costs 1) without copying the store: a node's
// walkable links are filtered from the store's when first asked for.
type walkable struct {
	s     *Store
	scope domain.Scope
	avoid map[int64]bool
	keep  map[int64]bool   // when not nil, the only nodes walked (see within)
	plain bool             // nothing to filter: the store's links serve as they are
	cache map[int64][]link // node → its filtered links
}

func (s *Store) walkable(q domain.PathQuery) *walkable {
	scope := q.Scope()
	w := &walkable{s: s, scope: scope, avoid: map[int64]bool{}, cache: map[int64][]link{}}
	for _, id := range q.Avoid {
		if i, ok := s.position[id]; ok {
			w.avoid[i] = true
		}
	}
	w.plain = len(w.avoid) == 0 && len(scope.RelationTypes) == 0 && len(scope.Topics) == 0 && scope.AsOf == ""
	return w
}

// links returns the links of u the query may walk: in-scope relations to
// nodes neither avoided nor cut away, ordered by neighbour.
func (w *walkable) links(u int64) []link {
	if w.keep == nil && w.plain {
		return w.s.at(u).links
	}
	if w.avoid[u] || (w.keep != nil && !w.keep[u]) {
		return nil
	}
	if links, ok := w.cache[u]; ok {
		return links
	}
	var out []link
	for _, l := range w.s.at(u).links {
		if w.avoid[l.to] || (w.keep != nil && !w.keep[l.to]) {
			continue
		}
		if rels := w.s.inScopeOf(w.scope, u, l); len(rels) > 0 {
			out = append(out, link{to: l.to, rels: rels})
		}
	}
	w.cache[u] = out
	return out
}

// inScopeOf returns the relations of u's link l the scope allows, in
// order; l's own when it allows them all, the common case, to save copying.
func (s *Store) inScopeOf(scope domain.Scope, u int64, l link) []*domain.Relation {
	rels := l.rels
	if !slices.ContainsFunc(rels, func(r *domain.Relation) bool { return !s.inScopeBetween(scope, r, u, l.to) }) {
		return rels
	}
	var out []*domain.Relation
	for _, r := range rels {
		if s.inScopeBetween(scope, r, u, l.to) {
			out = append(out, r)
		}
	}
	return out
}

// between returns the relations joining u and v, ordered by ID.
func (w *walkable) between(u, v int64) []*domain.Relation {
	links := w.links(u)
	i, found := slices.BinarySearchFunc(links, v, w.s.compareLinkTo)
	if !found {
		return nil
	}
	return links[i].rels
}

// Node, Nodes, From, HasEdgeBetween, Edge, EdgeBetween and Weight make a
// walkable a gonum graph. Iterators get fresh slices because Yen's
// algorithm reorders the slices it is given.

func (w *walkable) Node(id int64) graph.Node {
	if id < 0 || id >= int64(w.s.slots.len()) || (w.keep != nil && !w.keep[id]) {
		return nil
	}
	if e := w.s.at(id); e != nil {
		return e.gnode
	}
	return nil
}

// Nodes lists the kept nodes when some are cut away, so that each of
// Yen's searches sizes its tables by them, not by the store.
func (w *walkable) Nodes() graph.Nodes {
	var nodes []graph.Node
	if w.keep == nil {
		nodes = make([]graph.Node, 0, len(w.s.order))
		for _, e := range w.s.byID {
			nodes = append(nodes, e.gnode)
		}
		return iterator.NewOrderedNodes(nodes)
	}
	nodes = make([]graph.Node, 0, len(w.keep))
	for id := range w.keep {
		nodes = append(nodes, w.s.at(id).gnode)
	}
	slices.SortFunc(nodes, func(a, b graph.Node) int { return w.s.compareSlots(a.ID(), b.ID()) })
	return iterator.NewOrderedNodes(nodes)
}

func (w *walkable) From(id int64) graph.Nodes {
	links := w.links(id)
	if len(links) == 0 {
		return graph.Empty
	}
	nodes := make([]graph.Node, len(links))
	for i, l := range links {
		nodes[i] = w.s.at(l.to).gnode
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
		nodes[i] = w.s.at(id).node
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
// length, then node IDs) into at most limit paths.
func (w *walkable) expandAll(nodePaths [][]int64, limit int) []*domain.Path {
	slices.SortFunc(nodePaths, func(a, b []int64) int {
		if c := cmp.Compare(len(a), len(b)); c != 0 {
			return c
		}
		return slices.CompareFunc(a, b, w.s.compareSlots)
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

// shortest lists the shortest paths in domain.ComparePaths order. A
// breadth-first search grows from both ends, each step on the side whose
// frontier has fewer links, until the two meet or maxHops is spent; the
// nodes that lie on some shortest path are then marked layer by layer, and
// a depth-first walk through those layers in ID order yields the node
// paths already sorted, so it stops as soon as limit paths are expanded.
func (w *walkable) shortest(ctx context.Context, from, to int64, maxHops, limit int) ([]*domain.Path, error) {
	fwd, back := w.newBFS(from), w.newBFS(to)
	var meet []int64
	for len(meet) == 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if fwd.depth()+back.depth() == maxHops {
			return nil, nil
		}
		side, other := fwd, back
		if back.cost() < fwd.cost() {
			side, other = back, fwd
		}
		grown := side.grow()
		if len(grown) == 0 {
			return nil, nil // its component is spent without meeting the other end
		}
		for _, v := range grown {
			if _, ok := other.dist[v]; ok {
				meet = append(meet, v)
			}
		}
	}
	// Every shortest path passes through position fwd.depth() at a meeting
	// node; layers[p] holds the nodes at position p on some shortest path.
	mid, length := fwd.depth(), fwd.depth()+back.depth()
	layers := make([]map[int64]bool, length+1)
	layers[mid] = setOf(meet)
	for p := mid - 1; p >= 0; p-- {
		layers[p] = w.touching(fwd.levels[p], layers[p+1])
	}
	for p := mid + 1; p <= length; p++ {
		layers[p] = w.touching(back.levels[length-p], layers[p-1])
	}
	sorted := make([][]int64, len(layers))
	for p, layer := range layers {
		for v := range layer {
			sorted[p] = append(sorted[p], v)
		}
		w.s.sortSlots(sorted[p])
	}
	var out []*domain.Path
	ids := []int64{from}
	var walk func(u int64)
	walk = func(u int64) {
		p := len(ids) - 1
		if p == length {
			out = w.expand(out, ids, limit)
			return
		}
		step := func(v int64) {
			ids = append(ids, v)
			walk(v)
			ids = ids[:len(ids)-1]
		}
		// Probe the smaller of u's links and the next layer.
		if links := w.links(u); len(links) <= len(sorted[p+1]) {
			for _, l := range links {
				if len(out) == limit {
					return
				}
				if layers[p+1][l.to] {
					step(l.to)
				}
			}
			return
		}
		for _, v := range sorted[p+1] {
			if len(out) == limit {
				return
			}
			if w.between(u, v) != nil {
				step(v)
			}
		}
	}
	walk(from)
	return out, nil
}

// touching returns the nodes of level with a link into layer.
func (w *walkable) touching(level []int64, layer map[int64]bool) map[int64]bool {
	out := map[int64]bool{}
	for _, u := range level {
		if slices.ContainsFunc(w.links(u), func(l link) bool { return layer[l.to] }) {
			out[u] = true
		}
	}
	return out
}

func setOf(ids []int64) map[int64]bool {
	set := make(map[int64]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	return set
}

// bfs is a breadth-first search grown one level at a time.
type bfs struct {
	w      *walkable
	dist   map[int64]int // node → hops from the start, for the nodes reached
	levels [][]int64     // levels[d] holds the nodes d hops away
}

func (w *walkable) newBFS(start int64) *bfs {
	return &bfs{w: w, dist: map[int64]int{start: 0}, levels: [][]int64{{start}}}
}

func (b *bfs) depth() int { return len(b.levels) - 1 }

// cost estimates the work of the next level by the links of the frontier.
func (b *bfs) cost() int {
	n := 0
	for _, u := range b.levels[len(b.levels)-1] {
		n += len(b.w.s.at(u).links)
	}
	return n
}

// grow reaches the next level and returns it.
func (b *bfs) grow() []int64 {
	d := len(b.levels)
	var next []int64
	for _, u := range b.levels[d-1] {
		for _, l := range b.w.links(u) {
			if _, seen := b.dist[l.to]; !seen {
				b.dist[l.to] = d
				next = append(next, l.to)
			}
		}
	}
	b.levels = append(b.levels, next)
	return next
}

// kShortest lists the limit first simple paths in domain.ComparePaths order.
// Yen's algorithm yields the limit shortest node paths, which fixes the
// length L of the limit-th path and every path shorter than L; but Yen
// breaks ties at L arbitrarily, so the paths of length L are then walked in
// ID order to make the cut the same on every store.
func (w *walkable) kShortest(ctx context.Context, from, to int64, maxHops, limit int) ([]*domain.Path, error) {
	near := w.within(from, to, maxHops)
	if near.hops < 0 {
		return nil, nil
	}
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
	keep := map[int64]bool{}
	for v, d := range fromDist {
		if e, ok := toDist[v]; ok && d+e <= maxHops {
			keep[v] = true
		}
	}
	near := &walkable{s: w.s, scope: w.scope, avoid: w.avoid, keep: keep, plain: w.plain, cache: map[int64][]link{}}
	hops, ok := fromDist[to]
	if !ok {
		hops = -1
	}
	return nearGraph{walkable: near, hops: hops}
}

// routes appends to out the simple paths of minHops to maxHops hops, in the
// order a depth-first walk from from meets them visiting neighbours by ID
// (domain.CompareRoutes), until out holds limit paths. Nodes that cannot
// reach to within the hops left are not entered.
func (w *walkable) routes(ctx context.Context, out []*domain.Path, from, to int64, minHops, maxHops, limit int) ([]*domain.Path, error) {
	toDist := w.distances(to, maxHops)
	if _, ok := toDist[from]; !ok || len(out) >= limit {
		return out, nil
	}
	onPath := map[int64]bool{from: true}
	ids := []int64{from}
	var err error
	var walk func(id int64)
	walk = func(id int64) {
		if err = ctx.Err(); err != nil {
			return
		}
		for _, l := range w.links(id) {
			if len(out) == limit || err != nil {
				return
			}
			// After this hop the path has len(ids) hops.
			if d, ok := toDist[l.to]; !ok || onPath[l.to] || len(ids)+d > maxHops {
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

// distances gives the hop count from start of each node within maxHops.
func (w *walkable) distances(start int64, maxHops int) map[int64]int {
	b := w.newBFS(start)
	for b.depth() < maxHops && len(b.grow()) > 0 {
	}
	return b.dist
}
