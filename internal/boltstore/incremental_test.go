package boltstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stakegraph/stakegraph/internal/boltstore"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/memstore"
	"github.com/stakegraph/stakegraph/internal/storetest"
	"github.com/stakegraph/stakegraph/internal/synth"
)

// randomWriter draws writes of every action against what a store holds
// now; many are refused (a conflict, a retired target), which is fine.
type randomWriter struct {
	tb  testing.TB
	rng *rand.Rand
	s   *boltstore.Store
	i   int
}

func (w *randomWriter) current() *domain.Graph {
	w.tb.Helper()
	g, _, err := w.s.Current(context.Background())
	if err != nil {
		w.tb.Fatal(err)
	}
	return g
}

func pickOne[T any](rng *rand.Rand, list []T) (T, bool) {
	var zero T
	if len(list) == 0 {
		return zero, false
	}
	return list[rng.IntN(len(list))], true
}

func (w *randomWriter) revision(id string) *int64 {
	rev, err := w.s.Revision(context.Background(), id)
	if err != nil {
		w.tb.Fatal(err)
	}
	return &rev
}

// memoText is the text of the i-th memo source; quotes are cut from it.
func memoText(i int) string {
	return fmt.Sprintf("Memo %d records that the parties met again and agreed on a common plan number %d.", i, i)
}

func (w *randomWriter) next() *domain.Write {
	w.i++
	g := w.current()
	rng := w.rng
	ofKind := func(kinds ...domain.Kind) []*domain.Node {
		var out []*domain.Node
		for _, n := range g.Nodes {
			if slices.Contains(kinds, n.Kind) {
				out = append(out, n)
			}
		}
		return out
	}
	var memos []*domain.Node
	for _, n := range ofKind(domain.KindSource) {
		if len(n.ID) > len("source:memo-") && n.ID[:len("source:memo-")] == "source:memo-" {
			memos = append(memos, n)
		}
	}
	memoEvidence := func() ([]domain.Evidence, bool) {
		m, ok := pickOne(rng, memos)
		if !ok {
			return nil, false
		}
		var i int
		if _, err := fmt.Sscanf(m.ID, "source:memo-%d", &i); err != nil {
			w.tb.Fatalf("memo %s: %v", m.ID, err)
		}
		quotes := []string{"the parties met again", "agreed on a common plan", fmt.Sprintf("plan number %d", i)}
		q, _ := pickOne(rng, quotes)
		return []domain.Evidence{{SourceID: m.ID, Quote: q}}, true
	}
	rel, haveRel := pickOne(rng, g.Relations)
	switch rng.IntN(13) {
	case 0:
		return &domain.Write{Action: domain.ActionAddSource, Actor: editor,
			Node: &domain.Node{Name: fmt.Sprintf("Memo %d", w.i)}, Text: memoText(w.i)}
	case 1:
		kinds := []domain.Kind{domain.KindOrganization, domain.KindPerson, domain.KindTopic, domain.KindProgramme, domain.KindEvent}
		n := &domain.Node{Kind: kinds[rng.IntN(len(kinds))], Name: fmt.Sprintf("Added %d Body", w.i), Aliases: []string{fmt.Sprintf("AB%d", w.i)}}
		if n.Kind == domain.KindOrganization {
			n.OrgType = domain.OrgGroup
		}
		return &domain.Write{Action: domain.ActionUpsertStakeholder, Actor: editor, Node: n}
	case 2, 10:
		old, ok := pickOne(rng, ofKind(domain.KindOrganization, domain.KindPerson, domain.KindTopic, domain.KindProgramme, domain.KindEvent, domain.KindCountry))
		if w.i%13 == 10 {
			// A topic a venue addresses: venues keep their topics' nodes.
			var addressed []*domain.Node
			for _, r := range g.Relations {
				if r.Type == domain.RelAddresses && kindOf(r.To) == domain.KindTopic {
					addressed = append(addressed, nodeOf(g, r.To))
				}
			}
			old, ok = pickOne(rng, addressed)
		}
		if !ok {
			return nil
		}
		n := *old
		switch rng.IntN(3) {
		case 0:
			n.Name = fmt.Sprintf("Renamed %d %s", w.i, old.Name)
		case 1:
			n.Aliases = append(slices.Clone(old.Aliases), fmt.Sprintf("Alias%d", w.i))
		default:
			n.Aliases = nil
		}
		return &domain.Write{Action: domain.ActionUpsertStakeholder, Actor: editor, Node: &n, ExpectedRevision: w.revision(n.ID)}
	case 3, 4:
		if !haveRel {
			return nil
		}
		r := domain.CloneRelation(rel)
		r.ID = ""
		// Another end of the same kind keeps the relation within the rules.
		if others := ofKind(kindOf(r.To)); len(others) > 0 && rng.IntN(2) == 0 {
			r.To = others[rng.IntN(len(others))].ID
		} else if others := ofKind(kindOf(r.From)); len(others) > 0 {
			r.From = others[rng.IntN(len(others))].ID
		}
		if r.From == r.To {
			return nil
		}
		if rng.IntN(2) == 0 {
			r.Start, r.End = domain.PartialDate(fmt.Sprintf("20%02d", 10+rng.IntN(8))), domain.PartialDate(fmt.Sprintf("20%02d", 18+rng.IntN(8)))
		}
		if ev, ok := memoEvidence(); ok && rng.IntN(2) == 0 {
			r.Evidence = ev
		}
		return &domain.Write{Action: domain.ActionAddRelation, Actor: editor, Relation: r}
	case 5:
		if !haveRel {
			return nil
		}
		note := fmt.Sprintf("note %d", w.i)
		start := domain.PartialDate(fmt.Sprintf("20%02d-%02d", 5+rng.IntN(15), 1+rng.IntN(12)))
		patch := &domain.RelationPatch{Note: &note}
		if rng.IntN(2) == 0 {
			patch.Start = &start
		}
		return &domain.Write{Action: domain.ActionUpdateRelation, Actor: editor, Target: rel.ID, Patch: patch, ExpectedRevision: w.revision(rel.ID)}
	case 6:
		ev, ok := memoEvidence()
		if !haveRel || !ok {
			return nil
		}
		return &domain.Write{Action: domain.ActionAddEvidence, Actor: editor, Target: rel.ID, Evidence: ev}
	case 7:
		if !haveRel {
			return nil
		}
		return &domain.Write{Action: domain.ActionRetireRelation, Actor: admin, Target: rel.ID, Reason: "random"}
	case 8:
		n, ok := pickOne(rng, g.Nodes)
		if !ok {
			return nil
		}
		return &domain.Write{Action: domain.ActionRetireStakeholder, Actor: admin, Target: n.ID, Reason: "random"}
	case 9:
		speaker, ok1 := pickOne(rng, ofKind(domain.KindPerson, domain.KindOrganization))
		topic, ok2 := pickOne(rng, ofKind(domain.KindTopic))
		ev, ok3 := memoEvidence()
		if !ok1 || !ok2 || !ok3 {
			return nil
		}
		return &domain.Write{Action: domain.ActionAddStatement, Actor: editor, Statement: &domain.Statement{
			Speaker: speaker.ID, About: []string{topic.ID}, Stance: domain.StanceSupports, Date: "2024-03-01",
			Confidence: domain.ConfidenceLow, Evidence: ev[0]}}
	default:
		seq, err := w.s.DataVersion(context.Background())
		if err != nil || seq == 0 {
			return nil
		}
		return &domain.Write{Action: domain.ActionRevert, Actor: admin, Change: 1 + rng.Int64N(seq), Reason: "random"}
	}
}

