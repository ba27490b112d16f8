package boltstore_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stakegraph/stakegraph/internal/boltstore"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/storetest"
)

var (
	editor = domain.Actor{Name: "alice", Role: domain.RoleEditor}
	admin  = domain.Actor{Name: "root", Role: domain.RoleAdmin}
)

const (
	roundTable = "event:iii-round-table-2023"
	article    = "source:roundtable-article-2023"
)

// body is the write creating organization:body-<i>.
func body(i int) *domain.Write {
	return &domain.Write{Action: domain.ActionUpsertStakeholder, Actor: editor,
		Node: &domain.Node{Kind: domain.KindOrganization, OrgType: domain.OrgGroup, Name: fmt.Sprintf("Body %d", i)}}
}

// attends is the write adding organization:body-<i> ATTENDED the round table.
func attends(i int) *domain.Write {
	return &domain.Write{Action: domain.ActionAddRelation, Actor: editor, Relation: &domain.Relation{
		Type: domain.RelAttended, From: fmt.Sprintf("organization:body-%d", i), To: roundTable, Confidence: domain.ConfidenceLow,
		Evidence: []domain.Evidence{{SourceID: article, Quote: "that took place this week"}}}}
}

func mustApply(tb testing.TB, w domain.Writer, wr *domain.Write) *domain.Change {
	tb.Helper()
	c, err := w.Apply(context.Background(), wr)
	if err != nil {
		tb.Fatalf("%s %s: %v", wr.Action, wr.Target, err)
	}
	return c
}

