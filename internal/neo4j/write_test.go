package neo4j_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/neo4j"
	"github.com/stakegraph/stakegraph/internal/storetest"
)

// minutesText is the text of testGraph's one source, holding the quotes
// the writes below cite.
const minutesText = "Spain funds EL PAcCTO through FIIAPP, as stated in the minutes.\n" +
	"Ecuador joins   SEACOP for port security."

const pressText = "Hungary takes part in SEACOP. SEACOP also addresses cyber security at ports."

var (
	editor = domain.Actor{Name: "ana", Role: domain.RoleEditor}
	admin  = domain.Actor{Name: "root", Role: domain.RoleAdmin}
)

// seededWithTexts opens a store holding testGraph and its source text.
func seededWithTexts(tb testing.TB) (*neo4j.Store, *domain.Graph, map[string]string) {
	tb.Helper()
	g := testGraph()
	texts := map[string]string{"source:round-table-minutes": minutesText}
	s := openStore(tb)
	if err := s.SeedWithTexts(context.Background(), g, texts); err != nil {
		tb.Fatalf("SeedWithTexts: %v", err)
	}
	return s, g, texts
}

func rev(n int64) *int64 { return &n }

func ptr[T any](v T) *T { return &v }

// allChanges pages through the whole history, three at a time.
func allChanges(tb testing.TB, s *neo4j.Store, target string) []*domain.Change {
	tb.Helper()
	var out []*domain.Change
	since := int64(0)
	for {
		page, err := s.Changes(context.Background(), domain.ChangeQuery{Since: since, First: 3, Target: target})
		if err != nil {
			tb.Fatalf("Changes(since %d, target %q): %v", since, target, err)
		}
		out = append(out, page.Changes...)
		if !page.HasNextPage {
			return out
		}
		since = page.Changes[len(page.Changes)-1].Seq
	}
}

// checkAgainstHistory checks that the store holds exactly the seeded graph
// with its history replayed onto it: the same nodes, relations, texts and
// derived properties, Seq from 1 without gaps, a version per change, and
// still ready for the seeded data version.
func checkAgainstHistory(tb testing.TB, s *neo4j.Store, base *domain.Graph, texts map[string]string) {
	tb.Helper()
	checkAgainstHistoryOn(tb, config(tb), s, base, texts)
}

