package domain

import (
	"cmp"
	"context"
	"slices"
)

// CommonConnectionsQuery asks which nodes connect two or more of IDs
// directly: a node with an in-scope relation (either direction) to at least
// two of them. Connectors are nodes of Kinds (all when empty) other than the
// given nodes themselves. RollUp counts each given node's bodies (what is
// PART_OF it, see RollUp) as that node: their relations connect it, their
// PART_OF chains join the row, and they are not connectors.
type CommonConnectionsQuery struct {
	IDs           []string
	Kinds         []Kind
	RelationTypes []RelationType
	AsOf          PartialDate
	First         int
	RollUp        bool
}

// Scope is the relation scope of the query.
func (q *CommonConnectionsQuery) Scope() Scope {
	return Scope{RelationTypes: q.RelationTypes, AsOf: q.AsOf}
}

// Validate checks the query and fills in the default page size.
func (q *CommonConnectionsQuery) Validate() error {
	if len(q.IDs) < 2 || len(q.IDs) > MaxQueryIDs {
		return Errorf(EINVALID, "give 2 to %d ids to connect; got %d", MaxQueryIDs, len(q.IDs))
	}
	seen := map[string]bool{}
	for _, id := range q.IDs {
		if _, _, err := ParseID(id); err != nil {
			return err
		}
		if seen[id] {
			return Errorf(EINVALID, "id %s is given twice; give each node once", id)
		}
		seen[id] = true
	}
	if err := validateKinds(q.Kinds); err != nil {
		return err
	}
	if err := validateRelationTypes(q.RelationTypes); err != nil {
		return err
	}
	return validatePageSize(&q.First, "first")
}

// CommonConnection is one node that connects several of the given nodes.
type CommonConnection struct {
	Node      *Node
	Connected []*Node     // the given nodes it connects, ordered by ID
	Relations []*Relation // its in-scope relations to them, ordered by ID
}

// CommonConnectionsBuilder groups the relations a store finds around the
// given nodes (and, with RollUp, their bodies) into CommonConnection rows,
// so both stores group, roll up, order and cut alike.
type CommonConnectionsBuilder struct {
	query   CommonConnectionsQuery
	rollUp  *RollUp
	members []Membership
	rows    map[string]*CommonConnection
}

// Membership pairs a node whose relations count with the given node it
// counts for (itself, or the given node it is a body of).
type Membership struct {
	Member, Given string
}

// NewCommonConnectionsBuilder starts the rows for a valid q; u holds the
// PART_OF relations active at q.AsOf.
func NewCommonConnectionsBuilder(q CommonConnectionsQuery, u *RollUp) *CommonConnectionsBuilder {
	b := &CommonConnectionsBuilder{query: q, rollUp: u, rows: map[string]*CommonConnection{}}
	for _, id := range q.IDs {
		b.members = append(b.members, Membership{id, id})
	}
	if q.RollUp {
		for _, id := range q.IDs {
			for _, body := range u.Bodies(id) {
				b.members = append(b.members, Membership{body, id})
			}
		}
	}
	return b
}

// Members lists the nodes whose relations a store reads, each with the
// given node it counts for.
func (b *CommonConnectionsBuilder) Members() []Membership { return b.members }

// isMember reports whether id is a given node or, with RollUp, a body of one.
func (b *CommonConnectionsBuilder) isMember(id string) bool {
	return slices.ContainsFunc(b.members, func(m Membership) bool { return m.Member == id })
}

// Add records that r, in scope, joins connector to m.Member.
func (b *CommonConnectionsBuilder) Add(m Membership, given, connector *Node, r *Relation) {
	if b.isMember(connector.ID) || (len(b.query.Kinds) > 0 && !slices.Contains(b.query.Kinds, connector.Kind)) {
		return
	}
	row := b.rows[connector.ID]
	if row == nil {
		row = &CommonConnection{Node: connector}
		b.rows[connector.ID] = row
	}
	if !slices.ContainsFunc(row.Connected, func(n *Node) bool { return n.ID == given.ID }) {
		row.Connected = append(row.Connected, given)
	}
	chain, _ := b.rollUp.Within(m.Member, m.Given)
	for _, rel := range append(chain, r) {
		if !containsRelation(row.Relations, rel.ID) {
			row.Relations = append(row.Relations, rel)
		}
	}
}

