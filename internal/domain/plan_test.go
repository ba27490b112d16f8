package domain_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// ledger is the smallest State a test can hold: a graph, its source texts,
// revisions and the changes applied so far. apply makes a planned change
// current the way a store does, through Replay.
type ledger struct {
	graph     *domain.Graph
	texts     map[string]string
	revisions map[string]int64
	changes   []*domain.Change
}

const noteText = `Field note, Quito, May 2024.
Spain attended the port security summit in Quito.
Ecuador hosted the summit and chaired its closing session.
The programme on port security is funded by Spain.`

func newLedger(tb testing.TB) *ledger {
	tb.Helper()
	g := &domain.Graph{
		Nodes: []*domain.Node{
			{ID: "country:ecuador", Kind: domain.KindCountry, Name: "Ecuador", ISOCode: "EC"},
			{ID: "country:spain", Kind: domain.KindCountry, Name: "Spain", ISOCode: "ES"},
			{ID: "event:summit", Kind: domain.KindEvent, Name: "Port security summit", Location: "Quito"},
			{ID: "programme:ports", Kind: domain.KindProgramme, Name: "Port security programme"},
			{ID: "source:note", Kind: domain.KindSource, Name: "Field note"},
			{ID: "source:unused", Kind: domain.KindSource, Name: "Unused note"},
		},
		Relations: []*domain.Relation{{
			ID: "country:spain|ATTENDED|event:summit", Type: domain.RelAttended, From: "country:spain", To: "event:summit",
			Confidence: domain.ConfidenceHigh, Evidence: []domain.Evidence{{SourceID: "source:note", Quote: "Spain attended the port security summit"}},
		}},
	}
	if err := g.Validate(); err != nil {
		tb.Fatalf("ledger graph: %v", err)
	}
	return &ledger{graph: g, texts: map[string]string{"source:note": noteText, "source:unused": "Nothing cites this."}, revisions: map[string]int64{}}
}

func (l *ledger) Node(_ context.Context, id string) (*domain.Node, error) {
	i := slices.IndexFunc(l.graph.Nodes, func(n *domain.Node) bool { return n.ID == id })
	if i < 0 {
		return nil, nil
	}
	return l.graph.Nodes[i], nil
}

func (l *ledger) Relation(_ context.Context, id string) (*domain.Relation, error) {
	i := slices.IndexFunc(l.graph.Relations, func(r *domain.Relation) bool { return r.ID == id })
	if i < 0 {
		return nil, nil
	}
	return l.graph.Relations[i], nil
}

func (l *ledger) RelationsOf(_ context.Context, id string) ([]*domain.Relation, error) {
	var out []*domain.Relation
	for _, r := range l.graph.Relations {
		if r.From == id || r.To == id {
			out = append(out, r)
		}
	}
	return out, nil
}

func (l *ledger) CitingRelations(_ context.Context, sourceID string) ([]*domain.Relation, error) {
	var out []*domain.Relation
	for _, r := range l.graph.Relations {
		if slices.ContainsFunc(r.Evidence, func(e domain.Evidence) bool { return e.SourceID == sourceID }) {
			out = append(out, r)
		}
	}
	return out, nil
}

func (l *ledger) SourceText(_ context.Context, id string) (string, bool, error) {
	t, ok := l.texts[id]
	return t, ok, nil
}

func (l *ledger) Statement(_ context.Context, id string) (*domain.Statement, error) {
	i := slices.IndexFunc(l.graph.Statements, func(s *domain.Statement) bool { return s.ID == id })
	if i < 0 {
		return nil, nil
	}
	return l.graph.Statements[i], nil
}

func (l *ledger) StatementsOf(_ context.Context, id string) ([]*domain.Statement, error) {
	var out []*domain.Statement
	for _, s := range l.graph.Statements {
		if s.Mentions(id) {
			out = append(out, s)
		}
	}
	return out, nil
}

func (l *ledger) Revision(_ context.Context, id string) (int64, error) { return l.revisions[id], nil }

func (l *ledger) Change(_ context.Context, seq int64) (*domain.Change, error) {
	if seq < 1 || seq > int64(len(l.changes)) {
		return nil, nil
	}
	return l.changes[seq-1], nil
}