func nodeOf(g *domain.Graph, id string) *domain.Node {
	i, _ := slices.BinarySearchFunc(g.Nodes, id, func(n *domain.Node, id string) int { return strings.Compare(n.ID, id) })
	return g.Nodes[i]
}

func kindOf(id string) domain.Kind {
	kind, _, _ := domain.ParseID(id)
	return kind
}

// replayed is the graph after the first v changes, rebuilt from the base
// without the store's own indexes.
func replayed(tb testing.TB, s *boltstore.Store, base boltstore.Base, v int64) *domain.Graph {
	tb.Helper()
	var changes []*domain.Change
	for int64(len(changes)) < v {
		page, err := s.Changes(context.Background(), domain.ChangeQuery{Since: int64(len(changes)), First: domain.MaxPageSize})
		if err != nil {
			tb.Fatal(err)
		}
		changes = append(changes, page.Changes...)
	}
	g, _ := domain.Replay(base.Graph, base.Texts, changes[:v], false)
	return g
}

// transcript is storetest.Transcript without the data version, which
// names the changes for a derived store and hashes the graph for a rebuilt one.
func transcript(tb testing.TB, s domain.Store, g *domain.Graph) []string {
	tb.Helper()
	return slices.DeleteFunc(storetest.Transcript(tb, s, g), func(line string) bool { return strings.HasPrefix(line, "version ") })
}

// fromScratch is the store memstore.New builds over g, checked in full.
func fromScratch(tb testing.TB, g *domain.Graph) *memstore.Store {
	tb.Helper()
	ref, err := memstore.New(g)
	if err != nil {
		tb.Fatalf("the replayed graph: %v", err)
	}
	return ref
}

