package ingest_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/ingest"
)

func loadCorpus(tb testing.TB) []ingest.CorpusText {
	tb.Helper()
	corpus, err := ingest.LoadCorpus(os.DirFS("testdata/corpus"), ".")
	if err != nil {
		tb.Fatal(err)
	}
	return corpus
}

// The corpus holds the round-table article and at least five more real
// texts in Spanish and English, each with its URL and licence note.
func TestCorpus(t *testing.T) {
	corpus := loadCorpus(t)
	g, err := dataset.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	exists := map[string]bool{}
	known := map[string]string{} // folded names and aliases of the shipped nodes
	for _, n := range g.Nodes {
		exists[n.ID] = true
		for _, label := range append([]string{n.Name}, n.Aliases...) {
			known[strings.Join(domain.Tokens(label), " ")] = n.ID
		}
	}
	langs := map[string]int{}
	for _, c := range corpus {
		// Every key relation is one the domain's rules allow between nodes
		// of the shipped graph, and every mention names such a node.
		for _, r := range c.Key.Relations {
			rel := domain.Relation{ID: domain.RelationID(r.From, r.Type, r.To), Type: r.Type, From: r.From, To: r.To,
				Confidence: domain.ConfidenceLow, Evidence: []domain.Evidence{{SourceID: "source:key", Quote: "key"}}}
			if ps := append(rel.Problems(), rel.EndProblems(func(id string) bool { return exists[id] })...); len(ps) > 0 {
				t.Errorf("%s: key relation %s: %v", c.Name, rel.ID, ps)
			}
		}
		for _, m := range c.Key.Mentions {
			if !exists[m.ID] {
				t.Errorf("%s: key mention %q names %s, not a node of the shipped graph", c.Name, m.Text, m.ID)
			}
		}
		// Every key candidate is spelled in the text, has a kind, and is
		// none of the graph's names.
		if c.Key.Candidates == nil {
			t.Errorf("%s: the key has no candidates section (write `candidates: []` when the text names none)", c.Name)
		} else {
			for _, kc := range *c.Key.Candidates {
				if !kc.Kind.Valid() || kc.Kind == domain.KindSource || kc.Kind == domain.KindTopic {
					t.Errorf("%s: key candidate %q: kind %q, want a stakeholder kind", c.Name, kc.Name, kc.Kind)
				}
				for _, surface := range append([]string{kc.Name}, kc.Aliases...) {
					if !strings.Contains(c.Text, surface) {
						t.Errorf("%s: key candidate %q: %q does not occur in the text", c.Name, kc.Name, surface)
					}
					if id, ok := known[strings.Join(domain.Tokens(surface), " ")]; ok {
						t.Errorf("%s: key candidate %q: %q is a name of %s, which the graph holds", c.Name, kc.Name, surface, id)
					}
				}
			}
		}
		if c.Key.URL == "" || strings.TrimSpace(c.Key.Licence) == "" || c.Key.Title == "" {
			t.Errorf("%s: URL, title and licence note required", c.Name)
		}
		if len(c.Key.Mentions) == 0 {
			t.Errorf("%s: the key lists no mentions", c.Name)
		}
		langs[c.Key.Language]++
	}
	if len(corpus) < 6 || langs["es"] == 0 || langs["en"] == 0 {
		t.Errorf("corpus: %d texts (languages %v), want the article and at least five more in Spanish and English", len(corpus), langs)
	}
}

// The targets on the corpus: mentions of known nodes ≥ 0.95 recall
// at ≥ 0.95 precision; proposed relations ≥ 0.7 recall at ≥ 0.6 precision.
func TestQualityTargets(t *testing.T) {
	q, err := ingest.Evaluate(shippedEngine(t), loadCorpus(t))
	if err != nil {
		t.Fatal(err)
	}
	var table strings.Builder
	if err := q.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + table.String())
	check := func(what string, s ingest.Score, recall, precision float64) {
		if s.Recall() < recall || s.Precision() < precision {
			t.Errorf("%s: recall %.3f, precision %.3f; want recall ≥ %.2f at precision ≥ %.2f", what, s.Recall(), s.Precision(), recall, precision)
		}
	}
	check("mentions", q.Mentions, 0.95, 0.95)
	check("relations", q.Relations, 0.7, 0.6)
}

