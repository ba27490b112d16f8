package domain_test

import (
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
)

func TestProposalID(t *testing.T) {
	tests := []struct {
		id        string
		seq       int64
		index     int
		wantError bool
	}{
		{id: "12.3", seq: 12, index: 3},
		{id: domain.ProposalID(7, 0), seq: 7, index: 0},
		{id: "12", wantError: true},
		{id: "0.1", wantError: true},
		{id: "3.-1", wantError: true},
		{id: "a.b", wantError: true},
		{id: "", wantError: true},
	}
	for _, tt := range tests {
		seq, index, err := domain.ParseProposalID(tt.id)
		if tt.wantError {
			if code := domain.ErrorCode(err); code != domain.EINVALID {
				t.Errorf("ParseProposalID(%q): got code %q, want EINVALID", tt.id, code)
			}
			continue
		}
		if err != nil || seq != tt.seq || index != tt.index {
			t.Errorf("ParseProposalID(%q): got %d, %d, %v, want %d, %d", tt.id, seq, index, err, tt.seq, tt.index)
		}
	}
}

// The latest decision on a key decides every proposal of it, in any
// ingestion.
func TestReviewQueue(t *testing.T) {
	prop := func(key string) domain.Proposal { return domain.Proposal{Kind: domain.ProposalRelation, Key: key} }
	ingestion := func(seq int64, keys ...string) *domain.Change {
		c := &domain.Change{Seq: seq, Action: domain.ActionIngestDocument, Target: "source:doc"}
		rv := &domain.Review{}
		for _, k := range keys {
			rv.Proposals = append(rv.Proposals, prop(k))
		}
		c.Steps = []domain.Step{{Target: "source:doc", After: &domain.Entity{Review: rv}}}
		return c
	}
	decision := func(seq, ingestion int64, key string, accepted bool) *domain.Change {
		d := &domain.Decision{Ingestion: ingestion, Key: key, Accepted: accepted}
		return &domain.Change{Seq: seq, Action: domain.ActionDecideProposal,
			Steps: []domain.Step{{Target: "source:doc", After: &domain.Entity{Review: &domain.Review{Decision: d}}}}}
	}
	changes := []*domain.Change{ingestion(1, "a", "b", "c"), decision(2, 1, "a", true), decision(3, 1, "b", false), ingestion(4, "c", "b")}
	var got []string
	for _, q := range domain.ReviewQueue(changes) {
		got = append(got, q.ID()+" "+q.Key+" "+string(q.Status))
	}
	want := []string{"1.0 a ACCEPTED", "1.1 b REJECTED", "1.2 c OPEN", "4.0 c OPEN", "4.1 b REJECTED"}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d: got %q, want %q", i, got[i], want[i])
		}
	}
	keys := domain.DecidedKeys(changes)
	if len(keys) != 2 || !keys["a"] || !keys["b"] {
		t.Errorf("DecidedKeys: got %v, want a and b", keys)
	}
}
