package dataset_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/export"
	"github.com/stakegraph/stakegraph/internal/memstore"
)

// exportCSV exports the whole of g with the CSV export and returns its
// tables.
func exportCSV(tb testing.TB, g *domain.Graph) dataset.CSVTables {
	tb.Helper()
	store, err := memstore.New(g)
	if err != nil {
		tb.Fatal(err)
	}
	d, err := export.Select(context.Background(), store, export.Selection{})
	if err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	if err := export.WriteCSV(&buf, d); err != nil {
		tb.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		tb.Fatal(err)
	}
	read := func(name string) dataset.CSVFile {
		f, err := zr.Open(name)
		if err != nil {
			if name == export.StatementsCSV && len(g.Statements) == 0 {
				return dataset.CSVFile{}
			}
			tb.Fatalf("export lacks %s: %v", name, err)
		}
		defer f.Close()
		b, err := io.ReadAll(f)
		if err != nil {
			tb.Fatal(err)
		}
		return dataset.CSVFile{Name: name, Data: b}
	}
	return dataset.CSVTables{Nodes: read(export.NodesCSV), Edges: read(export.EdgesCSV), Statements: read(export.StatementsCSV)}
}

// TestCSVRoundTrip exports the shipped graph to CSV, imports it, writes it
// as a dataset directory and loads that: every step gives back the same
// nodes, relations, statements and evidence, with the same source texts.
func TestCSVRoundTrip(t *testing.T) {
	shippedData := shipped(t)
	if len(shippedData.Graph.Statements) == 0 {
		t.Fatal("the shipped dataset has no statements to carry over")
	}
	want := *shippedData

	got, err := dataset.ImportCSV(exportCSV(t, shippedData.Graph), "")
	if err != nil {
		t.Fatalf("ImportCSV: got error\n%v\nwant nil", err)
	}
	sameDataset(t, "imported", got, &want)

	dir := filepath.Join(t.TempDir(), "imported")
	if err := dataset.WriteDir(got, dir, "written by a test"); err != nil {
		t.Fatalf("WriteDir: %v", err)
	}
	loaded, err := dataset.LoadDataset(os.DirFS(dir), ".")
	if err != nil {
		t.Fatalf("loading the written directory: got error\n%v\nwant nil", err)
	}
	sameDataset(t, "written and loaded", loaded, &want)

	if err := dataset.WriteDir(got, dir, ""); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("WriteDir into a full directory: got %v, want EINVALID", err)
	}
}

func sameDataset(tb testing.TB, what string, got, want *dataset.Dataset) {
	tb.Helper()
	if g, w := len(got.Graph.Nodes), len(want.Graph.Nodes); g != w {
		tb.Errorf("%s: got %d nodes, want %d", what, g, w)
	}
	if g, w := len(got.Graph.Relations), len(want.Graph.Relations); g != w {
		tb.Errorf("%s: got %d relations, want %d", what, g, w)
	}
	for i := range min(len(got.Graph.Nodes), len(want.Graph.Nodes)) {
		if g, w := got.Graph.Nodes[i], want.Graph.Nodes[i]; !reflect.DeepEqual(g, w) {
			tb.Errorf("%s: node %d:\n got %#v\nwant %#v", what, i, g, w)
		}
	}
	for i := range min(len(got.Graph.Relations), len(want.Graph.Relations)) {
		if g, w := got.Graph.Relations[i], want.Graph.Relations[i]; !reflect.DeepEqual(g, w) {
			tb.Errorf("%s: relation %d:\n got %#v\nwant %#v", what, i, g, w)
		}
	}
	if g, w := len(got.Graph.Statements), len(want.Graph.Statements); g != w {
		tb.Errorf("%s: got %d statements, want %d", what, g, w)
	}
	for i := range min(len(got.Graph.Statements), len(want.Graph.Statements)) {
		if g, w := got.Graph.Statements[i], want.Graph.Statements[i]; !domain.SameStatement(g, w) {
			tb.Errorf("%s: statement %d:\n got %#v\nwant %#v", what, i, g, w)
		}
	}
	if !reflect.DeepEqual(got.SourceTexts, want.SourceTexts) {
		tb.Errorf("%s: got other source texts than the shipped ones", what)
	}
}