// checkAgainstHistoryOn is checkAgainstHistory for a store on the server
// cfg names.
func checkAgainstHistoryOn(tb testing.TB, cfg neo4j.Config, s *neo4j.Store, base *domain.Graph, texts map[string]string) {
	tb.Helper()
	ctx := context.Background()
	changes := allChanges(tb, s, "")
	for i, c := range changes {
		if c.Seq != int64(i+1) {
			tb.Fatalf("history: change %d has Seq %d, want %d", i, c.Seq, i+1)
		}
		if i > 0 && c.At.Before(changes[i-1].At) {
			tb.Errorf("history: change %d at %v, before change %d at %v", c.Seq, c.At, c.Seq-1, changes[i-1].At)
		}
	}
	wantGraph, wantTexts := domain.Replay(base, texts, changes, false)
	got, err := s.Graph(ctx, domain.GraphQuery{})
	if err != nil {
		tb.Fatalf("Graph: %v", err)
	}
	if len(got.Nodes) != len(wantGraph.Nodes) || len(got.Relations) != len(wantGraph.Relations) {
		tb.Fatalf("graph: got %d nodes and %d relations, want %d and %d", len(got.Nodes), len(got.Relations),
			len(wantGraph.Nodes), len(wantGraph.Relations))
	}
	for i, n := range wantGraph.Nodes {
		if !domain.SameNode(got.Nodes[i], n) {
			tb.Errorf("node %d: got %+v, want %+v", i, got.Nodes[i], n)
		}
	}
	for i, r := range wantGraph.Relations {
		if !domain.SameRelation(got.Relations[i], r) {
			tb.Errorf("relation %d: got %+v, want %+v", i, got.Relations[i], r)
		}
	}
	sts, err := domain.AllStatements(ctx, s, domain.StatementQuery{})
	if err != nil {
		tb.Fatalf("Statements: %v", err)
	}
	if !slices.EqualFunc(sts, wantGraph.Statements, domain.SameStatement) {
		tb.Errorf("statements: got %v, want %v", sts, wantGraph.Statements)
	}
	if got, want := storedDerivedOn(tb, cfg), wantDerived(wantGraph); !mapsEqual(got, want) {
		tb.Errorf("derived properties after %d changes:\n got %v\nwant %v", len(changes), got, want)
	}
	for id, want := range wantTexts {
		if got, err := s.SourceText(ctx, id); err != nil || got != want {
			tb.Errorf("SourceText(%s): got %q, %v, want %q", id, got, err, want)
		}
	}
	stored := cypherOn(tb, cfg, `MATCH (t:SourceText) RETURN count(t)`, nil)
	if n := stored[0].Values[0].(int64); n != int64(len(wantTexts)) {
		tb.Errorf("source texts stored: got %d, want %d", n, len(wantTexts))
	}
	seq, err := s.DataVersion(ctx)
	if err != nil || seq != int64(len(changes)) {
		tb.Errorf("DataVersion: got %d, %v, want %d", seq, err, len(changes))
	}
	version, err := s.Version(ctx)
	wantVersion := base.Version()
	if len(changes) > 0 {
		wantVersion += fmt.Sprintf("+%d", len(changes))
	}
	if err != nil || version != wantVersion {
		tb.Errorf("Version: got %q, %v, want %q", version, err, wantVersion)
	}
	if err := s.Check(ctx, base.Version()); err != nil {
		tb.Errorf("Check(seeded version) after %d changes: %v", len(changes), err)
	}
}

