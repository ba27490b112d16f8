package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
)

func timelineName(q domain.TimelineQuery) string {
	return fmt.Sprintf("actor %q from %q to %q first %d", q.Actor, q.From, q.To, q.First)
}

// checkTimeline compares a store's timeline for q with the reference's.
func checkTimeline(ctx context.Context, tb testing.TB, s domain.Store, ref *reference, q domain.TimelineQuery) []string {
	tb.Helper()
	entries, err := s.Timeline(ctx, q)
	noErr(tb, err)
	valid := q
	noErr(tb, valid.Validate())
	want := ref.timeline(valid)
	compareRows(tb, "timeline", renderAll(entries, renderTimelineEntry), want)
	for _, e := range entries {
		var nodes []*domain.Node
		var rels []*domain.Relation
		if e.Node != nil {
			nodes = append(nodes, e.Node)
		}
		if e.Relation != nil {
			rels = append(rels, e.Relation)
		}
		if err := ref.checkFull(nodes, rels); err != nil {
			tb.Error(err)
		}
	}
	return want
}

func testTimeline(ctx context.Context, t *testing.T, s domain.Store, ref *reference) {
	type tc struct {
		q        domain.TimelineQuery
		nonEmpty bool
	}
	cases := []tc{
		{domain.TimelineQuery{First: domain.MaxPageSize}, true},
		{domain.TimelineQuery{}, true},
		{domain.TimelineQuery{First: 3}, true},
		{domain.TimelineQuery{Actor: "country:ecuador", First: domain.MaxPageSize}, true},
		{domain.TimelineQuery{Actor: "organization:europol", From: "2023", To: "2023", First: domain.MaxPageSize}, true},
		{domain.TimelineQuery{Actor: europolAgreement, First: domain.MaxPageSize}, true},
		{domain.TimelineQuery{From: "2023-09-26", To: "2023-09-26", First: domain.MaxPageSize}, true},
		{domain.TimelineQuery{From: "2023-10", First: domain.MaxPageSize}, true},
		{domain.TimelineQuery{To: "2022-06", First: domain.MaxPageSize}, true},
		{domain.TimelineQuery{From: "2024", To: "2025-09-24", First: domain.MaxPageSize}, true},
		{domain.TimelineQuery{Actor: "programme:el-paccto", First: domain.MaxPageSize}, true},
		{domain.TimelineQuery{Actor: "country:hungary", First: domain.MaxPageSize}, true},
	}
	// Sweep: every node as the actor, with and without a window.
	for i, id := range ref.allIDs() {
		from := sweepDates[i%len(sweepDates)]
		cases = append(cases,
			tc{q: domain.TimelineQuery{Actor: id, First: domain.MaxPageSize}},
			tc{q: domain.TimelineQuery{Actor: id, From: from, First: 1 + i%10}},
		)
	}
	for i, from := range sweepDates {
		for _, to := range sweepDates[i:] {
			cases = append(cases, tc{q: domain.TimelineQuery{From: from, To: to, First: domain.MaxPageSize}})
		}
	}
	for _, c := range cases {
		t.Run(timelineName(c.q), func(t *testing.T) {
			if want := checkTimeline(ctx, t, s, ref, c.q); c.nonEmpty && len(want) == 0 {
				t.Fatalf("the dataset has no timeline entry for this case; the test needs one")
			}
		})
	}
}
