// Package memstore is the embedded store: the whole graph held in memory,
// loaded once at start, each later version derived from the one before by
// a change (Apply). It is the zero-setup default and the reference the
// Neo4j store is checked against by the shared conformance suite.
package memstore

import (
	"cmp"
	"context"
	"slices"

	"github.com/google/btree"
	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/simple"

	"github.com/stakegraph/stakegraph/internal/domain"
)

var _ domain.Store = (*Store)(nil)

// Store holds an immutable graph; it is safe for concurrent use because
// nothing changes after New. Apply derives the store after a change from
// it, sharing every part the change leaves alone, so nodes live in slots
// that never move and ID order is kept apart from them (order, rank).
type Store struct {
	slots      vec[*entry]             // node slot → its entry, nil for a node gone; a node keeps its slot for life
	position   map[string]int64        // node ID → slot, the node's ID in gonum graphs
	order      []int32                 // the slots of the current nodes, by node ID
	rank       []int32                 // slot → its index in order, so comparing ranks compares IDs; -1 for a node gone
	relations  *btree.BTreeG[relEntry] // by ID
	partOf     *btree.BTreeG[relEntry] // the PART_OF relations, by ID
	words      tokenIndex              // folded label tokens → nodes, for Search
	version    string                  // domain.Graph.Version of the loaded graph, or the caller's (NewAt)
	statements []*domain.Statement     // sorted by ID
}

// entry is what the store keeps of one node; a change to the node or its
// relations replaces the entry, never modifies it.
type entry struct {
	node      *domain.Node
	gnode     graph.Node         // the node for gonum, boxed once
	labels    [][]string         // tokens of name and aliases, for Search
	incident  []*domain.Relation // relations touching it, by ID
	typed     []*domain.Relation // the same by type, direction and ID (typedOrder)
	links     []link             // neighbours by ID, relations by ID
	topics    []*domain.Node     // a venue's topics (ADDRESSES), by ID
	addresses []string           // their IDs
}

// relEntry is a relation with its ends' slots.
type relEntry struct {
	r        *domain.Relation
	from, to int64
}

func relLess(a, b relEntry) bool { return a.r.ID < b.r.ID }

// treeDegree is the B-trees' degree: nodes of up to 63 entries, so a
// change copies a few hundred pointers on its path from the root.
const treeDegree = 32

func newTree() *btree.BTreeG[relEntry] { return btree.NewG(treeDegree, relLess) }

// clone returns a copy of t to change while t stays as it is and may be
// read concurrently. It clones a copy of t's header, not t itself, since
// Clone rewrites the header it is called on.
func clone(t *btree.BTreeG[relEntry]) *btree.BTreeG[relEntry] {
	header := *t
	return header.Clone()
}

// New builds a store over g, which must pass g.Validate, so a store never
// holds a dangling edge.
func New(g *domain.Graph) (*Store, error) {
	if err := g.Validate(); err != nil {
		return nil, err
	}
	return build(g, g.Version()), nil
}

// NewAt is New for a caller that names the data version itself and has
// checked each entry on its own already, e.g. a store whose versions count
// the changes made to a validated dataset, each checked by domain.Plan. It
// still refuses a dangling edge (g.ValidateReferences) but spares hashing
// the whole graph and re-checking every entry, two thirds of New's time.
func NewAt(g *domain.Graph, version string) (*Store, error) {
	if err := g.ValidateReferences(); err != nil {
		return nil, err
	}
	return build(g, version), nil
}

// build indexes g, which has passed Validate. Slots follow ID order here;
// nodes added later take new slots at the end.
func build(g *domain.Graph, version string) *Store {
	nodes := slices.SortedFunc(slices.Values(g.Nodes), byNodeID)
	s := &Store{
		position:   make(map[string]int64, len(nodes)),
		order:      make([]int32, len(nodes)),
		rank:       make([]int32, len(nodes)),
		relations:  newTree(),
		partOf:     newTree(),
		version:    version,
		statements: slices.Clone(g.Statements),
	}
	domain.SortStatements(s.statements)
	entries := make([]*entry, len(nodes))
	labels := make([][][]string, len(nodes))
	for i, n := range nodes {
		s.position[n.ID] = int64(i)
		s.order[i], s.rank[i] = int32(i), int32(i)
		entries[i] = &entry{node: n, gnode: graphNode(int64(i)), labels: domain.LabelTokens(n)}
		labels[i] = entries[i].labels
	}
	s.words = newTokenIndex(labels)
	rels := slices.SortedFunc(slices.Values(g.Relations), byRelationID)
	for _, r := range rels {
		e := relEntry{r: r, from: s.position[r.From], to: s.position[r.To]}
		s.relations.ReplaceOrInsert(e)
		from, to := entries[e.from], entries[e.to]
		from.incident = append(from.incident, r)
		to.incident = append(to.incident, r)
		switch {
		case r.Type == domain.RelPartOf:
			s.partOf.ReplaceOrInsert(e)
		case r.Type == domain.RelAddresses && to.node.Kind == domain.KindTopic:
			from.topics = append(from.topics, to.node)
		}
	}
	s.slots = newVec(entries)
	for _, e := range entries {
		s.index(e)
	}
	return s
}

