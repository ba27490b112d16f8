// Package memstore is the embedded store: the whole graph held in memory,
// loaded once at start. It is the zero-setup default and the reference the
// Neo4j store is checked against by the shared conformance suite.
package memstore

import (
	"cmp"
	"context"
	"slices"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/simple"

	"github.com/stakegraph/stakegraph/internal/domain"
)

var _ domain.Store = (*Store)(nil)

// Store holds an immutable graph; it is safe for concurrent use because
// nothing changes after New.
type Store struct {
	nodes      map[string]*domain.Node
	nodeIDs    []string                      // sorted
	byIndex    []*domain.Node                // node index (in nodeIDs) → node
	position   map[string]int64              // node ID → index in nodeIDs, the node's ID in gonum graphs
	links      [][]link                      // node index → neighbours by index (so by ID), relations by ID
	graphNodes []graph.Node                  // node index → the node for gonum, boxed once
	relations  []*domain.Relation            // sorted by ID
	ends       [][2]int32                    // relation index → its From and To as node indexes
	degree     []int                         // node index → number of relations touching it
	partOf     []*domain.Relation            // the PART_OF relations, sorted by ID
	incident   map[string][]*domain.Relation // node ID → relations touching it, sorted by ID
	typed      [][]*domain.Relation          // node index → relations touching it, by type, direction and ID (typedOrder)
	labels     [][][]string                  // node index → tokens of name and aliases, for Search
	words      tokenIndex                    // folded label tokens → nodes, for Search
	topics     map[string][]*domain.Node     // venue ID → topics it addresses, sorted by ID
	concerns   map[string][]string           // relation ID → topics it concerns (domain.ConcernedTopics)
	version    string                        // domain.Graph.Version of the loaded graph
	statements []*domain.Statement           // sorted by ID
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

// build indexes g, which has passed Validate.
func build(g *domain.Graph, version string) *Store {
	s := &Store{
		nodes:      make(map[string]*domain.Node, len(g.Nodes)),
		incident:   make(map[string][]*domain.Relation, len(g.Nodes)),
		relations:  slices.Clone(g.Relations),
		topics:     map[string][]*domain.Node{},
		concerns:   domain.ConcernedTopics(g),
		version:    version,
		statements: slices.Clone(g.Statements),
	}
	domain.SortStatements(s.statements)
	for _, n := range g.Nodes {
		s.nodes[n.ID] = n
		s.nodeIDs = append(s.nodeIDs, n.ID)
	}
	slices.Sort(s.nodeIDs)
	s.position = make(map[string]int64, len(s.nodeIDs))
	s.byIndex = make([]*domain.Node, len(s.nodeIDs))
	s.labels = make([][][]string, len(s.nodeIDs))
	for i, id := range s.nodeIDs {
		s.position[id] = int64(i)
		s.byIndex[i] = s.nodes[id]
		s.labels[i] = domain.LabelTokens(s.nodes[id])
	}
	s.words = newTokenIndex(s.labels)
	slices.SortFunc(s.relations, byRelationID)
	s.ends = make([][2]int32, len(s.relations))
	s.degree = make([]int, len(s.nodeIDs))
	for i, r := range s.relations {
		from, to := s.position[r.From], s.position[r.To]
		s.ends[i] = [2]int32{int32(from), int32(to)}
		s.degree[from]++
		s.degree[to]++
		s.incident[r.From] = append(s.incident[r.From], r)
		s.incident[r.To] = append(s.incident[r.To], r)
		switch {
		case r.Type == domain.RelPartOf:
			s.partOf = append(s.partOf, r)
		case r.Type == domain.RelAddresses && s.nodes[r.To].Kind == domain.KindTopic:
			// Relations come in ID order, which is not topic order.
			s.topics[r.From] = append(s.topics[r.From], s.nodes[r.To])
		}
	}
	for _, topics := range s.topics {
		slices.SortFunc(topics, byNodeID)
	}
	s.links = make([][]link, len(s.nodeIDs))
	s.typed = make([][]*domain.Relation, len(s.nodeIDs))
	s.graphNodes = make([]graph.Node, len(s.nodeIDs))
	for i, id := range s.nodeIDs {
		s.links[i] = s.linksOf(id)
		s.typed[i] = slices.SortedStableFunc(slices.Values(s.incident[id]), typedOrder(id))
		s.graphNodes[i] = simple.Node(i)
	}
	return s
}

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
	var concerns []string
	if len(scope.Topics) > 0 { // only a topic filter reads them; spare the lookup
		concerns = s.concerns[r.ID]
	}
	return scope.Allows(r, concerns)
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
	n := s.nodes[id]
	if n == nil {
		return nil, domain.Errorf(domain.ENOTFOUND, "no node with id %q", id)
	}
	return n, nil
}

