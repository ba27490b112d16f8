package export_test

// Each format opened with the tool its users open it with: xmllint against
// the official schemas, FollowTheMoney's `ftm validate`, networkx,
// Cytoscape.js and graphology. scripts/validators.sh installs them (test.sh
// runs it) where these tests look for them: xmllint and node on the PATH,
// Python in .cache/validators/venv, the npm packages in
// testdata/validators/node_modules; STAKEGRAPH_XMLLINT,
// STAKEGRAPH_VALIDATOR_PYTHON and STAKEGRAPH_NODE override. Under CI=true a
// missing tool fails the test, elsewhere it skips saying how to install it.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/export"
)

const installHint = "run scripts/validators.sh to install the export validators"

// missingTool fails the test in CI and skips it elsewhere.
func missingTool(tb testing.TB, format string, args ...any) {
	tb.Helper()
	msg := "export validator missing: " + fmt.Sprintf(format, args...) + "; " + installHint
	if os.Getenv("CI") == "true" {
		tb.Fatal(msg)
	}
	tb.Skip(msg)
}

// repoPath is a path relative to the repository root (tests run in
// internal/export).
func repoPath(tb testing.TB, rel string) string {
	tb.Helper()
	p, err := filepath.Abs(filepath.Join("..", "..", rel))
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// tool finds an executable: the path in env when set, else the first of
// candidates that exists (a name without a slash is looked up in PATH).
func tool(tb testing.TB, env string, candidates ...string) string {
	tb.Helper()
	if p := os.Getenv(env); p != "" {
		candidates = []string{p}
	}
	for _, c := range candidates {
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	missingTool(tb, "none of %v is an executable (%s overrides)", candidates, env)
	return ""
}

func xmllint(tb testing.TB) string {
	tb.Helper()
	return tool(tb, "STAKEGRAPH_XMLLINT", "xmllint")
}

func validatorPython(tb testing.TB) string {
	tb.Helper()
	return tool(tb, "STAKEGRAPH_VALIDATOR_PYTHON", repoPath(tb, ".cache/validators/venv/bin/python"))
}

// validatorsDir holds the validator scripts and the locked node_modules.
func validatorsDir(tb testing.TB) string {
	tb.Helper()
	return repoPath(tb, "internal/export/testdata/validators")
}

// nodeScript finds node and checks that the locked packages are installed.
func nodeScript(tb testing.TB) string {
	tb.Helper()
	node := tool(tb, "STAKEGRAPH_NODE", "node")
	for _, pkg := range []string{"cytoscape", "graphology"} {
		if _, err := os.Stat(filepath.Join(validatorsDir(tb), "node_modules", pkg, "package.json")); err != nil {
			missingTool(tb, "no npm package %s in %s", pkg, validatorsDir(tb))
		}
	}
	return node
}

// writeExport renders the named format of d into a file of a fresh
// directory and returns its path.
func writeExport(tb testing.TB, name string, d *export.Data) string {
	tb.Helper()
	f, _ := export.Lookup(name)
	p := filepath.Join(tb.TempDir(), "stakegraph"+f.Extension)
	if err := os.WriteFile(p, render(tb, name, d), 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

// run runs a validator and returns its standard output; a failure reports
// what it printed.
func run(tb testing.TB, env []string, name string, args ...string) []byte {
	tb.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		tb.Fatalf("%s %v: %v\n%s", filepath.Base(name), args, err, firstLines(stderr.String(), 8))
	}
	return stdout.Bytes()
}

// firstLines keeps a validator's complaint readable: one error per element
// of a 300-element file is the same error many times.
func firstLines(s string, n int) string {
	lines := bytes.SplitN([]byte(s), []byte("\n"), n+1)
	if len(lines) > n {
		lines[n] = []byte("…")
	}
	return string(bytes.Join(lines, []byte("\n")))
}

// runJSON runs a validator script that prints JSON and decodes it into v.
func runJSON(tb testing.TB, v any, name string, args ...string) {
	tb.Helper()
	out := run(tb, nil, name, args...)
	if err := json.Unmarshal(out, v); err != nil {
		tb.Fatalf("%s %v: output is not the JSON expected: %v\n%s", filepath.Base(name), args, err, firstLines(string(out), 5))
	}
}

// validateXML checks file against an XSD of testdata/schemas with xmllint,
// offline: a catalog beside the schema maps the schema's web addresses to
// the kept copies.
func validateXML(tb testing.TB, xmllint, file, schema string) {
	tb.Helper()
	xsd := repoPath(tb, filepath.Join("internal/export/testdata/schemas", schema))
	var env []string
	if catalog := filepath.Join(filepath.Dir(xsd), "catalog.xml"); fileExists(catalog) {
		env = append(env, "XML_CATALOG_FILES="+catalog)
	}
	run(tb, env, xmllint, "--nonet", "--noout", "--schema", xsd, file)
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// TestGraphMLValidatesAgainstSchema: the official GraphML schema accepts
// the file (every node and edge ID an xs:NMTOKEN, keys declared).
func TestGraphMLValidatesAgainstSchema(t *testing.T) {
	xmllint := xmllint(t)
	for _, c := range selectionCases(t) {
		t.Run(c.name, func(t *testing.T) {
			validateXML(t, xmllint, writeExport(t, "graphml", c.data), "graphml/graphml.xsd")
		})
	}
}

// TestGraphMLReadByNetworkX: networkx.read_graphml gives back every node
// and relation of the selection, with their attributes and the relation's
// stakegraph ID.
func TestGraphMLReadByNetworkX(t *testing.T) {
	python := validatorPython(t)
	for _, c := range selectionCases(t) {
		t.Run(c.name, func(t *testing.T) {
			var g struct {
				Directed bool
				Nodes    map[string]map[string]any
				Edges    []struct {
					Source, Target string
					Key            any
					Attrs          map[string]any
				}
			}
			runJSON(t, &g, python, filepath.Join(validatorsDir(t), "read_graphml.py"), writeExport(t, "graphml", c.data))
			if !g.Directed {
				t.Error("networkx read an undirected graph, want directed")
			}
			if len(g.Nodes) != len(c.want.Nodes) {
				t.Errorf("nodes: got %d, want %d", len(g.Nodes), len(c.want.Nodes))
			}
			for _, n := range c.want.Nodes {
				a, ok := g.Nodes[n.ID]
				if !ok {
					t.Errorf("node %s: missing", n.ID)
					continue
				}
				if a["label"] != n.Name || a["kind"] != string(n.Kind) || str(a["orgType"]) != string(n.OrgType) || str(a["start"]) != string(n.Start) {
					t.Errorf("node %s: got %v, want label %q kind %s orgType %q start %q", n.ID, a, n.Name, n.Kind, n.OrgType, n.Start)
				}
			}
			var statements []statementEdge
			relationEdges := g.Edges[:0:0]
			for _, e := range g.Edges {
				switch e.Attrs["kind"] {
				case "relation":
					relationEdges = append(relationEdges, e)
				case "statement":
					atts := map[string]string{}
					for k, v := range e.Attrs {
						atts[k] = str(v)
					}
					statements = append(statements, statementFromAttrs(t, atts["statementId"]+"|"+e.Target, e.Source, e.Target, atts))
				default:
					t.Errorf("edge %v→%v: kind %v, want relation or statement", e.Source, e.Target, e.Attrs["kind"])
				}
			}
			// networkx gives a multigraph's edges grouped by source node,
			// not in the file's order.
			byID := func(a, b statementEdge) int { return strings.Compare(a.ID, b.ID) }
			slices.SortFunc(statements, byID)
			checkStatementEdges(t, statements, slices.SortedFunc(slices.Values(c.wantStatements), byID))
			if len(relationEdges) != len(c.want.Relations) {
				t.Fatalf("relation edges: got %d, want %d", len(relationEdges), len(c.want.Relations))
			}
			seen := map[string]bool{}
			for _, e := range relationEdges {
				id := str(e.Attrs["relationId"])
				seen[id] = true
				r := relationByID(c.want.Relations, id)
				if r == nil {
					t.Errorf("edge %v→%v: relationId %q is no relation of the selection", e.Source, e.Target, id)
					continue
				}
				if e.Source != r.From || e.Target != r.To {
					t.Errorf("edge %s: got %s→%s, want %s→%s", id, e.Source, e.Target, r.From, r.To)
				}
				if e.Attrs["type"] != string(r.Type) || e.Attrs["confidence"] != string(r.Confidence) ||
					fmt.Sprint(e.Attrs["undated"]) != undated(r) || str(e.Attrs["end"]) != string(r.End) {
					t.Errorf("edge %s attributes: got %v, want type %s confidence %s undated %s end %q", id, e.Attrs, r.Type, r.Confidence, undated(r), r.End)
				}
				checkEvidence(t, r, str(e.Attrs["evidence"]))
			}
			if len(seen) != len(c.want.Relations) {
				t.Errorf("distinct relationIds: got %d, want %d", len(seen), len(c.want.Relations))
			}
		})
	}
}

// str is a JSON value as a string, "" when absent.
func str(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

func relationByID(rs []*domain.Relation, id string) *domain.Relation {
	for _, r := range rs {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// TestGEXFValidatesAgainstSchema: the official GEXF 1.3 schema accepts the
// file, spells included.
func TestGEXFValidatesAgainstSchema(t *testing.T) {
	xmllint := xmllint(t)
	for _, c := range selectionCases(t) {
		t.Run(c.name, func(t *testing.T) {
			validateXML(t, xmllint, writeExport(t, "gexf", c.data), "gexf-1.3/gexf.xsd")
		})
	}
}

// TestFtMValidate: FollowTheMoney's own `ftm validate` keeps every entity
// and every property value, link ends included (it drops an end whose ID
// breaks FtM's ID rule), every relation and statement links two entities
// of the file, and what it writes back imports as the same graph as the
// export, with the store's statements.
func TestFtMValidate(t *testing.T) {
	ftm := filepath.Join(filepath.Dir(validatorPython(t)), "ftm")
	if !fileExists(ftm) {
		missingTool(t, "no %s", ftm)
	}
	for _, c := range selectionCases(t) {
		t.Run(c.name, func(t *testing.T) {
			in := writeExport(t, "ftm", c.data)
			out := filepath.Join(t.TempDir(), "validated.ftm.json")
			run(t, nil, ftm, "validate", "-i", in, "-o", out)
			written, validated := readFtM(t, in), readFtM(t, out)
			if len(validated) != len(written) {
				t.Errorf("entities: ftm validate kept %d of %d", len(validated), len(written))
			}
			kept := map[string]export.FtMEntity{}
			for _, e := range validated {
				kept[e.ID] = e
			}
			links := 0
			for _, e := range written {
				if !ftmIDRule.MatchString(e.ID) {
					t.Errorf("%s: breaks FtM's ID rule", e.ID)
				}
				v, ok := kept[e.ID]
				if !ok {
					t.Errorf("%s: dropped by ftm validate", e.ID)
					continue
				}
				if v.Schema != e.Schema || !maps.EqualFunc(v.Properties, e.Properties, slices.Equal) {
					t.Errorf("%s: ftm validate changed it\n got %v %v\nwant %v %v", e.ID, v.Schema, v.Properties, e.Schema, e.Properties)
				}
				if ends, isLink := export.FtMLinkEnds[e.Schema]; isLink {
					links++
					for _, end := range ends {
						if ids := v.Properties[end]; len(ids) != 1 || kept[ids[0]].ID == "" {
							t.Errorf("%s: %s %v, want one entity of the file", e.ID, end, ids)
						}
					}
				}
			}
			if links == 0 {
				t.Error("no link entities: the check above is empty")
			}
			// What FtM's tool writes back imports as the same graph.
			want, err := dataset.ImportFtM(dataset.FtMFile{Name: in, Data: readFile(t, in)}, "")
			if err != nil {
				t.Fatalf("importing the export: %v", err)
			}
			got, err := dataset.ImportFtM(dataset.FtMFile{Name: out, Data: readFile(t, out)}, "")
			if err != nil {
				t.Fatalf("importing what ftm validate wrote: %v", err)
			}
			if !reflect.DeepEqual(got.Graph, want.Graph) || !maps.Equal(got.SourceTexts, want.SourceTexts) {
				t.Error("what ftm validate wrote imports as another graph than the export")
			}
			// Its statements are the store's, about the selected concepts.
			var statements []statementEdge
			for _, st := range got.Graph.Statements {
				for _, about := range st.About {
					statements = append(statements, statementEdge{
						ID: st.ID + "|" + about, Statement: st.ID, Speaker: st.Speaker, Target: about,
						Stance: string(st.Stance), Date: string(st.Date), Event: st.Event, OnBehalfOf: st.OnBehalfOf,
						Conf: string(st.Confidence), Note: st.Note, Source: st.Evidence.SourceID, Quote: st.Evidence.Quote,
					})
				}
			}
			checkStatementEdges(t, statements, c.wantStatements)
		})
	}
}

func readFile(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// readFtM reads a file of FtM entities, one JSON object a line.
func readFtM(tb testing.TB, path string) []export.FtMEntity {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var out []export.FtMEntity
	for line := range bytes.SplitSeq(bytes.TrimSpace(b), []byte("\n")) {
		var e export.FtMEntity
		if err := json.Unmarshal(line, &e); err != nil {
			tb.Fatalf("%s: %v in %q", filepath.Base(path), err, line)
		}
		out = append(out, e)
	}
	return out
}

// TestCytoscapeLoadsInCytoscapeJS: the file is a whole cy.json() document;
// cy.json(doc) in the locked Cytoscape.js gives back every node and edge
// with its data, each edge between two loaded nodes.
func TestCytoscapeLoadsInCytoscapeJS(t *testing.T) {
	node := nodeScript(t)
	for _, c := range selectionCases(t) {
		t.Run(c.name, func(t *testing.T) {
			var cy struct {
				Name  string
				Nodes []jsonNode
				Edges []struct {
					jsonEdge
					SourceExists, TargetExists bool
				}
				StatementEdges []string
			}
			runJSON(t, &cy, node, filepath.Join(validatorsDir(t), "load_cytoscape.mjs"), writeExport(t, "cytoscape", c.data))
			if cy.Name != c.data.Title {
				t.Errorf("graph name: got %q, want %q", cy.Name, c.data.Title)
			}
			var edges []jsonEdge
			for _, e := range cy.Edges {
				edges = append(edges, e.jsonEdge)
				if !e.SourceExists || !e.TargetExists {
					t.Errorf("edge %s: an end is not a loaded node", e.ID)
				}
			}
			relations, statements := splitJSONEdges(t, edges, c.data)
			checkStatementEdges(t, statements, c.wantStatements)
			checkSelectedStatements(t, "cy.edges('[kind = \"statement\"]')", cy.StatementEdges, c.wantStatements)
			if len(cy.Nodes) != len(c.want.Nodes) || len(relations) != len(c.want.Relations) {
				t.Fatalf("Cytoscape.js holds %d nodes and %d relation edges, want %d and %d", len(cy.Nodes), len(relations), len(c.want.Nodes), len(c.want.Relations))
			}
			for i, n := range c.want.Nodes {
				checkJSONNode(t, cy.Nodes[i], n)
			}
			for i, r := range c.want.Relations {
				checkJSONEdge(t, relations[i], r, c.data)
			}
		})
	}
}

// checkSelectedStatements: the tool's own selection of statement edges, as
// the README gives it, finds exactly the statement edges.
func checkSelectedStatements(tb testing.TB, how string, got []string, want []statementEdge) {
	tb.Helper()
	var ids []string
	for _, se := range want {
		ids = append(ids, se.ID)
	}
	if !slices.Equal(got, ids) {
		tb.Errorf("%s: got %v, want %v", how, got, ids)
	}
}

// TestGraphologyFrom: Graph.from(doc) in the locked graphology rebuilds a
// directed multigraph with every node and edge and their attributes.
func TestGraphologyFrom(t *testing.T) {
	node := nodeScript(t)
	for _, c := range selectionCases(t) {
		t.Run(c.name, func(t *testing.T) {
			var g struct {
				Type                  string
				Multi, AllowSelfLoops bool
				Name                  string
				Order, Size           int
				Nodes                 []struct {
					Key   string
					Attrs jsonNode
				}
				Edges []struct {
					Key, Source, Target string
					Attrs               jsonEdge
				}
				StatementEdges []string
			}
			runJSON(t, &g, node, filepath.Join(validatorsDir(t), "load_graphology.mjs"), writeExport(t, "graphology", c.data))
			if g.Type != "directed" || !g.Multi || g.AllowSelfLoops || g.Name != c.data.Title {
				t.Errorf("graph: got type %s multi %v allowSelfLoops %v name %q, want directed, multi, no self loops, %q", g.Type, g.Multi, g.AllowSelfLoops, g.Name, c.data.Title)
			}
			wantSize := len(c.want.Relations) + len(c.wantStatements)
			if g.Order != len(c.want.Nodes) || g.Size != wantSize || len(g.Nodes) != g.Order || len(g.Edges) != g.Size {
				t.Fatalf("graphology holds %d nodes and %d edges, want %d and %d relations + %d statement edges", g.Order, g.Size, len(c.want.Nodes), len(c.want.Relations), len(c.wantStatements))
			}
			for i, n := range c.want.Nodes {
				got := g.Nodes[i].Attrs
				got.ID = g.Nodes[i].Key
				checkJSONNode(t, got, n)
			}
			var edges []jsonEdge
			for _, e := range g.Edges {
				got := e.Attrs
				got.ID, got.Source, got.Target = e.Key, e.Source, e.Target
				edges = append(edges, got)
			}
			relations, statements := splitJSONEdges(t, edges, c.data)
			checkStatementEdges(t, statements, c.wantStatements)
			checkSelectedStatements(t, "graph.filterEdges(… a.kind === \"statement\")", g.StatementEdges, c.wantStatements)
			for i, r := range c.want.Relations {
				checkJSONEdge(t, relations[i], r, c.data)
			}
		})
	}
}