// snapshotOf renders what a store answers about its data and history.
func snapshotOf(tb testing.TB, s *boltstore.Store) string {
	tb.Helper()
	ctx := context.Background()
	g, seq, err := s.Current(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	page, err := s.Changes(ctx, domain.ChangeQuery{First: domain.MaxPageSize})
	if err != nil {
		tb.Fatal(err)
	}
	v, _ := s.Version(ctx)
	out := fmt.Sprintf("version %s seq %d nodes %d relations %d\n", v, seq, len(g.Nodes), len(g.Relations))
	for _, c := range page.Changes {
		rev, _ := s.Revision(ctx, c.Target)
		out += fmt.Sprintf("%s at %s revision %d\n", storetest.RenderChange(c), c.At.Format("15:04:05.000000000"), rev)
	}
	return out
}

func TestReopenGivesBackEverything(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	s, err := boltstore.Open(ctx, dir, shipped(t), boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustApply(t, s, body(1))
	mustApply(t, s, attends(1))
	mustApply(t, s, &domain.Write{Action: domain.ActionAddSource, Actor: editor, Node: &domain.Node{Name: "Memo"}, Text: "Body 1 attended."})
	mustApply(t, s, &domain.Write{Action: domain.ActionRetireStakeholder, Actor: admin, Target: "organization:body-1", Reason: "test"})
	mustApply(t, s, &domain.Write{Action: domain.ActionRevert, Actor: admin, Change: 4, Reason: "test"})
	want := snapshotOf(t, s)
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(ctx, body(2)); domain.ErrorCode(err) != domain.EUNAVAILABLE {
		t.Errorf("Apply after Close: got %v, want EUNAVAILABLE", err)
	}
	again := open(t, dir, shipped(t))
	if got := snapshotOf(t, again); got != want {
		t.Errorf("after reopening:\n%s\nwant\n%s", got, want)
	}
	if text, err := again.SourceText(ctx, "source:memo"); err != nil || text != "Body 1 attended." {
		t.Errorf("source text after reopening: %q, %v", text, err)
	}
	storetest.CheckRules(t, again, again)
	// The next write continues the numbering.
	if c := mustApply(t, again, body(2)); c.Seq != 6 {
		t.Errorf("next seq after reopening: got %d, want 6", c.Seq)
	}
}

func TestOpenRefusesAnotherDataset(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	s := open(t, dir, shipped(t))
	mustApply(t, s, body(1))
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	other := shipped(t)
	other.Graph.Nodes[0] = domain.CloneNode(other.Graph.Nodes[0])
	other.Graph.Nodes[0].Description += " Edited."
	_, err := boltstore.Open(ctx, dir, other, boltstore.Options{})
	if !errors.Is(err, boltstore.ErrOtherData) || domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("open with another dataset: got %v, want EINVALID wrapping ErrOtherData", err)
	}
	// The refused open left the state alone.
	kept := open(t, dir, shipped(t))
	if v, _ := kept.DataVersion(ctx); v != 1 {
		t.Fatalf("state after a refused open: data version %d, want 1", v)
	}
	if err := kept.Close(ctx); err != nil {
		t.Fatal(err)
	}
	// Same graph, one source text changed: quotes were checked against
	// the old text, so it is another dataset too.
	texts := shipped(t)
	texts.Texts[article] += "\nA later paragraph."
	if _, err := boltstore.Open(ctx, dir, texts, boltstore.Options{}); !errors.Is(err, boltstore.ErrOtherData) {
		t.Fatalf("open with another source text: got %v, want ErrOtherData", err)
	}
	reseeded, err := boltstore.Open(ctx, dir, other, boltstore.Options{Reseed: true})
	if err != nil {
		t.Fatal(err)
	}
	defer reseeded.Close(ctx)
	if v, _ := reseeded.DataVersion(ctx); v != 0 {
		t.Errorf("after reseeding: data version %d, want 0", v)
	}
	if err := reseeded.Check(ctx, other.Graph.Version()); err != nil {
		t.Errorf("Check after reseeding: %v", err)
	}
}

func TestOpenRefusesAStateInUse(t *testing.T) {
	dir := t.TempDir()
	open(t, dir, shipped(t))
	_, err := boltstore.Open(context.Background(), dir, shipped(t), boltstore.Options{})
	if domain.ErrorCode(err) != domain.EUNAVAILABLE {
		t.Fatalf("second open: got %v, want EUNAVAILABLE", err)
	}
}

func TestCheckComparesTheSeededVersion(t *testing.T) {
	ctx := context.Background()
	base := shipped(t)
	s := open(t, t.TempDir(), base)
	before, _ := s.Version(ctx)
	mustApply(t, s, body(1))
	after, _ := s.Version(ctx)
	if before == after || before != base.Graph.Version() {
		t.Errorf("Version: %q before the write, %q after; want the dataset's version, then another", before, after)
	}
	if err := s.Check(ctx, base.Graph.Version()); err != nil {
		t.Errorf("Check after a write: %v", err)
	}
	if err := s.Check(ctx, "other"); domain.NotReadyReason(err) != domain.ReasonOtherData {
		t.Errorf("Check of another version: got %v", err)
	}
}

func TestFailedCommitChangesNothing(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir(), shipped(t))
	mustApply(t, s, body(1))
	want := snapshotOf(t, s)
	if err := boltstore.CloseFile(s); err != nil {
		t.Fatal(err)
	}
	_, err := s.Apply(ctx, body(2))
	if domain.ErrorCode(err) != domain.EUNAVAILABLE {
		t.Fatalf("Apply with the file gone: got %v, want EUNAVAILABLE", err)
	}
	if got := snapshotOf(t, s); got != want {
		t.Errorf("memory moved ahead of disk:\n%s\nwant\n%s", got, want)
	}
	if _, err := s.Node(ctx, "organization:body-2"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("the refused write is visible: %v", err)
	}
}

func TestAtVersion(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir(), shipped(t))
	mustApply(t, s, body(1))
	mustApply(t, s, attends(1))
	mustApply(t, s, &domain.Write{Action: domain.ActionRetireStakeholder, Actor: admin, Target: "organization:body-1", Reason: "test"})
	cases := []struct {
		version   int64
		node      string // ENOTFOUND or ""
		relations int
	}{{0, domain.ENOTFOUND, 0}, {1, "", 0}, {2, "", 1}, {3, domain.ENOTFOUND, 0}}
	for _, tc := range cases {
		past, err := s.AtVersion(ctx, tc.version)
		if err != nil {
			t.Fatalf("AtVersion(%d): %v", tc.version, err)
		}
		_, err = past.Node(ctx, "organization:body-1")
		if got := domain.ErrorCode(err); got != tc.node {
			t.Errorf("version %d: node: got %q, want %q", tc.version, got, tc.node)
		}
		if tc.node == "" {
			rels, err := past.Relations(ctx, domain.RelationFilter{NodeIDs: []string{"organization:body-1"}})
			if err != nil || len(rels) != tc.relations {
				t.Errorf("version %d: relations: got %d (%v), want %d", tc.version, len(rels), err, tc.relations)
			}
		}
	}
	if _, err := s.AtVersion(ctx, 4); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("AtVersion past the latest: got %v, want EINVALID", err)
	}
}