// Build returns the connectors of two or more given nodes, ordered by
// SortCommonConnections and cut at the page size.
func (b *CommonConnectionsBuilder) Build() []*CommonConnection {
	var out []*CommonConnection
	for _, row := range b.rows {
		if len(row.Connected) < 2 {
			continue
		}
		SortNodes(row.Connected)
		SortRelations(row.Relations)
		out = append(out, row)
	}
	SortCommonConnections(out)
	return out[:min(len(out), b.query.First)]
}

// SortCommonConnections orders by how many given nodes a connector
// connects, most first, then by the connector's ID.
func SortCommonConnections(cs []*CommonConnection) {
	slices.SortFunc(cs, func(a, b *CommonConnection) int {
		if c := cmp.Compare(len(b.Connected), len(a.Connected)); c != 0 {
			return c
		}
		return cmp.Compare(a.Node.ID, b.Node.ID)
	})
}

// CoParticipationQuery ranks pairs of actors by the venues (programmes,
// events, agreements) both engage in (see IsEngagementOf), as the Jaccard
// index of their venue sets. Actors are of Kinds (all actor kinds when
// empty); with Topic only venues addressing it count; with AsOf only
// engagements active then.
type CoParticipationQuery struct {
	Kinds []Kind
	Topic string
	AsOf  PartialDate
	First int
}

// Validate checks the query and fills in the default page size.
func (q *CoParticipationQuery) Validate() error {
	if err := validateKinds(q.Kinds); err != nil {
		return err
	}
	for _, k := range q.Kinds {
		if !k.IsActor() {
			return Errorf(EINVALID, "kind %s cannot take part in venues; use Country, Organization or Person", k)
		}
	}
	if q.Topic != "" {
		if err := validateTopicID(q.Topic, "topic"); err != nil {
			return err
		}
	}
	return validatePageSize(&q.First, "first")
}

// Scope is the relation scope of the engagements counted: concerning the
// topic (for an engagement, that is its venue addressing it) and active at
// AsOf.
func (q *CoParticipationQuery) Scope() Scope {
	return Scope{Topics: optionalList(q.Topic), AsOf: q.AsOf}
}

// ActorKinds returns the kinds of actor the query pairs.
func (q *CoParticipationQuery) ActorKinds() []Kind {
	if len(q.Kinds) == 0 {
		return []Kind{KindCountry, KindOrganization, KindPerson}
	}
	return q.Kinds
}

// CoParticipation is a pair of actors and the venues they share.
type CoParticipation struct {
	A, B    *Node   // A.ID < B.ID
	Shared  []*Node // venues both engage in, ordered by ID; never empty
	VenuesA int     // how many venues A engages in
	VenuesB int     // how many venues B engages in
}

// Jaccard is |shared| / |venues of A ∪ venues of B|.
func (c *CoParticipation) Jaccard() float64 {
	union := c.VenuesA + c.VenuesB - len(c.Shared)
	return float64(len(c.Shared)) / float64(union)
}

// Engagement is an actor taking part in a venue (see IsEngagementOf).
type Engagement struct {
	Actor, Venue *Node
}