// apply plans w and, when it passes, makes it current; the graph must still
// pass Validate and every quote must still be verbatim afterwards.
func (l *ledger) apply(tb testing.TB, w *domain.Write) (*domain.Change, error) {
	tb.Helper()
	c, err := domain.Plan(context.Background(), l, w)
	if err != nil {
		return nil, err
	}
	c.Seq = int64(len(l.changes)) + 1
	l.graph, l.texts = domain.Replay(l.graph, l.texts, []*domain.Change{c}, false)
	for _, s := range c.Steps {
		l.revisions[s.Target] = c.Seq
	}
	l.changes = append(l.changes, c)
	l.mustHoldRules(tb)
	return c, nil
}

func (l *ledger) mustApply(tb testing.TB, w *domain.Write) *domain.Change {
	tb.Helper()
	c, err := l.apply(tb, w)
	if err != nil {
		tb.Fatalf("%s %s: %v", w.Action, w.Target, err)
	}
	return c
}

func (l *ledger) mustHoldRules(tb testing.TB) {
	tb.Helper()
	if err := l.graph.Validate(); err != nil {
		tb.Fatalf("graph after change %d breaks a rule: %v", len(l.changes), err)
	}
	for _, r := range l.graph.Relations {
		if ps := r.QuoteProblems(func(id string) (string, bool) { t, ok := l.texts[id]; return t, ok }); len(ps) > 0 {
			tb.Fatalf("relation %s after change %d: %v", r.ID, len(l.changes), ps)
		}
	}
	for _, s := range l.graph.Statements {
		if ps := s.QuoteProblems(func(id string) (string, bool) { t, ok := l.texts[id]; return t, ok }); len(ps) > 0 {
			tb.Fatalf("statement %s after change %d: %v", s.ID, len(l.changes), ps)
		}
	}
}

var (
	editor = domain.Actor{Name: "ed", Role: domain.RoleEditor}
	admin  = domain.Actor{Name: "root", Role: domain.RoleAdmin}
	reader = domain.Actor{Name: "viewer", Role: domain.RoleReader}
)

func rev(n int64) *int64 { return &n }

func ptr[T any](v T) *T { return &v }

const attended = "country:spain|ATTENDED|event:summit"

func addPeru() *domain.Write {
	return &domain.Write{Action: domain.ActionUpsertStakeholder, Actor: editor,
		Node: &domain.Node{Kind: domain.KindCountry, Name: "Perú", ISOCode: "PE"}}
}

func ecuadorChaired(quote string) *domain.Write {
	return &domain.Write{Action: domain.ActionAddRelation, Actor: editor, Relation: &domain.Relation{
		Type: domain.RelChaired, From: "country:ecuador", To: "event:summit", Confidence: domain.ConfidenceHigh,
		Evidence: []domain.Evidence{{SourceID: "source:note", Quote: quote}}}}
}

