package graph_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/internal/domain"
)

const mIngest = `mutation($in: DocumentInput!) { ingestDocument(input: $in) {
	id source { id } sentences { start end text } mentions { nodeId start end text }
	candidates { name kind reason }
	proposals { id ingestion kind status quote reason confidence value { relation { id } statement { id } node { id kind name } } } } }`

const qProposals = `query($status: ProposalStatus, $ingestion: Int) { proposals(status: $status, ingestion: $ingestion) {
	id ingestion kind status quote reason value { relation { id } statement { id } node { id kind name } } } }`

const mAccept = `mutation($id: ID!) { acceptProposal(id: $id, edits: {confidence: HIGH}) {
	change { seq action target } proposal { id status } } }`

const mReject = `mutation($id: ID!) { rejectProposal(id: $id, reason: "not a stakeholder: a place name") {
	change { seq action target reason } proposal { id status } } }`

type proposalAnswer struct {
	ID        string
	Ingestion int
	Kind      string
	Status    string
	Quote     string
	Reason    string
	Value     struct {
		Relation  *struct{ ID string }
		Statement *struct{ ID string }
		Node      *struct{ ID, Kind, Name string }
	}
}

// item is what a proposal would add, the same in every ingestion.
func (p proposalAnswer) item() string {
	switch {
	case p.Value.Relation != nil:
		return p.Value.Relation.ID
	case p.Value.Statement != nil:
		return p.Value.Statement.ID
	case p.Value.Node != nil:
		return p.Kind + ":" + p.Value.Node.Name
	}
	return ""
}

type ingestAnswer struct {
	IngestDocument struct {
		ID        int
		Source    struct{ ID string }
		Sentences []struct {
			Start, End int
			Text       string
		}
		Mentions []struct {
			NodeID     string
			Start, End int
			Text       string
		}
		Candidates []struct{ Name, Kind, Reason string }
		Proposals  []proposalAnswer
	}
}

type decisionAnswer struct {
	Change struct {
		Seq                    int
		Action, Target, Reason string
	}
	Proposal struct{ ID, Status string }
}

// corpusDocument is one of the ingestion corpus's real texts as the
// variables of mIngest.
func corpusDocument(tb testing.TB, name, title string) (map[string]any, string) {
	tb.Helper()
	text, err := os.ReadFile("../internal/ingest/testdata/corpus/" + name + ".txt")
	if err != nil {
		tb.Fatal(err)
	}
	return map[string]any{"in": map[string]any{"title": title, "language": "en", "published": "2023-03", "text": string(text)}}, string(text)
}

func findProposal(ps []proposalAnswer, kind, item string) (proposalAnswer, bool) {
	for _, p := range ps {
		if p.Kind == kind && (item == "" || p.item() == item) {
			return p, true
		}
	}
	return proposalAnswer{}, false
}