// index derives e's typed relations, links and topic order from its
// incident relations and topics.
func (s *Store) index(e *entry) {
	e.typed = slices.SortedStableFunc(slices.Values(e.incident), typedOrder(e.node.ID))
	e.links = s.linksOf(e.node.ID, e.incident)
	// Relations come in ID order, which is not topic order.
	slices.SortFunc(e.topics, byNodeID)
	e.addresses = nil
	for _, t := range e.topics {
		e.addresses = append(e.addresses, t.ID)
	}
	e.addresses = slices.Compact(e.addresses) // two ADDRESSES to one topic count once
}

// graphNode is the node in slot u for gonum.
func graphNode(u int64) graph.Node { return simple.Node(u) }

// at returns the entry in slot u.
func (s *Store) at(u int64) *entry { return s.slots.at(u) }

// entryOf returns the entry of node id, nil when there is none.
func (s *Store) entryOf(id string) *entry {
	if u, ok := s.position[id]; ok {
		return s.at(u)
	}
	return nil
}

// node returns node id, nil when there is none.
func (s *Store) node(id string) *domain.Node {
	if e := s.entryOf(id); e != nil {
		return e.node
	}
	return nil
}

// idOf is the ID of the node in slot u.
func (s *Store) idOf(u int64) string { return s.at(u).node.ID }

// compareSlots orders slots by their nodes' IDs.
func (s *Store) compareSlots(u, v int64) int { return cmp.Compare(s.rank[u], s.rank[v]) }

// sortSlots sorts slots by their nodes' IDs: as ranks, which sort as
// plain integers.
func (s *Store) sortSlots(slots []int64) {
	for i, u := range slots {
		slots[i] = int64(s.rank[u])
	}
	slices.Sort(slots)
	for i, r := range slots {
		slots[i] = int64(s.order[r])
	}
}

// byID yields the current nodes' entries in ID order.
func (s *Store) byID(yield func(int64, *entry) bool) {
	for _, u := range s.order {
		if !yield(int64(u), s.at(int64(u))) {
			return
		}
	}
}

// eachRelation yields the relations with their ends' slots in ID order.
func (s *Store) eachRelation(yield func(relEntry) bool) { s.relations.Ascend(yield) }

func byRelationID(a, b *domain.Relation) int { return cmp.Compare(a.ID, b.ID) }

func byNodeID(a, b *domain.Node) int { return cmp.Compare(a.ID, b.ID) }

// Ping always succeeds: the data is in process.
func (s *Store) Ping(ctx context.Context) error { return ctx.Err() }

// Check: the data is in process and never changes, so the store is ready
// exactly when it was loaded with the wanted version.
func (s *Store) Check(ctx context.Context, want string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.version != want {
		return domain.NotReadyError(domain.ReasonOtherData, nil,
			"the embedded store holds data version %s, not %s", s.version, want)
	}
	return nil
}

// Version is the digest of the graph loaded in New; the data never changes
// afterwards, so it is computed once.
func (s *Store) Version(ctx context.Context) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	return s.version, nil
}

// inScope reports whether the scope allows r.
func (s *Store) inScope(scope domain.Scope, r *domain.Relation) bool {
	if len(scope.Topics) == 0 { // only a topic filter reads the ends; spare the lookups
		return scope.Allows(r, nil)
	}
	return s.inScopeBetween(scope, r, s.position[r.From], s.position[r.To])
}

