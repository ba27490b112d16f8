package main_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// exportZip downloads the whole graph as the CSV export's ZIP from s.
func exportZip(tb testing.TB, s *service) []byte {
	tb.Helper()
	resp, err := http.Get(s.base + "/export/csv")
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		tb.Fatalf("GET /export/csv: status %d, %v\n%s", resp.StatusCode, err, raw)
	}
	return raw
}

// unzip returns the files of a ZIP by name.
func unzip(tb testing.TB, raw []byte) map[string]string {
	tb.Helper()
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			tb.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			tb.Fatal(err)
		}
		out[f.Name] = string(b)
	}
	return out
}

// TestImportCSV imports the CSV export of the served graph, serves the
// result, and refuses a broken copy of the export with its problems named
// at their lines in edges.csv.
func TestImportCSV(t *testing.T) {
	shippedService := startService(t, "NEO4J_URI=")
	raw := exportZip(t, shippedService)
	dir := t.TempDir()
	zipPath := filepath.Join(dir, "stakegraph-graph.csv.zip")
	if err := os.WriteFile(zipPath, raw, 0o644); err != nil {
		t.Fatal(err)
	}

	shippedCounts, _ := run(t, nil, "validate") // "ok: N nodes, M relations"
	counts := strings.TrimSuffix(strings.TrimPrefix(shippedCounts, "ok: "), "\n")
	imported := filepath.Join(dir, "imported")
	out, code := run(t, nil, "import", "--from", "csv", zipPath, "--out", imported)
	if code != 0 {
		t.Fatalf("import: exit %d\n%s", code, out)
	}
	if want := "imported " + counts + " and "; !strings.HasPrefix(out, want) || !strings.HasSuffix(out, " source texts into "+imported+"\n") {
		t.Errorf("import output: got %q, want %q…source texts into %s", out, want, imported)
	}
	out, code = run(t, nil, "validate", imported)
	if code != 0 || out != shippedCounts {
		t.Errorf("validate the imported directory: exit %d, got %q, want %q", code, out, shippedCounts)
	}
	s := startServe(t, []string{"--data", imported}, "NEO4J_URI=")
	q := `{ stakeholder(id: "country:hungary") { name relations(types: [ATTENDED]) { node { id } evidence { quote } } } }`
	_, want := shippedService.query(t, q, nil)
	_, got := s.query(t, q, nil)
	if len(got.Errors) > 0 || !jsonEqual(t, got.Data, want.Data) {
		t.Errorf("imported data served:\n got %s %v\nwant %s", got.Data, got.Errors, want.Data)
	}

	// A broken copy of the two tables: one quote changed, one row bent.
	files := unzip(t, raw)
	edges := files["edges.csv"]
	const quote, wrong = "Germany, Austria, Belgium", "Germany, Austria, Portugal"
	at := strings.Index(edges, quote)
	if at < 0 {
		t.Fatalf("edges.csv no longer quotes %q; pick another quote to break", quote)
	}
	quoteLine := strings.Count(edges[:at], "\n") + 1
	edges = edges[:at] + wrong + edges[at+len(quote):]
	edges += "country:spain|FUNDS|topic:terrorism,country:spain,topic:terrorism,FUNDS,,,,,MAYBE,false,,,,\n"
	badLine := strings.Count(edges, "\n")
	nodesCSV, edgesCSV := filepath.Join(dir, "nodes.csv"), filepath.Join(dir, "edges.csv")
	if err := os.WriteFile(nodesCSV, []byte(files["nodes.csv"]), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(edgesCSV, []byte(edges), 0o644); err != nil {
		t.Fatal(err)
	}
	refused := filepath.Join(dir, "refused")
	out, code = run(t, nil, "import", "--from", "csv", "--out", refused, nodesCSV, edgesCSV)
	if code != 1 {
		t.Errorf("import of a broken export: exit %d, want 1\n%s", code, out)
	}
	const spain = "relation country:spain|FUNDS|topic:terrorism: "
	for _, want := range []string{
		fmt.Sprintf("%s:%d: relation ", edgesCSV, quoteLine),
		": evidence[0].quote: not found verbatim in source:roundtable-article-2023\n",
		fmt.Sprintf("%s:%d: %sto: FUNDS goes to programme, event or agreement, got topic:terrorism\n", edgesCSV, badLine, spain),
		fmt.Sprintf("%s:%d: %sconfidence: \"MAYBE\" is not HIGH, MEDIUM or LOW\n", edgesCSV, badLine, spain),
		fmt.Sprintf("%s:%d: %sevidence: required: at least one {source, quote}\n", edgesCSV, badLine, spain),
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(refused); !os.IsNotExist(err) {
		t.Errorf("refused import left %s behind (stat: %v), want nothing written", refused, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 4 { // the ZIP, its two tables, the first import
		t.Errorf("refused import left files beside its output: %v", entries)
	}
}
