// Package model holds the Go types the GraphQL schema is bound to (see
// gqlgen.yml). They are thin views over internal/domain values: each
// stakeholder kind gets its own type so GraphQL can tell them apart, and
// optional text is exposed as *string so that unknown values read as null
// rather than "".
package model

import (
	"github.com/stakegraph/stakegraph/internal/domain"
)

// Stakeholder is implemented by one type per node kind. It backs both the
// Node and the Stakeholder GraphQL interfaces.
type Stakeholder interface {
	// DomainNode returns the node the value shows.
	DomainNode() *domain.Node
}

// Wrap returns the GraphQL view of n for its kind, or nil for a nil node or
// a kind the schema does not know.
func Wrap(n *domain.Node) Stakeholder {
	if n == nil {
		return nil
	}
	e := entity{n}
	switch n.Kind {
	case domain.KindCountry:
		return &Country{e}
	case domain.KindOrganization:
		return &Organization{e}
	case domain.KindPerson:
		return &Person{e}
	case domain.KindProgramme:
		return &Programme{e}
	case domain.KindTopic:
		return &Topic{e}
	case domain.KindEvent:
		return &Event{e}
	case domain.KindAgreement:
		return &Agreement{e}
	case domain.KindSource:
		return &Source{e}
	}
	return nil
}

// entity holds the fields every kind shows.
type entity struct{ node *domain.Node }

// DomainNode returns the underlying node.
func (e entity) DomainNode() *domain.Node { return e.node }

// ID is the node's global ID.
func (e entity) ID() string { return e.node.ID }

// Kind is the node's kind.
func (e entity) Kind() domain.Kind { return e.node.Kind }

// Name is the display name.
func (e entity) Name() string { return e.node.Name }

// Aliases never returns nil, so the non-null list reads as [].
func (e entity) Aliases() []string {
	if e.node.Aliases == nil {
		return []string{}
	}
	return e.node.Aliases
}

// Description is null when unknown.
func (e entity) Description() *string { return optional(e.node.Description) }

// Start is when the node began, for the kinds without a meaning of their
// own for it (Programme, Event and Agreement say what theirs is).
func (e entity) Start() domain.PartialDate { return e.node.Start }

// End is when the node ended.
func (e entity) End() domain.PartialDate { return e.node.End }

// Country is the GraphQL view of a country node.
type Country struct{ entity }

// IsoCode is the ISO 3166-1 alpha-2 code, null when unknown.
func (c *Country) IsoCode() *string { return optional(c.node.ISOCode) }

// Organization is the GraphQL view of an organization node.
type Organization struct{ entity }

// OrgType is the organization type.
func (o *Organization) OrgType() domain.OrgType { return o.node.OrgType }

// Person is the GraphQL view of a person node.
type Person struct{ entity }

// Title is the person's title, null when unknown.
func (p *Person) Title() *string { return optional(p.node.Title) }

// Programme is the GraphQL view of a programme node.
type Programme struct{ entity }

// Scope is the programme's reach, null when unknown.
func (p *Programme) Scope() *string { return optional(p.node.Scope) }

// Budget is the budget as stated, null when unknown.
func (p *Programme) Budget() *string { return optional(p.node.Budget) }

// Start is when the programme started.
func (p *Programme) Start() domain.PartialDate { return p.node.Start }

// End is when the programme ended or ends.
func (p *Programme) End() domain.PartialDate { return p.node.End }

// Topic is the GraphQL view of a topic node.
type Topic struct{ entity }

// Event is the GraphQL view of an event node.
type Event struct{ entity }

// Location is where the event took place, null when unknown.
func (e *Event) Location() *string { return optional(e.node.Location) }

// Start is when the event started.
func (e *Event) Start() domain.PartialDate { return e.node.Start }

// End is when the event ended.
func (e *Event) End() domain.PartialDate { return e.node.End }

// Agreement is the GraphQL view of an agreement node.
type Agreement struct{ entity }

// Status is the latest known status, null when unknown.
func (a *Agreement) Status() *string { return optional(a.node.Status) }