func TestPlan(t *testing.T) {
	cases := []struct {
		name  string
		setup []*domain.Write // applied first, each must pass
		// write is built after setup, so it can name the changes setup made (seq 1, 2, …).
		write    *domain.Write
		wantCode string // "" when the write must pass
		wantMsg  string // part of the error message
		check    func(t *testing.T, l *ledger, c *domain.Change)
	}{
		// addSource
		{name: "addSource derives the ID and keeps the text",
			write: &domain.Write{Action: domain.ActionAddSource, Actor: editor, Node: &domain.Node{Name: "Second field note", URL: "https://example.org/n2"}, Text: "Peru joined later."},
			check: func(t *testing.T, l *ledger, c *domain.Change) {
				wantSteps(t, c, "+source:second-field-note")
				if got := l.texts["source:second-field-note"]; got != "Peru joined later." {
					t.Errorf("text: got %q", got)
				}
			}},
		{name: "addSource without text", write: &domain.Write{Action: domain.ActionAddSource, Actor: editor, Node: &domain.Node{Name: "Empty"}, Text: "  "},
			wantCode: domain.EINVALID, wantMsg: "text is required"},
		{name: "addSource of a taken ID", write: &domain.Write{Action: domain.ActionAddSource, Actor: editor, Node: &domain.Node{ID: "source:note", Name: "Again"}, Text: "x"},
			wantCode: domain.ECONFLICT, wantMsg: "source:note already exists"},
		{name: "addSource with a field of another kind", write: &domain.Write{Action: domain.ActionAddSource, Actor: editor, Node: &domain.Node{Name: "N", ISOCode: "PE"}, Text: "x"},
			wantCode: domain.EINVALID, wantMsg: "isoCode"},
		{name: "addSource by a reader", write: &domain.Write{Action: domain.ActionAddSource, Actor: reader, Node: &domain.Node{Name: "N"}, Text: "x"},
			wantCode: domain.EFORBIDDEN, wantMsg: "needs the editor role"},

		// upsertStakeholder
		{name: "create a stakeholder", write: addPeru(),
			check: func(t *testing.T, l *ledger, c *domain.Change) {
				wantSteps(t, c, "+country:peru")
				if c.Target != "country:peru" || c.Actor != editor || c.Action != domain.ActionUpsertStakeholder {
					t.Errorf("change: got target %s actor %v action %s", c.Target, c.Actor, c.Action)
				}
			}},
		{name: "create over a taken ID", write: &domain.Write{Action: domain.ActionUpsertStakeholder, Actor: editor, Node: &domain.Node{ID: "country:spain", Kind: domain.KindCountry, Name: "Spain"}},
			wantCode: domain.ECONFLICT, wantMsg: "country:spain already exists"},
		{name: "update with the current revision", setup: []*domain.Write{addPeru()},
			write: &domain.Write{Action: domain.ActionUpsertStakeholder, Actor: editor, ExpectedRevision: rev(1),
				Node: &domain.Node{ID: "country:peru", Kind: domain.KindCountry, Name: "Peru", Aliases: []string{"Perú"}, ISOCode: "PE"}},
			check: func(t *testing.T, l *ledger, c *domain.Change) {
				wantSteps(t, c, "~country:peru")
				if got := c.Steps[0].Before.Node.Name; got != "Perú" {
					t.Errorf("before: got name %q, want Perú", got)
				}
			}},
		{name: "update with a stale revision", setup: []*domain.Write{addPeru()},
			write: &domain.Write{Action: domain.ActionUpsertStakeholder, Actor: editor, ExpectedRevision: rev(0),
				Node: &domain.Node{ID: "country:peru", Kind: domain.KindCountry, Name: "Peru"}},
			wantCode: domain.ECONFLICT, wantMsg: "has changed since version 0: it is at version 1"},
		{name: "update of a seeded node at revision 0",
			write: &domain.Write{Action: domain.ActionUpsertStakeholder, Actor: editor, ExpectedRevision: rev(0),
				Node: &domain.Node{ID: "country:spain", Kind: domain.KindCountry, Name: "Kingdom of Spain", ISOCode: "ES"}},
			check: func(t *testing.T, l *ledger, c *domain.Change) { wantSteps(t, c, "~country:spain") }},
		{name: "update of a missing node", write: &domain.Write{Action: domain.ActionUpsertStakeholder, Actor: editor, ExpectedRevision: rev(0),
			Node: &domain.Node{ID: "country:chile", Kind: domain.KindCountry, Name: "Chile"}},
			wantCode: domain.ENOTFOUND, wantMsg: "country:chile"},
		{name: "update that changes nothing", write: &domain.Write{Action: domain.ActionUpsertStakeholder, Actor: editor, ExpectedRevision: rev(0),
			Node: &domain.Node{ID: "country:spain", Kind: domain.KindCountry, Name: "Spain", ISOCode: "ES"}},
			wantCode: domain.EINVALID, wantMsg: "changes nothing"},
		{name: "a source through upsertStakeholder", write: &domain.Write{Action: domain.ActionUpsertStakeholder, Actor: editor,
			Node: &domain.Node{Kind: domain.KindSource, Name: "Sneaky"}},
			wantCode: domain.EINVALID, wantMsg: "addSource"},
		{name: "a stakeholder breaking a kind rule", write: &domain.Write{Action: domain.ActionUpsertStakeholder, Actor: editor,
			Node: &domain.Node{Kind: domain.KindOrganization, Name: "No type"}},
			wantCode: domain.EINVALID, wantMsg: "orgType"},
		{name: "upsertStakeholder by a reader", write: &domain.Write{Action: domain.ActionUpsertStakeholder, Actor: reader,
			Node: &domain.Node{Kind: domain.KindCountry, Name: "Peru"}}, wantCode: domain.EFORBIDDEN, wantMsg: `token "viewer" has reader`},

		// addRelation
		{name: "addRelation with a verbatim quote, wrapped differently",
			write: ecuadorChaired("Ecuador hosted the summit and\n  chaired its closing session"),
			check: func(t *testing.T, l *ledger, c *domain.Change) {
				wantSteps(t, c, "+country:ecuador|CHAIRED|event:summit")
			}},
		{name: "addRelation with a quote not in the source",
			write:    ecuadorChaired("Ecuador chaired the whole summit"),
			wantCode: domain.EINVALID, wantMsg: `"Ecuador chaired the whole summit" is not found verbatim in source:note`},
		{name: "addRelation whose quote changes case",
			write:    ecuadorChaired("ecuador hosted the summit"),
			wantCode: domain.EINVALID, wantMsg: `"ecuador hosted the summit" is not found verbatim`},
		{name: "addRelation citing an unknown source",
			write: &domain.Write{Action: domain.ActionAddRelation, Actor: editor, Relation: &domain.Relation{
				Type: domain.RelChaired, From: "country:ecuador", To: "event:summit", Confidence: domain.ConfidenceHigh,
				Evidence: []domain.Evidence{{SourceID: "source:missing", Quote: "Ecuador"}}}},
			wantCode: domain.EINVALID, wantMsg: "source:missing is not a registered source"},
		{name: "addRelation to a missing node",
			write: &domain.Write{Action: domain.ActionAddRelation, Actor: editor, Relation: &domain.Relation{
				Type: domain.RelAttended, From: "country:peru", To: "event:summit", Confidence: domain.ConfidenceLow,
				Evidence: []domain.Evidence{{SourceID: "source:note", Quote: "summit"}}}},
			wantCode: domain.EINVALID, wantMsg: "country:peru is not a current node"},
		{name: "addRelation joining kinds its type does not join",
			write: &domain.Write{Action: domain.ActionAddRelation, Actor: editor, Relation: &domain.Relation{
				Type: domain.RelAttended, From: "country:spain", To: "programme:ports", Confidence: domain.ConfidenceLow,
				Evidence: []domain.Evidence{{SourceID: "source:note", Quote: "summit"}}}},
			wantCode: domain.EINVALID, wantMsg: "ATTENDED goes to an event"},
		{name: "addRelation that exists",
			write: &domain.Write{Action: domain.ActionAddRelation, Actor: editor, Relation: &domain.Relation{
				Type: domain.RelAttended, From: "country:spain", To: "event:summit", Confidence: domain.ConfidenceLow,
				Evidence: []domain.Evidence{{SourceID: "source:note", Quote: "summit"}}}},
			wantCode: domain.ECONFLICT, wantMsg: "already exists"},
		{name: "addRelation without evidence",
			write: &domain.Write{Action: domain.ActionAddRelation, Actor: editor, Relation: &domain.Relation{
				Type: domain.RelChaired, From: "country:ecuador", To: "event:summit", Confidence: domain.ConfidenceLow}},
			wantCode: domain.EINVALID, wantMsg: "evidence: required"},

		// updateRelation
		{name: "updateRelation sets and clears fields",
			write: &domain.Write{Action: domain.ActionUpdateRelation, Actor: editor, Target: attended, ExpectedRevision: rev(0),
				Patch: &domain.RelationPatch{Role: ptr(" delegation "), Start: ptr(domain.PartialDate("2024-05")), Confidence: ptr(domain.ConfidenceMedium)}},
			check: func(t *testing.T, l *ledger, c *domain.Change) {
				wantSteps(t, c, "~"+attended)
				r := c.Steps[0].After.Relation
				if r.Role != "delegation" || r.Start != "2024-05" || r.Confidence != domain.ConfidenceMedium || len(r.Evidence) != 1 {
					t.Errorf("after: got %+v", r)
				}
			}},
		{name: "updateRelation with dates out of order",
			write: &domain.Write{Action: domain.ActionUpdateRelation, Actor: editor, Target: attended, ExpectedRevision: rev(0),
				Patch: &domain.RelationPatch{Start: ptr(domain.PartialDate("2024-05")), End: ptr(domain.PartialDate("2023"))}},
			wantCode: domain.EINVALID, wantMsg: "before start"},
		{name: "updateRelation without a revision",
			write:    &domain.Write{Action: domain.ActionUpdateRelation, Actor: editor, Target: attended, Patch: &domain.RelationPatch{Role: ptr("x")}},
			wantCode: domain.EINVALID, wantMsg: "expectedVersion is required"},
		{name: "updateRelation with a stale revision",
			setup:    []*domain.Write{{Action: domain.ActionUpdateRelation, Actor: editor, Target: attended, ExpectedRevision: rev(0), Patch: &domain.RelationPatch{Role: ptr("guest")}}},
			write:    &domain.Write{Action: domain.ActionUpdateRelation, Actor: editor, Target: attended, ExpectedRevision: rev(0), Patch: &domain.RelationPatch{Role: ptr("host")}},
			wantCode: domain.ECONFLICT, wantMsg: "it is at version 1"},
		{name: "updateRelation of a missing relation",
			write:    &domain.Write{Action: domain.ActionUpdateRelation, Actor: editor, Target: "country:spain|CHAIRED|event:summit", ExpectedRevision: rev(0), Patch: &domain.RelationPatch{Role: ptr("x")}},
			wantCode: domain.ENOTFOUND},
		{name: "updateRelation that changes nothing",
			write:    &domain.Write{Action: domain.ActionUpdateRelation, Actor: editor, Target: attended, ExpectedRevision: rev(0), Patch: &domain.RelationPatch{Confidence: ptr(domain.ConfidenceHigh)}},
			wantCode: domain.EINVALID, wantMsg: "changes nothing"},

		// addEvidence
		{name: "addEvidence appends a verbatim quote",
			write: &domain.Write{Action: domain.ActionAddEvidence, Actor: editor, Target: attended,
				Evidence: []domain.Evidence{{SourceID: "source:note", Quote: "Field note, Quito"}}},
			check: func(t *testing.T, l *ledger, c *domain.Change) {
				if got := len(c.Steps[0].After.Relation.Evidence); got != 2 {
					t.Errorf("evidence after: got %d pieces, want 2", got)
				}
			}},
		{name: "addEvidence with a quote not in the source names it",
			write: &domain.Write{Action: domain.ActionAddEvidence, Actor: editor, Target: attended,
				Evidence: []domain.Evidence{{SourceID: "source:note", Quote: "Spain chaired"}}},
			wantCode: domain.EINVALID, wantMsg: `evidence[1].quote: "Spain chaired" is not found verbatim in source:note`},
		{name: "addEvidence repeating a quote",
			write: &domain.Write{Action: domain.ActionAddEvidence, Actor: editor, Target: attended,
				Evidence: []domain.Evidence{{SourceID: "source:note", Quote: "Spain  attended the port security summit"}}},
			wantCode: domain.ECONFLICT, wantMsg: "already cites"},
		{name: "addEvidence to a missing relation",
			write:    &domain.Write{Action: domain.ActionAddEvidence, Actor: editor, Target: "a|b", Evidence: []domain.Evidence{{SourceID: "source:note", Quote: "Spain"}}},
			wantCode: domain.ENOTFOUND},

		// retireRelation
		{name: "retireRelation", write: &domain.Write{Action: domain.ActionRetireRelation, Actor: admin, Target: attended, Reason: "duplicate of a better entry"},
			check: func(t *testing.T, l *ledger, c *domain.Change) {
				wantSteps(t, c, "-"+attended)
				if c.Reason != "duplicate of a better entry" {
					t.Errorf("reason: got %q", c.Reason)
				}
			}},
		{name: "retireRelation by an editor", write: &domain.Write{Action: domain.ActionRetireRelation, Actor: editor, Target: attended, Reason: "x"},
			wantCode: domain.EFORBIDDEN, wantMsg: "needs the admin role"},
		{name: "retireRelation without a reason", write: &domain.Write{Action: domain.ActionRetireRelation, Actor: admin, Target: attended, Reason: " "},
			wantCode: domain.EINVALID, wantMsg: "needs a reason"},
		{name: "retireRelation of a missing relation", write: &domain.Write{Action: domain.ActionRetireRelation, Actor: admin, Target: "x|y", Reason: "x"},
			wantCode: domain.ENOTFOUND},

		// retireStakeholder
		{name: "retireStakeholder retires its relations in the same change",
			setup: []*domain.Write{ecuadorChaired("Ecuador hosted the summit")},
			write: &domain.Write{Action: domain.ActionRetireStakeholder, Actor: admin, Target: "event:summit", Reason: "merged into another event"},
			check: func(t *testing.T, l *ledger, c *domain.Change) {
				wantSteps(t, c, "-event:summit", "-country:ecuador|CHAIRED|event:summit", "-"+attended)
				if len(l.graph.Relations) != 0 {
					t.Errorf("relations left: %v", l.graph.Relations)
				}
			}},
		{name: "retireStakeholder of a source still cited",
			write:    &domain.Write{Action: domain.ActionRetireStakeholder, Actor: admin, Target: "source:note", Reason: "x"},
			wantCode: domain.ECONFLICT, wantMsg: "cited by 1 current relations"},
		{name: "retireStakeholder of a source nothing cites keeps its text in the change",
			write: &domain.Write{Action: domain.ActionRetireStakeholder, Actor: admin, Target: "source:unused", Reason: "never used"},
			check: func(t *testing.T, l *ledger, c *domain.Change) {
				if got := c.Steps[0].Before.Text; got != "Nothing cites this." {
					t.Errorf("before text: got %q", got)
				}
				if _, ok := l.texts["source:unused"]; ok {
					t.Errorf("text still current after retiring its source")
				}
			}},
		{name: "retireStakeholder of a missing node", write: &domain.Write{Action: domain.ActionRetireStakeholder, Actor: admin, Target: "country:chile", Reason: "x"},
			wantCode: domain.ENOTFOUND},
		{name: "retireStakeholder with a malformed ID", write: &domain.Write{Action: domain.ActionRetireStakeholder, Actor: admin, Target: "Chile", Reason: "x"},
			wantCode: domain.EINVALID},
		{name: "retireStakeholder by an editor", write: &domain.Write{Action: domain.ActionRetireStakeholder, Actor: editor, Target: "country:spain", Reason: "x"},
			wantCode: domain.EFORBIDDEN},

		// revert
		{name: "revert of a retireStakeholder brings node and relations back",
			setup: []*domain.Write{{Action: domain.ActionRetireStakeholder, Actor: admin, Target: "country:spain", Reason: "test"}},
			write: &domain.Write{Action: domain.ActionRevert, Actor: admin, Change: 1, Reason: "retired by mistake"},
			check: func(t *testing.T, l *ledger, c *domain.Change) {
				wantSteps(t, c, "+country:spain", "+"+attended)
				if c.Reverts != 1 || c.Target != "country:spain" {
					t.Errorf("change: got reverts %d target %s", c.Reverts, c.Target)
				}
				if len(l.graph.Nodes) != 6 || len(l.graph.Relations) != 1 {
					t.Errorf("after revert: %d nodes, %d relations; want 6, 1", len(l.graph.Nodes), len(l.graph.Relations))
				}
			}},
		{name: "revert of a revert",
			setup: []*domain.Write{addPeru(), {Action: domain.ActionRevert, Actor: admin, Change: 1, Reason: "not yet"}},
			write: &domain.Write{Action: domain.ActionRevert, Actor: admin, Change: 2, Reason: "yes, now"},
			check: func(t *testing.T, l *ledger, c *domain.Change) {
				wantSteps(t, c, "+country:peru")
				if n, _ := l.Node(context.Background(), "country:peru"); n == nil || n.Name != "Perú" {
					t.Errorf("peru after revert of revert: got %+v", n)
				}
			}},
		{name: "revert of an update restores the value before",
			setup: []*domain.Write{{Action: domain.ActionUpdateRelation, Actor: editor, Target: attended, ExpectedRevision: rev(0), Patch: &domain.RelationPatch{Role: ptr("guest")}}},
			write: &domain.Write{Action: domain.ActionRevert, Actor: admin, Change: 1, Reason: "wrong role"},
			check: func(t *testing.T, l *ledger, c *domain.Change) {
				if r, _ := l.Relation(context.Background(), attended); r.Role != "" {
					t.Errorf("role after revert: got %q, want empty", r.Role)
				}
			}},
		{name: "revert of something changed since",
			setup: []*domain.Write{
				{Action: domain.ActionUpdateRelation, Actor: editor, Target: attended, ExpectedRevision: rev(0), Patch: &domain.RelationPatch{Role: ptr("guest")}},
				{Action: domain.ActionUpdateRelation, Actor: editor, Target: attended, ExpectedRevision: rev(1), Patch: &domain.RelationPatch{Role: ptr("host")}},
			},
			write:    &domain.Write{Action: domain.ActionRevert, Actor: admin, Change: 1, Reason: "x"},
			wantCode: domain.ECONFLICT, wantMsg: "has changed since"},
		{name: "revert of a creation that relations depend on since",
			setup: []*domain.Write{addPeru(), {Action: domain.ActionAddRelation, Actor: editor, Relation: &domain.Relation{
				Type: domain.RelAttended, From: "country:peru", To: "event:summit", Confidence: domain.ConfidenceLow,
				Evidence: []domain.Evidence{{SourceID: "source:note", Quote: "port security summit"}}}}},
			write:    &domain.Write{Action: domain.ActionRevert, Actor: admin, Change: 1, Reason: "x"},
			wantCode: domain.ECONFLICT, wantMsg: "relation country:peru|ATTENDED|event:summit still needs"},
		{name: "revert of an addSource that quotes cite since",
			setup: []*domain.Write{
				{Action: domain.ActionAddSource, Actor: editor, Node: &domain.Node{Name: "Memo"}, Text: "Ecuador chaired the closing session."},
				ecuadorChaired("Ecuador hosted the summit"),
				{Action: domain.ActionAddEvidence, Actor: editor, Target: "country:ecuador|CHAIRED|event:summit",
					Evidence: []domain.Evidence{{SourceID: "source:memo", Quote: "Ecuador chaired the closing session."}}},
			},
			write:    &domain.Write{Action: domain.ActionRevert, Actor: admin, Change: 1, Reason: "x"},
			wantCode: domain.ECONFLICT, wantMsg: "source:memo"},
		{name: "revert bringing back a relation whose source is gone",
			setup: []*domain.Write{
				{Action: domain.ActionAddSource, Actor: editor, Node: &domain.Node{Name: "Memo"}, Text: "Ecuador chaired the closing session."},
				{Action: domain.ActionAddRelation, Actor: editor, Relation: &domain.Relation{Type: domain.RelChaired, From: "country:ecuador", To: "event:summit",
					Confidence: domain.ConfidenceLow, Evidence: []domain.Evidence{{SourceID: "source:memo", Quote: "chaired the closing session"}}}},
				{Action: domain.ActionRetireRelation, Actor: admin, Target: "country:ecuador|CHAIRED|event:summit", Reason: "unsure"},
				{Action: domain.ActionRetireStakeholder, Actor: admin, Target: "source:memo", Reason: "unreliable"},
			},
			write:    &domain.Write{Action: domain.ActionRevert, Actor: admin, Change: 3, Reason: "x"},
			wantCode: domain.ECONFLICT, wantMsg: "citing source:memo, which is not current"},
		{name: "revert bringing back a relation whose end is gone",
			setup: []*domain.Write{
				{Action: domain.ActionRetireRelation, Actor: admin, Target: attended, Reason: "x"},
				{Action: domain.ActionRetireStakeholder, Actor: admin, Target: "country:spain", Reason: "x"},
			},
			write:    &domain.Write{Action: domain.ActionRevert, Actor: admin, Change: 1, Reason: "x"},
			wantCode: domain.ECONFLICT, wantMsg: "its end country:spain is not current"},
		{name: "revert of a missing change", write: &domain.Write{Action: domain.ActionRevert, Actor: admin, Change: 7, Reason: "x"},
			wantCode: domain.ENOTFOUND, wantMsg: "no change 7"},
		{name: "revert without a change number", write: &domain.Write{Action: domain.ActionRevert, Actor: admin, Reason: "x"},
			wantCode: domain.EINVALID},
		{name: "revert by an editor", setup: []*domain.Write{addPeru()},
			write:    &domain.Write{Action: domain.ActionRevert, Actor: editor, Change: 1, Reason: "x"},
			wantCode: domain.EFORBIDDEN},

		// every write
		{name: "unknown action", write: &domain.Write{Action: "DROP", Actor: admin}, wantCode: domain.EINVALID},
		{name: "unknown role", write: &domain.Write{Action: domain.ActionAddSource, Actor: domain.Actor{Name: "x", Role: "root"}, Node: &domain.Node{Name: "N"}, Text: "x"},
			wantCode: domain.EFORBIDDEN},
		{name: "reason too long", write: &domain.Write{Action: domain.ActionRetireRelation, Actor: admin, Target: attended, Reason: strings.Repeat("x", domain.MaxReasonLength+1)},
			wantCode: domain.EINVALID, wantMsg: "reason is"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l := newLedger(t)
			for _, w := range tc.setup {
				l.mustApply(t, w)
			}
			before := l.graph
			c, err := l.apply(t, tc.write)
			if got := domain.ErrorCode(err); got != tc.wantCode {
				t.Fatalf("code: got %q (%v), want %q", got, err, tc.wantCode)
			}
			if err != nil {
				if msg := domain.ErrorMessage(err); !strings.Contains(msg, tc.wantMsg) {
					t.Errorf("message: got %q, want it to contain %q", msg, tc.wantMsg)
				}
				if l.graph != before {
					t.Errorf("a refused write changed the state")
				}
				return
			}
			if tc.check != nil {
				tc.check(t, l, c)
			}
		})
	}
}

