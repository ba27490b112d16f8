package storetest

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/history"
)

// OpenWritable returns a fresh store with writes holding the shipped
// dataset and its source texts and no history, as the Store and the Writer
// of the same data.
type OpenWritable func(tb testing.TB) (domain.Store, domain.Writer)

// UpdateGoldenEnv, set to 1, makes RunWrites rewrite the golden transcript
// of the mutation script instead of comparing with it. Only the embedded
// store's run should write it; review the diff before committing it.
const UpdateGoldenEnv = "STAKEGRAPH_UPDATE_WRITES_GOLDEN"

// The actors of the mutation script.
var (
	ScriptEditor = domain.Actor{Name: "alice", Role: domain.RoleEditor}
	ScriptAdmin  = domain.Actor{Name: "root", Role: domain.RoleAdmin}
	ScriptReader = domain.Actor{Name: "guest", Role: domain.RoleReader}
)

// RunWrites runs the write conformance suite: the mutation script, whose
// transcript must equal the golden one every store shares
// (testdata/writes.golden), and concurrent writers. Each part opens its own
// fresh store.
func RunWrites(t *testing.T, open OpenWritable) {
	t.Run("Script", func(t *testing.T) {
		s, w := open(t)
		got := WriteTranscript(t, s, w)
		path := GoldenWritesPath(t)
		if os.Getenv(UpdateGoldenEnv) == "1" {
			if err := os.WriteFile(path, []byte(strings.Join(got, "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("wrote %s", path)
			return
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("read the golden transcript (write it with %s=1 on the embedded store): %v", UpdateGoldenEnv, err)
		}
		Compare(t, got, strings.Split(strings.TrimSuffix(string(b), "\n"), "\n"))
	})
	t.Run("ConcurrentWriters", func(t *testing.T) {
		s, w := open(t)
		testConcurrentWriters(t, s, w)
	})
	t.Run("Statements", func(t *testing.T) {
		s, w := open(t)
		StatementWrites(t, s, w)
	})
	t.Run("Review", func(t *testing.T) {
		s, w := open(t)
		ReviewWrites(t, s, w)
	})
}

// GoldenWritesPath is the golden transcript of the mutation script.
func GoldenWritesPath(tb testing.TB) string {
	tb.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		tb.Fatal("cannot locate the storetest package")
	}
	return filepath.Join(filepath.Dir(file), "testdata", "writes.golden")
}

// scriptStep is one write of the mutation script and what it must give.
type scriptStep struct {
	write    *domain.Write
	wantCode string   // "" when the write must be accepted
	wantMsg  string   // part of the error message
	observe  []string // nodes whose value and relations the transcript records after the step
}

const (
	roundTable    = "event:iii-round-table-2023"
	article       = "source:roundtable-article-2023"
	excerptSource = "source:round-table-press-article-opening-paragraphs"
	newTopic      = "topic:new-security-threats"
	addresses     = roundTable + "|ADDRESSES|" + newTopic
	spainAttended = "country:spain|ATTENDED|" + roundTable
)

// excerpt is the opening of the shipped press article, down to the
// paragraph on new security threats: a real text to register as a source.
func excerpt(tb testing.TB) string {
	tb.Helper()
	text, ok := dataset.SourceText(article)
	if !ok {
		tb.Fatalf("no shipped text for %s", article)
	}
	i := strings.Index(text, "new security threats")
	end := strings.Index(text[i:], "\n\n")
	if i < 0 || end < 0 {
		tb.Fatalf("the shipped article no longer holds the paragraph the script quotes")
	}
	return text[:i+end]
}

func revision(n int64) *int64 { return &n }

func script(tb testing.TB) []scriptStep {
	ed, adm, rd := ScriptEditor, ScriptAdmin, ScriptReader
	source := &domain.Node{Name: "Round table press article, opening paragraphs", URL: "https://247newsagency.com/economy/254246.html",
		Publisher: "247 News Agency", Language: "en", Start: "2023-09"}
	topic := &domain.Node{Kind: domain.KindTopic, Name: "New security threats"}
	topicUpdated := &domain.Node{ID: newTopic, Kind: domain.KindTopic, Name: "New security threats", Aliases: []string{"emerging threats"},
		Description: "Threats the round table named as new, terrorism among them."}
	relation := &domain.Relation{Type: domain.RelAddresses, From: roundTable, To: newTopic, Confidence: domain.ConfidenceHigh,
		Evidence: []domain.Evidence{{SourceID: article, Quote: "deal with new\n   security threats"}}}
	start := domain.PartialDate("2023-09-26")
	text := excerpt(tb)
	return []scriptStep{
		{write: &domain.Write{Action: domain.ActionAddSource, Actor: ed, Node: source, Text: text}, observe: []string{excerptSource}}, // 1
		{write: &domain.Write{Action: domain.ActionAddSource, Actor: ed, Node: source, Text: text}, wantCode: domain.ECONFLICT, wantMsg: "already exists"},
		{write: &domain.Write{Action: domain.ActionAddSource, Actor: rd, Node: &domain.Node{Name: "Other"}, Text: "x"}, wantCode: domain.EFORBIDDEN},
		{write: &domain.Write{Action: domain.ActionUpsertStakeholder, Actor: ed, Node: topic}, observe: []string{newTopic}}, // 2
		{write: &domain.Write{Action: domain.ActionUpsertStakeholder, Actor: ed, Node: topic}, wantCode: domain.ECONFLICT, wantMsg: "already exists"},
		{write: &domain.Write{Action: domain.ActionUpsertStakeholder, Actor: ed, Node: topicUpdated, ExpectedRevision: revision(2)}, observe: []string{newTopic}}, // 3
		{write: &domain.Write{Action: domain.ActionUpsertStakeholder, Actor: ed, Node: topic, ExpectedRevision: revision(2)}, wantCode: domain.ECONFLICT, wantMsg: "it is at version 3"},
		{write: &domain.Write{Action: domain.ActionAddRelation, Actor: ed, Relation: relation}, observe: []string{newTopic}}, // 4
		{write: &domain.Write{Action: domain.ActionAddRelation, Actor: ed, Relation: &domain.Relation{Type: domain.RelChaired, From: "country:spain", To: roundTable,
			Confidence: domain.ConfidenceHigh, Evidence: []domain.Evidence{{SourceID: article, Quote: "Spain chaired the round table"}}}},
			wantCode: domain.EINVALID, wantMsg: `"Spain chaired the round table" is not found verbatim in ` + article},
		{write: &domain.Write{Action: domain.ActionUpdateRelation, Actor: ed, Target: addresses, ExpectedRevision: revision(4), Patch: &domain.RelationPatch{Start: &start}},
			observe: []string{newTopic}}, // 5
		{write: &domain.Write{Action: domain.ActionUpdateRelation, Actor: ed, Target: addresses, ExpectedRevision: revision(4), Patch: &domain.RelationPatch{End: &start}},
			wantCode: domain.ECONFLICT, wantMsg: "it is at version 5"},
		{write: &domain.Write{Action: domain.ActionAddEvidence, Actor: ed, Target: addresses, Evidence: []domain.Evidence{{SourceID: excerptSource, Quote: "deal with new security threats"}}},
			observe: []string{newTopic}}, // 6
		{write: &domain.Write{Action: domain.ActionAddEvidence, Actor: ed, Target: addresses, Evidence: []domain.Evidence{{SourceID: excerptSource, Quote: "new threats such as piracy"}}},
			wantCode: domain.EINVALID, wantMsg: `"new threats such as piracy" is not found verbatim`},
		{write: &domain.Write{Action: domain.ActionRetireRelation, Actor: ed, Target: spainAttended, Reason: "test"}, wantCode: domain.EFORBIDDEN},
		{write: &domain.Write{Action: domain.ActionRetireRelation, Actor: adm, Target: spainAttended, Reason: "checking the list of member states"},
			observe: []string{"country:spain"}}, // 7
		{write: &domain.Write{Action: domain.ActionRevert, Actor: adm, Change: 7, Reason: "Spain is in the article's list"}, observe: []string{"country:spain"}}, // 8
		{write: &domain.Write{Action: domain.ActionRetireStakeholder, Actor: adm, Target: newTopic, Reason: "covered by topic:terrorism"},
			observe: []string{newTopic, roundTable}}, // 9
		{write: &domain.Write{Action: domain.ActionRevert, Actor: adm, Change: 9, Reason: "a topic of its own after all"}, observe: []string{newTopic}},    // 10
		{write: &domain.Write{Action: domain.ActionRevert, Actor: adm, Change: 10, Reason: "no: covered by topic:terrorism"}, observe: []string{newTopic}}, // 11
		{write: &domain.Write{Action: domain.ActionRevert, Actor: adm, Change: 3, Reason: "x"}, wantCode: domain.ECONFLICT, wantMsg: "has changed since"},
		{write: &domain.Write{Action: domain.ActionRetireStakeholder, Actor: adm, Target: article, Reason: "x"}, wantCode: domain.ECONFLICT, wantMsg: "current relations"},
		{write: &domain.Write{Action: domain.ActionRetireStakeholder, Actor: adm, Target: excerptSource, Reason: "nothing cites it any more"},
			observe: []string{excerptSource}}, // 12
		{write: &domain.Write{Action: domain.ActionRevert, Actor: adm, Change: 1, Reason: "x"}, wantCode: domain.ECONFLICT, wantMsg: "has changed since"},
		{write: &domain.Write{Action: domain.ActionRetireStakeholder, Actor: adm, Target: "country:atlantis", Reason: "x"}, wantCode: domain.ENOTFOUND},
		{write: &domain.Write{Action: domain.ActionRevert, Actor: adm, Change: 99, Reason: "x"}, wantCode: domain.ENOTFOUND},
		{write: &domain.Write{Action: domain.ActionUpdateRelation, Actor: ed, Target: addresses, ExpectedRevision: revision(11), Patch: &domain.RelationPatch{End: &start}},
			wantCode: domain.ENOTFOUND},
	}
}

// WriteTranscript runs the mutation script on a fresh store and renders,
// line by line, each write's outcome (the change with its time left out,
// or the error's code and message) and what queries answer after it. It
// fails tb when a write's outcome is not the one the script expects, when
// the data version or Version do not move exactly with accepted writes,
// or when an earlier version rebuilt from history differs from the graph
// seen at that version.
func WriteTranscript(tb testing.TB, s domain.Store, w domain.Writer) []string {
	tb.Helper()
	ctx := context.Background()
	var lines []string
	// One line per entry: quotes may hold line breaks.
	emit := func(format string, args ...any) {
		lines = append(lines, strings.ReplaceAll(fmt.Sprintf(format, args...), "\n", `\n`))
	}
	base, err := s.Version(ctx)
	noErr(tb, err)
	graphs := []string{renderWholeGraph(tb, s)} // graphs[v]: the whole graph at data version v
	var seq int64
	lastVersion := base
	var times []time.Time
	for i, st := range script(tb) {
		wr := st.write
		c, err := w.Apply(ctx, wr)
		accepted := err == nil
		if got := domain.ErrorCode(err); got != st.wantCode {
			tb.Fatalf("step %d (%s %s): code %q (%v), want %q", i+1, wr.Action, wr.Target, got, err, st.wantCode)
		}
		if err != nil {
			if !strings.Contains(domain.ErrorMessage(err), st.wantMsg) {
				tb.Errorf("step %d (%s): message %q, want it to contain %q", i+1, wr.Action, domain.ErrorMessage(err), st.wantMsg)
			}
			emit("step %d %s by %s: error %s: %s", i+1, wr.Action, wr.Actor.Name, domain.ErrorCode(err), domain.ErrorMessage(err))
		} else {
			seq++
			if c.Seq != seq {
				tb.Fatalf("step %d: seq %d, want %d", i+1, c.Seq, seq)
			}
			if c.At.IsZero() || (len(times) > 0 && c.At.Before(times[len(times)-1])) {
				tb.Errorf("step %d: change time %v is zero or before the last one", i+1, c.At)
			}
			times = append(times, c.At)
			emit("step %d %s by %s: %s", i+1, wr.Action, wr.Actor.Name, RenderChange(c))
			graphs = append(graphs, renderWholeGraph(tb, s))
		}
		dv, err := w.DataVersion(ctx)
		noErr(tb, err)
		if dv != seq {
			tb.Fatalf("step %d: DataVersion %d, want %d", i+1, dv, seq)
		}
		v, err := s.Version(ctx)
		noErr(tb, err)
		if changed := v != lastVersion; changed != accepted {
			tb.Errorf("step %d: Version changed %t, but the write was accepted %t", i+1, changed, accepted)
		}
		lastVersion = v
		emit("  dataVersion %d", dv)
		for _, id := range st.observe {
			n, err := s.Node(ctx, id)
			emit("  node %s => %s", id, answer(renderNode(n), err))
			rels, err := s.Relations(ctx, domain.RelationFilter{NodeIDs: []string{id}})
			emit("  relations %s => %s", id, answer(renderRelations(rels), err))
			rev, err := w.Revision(ctx, id)
			emit("  revision %s => %s", id, answer(fmt.Sprint(rev), err))
			page, err := w.Changes(ctx, domain.ChangeQuery{Target: id, First: domain.MaxPageSize})
			emit("  history %s => %s", id, answer(renderChangeSeqs(page), err))
			if strings.HasPrefix(id, "source:") {
				// Only the code: the message is the store's own words.
				text, err := w.SourceText(ctx, id)
				if err != nil {
					emit("  sourceText %s => error %s", id, domain.ErrorCode(err))
				} else {
					emit("  sourceText %s => %s", id, digest(text))
				}
			}
		}
		if wr.Target != "" && strings.Contains(wr.Target, "|") {
			rev, err := w.Revision(ctx, wr.Target)
			emit("  revision %s => %s", wr.Target, answer(fmt.Sprint(rev), err))
		}
	}
	// History pages, in full and five at a time.
	all, err := w.Changes(ctx, domain.ChangeQuery{First: domain.MaxPageSize})
	noErr(tb, err)
	if len(all.Changes) != int(seq) || all.HasNextPage {
		tb.Fatalf("changes: got %d (more: %t), want %d", len(all.Changes), all.HasNextPage, seq)
	}
	for _, c := range all.Changes {
		emit("history %s", RenderChange(c))
	}
	for since := int64(0); ; {
		page, err := w.Changes(ctx, domain.ChangeQuery{Since: since, First: 5})
		noErr(tb, err)
		emit("changes since %d first 5 => %s", since, renderChangeSeqs(page))
		if !page.HasNextPage {
			break
		}
		since = page.Changes[len(page.Changes)-1].Seq
	}
	// Recorded time: before the first change, version 0; at each change's
	// time, at least that change.
	v0, err := w.VersionAt(ctx, times[0].Add(-time.Second))
	noErr(tb, err)
	emit("versionAt before the first change => %d", v0)
	for i, at := range times {
		if v, err := w.VersionAt(ctx, at); err != nil || v < int64(i+1) {
			tb.Errorf("VersionAt(time of change %d): %d, %v", i+1, v, err)
		}
	}
	if v, err := w.VersionAt(ctx, time.Now().Add(time.Hour)); err != nil || v != seq {
		tb.Errorf("VersionAt(later): %d, %v; want %d", v, err, seq)
	}
	// Every earlier version rebuilt from history is the graph seen then.
	for v := range graphs {
		past, err := history.AtVersion(ctx, s, w, int64(v))
		noErr(tb, err)
		if got := renderWholeGraph(tb, past); got != graphs[v] {
			tb.Errorf("history.AtVersion(%d) differs from the graph at that version", v)
		}
	}
	_, err = history.AtVersion(ctx, s, w, seq+1)
	wantCode(tb, err, domain.EINVALID)
	CheckRules(tb, s, w)
	return lines
}

func answer(rendered string, err error) string {
	if err != nil {
		return fmt.Sprintf("error %s: %s", domain.ErrorCode(err), domain.ErrorMessage(err))
	}
	return rendered
}

// digest stands for a source text in transcripts: its length and hash.
func digest(text string) string {
	return fmt.Sprintf("%d bytes sha256:%x", len(text), sha256.Sum256([]byte(text)))
}

// RenderChange renders a change in full except its time, which differs
// between runs.
func RenderChange(c *domain.Change) string {
	var b strings.Builder
	fmt.Fprintf(&b, "change %d %s by %s (%s) target %s", c.Seq, c.Action, c.Actor.Name, c.Actor.Role, c.Target)
	if c.Reason != "" {
		fmt.Fprintf(&b, " reason %q", c.Reason)
	}
	if c.Reverts != 0 {
		fmt.Fprintf(&b, " reverts %d", c.Reverts)
	}
	for _, s := range c.Steps {
		fmt.Fprintf(&b, " | %s: %s -> %s", s.Target, renderEntity(s.Before), renderEntity(s.After))
	}
	return b.String()
}

func renderEntity(e *domain.Entity) string {
	switch {
	case e == nil:
		return "absent"
	case e.Node != nil && e.Text != "":
		return renderNode(e.Node) + " text " + digest(e.Text)
	case e.Node != nil:
		return renderNode(e.Node)
	case e.Relation != nil:
		return renderRelation(e.Relation)
	case e.Statement != nil:
		return fmt.Sprintf("%+v", *e.Statement)
	}
	return "empty"
}

func renderChangeSeqs(p *domain.ChangePage) string {
	if p == nil {
		return "<nil>"
	}
	seqs := make([]string, len(p.Changes))
	for i, c := range p.Changes {
		seqs[i] = fmt.Sprint(c.Seq)
	}
	return fmt.Sprintf("[%s] more %t", strings.Join(seqs, " "), p.HasNextPage)
}

// renderWholeGraph renders every node and relation in full.
func renderWholeGraph(tb testing.TB, s domain.Store) string {
	tb.Helper()
	sub, err := s.Graph(context.Background(), domain.GraphQuery{})
	noErr(tb, err)
	var b strings.Builder
	for _, n := range sub.Nodes {
		b.WriteString(renderNode(n) + "\n")
	}
	for _, r := range sub.Relations {
		b.WriteString(renderRelation(r) + "\n")
	}
	return b.String()
}

// CheckRules fails tb unless the store's current graph follows every rule:
// it passes Graph.Validate (so every relation's ends and sources are
// current nodes), and every quote is verbatim in its source's text.
func CheckRules(tb testing.TB, s domain.Store, w domain.Writer) {
	tb.Helper()
	ctx := context.Background()
	sub, err := s.Graph(ctx, domain.GraphQuery{})
	noErr(tb, err)
	g := &domain.Graph{Nodes: sub.Nodes, Relations: sub.Relations}
	if err := g.Validate(); err != nil {
		tb.Fatalf("the graph breaks a rule: %v", err)
	}
	texts := map[string]string{}
	for _, r := range g.Relations {
		ps := r.QuoteProblems(func(id string) (string, bool) {
			if t, ok := texts[id]; ok {
				return t, true
			}
			t, err := w.SourceText(ctx, id)
			if err != nil {
				tb.Fatalf("relation %s cites %s, whose text the store does not give: %v", r.ID, id, err)
			}
			texts[id] = t
			return t, true
		})
		if len(ps) > 0 {
			tb.Fatalf("relation %s: %v", r.ID, ps)
		}
	}
}

// renderGraph renders every node and relation of g in full, by ID, as
// renderWholeGraph renders a store's.
func renderGraph(g *domain.Graph) string {
	nodes := slices.SortedFunc(slices.Values(g.Nodes), func(a, b *domain.Node) int { return strings.Compare(a.ID, b.ID) })
	rels := slices.SortedFunc(slices.Values(g.Relations), func(a, b *domain.Relation) int { return strings.Compare(a.ID, b.ID) })
	var b strings.Builder
	for _, n := range nodes {
		b.WriteString(renderNode(n) + "\n")
	}
	for _, r := range rels {
		b.WriteString(renderRelation(r) + "\n")
	}
	return b.String()
}

// testConcurrentWriters has many writers write at once, on IDs of their
// own and on IDs they all fight over, with admins retiring what others are
// adding relations to. Nothing acknowledged may be lost, Seq must number
// the changes without gaps, the log replayed over the seeded data must
// give the current graph, and no rule may be broken.
func testConcurrentWriters(t *testing.T, s domain.Store, w domain.Writer) {
	ctx := context.Background()
	const writers, rounds = 8, 3
	body := func(g, r int) *domain.Node {
		return &domain.Node{Kind: domain.KindOrganization, OrgType: domain.OrgGroup, Name: fmt.Sprintf("Concurrent body %d %d", g, r)}
	}
	bodyID := func(g, r int) string { return fmt.Sprintf("organization:concurrent-body-%d-%d", g, r) }
	const contested = "organization:contested-body"
	attends := func(actor domain.Actor, id string) *domain.Write {
		return &domain.Write{Action: domain.ActionAddRelation, Actor: actor, Relation: &domain.Relation{Type: domain.RelAttended, From: id, To: roundTable,
			Confidence: domain.ConfidenceLow, Evidence: []domain.Evidence{{SourceID: article, Quote: "that took place this week"}}}}
	}
	var (
		mu     sync.Mutex
		acked  []*domain.Change
		counts = map[string]int{}
	)
	var wg sync.WaitGroup
	for g := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			apply := func(wr *domain.Write) {
				c, err := w.Apply(ctx, wr)
				code := domain.ErrorCode(err)
				switch {
				case code == "", code == domain.ECONFLICT, code == domain.ENOTFOUND:
				case code == domain.EINVALID && strings.Contains(domain.ErrorMessage(err), "is not a current node"):
				default:
					t.Errorf("writer %d: %s %s: unexpected error %s: %v", g, wr.Action, wr.Target, code, err)
				}
				mu.Lock()
				defer mu.Unlock()
				counts[string(wr.Action)+" "+code]++
				if err == nil {
					acked = append(acked, c)
				}
			}
			for r := range rounds {
				// Retire a neighbour's body, perhaps before it exists, or
				// while the neighbour adds a relation to it.
				apply(&domain.Write{Action: domain.ActionRetireStakeholder, Actor: ScriptAdmin, Target: bodyID((g+1)%writers, r), Reason: "concurrency test"})
				apply(&domain.Write{Action: domain.ActionUpsertStakeholder, Actor: ScriptEditor, Node: body(g, r)})
				apply(attends(ScriptEditor, bodyID(g, r)))
				apply(&domain.Write{Action: domain.ActionUpsertStakeholder, Actor: ScriptEditor,
					Node: &domain.Node{ID: contested, Kind: domain.KindOrganization, OrgType: domain.OrgGroup, Name: "Contested body"}})
				rev, err := w.Revision(ctx, contested)
				noErr(t, err)
				apply(&domain.Write{Action: domain.ActionUpsertStakeholder, Actor: ScriptEditor, ExpectedRevision: &rev,
					Node: &domain.Node{ID: contested, Kind: domain.KindOrganization, OrgType: domain.OrgGroup, Name: "Contested body",
						Description: fmt.Sprintf("Last edited by writer %d in round %d.", g, r)}})
				apply(attends(ScriptEditor, contested))
			}
		}()
	}
	wg.Wait()
	t.Logf("outcomes: %v", counts)
	if t.Failed() {
		return
	}
	slices.SortFunc(acked, func(a, b *domain.Change) int { return int(a.Seq - b.Seq) })
	for i, c := range acked {
		if c.Seq != int64(i+1) {
			t.Fatalf("acknowledged changes: number %d has seq %d; seqs must run from 1 without gaps or repeats", i+1, c.Seq)
		}
	}
	if got := counts[string(domain.ActionUpsertStakeholder)+" "]; got < writers*rounds+1 {
		t.Errorf("accepted upserts: got %d, want at least %d (every own body and the contested one)", got, writers*rounds+1)
	}
	dv, err := w.DataVersion(ctx)
	noErr(t, err)
	if dv != int64(len(acked)) {
		t.Fatalf("DataVersion %d, want %d acknowledged changes", dv, len(acked))
	}
	var logged []*domain.Change
	for since := int64(0); ; {
		page, err := w.Changes(ctx, domain.ChangeQuery{Since: since, First: domain.MaxPageSize})
		noErr(t, err)
		logged = append(logged, page.Changes...)
		if !page.HasNextPage {
			break
		}
		since = page.Changes[len(page.Changes)-1].Seq
	}
	if len(logged) != len(acked) {
		t.Fatalf("history holds %d changes, want the %d acknowledged", len(logged), len(acked))
	}
	for i := range acked {
		if got, want := RenderChange(logged[i]), RenderChange(acked[i]); got != want || !logged[i].At.Equal(acked[i].At) {
			t.Fatalf("change %d in history:\n got %s\nwant %s", i+1, got, want)
		}
	}
	replayed, _ := domain.Replay(ShippedGraph(t), nil, logged, false)
	if got, want := renderWholeGraph(t, s), renderGraph(replayed); got != want {
		t.Errorf("the current graph is not the seeded data with the logged changes applied (%d vs %d entries)",
			strings.Count(got, "\n"), strings.Count(want, "\n"))
	}
	CheckRules(t, s, w)
}
