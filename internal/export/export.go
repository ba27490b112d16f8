// Package export writes a selection of the graph in the file formats that
// analysts' tools read, and serves them at GET /export/{format}.
//
// The selection takes the parameters of the GraphQL neighborhood query as
// URL query parameters: root (optional; without it the whole graph), depth
// (1–3, default 1, only with root), kinds and relationTypes (repeatable or
// comma-separated, e.g. kinds=Country,Organization), topic (a topic ID) and
// asOf (YYYY, YYYY-MM or YYYY-MM-DD). Unknown parameters are refused, so a
// typo never silently exports the whole graph.
//
//	format      content type              file
//	cytoscape   application/json          a Cytoscape.js cy.json() document (.cyjs, opens in Cytoscape desktop too)
//	graphology  application/json          graphology serialized graph (.graphology.json)
//	gexf        application/gexf+xml      GEXF 1.3, dynamic: dates as spells (.gexf, for Gephi)
//	graphml     application/graphml+xml   GraphML, directed, typed keys (.graphml)
//	csv         application/zip           nodes.csv + edges.csv (+ statements.csv) in one ZIP (.csv.zip)
//	ftm         application/x-ndjson      FollowTheMoney entities, one JSON object a line (.ftm.json)
//
// Every format carries a node's kind, orgType and dates and an edge's type,
// role, status, dates, confidence, undated flag (no start and no end, so it
// counts at every asOf) and evidence: source IDs, quotes and, where the
// source has one, its URL. The download is named after the selection, e.g.
// stakegraph-country-hungary-d2.gexf or stakegraph-graph.graphml.
//
// Every format carries the selection's statements (see Data.Statements),
// the graph formats as one edge per selected node a statement is about,
// from its speaker (StatementEdges):
//
//	cytoscape   edges after the relations: data kind "statement", type STATEMENT,
//	graphology  statement (its ID), stance, date, event, onBehalfOf, evidence (the quote)
//	gexf        edges of kind STATEMENT, attributes statementId, stance, date, event,
//	            onBehalfOf; a spell from the date on
//	graphml     edges with ID StatementTokenID, keys statementId, stance, date, event, onBehalfOf
//	csv         statements.csv, one row per statement
//	ftm         one UnknownLink per edge (see WriteFtM), read back by the FtM import
//
// Errors are JSON {"error":{"message":…,"code":…}}: 400 EINVALID for bad
// parameters, 404 for an unknown format (the message lists the formats) or
// an unknown root or topic (ENOTFOUND), 503 EUNAVAILABLE when the store
// cannot answer.
package export

import (
	"encoding/json"
	"io"
	"slices"
	"strings"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// Data is what an export writes: a subgraph plus the Source nodes its
// evidence cites, so evidence can carry URLs even when the selection holds
// no Source node.
type Data struct {
	Title     string             // what the selection is, e.g. "neighborhood of country:hungary, depth 2"
	Nodes     []*domain.Node     // ordered by ID
	Relations []*domain.Relation // ordered by ID; both ends are in Nodes
	Sources   map[string]*domain.Node
	// Statements are those made (by asOf) by a speaker among Nodes about at
	// least one of Nodes, ordered by ID. A statement about nothing selected
	// would be an edge to nowhere in the graph formats, so it is left out,
	// as a relation with an end outside the selection is; each format draws
	// a statement as one edge per selected node it is about (see
	// StatementEdges).
	Statements []*domain.Statement
	// Mentioned are the events and actors the statements name (event,
	// onBehalfOf) that Nodes leave out: the FtM export writes them, as it
	// writes the cited sources, so its file imports on its own.
	Mentioned map[string]*domain.Node
}

// StatementEdge is one edge a statement is drawn as: from its speaker to
// one of the selected nodes it is about.
type StatementEdge struct {
	ID        string // the statement's ID, "|", the target's: statement:x|topic:y
	Statement *domain.Statement
	Target    string
}

// StatementEdges lists the statement edges of d: per statement in ID order,
// one per node of the selection the statement is about, in About order.
func (d *Data) StatementEdges() []StatementEdge {
	selected := make(map[string]bool, len(d.Nodes))
	for _, n := range d.Nodes {
		selected[n.ID] = true
	}
	var out []StatementEdge
	for _, st := range d.Statements {
		for _, id := range st.About {
			if selected[id] {
				out = append(out, StatementEdge{ID: st.ID + "|" + id, Statement: st, Target: id})
			}
		}
	}
	return out
}

// StatementEdgeType is the type a statement edge carries where a relation
// edge carries its relation type: no relation type is spelt so, and a
// Gephi or Cytoscape user partitions statements apart by it.
const StatementEdgeType = "STATEMENT"

// What an edge stands for, in the kind attribute every edge has.
const (
	EdgeKindRelation  = "relation"
	EdgeKindStatement = "statement"
)

// Format is one export format.
type Format struct {
	Name        string // as in the URL: /export/{Name}
	ContentType string
	Extension   string // of the download, with the leading dot
	Write       func(w io.Writer, d *Data) error
}

// Formats lists every format, in the order the docs name them.
var Formats = []Format{
	{"cytoscape", "application/json", ".cyjs", WriteCytoscape},
	{"graphology", "application/json", ".graphology.json", WriteGraphology},
	{"gexf", "application/gexf+xml", ".gexf", WriteGEXF},
	{"graphml", "application/graphml+xml", ".graphml", WriteGraphML},
	{"csv", "application/zip", ".csv.zip", WriteCSV},
	{"ftm", "application/x-ndjson", ".ftm.json", WriteFtM},
}

// Lookup returns the format called name.
func Lookup(name string) (Format, bool) {
	i := slices.IndexFunc(Formats, func(f Format) bool { return f.Name == name })
	if i < 0 {
		return Format{}, false
	}
	return Formats[i], true
}

// FormatNames lists the format names.
func FormatNames() []string {
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = f.Name
	}
	return names
}

