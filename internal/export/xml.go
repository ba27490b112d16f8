package export

import (
	"encoding/xml"
	"io"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// XML namespaces and schema locations of the two XML formats.
const (
	GEXFNamespace     = "http://gexf.net/1.3"
	GEXFVersion       = "1.3"
	gexfSchema        = "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd"
	GraphMLNamespace  = "http://graphml.graphdrawing.org/xmlns"
	graphMLSchema     = "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"
	xmlSchemaInstance = "http://www.w3.org/2001/XMLSchema-instance"
	creator           = "stakegraph"
)

type gexfDoc struct {
	XMLName        xml.Name  `xml:"gexf"`
	XMLNS          string    `xml:"xmlns,attr"`
	XSI            string    `xml:"xmlns:xsi,attr"`
	SchemaLocation string    `xml:"xsi:schemaLocation,attr"`
	Version        string    `xml:"version,attr"`
	Meta           gexfMeta  `xml:"meta"`
	Graph          gexfGraph `xml:"graph"`
}

type gexfMeta struct {
	Creator     string `xml:"creator"`
	Description string `xml:"description"`
}

type gexfGraph struct {
	Mode            string           `xml:"mode,attr"`
	DefaultEdgeType string           `xml:"defaultedgetype,attr"`
	TimeFormat      string           `xml:"timeformat,attr"`
	Attributes      []gexfAttributes `xml:"attributes"`
	Nodes           []gexfNode       `xml:"nodes>node"`
	Edges           []gexfEdge       `xml:"edges>edge"`
}

type gexfAttributes struct {
	Class      string          `xml:"class,attr"`
	Mode       string          `xml:"mode,attr"`
	Attributes []gexfAttribute `xml:"attribute"`
}

type gexfAttribute struct {
	ID    string `xml:"id,attr"`
	Title string `xml:"title,attr"`
	Type  string `xml:"type,attr"`
}

type gexfNode struct {
	ID        string         `xml:"id,attr"`
	Label     string         `xml:"label,attr"`
	AttValues *gexfAttValues `xml:"attvalues"`
}

type gexfEdge struct {
	ID     string `xml:"id,attr"`
	Source string `xml:"source,attr"`
	Target string `xml:"target,attr"`
	Label  string `xml:"label,attr"`
	// Kind tells Gephi that two relations of different types between the
	// same pair are different edges, not one edge to merge.
	Kind      string         `xml:"kind,attr"`
	AttValues *gexfAttValues `xml:"attvalues"`
	Spells    *gexfSpells    `xml:"spells"`
}

// gexfAttValues and gexfSpells are pointers in their parents so that an
// empty list leaves out the element: GEXF wants at least one child in each.
type gexfAttValues struct {
	Values []gexfAttValue `xml:"attvalue"`
}

type gexfSpells struct {
	Spells []gexfSpell `xml:"spell"`
}

type gexfAttValue struct {
	For   string `xml:"for,attr"`
	Value string `xml:"value,attr"`
}

type gexfSpell struct {
	Start string `xml:"start,attr,omitempty"`
	End   string `xml:"end,attr,omitempty"`
}

// relationSpells gives a dated relation its time span on Gephi's timeline:
// the days on which asOf counts it (domain.Relation.ActiveDays). GEXF spell
// ends are inclusive, so a relation ending 2023-10-26 — the day its
// successor holds — ends 2023-10-25 in the file. An undated relation has no
// spell and exists at every time. One that ends the day it starts, and so
// holds on no day, is shown on that day rather than given a spell that
// ends before it starts, which Gephi refuses.
func relationSpells(r *domain.Relation) *gexfSpells {
	if r.Undated() {
		return nil
	}
	first, last := r.ActiveDays()
	if first != "" && last != "" && last < first {
		last = first
	}
	return &gexfSpells{[]gexfSpell{{Start: first, End: last}}}
}

func gexfDeclarations[T any](class string, attrs []attr[T]) gexfAttributes {
	decl := gexfAttributes{Class: class, Mode: "static"}
	for _, a := range attrs {
		decl.Attributes = append(decl.Attributes, gexfAttribute{ID: a.name, Title: a.name, Type: a.typ})
	}
	return decl
}

// attValues lists the non-empty values of v's attributes; an empty value
// is a missing one, which GEXF and GraphML both express by omission.
func attValues[T any](attrs []attr[T], v T, d *Data) *gexfAttValues {
	var out []gexfAttValue
	for _, a := range attrs {
		if s := a.get(v, d); s != "" {
			out = append(out, gexfAttValue{For: a.name, Value: s})
		}
	}
	if len(out) == 0 {
		return nil
	}
	return &gexfAttValues{out}
}

// statementSpells gives a dated statement edge its time span: from the
// first day its date can mean, open-ended, as a statement counts at every
// asOf on or after it is made (domain.Statement.MadeBy). An undated one has
// no spell.
func statementSpells(st *domain.Statement) *gexfSpells {
	if st.Date == "" {
		return nil
	}
	return &gexfSpells{[]gexfSpell{{Start: st.Date.Earliest()}}}
}

// WriteGEXF writes d as a GEXF 1.3 dynamic graph: attributes declared up
// front and given per node and edge, relation dates as spells, so that
// Gephi's timeline on a day shows what asOf shows for that day. Statement
// edges follow the relations, with type and kind STATEMENT and a spell from
// their date on.
func WriteGEXF(w io.Writer, d *Data) error {
	doc := gexfDoc{
		XMLNS: GEXFNamespace, XSI: xmlSchemaInstance, SchemaLocation: gexfSchema, Version: GEXFVersion,
		Meta: gexfMeta{Creator: creator, Description: d.Title},
		Graph: gexfGraph{
			Mode: "dynamic", DefaultEdgeType: "directed", TimeFormat: "date",
			Attributes: []gexfAttributes{gexfDeclarations("node", nodeAttrs), gexfDeclarations("edge", edgeAttrs)},
			Nodes:      make([]gexfNode, len(d.Nodes)),
			Edges:      make([]gexfEdge, 0, len(d.Relations)),
		},
	}
	for i, n := range d.Nodes {
		// No spells on nodes: asOf dates relations only, so a node is in the
		// graph at every date (its own dates are its start and end attributes).
		doc.Graph.Nodes[i] = gexfNode{ID: n.ID, Label: n.Label(), AttValues: attValues(nodeAttrs, n, d)}
	}
	for _, e := range d.edges() {
		ge := gexfEdge{Source: e.source(), Target: e.target(), AttValues: attValues(edgeAttrs, e, d)}
		if e.rel != nil {
			ge.ID, ge.Label, ge.Kind, ge.Spells = e.rel.ID, string(e.rel.Type), string(e.rel.Type), relationSpells(e.rel)
		} else {
			st := e.st.Statement
			ge.ID, ge.Label, ge.Kind, ge.Spells = e.st.ID, StatementEdgeType+" "+string(st.Stance), StatementEdgeType, statementSpells(st)
		}
		doc.Graph.Edges = append(doc.Graph.Edges, ge)
	}
	return writeXML(w, doc)
}

type graphMLDoc struct {
	XMLName        xml.Name     `xml:"graphml"`
	XMLNS          string       `xml:"xmlns,attr"`
	XSI            string       `xml:"xmlns:xsi,attr"`
	SchemaLocation string       `xml:"xsi:schemaLocation,attr"`
	Keys           []graphMLKey `xml:"key"`
	Graph          graphMLGraph `xml:"graph"`
}

type graphMLKey struct {
	ID       string `xml:"id,attr"`
	For      string `xml:"for,attr"`
	AttrName string `xml:"attr.name,attr"`
	AttrType string `xml:"attr.type,attr"`
}

type graphMLGraph struct {
	ID          string        `xml:"id,attr"`
	EdgeDefault string        `xml:"edgedefault,attr"`
	Data        []graphMLData `xml:"data"`
	Nodes       []graphMLNode `xml:"node"`
	Edges       []graphMLEdge `xml:"edge"`
}

type graphMLNode struct {
	ID   string        `xml:"id,attr"`
	Data []graphMLData `xml:"data"`
}

type graphMLEdge struct {
	ID     string        `xml:"id,attr"`
	Source string        `xml:"source,attr"`
	Target string        `xml:"target,attr"`
	Data   []graphMLData `xml:"data"`
}

type graphMLData struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

// GraphML key IDs: the attribute name prefixed by what it belongs to, since
// a node and an edge both have a status, a start and an end.
func graphMLKeyID(class, name string) string { return class[:1] + "_" + name }

func graphMLKeys[T any](class string, attrs []attr[T]) []graphMLKey {
	var keys []graphMLKey
	for _, a := range attrs {
		keys = append(keys, graphMLKey{ID: graphMLKeyID(class, a.name), For: class, AttrName: a.name, AttrType: a.typ})
	}
	return keys
}

func graphMLValues[T any](class string, attrs []attr[T], v T, d *Data) []graphMLData {
	var out []graphMLData
	for _, a := range attrs {
		if s := a.get(v, d); s != "" {
			out = append(out, graphMLData{Key: graphMLKeyID(class, a.name), Value: s})
		}
	}
	return out
}

// labelAttr leads the node attributes in GraphML, which has no built-in label.
var labelAttr = attr[*domain.Node]{"label", "string", func(n *domain.Node, _ *Data) string { return n.Label() }}

// relationIDAttr leads the edge attributes in GraphML: an edge's id is the
// relation's token ID (GraphML wants an xs:NMTOKEN, which a relation ID such
// as country:spain|FUNDS|programme:seacop is not), so the stakegraph ID is
// kept as data. Node IDs (kind:slug) are NMTOKENs as they are.
var relationIDAttr = attr[edge]{"relationId", "string", onRelation(func(r *domain.Relation, _ *Data) string { return r.ID })}

// WriteGraphML writes d as a directed GraphML graph with a declared key per
// attribute and an ID on every edge: the relation's token ID (see
// RelationTokenID), with the stakegraph ID in the relationId attribute.
// Statement edges follow the relations: their ID is StatementTokenID, the
// statement's ID is their statementId attribute.
func WriteGraphML(w io.Writer, d *Data) error {
	nodeKeys := append([]attr[*domain.Node]{labelAttr}, nodeAttrs...)
	edgeKeys := append([]attr[edge]{relationIDAttr}, edgeAttrs...)
	doc := graphMLDoc{
		XMLNS: GraphMLNamespace, XSI: xmlSchemaInstance, SchemaLocation: graphMLSchema,
		Keys: append(append(
			[]graphMLKey{{ID: "g_name", For: "graph", AttrName: "name", AttrType: "string"}},
			graphMLKeys("node", nodeKeys)...),
			graphMLKeys("edge", edgeKeys)...),
		Graph: graphMLGraph{
			ID: "stakegraph", EdgeDefault: "directed",
			Data:  []graphMLData{{Key: "g_name", Value: d.Title}},
			Nodes: make([]graphMLNode, len(d.Nodes)),
			Edges: make([]graphMLEdge, 0, len(d.Relations)),
		},
	}
	for i, n := range d.Nodes {
		doc.Graph.Nodes[i] = graphMLNode{ID: n.ID, Data: graphMLValues("node", nodeKeys, n, d)}
	}
	for _, e := range d.edges() {
		var id string
		if e.rel != nil {
			id = RelationTokenID(e.rel.ID)
		} else {
			id = StatementTokenID(e.st.Statement.ID, e.st.Target)
		}
		doc.Graph.Edges = append(doc.Graph.Edges, graphMLEdge{ID: id, Source: e.source(), Target: e.target(), Data: graphMLValues("edge", edgeKeys, e, d)})
	}
	return writeXML(w, doc)
}

func writeXML(w io.Writer, doc any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
