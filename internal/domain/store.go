package domain

import (
	"context"
	"strings"
)

// Bounds every store and the API enforce, so no query can walk the whole
// graph or return unbounded lists.
const (
	MaxNeighborhoodDepth = 3
	MaxPathHops          = 6
	MaxPageSize          = 100
	DefaultPageSize      = 20
	MaxSearchQueryLength = 200
)

// Store is what stakegraph needs from a backend. Every method takes the
// request context first and honours its deadline; errors are *Error with a
// code (ENOTFOUND, EINVALID, EUNAVAILABLE, EINTERNAL). Results are
// deterministic: two stores holding the same Graph return identical answers.
type Store interface {
	// Node returns the node with the given ID, or ENOTFOUND.
	Node(ctx context.Context, id string) (*Node, error)
	// Nodes returns the nodes with the given IDs in the same order; missing
	// IDs give nil entries. It exists for batching (one call per request).
	Nodes(ctx context.Context, ids []string) ([]*Node, error)
	// FindNodes returns one page of nodes matching the filter, ordered by ID.
	FindNodes(ctx context.Context, filter NodeFilter) (*NodePage, error)
	// Search ranks nodes whose name or aliases match the query (see MatchScore).
	Search(ctx context.Context, q SearchQuery) ([]SearchHit, error)
	// Relations returns the relations touching any of the given nodes, matching
	// the filter, ordered by ID. It exists for batching typed relation fields.
	Relations(ctx context.Context, filter RelationFilter) ([]*Relation, error)
	// Neighborhood returns the subgraph around a node (see NeighborhoodQuery).
	Neighborhood(ctx context.Context, q NeighborhoodQuery) (*Subgraph, error)
	// Paths returns the shortest paths between two nodes (see PathQuery).
	Paths(ctx context.Context, q PathQuery) ([]*Path, error)
	// Cooperation lists who an actor cooperates with, and through what.
	Cooperation(ctx context.Context, q CooperationQuery) ([]*Cooperation, error)
	// Ping reports whether the store can answer queries.
	Ping(ctx context.Context) error
	// Close releases the store's resources.
	Close(ctx context.Context) error
}

// NodeFilter selects nodes. Empty fields do not restrict.
type NodeFilter struct {
	Kinds       []Kind
	OrgTypes    []OrgType
	ConnectedTo string // only nodes with a relation to or from this node
	After       string // page cursor: return nodes with ID greater than this
	First       int
}

// Validate checks the filter and fills in the default page size.
func (f *NodeFilter) Validate() error {
	if err := validateKinds(f.Kinds); err != nil {
		return err
	}
	for _, t := range f.OrgTypes {
		if !t.Valid() {
			return Errorf(EINVALID, "unknown organization type %q", t)
		}
	}
	if f.ConnectedTo != "" {
		if _, _, err := ParseID(f.ConnectedTo); err != nil {
			return err
		}
	}
	return validatePageSize(&f.First, "first")
}

// NodePage is one page of FindNodes.
type NodePage struct {
	Nodes       []*Node
	Total       int  // matches over all pages
	HasNextPage bool // more matches follow the last node of this page
}

// RelationFilter selects relations touching a set of nodes.
type RelationFilter struct {
	NodeIDs   []string
	Direction Direction
	Types     []RelationType
}

// Direction of a relation seen from a node.
type Direction string

// Directions.
const (
	DirectionOut  Direction = "OUT"  // the node is the relation's From
	DirectionIn   Direction = "IN"   // the node is the relation's To
	DirectionBoth Direction = "BOTH" // either end
)

// Touches reports whether relation r touches id in direction d.
func (d Direction) Touches(r *Relation, id string) bool {
	switch d {
	case DirectionOut:
		return r.From == id
	case DirectionIn:
		return r.To == id
	}
	return r.From == id || r.To == id
}

// SearchQuery is a free-text search over names and aliases.
type SearchQuery struct {
	Text  string
	Kinds []Kind
	First int
}

// Validate checks the query and fills in defaults.
func (q *SearchQuery) Validate() error {
	if strings.TrimSpace(q.Text) == "" {
		return Errorf(EINVALID, "search query is empty: give at least one word, e.g. \"europol\"")
	}
	if len(q.Text) > MaxSearchQueryLength {
		return Errorf(EINVALID, "search query is %d characters; the limit is %d", len(q.Text), MaxSearchQueryLength)
	}
	if len(Tokens(q.Text)) == 0 {
		return Errorf(EINVALID, "search query %q has no letters or digits to match", q.Text)
	}
	if err := validateKinds(q.Kinds); err != nil {
		return err
	}
	return validatePageSize(&q.First, "first")
}

// SearchHit is one search result.
type SearchHit struct {
	Score float64
	Node  *Node
}