// attr is one named, typed value of a node or an edge in the XML and CSV
// formats, which want a fixed set of columns declared up front.
type attr[T any] struct {
	name string
	typ  string // "string" or "boolean"
	get  func(T, *Data) string
}

// nodeAttrs are the node columns after id and label. Lists are joined with
// "; " so a spreadsheet cell or a Gephi column stays readable.
var nodeAttrs = []attr[*domain.Node]{
	{"kind", "string", func(n *domain.Node, _ *Data) string { return string(n.Kind) }},
	{"orgType", "string", func(n *domain.Node, _ *Data) string { return string(n.OrgType) }},
	{"isoCode", "string", func(n *domain.Node, _ *Data) string { return n.ISOCode }},
	{"title", "string", func(n *domain.Node, _ *Data) string { return n.Title }},
	{"scope", "string", func(n *domain.Node, _ *Data) string { return n.Scope }},
	{"budget", "string", func(n *domain.Node, _ *Data) string { return n.Budget }},
	{"location", "string", func(n *domain.Node, _ *Data) string { return n.Location }},
	{"status", "string", func(n *domain.Node, _ *Data) string { return n.Status }},
	{"start", "string", func(n *domain.Node, _ *Data) string { return string(n.Start) }},
	{"end", "string", func(n *domain.Node, _ *Data) string { return string(n.End) }},
	{"url", "string", func(n *domain.Node, _ *Data) string { return n.URL }},
	{"publisher", "string", func(n *domain.Node, _ *Data) string { return n.Publisher }},
	{"language", "string", func(n *domain.Node, _ *Data) string { return n.Language }},
	{"aliases", "string", func(n *domain.Node, _ *Data) string { return strings.Join(n.Aliases, "; ") }},
	{"description", "string", func(n *domain.Node, _ *Data) string { return n.Description }},
}

// edge is a relation or a statement edge, as the XML formats write it.
type edge struct {
	rel *domain.Relation // nil for a statement edge
	st  StatementEdge
}

func (e edge) source() string {
	if e.rel != nil {
		return e.rel.From
	}
	return e.st.Statement.Speaker
}

func (e edge) target() string {
	if e.rel != nil {
		return e.rel.To
	}
	return e.st.Target
}

// edges lists the relations, then the statement edges.
func (d *Data) edges() []edge {
	out := make([]edge, 0, len(d.Relations))
	for _, r := range d.Relations {
		out = append(out, edge{rel: r})
	}
	for _, se := range d.StatementEdges() {
		out = append(out, edge{st: se})
	}
	return out
}

// onRelation and onStatement make an edge column from a getter for one
// kind of edge; the other kind leaves the column empty.
func onRelation(get func(*domain.Relation, *Data) string) func(edge, *Data) string {
	return func(e edge, d *Data) string {
		if e.rel == nil {
			return ""
		}
		return get(e.rel, d)
	}
}