// Start is when the agreement was signed or took effect.
func (a *Agreement) Start() domain.PartialDate { return a.node.Start }

// End is when the agreement ended.
func (a *Agreement) End() domain.PartialDate { return a.node.End }

// Source is the GraphQL view of a source node.
type Source struct{ entity }

// URL is where the source can be read, null when unknown.
func (s *Source) URL() *string { return optional(s.node.URL) }

// Publisher is who published the source, null when unknown.
func (s *Source) Publisher() *string { return optional(s.node.Publisher) }

// Published is when the source was published (the node's start).
func (s *Source) Published() domain.PartialDate { return s.node.Start }

// Language is the BCP 47 tag of the source's text, null when unknown.
func (s *Source) Language() *string { return optional(s.node.Language) }

// Edge is the GraphQL GraphEdge: a relation as a directed edge between two
// node IDs.
type Edge struct {
	rel    *domain.Relation
	weight *int // derived edges only (discourseNetwork)
}

// NewEdge returns the edge view of r.
func NewEdge(r *domain.Relation) *Edge { return &Edge{rel: r} }

// Weight is a derived edge's weight, null for stated relations.
func (e Edge) Weight() *int { return e.weight }

// NewEdges returns the edge views of rs, in order.
func NewEdges(rs []*domain.Relation) []*Edge {
	out := make([]*Edge, len(rs))
	for i, r := range rs {
		out[i] = NewEdge(r)
	}
	return out
}

// DomainRelation returns the underlying relation.
func (e Edge) DomainRelation() *domain.Relation { return e.rel }

// ID is the relation's ID.
func (e Edge) ID() string { return e.rel.ID }

// Type is the relation's type.
func (e Edge) Type() domain.RelationType { return e.rel.Type }

// Source is the ID of the node the relation starts from.
func (e Edge) Source() string { return e.rel.From }

// Target is the ID of the node the relation points to.
func (e Edge) Target() string { return e.rel.To }

// Role is the role held in the relation, null when none.
func (e Edge) Role() *string { return optional(e.rel.Role) }

// Status is the relation's status, null when none.
func (e Edge) Status() *string { return optional(e.rel.Status) }

// Start is when the relation began.
func (e Edge) Start() domain.PartialDate { return e.rel.Start }

// End is when the relation ended.
func (e Edge) End() domain.PartialDate { return e.rel.End }

// Confidence is how sure the dataset is of the relation.
func (e Edge) Confidence() domain.Confidence { return e.rel.Confidence }

// Undated reports whether the relation has neither start nor end.
func (e Edge) Undated() bool { return e.rel.Undated() }

// Note is the dataset's note on the relation, null when none.
func (e Edge) Note() *string { return optional(e.rel.Note) }

// Evidence never returns nil, so the non-null list reads as [].
func (e Edge) Evidence() []domain.Evidence {
	if e.rel.Evidence == nil {
		return []domain.Evidence{}
	}
	return e.rel.Evidence
}

// Relation is a relation seen from one of its ends: Node is the other end.
type Relation struct {
	Edge
	Direction domain.Direction
	Node      Stakeholder
}

// NewRelation returns r as seen from the node with ID self; other is the
// node at the other end.
func NewRelation(r *domain.Relation, self string, other *domain.Node) *Relation {
	dir := domain.DirectionOut
	if r.From != self {
		dir = domain.DirectionIn
	}
	return &Relation{Edge: Edge{rel: r}, Direction: dir, Node: Wrap(other)}
}

// GraphNode is a node for drawing.
type GraphNode struct{ entity }

// NewGraphNodes returns the drawing views of ns, in order.
func NewGraphNodes(ns []*domain.Node) []*GraphNode {
	out := make([]*GraphNode, len(ns))
	for i, n := range ns {
		out[i] = &GraphNode{entity{n}}
	}
	return out
}

// Label is the display name.
func (g *GraphNode) Label() string { return g.node.Label() }

// OrgType is the organization type, null for other kinds.
func (g *GraphNode) OrgType() *domain.OrgType {
	if g.node.OrgType == "" {
		return nil
	}
	t := g.node.OrgType
	return &t
}

