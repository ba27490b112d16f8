package main_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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

// TestImportFtM imports the FollowTheMoney export of the served graph, from
// a file and from standard input, serves the result, and refuses a broken
// copy with its problems named at their lines, writing nothing.
func TestImportFtM(t *testing.T) {
	shippedService := startService(t, "NEO4J_URI=")
	resp, err := http.Get(shippedService.base + "/export/ftm")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /export/ftm: status %d, %v\n%s", resp.StatusCode, err, raw)
	}
	dir := t.TempDir()
	ftmPath := filepath.Join(dir, "stakegraph-graph.ftm.json")
	if err := os.WriteFile(ftmPath, raw, 0o644); err != nil {
		t.Fatal(err)
	}

	shippedCounts, _ := run(t, nil, "validate") // "ok: N nodes, M relations"
	counts := strings.TrimSuffix(strings.TrimPrefix(shippedCounts, "ok: "), "\n")
	imported := filepath.Join(dir, "imported")
	out, code := run(t, nil, "import", "--from", "ftm", ftmPath, "--out", imported)
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
	for _, q := range []string{
		`{ stakeholder(id: "country:hungary") { name aliases relations { type role status start end confidence node { id } evidence { source { id url } quote } } } }`,
		`{ stakeholder(id: "topic:maritime-security") { name description relations { type node { id } note evidence { quote } } } }`,
	} {
		_, want := shippedService.query(t, q, nil)
		_, got := s.query(t, q, nil)
		if len(got.Errors) > 0 || !jsonEqual(t, got.Data, want.Data) {
			t.Errorf("imported data served:\n got %s %v\nwant %s", got.Data, got.Errors, want.Data)
		}
	}

	// The same file from standard input writes the same files.
	viaStdin := filepath.Join(dir, "via-stdin")
	cmd := exec.Command(binary, "import", "--from", "ftm", "--out", viaStdin, "-")
	cmd.Stdin = bytes.NewReader(raw)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("import from stdin: %v\n%s", err, b)
	}
	for _, name := range []string{"relations.yaml", "topics.yaml", "sources.yaml", "sources/background-facts.md"} {
		a, b := readBody(t, filepath.Join(imported, name)), readBody(t, filepath.Join(viaStdin, name))
		if a == "" || a != b {
			t.Errorf("%s: the import from stdin differs from the import from the file", name)
		}
	}

	// A broken copy: one quote changed, one link with a wrong end and type.
	lines := strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n")
	const quote, wrong = "Germany, Austria, Belgium", "Germany, Austria, Portugal"
	quoteLine := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, quote) }) + 1
	if quoteLine == 0 {
		t.Fatalf("the export no longer quotes %q; pick another quote to break", quote)
	}
	lines[quoteLine-1] = strings.Replace(lines[quoteLine-1], quote, wrong, 1)
	lines = append(lines, `{"id":"rel.x","schema":"UnknownLink","properties":{"subject":["country.spain"],"object":["topic.terrorism"],`+
		`"summary":["FUNDS; confidence MAYBE"],"description":["source:roundtable-article-2023: \"Spain\""]}}`)
	badLine := len(lines)
	broken := filepath.Join(dir, "broken.ftm.json")
	if err := os.WriteFile(broken, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	refused := filepath.Join(dir, "refused")
	out, code = run(t, nil, "import", "--from", "ftm", "--out", refused, broken)
	if code != 1 {
		t.Errorf("import of a broken export: exit %d, want 1\n%s", code, out)
	}
	const spain = "relation country:spain|FUNDS|topic:terrorism: "
	for _, want := range []string{
		fmt.Sprintf("%s:%d: relation ", broken, quoteLine),
		": evidence[0].quote: not found verbatim in source:roundtable-article-2023\n",
		fmt.Sprintf("%s:%d: %sobject: FUNDS goes to programme, event or agreement, got topic:terrorism\n", broken, badLine, spain),
		fmt.Sprintf("%s:%d: %ssummary: \"MAYBE\" is not HIGH, MEDIUM or LOW\n", broken, badLine, spain),
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(refused); !os.IsNotExist(err) {
		t.Errorf("refused import left %s behind (stat: %v), want nothing written", refused, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 4 { // the export, the two imports, the broken copy
		t.Errorf("refused import left files beside its output: %v", entries)
	}
}

// readBody reads a written dataset file without its header comment, which
// names the input.
func readBody(tb testing.TB, path string) string {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	for len(lines) > 0 && strings.HasPrefix(lines[0], "#") {
		lines = lines[1:]
	}
	return strings.Join(lines, "\n")
}
