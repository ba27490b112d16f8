package storetest

import (
	"context"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// ReviewWrites records an ingestion with two proposed stakeholders,
// accepts one and rejects the other, and checks that history gives the
// review queue back with its values and decisions, that decisions are
// checked against the ingestion, that such changes cannot be reverted and
// that ingesting the same text again reuses its source (RunWrites runs it).
func ReviewWrites(t *testing.T, s domain.Store, w domain.Writer) {
	ctx := context.Background()
	const text = "The review desk met the Prison Reform Taskforce and the Harbour Watch Unit in Quito."
	proposals := []domain.Proposal{
		{Kind: domain.ProposalStakeholder, Key: "candidate:prison reform taskforce", Quote: text, Reason: "head word",
			Stakeholder: &domain.Node{ID: "organization:prison-reform-taskforce", Kind: domain.KindOrganization, Name: "Prison Reform Taskforce", OrgType: domain.OrgGovernmentAgency}},
		{Kind: domain.ProposalStakeholder, Key: "candidate:harbour watch unit", Quote: text, Reason: "head word",
			Stakeholder: &domain.Node{ID: "organization:harbour-watch-unit", Kind: domain.KindOrganization, Name: "Harbour Watch Unit", OrgType: domain.OrgGovernmentAgency}},
	}
	ingest := &domain.Write{Action: domain.ActionIngestDocument, Actor: ScriptEditor, Text: text,
		Node: &domain.Node{Kind: domain.KindSource, Name: "Review desk note", Language: "en"}, Review: &domain.Review{Proposals: proposals}}
	_, err := w.Apply(ctx, &domain.Write{Action: domain.ActionIngestDocument, Actor: ScriptReader, Text: text, Node: ingest.Node, Review: ingest.Review})
	wantCode(t, err, domain.EFORBIDDEN)
	ing, err := w.Apply(ctx, ingest)
	noErr(t, err)
	if ing.Target != "source:review-desk-note" || ing.Steps[0].Before != nil {
		t.Fatalf("ingestion: got %s, want the source created", RenderChange(ing))
	}
	if n, err := s.Node(ctx, ing.Target); err != nil || n.Kind != domain.KindSource {
		t.Fatalf("the ingested source: got %v, %v", n, err)
	}

	decision := func(i int, key string, accepted bool) *domain.Review {
		return &domain.Review{Decision: &domain.Decision{Ingestion: ing.Seq, Proposal: i, Key: key, Accepted: accepted}}
	}
	accept := &domain.Write{Action: domain.ActionUpsertStakeholder, Actor: ScriptEditor, Node: proposals[0].Stakeholder, Reason: "accepted"}
	for _, bad := range []*domain.Review{decision(0, "candidate:other", true), decision(5, proposals[0].Key, true), {Decision: &domain.Decision{Ingestion: 999, Key: proposals[0].Key}}} {
		accept.Review = bad
		_, err = w.Apply(ctx, accept)
		wantCode(t, err, domain.ENOTFOUND)
	}
	accept.Review = decision(0, proposals[0].Key, true)
	acc, err := w.Apply(ctx, accept)
	noErr(t, err)
	if n, err := s.Node(ctx, "organization:prison-reform-taskforce"); err != nil || n.Name != "Prison Reform Taskforce" {
		t.Errorf("the accepted stakeholder: got %v, %v", n, err)
	}
	reject := &domain.Write{Action: domain.ActionDecideProposal, Actor: ScriptEditor, Target: ing.Target, Review: decision(1, proposals[1].Key, false)}
	_, err = w.Apply(ctx, reject)
	wantCode(t, err, domain.EINVALID) // no reason
	reject.Reason = "a unit of a known agency, not a stakeholder of its own"
	_, err = w.Apply(ctx, reject)
	noErr(t, err)

	for _, seq := range []int64{ing.Seq, acc.Seq} {
		_, err = w.Apply(ctx, &domain.Write{Action: domain.ActionRevert, Actor: ScriptAdmin, Change: seq, Reason: "test"})
		wantCode(t, err, domain.EINVALID)
	}

	page, err := w.Changes(ctx, domain.ChangeQuery{Since: ing.Seq - 1, First: domain.MaxPageSize})
	noErr(t, err)
	queue := domain.ReviewQueue(page.Changes)
	if len(queue) != 2 || queue[0].Status != domain.ProposalAccepted || queue[1].Status != domain.ProposalRejected ||
		queue[0].Source != ing.Target || !domain.SameNode(queue[1].Stakeholder, proposals[1].Stakeholder) || queue[1].Quote != text {
		t.Fatalf("review queue from history: got %+v, want the two proposals, accepted and rejected", queue)
	}
	if keys := domain.DecidedKeys(page.Changes); !keys[proposals[0].Key] || !keys[proposals[1].Key] {
		t.Errorf("decided keys: got %v", keys)
	}

	again, err := w.Apply(ctx, ingest)
	noErr(t, err)
	if again.Target != ing.Target || again.Steps[0].Before == nil {
		t.Errorf("the same text again: got %s, want its source reused", RenderChange(again))
	}
	other := *ingest
	other.Text = "Another text under the same title."
	_, err = w.Apply(ctx, &other)
	wantCode(t, err, domain.ECONFLICT)
}