// inScopeBetween is inScope for a relation between the nodes in slots u
// and v (in either order), which the walks have at hand.
func (s *Store) inScopeBetween(scope domain.Scope, r *domain.Relation, u, v int64) bool {
	if len(scope.Topics) == 0 {
		return scope.Allows(r, nil)
	}
	from, to := s.at(u), s.at(v)
	if from.node.ID != r.From {
		from, to = to, from
	}
	return scope.AllowsBetween(r, domain.Ends{FromKind: from.node.Kind, ToKind: to.node.Kind, FromTopics: from.addresses, ToTopics: to.addresses})
}

// Close has nothing to release.
func (s *Store) Close(context.Context) error { return nil }

// Node returns the node with the given ID.
func (s *Store) Node(ctx context.Context, id string) (*domain.Node, error) {
	if _, _, err := domain.ParseID(id); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	n := s.node(id)
	if n == nil {
		return nil, domain.Errorf(domain.ENOTFOUND, "no node with id %q", id)
	}
	return n, nil
}

// mustExist returns ENOTFOUND naming the first ID that is no node.
func (s *Store) mustExist(ids ...string) error {
	for _, id := range ids {
		if s.node(id) == nil {
			return domain.Errorf(domain.ENOTFOUND, "no node with id %q", id)
		}
	}
	return nil
}

// Nodes returns the nodes with the given IDs, nil where absent.
func (s *Store) Nodes(ctx context.Context, ids []string) ([]*domain.Node, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make([]*domain.Node, len(ids))
	for i, id := range ids {
		out[i] = s.node(id)
	}
	return out, nil
}

// FindNodes returns a page of nodes matching the filter, ordered by ID.
func (s *Store) FindNodes(ctx context.Context, f domain.NodeFilter) (*domain.NodePage, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	page := &domain.NodePage{}
	add := func(n *domain.Node) {
		if !matchesFilter(n, f) {
			return
		}
		page.Total++
		switch {
		case n.ID <= f.After:
		case len(page.Nodes) < f.First:
			page.Nodes = append(page.Nodes, n)
		default:
			page.HasNextPage = true
		}
	}
	// With ConnectedTo only that node's neighbours are read; links are in
	// ID order.
	if f.ConnectedTo != "" {
		if e := s.entryOf(f.ConnectedTo); e != nil {
			for _, l := range e.links {
				add(s.at(l.to).node)
			}
		}
		return page, nil
	}
	for _, u := range s.order {
		add(s.at(int64(u)).node)
	}
	return page, nil
}

func matchesFilter(n *domain.Node, f domain.NodeFilter) bool {
	if len(f.Kinds) > 0 && !slices.Contains(f.Kinds, n.Kind) {
		return false
	}
	if len(f.OrgTypes) > 0 && !slices.Contains(f.OrgTypes, n.OrgType) {
		return false
	}
	return true
}

// Relations returns relations touching the given nodes (all when none given).
func (s *Store) Relations(ctx context.Context, f domain.RelationFilter) ([]*domain.Relation, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []*domain.Relation
	if len(f.NodeIDs) == 0 {
		for e := range s.eachRelation {
			if typeAllowed(e.r, f.Types) {
				out = append(out, e.r)
			}
		}
		return out, nil
	}
	seen := map[string]bool{}
	for _, id := range f.NodeIDs {
		var candidates []*domain.Relation
		if e := s.entryOf(id); e != nil {
			candidates = e.incident
		}
		if u, ok := s.position[id]; ok && len(f.Types) > 0 {
			// Only the runs of the asked types and direction are read.
			candidates = nil
			for _, t := range slices.Compact(slices.Sorted(slices.Values(f.Types))) {
				candidates = append(candidates, s.typedRun(u, t, f.Direction)...)
			}
		}
		for _, r := range candidates {
			if seen[r.ID] || !typeAllowed(r, f.Types) || !f.Direction.Touches(r, id) {
				continue
			}
			seen[r.ID] = true
			out = append(out, r)
		}
	}
	slices.SortFunc(out, byRelationID)
	return out, nil
}

// Related answers Nodes, Relations and Nodes of the ends in one call; the
// embedded store has no round trips to save, so it composes them.
func (s *Store) Related(ctx context.Context, q domain.RelatedQuery) (*domain.Related, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	nodes, err := s.Nodes(ctx, q.NodeIDs)
	if err != nil {
		return nil, err
	}
	rels, err := s.Relations(ctx, q.RelationFilter)
	if err != nil {
		return nil, err
	}
	ids := domain.EndIDs(rels)
	var ends []*domain.Node
	for _, id := range ids {
		if n := s.node(id); n != nil {
			ends = append(ends, n)
		}
	}
	return &domain.Related{Nodes: nodes, Relations: rels, Ends: ends}, nil
}

