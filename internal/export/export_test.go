package export_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/export"
	"github.com/stakegraph/stakegraph/internal/memstore"
)

func shippedStore(tb testing.TB) *memstore.Store {
	tb.Helper()
	g, err := dataset.Shipped()
	if err != nil {
		tb.Fatal(err)
	}
	s, err := memstore.New(g)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// selectionCase is a selection plus what the store itself answers for it,
// asked directly rather than through the export package.
type selectionCase struct {
	name string
	sel  export.Selection
	want *domain.Subgraph
	// wantStatements are the statement edges the store's statements give
	// for the selection (see statementEdgesOf).
	wantStatements []statementEdge
	data           *export.Data
}

// selectionCases are the whole graph and a rooted selection with topic and
// asOf, each exported from the shipped data.
func selectionCases(tb testing.TB) []selectionCase {
	tb.Helper()
	store := shippedStore(tb)
	ctx := context.Background()
	whole, err := store.Graph(ctx, domain.GraphQuery{})
	if err != nil {
		tb.Fatal(err)
	}
	rooted := export.Selection{Root: "country:ecuador", Depth: 2, Topic: "topic:maritime-security", AsOf: "2023-09-27"}
	around, err := store.Neighborhood(ctx, domain.NeighborhoodQuery{Root: rooted.Root, Depth: rooted.Depth, Topic: rooted.Topic, AsOf: rooted.AsOf})
	if err != nil {
		tb.Fatal(err)
	}
	cases := []selectionCase{
		{name: "whole graph", sel: export.Selection{Depth: 1}, want: whole},
		{name: "rooted with topic and asOf", sel: rooted, want: around},
	}
	for i, c := range cases {
		// A selection too small would let the checks below pass vacuously.
		if len(c.want.Nodes) < 10 || len(c.want.Relations) < 10 {
			tb.Fatalf("%s: store returned %d nodes and %d relations; the test needs a richer selection", c.name, len(c.want.Nodes), len(c.want.Relations))
		}
		// Both dated and undated relations, so spells and the undated flag
		// are checked both ways.
		if !slices.ContainsFunc(c.want.Relations, (*domain.Relation).Undated) ||
			slices.IndexFunc(c.want.Relations, func(r *domain.Relation) bool { return !r.Undated() }) < 0 {
			tb.Fatalf("%s: the selection needs dated and undated relations", c.name)
		}
		d, err := export.Select(ctx, store, c.sel)
		if err != nil {
			tb.Fatal(err)
		}
		cases[i].data = d
		cases[i].wantStatements = statementEdgesOf(tb, store, c.want.Nodes, c.sel.AsOf)
		if len(cases[i].wantStatements) == 0 {
			tb.Fatalf("%s: the selection holds no statement edges; the statement checks would be empty", c.name)
		}
	}
	return cases
}

func nodeIDs(ns []*domain.Node) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.ID
	}
	return out
}

func relationIDs(rs []*domain.Relation) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