// Stakeholder is the full node.
func (g *GraphNode) Stakeholder() Stakeholder { return Wrap(g.node) }

// Subgraph is nodes and the edges among them.
type Subgraph struct {
	Nodes     []*GraphNode
	Edges     []*Edge
	Truncated bool
	Capped    []string
	FanOutCap int
}

// NewSubgraph returns the drawing view of s.
func NewSubgraph(s *domain.Subgraph) *Subgraph {
	if s == nil {
		return &Subgraph{Nodes: []*GraphNode{}, Edges: []*Edge{}, Capped: []string{}, FanOutCap: domain.MaxFanOut}
	}
	capped := s.Capped
	if capped == nil {
		capped = []string{}
	}
	edges := NewEdges(s.Relations)
	for _, e := range edges {
		if w, ok := s.Weights[e.rel.ID]; ok {
			e.weight = &w
		}
	}
	return &Subgraph{Nodes: NewGraphNodes(s.Nodes), Edges: edges, Truncated: s.Truncated(), Capped: capped, FanOutCap: domain.MaxFanOut}
}

// Path is a walk between two nodes.
type Path struct {
	Length int
	Nodes  []*GraphNode
	Edges  []*Edge
	path   *domain.Path
}

// NewPaths returns the views of ps, in order.
func NewPaths(ps []*domain.Path) []*Path {
	out := make([]*Path, len(ps))
	for i, p := range ps {
		out[i] = &Path{Length: p.Length(), Nodes: NewGraphNodes(p.Nodes), Edges: NewEdges(p.Relations), path: p}
	}
	return out
}

// Hops returns the path's steps in order.
func (p *Path) Hops() []*Hop {
	hops := p.path.Hops()
	out := make([]*Hop, len(hops))
	for i, h := range hops {
		out[i] = &Hop{hop: h}
	}
	return out
}

// Sentence tells the path in one line.
func (p *Path) Sentence() string { return p.path.Sentence() }

// Hop is the GraphQL PathHop: one step of a path.
type Hop struct{ hop domain.Hop }

// From is the node the step leaves.
func (h *Hop) From() *GraphNode { return &GraphNode{entity{h.hop.From}} }

// To is the node the step reaches.
func (h *Hop) To() *GraphNode { return &GraphNode{entity{h.hop.To}} }

// Forward reports whether the step follows the relation's direction.
func (h *Hop) Forward() bool { return h.hop.Forward }

// Type is the relation's type.
func (h *Hop) Type() domain.RelationType { return h.hop.Relation.Type }

// Status is the relation's status, null when none.
func (h *Hop) Status() *string { return optional(h.hop.Relation.Status) }

// Start is when the relation began.
func (h *Hop) Start() domain.PartialDate { return h.hop.Relation.Start }

// End is when the relation ended.
func (h *Hop) End() domain.PartialDate { return h.hop.Relation.End }

// Undated reports whether the relation has neither start nor end.
func (h *Hop) Undated() bool { return h.hop.Relation.Undated() }

// Quotes are the relation's evidence quotes, in evidence order.
func (h *Hop) Quotes() []string {
	out := make([]string, len(h.hop.Relation.Evidence))
	for i, e := range h.hop.Relation.Evidence {
		out[i] = e.Quote
	}
	return out
}

// Sentence is the step as a clause.
func (h *Hop) Sentence() string { return h.hop.Sentence() }

// Edge is the relation walked.
func (h *Hop) Edge() *Edge { return NewEdge(h.hop.Relation) }

// CommonConnection is a node connecting several given nodes.
type CommonConnection struct {
	Node     Stakeholder
	Count    int
	Connects []Stakeholder
	Edges    []*Edge
}

// NewCommonConnections returns the views of cs, in order.
func NewCommonConnections(cs []*domain.CommonConnection) []*CommonConnection {
	out := make([]*CommonConnection, len(cs))
	for i, c := range cs {
		out[i] = &CommonConnection{
			Node:     Wrap(c.Node),
			Count:    len(c.Connected),
			Connects: wrapAll(c.Connected),
			Edges:    NewEdges(c.Relations),
		}
	}
	return out
}