func TestIngestAndReview(t *testing.T) {
	s := newWriteSetup(t, graph.HandlerOptions{})
	doc, text := corpusDocument(t, "eu-ecuador-johansson-visit-2023", "Commissioner Johansson visits Ecuador")
	if got := errorCode(t, postAs(t, s.h, "", mIngest, doc)); got != "EUNAUTHORIZED" {
		t.Errorf("ingest without a token: got %q, want EUNAUTHORIZED", got)
	}
	if got := errorCode(t, postAs(t, s.h, s.tokens.reader, mIngest, doc)); got != "EFORBIDDEN" {
		t.Errorf("ingest as a reader: got %q, want EFORBIDDEN", got)
	}
	in := mustData[ingestAnswer](t, postAs(t, s.h, s.tokens.editor, mIngest, doc)).IngestDocument
	if in.Source.ID != "source:commissioner-johansson-visits-ecuador" || in.ID != 1 {
		t.Fatalf("ingestion: got id %d source %q, want 1 and the title's slug", in.ID, in.Source.ID)
	}
	if len(in.Sentences) < 5 || len(in.Mentions) == 0 {
		t.Fatalf("got %d sentences and %d mentions, want a split, mentioned text", len(in.Sentences), len(in.Mentions))
	}
	for _, m := range in.Mentions {
		if text[m.Start:m.End] != m.Text {
			t.Errorf("mention %s: text[%d:%d] = %q, want %q", m.NodeID, m.Start, m.End, text[m.Start:m.End], m.Text)
		}
	}
	// A relation the graph lacks, so accepting it adds one.
	have := map[string]bool{}
	g, err := s.store.Graph(context.Background(), domain.GraphQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range g.Relations {
		have[r.ID] = true
	}
	var visit proposalAnswer
	ok := false
	for _, p := range in.Proposals {
		if p.Kind == "RELATION" && !have[p.item()] && !ok {
			visit, ok = p, true
		}
	}
	statement, ok2 := findProposal(in.Proposals, "STATEMENT", "")
	candidate, ok3 := findProposal(in.Proposals, "STAKEHOLDER", "")
	if !ok || !ok2 || !ok3 {
		t.Fatalf("proposals: got %+v, want a new relation, a statement and a candidate", in.Proposals)
	}
	for _, p := range in.Proposals {
		if p.Status != "OPEN" || p.Quote == "" || p.Reason == "" || p.Ingestion != in.ID {
			t.Errorf("proposal %+v: want OPEN, of ingestion %d, with its sentence and reason", p, in.ID)
		}
	}
	queue := mustData[struct{ Proposals []proposalAnswer }](t, post(t, s.h, qProposals, map[string]any{"ingestion": in.ID})).Proposals
	if len(queue) != len(in.Proposals) {
		t.Errorf("proposals(ingestion): got %d, want the %d ingestDocument gave", len(queue), len(in.Proposals))
	}

	// Accept two: the graph gains the relation and the statement, each
	// change in history.
	before := relationCount(t, s)
	var accepted []int
	for _, p := range []proposalAnswer{visit, statement} {
		resp := postAs(t, s.h, s.tokens.editor, mAccept, map[string]any{"id": p.ID})
		a := mustData[struct{ AcceptProposal decisionAnswer }](t, resp).AcceptProposal
		if a.Proposal.Status != "ACCEPTED" || a.Change.Target != p.item() {
			t.Errorf("accept %s: got %+v, want ACCEPTED with a change targeting %s", p.ID, a, p.item())
		}
		accepted = append(accepted, a.Change.Seq)
	}
	if got := relationCount(t, s); got != before+1 {
		t.Errorf("relations after accepting: got %d, want %d", got, before+1)
	}
	sts := mustData[struct{ Statements []struct{ ID string } }](t, post(t, s.h, `{ statements(speaker: "person:ylva-johansson") { id } }`, nil)).Statements
	if !containsID(sts, statement.item()) {
		t.Errorf("statements of the speaker: got %v, want %s", sts, statement.item())
	}
	changes := mustData[struct {
		Changes struct {
			Changes []struct {
				Seq            int
				Action, Target string
			}
		}
	}](t, post(t, s.h, `{ changes(first: 10) { changes { seq action target } } }`, nil)).Changes.Changes
	wantActions := []string{"INGEST_DOCUMENT", "ADD_RELATION", "ADD_STATEMENT"}
	if len(changes) != len(wantActions) {
		t.Fatalf("history: got %+v, want %v", changes, wantActions)
	}
	for i, c := range changes {
		if c.Action != wantActions[i] {
			t.Errorf("change %d: got %s, want %s", c.Seq, c.Action, wantActions[i])
		}
	}

	// Reject one; a decided proposal cannot be decided again, and the
	// history that holds decisions cannot be reverted.
	rej := mustData[struct{ RejectProposal decisionAnswer }](t, postAs(t, s.h, s.tokens.editor, mReject, map[string]any{"id": candidate.ID})).RejectProposal
	if rej.Proposal.Status != "REJECTED" || rej.Change.Action != "DECIDE_PROPOSAL" || rej.Change.Target != in.Source.ID {
		t.Errorf("reject: got %+v", rej)
	}
	for _, tc := range []struct {
		name, token, query string
		vars               map[string]any
		want               string
	}{
		{"accepting an accepted proposal", s.tokens.editor, mAccept, map[string]any{"id": visit.ID}, domain.ECONFLICT},
		{"accepting a rejected proposal", s.tokens.editor, mAccept, map[string]any{"id": candidate.ID}, domain.ECONFLICT},
		{"an unknown proposal", s.tokens.editor, mAccept, map[string]any{"id": "1.9999"}, domain.ENOTFOUND},
		{"a malformed id", s.tokens.editor, mReject, map[string]any{"id": "visit"}, domain.EINVALID},
		{"rejecting as a reader", s.tokens.reader, mReject, map[string]any{"id": statement.ID}, "EFORBIDDEN"},
		{"accepting without a token", "", mAccept, map[string]any{"id": statement.ID}, "EUNAUTHORIZED"},
		{"reverting an acceptance", s.tokens.admin, `mutation($seq: Int!) { revert(changeId: $seq, reason: "undo") { change { seq } } }`, map[string]any{"seq": accepted[0]}, domain.EINVALID},
		{"reverting an ingestion", s.tokens.admin, `mutation($seq: Int!) { revert(changeId: $seq, reason: "undo") { change { seq } } }`, map[string]any{"seq": in.ID}, domain.EINVALID},
	} {
		if got := errorCode(t, postAs(t, s.h, tc.token, tc.query, tc.vars)); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
	byStatus := map[string]int{}
	for _, st := range []string{"OPEN", "ACCEPTED", "REJECTED"} {
		byStatus[st] = len(mustData[struct{ Proposals []proposalAnswer }](t, post(t, s.h, qProposals, map[string]any{"status": st})).Proposals)
	}
	past := mustData[struct{ Proposals []proposalAnswer }](t, post(t, s.h, `query @asKnown(version: 1) { proposals(status: OPEN) { id } }`, nil)).Proposals
	if len(past) != len(in.Proposals) {
		t.Errorf("open proposals @asKnown(version: 1): got %d, want all %d", len(past), len(in.Proposals))
	}
	if got := errorCode(t, post(t, s.h, `{ proposals(first: 0) { id } }`, nil)); got != domain.EINVALID {
		t.Errorf("proposals(first: 0): got %q, want EINVALID", got)
	}
	if byStatus["ACCEPTED"] != 2 || byStatus["REJECTED"] != 1 || byStatus["OPEN"] != len(in.Proposals)-3 {
		t.Errorf("queue by status: got %v, want 2 accepted, 1 rejected, %d open", byStatus, len(in.Proposals)-3)
	}

	// The same text again reuses its source and proposes only what is
	// undecided: the rest of the first ingestion, nothing decided.
	again := mustData[ingestAnswer](t, postAs(t, s.h, s.tokens.editor, mIngest, doc)).IngestDocument
	if again.Source.ID != in.Source.ID {
		t.Errorf("re-ingested source: got %s, want %s", again.Source.ID, in.Source.ID)
	}
	decided := map[string]bool{visit.item(): true, statement.item(): true, candidate.item(): true}
	if len(again.Proposals) != len(in.Proposals)-3 {
		t.Errorf("re-ingestion: got %d proposals, want %d", len(again.Proposals), len(in.Proposals)-3)
	}
	for _, p := range again.Proposals {
		if decided[p.item()] {
			t.Errorf("re-ingestion proposes the decided %s again", p.item())
		}
	}

	// Accepting a relation the graph holds adds the sentence as evidence.
	var known proposalAnswer
	for _, p := range again.Proposals {
		if p.Kind == "RELATION" && have[p.item()] && known.ID == "" {
			known = p
		}
	}
	if known.ID == "" {
		t.Fatalf("re-ingestion: got %+v, want a relation the graph holds", again.Proposals)
	}
	count := relationCount(t, s)
	ev := mustData[struct{ AcceptProposal decisionAnswer }](t, postAs(t, s.h, s.tokens.editor, mAccept, map[string]any{"id": known.ID})).AcceptProposal
	if ev.Change.Action != "ADD_EVIDENCE" || ev.Change.Target != known.item() || relationCount(t, s) != count {
		t.Errorf("accepting a known relation: got %+v, want ADD_EVIDENCE on %s and no new relation", ev, known.item())
	}
}

func relationCount(tb testing.TB, s writeSetup) int {
	tb.Helper()
	g, err := s.store.Graph(context.Background(), domain.GraphQuery{})
	if err != nil {
		tb.Fatal(err)
	}
	return len(g.Relations)
}

// TestAcceptCandidateOrganization creates a candidate organization: every
// organization needs a type, which the engine cannot guess, so accepting
// one without orgType names the field, and with it creates the node.
func TestAcceptCandidateOrganization(t *testing.T) {
	s := newWriteSetup(t, graph.HandlerOptions{})
	doc := map[string]any{"in": map[string]any{"title": "Acta de Guayaquil", "language": "es",
		"text": "La Fundación Andina de Seguridad Ciudadana participó en la mesa de trabajo con la Policía Nacional del Ecuador."}}
	in := mustData[ingestAnswer](t, postAs(t, s.h, s.tokens.editor, mIngest, doc)).IngestDocument
	var candidate proposalAnswer
	for _, p := range in.Proposals {
		if p.Kind == "STAKEHOLDER" && p.Value.Node.Kind == "Organization" {
			candidate = p
		}
	}
	if candidate.ID == "" {
		t.Fatalf("proposals: got %+v, want a candidate organization", in.Proposals)
	}
	const accept = `mutation($id: ID!, $edits: ProposalEdits) { acceptProposal(id: $id, edits: $edits) {
		change { action target } proposal { status } } }`
	refused := postAs(t, s.h, s.tokens.editor, accept, map[string]any{"id": candidate.ID})
	if code := errorCode(t, refused); code != domain.EINVALID || !strings.Contains(refused.Errors[0].Message, "orgType") {
		t.Errorf("accepting without orgType: got %+v, want EINVALID naming orgType", refused.Errors)
	}
	got := mustData[struct {
		AcceptProposal struct {
			Change   struct{ Action, Target string }
			Proposal struct{ Status string }
		}
	}](t, postAs(t, s.h, s.tokens.editor, accept, map[string]any{"id": candidate.ID, "edits": map[string]any{"orgType": "GROUP"}})).AcceptProposal
	if got.Change.Action != "UPSERT_STAKEHOLDER" || got.Change.Target != candidate.Value.Node.ID || got.Proposal.Status != "ACCEPTED" {
		t.Fatalf("accepting with orgType: got %+v", got)
	}
	n, err := s.store.Node(context.Background(), candidate.Value.Node.ID)
	if err != nil || n.OrgType != domain.OrgGroup || n.Name != candidate.Value.Node.Name {
		t.Errorf("store: got %+v (%v), want the candidate as a GROUP", n, err)
	}
}
