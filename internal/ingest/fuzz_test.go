package ingest_test

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/ingest"
)

// FuzzIngest checks that no text makes the engine panic, and that whatever
// it reads back points into the text: sentences and mentions are the text
// at their offsets, in order, and every proposal passes the domain's rules
// and quotes the text verbatim.
func FuzzIngest(f *testing.F) {
	paths, _ := filepath.Glob("testdata/corpus/*.txt")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	for _, s := range []string{"", "«", "“a. b.” c", "1. \n- \n¿¡", "EU-EU-EU", "Sr. . . EE.UU.", "Glacy++ EL PAcCTO 2.0.0"} {
		f.Add(s)
	}
	e := shippedEngine(f)
	f.Fuzz(func(t *testing.T, text string) {
		res, err := e.Ingest(ingest.Document{SourceID: "source:fuzz", Text: text})
		if err != nil {
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("error without EINVALID: %v", err)
			}
			return
		}
		if !utf8.ValidString(text) {
			t.Fatal("accepted text that is not UTF-8")
		}
		end := 0
		for _, s := range res.Sentences {
			if s.Start < end || s.End <= s.Start || s.End > len(text) || text[s.Start:s.End] != s.Text {
				t.Fatalf("sentence [%d:%d] %q out of order or not the text", s.Start, s.End, s.Text)
			}
			end = s.End
		}
		end = 0
		for _, m := range res.Mentions {
			if m.Start < end || m.End > len(text) || text[m.Start:m.End] != m.Text {
				t.Fatalf("mention [%d:%d] %q out of order or not the text", m.Start, m.End, m.Text)
			}
			end = m.End
		}
		for _, p := range res.Relations {
			if ps := p.Relation("source:fuzz").Problems(); len(ps) > 0 || text[p.Start:p.End] != p.Quote {
				t.Fatalf("proposal %s: problems %v or quote not the text", p.Key(), ps)
			}
		}
		for _, s := range res.Statements {
			if text[s.Start:s.End] != s.Quote {
				t.Fatalf("statement quote [%d:%d] not the text", s.Start, s.End)
			}
		}
		for _, c := range res.Candidates {
			if text[c.Start:c.End] != c.Name {
				t.Fatalf("candidate %q not the text at [%d:%d]", c.Name, c.Start, c.End)
			}
		}
	})
}