// TestApply runs every action on Neo4j, accepted and refused, and after
// each checks the whole store against its history.
func TestApply(t *testing.T) {
	s, base, texts := seededWithTexts(t)
	ctx := context.Background()
	checkAgainstHistory(t, s, base, texts)

	press := &domain.Node{ID: "source:press-note", Kind: domain.KindSource, Name: "Press note on SEACOP",
		URL: "https://example.org/press", Publisher: "EU Delegation to Ecuador", Language: "en"}
	port := &domain.Node{Kind: domain.KindOrganization, Name: "Autoridad Portuaria de Guayaquil",
		OrgType: domain.OrgGovernmentAgency}
	portID := "organization:autoridad-portuaria-de-guayaquil"
	portRenamed := &domain.Node{ID: portID, Kind: domain.KindOrganization, Name: "Autoridad Portuaria de Guayaquil",
		Aliases: []string{"APG", "Guayaquil Port Authority"}, OrgType: domain.OrgGovernmentAgency}
	hungarySeacop := domain.RelationID("country:hungary", domain.RelParticipatesIn, "programme:seacop")
	seacopCyber := domain.RelationID("programme:seacop", domain.RelAddresses, "topic:cyber-security")
	ecuadorSeacop := domain.RelationID("country:ecuador", domain.RelParticipatesIn, "programme:seacop")

	steps := []struct {
		name      string
		write     domain.Write
		wantCode  string // "" for accepted
		wantSteps int
	}{
		{name: "add a source", wantSteps: 1, write: domain.Write{Action: domain.ActionAddSource, Actor: editor, Node: press, Text: pressText}},
		{name: "add the source again", wantCode: domain.ECONFLICT, write: domain.Write{Action: domain.ActionAddSource, Actor: editor, Node: press, Text: pressText}},
		{name: "create a stakeholder, ID from its name", wantSteps: 1, write: domain.Write{Action: domain.ActionUpsertStakeholder, Actor: editor, Node: port}},
		{name: "add a relation quoting the new source", wantSteps: 1, write: domain.Write{Action: domain.ActionAddRelation, Actor: editor,
			Relation: &domain.Relation{Type: domain.RelParticipatesIn, From: "country:hungary", To: "programme:seacop", Confidence: domain.ConfidenceMedium,
				Evidence: []domain.Evidence{{SourceID: "source:press-note", Quote: "Hungary takes part in SEACOP."}}}}},
		{name: "a quote not in the source", wantCode: domain.EINVALID, write: domain.Write{Action: domain.ActionAddRelation, Actor: editor,
			Relation: &domain.Relation{Type: domain.RelSupports, From: "country:hungary", To: "programme:seacop", Confidence: domain.ConfidenceLow,
				Evidence: []domain.Evidence{{SourceID: "source:press-note", Quote: "Hungary funds SEACOP"}}}}},
		// The venue's other relations now concern cyber security too.
		{name: "a venue addresses another topic", wantSteps: 1, write: domain.Write{Action: domain.ActionAddRelation, Actor: editor,
			Relation: &domain.Relation{Type: domain.RelAddresses, From: "programme:seacop", To: "topic:cyber-security", Confidence: domain.ConfidenceMedium,
				Evidence: []domain.Evidence{{SourceID: "source:press-note", Quote: "SEACOP also addresses cyber security at ports."}}}}},
		{name: "update a relation", wantSteps: 1, write: domain.Write{Action: domain.ActionUpdateRelation, Actor: editor, Target: hungarySeacop,
			ExpectedRevision: rev(3), Patch: &domain.RelationPatch{Role: ptr("observer"), Start: ptr(domain.PartialDate("2024-02"))}}},
		{name: "update with a stale revision", wantCode: domain.ECONFLICT, write: domain.Write{Action: domain.ActionUpdateRelation, Actor: editor, Target: hungarySeacop,
			ExpectedRevision: rev(3), Patch: &domain.RelationPatch{Note: ptr("late")}}},
		{name: "add evidence, white space differing", wantSteps: 1, write: domain.Write{Action: domain.ActionAddEvidence, Actor: editor, Target: ecuadorSeacop,
			Evidence: []domain.Evidence{{SourceID: "source:round-table-minutes", Quote: "Ecuador joins SEACOP"}}}},
		{name: "change a stakeholder", wantSteps: 1, write: domain.Write{Action: domain.ActionUpsertStakeholder, Actor: editor, Node: portRenamed, ExpectedRevision: rev(2)}},
		{name: "an editor may not retire", wantCode: domain.EFORBIDDEN, write: domain.Write{Action: domain.ActionRetireRelation, Actor: editor, Target: seacopCyber, Reason: "wrong"}},
		{name: "retire a venue's topic", wantSteps: 1, write: domain.Write{Action: domain.ActionRetireRelation, Actor: admin, Target: seacopCyber, Reason: "the press note meant another programme"}},
		{name: "retire a cited source", wantCode: domain.ECONFLICT, write: domain.Write{Action: domain.ActionRetireStakeholder, Actor: admin, Target: "source:press-note", Reason: "duplicate"}},
		{name: "retire a stakeholder and its relations", wantSteps: 5, write: domain.Write{Action: domain.ActionRetireStakeholder, Actor: admin, Target: "programme:seacop", Reason: "merged into another programme"}},
		{name: "add evidence to a retired relation", wantCode: domain.ENOTFOUND, write: domain.Write{Action: domain.ActionAddEvidence, Actor: editor, Target: hungarySeacop,
			Evidence: []domain.Evidence{{SourceID: "source:press-note", Quote: "SEACOP"}}}},
		{name: "revert the retirement", wantSteps: 5, write: domain.Write{Action: domain.ActionRevert, Actor: admin, Change: 9, Reason: "retired by mistake"}},
		{name: "revert it twice", wantCode: domain.ECONFLICT, write: domain.Write{Action: domain.ActionRevert, Actor: admin, Change: 9, Reason: "again"}},
		{name: "revert a change that does not exist", wantCode: domain.ENOTFOUND, write: domain.Write{Action: domain.ActionRevert, Actor: admin, Change: 99, Reason: "typo"}},
	}
	var seq int64
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			before, err := s.Version(ctx)
			if err != nil {
				t.Fatal(err)
			}
			w := step.write
			c, err := s.Apply(ctx, &w)
			if step.wantCode != "" {
				wantCode(t, err, step.wantCode)
				if _, ok := err.(*domain.Error); !ok {
					t.Errorf("refused write: error is %T, want the plan's *domain.Error unchanged", err)
				}
				if after, _ := s.Version(ctx); after != before {
					t.Errorf("refused write changed the version from %s to %s", before, after)
				}
				checkAgainstHistory(t, s, base, texts)
				return
			}
			if err != nil {
				t.Fatalf("Apply: %v", err)
			}
			seq++
			if c.Seq != seq || c.Action != w.Action || c.Actor != w.Actor || len(c.Steps) != step.wantSteps {
				t.Errorf("change: got seq %d, %s by %v, %d steps, want seq %d, %s by %v, %d steps",
					c.Seq, c.Action, c.Actor, len(c.Steps), seq, w.Action, w.Actor, step.wantSteps)
			}
			stored := allChanges(t, s, "")
			if got := stored[len(stored)-1]; got.Seq != c.Seq || !got.At.Equal(c.At) || got.Target != c.Target || got.Reason != c.Reason {
				t.Errorf("stored change: got %d at %v on %s (%q), want %d at %v on %s (%q)",
					got.Seq, got.At, got.Target, got.Reason, c.Seq, c.At, c.Target, c.Reason)
			}
			for _, st := range c.Steps {
				if got, err := s.Revision(ctx, st.Target); err != nil || got != c.Seq {
					t.Errorf("Revision(%s): got %d, %v, want %d", st.Target, got, err, c.Seq)
				}
			}
			checkAgainstHistory(t, s, base, texts)
		})
	}

	t.Run("search finds a new alias", func(t *testing.T) {
		hits, err := s.Search(ctx, domain.SearchQuery{Text: "guayaquil port authority"})
		if err != nil || len(hits) == 0 || hits[0].Node.ID != portID {
			t.Errorf("Search for an alias added by a write: got %v, %v, want %s first", hits, err, portID)
		}
	})

	t.Run("retire and restore a source", func(t *testing.T) {
		note := &domain.Node{Kind: domain.KindSource, Name: "Unused note", URL: "https://example.org/unused"}
		added, err := s.Apply(ctx, &domain.Write{Action: domain.ActionAddSource, Actor: editor, Node: note, Text: "Nothing cites this."})
		if err != nil {
			t.Fatal(err)
		}
		retired, err := s.Apply(ctx, &domain.Write{Action: domain.ActionRetireStakeholder, Actor: admin, Target: added.Target, Reason: "unused"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SourceText(ctx, added.Target); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("text of a retired source: got %v, want ENOTFOUND", err)
		}
		checkAgainstHistory(t, s, base, texts)
		if _, err := s.Apply(ctx, &domain.Write{Action: domain.ActionRevert, Actor: admin, Change: retired.Seq, Reason: "needed after all"}); err != nil {
			t.Fatal(err)
		}
		if got, err := s.SourceText(ctx, added.Target); err != nil || got != "Nothing cites this." {
			t.Errorf("text of a restored source: got %q, %v", got, err)
		}
		checkAgainstHistory(t, s, base, texts)
	})

	t.Run("a cancelled write changes nothing", func(t *testing.T) {
		before, err := s.DataVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		_, err = s.Apply(cancelled, &domain.Write{Action: domain.ActionUpsertStakeholder, Actor: editor,
			Node: &domain.Node{Kind: domain.KindTopic, Name: "Never written"}})
		wantCode(t, err, domain.EUNAVAILABLE)
		if after, err := s.DataVersion(ctx); err != nil || after != before {
			t.Errorf("DataVersion after a cancelled write: got %d, %v, want %d", after, err, before)
		}
	})

	t.Run("history of one node", func(t *testing.T) {
		got := allChanges(t, s, "programme:seacop")
		var want []int64
		for _, c := range allChanges(t, s, "") {
			if c.Touches("programme:seacop") {
				want = append(want, c.Seq)
			}
		}
		var gotSeqs []int64
		for _, c := range got {
			gotSeqs = append(gotSeqs, c.Seq)
		}
		if fmt.Sprint(gotSeqs) != fmt.Sprint(want) || len(want) < 4 {
			t.Errorf("changes touching programme:seacop: got %v, want %v", gotSeqs, want)
		}
	})

	t.Run("version at a time", func(t *testing.T) {
		changes := allChanges(t, s, "")
		cases := []struct {
			at   time.Time
			want int64
		}{
			{changes[0].At.Add(-time.Nanosecond), 0},
			{changes[0].At, 1},
			{changes[3].At, 4},
			{changes[3].At.Add(changes[4].At.Sub(changes[3].At) / 2), 4},
			{changes[len(changes)-1].At.Add(time.Hour), int64(len(changes))},
		}
		for _, c := range cases {
			if got, err := s.VersionAt(ctx, c.at); err != nil || got != c.want {
				t.Errorf("VersionAt(%v): got %d, %v, want %d", c.at, got, err, c.want)
			}
		}
	})

	t.Run("replayed backwards from now gives the seeded graph", func(t *testing.T) {
		now, err := s.Graph(ctx, domain.GraphQuery{})
		if err != nil {
			t.Fatal(err)
		}
		nowTexts := maps.Clone(texts)
		nowTexts["source:press-note"] = pressText
		got, gotTexts := domain.Replay(&domain.Graph{Nodes: now.Nodes, Relations: now.Relations}, nowTexts, allChanges(t, s, ""), true)
		if got.Version() != base.Version() || !maps.Equal(gotTexts, texts) {
			t.Errorf("rewound: version %s and texts %v, want %s and %v", got.Version(), gotTexts, base.Version(), texts)
		}
	})

	t.Run("seeding starts history over", func(t *testing.T) {
		if err := s.SeedWithTexts(ctx, base, texts); err != nil {
			t.Fatal(err)
		}
		if got := allChanges(t, s, ""); len(got) != 0 {
			t.Errorf("history after a seed: got %d changes, want none", len(got))
		}
		if got, err := s.Revision(ctx, hungarySeacop); err != nil || got != 0 {
			t.Errorf("Revision after a seed: got %d, %v, want 0", got, err)
		}
		if _, err := s.SourceText(ctx, "source:press-note"); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("text of a source the seed does not hold: got %v, want ENOTFOUND", err)
		}
		checkAgainstHistory(t, s, base, texts)
		// The first change after a seed is 1 again.
		c, err := s.Apply(ctx, &domain.Write{Action: domain.ActionAddSource, Actor: editor, Node: press, Text: pressText})
		if err != nil || c.Seq != 1 {
			t.Fatalf("first write after a seed: got %+v, %v, want Seq 1", c, err)
		}
		checkAgainstHistory(t, s, base, texts)
	})
}