func typeAllowed(r *domain.Relation, types []domain.RelationType) bool {
	return len(types) == 0 || slices.Contains(types, r.Type)
}

// other returns the end of r that is not id.
func other(r *domain.Relation, id string) string {
	if r.From == id {
		return r.To
	}
	return r.From
}

// Neighborhood walks breadth-first from the root over in-scope relations;
// see domain.NeighborhoodQuery. It reads only the links of the nodes it
// reaches, so its cost follows the answer, not the graph.
func (s *Store) Neighborhood(ctx context.Context, q domain.NeighborhoodQuery) (*domain.Subgraph, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := s.mustExist(q.NamedIDs()...); err != nil {
		return nil, err
	}
	root := s.position[q.Root]
	scope := q.Scope()
	inSet := map[int64]bool{root: true}
	members := []int64{root}
	frontier := members
	var capped []string
	for range q.Depth {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		// Candidates are judged against the earlier levels only (inSet is
		// updated after the level), so the cap does not depend on the
		// order the frontier is expanded in; see domain.NeighborhoodQuery.
		var next []int64
		for _, u := range frontier {
			entered, cut := domain.CapFanOut(s.candidates(u, scope, q.Kinds, inSet))
			if cut {
				capped = append(capped, s.idOf(u))
			}
			next = append(next, entered...)
		}
		s.sortSlots(next)
		next = slices.Compact(next)
		for _, v := range next {
			inSet[v] = true
		}
		members = append(members, next...)
		frontier = next
	}
	sub := s.localSubgraph(scope, members, inSet)
	slices.Sort(capped)
	sub.Capped = capped
	return sub, nil
}

// candidates lists, in ID order, the neighbours of u a walk could enter
// over an in-scope relation that are of an allowed kind and not in seen.
// It stops at one past domain.MaxFanOut: that is enough to know u is capped.
func (s *Store) candidates(u int64, scope domain.Scope, kinds []domain.Kind, seen map[int64]bool) []int64 {
	var out []int64
	ok := func(v int64) bool { return !seen[v] && kindAllowed(s.at(v).node, kinds) }
	links := s.at(u).links
	// A type filter reads only the runs of its types when they are fewer
	// than u's neighbours (a hub seen through a rare type).
	if n := s.typedCount(u, scope.RelationTypes); n >= 0 && n < len(links) {
		id := s.idOf(u)
		for _, t := range scope.RelationTypes {
			for _, r := range s.typedRun(u, t, domain.DirectionBoth) {
				if v := s.position[other(r, id)]; ok(v) && s.inScopeBetween(scope, r, u, v) {
					out = append(out, v)
				}
			}
		}
		s.sortSlots(out)
		return slices.Compact(out)
	}
	// Links are ordered by neighbour ID.
	for _, l := range links {
		if ok(l.to) && s.anyInScope(scope, u, l) {
			out = append(out, l.to)
			if len(out) > domain.MaxFanOut {
				break
			}
		}
	}
	return out
}

// anyInScope reports whether the scope allows one of rels.
func (s *Store) anyInScope(scope domain.Scope, u int64, l link) bool {
	return slices.ContainsFunc(l.rels, func(r *domain.Relation) bool { return s.inScopeBetween(scope, r, u, l.to) })
}

// localSubgraph holds the members (inSet as a set) and every in-scope
// relation between them. Each pair of members is looked at from its lower
// ID; a member with more links than there are members probes its links
// for each later member instead of reading them all, so a hub in a small
// set costs a few binary searches, not its degree.
func (s *Store) localSubgraph(scope domain.Scope, members []int64, inSet map[int64]bool) *domain.Subgraph {
	s.sortSlots(members)
	touching := 0
	for _, u := range members {
		touching += len(s.at(u).incident)
	}
	if touching > s.relations.Len() {
		// The members touch most relations: one pass in ID order is cheaper
		// than gathering and sorting them.
		in := make([]bool, s.slots.len())
		for _, u := range members {
			in[u] = true
		}
		return s.subgraph(scope, in)
	}
	sub := &domain.Subgraph{Nodes: make([]*domain.Node, len(members))}
	var rels []*domain.Relation
	keep := func(u int64, l link) {
		for _, r := range l.rels {
			if s.inScopeBetween(scope, r, u, l.to) {
				rels = append(rels, r)
			}
		}
	}
	for i, u := range members {
		e := s.at(u)
		sub.Nodes[i] = e.node
		links := e.links
		if later := members[i+1:]; len(links) > len(later) {
			for _, v := range later {
				if j, found := slices.BinarySearchFunc(links, v, s.compareLinkTo); found {
					keep(u, links[j])
				}
			}
			continue
		}
		for _, l := range links {
			if s.rank[l.to] > s.rank[u] && inSet[l.to] {
				keep(u, l)
			}
		}
	}
	slices.SortFunc(rels, byRelationID)
	sub.Relations = rels
	return sub
}