const (
	nodesHeader = "id,label,kind,isoCode,orgType,url\n"
	edgesHeader = "id,source,target,type,confidence,evidence\n"
)

// importErr imports the tables and returns the error message, failing if
// there is no EINVALID error.
func importErr(tb testing.TB, nodes, edges, sourcesDir string) string {
	tb.Helper()
	_, err := dataset.ImportCSV(dataset.CSVTables{Nodes: dataset.CSVFile{Name: "nodes.csv", Data: []byte(nodes)},
		Edges: dataset.CSVFile{Name: "edges.csv", Data: []byte(edges)}}, sourcesDir)
	if domain.ErrorCode(err) != domain.EINVALID {
		tb.Fatalf("ImportCSV: got %v, want EINVALID", err)
	}
	return domain.ErrorMessage(err)
}

func TestImportCSVErrors(t *testing.T) {
	texts := writeFiles(t, t.TempDir(), map[string]string{"note.txt": "Peru attended the\nLima summit."})
	const goodNodes = nodesHeader +
		"country:peru,Peru,Country,PE,,\n" +
		"event:summit,Lima summit,Event,,,\n" +
		"source:note,Field note,Source,,,https://example.org/note\n"
	const goodEdges = edgesHeader + `,country:peru,event:summit,ATTENDED,HIGH,"source:note: ""Peru attended the Lima summit"""` + "\n"
	if _, err := dataset.ImportCSV(dataset.CSVTables{Nodes: dataset.CSVFile{Name: "nodes.csv", Data: []byte(goodNodes)},
		Edges: dataset.CSVFile{Name: "edges.csv", Data: []byte(goodEdges)}}, texts); err != nil {
		t.Fatalf("ImportCSV(good): got error\n%v\nwant nil", err)
	}
	const rel = "relation country:peru|ATTENDED|event:summit"
	cases := []struct {
		name         string
		nodes, edges string
		wants        []string // the whole message, one problem a line
	}{
		{
			name:  "node problems at their rows",
			nodes: goodNodes + "country:chile,Chile,Country,chl,,\norganization:x,X,Organization,,,\ncountry:peru,Peru again,Country,,,\n",
			edges: goodEdges,
			wants: []string{
				`nodes.csv:5: node country:chile: isoCode: "chl" is not an ISO 3166-1 alpha-2 code (two capital letters)`,
				"nodes.csv:6: node organization:x: orgType: required for organizations; one of " + strings.Join(orgTypeNames(), ", "),
				"nodes.csv:7: node country:peru: id: duplicate node id, first defined at nodes.csv:2",
			},
		},
		{
			name:  "kind column against the id",
			nodes: goodNodes + "country:chile,Chile,Topic,,,\n",
			edges: goodEdges,
			wants: []string{"nodes.csv:5: node country:chile: kind: Topic, but the id says Country"},
		},
		{
			name:  "unknown and missing columns",
			nodes: "id,capital\ncountry:peru,Lima\n",
			edges: "id,source\n",
			wants: []string{
				`edges.csv:1: column "target": required`,
				`edges.csv:1: column "type": required`,
				`edges.csv:1: column "confidence": required`,
				`edges.csv:1: column "evidence": required`,
				`nodes.csv:1: column "capital": unknown; known columns: ` + strings.Join(append(export.NodeColumns(), "text"), ", "),
				`nodes.csv:1: column "label": required`,
				`nodes.csv:2: node country:peru: name: required`,
			},
		},
		{
			name:  "relation problems at their cells",
			nodes: goodNodes,
			edges: edgesHeader +
				`,country:peru,event:summit,ATTENDED,SURE,"source:note: ""Peru attended the Lima summit""` + "\n" +
				`source:note: ""Peru skipped the summit""` + "\n" +
				`country:peru: ""Peru"""` + "\n" +
				`,country:peru,topic:ports,ATTENDED,LOW,source:note no quote` + "\n",
			wants: []string{
				`edges.csv:2: ` + rel + `: confidence: "SURE" is not HIGH, MEDIUM or LOW`,
				"edges.csv:3: " + rel + ": evidence[1].quote: not found verbatim in source:note",
				"edges.csv:4: " + rel + ": evidence[2].source: country:peru is a Country, not a source",
				"edges.csv:5: relation country:peru|ATTENDED|topic:ports: evidence[0]: " + `want source:id: "quote", got "source:note no quote"`,
				"edges.csv:5: relation country:peru|ATTENDED|topic:ports: to: ATTENDED goes to an event, got topic:ports",
				"edges.csv:5: relation country:peru|ATTENDED|topic:ports: to: topic:ports is not defined",
			},
		},
		{
			name:  "duplicate relation",
			nodes: goodNodes,
			edges: goodEdges + `,country:peru,event:summit,ATTENDED,LOW,"source:note: ""Lima summit"""` + "\n",
			wants: []string{"edges.csv:3: " + rel + ": from/type/to: duplicate relation id, first defined at edges.csv:2; give one of them an explicit id"},
		},
		{
			name:  "CSV syntax",
			nodes: goodNodes + "country:chile,\"Chile,Country\n",
			edges: goodEdges + "a,b\n",
			wants: []string{
				"edges.csv:3: row has 2 cells, the header 6",
				`nodes.csv:5: CSV syntax error: extraneous or missing " in quoted-field`,
			},
		},
		{
			name:  "source without a text",
			nodes: goodNodes + "source:gone,Gone,Source,,,\n",
			edges: goodEdges,
			wants: []string{"nodes.csv:5: node source:gone: text: no text to check quotes against: the sources directory " + texts +
				" holds no gone.txt or gone.md, and the shipped dataset has no source:gone"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := importErr(t, tc.nodes, tc.edges, texts)
			if want := strings.Join(tc.wants, "\n"); got != want {
				t.Errorf("message:\n got\n%s\nwant\n%s", got, want)
			}
		})
	}
}