func render(tb testing.TB, name string, d *export.Data) []byte {
	tb.Helper()
	f, ok := export.Lookup(name)
	if !ok {
		tb.Fatalf("format %s not found", name)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf, d); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// firstDay and lastDay spell out a partial date independently of the
// domain package: the first and last calendar day it can mean.
func firstDay(d domain.PartialDate) string {
	switch len(d) {
	case 4:
		return string(d) + "-01-01"
	case 7:
		return string(d) + "-01"
	}
	return string(d)
}

func lastDay(d domain.PartialDate) string {
	switch len(d) {
	case 4:
		return string(d) + "-12-31"
	case 7:
		t, _ := time.Parse("2006-01", string(d))
		return t.AddDate(0, 1, -1).Format(time.DateOnly)
	}
	return string(d)
}

func undated(r *domain.Relation) string {
	return fmt.Sprint(r.Start == "" && r.End == "")
}

// checkEvidence checks that text names every source and quote of r.
func checkEvidence(tb testing.TB, r *domain.Relation, text string) {
	tb.Helper()
	for _, e := range r.Evidence {
		if !strings.Contains(text, e.SourceID) || !strings.Contains(text, e.Quote) {
			tb.Errorf("edge %s evidence: got %q, want it to hold %s and %q", r.ID, text, e.SourceID, e.Quote)
		}
	}
}

func TestSelectMatchesStore(t *testing.T) {
	for _, c := range selectionCases(t) {
		t.Run(c.name, func(t *testing.T) {
			if got, want := nodeIDs(c.data.Nodes), nodeIDs(c.want.Nodes); !slices.Equal(got, want) {
				t.Errorf("nodes: got %v, want %v", got, want)
			}
			if got, want := relationIDs(c.data.Relations), relationIDs(c.want.Relations); !slices.Equal(got, want) {
				t.Errorf("relations: got %v, want %v", got, want)
			}
			for _, r := range c.want.Relations {
				for _, e := range r.Evidence {
					if s := c.data.Sources[e.SourceID]; s == nil || s.Kind != domain.KindSource {
						t.Errorf("source %s of %s: got %v, want the Source node", e.SourceID, r.ID, s)
					}
				}
			}
		})
	}
}

// gexfFile is GEXF as the test reads it: its own structs, namespaces kept.
type gexfFile struct {
	XMLName xml.Name `xml:"gexf"`
	Version string   `xml:"version,attr"`
	Graph   struct {
		Mode            string `xml:"mode,attr"`
		TimeFormat      string `xml:"timeformat,attr"`
		DefaultEdgeType string `xml:"defaultedgetype,attr"`
		Attributes      []struct {
			Class      string `xml:"class,attr"`
			Attributes []struct {
				ID    string `xml:"id,attr"`
				Title string `xml:"title,attr"`
				Type  string `xml:"type,attr"`
			} `xml:"attribute"`
		} `xml:"attributes"`
		Nodes []struct {
			ID        string          `xml:"id,attr"`
			Label     string          `xml:"label,attr"`
			AttValues []gexfAttValue  `xml:"attvalues>attvalue"`
			Spells    []gexfSpellRead `xml:"spells>spell"`
		} `xml:"nodes>node"`
		Edges []struct {
			ID        string          `xml:"id,attr"`
			Source    string          `xml:"source,attr"`
			Target    string          `xml:"target,attr"`
			Kind      string          `xml:"kind,attr"`
			AttValues []gexfAttValue  `xml:"attvalues>attvalue"`
			Spells    []gexfSpellRead `xml:"spells>spell"`
		} `xml:"edges>edge"`
	} `xml:"graph"`
}

type gexfAttValue struct {
	For   string `xml:"for,attr"`
	Value string `xml:"value,attr"`
}

type gexfSpellRead struct {
	Start string `xml:"start,attr"`
	End   string `xml:"end,attr"`
}

func attMap(vs []gexfAttValue) map[string]string {
	m := map[string]string{}
	for _, v := range vs {
		m[v.For] = v.Value
	}
	return m
}

func TestGEXF(t *testing.T) {
	for _, c := range selectionCases(t) {
		t.Run(c.name, func(t *testing.T) {
			var doc gexfFile
			if err := xml.Unmarshal(render(t, "gexf", c.data), &doc); err != nil {
				t.Fatal(err)
			}
			if doc.XMLName.Space != "http://gexf.net/1.3" || doc.Version != "1.3" {
				t.Errorf("root: got namespace %q version %q, want http://gexf.net/1.3 and 1.3", doc.XMLName.Space, doc.Version)
			}
			g := doc.Graph
			if g.Mode != "dynamic" || g.TimeFormat != "date" || g.DefaultEdgeType != "directed" {
				t.Errorf("graph: got mode %q timeformat %q defaultedgetype %q, want dynamic, date, directed", g.Mode, g.TimeFormat, g.DefaultEdgeType)
			}
			declared := map[string]map[string]string{} // class → id → type
			for _, a := range g.Attributes {
				declared[a.Class] = map[string]string{}
				for _, at := range a.Attributes {
					declared[a.Class][at.ID] = at.Type
				}
			}
			for class, names := range map[string][]string{
				"node": {"kind", "orgType", "start", "end"},
				"edge": {"kind", "type", "role", "status", "start", "end", "confidence", "undated", "evidence", "evidenceSources",
					"statementId", "stance", "date", "event", "onBehalfOf"},
			} {
				for _, n := range names {
					if _, ok := declared[class][n]; !ok {
						t.Errorf("%s attribute %s: not declared (declared: %v)", class, n, declared[class])
					}
				}
			}
			if got := declared["edge"]["undated"]; got != "boolean" {
				t.Errorf("undated attribute type: got %q, want boolean", got)
			}

			if len(g.Nodes) != len(c.want.Nodes) {
				t.Fatalf("nodes: got %d, want %d", len(g.Nodes), len(c.want.Nodes))
			}
			for i, n := range c.want.Nodes {
				got := g.Nodes[i]
				atts := attMap(got.AttValues)
				for id := range atts {
					if _, ok := declared["node"][id]; !ok {
						t.Errorf("node %s: value for undeclared attribute %q", n.ID, id)
					}
				}
				if got.ID != n.ID || got.Label != n.Name || atts["kind"] != string(n.Kind) || atts["orgType"] != string(n.OrgType) {
					t.Errorf("node %d: got %s %q kind %q orgType %q, want %s %q %q %q", i, got.ID, got.Label, atts["kind"], atts["orgType"], n.ID, n.Name, n.Kind, n.OrgType)
				}
				if len(got.Spells) != 0 {
					t.Errorf("node %s spells: got %v, want none: asOf never hides a node", n.ID, got.Spells)
				}
			}

			relationEdges := g.Edges[:0:0]
			var statements []statementEdge
			for _, e := range g.Edges {
				atts := attMap(e.AttValues)
				switch atts["kind"] {
				case "relation":
					relationEdges = append(relationEdges, e)
				case "statement":
					statements = append(statements, statementFromAttrs(t, e.ID, e.Source, e.Target, atts))
					if atts["type"] != export.StatementEdgeType || e.Kind != export.StatementEdgeType {
						t.Errorf("statement edge %s: type %q, GEXF kind %q, want %s", e.ID, atts["type"], e.Kind, export.StatementEdgeType)
					}
					checkStatementSpells(t, e.ID, atts["date"], e.Spells)
				default:
					t.Errorf("edge %s: kind %q, want relation or statement", e.ID, atts["kind"])
				}
			}
			checkStatementEdges(t, statements, c.wantStatements)
			if len(relationEdges) != len(c.want.Relations) {
				t.Fatalf("relation edges: got %d, want %d", len(relationEdges), len(c.want.Relations))
			}
			for i, r := range c.want.Relations {
				got := relationEdges[i]
				atts := attMap(got.AttValues)
				for id := range atts {
					if _, ok := declared["edge"][id]; !ok {
						t.Errorf("edge %s: value for undeclared attribute %q", r.ID, id)
					}
				}
				if got.ID != r.ID || got.Source != r.From || got.Target != r.To {
					t.Errorf("edge %d: got %s %s→%s, want %s %s→%s", i, got.ID, got.Source, got.Target, r.ID, r.From, r.To)
				}
				if atts["type"] != string(r.Type) || atts["confidence"] != string(r.Confidence) || atts["undated"] != undated(r) ||
					atts["role"] != r.Role || atts["status"] != r.Status {
					t.Errorf("edge %s attributes: got %v, want type %s confidence %s undated %s role %q status %q", r.ID, atts, r.Type, r.Confidence, undated(r), r.Role, r.Status)
				}
				checkEvidence(t, r, atts["evidence"])
				checkSpells(t, r, got.Spells)
			}
		})
	}
}

// checkSpells: a dated relation has one spell from the first day of its
// start to the day before the last day of its end (the day it has ended);
// an undated one has none.
func checkSpells(tb testing.TB, r *domain.Relation, got []gexfSpellRead) {
	tb.Helper()
	if r.Start == "" && r.End == "" {
		if len(got) != 0 {
			tb.Errorf("%s spells: got %v, want none", r.ID, got)
		}
		return
	}
	want := gexfSpellRead{Start: firstDay(r.Start)}
	if r.End != "" {
		end, _ := time.Parse(time.DateOnly, lastDay(r.End))
		want.End = end.AddDate(0, 0, -1).Format(time.DateOnly)
	}
	if len(got) != 1 || got[0] != want {
		tb.Errorf("%s spells: got %v, want [%v]", r.ID, got, want)
	}
}

// checkStatementSpells: a dated statement edge has one spell from the first
// day of its date on, open-ended, as asOf counts a statement from the day
// it is made; an undated one has none.
func checkStatementSpells(tb testing.TB, id, date string, got []gexfSpellRead) {
	tb.Helper()
	if date == "" {
		if len(got) != 0 {
			tb.Errorf("%s spells: got %v, want none", id, got)
		}
		return
	}
	if want := (gexfSpellRead{Start: firstDay(domain.PartialDate(date))}); len(got) != 1 || got[0] != want {
		tb.Errorf("%s spells: got %v, want [%v]", id, got, want)
	}
}

type graphMLFile struct {
	XMLName xml.Name `xml:"graphml"`
	Keys    []struct {
		ID       string `xml:"id,attr"`
		For      string `xml:"for,attr"`
		AttrName string `xml:"attr.name,attr"`
		AttrType string `xml:"attr.type,attr"`
	} `xml:"key"`
	Graph struct {
		EdgeDefault string `xml:"edgedefault,attr"`
		Nodes       []struct {
			ID   string        `xml:"id,attr"`
			Data []graphMLData `xml:"data"`
		} `xml:"node"`
		Edges []struct {
			ID     string        `xml:"id,attr"`
			Source string        `xml:"source,attr"`
			Target string        `xml:"target,attr"`
			Data   []graphMLData `xml:"data"`
		} `xml:"edge"`
	} `xml:"graph"`
}

type graphMLData struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

func TestGraphML(t *testing.T) {
	for _, c := range selectionCases(t) {
		t.Run(c.name, func(t *testing.T) {
			var doc graphMLFile
			if err := xml.Unmarshal(render(t, "graphml", c.data), &doc); err != nil {
				t.Fatal(err)
			}
			if doc.XMLName.Space != "http://graphml.graphdrawing.org/xmlns" {
				t.Errorf("namespace: got %q, want http://graphml.graphdrawing.org/xmlns", doc.XMLName.Space)
			}
			if doc.Graph.EdgeDefault != "directed" {
				t.Errorf("edgedefault: got %q, want directed", doc.Graph.EdgeDefault)
			}
			// Resolve data keys to attribute names through the declarations,
			// as a GraphML reader does.
			keyName := map[string]string{}
			keyFor := map[string]string{}
			for _, k := range doc.Keys {
				keyName[k.ID], keyFor[k.ID] = k.AttrName, k.For
			}
			named := func(tb testing.TB, owner, class string, data []graphMLData) map[string]string {
				m := map[string]string{}
				for _, d := range data {
					if keyFor[d.Key] != class {
						tb.Errorf("%s: data key %q is declared for %q, want %s", owner, d.Key, keyFor[d.Key], class)
					}
					m[keyName[d.Key]] = d.Value
				}
				return m
			}
			if len(doc.Graph.Nodes) != len(c.want.Nodes) {
				t.Fatalf("nodes: got %d, want %d", len(doc.Graph.Nodes), len(c.want.Nodes))
			}
			for i, n := range c.want.Nodes {
				got := doc.Graph.Nodes[i]
				atts := named(t, n.ID, "node", got.Data)
				if got.ID != n.ID || atts["label"] != n.Name || atts["kind"] != string(n.Kind) || atts["start"] != string(n.Start) || atts["end"] != string(n.End) {
					t.Errorf("node %d: got %s %v, want %s %q kind %s start %q end %q", i, got.ID, atts, n.ID, n.Name, n.Kind, n.Start, n.End)
				}
			}
			relationEdges := doc.Graph.Edges[:0:0]
			var statements []statementEdge
			ids := map[string]bool{}
			for _, e := range doc.Graph.Edges {
				if ids[e.ID] {
					t.Errorf("edge id %s: given twice", e.ID)
				}
				ids[e.ID] = true
				atts := named(t, e.ID, "edge", e.Data)
				switch atts["kind"] {
				case "relation":
					relationEdges = append(relationEdges, e)
				case "statement":
					statements = append(statements, statementFromAttrs(t, atts["statementId"]+"|"+e.Target, e.Source, e.Target, atts))
					if atts["type"] != export.StatementEdgeType || atts["relationId"] != "" {
						t.Errorf("statement edge %s: type %q relationId %q, want %s and none", e.ID, atts["type"], atts["relationId"], export.StatementEdgeType)
					}
				default:
					t.Errorf("edge %s: kind %q, want relation or statement", e.ID, atts["kind"])
				}
			}
			checkStatementEdges(t, statements, c.wantStatements)
			if len(relationEdges) != len(c.want.Relations) {
				t.Fatalf("relation edges: got %d, want %d", len(relationEdges), len(c.want.Relations))
			}
			for i, r := range c.want.Relations {
				got := relationEdges[i]
				atts := named(t, r.ID, "edge", got.Data)
				if atts["relationId"] != r.ID || got.Source != r.From || got.Target != r.To {
					t.Errorf("edge %d: got relationId %s %s→%s, want %s %s→%s", i, atts["relationId"], got.Source, got.Target, r.ID, r.From, r.To)
				}
				if got.ID != export.RelationTokenID(r.ID) {
					t.Errorf("edge %s: got id %q, want its token ID %q", r.ID, got.ID, export.RelationTokenID(r.ID))
				}
				if atts["type"] != string(r.Type) || atts["confidence"] != string(r.Confidence) || atts["undated"] != undated(r) ||
					atts["start"] != string(r.Start) || atts["end"] != string(r.End) || atts["role"] != r.Role {
					t.Errorf("edge %s attributes: got %v, want type %s confidence %s undated %s start %q end %q role %q", r.ID, atts, r.Type, r.Confidence, undated(r), r.Start, r.End, r.Role)
				}
				checkEvidence(t, r, atts["evidence"])
			}
		})
	}
}

// jsonEdge is an edge's data as both JSON formats carry it.
type jsonEdge struct {
	ID         string `json:"id"`
	Source     string `json:"source"`
	Target     string `json:"target"`
	Type       string `json:"type"`
	Role       string `json:"role"`
	Status     string `json:"status"`
	Start      string `json:"start"`
	End        string `json:"end"`
	Confidence string `json:"confidence"`
	Undated    *bool  `json:"undated"`
	Note       string `json:"note"`
	Evidence   []struct {
		Source string `json:"source"`
		Quote  string `json:"quote"`
		URL    string `json:"url"`
	} `json:"evidence"`
	Kind       string `json:"kind"`
	Statement  string `json:"statement"`
	Stance     string `json:"stance"`
	Date       string `json:"date"`
	Event      string `json:"event"`
	OnBehalfOf string `json:"onBehalfOf"`
}

// splitJSONEdges separates a JSON format's relation edges from its
// statement edges, read back as statementEdges; every statement's quote
// carries its source's URL.
func splitJSONEdges(tb testing.TB, edges []jsonEdge, d *export.Data) (relations []jsonEdge, statements []statementEdge) {
	tb.Helper()
	for _, e := range edges {
		switch e.Kind {
		case "relation":
			relations = append(relations, e)
		case "statement":
			statements = append(statements, statementFromJSON(tb, e))
			if len(e.Evidence) == 1 && (e.Evidence[0].URL == "" || e.Evidence[0].URL != d.Sources[e.Evidence[0].Source].URL) {
				tb.Errorf("statement edge %s: evidence URL %q, want its source's", e.ID, e.Evidence[0].URL)
			}
		default:
			tb.Errorf("edge %s: kind %q, want relation or statement", e.ID, e.Kind)
		}
	}
	return relations, statements
}

type jsonNode struct {
	ID      string `json:"id"`
	Label   string `json:"label"`
	Kind    string `json:"kind"`
	OrgType string `json:"orgType"`
	Start   string `json:"start"`
	End     string `json:"end"`
}

func checkJSONNode(tb testing.TB, got jsonNode, n *domain.Node) {
	tb.Helper()
	if got.ID != n.ID || got.Label != n.Name || got.Kind != string(n.Kind) || got.OrgType != string(n.OrgType) ||
		got.Start != string(n.Start) || got.End != string(n.End) {
		tb.Errorf("node: got %+v, want %s %q %s %q %q %q", got, n.ID, n.Name, n.Kind, n.OrgType, n.Start, n.End)
	}
}

func checkJSONEdge(tb testing.TB, got jsonEdge, r *domain.Relation, d *export.Data) {
	tb.Helper()
	if got.ID != r.ID || got.Source != r.From || got.Target != r.To || got.Type != string(r.Type) || got.Role != r.Role ||
		got.Status != r.Status || got.Start != string(r.Start) || got.End != string(r.End) || got.Confidence != string(r.Confidence) {
		tb.Errorf("edge: got %+v, want %+v", got, r)
	}
	if got.Undated == nil || fmt.Sprint(*got.Undated) != undated(r) {
		tb.Errorf("edge %s undated: got %v, want %s", r.ID, got.Undated, undated(r))
	}
	if len(got.Evidence) != len(r.Evidence) {
		tb.Fatalf("edge %s evidence: got %d pieces, want %d", r.ID, len(got.Evidence), len(r.Evidence))
	}
	for i, e := range r.Evidence {
		g := got.Evidence[i]
		if g.Source != e.SourceID || g.Quote != e.Quote || g.URL != d.Sources[e.SourceID].URL {
			tb.Errorf("edge %s evidence %d: got %+v, want %s %q %q", r.ID, i, g, e.SourceID, e.Quote, d.Sources[e.SourceID].URL)
		}
	}
}

func TestCytoscape(t *testing.T) {
	for _, c := range selectionCases(t) {
		t.Run(c.name, func(t *testing.T) {
			var doc struct {
				Elements struct {
					Nodes []struct{ Data jsonNode } `json:"nodes"`
					Edges []struct{ Data jsonEdge } `json:"edges"`
				} `json:"elements"`
			}
			if err := json.Unmarshal(render(t, "cytoscape", c.data), &doc); err != nil {
				t.Fatal(err)
			}
			var edges []jsonEdge
			for _, e := range doc.Elements.Edges {
				edges = append(edges, e.Data)
			}
			relations, statements := splitJSONEdges(t, edges, c.data)
			checkStatementEdges(t, statements, c.wantStatements)
			if len(doc.Elements.Nodes) != len(c.want.Nodes) || len(relations) != len(c.want.Relations) {
				t.Fatalf("elements: got %d nodes %d relation edges, want %d and %d", len(doc.Elements.Nodes), len(relations), len(c.want.Nodes), len(c.want.Relations))
			}
			for i, n := range c.want.Nodes {
				checkJSONNode(t, doc.Elements.Nodes[i].Data, n)
			}
			for i, r := range c.want.Relations {
				checkJSONEdge(t, relations[i], r, c.data)
			}
		})
	}
}

func TestGraphology(t *testing.T) {
	for _, c := range selectionCases(t) {
		t.Run(c.name, func(t *testing.T) {
			var doc struct {
				Options struct {
					Type           string
					Multi          *bool
					AllowSelfLoops *bool
				}
				Nodes []struct {
					Key        string
					Attributes jsonNode
				}
				Edges []struct {
					Key        string
					Source     string
					Target     string
					Attributes jsonEdge
				}
			}
			if err := json.Unmarshal(render(t, "graphology", c.data), &doc); err != nil {
				t.Fatal(err)
			}
			if o := doc.Options; o.Type != "directed" || o.Multi == nil || !*o.Multi || o.AllowSelfLoops == nil || *o.AllowSelfLoops {
				t.Errorf("options: got %+v, want directed, multi, no self loops", o)
			}
			var edges []jsonEdge
			for _, e := range doc.Edges {
				got := e.Attributes
				got.ID, got.Source, got.Target = e.Key, e.Source, e.Target
				edges = append(edges, got)
			}
			relations, statements := splitJSONEdges(t, edges, c.data)
			checkStatementEdges(t, statements, c.wantStatements)
			if len(doc.Nodes) != len(c.want.Nodes) || len(relations) != len(c.want.Relations) {
				t.Fatalf("got %d nodes %d relation edges, want %d and %d", len(doc.Nodes), len(relations), len(c.want.Nodes), len(c.want.Relations))
			}
			for i, n := range c.want.Nodes {
				got := doc.Nodes[i].Attributes
				got.ID = doc.Nodes[i].Key
				checkJSONNode(t, got, n)
			}
			for i, r := range c.want.Relations {
				checkJSONEdge(t, relations[i], r, c.data)
			}
		})
	}
}

// readCSV opens one file of the CSV zip as header → column index and rows.
func readCSV(tb testing.TB, zr *zip.Reader, name string) (map[string]int, [][]string) {
	tb.Helper()
	f, err := zr.Open(name)
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	if len(records) == 0 {
		tb.Fatalf("%s: empty, want a header row", name)
	}
	cols := map[string]int{}
	for i, h := range records[0] {
		cols[h] = i
	}
	return cols, records[1:]
}

func TestCSV(t *testing.T) {
	for _, c := range selectionCases(t) {
		t.Run(c.name, func(t *testing.T) {
			b := render(t, "csv", c.data)
			zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, f := range zr.File {
				names = append(names, f.Name)
			}
			want := []string{"nodes.csv", "edges.csv"}
			if len(c.data.Statements) > 0 {
				want = append(want, "statements.csv")
			}
			if !slices.Equal(names, want) {
				t.Errorf("zip files: got %v, want %v", names, want)
			}
			cols, rows := readCSV(t, zr, "nodes.csv")
			if len(rows) != len(c.want.Nodes) {
				t.Fatalf("node rows: got %d, want %d", len(rows), len(c.want.Nodes))
			}
			for i, n := range c.want.Nodes {
				row := rows[i]
				if row[cols["id"]] != n.ID || row[cols["label"]] != n.Name || row[cols["kind"]] != string(n.Kind) ||
					row[cols["orgType"]] != string(n.OrgType) || row[cols["start"]] != string(n.Start) {
					t.Errorf("node row %d: got %v, want %s %q %s %q start %q", i, row, n.ID, n.Name, n.Kind, n.OrgType, n.Start)
				}
			}
			cols, rows = readCSV(t, zr, "edges.csv")
			for _, h := range []string{"id", "source", "target", "type", "role", "status", "start", "end", "confidence", "undated", "evidence", "evidenceSources"} {
				if _, ok := cols[h]; !ok {
					t.Errorf("edges.csv header: no %q column in %v", h, cols)
				}
			}
			if len(rows) != len(c.want.Relations) {
				t.Fatalf("edge rows: got %d, want %d", len(rows), len(c.want.Relations))
			}
			for i, r := range c.want.Relations {
				row := rows[i]
				if row[cols["id"]] != r.ID || row[cols["source"]] != r.From || row[cols["target"]] != r.To ||
					row[cols["type"]] != string(r.Type) || row[cols["confidence"]] != string(r.Confidence) ||
					row[cols["undated"]] != undated(r) || row[cols["end"]] != string(r.End) || row[cols["status"]] != r.Status {
					t.Errorf("edge row %d: got %v, want %+v", i, row, r)
				}
				checkEvidence(t, r, row[cols["evidence"]])
				for _, e := range r.Evidence {
					if !strings.Contains(row[cols["evidenceSources"]], e.SourceID) {
						t.Errorf("edge %s evidenceSources: got %q, want it to name %s", r.ID, row[cols["evidenceSources"]], e.SourceID)
					}
				}
			}
		})
	}
}

// TestCSVStatements checks statements.csv: the statements of the speakers
// in the selection about something in it, made by its asOf, each with its
// verbatim quote. Albornoz's neighbourhood of depth 1 holds none of the
// concepts she spoke about, so none of her statements.
func TestCSVStatements(t *testing.T) {
	store := shippedStore(t)
	ctx := context.Background()
	cases := []struct {
		sel  export.Selection
		want []string
	}{
		{export.Selection{Depth: 1}, []string{"statement:albornoz-eu-cooperation-2023", "statement:albornoz-shared-responsibility-2023",
			"statement:geurts-limits-of-prohibition-2023", "statement:geurts-new-bilateral-projects-2023"}},
		{export.Selection{Root: "person:isabel-albornoz", Depth: 1}, nil},
		// Two hops reach the concepts, and the ambassador, who chaired the
		// round table with her.
		{export.Selection{Root: "person:isabel-albornoz", Depth: 2}, []string{"statement:albornoz-eu-cooperation-2023", "statement:albornoz-shared-responsibility-2023",
			"statement:geurts-limits-of-prohibition-2023", "statement:geurts-new-bilateral-projects-2023"}},
		{export.Selection{Depth: 1, Kinds: []domain.Kind{domain.KindPerson, domain.KindTopic}}, []string{"statement:albornoz-shared-responsibility-2023", "statement:geurts-limits-of-prohibition-2023"}},
		{export.Selection{Depth: 1, AsOf: "2023-08"}, nil},
	}
	text, _ := dataset.SourceText("source:roundtable-article-2023")
	for _, c := range cases {
		t.Run(c.sel.Title(), func(t *testing.T) {
			d, err := export.Select(ctx, store, c.sel)
			if err != nil {
				t.Fatal(err)
			}
			b := render(t, "csv", d)
			zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
			if err != nil {
				t.Fatal(err)
			}
			if c.want == nil {
				if _, err := zr.Open(export.StatementsCSV); err == nil {
					t.Errorf("got %s, want none for a selection without statements", export.StatementsCSV)
				}
				return
			}
			cols, rows := readCSV(t, zr, export.StatementsCSV)
			var got []string
			for _, row := range rows {
				got = append(got, row[cols["id"]])
				if !domain.ContainsQuote(text, row[cols["quote"]]) || row[cols["stance"]] != "SUPPORTS" || row[cols["source"]] != "source:roundtable-article-2023" {
					t.Errorf("row %v: want a SUPPORTS statement quoting the article verbatim", row)
				}
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("statements: got %v, want %v", got, c.want)
			}
		})
	}
}

// ftmProperties lists, per FtM schema, the properties the export may use:
// those of the schema and the schemata it extends in FollowTheMoney
// (Thing, LegalEntity, Organization, Person, Document, Interval, Interest
// and the link schemata's own ends).
var ftmProperties = func() map[string][]string {
	thing := []string{"name", "alias", "description", "summary", "keywords", "country", "sourceUrl", "publisher", "notes"}
	legal := append(slices.Clone(thing), "classification", "jurisdiction", "website", "status", "legalForm", "incorporationDate", "dissolutionDate")
	interval := []string{"startDate", "endDate", "date", "summary", "description", "recordId", "sourceUrl", "publisher", "proof"}
	interest := append(slices.Clone(interval), "role", "status")
	return map[string][]string{
		"PublicBody":         legal,
		"Organization":       legal,
		"Person":             append(slices.Clone(legal), "position", "title", "nationality"),
		"Project":            append(append(slices.Clone(thing), interval...), "status"),
		"Event":              append(append(slices.Clone(thing), interval...), "location"),
		"Note":               append(slices.Clone(thing), "entity"),
		"Article":            append(slices.Clone(thing), "title", "author", "publishedAt"),
		"Membership":         append(slices.Clone(interest), "member", "organization"),
		"Directorship":       append(slices.Clone(interest), "director", "organization"),
		"Employment":         append(slices.Clone(interest), "employer", "employee"),
		"ProjectParticipant": append(slices.Clone(interest), "participant", "project"),
		"UnknownLink":        append(slices.Clone(interest), "subject", "object"),
	}
}()

func TestFtM(t *testing.T) {
	for _, c := range selectionCases(t) {
		t.Run(c.name, func(t *testing.T) {
			var entities []export.FtMEntity
			sc := bufio.NewScanner(bytes.NewReader(render(t, "ftm", c.data)))
			sc.Buffer(nil, 1<<20)
			for sc.Scan() {
				var e export.FtMEntity
				dec := json.NewDecoder(strings.NewReader(sc.Text()))
				dec.DisallowUnknownFields()
				if err := dec.Decode(&e); err != nil {
					t.Fatalf("line %q: %v", sc.Text(), err)
				}
				entities = append(entities, e)
			}
			byID := map[string]export.FtMEntity{}
			for _, e := range entities {
				byID[e.ID] = e
				allowed, ok := ftmProperties[e.Schema]
				if !ok {
					t.Errorf("%s: schema %q is not one the export documents", e.ID, e.Schema)
				}
				for p, vs := range e.Properties {
					if !slices.Contains(allowed, p) {
						t.Errorf("%s: property %q is not a %s property", e.ID, p, e.Schema)
					}
					if len(vs) == 0 {
						t.Errorf("%s: property %q has no values", e.ID, p)
					}
				}
			}

			// Every node is written, and the sources the evidence cites.
			kinds := map[string]domain.Kind{}
			wantNodes := 0
			nodes := slices.Clone(c.want.Nodes)
			for _, s := range c.data.Sources {
				if !slices.ContainsFunc(nodes, func(n *domain.Node) bool { return n.ID == s.ID }) {
					nodes = append(nodes, s)
				}
			}
			// And the events and actors the statements name outside the
			// selection.
			wantMentioned := map[string]bool{}
			for _, se := range c.wantStatements {
				for _, id := range []string{se.Event, se.OnBehalfOf} {
					if id != "" && !slices.ContainsFunc(c.want.Nodes, func(n *domain.Node) bool { return n.ID == id }) {
						wantMentioned[id] = true
					}
				}
			}
			if got := slices.Sorted(maps.Keys(c.data.Mentioned)); !slices.Equal(got, slices.Sorted(maps.Keys(wantMentioned))) {
				t.Errorf("mentioned nodes: got %v, want %v", got, slices.Sorted(maps.Keys(wantMentioned)))
			}
			for _, n := range c.data.Mentioned {
				nodes = append(nodes, n)
			}
			for _, n := range nodes {
				kinds[n.ID] = n.Kind
				wantNodes++
				e, ok := byID[export.NodeTokenID(n.ID)]
				if !ok {
					t.Errorf("node %s: no entity", n.ID)
					continue
				}
				wantSchema := map[domain.Kind]string{domain.KindPerson: "Person", domain.KindCountry: "PublicBody",
					domain.KindProgramme: "Project", domain.KindAgreement: "Project", domain.KindEvent: "Event",
					domain.KindTopic: "Note", domain.KindSource: "Article"}[n.Kind]
				if n.Kind == domain.KindOrganization {
					wantSchema = "Organization"
					if slices.Contains([]domain.OrgType{"MINISTRY", "GOVERNMENT_AGENCY", "POLICE_MILITARY", "EU_INSTITUTION", "EU_AGENCY", "EU_DELEGATION"}, n.OrgType) {
						wantSchema = "PublicBody"
					}
				}
				if e.Schema != wantSchema || !slices.Equal(e.Properties["name"], []string{n.Name}) || !slices.Contains(e.Properties["keywords"], string(n.Kind)) {
					t.Errorf("node %s: got %+v, want schema %s, name %q, keyword %s", n.ID, e, wantSchema, n.Name, n.Kind)
				}
				if !slices.Contains(e.Properties["keywords"], n.ID) {
					t.Errorf("node %s: keywords %v, want the stakegraph ID among them", n.ID, e.Properties["keywords"])
				}
				if n.OrgType != "" && !slices.Equal(e.Properties["classification"], []string{string(n.OrgType)}) {
					t.Errorf("node %s classification: got %v, want [%s]", n.ID, e.Properties["classification"], n.OrgType)
				}
			}
			wantRels := 0
			for _, r := range c.want.Relations {
				wantRels++
				e, ok := byID[export.RelationTokenID(r.ID)]
				if !ok {
					t.Errorf("relation %s: no entity", r.ID)
					continue
				}
				from, to := ftmEnds(t, e)
				if from != export.NodeTokenID(r.From) || to != export.NodeTokenID(r.To) {
					t.Errorf("relation %s: got %s %s→%s, want %s→%s", r.ID, e.Schema, from, to, r.From, r.To)
				}
				checkFtMSchema(t, r, e, kinds)
				if !slices.Equal(e.Properties["recordId"], []string{r.ID}) {
					t.Errorf("relation %s: recordId %v, want the stakegraph ID", r.ID, e.Properties["recordId"])
				}
				summary := strings.Join(e.Properties["summary"], " ")
				if !strings.Contains(summary, string(r.Type)) || !strings.Contains(summary, string(r.Confidence)) || strings.Contains(summary, "undated") != r.Undated() {
					t.Errorf("relation %s summary: got %q, want type %s, confidence %s, undated %v", r.ID, summary, r.Type, r.Confidence, r.Undated())
				}
				if !slices.Equal(e.Properties["startDate"], nonEmpty(string(r.Start))) || !slices.Equal(e.Properties["endDate"], nonEmpty(string(r.End))) {
					t.Errorf("relation %s dates: got %v–%v, want %q–%q", r.ID, e.Properties["startDate"], e.Properties["endDate"], r.Start, r.End)
				}
				if r.Role != "" && !slices.Equal(e.Properties["role"], []string{r.Role}) {
					t.Errorf("relation %s role: got %v, want [%s]", r.ID, e.Properties["role"], r.Role)
				}
				checkEvidence(t, r, strings.Join(e.Properties["description"], "\n"))
				if r.Type == domain.RelAddresses {
					topic := byID[export.NodeTokenID(r.To)].Properties["name"]
					if keywords := byID[export.NodeTokenID(r.From)].Properties["keywords"]; len(topic) != 1 || !slices.Contains(keywords, topic[0]) {
						t.Errorf("%s: keywords %v, want the name %v of the topic it addresses among them", r.From, keywords, topic)
					}
				}
				for _, ev := range r.Evidence {
					if !slices.Contains(e.Properties["proof"], export.NodeTokenID(ev.SourceID)) {
						t.Errorf("relation %s proof: got %v, want the entity of %s", r.ID, e.Properties["proof"], ev.SourceID)
					}
				}
				for _, id := range e.Properties["proof"] {
					if byID[id].Schema != "Article" {
						t.Errorf("relation %s proof %s: got a %q entity, want an Article in the file", r.ID, id, byID[id].Schema)
					}
				}
				for _, id := range []string{from, to} {
					if _, ok := byID[id]; !ok {
						t.Errorf("relation %s refers to %s, which has no entity", r.ID, id)
					}
				}
			}
			for _, se := range c.wantStatements {
				checkFtMStatement(t, se, byID)
			}
			if want := wantNodes + wantRels + len(c.wantStatements); len(entities) != want {
				t.Errorf("entities: got %d, want %d nodes + %d relations + %d statement links", len(entities), wantNodes, wantRels, len(c.wantStatements))
			}
		})
	}
}

// checkFtMStatement checks the link a statement edge becomes: an
// UnknownLink from the speaker to the node it is about, its stance as role,
// its date, ID, stance, confidence, event and onBehalfOf, its note and
// quote, and its source as proof, an Article of the file.
func checkFtMStatement(tb testing.TB, se statementEdge, byID map[string]export.FtMEntity) {
	tb.Helper()
	e, ok := byID[export.StatementTokenID(se.Statement, se.Target)]
	if !ok {
		tb.Errorf("statement edge %s: no entity %s", se.ID, export.StatementTokenID(se.Statement, se.Target))
		return
	}
	if e.Schema != "UnknownLink" {
		tb.Errorf("statement edge %s: schema %s, want UnknownLink", se.ID, e.Schema)
		return
	}
	from, to := ftmEnds(tb, e)
	got := statementEdge{ID: se.ID, Speaker: from, Target: to, Date: strings.Join(e.Properties["date"], " ")}
	if ids := e.Properties["recordId"]; len(ids) == 1 {
		got.Statement = ids[0]
	}
	for _, v := range e.Properties["summary"] {
		if head, ok := strings.CutPrefix(v, "STATEMENT; "); ok {
			for part := range strings.SplitSeq(head, "; ") {
				switch name, value, _ := strings.Cut(part, " "); name {
				case "stance":
					got.Stance = value
				case "confidence":
					got.Conf = value
				}
			}
		} else if value, ok := strings.CutPrefix(v, "event: "); ok {
			got.Event = value
		} else if value, ok := strings.CutPrefix(v, "onBehalfOf: "); ok {
			got.OnBehalfOf = value
		}
	}
	for _, v := range e.Properties["description"] {
		if strings.HasPrefix(v, "source:") {
			got.Source, got.Quote = parseEvidence(tb, v)
		} else {
			got.Note = v
		}
	}
	want := se
	want.Speaker, want.Target = export.NodeTokenID(se.Speaker), export.NodeTokenID(se.Target)
	if got != want {
		tb.Errorf("statement edge %s as FtM:\n got %+v\nwant %+v", se.ID, got, want)
	}
	if role := e.Properties["role"]; !slices.Equal(role, []string{strings.ToLower(se.Stance)}) {
		tb.Errorf("statement edge %s role: got %v, want its stance in words", se.ID, role)
	}
	if proof := e.Properties["proof"]; !slices.Equal(proof, []string{export.NodeTokenID(se.Source)}) || byID[proof[0]].Schema != "Article" {
		tb.Errorf("statement edge %s proof: got %v, want the Article of %s in the file", se.ID, proof, se.Source)
	}
	for _, id := range []string{from, to} {
		if _, ok := byID[id]; !ok {
			tb.Errorf("statement edge %s refers to %s, which has no entity", se.ID, id)
		}
	}
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// ftmEnds reads a link entity's source and target, whatever its schema.
func ftmEnds(tb testing.TB, e export.FtMEntity) (string, string) {
	tb.Helper()
	ends := export.FtMLinkEnds[e.Schema]
	from, to := e.Properties[ends[0]], e.Properties[ends[1]]
	if len(from) != 1 || len(to) != 1 {
		tb.Errorf("%s (%s): got ends %v and %v, want one each", e.ID, e.Schema, from, to)
		return "", ""
	}
	return from[0], to[0]
}

// checkFtMSchema checks the link schema chosen for r from its type and the
// kinds of its ends.
func checkFtMSchema(tb testing.TB, r *domain.Relation, e export.FtMEntity, kinds map[string]domain.Kind) {
	tb.Helper()
	var want []string
	switch r.Type {
	case domain.RelMemberOf:
		want = []string{"Membership"}
	case domain.RelHoldsPosition:
		want = []string{"Directorship", "Employment"}
	case domain.RelParticipatesIn, domain.RelImplements, domain.RelFunds, domain.RelSupports, domain.RelPartyTo:
		if k := kinds[r.To]; k == domain.KindProgramme || k == domain.KindAgreement {
			want = []string{"ProjectParticipant"}
		} else {
			want = []string{"UnknownLink"}
		}
	default:
		want = []string{"UnknownLink"}
	}
	if !slices.Contains(want, e.Schema) {
		tb.Errorf("relation %s: got schema %s, want one of %v", r.ID, e.Schema, want)
	}
}

// TestFtMPositions checks the HOLDS_POSITION split on the shipped data: a
// minister heads a ministry (Directorship), an undersecretary is employed.
func TestFtMPositions(t *testing.T) {
	store := shippedStore(t)
	d, err := export.Select(context.Background(), store, export.Selection{Depth: 1, RelationTypes: []domain.RelationType{domain.RelHoldsPosition}})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := export.WriteFtM(&out, d); err != nil {
		t.Fatal(err)
	}
	schemata := map[string]string{}
	for line := range strings.SplitSeq(strings.TrimSpace(out.String()), "\n") {
		var e export.FtMEntity
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatal(err)
		}
		schemata[e.ID] = e.Schema
	}
	for _, r := range d.Relations {
		want := "Employment"
		if strings.Contains(r.Role, "Minister") || strings.Contains(r.Role, "Commissioner") || strings.Contains(r.Role, "Ambassador") {
			want = "Directorship"
		}
		if got := schemata[export.RelationTokenID(r.ID)]; got != want {
			t.Errorf("%s (role %q): got %s, want %s", r.ID, r.Role, got, want)
		}
	}
	if len(d.Relations) == 0 {
		t.Fatal("no HOLDS_POSITION relations in the shipped data")
	}
}

// TestWritersReportWriteErrors: a failing writer is reported, not ignored.
func TestWritersReportWriteErrors(t *testing.T) {
	d := selectionCases(t)[1].data
	for _, f := range export.Formats {
		if err := f.Write(failingWriter{}, d); err == nil {
			t.Errorf("%s: got nil error writing to a failing writer, want the error", f.Name)
		}
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, io.ErrClosedPipe }