// NeighborhoodQuery asks for the nodes within Depth hops of Root, walking
// relations in either direction. Only relations of RelationTypes (all when
// empty) are walked and only nodes of Kinds (all when empty) are entered;
// the root is always included. The subgraph holds every walked-type
// relation between its nodes.
type NeighborhoodQuery struct {
	Root          string
	Depth         int
	RelationTypes []RelationType
	Kinds         []Kind
}

// Validate checks the query.
func (q *NeighborhoodQuery) Validate() error {
	if _, _, err := ParseID(q.Root); err != nil {
		return err
	}
	if q.Depth < 1 || q.Depth > MaxNeighborhoodDepth {
		return Errorf(EINVALID, "depth %d is out of range: use 1 to %d", q.Depth, MaxNeighborhoodDepth)
	}
	if err := validateRelationTypes(q.RelationTypes); err != nil {
		return err
	}
	return validateKinds(q.Kinds)
}

// Subgraph is a uniform node/edge shape a frontend can draw.
type Subgraph struct {
	Nodes     []*Node     // ordered by ID
	Relations []*Relation // ordered by ID
}

// PathQuery asks for the shortest paths between two nodes, walking relations
// in either direction, at most MaxHops long. All shortest paths are found,
// ordered by their node IDs then relation IDs, and the first Limit returned.
type PathQuery struct {
	From          string
	To            string
	MaxHops       int
	RelationTypes []RelationType
	Limit         int
}

// Validate checks the query.
func (q *PathQuery) Validate() error {
	for _, id := range []string{q.From, q.To} {
		if _, _, err := ParseID(id); err != nil {
			return err
		}
	}
	if q.From == q.To {
		return Errorf(EINVALID, "from and to are the same node %s; give two different nodes", q.From)
	}
	if q.MaxHops < 1 || q.MaxHops > MaxPathHops {
		return Errorf(EINVALID, "maxHops %d is out of range: use 1 to %d", q.MaxHops, MaxPathHops)
	}
	if q.Limit < 1 || q.Limit > MaxPageSize {
		return Errorf(EINVALID, "limit %d is out of range: use 1 to %d", q.Limit, MaxPageSize)
	}
	return validateRelationTypes(q.RelationTypes)
}

// Path is a walk from one node to another. Nodes has one more entry than
// Relations; Relations[i] joins Nodes[i] and Nodes[i+1] in either direction.
type Path struct {
	Nodes     []*Node
	Relations []*Relation
}

// Length is the number of hops.
func (p *Path) Length() int { return len(p.Relations) }

// CooperationQuery asks with whom Actor cooperates: partners it shares a
// programme, event or agreement with, and partners it has a direct
// COOPERATES_WITH relation with. Topic keeps only cooperation through a
// venue that addresses the topic; Partner keeps only that partner.
type CooperationQuery struct {
	Actor   string
	Topic   string
	Partner string
}

// Validate checks the query.
func (q *CooperationQuery) Validate() error {
	kind, _, err := ParseID(q.Actor)
	if err != nil {
		return err
	}
	if !kind.IsActor() {
		return Errorf(EINVALID, "actor %s is a %s; cooperation needs a country, organization or person", q.Actor, kind)
	}
	if q.Topic != "" {
		kind, _, err := ParseID(q.Topic)
		if err != nil {
			return err
		}
		if kind != KindTopic {
			return Errorf(EINVALID, "topic %s is a %s, not a topic (e.g. topic:maritime-security)", q.Topic, kind)
		}
	}
	if q.Partner != "" {
		if _, _, err := ParseID(q.Partner); err != nil {
			return err
		}
	}
	return nil
}

// Cooperation is one partner of an actor and the venue they meet through
// (nil Via for a direct COOPERATES_WITH relation). Topics are the topics the
// venue addresses; Relations are the actor's and the partner's relations to
// the venue (or the direct relation), whose evidence proves the row.
type Cooperation struct {
	Partner   *Node
	Via       *Node
	Topics    []*Node
	Relations []*Relation
}

func validateKinds(kinds []Kind) error {
	for _, k := range kinds {
		if !k.Valid() {
			return Errorf(EINVALID, "unknown kind %q", k)
		}
	}
	return nil
}

func validateRelationTypes(types []RelationType) error {
	for _, t := range types {
		if !t.Valid() {
			return Errorf(EINVALID, "unknown relation type %q", t)
		}
	}
	return nil
}

func validatePageSize(first *int, name string) error {
	if *first == 0 {
		*first = DefaultPageSize
	}
	if *first < 1 || *first > MaxPageSize {
		return Errorf(EINVALID, "%s %d is out of range: use 1 to %d", name, *first, MaxPageSize)
	}
	return nil
}
