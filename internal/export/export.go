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
	// Statements are those made (by asOf) by a speaker among Nodes,
	// ordered by ID; the CSV export writes them as statements.csv.
	Statements []*domain.Statement
}

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

// edgeAttrs are the edge columns after id, source and target. Evidence is
// one line per piece, `source:id: "quote"`, so quotes stay next to their
// source; evidenceSources and evidenceUrls list each source once.
var edgeAttrs = []attr[*domain.Relation]{
	{"type", "string", func(r *domain.Relation, _ *Data) string { return string(r.Type) }},
	{"role", "string", func(r *domain.Relation, _ *Data) string { return r.Role }},
	{"status", "string", func(r *domain.Relation, _ *Data) string { return r.Status }},
	{"start", "string", func(r *domain.Relation, _ *Data) string { return string(r.Start) }},
	{"end", "string", func(r *domain.Relation, _ *Data) string { return string(r.End) }},
	{"confidence", "string", func(r *domain.Relation, _ *Data) string { return string(r.Confidence) }},
	{"undated", "boolean", func(r *domain.Relation, _ *Data) string { return boolText(r.Undated()) }},
	{"note", "string", func(r *domain.Relation, _ *Data) string { return r.Note }},
	{"evidence", "string", func(r *domain.Relation, _ *Data) string { return EvidenceText(r.Evidence) }},
	{"evidenceSources", "string", func(r *domain.Relation, _ *Data) string { return strings.Join(evidenceSources(r), "; ") }},
	{"evidenceUrls", "string", func(r *domain.Relation, d *Data) string { return strings.Join(d.evidenceURLs(r), " ") }},
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

// evidenceSources lists the sources r's evidence cites, each once, in order.
func evidenceSources(r *domain.Relation) []string {
	var ids []string
	for _, e := range r.Evidence {
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

// evidenceURLs lists the URLs of the sources r's evidence cites, each once.
func (d *Data) evidenceURLs(r *domain.Relation) []string {
	var urls []string
	for _, id := range evidenceSources(r) {
		if u := d.sourceURL(id); u != "" && !slices.Contains(urls, u) {
			urls = append(urls, u)
		}
	}
	return urls
}