// mustExist returns ENOTFOUND naming the first ID that is no node.
func (s *Store) mustExist(ids ...string) error {
	for _, id := range ids {
		if s.nodes[id] == nil {
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
		out[i] = s.nodes[id]
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
	// With ConnectedTo only that node's neighbours are read; they come in
	// index order, which is ID order.
	candidates := s.byIndex
	if f.ConnectedTo != "" {
		candidates = nil
		if i, ok := s.position[f.ConnectedTo]; ok {
			for _, l := range s.links[i] {
				candidates = append(candidates, s.byIndex[l.to])
			}
		}
	}
	page := &domain.NodePage{}
	for _, n := range candidates {
		if !matchesFilter(n, f) {
			continue
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
		for _, r := range s.relations {
			if typeAllowed(r, f.Types) {
				out = append(out, r)
			}
		}
		return out, nil
	}
	seen := map[string]bool{}
	for _, id := range f.NodeIDs {
		candidates := s.incident[id]
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
		if n := s.nodes[id]; n != nil {
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
				capped = append(capped, s.nodeIDs[u])
			}
			next = append(next, entered...)
		}
		slices.Sort(next)
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
	ok := func(v int64) bool { return !seen[v] && kindAllowed(s.byIndex[v], kinds) }
	// A type filter reads only the runs of its types when they are fewer
	// than u's neighbours (a hub seen through a rare type).
	if n := s.typedCount(u, scope.RelationTypes); n >= 0 && n < len(s.links[u]) {
		for _, t := range scope.RelationTypes {
			for _, r := range s.typedRun(u, t, domain.DirectionBoth) {
				if v := s.position[other(r, s.nodeIDs[u])]; ok(v) && s.inScope(scope, r) {
					out = append(out, v)
				}
			}
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	// Links are ordered by neighbour index, which is ID order.
	for _, l := range s.links[u] {
		if ok(l.to) && s.anyInScope(scope, l.rels) {
			out = append(out, l.to)
			if len(out) > domain.MaxFanOut {
				break
			}
		}
	}
	return out
}

// anyInScope reports whether the scope allows one of rels.
func (s *Store) anyInScope(scope domain.Scope, rels []*domain.Relation) bool {
	return slices.ContainsFunc(rels, func(r *domain.Relation) bool { return s.inScope(scope, r) })
}

// localSubgraph holds the members (inSet as a set) and every in-scope
// relation between them. Each pair of members is looked at from its lower
// index; a member with more links than there are members probes its links
// for each later member instead of reading them all, so a hub in a small
// set costs a few binary searches, not its degree.
func (s *Store) localSubgraph(scope domain.Scope, members []int64, inSet map[int64]bool) *domain.Subgraph {
	slices.Sort(members)
	touching := 0
	for _, u := range members {
		touching += s.degree[u]
	}
	if touching > len(s.relations) {
		// The members touch most relations: one pass in ID order is cheaper
		// than gathering and sorting them.
		in := make([]bool, len(s.nodeIDs))
		for _, u := range members {
			in[u] = true
		}
		return s.subgraph(scope, in)
	}
	sub := &domain.Subgraph{Nodes: make([]*domain.Node, len(members))}
	var rels []*domain.Relation
	keep := func(l link) {
		for _, r := range l.rels {
			if s.inScope(scope, r) {
				rels = append(rels, r)
			}
		}
	}
	for i, u := range members {
		sub.Nodes[i] = s.byIndex[u]
		links := s.links[u]
		if later := members[i+1:]; len(links) > len(later) {
			for _, v := range later {
				if j, found := slices.BinarySearchFunc(links, v, compareLinkTo); found {
					keep(links[j])
				}
			}
			continue
		}
		for _, l := range links {
			if l.to > u && inSet[l.to] {
				keep(l)
			}
		}
	}
	slices.SortFunc(rels, byRelationID)
	sub.Relations = rels
	return sub
}

// subgraph holds the nodes of in (by index) and every in-scope relation
// between them, by one pass over the whole graph: for answers that are
// most of it.
func (s *Store) subgraph(scope domain.Scope, in []bool) *domain.Subgraph {
	sub := &domain.Subgraph{}
	for i, n := range s.byIndex {
		if in[i] {
			sub.Nodes = append(sub.Nodes, n)
		}
	}
	for i, r := range s.relations {
		if e := s.ends[i]; in[e[0]] && in[e[1]] && s.inScope(scope, r) {
			sub.Relations = append(sub.Relations, r)
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
	in := make([]bool, len(s.nodeIDs))
	for i, n := range s.byIndex {
		in[i] = kindAllowed(n, q.Kinds)
	}
	if q.Topic != "" {
		// Keep only nodes that some kept relation touches, and the topic.
		kept := make([]bool, len(s.nodeIDs))
		if topic := s.position[q.Topic]; in[topic] {
			kept[topic] = true
		}
		for i, r := range s.relations {
			if e := s.ends[i]; in[e[0]] && in[e[1]] && s.inScope(scope, r) {
				kept[e[0]], kept[e[1]] = true, true
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
		actor := s.nodes[member]
		for _, r := range s.incident[member] {
			if !s.inScope(scope, r) {
				continue
			}
			o := s.nodes[other(r, member)]
			switch {
			case r.Type == domain.RelCooperatesWith:
				b.Direct(member, o, r)
			case domain.IsEngagementOf(r, actor, o):
				for _, pr := range s.incident[o.ID] {
					partner := s.nodes[other(pr, o.ID)]
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
	for _, r := range s.partOf {
		if s.inScope(scope, r) {
			partOf = append(partOf, r)
		}
	}
	return domain.NewRollUp(partOf, func(id string) *domain.Node { return s.nodes[id] })
}

// topicsOf lists the topics a venue addresses, ordered by ID.
func (s *Store) topicsOf(venueID string) []*domain.Node {
	return slices.Clip(s.topics[venueID]) // callers share it: an append must copy
}