// TestApplyUnseeded refuses writes to a database nobody seeded.
func TestApplyUnseeded(t *testing.T) {
	s := openStore(t)
	t.Cleanup(func() {
		if err := s.Seed(context.Background(), testGraph()); err != nil {
			t.Errorf("Seed: %v", err)
		}
	})
	cypher(t, `MATCH (n) DETACH DELETE n`, nil)
	_, err := s.Apply(context.Background(), &domain.Write{Action: domain.ActionUpsertStakeholder, Actor: editor,
		Node: &domain.Node{Kind: domain.KindTopic, Name: "Prisons"}})
	wantCode(t, err, domain.EUNAVAILABLE)
	if n := cypher(t, `MATCH (n) RETURN count(n)`, nil)[0].Values[0].(int64); n != 0 {
		t.Errorf("a refused write left %d nodes", n)
	}
}

// TestStatementWrites runs the statement writes of the conformance suite on
// Neo4j seeded with the shipped dataset, then checks each statement's
// links: one per node it names, and none left by the retired one.
func TestStatementWrites(t *testing.T) {
	d, err := dataset.ShippedDataset()
	if err != nil {
		t.Fatal(err)
	}
	s := openStore(t)
	if err := s.SeedWithTexts(context.Background(), d.Graph, d.SourceTexts); err != nil {
		t.Fatalf("SeedWithTexts: %v", err)
	}
	storetest.StatementWrites(t, s, s)
	sts, err := domain.AllStatements(context.Background(), s, domain.StatementQuery{})
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, st := range sts {
		want += len(st.References())
	}
	recs := cypher(t, `MATCH (:Statement)-[l]->(:Stakeholder) RETURN count(l)`, nil)
	if got := recs[0].Values[0].(int64); got != int64(want) {
		t.Errorf("statement links: got %d, want %d", got, want)
	}
	// Seeding again replaces the statements, the added one included.
	if err := s.SeedWithTexts(context.Background(), d.Graph, d.SourceTexts); err != nil {
		t.Fatalf("SeedWithTexts again: %v", err)
	}
	recs = cypher(t, `MATCH (s:Statement) RETURN count(s)`, nil)
	if got := recs[0].Values[0].(int64); got != int64(len(d.Graph.Statements)) {
		t.Errorf("statements after reseeding: got %d, want %d", got, len(d.Graph.Statements))
	}
}