// wantSteps compares the change's steps, each written +target (created),
// -target (retired) or ~target (changed).
func wantSteps(t *testing.T, c *domain.Change, want ...string) {
	t.Helper()
	var got []string
	for _, s := range c.Steps {
		switch {
		case s.Before == nil:
			got = append(got, "+"+s.Target)
		case s.After == nil:
			got = append(got, "-"+s.Target)
		default:
			got = append(got, "~"+s.Target)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("steps: got %v, want %v", got, want)
	}
}

// TestPlanNeverModifiesState: the values a State hands out are the store's
// own; Plan must copy before it edits.
func TestPlanNeverModifiesState(t *testing.T) {
	l := newLedger(t)
	r, _ := l.Relation(context.Background(), attended)
	n, _ := l.Node(context.Background(), "country:spain")
	wantR, wantN := domain.CloneRelation(r), domain.CloneNode(n)
	writes := []*domain.Write{
		{Action: domain.ActionAddEvidence, Actor: editor, Target: attended, Evidence: []domain.Evidence{{SourceID: "source:note", Quote: "Field note"}}},
		{Action: domain.ActionUpdateRelation, Actor: editor, Target: attended, ExpectedRevision: rev(0), Patch: &domain.RelationPatch{Role: ptr("guest")}},
		{Action: domain.ActionUpsertStakeholder, Actor: editor, ExpectedRevision: rev(0), Node: &domain.Node{ID: "country:spain", Kind: domain.KindCountry, Name: "España", ISOCode: "ES"}},
	}
	for _, w := range writes {
		if _, err := domain.Plan(context.Background(), l, w); err != nil {
			t.Fatalf("%s: %v", w.Action, err)
		}
	}
	if !domain.SameRelation(r, wantR) || !domain.SameNode(n, wantN) {
		t.Errorf("Plan modified the state's values: relation %+v, node %+v", r, n)
	}
}

// TestReplayRoundTrip applies a history forwards and rewinds it backwards:
// every intermediate version must come back exactly, texts included.
func TestReplayRoundTrip(t *testing.T) {
	l := newLedger(t)
	type version struct {
		g     *domain.Graph
		texts map[string]string
	}
	versions := []version{{l.graph, l.texts}}
	writes := []*domain.Write{
		{Action: domain.ActionAddSource, Actor: editor, Node: &domain.Node{Name: "Memo"}, Text: "Peru attended the summit as an observer."},
		addPeru(),
		{Action: domain.ActionAddRelation, Actor: editor, Relation: &domain.Relation{Type: domain.RelAttended, From: "country:peru", To: "event:summit",
			Role: "observer", Confidence: domain.ConfidenceMedium, Evidence: []domain.Evidence{{SourceID: "source:memo", Quote: "Peru attended the summit as an observer."}}}},
		{Action: domain.ActionUpdateRelation, Actor: editor, Target: attended, ExpectedRevision: rev(0), Patch: &domain.RelationPatch{Start: ptr(domain.PartialDate("2024-05"))}},
		{Action: domain.ActionAddEvidence, Actor: editor, Target: attended, Evidence: []domain.Evidence{{SourceID: "source:note", Quote: "Field note, Quito, May 2024."}}},
		{Action: domain.ActionRetireStakeholder, Actor: admin, Target: "event:summit", Reason: "wrong event"},
		{Action: domain.ActionRetireStakeholder, Actor: admin, Target: "source:unused", Reason: "never cited"},
		{Action: domain.ActionRevert, Actor: admin, Change: 6, Reason: "right event after all"},
	}
	for _, w := range writes {
		l.mustApply(t, w)
		versions = append(versions, version{l.graph, l.texts})
	}
	base := versions[0]
	for v := range versions {
		forward, fTexts := domain.Replay(base.g, base.texts, l.changes[:v], false)
		back, bTexts := domain.Replay(l.graph, l.texts, l.changes[v:], true)
		for name, got := range map[string]*domain.Graph{"forwards": forward, "backwards": back} {
			if !sameGraph(got, versions[v].g) {
				t.Errorf("version %d %s: graph differs:\n got %s\nwant %s", v, name, graphIDs(got), graphIDs(versions[v].g))
			}
		}
		for name, got := range map[string]map[string]string{"forwards": fTexts, "backwards": bTexts} {
			if !mapsEqual(got, versions[v].texts) {
				t.Errorf("version %d %s: texts %v, want %v", v, name, keys(got), keys(versions[v].texts))
			}
		}
	}
}

func sameGraph(a, b *domain.Graph) bool {
	return slices.EqualFunc(a.Nodes, b.Nodes, domain.SameNode) && slices.EqualFunc(a.Relations, b.Relations, domain.SameRelation)
}

func graphIDs(g *domain.Graph) string {
	var ids []string
	for _, n := range g.Nodes {
		ids = append(ids, n.ID)
	}
	for _, r := range g.Relations {
		ids = append(ids, fmt.Sprintf("%s/%s/%d", r.ID, r.Start, len(r.Evidence)))
	}
	return strings.Join(ids, " ")
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