// fullAnswers renders, in full as JSON, what s answers about every node
// of g (its neighbourhood, relations and cooperation) and the whole graph:
// the transcript names nodes by ID, this shows every value.
func fullAnswers(tb testing.TB, s domain.Store, g *domain.Graph) []string {
	tb.Helper()
	ctx := context.Background()
	var lines []string
	emit := func(query string, answer any, err error) {
		if err != nil {
			answer = err.Error()
		}
		lines = append(lines, query+" => "+mustJSON(tb, answer))
	}
	sub, err := s.Graph(ctx, domain.GraphQuery{})
	emit("graph", sub, err)
	sts, err := domain.AllStatements(ctx, s, domain.StatementQuery{})
	emit("statements", sts, err)
	for _, n := range g.Nodes {
		sub, err := s.Neighborhood(ctx, domain.NeighborhoodQuery{Root: n.ID, Depth: 1})
		emit("neighborhood "+n.ID, sub, err)
		if n.Kind.IsActor() {
			co, err := s.Cooperation(ctx, domain.CooperationQuery{Actor: n.ID, RollUp: true})
			emit("cooperation "+n.ID, co, err)
		}
	}
	return lines
}

func mustJSON(tb testing.TB, v any) string {
	tb.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return string(data)
}

// TestIncrementalSnapshotsMatchRebuilt writes a random sequence of every
// kind of change while readers query, and checks that the snapshot derived
// write by write answers exactly like a store built from scratch over the
// replayed graph (the conformance transcript, the brute-force reference of
// storetest.RunRandom, and the whole graph), that every earlier snapshot
// still answers as it did when it was current, and that AtVersion agrees.
func TestIncrementalSnapshotsMatchRebuilt(t *testing.T) {
	d, err := synth.Generate(synth.Options{Nodes: 100, Seed: 11, RelationsPerNode: 4})
	if err != nil {
		t.Fatal(err)
	}
	base := boltstore.Base{Graph: d.Graph, Texts: d.SourceTexts}
	s := open(t, t.TempDir(), base)
	ctx := context.Background()

	// Readers query throughout, so -race sees any write to shared state.
	stop := make(chan struct{})
	var readers sync.WaitGroup
	var reads atomic.Int64
	for r := range 2 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			rng := rand.New(rand.NewPCG(uint64(r), 3))
			for {
				select {
				case <-stop:
					return
				default:
				}
				n := d.Graph.Nodes[rng.IntN(len(d.Graph.Nodes))]
				_, _ = s.Neighborhood(ctx, domain.NeighborhoodQuery{Root: n.ID, Depth: 2})
				_, _ = s.Search(ctx, domain.SearchQuery{Text: n.Name, First: 5})
				_, _ = s.Relations(ctx, domain.RelationFilter{NodeIDs: []string{n.ID}})
				_, _ = s.Cooperation(ctx, domain.CooperationQuery{Actor: n.ID})
				reads.Add(1)
				runtime.Gosched() // leave the writer its share of a small machine
			}
		}()
	}

	type kept struct {
		v          int64
		store      domain.Store
		transcript []string
	}
	var earlier []kept
	w := &randomWriter{tb: t, rng: rand.New(rand.NewPCG(11, 7)), s: s}
	applied := map[domain.Action]int{}
	const writes, every = 180, 60
	for len(earlier) < writes/every {
		wr := w.next()
		if wr == nil {
			continue
		}
		c, err := s.Apply(ctx, wr)
		switch code := domain.ErrorCode(err); {
		case err == nil:
			applied[c.Action]++
		case code == domain.EINTERNAL:
			t.Fatalf("%s %s: %v", wr.Action, wr.Target, err)
		default:
			continue // refused by the rules: nothing changed
		}
		v, err := s.DataVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v%every != 0 {
			continue
		}
		g := replayed(t, s, base, v)
		ref := fromScratch(t, g)
		current := boltstore.Snapshot(s)
		got := transcript(t, current, g)
		storetest.Compare(t, got, transcript(t, ref, g))
		storetest.Compare(t, fullAnswers(t, current, g), fullAnswers(t, ref, g))
		if cur, _, err := s.Current(ctx); err != nil || mustJSON(t, cur) != mustJSON(t, g) {
			t.Errorf("version %d: Current differs from the replayed graph (error %v)", v, err)
		}
		earlier = append(earlier, kept{v: v, store: current, transcript: got})
	}
	close(stop)
	readers.Wait()
	t.Logf("applied %v; %d rounds of reads ran meanwhile", applied, reads.Load())
	for _, a := range domain.Actions {
		// Ingesting and deciding proposals are the review queue's, with their own tests.
		if applied[a] == 0 && a != domain.ActionIngestDocument && a != domain.ActionDecideProposal {
			t.Errorf("no %s change was applied: the random writes miss a case", a)
		}
	}

	final, err := s.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	g := replayed(t, s, base, final)
	storetest.RunRandom(t, s, g, 11, 40)
	for _, k := range earlier {
		// An earlier snapshot answers as it did: later writes shared, never changed, its parts.
		storetest.Compare(t, transcript(t, k.store, replayed(t, s, base, k.v)), k.transcript)
		past, err := s.AtVersion(ctx, k.v)
		if err != nil {
			t.Fatal(err)
		}
		storetest.Compare(t, transcript(t, past, replayed(t, s, base, k.v)), k.transcript)
	}
}
