package main_test

import (
	"os"
	"testing"
)

const (
	eIngest = `mutation($text: String!) { ingestDocument(input: {title: "Commissioner Johansson visits Ecuador", language: "en", published: "2023-03", text: $text}) {
		id source { id } proposals { id kind status value { relation { id } statement { id } node { name } } } } }`
	eAccept   = `mutation($id: ID!) { acceptProposal(id: $id) { change { action target } proposal { status } } }`
	eReject   = `mutation($id: ID!) { rejectProposal(id: $id, reason: "not an actor") { change { action } proposal { status } } }`
	eAccepted = `{ proposals(status: ACCEPTED) { id } }`
)

type eProposal struct {
	ID, Kind, Status string
	Value            struct {
		Relation  *struct{ ID string }
		Statement *struct{ ID string }
		Node      *struct{ Name string }
	}
}

func (p eProposal) item() string {
	switch {
	case p.Value.Relation != nil:
		return p.Value.Relation.ID
	case p.Value.Statement != nil:
		return p.Value.Statement.ID
	case p.Value.Node != nil:
		return p.Value.Node.Name
	}
	return ""
}

// TestIngestReviewEndToEnd ingests a real text on the served binary over
// each store, accepts a proposed statement, rejects a candidate, and
// ingests the text again: neither decided item comes back.
func TestIngestReviewEndToEnd(t *testing.T) {
	text, err := os.ReadFile("../../internal/ingest/testdata/corpus/eu-ecuador-johansson-visit-2023.txt")
	if err != nil {
		t.Fatal(err)
	}
	type ingestion struct {
		IngestDocument struct {
			ID        int
			Source    struct{ ID string }
			Proposals []eProposal
		}
	}
	for name, env := range stores(t) {
		t.Run(name, func(t *testing.T) {
			tokens, editor, _ := writeTokens(t)
			s := startServe(t, []string{"--seed", "--tokens", tokens}, env...)
			t.Cleanup(func() {
				if t.Failed() {
					t.Logf("server log:\n%s", s.logs)
				}
			})
			first, _ := mustCall[ingestion](t, s, editor, eIngest, map[string]any{"text": string(text)})
			var statement, candidate eProposal
			for _, p := range first.IngestDocument.Proposals {
				switch {
				case p.Kind == "STATEMENT" && statement.ID == "":
					statement = p
				case p.Kind == "STAKEHOLDER" && candidate.ID == "":
					candidate = p
				}
			}
			if statement.ID == "" || candidate.ID == "" {
				t.Fatalf("proposals: got %+v, want a statement and a candidate", first.IngestDocument.Proposals)
			}
			acc, _ := mustCall[struct {
				AcceptProposal struct {
					Change   struct{ Action, Target string }
					Proposal struct{ Status string }
				}
			}](t, s, editor, eAccept, map[string]any{"id": statement.ID})
			if a := acc.AcceptProposal; a.Change.Action != "ADD_STATEMENT" || a.Change.Target != statement.item() || a.Proposal.Status != "ACCEPTED" {
				t.Errorf("accept: got %+v", a)
			}
			rej, _ := mustCall[struct {
				RejectProposal struct {
					Change   struct{ Action string }
					Proposal struct{ Status string }
				}
			}](t, s, editor, eReject, map[string]any{"id": candidate.ID})
			if r := rej.RejectProposal; r.Change.Action != "DECIDE_PROPOSAL" || r.Proposal.Status != "REJECTED" {
				t.Errorf("reject: got %+v", r)
			}
			again, _ := mustCall[ingestion](t, s, editor, eIngest, map[string]any{"text": string(text)})
			if again.IngestDocument.Source.ID != first.IngestDocument.Source.ID || len(again.IngestDocument.Proposals) != len(first.IngestDocument.Proposals)-2 {
				t.Errorf("again: got source %s and %d proposals, want %s and %d", again.IngestDocument.Source.ID,
					len(again.IngestDocument.Proposals), first.IngestDocument.Source.ID, len(first.IngestDocument.Proposals)-2)
			}
			for _, p := range again.IngestDocument.Proposals {
				if p.item() == statement.item() || p.item() == candidate.item() {
					t.Errorf("again: the decided %s is proposed again", p.item())
				}
			}
			accepted, _ := mustCall[struct{ Proposals []struct{ ID string } }](t, s, "", eAccepted, nil)
			if len(accepted.Proposals) != 1 || accepted.Proposals[0].ID != statement.ID {
				t.Errorf("accepted proposals: got %+v, want %s", accepted.Proposals, statement.ID)
			}
		})
	}
}