// subgraph holds the nodes of in (by slot) and every in-scope relation
// between them, by one pass over the whole graph: for answers that are
// most of it.
func (s *Store) subgraph(scope domain.Scope, in []bool) *domain.Subgraph {
	sub := &domain.Subgraph{}
	for u, e := range s.byID {
		if in[u] {
			sub.Nodes = append(sub.Nodes, e.node)
		}
	}
	for e := range s.eachRelation {
		if in[e.from] && in[e.to] && s.inScopeBetween(scope, e.r, e.from, e.to) {
			sub.Relations = append(sub.Relations, e.r)
		}
	}
	return sub
}

func kindAllowed(n *domain.Node, kinds []domain.Kind) bool {
	return len(kinds) == 0 || slices.Contains(kinds, n.Kind)
}

// Graph selects the nodes of the query's kinds and the in-scope relations
// between them; see domain.GraphQuery.
func (s *Store) Graph(ctx context.Context, q domain.GraphQuery) (*domain.Subgraph, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := s.mustExist(q.NamedIDs()...); err != nil {
		return nil, err
	}
	scope := q.Scope()
	in := make([]bool, s.slots.len())
	for u, e := range s.byID {
		in[u] = kindAllowed(e.node, q.Kinds)
	}
	if q.Topic != "" {
		// Keep only nodes that some kept relation touches, and the topic.
		kept := make([]bool, len(in))
		if topic := s.position[q.Topic]; in[topic] {
			kept[topic] = true
		}
		for e := range s.eachRelation {
			if in[e.from] && in[e.to] && s.inScopeBetween(scope, e.r, e.from, e.to) {
				kept[e.from], kept[e.to] = true, true
			}
		}
		in = kept
	}
	return s.subgraph(scope, in), nil
}

// Cooperation derives partners from shared venues and direct relations,
// counting only relations active at the query's date, around the actor and,
// with RollUp, around its bodies.
func (s *Store) Cooperation(ctx context.Context, q domain.CooperationQuery) ([]*domain.Cooperation, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := s.mustExist(q.NamedIDs()...); err != nil {
		return nil, err
	}
	scope := domain.Scope{AsOf: q.AsOf}
	b := domain.NewCooperationBuilder(q, s.rollUp(scope))
	for _, member := range b.Members() {
		actor := s.entryOf(member)
		for _, r := range actor.incident {
			if !s.inScope(scope, r) {
				continue
			}
			venue := s.entryOf(other(r, member))
			o := venue.node
			switch {
			case r.Type == domain.RelCooperatesWith:
				b.Direct(member, o, r)
			case domain.IsEngagementOf(r, actor.node, o):
				for _, pr := range venue.incident {
					partner := s.node(other(pr, o.ID))
					if partner.ID != member && s.inScope(scope, pr) && domain.IsEngagementOf(pr, partner, o) {
						b.Shared(member, partner, o, r, pr)
					}
				}
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return b.Build(s.topicsOf), nil
}

// rollUp ties bodies to their parents through the PART_OF relations in scope.
func (s *Store) rollUp(scope domain.Scope) *domain.RollUp {
	var partOf []*domain.Relation
	for e := range s.partOf.Ascend {
		if s.inScope(scope, e.r) {
			partOf = append(partOf, e.r)
		}
	}
	return domain.NewRollUp(partOf, s.node)
}

// topicsOf lists the topics a venue addresses, ordered by ID.
func (s *Store) topicsOf(venueID string) []*domain.Node {
	if e := s.entryOf(venueID); e != nil {
		return slices.Clip(e.topics) // callers share it: an append must copy
	}
	return nil
}