// PairCoParticipants turns engagements into the pairs of actors that share
// at least one venue (an actor engaged in a venue several times counts it
// once), ordered by SortCoParticipation and cut to the first `first`. Both
// stores collect engagements their own way and pair them here, so they
// count and order alike.
//
// Pairs come from each venue's list of actors, never from all pairs of
// actors: for each actor in ID order, a counter per actor adds up the
// venues it shares with the actors after it, and only the best `first`
// pairs are kept while counting. The cost is the sum over venues of their
// actors squared, the memory the actors and engagements. ctx is checked
// once per actor.
func PairCoParticipants(ctx context.Context, engagements []Engagement, first int) ([]*CoParticipation, error) {
	if first < 1 {
		return nil, ctx.Err()
	}
	// Actors and venues are numbered in ID order, so comparing numbers
	// compares IDs and each actor's venue list comes out ordered by ID.
	actorIndex, actors := numberNodes(engagements, func(e Engagement) *Node { return e.Actor })
	venueIndex, venues := numberNodes(engagements, func(e Engagement) *Node { return e.Venue })
	venuesOf := make([][]int32, len(actors))
	membersOf := make([][]int32, len(venues))
	for _, e := range engagements {
		a, v := actorIndex[e.Actor.ID], venueIndex[e.Venue.ID]
		venuesOf[a] = append(venuesOf[a], v)
		membersOf[v] = append(membersOf[v], a)
	}
	for i := range venuesOf {
		slices.Sort(venuesOf[i])
		venuesOf[i] = slices.Compact(venuesOf[i])
	}
	for i := range membersOf {
		slices.Sort(membersOf[i])
		membersOf[i] = slices.Compact(membersOf[i])
	}

	type pair struct{ a, b, shared int32 }
	jaccard := func(p pair) float64 {
		union := len(venuesOf[p.a]) + len(venuesOf[p.b]) - int(p.shared)
		return float64(p.shared) / float64(union) // as CoParticipation.Jaccard
	}
	// better orders as SortCoParticipation does.
	better := func(x, y pair) int {
		if c := cmp.Compare(jaccard(y), jaccard(x)); c != 0 {
			return c
		}
		if c := cmp.Compare(y.shared, x.shared); c != 0 {
			return c
		}
		if c := cmp.Compare(x.a, y.a); c != 0 {
			return c
		}
		return cmp.Compare(x.b, y.b)
	}
	// best holds the best pairs so far, cut back to `first` whenever it
	// reaches twice that; after a cut, a pair no better than the last kept
	// one can never make the page and is not kept.
	var best []pair
	var worst *pair
	shared := make([]int32, len(actors))
	var touched []int32
	for a := range int32(len(actors)) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for _, v := range venuesOf[a] {
			members := membersOf[v]
			after, _ := slices.BinarySearch(members, a+1)
			for _, b := range members[after:] {
				if shared[b] == 0 {
					touched = append(touched, b)
				}
				shared[b]++
			}
		}
		for _, b := range touched {
			if p := (pair{a, b, shared[b]}); worst == nil || better(p, *worst) < 0 {
				best = append(best, p)
			}
			shared[b] = 0
		}
		touched = touched[:0]
		if len(best) >= 2*max(first, 1) {
			slices.SortFunc(best, better)
			best = best[:first]
			worst = &pair{}
			*worst = best[first-1]
		}
	}
	slices.SortFunc(best, better)
	best = best[:min(len(best), first)]

	out := make([]*CoParticipation, len(best))
	for i, p := range best {
		c := &CoParticipation{A: actors[p.a], B: actors[p.b],
			VenuesA: len(venuesOf[p.a]), VenuesB: len(venuesOf[p.b])}
		for _, v := range venuesOf[p.a] {
			if _, ok := slices.BinarySearch(venuesOf[p.b], v); ok {
				c.Shared = append(c.Shared, venues[v])
			}
		}
		out[i] = c
	}
	return out, nil
}

// numberNodes numbers the distinct nodes node(e) picks from engagements in
// ID order.
func numberNodes(engagements []Engagement, node func(Engagement) *Node) (map[string]int32, []*Node) {
	index := map[string]int32{}
	var nodes []*Node
	for _, e := range engagements {
		n := node(e)
		if _, ok := index[n.ID]; !ok {
			index[n.ID] = 0
			nodes = append(nodes, n)
		}
	}
	SortNodes(nodes)
	for i, n := range nodes {
		index[n.ID] = int32(i)
	}
	return index, nodes
}

