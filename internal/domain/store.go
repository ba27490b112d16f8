package domain

import (
	"context"
	"slices"
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
	// MaxSimplePathHops bounds K_SHORTEST and ALL_SIMPLE, which enumerate
	// simple paths rather than stopping at the shortest length.
	MaxSimplePathHops = 4
	// MaxQueryIDs bounds lists of IDs in a query (topics, avoid, ids).
	MaxQueryIDs = 20
	// MaxFanOut bounds how many nodes a neighbourhood walk enters from any
	// one node, so the neighbourhood of a hub costs what a frontend can
	// draw rather than the hub's degree (see NeighborhoodQuery). The
	// shipped data's largest degree is below it.
	MaxFanOut = 100
	// MaxPathRoutes bounds the routes a store that enumerates them (Neo4j's
	// pattern matching) may examine for one PathQuery; past it the store
	// answers TooManyRoutes instead of stalling. Routes between nodes a few
	// hops apart through hubs number in the millions at 10k nodes.
	MaxPathRoutes = 50_000
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
	// Related answers in one read what Nodes(q.NodeIDs), Relations(q) and
	// Nodes of the relations' ends and cited sources would (see Related),
	// so a stakeholder asked for with its relations costs one round trip
	// to a remote store instead of three in sequence.
	Related(ctx context.Context, q RelatedQuery) (*Related, error)
	// Neighborhood returns the subgraph around a node (see NeighborhoodQuery).
	Neighborhood(ctx context.Context, q NeighborhoodQuery) (*Subgraph, error)
	// Graph returns the whole graph, or the part a GraphQuery selects.
	Graph(ctx context.Context, q GraphQuery) (*Subgraph, error)
	// Paths returns paths between two nodes (see PathQuery and PathMode).
	Paths(ctx context.Context, q PathQuery) ([]*Path, error)
	// Cooperation lists who an actor cooperates with, and through what.
	Cooperation(ctx context.Context, q CooperationQuery) ([]*Cooperation, error)
	// CommonConnections lists the nodes that connect two or more given nodes.
	CommonConnections(ctx context.Context, q CommonConnectionsQuery) ([]*CommonConnection, error)
	// CoParticipation ranks actor pairs by the venues they share (Jaccard).
	CoParticipation(ctx context.Context, q CoParticipationQuery) ([]*CoParticipation, error)
	// Timeline lists dated relations and events in date order.
	Timeline(ctx context.Context, q TimelineQuery) ([]*TimelineEntry, error)
	// Statements returns one page of the statements q selects, ordered by
	// ID (see SelectStatements); the IDs q names must exist (ENOTFOUND).
	Statements(ctx context.Context, q StatementQuery) ([]*Statement, error)
	// Version identifies the data the store holds (Graph.Version of what was
	// loaded or seeded), so derived results can be cached per data version.
	Version(ctx context.Context) (string, error)
	// Check reports whether the store is ready to answer from the data of
	// version want (Graph.Version): nil when it is, otherwise an EUNAVAILABLE
	// error with a *NotReady cause saying why (see NotReadyError). Servers
	// call it every second, so it must be cheap and never wait on retries.
	Check(ctx context.Context, want string) error
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

// RelatedQuery asks for some nodes with the relations touching them that
// the filter selects. Unlike Relations, it needs at least one node ID.
type RelatedQuery struct {
	RelationFilter
}

// Validate checks the query.
func (q *RelatedQuery) Validate() error {
	if len(q.NodeIDs) == 0 {
		return Errorf(EINVALID, "related: give at least one node ID")
	}
	return q.RelationFilter.Validate()
}

// Related is the answer to a RelatedQuery.
type Related struct {
	// Nodes holds the nodes of q.NodeIDs in the same order; nil where absent.
	Nodes []*Node
	// Relations are the relations Relations(q.RelationFilter) returns,
	// ordered by ID.
	Relations []*Relation
	// Ends are the nodes at either end of Relations and the sources their
	// evidence cites, each once, ordered by ID.
	Ends []*Node
}

// EndIDs returns the IDs of the nodes at either end of rels and of the
// sources their evidence cites, each once, sorted: the nodes Related.Ends
// holds.
func EndIDs(rels []*Relation) []string {
	seen := map[string]bool{}
	var ids []string
	add := func(id string) {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, r := range rels {
		add(r.From)
		add(r.To)
		for _, e := range r.Evidence {
			add(e.SourceID)
		}
	}
	slices.Sort(ids)
	return ids
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
// relations in either direction. Only relations in scope are walked — of
// RelationTypes (all when empty), concerning Topic (any when empty), active
// at AsOf (any time when empty) — and only nodes of Kinds (all when empty)
// are entered; the root is always included. The subgraph holds every
// in-scope relation between its nodes.
//
// The walk is capped per node: at each level, a node's candidates are the
// neighbours it could enter (over an in-scope relation, of an allowed kind)
// that no earlier level holds; it enters the first MaxFanOut of them in ID
// order. A node with more candidates is listed in Subgraph.Capped. The rule
// does not depend on the order a level's nodes are expanded in, so every
// store answers the same.
type NeighborhoodQuery struct {
	Root          string
	Depth         int
	RelationTypes []RelationType
	Kinds         []Kind
	Topic         string
	AsOf          PartialDate
}

// Scope is the relation scope the query walks.
func (q *NeighborhoodQuery) Scope() Scope { return q.selection().Scope() }

// selection is the query's filters as a GraphQuery, which scopes and
// validates them the same way.
func (q *NeighborhoodQuery) selection() *GraphQuery {
	return &GraphQuery{Kinds: q.Kinds, RelationTypes: q.RelationTypes, Topic: q.Topic, AsOf: q.AsOf}
}

// Validate checks the query.
func (q *NeighborhoodQuery) Validate() error {
	if _, _, err := ParseID(q.Root); err != nil {
		return err
	}
	if q.Depth < 1 || q.Depth > MaxNeighborhoodDepth {
		return Errorf(EINVALID, "depth %d is out of range: use 1 to %d", q.Depth, MaxNeighborhoodDepth)
	}
	return q.selection().Validate()
}

// GraphQuery selects part of the whole graph: the nodes of Kinds (all when
// empty) and every in-scope relation between them (see NeighborhoodQuery for
// RelationTypes, Topic and AsOf). When Topic is set, nodes left without an
// in-scope relation are dropped, except the topic itself.
type GraphQuery struct {
	Kinds         []Kind
	RelationTypes []RelationType
	Topic         string
	AsOf          PartialDate
}

// Scope is the relation scope of the selection.
func (q *GraphQuery) Scope() Scope {
	return Scope{RelationTypes: q.RelationTypes, Topics: optionalList(q.Topic), AsOf: q.AsOf}
}

// Validate checks the query.
func (q *GraphQuery) Validate() error {
	if q.Topic != "" {
		if err := validateTopicID(q.Topic, "topic"); err != nil {
			return err
		}
	}
	if err := validateRelationTypes(q.RelationTypes); err != nil {
		return err
	}
	return validateKinds(q.Kinds)
}

func optionalList(id string) []string {
	if id == "" {
		return nil
	}
	return []string{id}
}

// Subgraph is a uniform node/edge shape a frontend can draw.
type Subgraph struct {
	Nodes     []*Node     // ordered by ID
	Relations []*Relation // ordered by ID
	// Capped lists, ordered by ID, the nodes a neighbourhood walk entered
	// only MaxFanOut neighbours from (see NeighborhoodQuery); empty when
	// nothing was left out.
	Capped []string
	// Weights maps the ID of a derived edge to its weight (DiscourseNetwork:
	// the number of concepts behind it); nil for stated relations.
	Weights map[string]int
}

// Truncated reports whether the walk left neighbours out.
func (s *Subgraph) Truncated() bool { return len(s.Capped) > 0 }

// CapFanOut applies MaxFanOut to one node's candidates (see
// NeighborhoodQuery), which must be distinct and ordered by ID: it returns
// those the node enters and whether any were left out.
func CapFanOut[T any](candidates []T) (entered []T, capped bool) {
	if len(candidates) > MaxFanOut {
		return candidates[:MaxFanOut], true
	}
	return candidates, false
}

// PathMode says which paths a PathQuery returns. Every mode returns simple
// paths only (no node twice), walking in-scope relations in either
// direction, never entering an avoided node, at most MaxHops long.
type PathMode string

// The path modes.
const (
	// PathShortest: every shortest path, ordered by ComparePaths (length, then
	// node IDs, then relation IDs); the first Limit.
	PathShortest PathMode = "SHORTEST"
	// PathKShortest: the Limit shortest paths of any length up to MaxHops, in
	// the order of ComparePaths — ties at the cut are broken by IDs, so the
	// list is the same on every store.
	PathKShortest PathMode = "K_SHORTEST"
	// PathAllSimple: every simple path up to MaxHops in the order a
	// depth-first walk visiting neighbours by ID meets them (CompareRoutes:
	// node IDs element by element, a prefix first, then relation IDs); the
	// first Limit.
	PathAllSimple PathMode = "ALL_SIMPLE"
)

// Valid reports whether m is a known mode.
func (m PathMode) Valid() bool {
	return m == PathShortest || m == PathKShortest || m == PathAllSimple
}

// PathQuery asks for paths between two nodes (see PathMode). Only relations
// in scope are walked: of RelationTypes, concerning one of Topics, active at
// AsOf (see Scope). Nodes in Avoid are never entered.
type PathQuery struct {
	From          string
	To            string
	MaxHops       int
	RelationTypes []RelationType
	Topics        []string
	Avoid         []string
	AsOf          PartialDate
	Mode          PathMode // PathShortest when empty
	Limit         int
}

// Scope is the relation scope the query walks.
func (q *PathQuery) Scope() Scope {
	return Scope{RelationTypes: q.RelationTypes, Topics: q.Topics, AsOf: q.AsOf}
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
	if q.Mode == "" {
		q.Mode = PathShortest
	}
	if !q.Mode.Valid() {
		return Errorf(EINVALID, "unknown path mode %q: use SHORTEST, K_SHORTEST or ALL_SIMPLE", q.Mode)
	}
	if q.MaxHops < 1 || q.MaxHops > MaxPathHops {
		return Errorf(EINVALID, "maxHops %d is out of range: use 1 to %d", q.MaxHops, MaxPathHops)
	}
	if q.Mode != PathShortest && q.MaxHops > MaxSimplePathHops {
		return Errorf(EINVALID, "maxHops %d is too long for mode %s, which lists paths of every length: use 1 to %d, or mode SHORTEST", q.MaxHops, q.Mode, MaxSimplePathHops)
	}
	if q.Limit < 1 || q.Limit > MaxPageSize {
		return Errorf(EINVALID, "limit %d is out of range: use 1 to %d", q.Limit, MaxPageSize)
	}
	if len(q.Avoid) > MaxQueryIDs {
		return Errorf(EINVALID, "%d nodes to avoid; the limit is %d", len(q.Avoid), MaxQueryIDs)
	}
	for _, id := range q.Avoid {
		if _, _, err := ParseID(id); err != nil {
			return err
		}
		if id == q.From || id == q.To {
			return Errorf(EINVALID, "avoid contains %s, an end of the path; remove it from avoid", id)
		}
	}
	scope := q.Scope()
	return scope.Validate()
}

// TooManyRoutes is the error for a path query whose routes exceed
// MaxPathRoutes before its answer is known: EINVALID, saying how to narrow
// it.
func (q *PathQuery) TooManyRoutes() error {
	narrow := "lower maxHops, restrict relationTypes or topics, or avoid the hubs between them"
	if q.Mode != PathShortest {
		narrow += ", or use mode SHORTEST"
	}
	return Errorf(EINVALID, "more than %d routes to examine between %s and %s within %d hops: %s",
		MaxPathRoutes, q.From, q.To, q.MaxHops, narrow)
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
// venue that addresses the topic; Partner keeps only that partner. The
// actor's own bodies and its own country are never its partners (see
// RollUp.SameSide). RollUp counts the actor's bodies as the actor and a
// national body partner as its country, the PART_OF chains joining the
// row's evidence; Partner then names the rolled-up partner.
type CooperationQuery struct {
	Actor   string
	Topic   string
	Partner string
	AsOf    PartialDate // only relations active on this date (see Relation.ActiveAt)
	RollUp  bool
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
		if err := validateTopicID(q.Topic, "topic"); err != nil {
			return err
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

// NamedIDs are the node IDs a query names, in the order a store checks
// them: every one must exist, and the first unknown one is reported as
// ENOTFOUND, so both stores name the same ID.
func (q *NeighborhoodQuery) NamedIDs() []string {
	return append([]string{q.Root}, optionalList(q.Topic)...)
}

// NamedIDs: see NeighborhoodQuery.NamedIDs.
func (q *GraphQuery) NamedIDs() []string { return optionalList(q.Topic) }

// NamedIDs: see NeighborhoodQuery.NamedIDs.
func (q *PathQuery) NamedIDs() []string {
	ids := append([]string{q.From, q.To}, q.Topics...)
	return append(ids, q.Avoid...)
}

// NamedIDs: see NeighborhoodQuery.NamedIDs.
func (q *CooperationQuery) NamedIDs() []string {
	return append(append([]string{q.Actor}, optionalList(q.Topic)...), optionalList(q.Partner)...)
}
