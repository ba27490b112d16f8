package ingest_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/ingest"
	"github.com/stakegraph/stakegraph/internal/memstore"
)

func embeddedEngine(tb testing.TB) *ingest.Engine {
	tb.Helper()
	g, err := dataset.Shipped()
	if err != nil {
		tb.Fatal(err)
	}
	s, err := memstore.New(g)
	if err != nil {
		tb.Fatal(err)
	}
	v, err := ingest.ShippedVariants()
	if err != nil {
		tb.Fatal(err)
	}
	e, err := ingest.NewFromStore(context.Background(), s, v)
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

// An engine read from the embedded store proposes what one built from the
// dataset's nodes does.
func TestNewFromStore(t *testing.T) {
	text, ok := dataset.SourceText("source:roundtable-article-2023")
	if !ok {
		t.Fatal("no article text")
	}
	keys := func(r *ingest.Result) []string {
		var k []string
		for _, p := range r.Relations {
			k = append(k, p.Key())
		}
		for _, m := range r.Mentions {
			k = append(k, m.NodeID)
		}
		return k
	}
	got := keys(ingestText(t, embeddedEngine(t), text))
	want := keys(ingestText(t, shippedEngine(t), text))
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("from the store: %d proposals and mentions, from the dataset %d; first difference in\n%s\nvs\n%s",
			len(got), len(want), strings.Join(got, " "), strings.Join(want, " "))
	}
}

// BenchmarkIngest50PagesEmbedded reads the engine from the embedded store,
// as a resolver would, and ingests about 25,000 words.
func BenchmarkIngest50PagesEmbedded(b *testing.B) {
	var doc strings.Builder
	for words := 0; words < 25000; {
		for _, c := range loadCorpus(b) {
			doc.WriteString(c.Text)
			doc.WriteString("\n\n")
			words += len(strings.Fields(c.Text))
		}
	}
	text := doc.String()
	b.ResetTimer()
	for b.Loop() {
		e := embeddedEngine(b)
		if _, err := e.Ingest(ingest.Document{Text: text}); err != nil {
			b.Fatal(err)
		}
	}
}