func onStatement(get func(*domain.Statement, *Data) string) func(edge, *Data) string {
	return func(e edge, d *Data) string {
		if e.rel != nil {
			return ""
		}
		return get(e.st.Statement, d)
	}
}

// edgeAttrs are the edge columns after id, source and target. Evidence is
// one line per piece, `source:id: "quote"`, so quotes stay next to their
// source; evidenceSources and evidenceUrls list each source once. A
// statement edge fills the columns both kinds share (type STATEMENT,
// confidence, undated, note, evidence…) and its own (statementId, stance,
// date, event, onBehalfOf); a relation leaves those empty.
var edgeAttrs = []attr[edge]{
	{"kind", "string", func(e edge, _ *Data) string {
		if e.rel != nil {
			return EdgeKindRelation
		}
		return EdgeKindStatement
	}},
	{"type", "string", func(e edge, _ *Data) string {
		if e.rel != nil {
			return string(e.rel.Type)
		}
		return StatementEdgeType
	}},
	{"role", "string", onRelation(func(r *domain.Relation, _ *Data) string { return r.Role })},
	{"status", "string", onRelation(func(r *domain.Relation, _ *Data) string { return r.Status })},
	{"start", "string", onRelation(func(r *domain.Relation, _ *Data) string { return string(r.Start) })},
	{"end", "string", onRelation(func(r *domain.Relation, _ *Data) string { return string(r.End) })},
	{"confidence", "string", func(e edge, _ *Data) string {
		if e.rel != nil {
			return string(e.rel.Confidence)
		}
		return string(e.st.Statement.Confidence)
	}},
	{"undated", "boolean", func(e edge, _ *Data) string {
		if e.rel != nil {
			return boolText(e.rel.Undated())
		}
		return boolText(e.st.Statement.Date == "")
	}},
	{"note", "string", func(e edge, _ *Data) string {
		if e.rel != nil {
			return e.rel.Note
		}
		return e.st.Statement.Note
	}},
	{"evidence", "string", func(e edge, _ *Data) string { return EvidenceText(e.evidence()) }},
	{"evidenceSources", "string", func(e edge, _ *Data) string { return strings.Join(sourcesOf(e.evidence()), "; ") }},
	{"evidenceUrls", "string", func(e edge, d *Data) string { return strings.Join(d.evidenceURLs(e.evidence()), " ") }},
	{"statementId", "string", onStatement(func(st *domain.Statement, _ *Data) string { return st.ID })},
	{"stance", "string", onStatement(func(st *domain.Statement, _ *Data) string { return string(st.Stance) })},
	{"date", "string", onStatement(func(st *domain.Statement, _ *Data) string { return string(st.Date) })},
	{"event", "string", onStatement(func(st *domain.Statement, _ *Data) string { return st.Event })},
	{"onBehalfOf", "string", onStatement(func(st *domain.Statement, _ *Data) string { return st.OnBehalfOf })},
}

func (e edge) evidence() []domain.Evidence {
	if e.rel != nil {
		return e.rel.Evidence
	}
	return []domain.Evidence{e.st.Statement.Evidence}
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// EvidenceText is evidence as text: one `source: "quote"` line per piece.
func EvidenceText(ev []domain.Evidence) string {
	lines := make([]string, len(ev))
	for i, e := range ev {
		q, _ := json.Marshal(e.Quote) // a quoted, escaped string: quotes never break the line apart
		lines[i] = e.SourceID + ": " + string(q)
	}
	return strings.Join(lines, "\n")
}

// sourcesOf lists the sources evidence cites, each once, in order.
func sourcesOf(ev []domain.Evidence) []string {
	var ids []string
	for _, e := range ev {
		if !slices.Contains(ids, e.SourceID) {
			ids = append(ids, e.SourceID)
		}
	}
	return ids
}

// sourceURL is the URL of the source with the given ID, "" when unknown.
func (d *Data) sourceURL(id string) string {
	if s := d.Sources[id]; s != nil {
		return s.URL
	}
	return ""
}

// evidenceURLs lists the URLs of the sources evidence cites, each once.
func (d *Data) evidenceURLs(ev []domain.Evidence) []string {
	var urls []string
	for _, id := range sourcesOf(ev) {
		if u := d.sourceURL(id); u != "" && !slices.Contains(urls, u) {
			urls = append(urls, u)
		}
	}
	return urls
}
