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
	position   map[string]int64              // node ID → index in nodeIDs, the node's ID in gonum graphs
	links      [][]link                      // node index → neighbours by index (so by ID), relations by ID
	graphNodes []graph.Node                  // node index → the node for gonum, boxed once
	relations  []*domain.Relation            // sorted by ID
	incident   map[string][]*domain.Relation // node ID → relations touching it, sorted by ID
	labels     map[string][][]string         // node ID → tokens of name and aliases, for Search
	concerns   map[string][]string           // relation ID → topics it concerns (domain.ConcernedTopics)
	version    string                        // domain.Graph.Version of the loaded graph
}

// New builds a store over g, which must pass g.Validate, so a store never
// holds a dangling edge.
func New(g *domain.Graph) (*Store, error) {
	if err := g.Validate(); err != nil {
		return nil, err
	}
	s := &Store{
		nodes:     make(map[string]*domain.Node, len(g.Nodes)),
		incident:  make(map[string][]*domain.Relation),
		labels:    make(map[string][][]string, len(g.Nodes)),
		relations: slices.Clone(g.Relations),
		concerns:  domain.ConcernedTopics(g),
		version:   g.Version(),
	}
	for _, n := range g.Nodes {
		s.nodes[n.ID] = n
		s.nodeIDs = append(s.nodeIDs, n.ID)
		s.labels[n.ID] = domain.LabelTokens(n)
	}
	slices.Sort(s.nodeIDs)
	s.position = make(map[string]int64, len(s.nodeIDs))
	for i, id := range s.nodeIDs {
		s.position[id] = int64(i)
	}
	slices.SortFunc(s.relations, byRelationID)
	for _, r := range s.relations {
		s.incident[r.From] = append(s.incident[r.From], r)
		s.incident[r.To] = append(s.incident[r.To], r)
	}
	s.links = make([][]link, len(s.nodeIDs))
	s.graphNodes = make([]graph.Node, len(s.nodeIDs))
	for i, id := range s.nodeIDs {
		s.links[i] = s.linksOf(id)
		s.graphNodes[i] = simple.Node(i)
	}
	return s, nil
}

func byRelationID(a, b *domain.Relation) int { return cmp.Compare(a.ID, b.ID) }

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
	return scope.Allows(r, s.concerns[r.ID])
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
	var connected map[string]bool
	if f.ConnectedTo != "" {
		connected = map[string]bool{}
		for _, r := range s.incident[f.ConnectedTo] {
			connected[r.From], connected[r.To] = true, true
		}
		delete(connected, f.ConnectedTo)
	}
	page := &domain.NodePage{}
	for _, id := range s.nodeIDs {
		n := s.nodes[id]
		if !matchesFilter(n, f, connected) {
			continue
		}
		page.Total++
		switch {
		case id <= f.After:
		case len(page.Nodes) < f.First:
			page.Nodes = append(page.Nodes, n)
		default:
			page.HasNextPage = true
		}
	}
	return page, nil
}

func matchesFilter(n *domain.Node, f domain.NodeFilter, connected map[string]bool) bool {
	if len(f.Kinds) > 0 && !slices.Contains(f.Kinds, n.Kind) {
		return false
	}
	if len(f.OrgTypes) > 0 && !slices.Contains(f.OrgTypes, n.OrgType) {
		return false
	}
	return connected == nil || connected[n.ID]
}

// Search ranks nodes by domain.MatchScore, best first, ties by ID.
func (s *Store) Search(ctx context.Context, q domain.SearchQuery) ([]domain.SearchHit, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	tokens := domain.Tokens(q.Text)
	var hits []domain.SearchHit
	for _, id := range s.nodeIDs {
		n := s.nodes[id]
		if len(q.Kinds) > 0 && !slices.Contains(q.Kinds, n.Kind) {
			continue
		}
		if score := domain.ScoreLabels(s.labels[id], tokens); score > 0 {
			hits = append(hits, domain.SearchHit{Score: score, Node: n})
		}
	}
	domain.SortSearchHits(hits)
	if len(hits) > q.First {
		hits = hits[:q.First]
	}
	return hits, nil
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
		for _, r := range s.incident[id] {
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
// see domain.NeighborhoodQuery.
func (s *Store) Neighborhood(ctx context.Context, q domain.NeighborhoodQuery) (*domain.Subgraph, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := s.mustExist(q.NamedIDs()...); err != nil {
		return nil, err
	}
	root := s.nodes[q.Root]
	scope := q.Scope()
	inSet := map[string]bool{root.ID: true}
	frontier := []string{root.ID}
	for range q.Depth {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var next []string
		for _, id := range frontier {
			for _, r := range s.incident[id] {
				if !s.inScope(scope, r) {
					continue
				}
				o := other(r, id)
				if inSet[o] || !kindAllowed(s.nodes[o], q.Kinds) {
					continue
				}
				inSet[o] = true
				next = append(next, o)
			}
		}
		frontier = next
	}
	return s.subgraph(scope, inSet), nil
}

// subgraph holds the nodes of inSet and every in-scope relation between them.
func (s *Store) subgraph(scope domain.Scope, inSet map[string]bool) *domain.Subgraph {
	sub := &domain.Subgraph{}
	for _, id := range s.nodeIDs {
		if inSet[id] {
			sub.Nodes = append(sub.Nodes, s.nodes[id])
		}
	}
	for _, r := range s.relations {
		if inSet[r.From] && inSet[r.To] && s.inScope(scope, r) {
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
	inSet := make(map[string]bool, len(s.nodeIDs))
	for _, id := range s.nodeIDs {
		if kindAllowed(s.nodes[id], q.Kinds) {
			inSet[id] = true
		}
	}
	if q.Topic != "" {
		// Keep only nodes that some kept relation touches, and the topic.
		kept := map[string]bool{}
		if inSet[q.Topic] {
			kept[q.Topic] = true
		}
		for _, r := range s.relations {
			if inSet[r.From] && inSet[r.To] && s.inScope(scope, r) {
				kept[r.From], kept[r.To] = true, true
			}
		}
		inSet = kept
	}
	return s.subgraph(scope, inSet), nil
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
	for _, r := range s.relations {
		if r.Type == domain.RelPartOf && s.inScope(scope, r) {
			partOf = append(partOf, r)
		}
	}
	return domain.NewRollUp(partOf, func(id string) *domain.Node { return s.nodes[id] })
}

// topicsOf lists the topics a venue addresses, ordered by ID.
func (s *Store) topicsOf(venueID string) []*domain.Node {
	var topics []*domain.Node
	for _, r := range s.incident[venueID] {
		if r.Type == domain.RelAddresses && r.From == venueID && s.nodes[r.To].Kind == domain.KindTopic {
			topics = append(topics, s.nodes[r.To])
		}
	}
	slices.SortFunc(topics, func(a, b *domain.Node) int { return cmp.Compare(a.ID, b.ID) })
	return topics
}