func orgTypeNames() []string {
	var out []string
	for _, t := range domain.OrgTypes {
		out = append(out, string(t))
	}
	return out
}

// TestImportCSVTexts: a source's text comes from a text column, from a file
// named after its slug, or from the shipped dataset, in that order; the
// written directory carries each text once.
func TestImportCSVTexts(t *testing.T) {
	texts := writeFiles(t, t.TempDir(), map[string]string{
		"shared.md":                  "Peru and Chile met in Lima. Chile attended the Lima summit.",
		"roundtable-article-2023.md": "A local copy: Peru attended the Lima summit.",
	})
	nodes := "id,label,text\n" +
		"country:peru,Peru,\ncountry:chile,Chile,\nevent:summit,Lima summit,\n" +
		"source:a,A,shared.md\nsource:b,B,shared.md\n" +
		"source:roundtable-article-2023,The article,\n" +
		"source:laconexionusa-roundtable-2023,Shipped,\n"
	edges := "source,target,type,confidence,evidence\n" +
		`country:peru,event:summit,ATTENDED,HIGH,"source:roundtable-article-2023: ""Peru attended the Lima summit""` + "\n" +
		`source:a: ""Peru and Chile met"""` + "\n" +
		`country:chile,event:summit,ATTENDED,LOW,"source:b: ""Chile attended the Lima summit""` + "\n" +
		`source:laconexionusa-roundtable-2023: ""Co-chaired"""` + "\n"
	d, err := dataset.ImportCSV(dataset.CSVTables{Nodes: dataset.CSVFile{Name: "nodes.csv", Data: []byte(nodes)},
		Edges: dataset.CSVFile{Name: "edges.csv", Data: []byte(edges)}}, texts)
	if err != nil {
		t.Fatalf("ImportCSV: got error\n%v\nwant nil", err)
	}
	wantFiles := map[string]string{
		"source:a": "shared.md", "source:b": "shared.md",
		"source:roundtable-article-2023":       "roundtable-article-2023.md",
		"source:laconexionusa-roundtable-2023": "background-facts.md",
	}
	if !reflect.DeepEqual(d.SourceFiles, wantFiles) {
		t.Errorf("source files: got %v, want %v", d.SourceFiles, wantFiles)
	}
	dir := filepath.Join(t.TempDir(), "out")
	if err := dataset.WriteDir(d, dir, "test"); err != nil {
		t.Fatalf("WriteDir: %v", err)
	}
	entries, err := os.ReadDir(filepath.Join(dir, dataset.SourcesDir))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"background-facts.md", "roundtable-article-2023.md", "shared.md"}; !slices.Equal(names, want) {
		t.Errorf("sources/: got %v, want %v", names, want)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "countries.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(raw), "# test\nnodes:\n  - id: country:chile\n    name: Chile\n") {
		t.Errorf("countries.yaml: got\n%s\nwant the header comment, then the nodes in ID order", raw)
	}

	// The text column needs a directory to read from.
	msg := importErr(t, nodes, edges, "")
	for _, want := range []string{
		"nodes.csv:5: node source:a: text: names shared.md, but no sources directory was given to read it from",
		"nodes.csv:6: node source:b: text: names shared.md, but no sources directory was given to read it from",
	} {
		if !slices.Contains(strings.Split(msg, "\n"), want) {
			t.Errorf("message:\n%s\nwant a line %q", msg, want)
		}
	}
}