// TestConcurrentWriters has many goroutines write at once: every accepted
// write is in history with Seq from 1 without gaps, the store equals its
// history replayed, and of writes racing for the same ID or revision
// exactly one wins and the others get ECONFLICT.
func TestConcurrentWriters(t *testing.T) {
	s, base, texts := seededWithTexts(t)
	ctx := context.Background()
	const writers, each = 8, 6
	type result struct {
		c   *domain.Change
		err error
	}
	results := make(chan result, writers*(2*each+2))
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				// Every writer creates its own nodes and relations ...
				topic := &domain.Node{Kind: domain.KindTopic, Name: fmt.Sprintf("Topic %d %d", w, i)}
				c, err := s.Apply(ctx, &domain.Write{Action: domain.ActionUpsertStakeholder, Actor: editor, Node: topic})
				results <- result{c, err}
				if err != nil {
					continue
				}
				c, err = s.Apply(ctx, &domain.Write{Action: domain.ActionAddRelation, Actor: editor, Relation: &domain.Relation{
					Type: domain.RelAddresses, From: "programme:el-paccto", To: c.Target, Confidence: domain.ConfidenceLow,
					Evidence: []domain.Evidence{{SourceID: "source:round-table-minutes", Quote: "Spain funds EL PAcCTO"}}}})
				results <- result{c, err}
			}
			// ... and all race for the same ID and the same revision.
			c, err := s.Apply(ctx, &domain.Write{Action: domain.ActionUpsertStakeholder, Actor: editor,
				Node: &domain.Node{Kind: domain.KindTopic, Name: "Contested"}})
			results <- result{c, err}
			c, err = s.Apply(ctx, &domain.Write{Action: domain.ActionUpdateRelation, Actor: editor, ExpectedRevision: rev(0),
				Target: domain.RelationID("country:ecuador", domain.RelParticipatesIn, "programme:el-paccto"),
				Patch:  &domain.RelationPatch{Note: ptr(fmt.Sprintf("edited by writer %d", w))}})
			results <- result{c, err}
		}()
	}
	wg.Wait()
	close(results)
	acked := map[int64]*domain.Change{}
	conflicts := 0
	for r := range results {
		switch {
		case r.err == nil:
			acked[r.c.Seq] = r.c
		case domain.ErrorCode(r.err) == domain.ECONFLICT:
			conflicts++
		default:
			t.Errorf("write failed: %v", r.err)
		}
	}
	if want := writers*each*2 + 2; len(acked) != want || conflicts != 2*(writers-1) {
		t.Errorf("got %d writes accepted and %d conflicts, want %d and %d", len(acked), conflicts, want, 2*(writers-1))
	}
	history := allChanges(t, s, "")
	if len(history) != len(acked) {
		t.Errorf("history holds %d changes, %d were acknowledged", len(history), len(acked))
	}
	for _, c := range history {
		if a := acked[c.Seq]; a == nil || a.Target != c.Target || a.Action != c.Action {
			t.Errorf("change %d in history (%s %s) is not the one acknowledged with that Seq", c.Seq, c.Action, c.Target)
		}
	}
	checkAgainstHistory(t, s, base, texts)
}

