package export_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/export"
)

// statementEdge is one edge a statement is drawn as, with what each format
// must carry for it.
type statementEdge struct {
	ID, Statement, Speaker, Target        string
	Stance, Date, Event, OnBehalfOf, Conf string
	Note, Source, Quote                   string
}

// statementEdgesOf asks the store for the statements made by asOf and
// keeps, as the export documents, those whose speaker is among nodes: one
// edge per node among nodes a statement is about, in statement ID and then
// About order. A statement about nothing selected gives no edge.
func statementEdgesOf(tb testing.TB, store domain.Store, nodes []*domain.Node, asOf domain.PartialDate) []statementEdge {
	tb.Helper()
	sts, err := domain.AllStatements(context.Background(), store, domain.StatementQuery{AsOf: asOf})
	if err != nil {
		tb.Fatal(err)
	}
	selected := map[string]bool{}
	for _, n := range nodes {
		selected[n.ID] = true
	}
	var out []statementEdge
	for _, st := range sts {
		if !selected[st.Speaker] {
			continue
		}
		for _, about := range st.About {
			if selected[about] {
				out = append(out, statementEdge{
					ID: st.ID + "|" + about, Statement: st.ID, Speaker: st.Speaker, Target: about,
					Stance: string(st.Stance), Date: string(st.Date), Event: st.Event, OnBehalfOf: st.OnBehalfOf,
					Conf: string(st.Confidence), Note: st.Note, Source: st.Evidence.SourceID, Quote: st.Evidence.Quote,
				})
			}
		}
	}
	return out
}

// checkStatementEdges compares the statement edges a format gave back with
// the store's, field by field.
func checkStatementEdges(tb testing.TB, got, want []statementEdge) {
	tb.Helper()
	if len(got) != len(want) {
		tb.Errorf("statement edges: got %d, want %d\n got %+v\nwant %+v", len(got), len(want), got, want)
		return
	}
	for i := range want {
		if got[i] != want[i] {
			tb.Errorf("statement edge %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

// parseEvidence reads evidence text of one `source:id: "quote"` line, the
// quote a JSON string, as a reader of the file would.
func parseEvidence(tb testing.TB, text string) (source, quote string) {
	tb.Helper()
	source, q, ok := strings.Cut(text, ": ")
	if !ok || strings.Contains(text, "\n") {
		tb.Errorf("evidence %q: want one `source: \"quote\"` line", text)
		return "", ""
	}
	if err := json.Unmarshal([]byte(q), &quote); err != nil {
		tb.Errorf("evidence %q: quote is no JSON string: %v", text, err)
	}
	return source, quote
}

// statementFromAttrs is a statement edge read from the named attributes of
// an XML edge (GEXF, GraphML) or a networkx edge.
func statementFromAttrs(tb testing.TB, id, source, target string, atts map[string]string) statementEdge {
	tb.Helper()
	src, quote := parseEvidence(tb, atts["evidence"])
	return statementEdge{
		ID: id, Statement: atts["statementId"], Speaker: source, Target: target,
		Stance: atts["stance"], Date: atts["date"], Event: atts["event"], OnBehalfOf: atts["onBehalfOf"],
		Conf: atts["confidence"], Note: atts["note"], Source: src, Quote: quote,
	}
}

// statementFromJSON is a statement edge read from a JSON format's edge.
func statementFromJSON(tb testing.TB, e jsonEdge) statementEdge {
	tb.Helper()
	got := statementEdge{
		ID: e.ID, Statement: e.Statement, Speaker: e.Source, Target: e.Target, Stance: e.Stance, Date: e.Date,
		Event: e.Event, OnBehalfOf: e.OnBehalfOf, Conf: e.Confidence, Note: e.Note,
	}
	if e.Type != export.StatementEdgeType {
		tb.Errorf("statement edge %s: type %q, want %s", e.ID, e.Type, export.StatementEdgeType)
	}
	if len(e.Evidence) != 1 {
		tb.Errorf("statement edge %s: %d pieces of evidence, want its one quote", e.ID, len(e.Evidence))
		return got
	}
	got.Source, got.Quote = e.Evidence[0].Source, e.Evidence[0].Quote
	return got
}