// Candidate new stakeholders against the keys: on the whole corpus ≥ 0.85
// precision and recall with ≥ 0.9 of the suggested kinds right; on the
// held-out texts alone (never tuned on) the issue-level aim of ≥ 0.7
// precision at ≥ 0.6 recall.
func TestCandidateQualityTargets(t *testing.T) {
	q, err := ingest.Evaluate(shippedEngine(t), loadCorpus(t))
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, s ingest.Score, agree int, precision, recall, kinds float64) {
		t.Logf("%s: precision %.3f, recall %.3f (%d/%d/%d), kinds right %.3f", what, s.Precision(), s.Recall(), s.TP, s.Found, s.Expected, ingest.KindAccuracy(agree, s))
		if s.Expected == 0 {
			t.Errorf("%s: the keys list no candidates", what)
		}
		if s.Precision() < precision || s.Recall() < recall || ingest.KindAccuracy(agree, s) < kinds {
			t.Errorf("%s: precision %.3f, recall %.3f, kinds right %.3f; want ≥ %.2f, ≥ %.2f, ≥ %.2f",
				what, s.Precision(), s.Recall(), ingest.KindAccuracy(agree, s), precision, recall, kinds)
		}
	}
	check("candidates", q.Candidates, q.KindAgree, 0.85, 0.85, 0.9)
	check("candidates, held out", q.HeldOut.Candidates, q.HeldOut.KindAgree, 0.7, 0.6, 0.9)
}

// Ingesting the seed article into a graph holding only its stakeholders (no
// relations) recovers at least 80 % of the article's relations in the shipped
// dataset as proposals.
func TestSeedArticleRecovery(t *testing.T) {
	const article = "source:roundtable-article-2023"
	g, err := dataset.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	text, ok := dataset.SourceText(article)
	if !ok {
		t.Fatalf("no shipped text for %s", article)
	}
	want := map[string]bool{}
	ends := map[string]bool{}
	for _, r := range g.Relations {
		for _, ev := range r.Evidence {
			if ev.SourceID == article {
				want[scoreKey(r.From, r.Type, r.To)] = true
				ends[r.From], ends[r.To] = true, true
			}
		}
	}
	var nodes []*domain.Node
	for _, n := range g.Nodes {
		if ends[n.ID] {
			nodes = append(nodes, n)
		}
	}
	v, err := ingest.ShippedVariants()
	if err != nil {
		t.Fatal(err)
	}
	res, err := ingest.New(nodes, v).Ingest(ingest.Document{SourceID: article, Text: text})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, p := range res.Relations {
		got[scoreKey(p.From, p.Type, p.To)] = true
		if !domain.ContainsQuote(text, p.Quote) {
			t.Errorf("proposal %s: quote not in the article", p.Key())
		}
	}
	recovered := 0
	var missed []string
	for k := range want {
		if got[k] {
			recovered++
		} else {
			missed = append(missed, k)
		}
	}
	share := float64(recovered) / float64(len(want))
	t.Logf("recovered %d of the article's %d relations (%.1f %%) with %d proposals", recovered, len(want), 100*share, len(got))
	if share < 0.8 {
		t.Errorf("recovered %.1f %% of the article's relations, want ≥ 80 %%; missed: %s", 100*share, strings.Join(missed, ", "))
	}
}

func scoreKey(from string, t domain.RelationType, to string) string {
	if t == domain.RelCooperatesWith && to < from {
		from, to = to, from
	}
	return fmt.Sprintf("%s|%s|%s", from, t, to)
}

// BenchmarkIngest50Pages ingests a document of about 25,000 words (the
// corpus repeated) on the shipped graph; the target is under 2 s.
func BenchmarkIngest50Pages(b *testing.B) {
	e := shippedEngine(b)
	var doc strings.Builder
	for words := 0; words < 25000; {
		for _, c := range loadCorpus(b) {
			doc.WriteString(c.Text)
			doc.WriteString("\n\n")
			words += len(strings.Fields(c.Text))
		}
	}
	text := doc.String()
	b.ReportMetric(float64(len(strings.Fields(text))), "words")
	b.ResetTimer()
	for b.Loop() {
		if _, err := e.Ingest(ingest.Document{Text: text}); err != nil {
			b.Fatal(err)
		}
	}
}
