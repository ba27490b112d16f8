package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/network"
)

// AnalysisTranscript runs centrality (every measure, with and without kind,
// topic and date filters) and brokerage (at several dates) through a
// network.Analyzer over s, and renders every score in full, one ranking per
// line. Centrality and brokerage are computed from what the store's Graph
// returns, so two stores holding the same data conform when their analysis
// transcripts are equal (see Compare).
func AnalysisTranscript(tb testing.TB, s domain.Store) []string {
	tb.Helper()
	ctx := context.Background()
	analyzer := network.NewAnalyzer(s)
	var lines []string
	filters := []struct {
		name  string
		kinds []domain.Kind
		topic string
		asOf  domain.PartialDate
	}{
		{name: "all"},
		{name: "actors", kinds: []domain.Kind{domain.KindCountry, domain.KindOrganization, domain.KindPerson}},
		{name: "maritime", topic: "topic:maritime-security"},
		{name: "asOf 2023-09-27", asOf: "2023-09-27"},
		{name: "asOf 2021", asOf: "2021"},
	}
	for _, m := range network.Measures {
		for _, f := range filters {
			r, err := analyzer.Centrality(ctx, network.CentralityQuery{Measure: m, Kinds: f.kinds, Topic: f.topic, AsOf: f.asOf, First: domain.MaxPageSize})
			query := fmt.Sprintf("centrality %s %s", m, f.name)
			if err != nil {
				lines = append(lines, query+" => error "+domain.ErrorCode(err)+": "+domain.ErrorMessage(err))
				continue
			}
			parts := make([]string, len(r.Scores))
			for i, sc := range r.Scores {
				parts[i] = fmt.Sprintf("%d:%s=%.9f", sc.Rank, sc.Node.ID, sc.Score)
			}
			lines = append(lines, fmt.Sprintf("%s => version %s nodes %d edges %d [%s]", query, r.DataVersion, r.NodeCount, r.EdgeCount, strings.Join(parts, " ")))
		}
	}
	for _, asOf := range []domain.PartialDate{"", "2021", "2023-09-27", "2023-10-27"} {
		scores, err := analyzer.Brokerage(ctx, network.BrokerageQuery{AsOf: asOf, First: domain.MaxPageSize})
		query := "brokerage asOf " + string(asOf)
		if err != nil {
			lines = append(lines, query+" => error "+domain.ErrorCode(err)+": "+domain.ErrorMessage(err))
			continue
		}
		parts := make([]string, len(scores))
		for i, sc := range scores {
			parts[i] = fmt.Sprintf("%s/%s=%d,%d,%d,%d,%d", sc.Node.ID, sc.Side, sc.Coordinator, sc.Itinerant, sc.Gatekeeper, sc.Representative, sc.Liaison)
		}
		lines = append(lines, query+" => ["+strings.Join(parts, " ")+"]")
	}
	return lines
}
