package export

import (
	"encoding/json"
	"io"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// NodeData is a node's fields in the JSON formats; empty fields are left out.
type NodeData struct {
	ID          string   `json:"id,omitempty"` // cytoscape only; graphology keys nodes outside the attributes
	Label       string   `json:"label"`
	Kind        string   `json:"kind"`
	OrgType     string   `json:"orgType,omitempty"`
	ISOCode     string   `json:"isoCode,omitempty"`
	Title       string   `json:"title,omitempty"`
	Scope       string   `json:"scope,omitempty"`
	Budget      string   `json:"budget,omitempty"`
	Location    string   `json:"location,omitempty"`
	Status      string   `json:"status,omitempty"`
	Start       string   `json:"start,omitempty"`
	End         string   `json:"end,omitempty"`
	URL         string   `json:"url,omitempty"`
	Publisher   string   `json:"publisher,omitempty"`
	Aliases     []string `json:"aliases,omitempty"`
	Description string   `json:"description,omitempty"`
}

// EdgeData is an edge's fields in the JSON formats: a relation's, or a
// statement's drawn from its speaker to one node it is about. Kind says
// which ("relation" or "statement"); a statement edge has type STATEMENT,
// its stance, date, event and onBehalfOf, and its quote as its one piece of
// evidence. Label repeats the type (and a statement's stance) because both
// Cytoscape.js and sigma draw "label" without configuration.
type EdgeData struct {
	ID         string         `json:"id,omitempty"`     // cytoscape only
	Source     string         `json:"source,omitempty"` // cytoscape only
	Target     string         `json:"target,omitempty"` // cytoscape only
	Kind       string         `json:"kind"`
	Type       string         `json:"type"`
	Label      string         `json:"label"`
	Role       string         `json:"role,omitempty"`
	Status     string         `json:"status,omitempty"`
	Start      string         `json:"start,omitempty"`
	End        string         `json:"end,omitempty"`
	Confidence string         `json:"confidence"`
	Undated    bool           `json:"undated"`
	Note       string         `json:"note,omitempty"`
	Evidence   []EvidenceData `json:"evidence"`
	// A statement's own fields.
	Statement  string `json:"statement,omitempty"` // its ID
	Stance     string `json:"stance,omitempty"`
	Date       string `json:"date,omitempty"`
	Event      string `json:"event,omitempty"`
	OnBehalfOf string `json:"onBehalfOf,omitempty"`
}

// EvidenceData is one piece of evidence; URL is the source's, when it has one.
type EvidenceData struct {
	Source string `json:"source"`
	Quote  string `json:"quote"`
	URL    string `json:"url,omitempty"`
}

func nodeData(n *domain.Node) NodeData {
	return NodeData{
		Label: n.Label(), Kind: string(n.Kind), OrgType: string(n.OrgType), ISOCode: n.ISOCode,
		Title: n.Title, Scope: n.Scope, Budget: n.Budget, Location: n.Location, Status: n.Status,
		Start: string(n.Start), End: string(n.End), URL: n.URL, Publisher: n.Publisher,
		Aliases: n.Aliases, Description: n.Description,
	}
}

func (d *Data) evidenceData(ev []domain.Evidence) []EvidenceData {
	out := make([]EvidenceData, len(ev))
	for i, e := range ev {
		out[i] = EvidenceData{Source: e.SourceID, Quote: e.Quote, URL: d.sourceURL(e.SourceID)}
	}
	return out
}

func (d *Data) edgeData(r *domain.Relation) EdgeData {
	return EdgeData{
		Kind: EdgeKindRelation, Type: string(r.Type), Label: string(r.Type), Role: r.Role, Status: r.Status,
		Start: string(r.Start), End: string(r.End), Confidence: string(r.Confidence),
		Undated: r.Undated(), Note: r.Note, Evidence: d.evidenceData(r.Evidence),
	}
}

// statementEdgeData is a statement edge's fields; undated as for a
// relation: without a date it counts at every asOf.
func (d *Data) statementEdgeData(se StatementEdge) EdgeData {
	st := se.Statement
	return EdgeData{
		Kind: EdgeKindStatement, Type: StatementEdgeType, Label: StatementEdgeType + " " + string(st.Stance),
		Confidence: string(st.Confidence), Undated: st.Date == "", Note: st.Note,
		Evidence:  d.evidenceData([]domain.Evidence{st.Evidence}),
		Statement: st.ID, Stance: string(st.Stance), Date: string(st.Date), Event: st.Event, OnBehalfOf: st.OnBehalfOf,
	}
}

// Cytoscape is a whole Cytoscape.js document, the shape cy.json() returns
// (graph data plus elements grouped into nodes and edges), not a bare
// elements array: cy.json(doc) loads it into a Cytoscape.js instance, and
// Cytoscape desktop imports it as a .cyjs network file.
type Cytoscape struct {
	Data     map[string]string `json:"data"`
	Elements struct {
		Nodes []CytoscapeElement[NodeData] `json:"nodes"`
		Edges []CytoscapeElement[EdgeData] `json:"edges"`
	} `json:"elements"`
}

// CytoscapeElement wraps an element's data, as Cytoscape.js expects.
type CytoscapeElement[T any] struct {
	Data T `json:"data"`
}

// WriteCytoscape writes d as a Cytoscape.js JSON document: the relations,
// then the statement edges (see EdgeData), all in elements.edges, so
// cy.json(doc) loads both and a selector such as edge[kind = "statement"]
// tells them apart.
func WriteCytoscape(w io.Writer, d *Data) error {
	var doc Cytoscape
	doc.Data = map[string]string{"name": d.Title}
	doc.Elements.Nodes = make([]CytoscapeElement[NodeData], len(d.Nodes))
	for i, n := range d.Nodes {
		nd := nodeData(n)
		nd.ID = n.ID
		doc.Elements.Nodes[i].Data = nd
	}
	doc.Elements.Edges = make([]CytoscapeElement[EdgeData], 0, len(d.Relations))
	for _, r := range d.Relations {
		ed := d.edgeData(r)
		ed.ID, ed.Source, ed.Target = r.ID, r.From, r.To
		doc.Elements.Edges = append(doc.Elements.Edges, CytoscapeElement[EdgeData]{ed})
	}
	for _, se := range d.StatementEdges() {
		ed := d.statementEdgeData(se)
		ed.ID, ed.Source, ed.Target = se.ID, se.Statement.Speaker, se.Target
		doc.Elements.Edges = append(doc.Elements.Edges, CytoscapeElement[EdgeData]{ed})
	}
	return writeJSON(w, doc)
}

// Graphology is graphology's serialized graph: graph.import(doc) or
// Graph.from(doc) rebuilds it.
type Graphology struct {
	Attributes map[string]string `json:"attributes"`
	Options    GraphologyOptions `json:"options"`
	Nodes      []GraphologyNode  `json:"nodes"`
	Edges      []GraphologyEdge  `json:"edges"`
}

// GraphologyOptions declares the graph type: directed, with parallel edges
// (two relations of different types may join the same pair), no self loops
// (the domain forbids them).
type GraphologyOptions struct {
	Type           string `json:"type"`
	Multi          bool   `json:"multi"`
	AllowSelfLoops bool   `json:"allowSelfLoops"`
}

// GraphologyNode is one serialized node.
type GraphologyNode struct {
	Key        string   `json:"key"`
	Attributes NodeData `json:"attributes"`
}

// GraphologyEdge is one serialized edge.
type GraphologyEdge struct {
	Key        string   `json:"key"`
	Source     string   `json:"source"`
	Target     string   `json:"target"`
	Attributes EdgeData `json:"attributes"`
}

// WriteGraphology writes d as a graphology serialized graph: the relations,
// then the statement edges (see EdgeData), keyed by their IDs.
func WriteGraphology(w io.Writer, d *Data) error {
	doc := Graphology{
		Attributes: map[string]string{"name": d.Title},
		Options:    GraphologyOptions{Type: "directed", Multi: true, AllowSelfLoops: false},
		Nodes:      make([]GraphologyNode, len(d.Nodes)),
		Edges:      make([]GraphologyEdge, 0, len(d.Relations)),
	}
	for i, n := range d.Nodes {
		doc.Nodes[i] = GraphologyNode{Key: n.ID, Attributes: nodeData(n)}
	}
	for _, r := range d.Relations {
		doc.Edges = append(doc.Edges, GraphologyEdge{Key: r.ID, Source: r.From, Target: r.To, Attributes: d.edgeData(r)})
	}
	for _, se := range d.StatementEdges() {
		doc.Edges = append(doc.Edges, GraphologyEdge{Key: se.ID, Source: se.Statement.Speaker, Target: se.Target, Attributes: d.statementEdgeData(se)})
	}
	return writeJSON(w, doc)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // quotes hold "&" and "<"; keep them readable
	return enc.Encode(v)
}
