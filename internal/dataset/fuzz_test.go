package dataset_test

import (
	"testing"
	"testing/fstest"
	"time"

	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
)

// FuzzLoad feeds arbitrary YAML as a dataset file: the loader must never
// panic or hang, and a file it refuses gets EINVALID with a message.
// Run longer with: go test -fuzz FuzzLoad ./internal/dataset
func FuzzLoad(f *testing.F) {
	for _, seed := range []string{
		"nodes:\n  - id: country:spain\n    name: Spain\n",
		"relations:\n  - type: ATTENDED\n    from: country:spain\n    to: event:x\n    start: \"2023-02-30\"\n",
		"- id: country:spain\n",
		"nodes: {a: 1}\n",
		"nodes:\n  - &a {id: country:x, name: *a}\n",
		"\t:",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, content string) {
		fsys := fstest.MapFS{"data/file.yaml": {Data: []byte(content)}}
		type result struct {
			g   *domain.Graph
			err error
		}
		done := make(chan result, 1)
		go func() {
			g, err := dataset.Load(fsys, "data")
			done <- result{g, err}
		}()
		var g *domain.Graph
		var err error
		select {
		case r := <-done:
			g, err = r.g, r.err
		case <-time.After(2 * time.Second):
			t.Fatalf("Load did not return within 2s on %q", content)
		}
		if err == nil {
			if g == nil {
				t.Fatal("no error and no graph")
			}
			return
		}
		if code := domain.ErrorCode(err); code != domain.EINVALID {
			t.Fatalf("error code: got %s (%v), want EINVALID", code, err)
		}
		if domain.ErrorMessage(err) == "" {
			t.Fatal("error without a message")
		}
	})
}

// FuzzImportCSV feeds arbitrary tables to the CSV importer: it must never
// panic, and tables it refuses get EINVALID with a message.
// Run longer with: go test -fuzz FuzzImportCSV ./internal/dataset
func FuzzImportCSV(f *testing.F) {
	f.Add("id,label\ncountry:peru,Peru\n", "source,target,type,confidence,evidence\ncountry:peru,country:chile,COOPERATES_WITH,LOW,\"source:x: \"\"q\"\"\"\n", "id,speaker,about,stance,source,quote\n")
	f.Add("id,label,text\nsource:a,A,../x\n", "source,target\n\"unterminated\n", "id,speaker,about,stance,source,quote\n")
	f.Add("", "a,b\n1\n1,2,3\n", "id,speaker,about,stance,source,quote\n")
	f.Add("\ufeffid,label,kind\nevent:x,X,Event\n", "id,source,target,type,confidence,evidence,undated\n,event:x,topic:y,ADDRESSES,HIGH,\"\n\n: \"\"\",maybe\n", "id,speaker,about,stance,source,quote\n")
	f.Fuzz(func(t *testing.T, nodes, edges, statements string) {
		d, err := dataset.ImportCSV(dataset.CSVTables{Nodes: dataset.CSVFile{Name: "nodes.csv", Data: []byte(nodes)},
			Edges: dataset.CSVFile{Name: "edges.csv", Data: []byte(edges)}, Statements: dataset.CSVFile{Name: "statements.csv", Data: []byte(statements)}}, "")
		if err == nil {
			if d == nil || d.Graph.Validate() != nil {
				t.Fatalf("accepted tables give %v, %v; want a valid graph", d, err)
			}
			return
		}
		if code := domain.ErrorCode(err); code != domain.EINVALID {
			t.Fatalf("error code: got %s (%v), want EINVALID", code, err)
		}
		if domain.ErrorMessage(err) == "" {
			t.Fatal("error without a message")
		}
	})
}

// FuzzImportFtM feeds arbitrary entity lines to the FtM importer: it must
// never panic, and a file it refuses gets EINVALID with a message.
// Run longer with: go test -fuzz FuzzImportFtM ./internal/dataset
func FuzzImportFtM(f *testing.F) {
	f.Add(`{"id":"country.peru","schema":"PublicBody","properties":{"name":["Peru"],"keywords":["Country","country:peru"],"jurisdiction":["pe"]}}` + "\n" +
		`{"id":"event.x","schema":"Event","properties":{"name":["X"],"summary":["start: 2023"]}}` + "\n" +
		`{"id":"rel.1","schema":"UnknownLink","properties":{"subject":["country.peru"],"object":["event.x"],"summary":["ATTENDED; confidence LOW; undated"],"description":["source:roundtable-article-2023: \"Ecuador\""]}}`)
	f.Add(`{"id":"source.a","schema":"Article","properties":{"name":["A"],"fileName":["../x"],"title":["B"]}}` + "\n{\"id\":")
	f.Add(`{"id":"x","schema":"Membership","properties":{"member":["x"],"organization":["y.z"],"summary":["; confidence"],"recordId":[""]}}`)
	f.Add("\n\r\n{}\n[]\nnull\n")
	f.Fuzz(func(t *testing.T, content string) {
		d, err := dataset.ImportFtM(dataset.FtMFile{Name: "in.ftm.json", Data: []byte(content)}, "")
		if err == nil {
			if d == nil || d.Graph.Validate() != nil {
				t.Fatalf("accepted entities give %v, %v; want a valid graph", d, err)
			}
			return
		}
		if code := domain.ErrorCode(err); code != domain.EINVALID {
			t.Fatalf("error code: got %s (%v), want EINVALID", code, err)
		}
		if domain.ErrorMessage(err) == "" {
			t.Fatal("error without a message")
		}
	})
}