// TestImportCSVStatements: statements.csv is read like the other tables,
// what a statement is about split at "; ", and its problems are named at
// their file and line, refusing the whole import.
func TestImportCSVStatements(t *testing.T) {
	texts := writeFiles(t, t.TempDir(), map[string]string{"note.txt": "Ana said Peru backs the port programme.\nAna doubted the summit."})
	const nodes = nodesHeader +
		"person:ana,Ana,Person,,,\n" +
		"country:peru,Peru,Country,PE,,\n" +
		"topic:ports,Port security,Topic,,,\n" +
		"programme:ports,Port programme,Programme,,,\n" +
		"source:note,Field note,Source,,,https://example.org/note\n"
	const header = "id,speaker,onBehalfOf,about,stance,date,event,confidence,note,source,quote\n"
	tables := func(statements string) dataset.CSVTables {
		return dataset.CSVTables{
			Nodes:      dataset.CSVFile{Name: "nodes.csv", Data: []byte(nodes)},
			Edges:      dataset.CSVFile{Name: "edges.csv", Data: []byte(edgesHeader)},
			Statements: dataset.CSVFile{Name: "statements.csv", Data: []byte(statements)},
		}
	}
	good := header + `,person:ana,country:peru,topic:ports; programme:ports,SUPPORTS,2024-05,,HIGH,,source:note,"Ana said Peru backs the port programme."` + "\n"
	d, err := dataset.ImportCSV(tables(good), texts)
	if err != nil {
		t.Fatalf("ImportCSV: got error\n%v\nwant nil", err)
	}
	want := []*domain.Statement{{
		ID: domain.StatementID("person:ana", "Ana said Peru backs the port programme."), Speaker: "person:ana", OnBehalfOf: "country:peru",
		About: []string{"programme:ports", "topic:ports"}, Stance: domain.StanceSupports, Date: "2024-05", Confidence: domain.ConfidenceHigh,
		Evidence: domain.Evidence{SourceID: "source:note", Quote: "Ana said Peru backs the port programme."},
	}}
	if len(d.Graph.Statements) != 1 || !domain.SameStatement(d.Graph.Statements[0], want[0]) {
		t.Errorf("statements: got %+v, want %+v", d.Graph.Statements, want)
	}

	cases := []struct {
		name, statements string
		want             string
	}{
		{"quote not in the text", header + `statement:ana-2,person:ana,,topic:ports,OPPOSES,,,LOW,,source:note,"Ana doubted the programme."` + "\n",
			"statements.csv:2: statement statement:ana-2: quote: not found verbatim in source:note"},
		{"unknown stance and speaker", header + `statement:ana-2,person:bob,,topic:ports,AGREES,,,LOW,,source:note,"Ana doubted the summit."` + "\n",
			"statements.csv:2: statement statement:ana-2: stance: \"AGREES\" is not SUPPORTS, OPPOSES or NEUTRAL\n" +
				"statements.csv:2: statement statement:ana-2: speaker: person:bob is not defined"},
		{"missing column", "id,speaker,about,stance,source\n", `statements.csv:1: column "quote": required`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := dataset.ImportCSV(tables(tc.statements), texts)
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("got %v, want EINVALID", err)
			}
			if got := domain.ErrorMessage(err); !strings.Contains(got, tc.want) {
				t.Errorf("message:\n got\n%s\nwant it to hold\n%s", got, tc.want)
			}
		})
	}
}