// CoParticipation is two actors and the venues they share.
type CoParticipation struct {
	A           Stakeholder
	B           Stakeholder
	Jaccard     float64
	SharedCount int
	Shared      []Stakeholder
	VenuesA     int
	VenuesB     int
}

// NewCoParticipations returns the views of ps, in order.
func NewCoParticipations(ps []*domain.CoParticipation) []*CoParticipation {
	out := make([]*CoParticipation, len(ps))
	for i, p := range ps {
		out[i] = &CoParticipation{
			A:           Wrap(p.A),
			B:           Wrap(p.B),
			Jaccard:     p.Jaccard(),
			SharedCount: len(p.Shared),
			Shared:      wrapAll(p.Shared),
			VenuesA:     p.VenuesA,
			VenuesB:     p.VenuesB,
		}
	}
	return out
}

// TimelineEntry is one dated fact. Its sentence needs the names of the
// relation's ends, which the graph package loads.
type TimelineEntry struct{ entry *domain.TimelineEntry }

// NewTimelineEntries returns the views of es, in order.
func NewTimelineEntries(es []*domain.TimelineEntry) []*TimelineEntry {
	out := make([]*TimelineEntry, len(es))
	for i, e := range es {
		out[i] = &TimelineEntry{e}
	}
	return out
}

// DomainEntry returns the underlying entry.
func (t *TimelineEntry) DomainEntry() *domain.TimelineEntry { return t.entry }

// Date is when the fact happened.
func (t *TimelineEntry) Date() domain.PartialDate { return t.entry.Date }

// Kind says what the entry marks.
func (t *TimelineEntry) Kind() domain.TimelineKind { return t.entry.Kind }

// Edge is the relation that began or ended, null for an event.
func (t *TimelineEntry) Edge() *Edge {
	if t.entry.Relation == nil {
		return nil
	}
	return NewEdge(t.entry.Relation)
}

// Event is the event that took place, null for a relation entry.
func (t *TimelineEntry) Event() Stakeholder {
	if t.entry.Kind != domain.TimelineEvent {
		return nil
	}
	return Wrap(t.entry.Node)
}

func wrapAll(ns []*domain.Node) []Stakeholder {
	out := make([]Stakeholder, 0, len(ns))
	for _, n := range ns {
		if s := Wrap(n); s != nil {
			out = append(out, s)
		}
	}
	return out
}

// Cooperation is one partner of an actor and what they cooperate through.
type Cooperation struct {
	Partner  Stakeholder
	Via      Stakeholder
	Topics   []*Topic
	Evidence []domain.Evidence
	Edges    []*Edge
}

// NewCooperations returns the views of cs, in order. Evidence is the
// evidence of all the row's relations, in relation order, without repeats.
func NewCooperations(cs []*domain.Cooperation) []*Cooperation {
	out := make([]*Cooperation, len(cs))
	for i, c := range cs {
		row := &Cooperation{
			Partner:  Wrap(c.Partner),
			Via:      Wrap(c.Via),
			Topics:   make([]*Topic, 0, len(c.Topics)),
			Evidence: []domain.Evidence{},
			Edges:    NewEdges(c.Relations),
		}
		for _, t := range c.Topics {
			if t != nil && t.Kind == domain.KindTopic {
				row.Topics = append(row.Topics, &Topic{entity{t}})
			}
		}
		seen := map[domain.Evidence]bool{}
		for _, r := range c.Relations {
			for _, e := range r.Evidence {
				if !seen[e] {
					seen[e] = true
					row.Evidence = append(row.Evidence, e)
				}
			}
		}
		out[i] = row
	}
	return out
}

// SearchHit is one search result.
type SearchHit struct {
	Score float64
	Node  Stakeholder
}

// NewSearchHits returns the views of hs, in order.
func NewSearchHits(hs []domain.SearchHit) []*SearchHit {
	out := make([]*SearchHit, len(hs))
	for i, h := range hs {
		out[i] = &SearchHit{Score: h.Score, Node: Wrap(h.Node)}
	}
	return out
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