// SortCoParticipation orders pairs by Jaccard index, highest first, then
// by the number of shared venues, then by A's and B's IDs.
func SortCoParticipation(ps []*CoParticipation) {
	slices.SortFunc(ps, func(a, b *CoParticipation) int {
		if c := cmp.Compare(b.Jaccard(), a.Jaccard()); c != 0 {
			return c
		}
		if c := cmp.Compare(len(b.Shared), len(a.Shared)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.A.ID, b.A.ID); c != 0 {
			return c
		}
		return cmp.Compare(a.B.ID, b.B.ID)
	})
}

// TimelineQuery asks for dated facts in date order: the start and the end
// of every dated relation and the start of every dated event — touching
// Actor when set (its relations, the events it is related to, and itself
// when it is an event) — whose
// date falls between From and To (inclusive, each read as the widest day
// it can mean; open when empty).
type TimelineQuery struct {
	Actor string
	From  PartialDate
	To    PartialDate
	First int
}

// Validate checks the query and fills in the default page size.
func (q *TimelineQuery) Validate() error {
	if q.Actor != "" {
		if _, _, err := ParseID(q.Actor); err != nil {
			return err
		}
	}
	if q.From != "" && q.To != "" && q.To.Latest() < q.From.Earliest() {
		return Errorf(EINVALID, "to %s is before from %s", q.To, q.From)
	}
	return validatePageSize(&q.First, "first")
}

// Includes reports whether date d falls within the query's From and To.
func (q *TimelineQuery) Includes(d PartialDate) bool {
	if q.From != "" && d.Latest() < q.From.Earliest() {
		return false
	}
	if q.To != "" && d.Earliest() > q.To.Latest() {
		return false
	}
	return true
}

// TimelineKind says what a timeline entry marks.
type TimelineKind string

// The timeline entry kinds.
const (
	TimelineStarted TimelineKind = "STARTED" // a relation began
	TimelineEnded   TimelineKind = "ENDED"   // a relation ended
	TimelineEvent   TimelineKind = "EVENT"   // an event took place
)

// TimelineEntry is one dated fact: a relation starting or ending, or an event.
type TimelineEntry struct {
	Date     PartialDate
	Kind     TimelineKind
	Relation *Relation // for STARTED and ENDED
	Node     *Node     // for EVENT: the event
}

func (e *TimelineEntry) id() string {
	if e.Relation != nil {
		return e.Relation.ID
	}
	return e.Node.ID
}

var timelineKindOrder = map[TimelineKind]int{TimelineEnded: 0, TimelineEvent: 1, TimelineStarted: 2}

// SortTimeline orders entries by date (earliest day, then the more precise
// date first), then ENDED before EVENT before STARTED, then by relation or
// node ID.
func SortTimeline(es []*TimelineEntry) {
	slices.SortFunc(es, func(a, b *TimelineEntry) int {
		if c := cmp.Compare(a.Date.Earliest(), b.Date.Earliest()); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Date.Latest(), b.Date.Latest()); c != 0 {
			return c
		}
		if c := cmp.Compare(timelineKindOrder[a.Kind], timelineKindOrder[b.Kind]); c != 0 {
			return c
		}
		return cmp.Compare(a.id(), b.id())
	})
}

// NamedIDs: see NeighborhoodQuery.NamedIDs.
func (q *CommonConnectionsQuery) NamedIDs() []string { return q.IDs }

// NamedIDs: see NeighborhoodQuery.NamedIDs.
func (q *CoParticipationQuery) NamedIDs() []string { return optionalList(q.Topic) }

// NamedIDs: see NeighborhoodQuery.NamedIDs.
func (q *TimelineQuery) NamedIDs() []string { return optionalList(q.Actor) }