// TestWriteConformance runs the shared write suite: the mutation script's
// transcript must equal the one every store gives, and concurrent writers
// lose nothing and break no rule.
func TestWriteConformance(t *testing.T) {
	ds, err := dataset.ShippedDataset()
	if err != nil {
		t.Fatal(err)
	}
	storetest.RunWrites(t, func(tb testing.TB) (domain.Store, domain.Writer) {
		s := openStore(tb)
		if err := s.SeedWithTexts(context.Background(), ds.Graph, ds.SourceTexts); err != nil {
			tb.Fatalf("SeedWithTexts: %v", err)
		}
		return s, s
	})
}

// BenchmarkApply times each action on Neo4j, one cycle per iteration: a
// source, a topic, a relation of a venue to it (which refreshes the
// venue's relations' topics), its update, more evidence, its retirement,
// the topic's retirement and a revert of that. Each action's mean latency
// is reported as ms/<action>.
func BenchmarkApply(b *testing.B) {
	s, _, _ := seededWithTexts(b)
	ctx := context.Background()
	spent := map[domain.Action]time.Duration{}
	apply := func(w *domain.Write) *domain.Change {
		start := time.Now()
		c, err := s.Apply(ctx, w)
		if err != nil {
			b.Fatalf("%s: %v", w.Action, err)
		}
		spent[w.Action] += time.Since(start)
		return c
	}
	i := 0
	for b.Loop() {
		i++
		source := apply(&domain.Write{Action: domain.ActionAddSource, Actor: editor, Text: fmt.Sprintf("SEACOP addresses bench topic %d. Confirmed for %d.", i, i),
			Node: &domain.Node{Kind: domain.KindSource, Name: fmt.Sprintf("Bench source %d", i), URL: "https://example.org/bench"}})
		topic := apply(&domain.Write{Action: domain.ActionUpsertStakeholder, Actor: editor, Node: &domain.Node{Kind: domain.KindTopic, Name: fmt.Sprintf("Bench topic %d", i)}})
		added := apply(&domain.Write{Action: domain.ActionAddRelation, Actor: editor, Relation: &domain.Relation{Type: domain.RelAddresses,
			From: "programme:seacop", To: topic.Target, Confidence: domain.ConfidenceLow,
			Evidence: []domain.Evidence{{SourceID: source.Target, Quote: fmt.Sprintf("SEACOP addresses bench topic %d.", i)}}}})
		apply(&domain.Write{Action: domain.ActionUpdateRelation, Actor: editor, Target: added.Target, ExpectedRevision: rev(added.Seq),
			Patch: &domain.RelationPatch{Note: ptr("benchmark")}})
		apply(&domain.Write{Action: domain.ActionAddEvidence, Actor: editor, Target: added.Target,
			Evidence: []domain.Evidence{{SourceID: source.Target, Quote: fmt.Sprintf("Confirmed for %d.", i)}}})
		apply(&domain.Write{Action: domain.ActionRetireRelation, Actor: admin, Target: added.Target, Reason: "benchmark"})
		retired := apply(&domain.Write{Action: domain.ActionRetireStakeholder, Actor: admin, Target: topic.Target, Reason: "benchmark"})
		apply(&domain.Write{Action: domain.ActionRevert, Actor: admin, Change: retired.Seq, Reason: "benchmark"})
	}
	for action, d := range spent {
		b.ReportMetric(float64(d.Microseconds())/1000/float64(i), "ms/"+string(action))
	}
}
