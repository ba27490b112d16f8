package explorer_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/ingest"
	"github.com/stakegraph/stakegraph/internal/neo4j"
	"github.com/stakegraph/stakegraph/internal/neo4jtest"
	"github.com/stakegraph/stakegraph/internal/webtest"
)

// The documents the ingest test reads, in the test's own words. Accented
// words and a dash (3 bytes in UTF-8) come before the first mentions, and in
// the uploaded one a pin (4 bytes, 2 UTF-16 units), so an offset counted in
// UTF-16 instead of UTF-8 bytes would mark the wrong letters.
const (
	pastedTitle = "Nota de la reunión técnica en Quito"
	pastedText  = "Nota de una reunión técnica en Quito – marzo de 2025.\n\n" +
		"Según la Cancillería, Hungría participa en el programa EL PAcCTO desde este año.\n" +
		"El programa COPOLAD es financiado por la Comisión Europea.\n"
	// The sentences the proposals quote.
	participationSentence = "Según la Cancillería, Hungría participa en el programa EL PAcCTO desde este año."
	fundingSentence       = "El programa COPOLAD es financiado por la Comisión Europea."

	uploadedTitle = "Acta de la mesa de trabajo en Guayaquil"
	uploadedText  = "# " + uploadedTitle + "\n\n" +
		"📌 La Fundación Andina de Seguridad Ciudadana participó en la mesa de trabajo con la Policía Nacional del Ecuador.\n" +
		"La Policía Nacional del Ecuador coopera con Europol en el intercambio de información.\n"
)

// What the review in the test accepts and rejects, by the item each
// proposal would write.
var (
	acceptedRelations = []string{
		domain.RelationID("country:hungary", domain.RelParticipatesIn, "programme:el-paccto"),
		domain.RelationID("organization:european-commission", domain.RelFunds, "programme:copolad-iii"),
	}
	rejectedRelation = domain.RelationID("organization:european-commission", domain.RelFunds, "programme:el-paccto")
	// decidedElsewhere is accepted over the API while the page shows it open.
	decidedElsewhere = domain.RelationID("organization:ministry-foreign-affairs-ecuador", domain.RelParticipatesIn, "programme:el-paccto")
)

// neo4jStore opens the Neo4j named by NEO4J_URI and the other NEO4J_*
// variables and seeds it with the shipped dataset, history started over.
// Without NEO4J_URI it fails in CI (CI=true) and skips elsewhere
// (neo4jtest.Config).
func neo4jStore(tb testing.TB) domain.Store {
	tb.Helper()
	cfg := neo4jtest.Config(tb, "the explorer's browser tests")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	store, err := neo4j.Open(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		tb.Fatalf("opening Neo4j at %s: %v", cfg.URI, err)
	}
	tb.Cleanup(func() { _ = store.Close(context.Background()) })
	d, err := dataset.ShippedDataset()
	if err != nil {
		tb.Fatal(err)
	}
	if err := store.SeedWithTexts(ctx, d.Graph, d.SourceTexts); err != nil {
		tb.Fatalf("seeding Neo4j: %v", err)
	}
	return store
}

// TestIngestInBrowser runs the explorer's ingest flow in headless Chromium
// on each store: a reader is refused with a clear message, an editor pastes
// a document and sees its mentions marked where the engine found them,
// accepts two proposed relations and rejects one in place, sees a proposal
// decided meanwhile refused, and uploads a file whose new stakeholder joins
// the graph. Each step checks the page against the store's own answers.
func TestIngestInBrowser(t *testing.T) {
	onBothStores(t, "ingest flow", testIngestFlow)
}

// onBothStores runs a browser flow as one subtest per store: the embedded
// store and Neo4j (see neo4jStore), each behind a server of its own.
func onBothStores(t *testing.T, flow string, run func(t *testing.T, storeName string, s editServer)) {
	for _, tc := range []struct {
		name  string
		store func(testing.TB) domain.Store
	}{
		{"embedded", embeddedStore},
		{"neo4j", neo4jStore},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			run(t, tc.name, startServerOn(t, tc.store(t)))
			t.Logf("%s on %s took %v", flow, tc.name, time.Since(start).Round(time.Millisecond))
		})
	}
}

// ingestItem is a proposal as the page lists it.
type ingestItem struct {
	ID, Kind, Status, Item, Value, Quote string
	Sentence                             int
}

// markJSON is a marked span of the document shown: a mention or a candidate.
type markJSON struct {
	NodeID string `json:"nodeId"`
	Name   string `json:"name"`
	Text   string `json:"text"`
	Start  int    `json:"start"`
	End    int    `json:"end"`
}

func testIngestFlow(t *testing.T, storeName string, s editServer) {
	ctx := context.Background()
	p := openBrowser(t)

	useToken := func(t *testing.T, token, wantRole string) {
		t.Helper()
		p.do(t, chromedp.SendKeys(chromedp.ID("token"), token), chromedp.Click(chromedp.ID("token-use")))
		p.waitFor(t, fmt.Sprintf(`window.stakegraphExplorer.idle() && window.stakegraphExplorer.role() === %s`, webtest.JS(wantRole)))
	}
	setField := func(t *testing.T, id, value string) {
		t.Helper()
		evalAs[bool](t, p, fmt.Sprintf(`(() => { const e = document.getElementById(%s); e.value = %s;
			e.dispatchEvent(new Event('input', { bubbles: true })); return true; })()`, webtest.JS(id), webtest.JS(value)))
	}
	waitIngested := func(t *testing.T) {
		t.Helper()
		p.waitFor(t, `(() => { const f = document.getElementById('ingest-form');
			return window.stakegraphExplorer.idle() && (f.dataset.state === 'saved' || f.dataset.state === 'error'); })()`)
		if state := p.evalString(t, `document.getElementById('ingest-form').dataset.state`); state != "saved" {
			t.Fatalf("ingest form: got state %q, error %q", state, p.text(t, "#ingest-form .form-error"))
		}
	}
	items := func(t *testing.T) []ingestItem {
		t.Helper()
		return evalAs[[]ingestItem](t, p, `[...document.querySelectorAll('#ingest-proposals [data-testid=proposal]')].map((li) => ({
			ID: li.dataset.id, Kind: li.dataset.kind, Status: li.dataset.status, Item: li.dataset.item,
			Value: li.querySelector('[data-testid=proposal-value]').textContent,
			Quote: li.querySelector('[data-testid=proposal-quote]').textContent,
			Sentence: Number(li.dataset.sentence) }))`)
	}
	itemFor := func(t *testing.T, item string) ingestItem {
		t.Helper()
		got := items(t)
		i := slices.IndexFunc(got, func(x ingestItem) bool { return x.Item == item })
		if i < 0 {
			t.Fatalf("no proposal of %s listed; the page lists %+v", item, got)
		}
		return got[i]
	}
	proposalSel := func(id string) string { return fmt.Sprintf(`#ingest-proposals li[data-id=%q]`, id) }
	waitDecided := func(t *testing.T, id string) (state string) {
		t.Helper()
		p.waitFor(t, fmt.Sprintf(`(() => { const li = document.querySelector(%s);
			return window.stakegraphExplorer.idle() && (li.dataset.state === 'saved' || li.dataset.state === 'error'); })()`, webtest.JS(proposalSel(id))))
		return p.evalString(t, fmt.Sprintf(`document.querySelector(%s).dataset.state`, webtest.JS(proposalSel(id))))
	}
	marks := func(t *testing.T, kind string) []markJSON {
		t.Helper()
		return evalAs[[]markJSON](t, p, fmt.Sprintf(`[...document.querySelectorAll('#ingest-doc mark.%s')].map((m) => ({
			nodeId: m.dataset.nodeId || '', name: m.dataset.name || '', text: m.textContent,
			start: Number(m.dataset.start), end: Number(m.dataset.end) }))`, kind))
	}
	// statusOf lists the queue's proposals with that status, of one
	// ingestion or, for 0, of all.
	statusOf := func(t *testing.T, ingestion int, status string) []string {
		t.Helper()
		var got struct {
			Proposals []struct{ ID string } `json:"proposals"`
		}
		vars := map[string]any{"n": nil, "s": status}
		if ingestion != 0 {
			vars["n"] = ingestion
		}
		s.call(t, "", `query($n: Int, $s: ProposalStatus) { proposals(ingestion: $n, status: $s) { id } }`, vars, &got)
		var ids []string
		for _, x := range got.Proposals {
			ids = append(ids, x.ID)
		}
		return ids
	}
	// engineResult is what the engine finds in text over the store's graph
	// as it is now: the expected marks.
	engineResult := func(t *testing.T, sourceID, text string) *ingest.Result {
		t.Helper()
		v, err := ingest.ShippedVariants()
		if err != nil {
			t.Fatal(err)
		}
		e, err := ingest.NewFromStore(ctx, s.store, v)
		if err != nil {
			t.Fatal(err)
		}
		res, err := e.Ingest(ingest.Document{SourceID: sourceID, Text: text})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}

	webtest.Step(t, "without an editor token the panel says why it is off", func(t *testing.T) {
		p.do(t, chromedp.Navigate(s.url+"/explore"))
		p.waitFor(t, `window.stakegraphExplorer !== undefined && window.stakegraphExplorer.idle()`)
		p.do(t, chromedp.Click(chromedp.ID("ingest-open")))
		p.waitFor(t, `!document.getElementById('ingest-panel').hidden && document.getElementById('controls').hidden`)
		if !evalAs[bool](t, p, `document.getElementById('ingest-fields').disabled`) {
			t.Error("the ingest form is enabled without a token")
		}
		if note := p.text(t, "#ingest-role-note"); !strings.Contains(note, "editor or admin token") {
			t.Errorf("note without a token: got %q, want it to ask for an editor or admin token", note)
		}
		useToken(t, s.reader, "READER")
		if !evalAs[bool](t, p, `document.getElementById('ingest-fields').disabled`) {
			t.Error("the ingest form is enabled for a reader")
		}
		if note := p.text(t, "#ingest-role-note"); !strings.Contains(note, "reader") || !strings.Contains(note, "editor or admin token") {
			t.Errorf("note for a reader: got %q, want it to say a reader's token cannot ingest", note)
		}
		// Enable the form as a user could with the developer tools: the
		// server refuses, and the page shows its message and code.
		evalAs[bool](t, p, `(document.getElementById('ingest-fields').disabled = false, true)`)
		setField(t, "ingest-title", pastedTitle)
		setField(t, "ingest-text", pastedText)
		p.do(t, chromedp.Click(chromedp.ID("ingest-submit")))
		p.waitFor(t, `window.stakegraphExplorer.idle() && document.getElementById('ingest-form').dataset.state === 'error'`)
		if code, msg := p.text(t, "#ingest-form .form-error code"), p.text(t, "#ingest-form .form-error .msg"); code != domain.EFORBIDDEN || msg == "" {
			t.Errorf("a reader's ingest: got %q %q, want %s with a message", code, msg, domain.EFORBIDDEN)
		}
		if got := statusOf(t, 0, "OPEN"); len(got) != 0 {
			t.Errorf("after a reader's ingest the queue holds %v, want nothing", got)
		}
	})

	var ingestion int
	var sourceID string
	webtest.Step(t, "an editor pastes a document and sees its mentions marked", func(t *testing.T) {
		useToken(t, s.editor, "EDITOR")
		if evalAs[bool](t, p, `document.getElementById('ingest-fields').disabled || !document.getElementById('ingest-role-note').hidden`) {
			t.Fatal("the ingest form is off for an editor")
		}
		clearField(t, p, "ingest-title")
		p.do(t, chromedp.SendKeys(chromedp.ID("ingest-title"), pastedTitle),
			chromedp.SendKeys(chromedp.ID("ingest-publisher"), "Notas de campo"),
			chromedp.SendKeys(chromedp.ID("ingest-published"), "2025-03-12"),
			chromedp.SetValue(chromedp.ID("ingest-language"), "es"))
		setField(t, "ingest-text", pastedText) // as a paste puts it there
		p.do(t, chromedp.Click(chromedp.ID("ingest-submit")))
		waitIngested(t)
		p.noError(t)
		ingestion = int(evalAs[float64](t, p, `Number(document.getElementById('ingest-result').dataset.ingestion)`))
		sourceID = p.evalString(t, `document.getElementById('ingest-result').dataset.source`)
		src, err := s.store.Node(ctx, sourceID)
		if err != nil || src.Kind != domain.KindSource || src.Name != pastedTitle || src.Publisher != "Notas de campo" || src.Language != "es" {
			t.Fatalf("store: source %s is %+v (%v), want the pasted document's", sourceID, src, err)
		}

		want := engineResult(t, sourceID, pastedText)
		var wantMentions []markJSON
		for _, m := range want.Mentions {
			wantMentions = append(wantMentions, markJSON{NodeID: m.NodeID, Text: m.Text, Start: m.Start, End: m.End})
		}
		got := marks(t, "mention")
		if !slices.Equal(got, wantMentions) {
			t.Errorf("marked mentions:\n got %+v\nwant %+v", got, wantMentions)
		}
		if len(got) < 4 || got[0].Text != "Cancillería" || got[1].Text != "Hungría" {
			t.Errorf("marked mentions: got %+v, want Cancillería and Hungría first, after accented words", got)
		}
		if text := p.text(t, "#ingest-doc"); text != pastedText {
			t.Errorf("document shown: got %q, want the text as pasted", text)
		}
		// The listed proposals are the queue's open ones of this ingestion.
		var ids []string
		for _, it := range items(t) {
			ids = append(ids, it.ID)
			if it.Status != "OPEN" || it.Sentence < 0 {
				t.Errorf("proposal %+v: want it open with its sentence found", it)
			}
		}
		if want := statusOf(t, ingestion, "OPEN"); len(ids) == 0 || !slices.Equal(ids, want) {
			t.Errorf("proposals listed: got %v, want the open ones %v", ids, want)
		}
		// The reader's refused attempt queued nothing: this is the only ingestion.
		if all := statusOf(t, 0, "OPEN"); !slices.Equal(all, ids) {
			t.Errorf("the whole queue: got %v, want only this ingestion's %v", all, ids)
		}
	})

	// pointAt moves the mouse over a proposal's value.
	pointAt := func(t *testing.T, id string, block string) {
		t.Helper()
		type point struct{ X, Y float64 }
		pt := evalAs[point](t, p, fmt.Sprintf(`(() => { const li = document.querySelector(%s); li.scrollIntoView({ block: %s });
			const r = li.querySelector('[data-testid=proposal-value]').getBoundingClientRect();
			return { x: r.left + 5, y: r.top + r.height / 2 }; })()`, webtest.JS(proposalSel(id)), webtest.JS(block)))
		p.do(t, chromedp.MouseEvent(chromedp.MouseMoved, pt.X, pt.Y))
		p.waitFor(t, fmt.Sprintf(`document.querySelector('#ingest-doc .sentence.hl') !== null &&
			document.querySelector('#ingest-doc .sentence.hl').dataset.index === document.querySelector(%s).dataset.sentence`, webtest.JS(proposalSel(id))))
	}

	webtest.Step(t, "pointing at a proposal highlights its sentence", func(t *testing.T) {
		it := itemFor(t, acceptedRelations[1])
		pointAt(t, it.ID, "center")
		if got := p.text(t, "#ingest-doc .sentence.hl"); got != fundingSentence || it.Quote != fundingSentence {
			t.Errorf("highlighted sentence: got %q for the quote %q, want %q", got, it.Quote, fundingSentence)
		}
		from, to := relationEnds(t, acceptedRelations[1])
		var names []string
		for _, id := range []string{from, to} {
			n, err := s.store.Node(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			names = append(names, n.Name)
		}
		if want := names[0] + " —FUNDS→ " + names[1]; it.Value != want {
			t.Errorf("proposal shown as %q, want %q", it.Value, want)
		}
	})

	webtest.Step(t, "clicking a mention shows its node in the graph", func(t *testing.T) {
		p.do(t, chromedp.Click(chromedp.CSS(`#ingest-doc mark.mention[data-node-id="country:hungary"]`)))
		p.waitFor(t, `window.stakegraphExplorer.idle() && document.getElementById('node-panel').dataset.nodeId === 'country:hungary'`)
		if got := p.evalStrings(t, `window.stakegraphExplorer.selectedIds()`); !slices.Equal(got, []string{"country:hungary"}) {
			t.Errorf("selected in the graph: got %v, want country:hungary", got)
		}
	})

	webtest.Step(t, "accept two proposals and reject one in place", func(t *testing.T) {
		for _, id := range append(slices.Clone(acceptedRelations), rejectedRelation) {
			if got := relation(t, s.store, id); got != nil {
				t.Fatalf("the store already holds %s; pick another sentence", id)
			}
		}
		// The reviewer records the first with a confidence and a note of
		// their own: one other than the engine suggests.
		const reviewNote = "checked against the meeting's minutes"
		var reviewed domain.Confidence
		for i, rel := range acceptedRelations {
			it := itemFor(t, rel)
			if i == 0 {
				sel := proposalSel(it.ID) + " [data-testid=proposal-confidence]"
				suggested := domain.Confidence(p.evalString(t, fmt.Sprintf(`document.querySelector(%s).value`, webtest.JS(sel))))
				reviewed = domain.ConfidenceLow
				if suggested == domain.ConfidenceLow {
					reviewed = domain.ConfidenceMedium
				}
				// The note field holds the engine's note; the reviewer writes their own.
				note := proposalSel(it.ID) + " [data-testid=proposal-note]"
				if got := p.evalString(t, fmt.Sprintf(`document.querySelector(%s).value`, webtest.JS(note))); got == "" {
					t.Errorf("the note field of %s is empty, want the note the proposal would write", it.ID)
				}
				evalAs[bool](t, p, fmt.Sprintf(`(document.querySelector(%s).value = '', true)`, webtest.JS(note)))
				p.do(t, chromedp.SetValue(chromedp.CSS(sel), string(reviewed)), chromedp.SendKeys(chromedp.CSS(note), reviewNote))
			}
			p.do(t, chromedp.Click(chromedp.CSS(proposalSel(it.ID)+" [data-testid=proposal-accept]")))
			if state := waitDecided(t, it.ID); state != "saved" {
				t.Fatalf("accepting %s: got %q, error %q", it.ID, state, p.text(t, proposalSel(it.ID)+" .form-error"))
			}
			if got := itemFor(t, rel); got.Status != "ACCEPTED" || p.text(t, proposalSel(it.ID)+" [data-testid=proposal-status]") != "accepted" {
				t.Errorf("%s after accepting: got %+v, want it shown accepted", it.ID, got)
			}
			drawn := p.drawn(t)
			from, to := relationEnds(t, rel)
			if !slices.Contains(drawn.Edges, rel) || !slices.Contains(drawn.Nodes, from) || !slices.Contains(drawn.Nodes, to) {
				t.Errorf("after accepting %s the graph draws %v", rel, drawn)
			}
			if fresh := p.evalStrings(t, `window.stakegraphExplorer.freshIds()`); !slices.Contains(fresh, rel) {
				t.Errorf("marked fresh: got %v, want %s", fresh, rel)
			}
		}
		it := itemFor(t, rejectedRelation)
		const reason = "the sentence names COPOLAD, not EL PAcCTO"
		p.do(t, chromedp.Click(chromedp.CSS(proposalSel(it.ID)+" [data-testid=proposal-reject]")))
		// Without a reason the page asks for one and nothing is sent.
		p.do(t, chromedp.Click(chromedp.CSS(proposalSel(it.ID)+" [data-testid=proposal-reject-confirm]")))
		if state := waitDecided(t, it.ID); state != "error" || !strings.Contains(p.text(t, proposalSel(it.ID)+" .form-error .msg"), "reason") {
			t.Errorf("rejecting without a reason: got state %q, message %q", state, p.text(t, proposalSel(it.ID)+" .form-error .msg"))
		}
		p.do(t, chromedp.SendKeys(chromedp.CSS(proposalSel(it.ID)+" [data-testid=proposal-reject-reason]"), reason),
			chromedp.Click(chromedp.CSS(proposalSel(it.ID)+" [data-testid=proposal-reject-confirm]")))
		if state := waitDecided(t, it.ID); state != "saved" {
			t.Fatalf("rejecting %s: got %q, error %q", it.ID, state, p.text(t, proposalSel(it.ID)+" .form-error"))
		}
		if got := itemFor(t, rejectedRelation); got.Status != "REJECTED" {
			t.Errorf("%s after rejecting: got %+v", it.ID, got)
		}

		// The store holds the two relations, each citing the document with
		// its sentence, and the queue keeps the decisions.
		quotes := map[string]string{acceptedRelations[0]: participationSentence, acceptedRelations[1]: fundingSentence}
		for _, id := range acceptedRelations {
			r := relation(t, s.store, id)
			if want := []domain.Evidence{{SourceID: sourceID, Quote: quotes[id]}}; r == nil || !slices.Equal(r.Evidence, want) {
				t.Errorf("store: %s is %+v, want it with evidence %+v", id, r, want)
			}
		}
		if r := relation(t, s.store, acceptedRelations[0]); r == nil || r.Confidence != reviewed || r.Note != reviewNote {
			t.Errorf("store: %s is %+v, want the reviewer's confidence %s and note %q", acceptedRelations[0], r, reviewed, reviewNote)
		}
		if r := relation(t, s.store, rejectedRelation); r != nil {
			t.Errorf("store: the rejected %s was written", rejectedRelation)
		}
		var accepted []string
		for _, rel := range acceptedRelations {
			accepted = append(accepted, itemFor(t, rel).ID)
		}
		if got := statusOf(t, ingestion, "ACCEPTED"); !sameSet(got, accepted) {
			t.Errorf("accepted proposals: got %v, want %v", got, accepted)
		}
		if got := statusOf(t, ingestion, "REJECTED"); !slices.Equal(got, []string{it.ID}) {
			t.Errorf("rejected proposals: got %v, want [%s]", got, it.ID)
		}
		drawn := p.drawn(t)
		fresh := p.evalStrings(t, `window.stakegraphExplorer.freshIds()`)
		for _, rel := range acceptedRelations {
			if !slices.Contains(drawn.Edges, rel) || !slices.Contains(fresh, rel) {
				t.Errorf("%s: drawn edges %v, marked fresh %v; want it in both", rel, drawn.Edges, fresh)
			}
		}
		// The picture: the document and the first proposals, one pointed at.
		evalAs[bool](t, p, `(document.getElementById('ingest-result').scrollIntoView({ block: 'start' }), true)`)
		pointAt(t, itemFor(t, acceptedRelations[0]).ID, "nearest")
		png := webtest.Screenshot(t, p.ctx, "explorer-ingest-"+storeName+".png")
		if *updateScreenshot && storeName == "embedded" {
			docs := filepath.Join("..", "..", "docs", "explorer-ingest.png")
			if err := os.WriteFile(docs, png, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("updated %s", docs)
		}
	})

	webtest.Step(t, "a proposal decided meanwhile is refused in place", func(t *testing.T) {
		it := itemFor(t, decidedElsewhere)
		s.call(t, s.editor, `mutation($id: ID!) { acceptProposal(id: $id) { change { seq } } }`, map[string]any{"id": it.ID}, nil)
		p.do(t, chromedp.Click(chromedp.CSS(proposalSel(it.ID)+" [data-testid=proposal-accept]")))
		if state := waitDecided(t, it.ID); state != "error" {
			t.Fatalf("accepting the decided %s: got state %q", it.ID, state)
		}
		if code, msg := p.text(t, proposalSel(it.ID)+" .form-error code"), p.text(t, proposalSel(it.ID)+" .form-error .msg"); code != domain.ECONFLICT || msg == "" {
			t.Errorf("error shown: got %q %q, want %s with a message", code, msg, domain.ECONFLICT)
		}
		// The page reads the queue again and shows the decision made meanwhile.
		if got := itemFor(t, decidedElsewhere); got.Status != "ACCEPTED" {
			t.Errorf("%s after the refusal: got status %s, want ACCEPTED as the queue says", it.ID, got.Status)
		}
	})

	webtest.Step(t, "an uploaded file's new stakeholder joins the graph", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "acta-guayaquil.md")
		if err := os.WriteFile(file, []byte(uploadedText), 0o644); err != nil {
			t.Fatal(err)
		}
		clearField(t, p, "ingest-title")
		clearField(t, p, "ingest-text")
		p.do(t, chromedp.SetUploadFiles(chromedp.ID("ingest-file"), []string{file}))
		p.waitFor(t, `window.stakegraphExplorer.idle() && document.getElementById('ingest-form').dataset.file === 'acta-guayaquil.md'`)
		if got := p.evalString(t, `document.getElementById('ingest-text').value`); got != uploadedText {
			t.Errorf("text read from the file: got %q, want %q", got, uploadedText)
		}
		if got := p.evalString(t, `document.getElementById('ingest-title').value`); got != uploadedTitle {
			t.Errorf("title from the file's heading: got %q, want %q", got, uploadedTitle)
		}
		p.do(t, chromedp.Click(chromedp.ID("ingest-submit")))
		waitIngested(t)
		second := int(evalAs[float64](t, p, `Number(document.getElementById('ingest-result').dataset.ingestion)`))
		if second <= ingestion {
			t.Fatalf("second ingestion: got id %d, want one after %d", second, ingestion)
		}
		src := p.evalString(t, `document.getElementById('ingest-result').dataset.source`)
		want := engineResult(t, src, uploadedText)
		var wantMentions []markJSON
		for _, m := range want.Mentions {
			wantMentions = append(wantMentions, markJSON{NodeID: m.NodeID, Text: m.Text, Start: m.Start, End: m.End})
		}
		if got := marks(t, "mention"); len(wantMentions) == 0 || !slices.Equal(got, wantMentions) {
			t.Errorf("marked mentions:\n got %+v\nwant %+v", got, wantMentions)
		}
		var wantCandidates []markJSON
		for _, c := range want.Candidates {
			wantCandidates = append(wantCandidates, markJSON{Name: c.Name, Text: c.Name, Start: c.Start, End: c.End})
		}
		if got := marks(t, "candidate"); len(wantCandidates) == 0 || !slices.Equal(got, wantCandidates) {
			t.Errorf("marked candidates:\n got %+v\nwant %+v", got, wantCandidates)
		}
		// Known names inside a candidate's name are marked inside its mark.
		var wantNested []string
		for _, m := range want.Mentions {
			for _, c := range want.Candidates {
				if m.Start >= c.Start && m.End <= c.End {
					wantNested = append(wantNested, m.NodeID)
				}
			}
		}
		if got := p.evalStrings(t, `[...document.querySelectorAll('#ingest-doc mark.candidate mark.mention')].map((m) => m.dataset.nodeId)`); len(wantNested) == 0 || !slices.Equal(got, wantNested) {
			t.Errorf("mentions marked inside a candidate: got %v, want %v", got, wantNested)
		}
		var stakeholder ingestItem
		for _, it := range items(t) {
			if it.Kind == "STAKEHOLDER" && strings.Contains(it.Value, "Fundación Andina") {
				stakeholder = it
			}
		}
		if stakeholder.ID == "" {
			t.Fatalf("no proposal of the new foundation among %+v", items(t))
		}
		if _, err := s.store.Node(ctx, stakeholder.Item); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatalf("store: %s exists before accepting (%v)", stakeholder.Item, err)
		}
		// An organization needs a type, which the engine does not guess.
		accept := chromedp.Click(chromedp.CSS(proposalSel(stakeholder.ID) + " [data-testid=proposal-accept]"))
		p.do(t, accept)
		if state := waitDecided(t, stakeholder.ID); state != "error" || !strings.Contains(p.text(t, proposalSel(stakeholder.ID)+" .form-error .msg"), "type") {
			t.Errorf("accepting an organization without a type: got %q %q, want the page to ask for it", state, p.text(t, proposalSel(stakeholder.ID)+" .form-error .msg"))
		}
		p.do(t, chromedp.SetValue(chromedp.CSS(proposalSel(stakeholder.ID)+" [data-testid=proposal-orgtype]"), string(domain.OrgGroup)), accept)
		if state := waitDecided(t, stakeholder.ID); state != "saved" {
			t.Fatalf("accepting %s: got %q, error %q", stakeholder.ID, state, p.text(t, proposalSel(stakeholder.ID)+" .form-error"))
		}
		n, err := s.store.Node(ctx, stakeholder.Item)
		if err != nil || n.Name != "Fundación Andina de Seguridad Ciudadana" || n.OrgType != domain.OrgGroup {
			t.Fatalf("store: %s is %+v (%v), want the new foundation", stakeholder.Item, n, err)
		}
		if drawn := p.drawn(t); !slices.Contains(drawn.Nodes, stakeholder.Item) {
			t.Errorf("drawn nodes lack the new %s: %v", stakeholder.Item, drawn.Nodes)
		}
	})

	p.checkNoExceptions(t)
}

// relation is the current relation with that ID in the store, nil if none.
func relation(tb testing.TB, store domain.Store, id string) *domain.Relation {
	tb.Helper()
	from, _ := relationEnds(tb, id)
	rels, err := store.Relations(context.Background(), domain.RelationFilter{NodeIDs: []string{from}, Direction: domain.DirectionOut})
	if err != nil {
		tb.Fatalf("Relations(%s): %v", from, err)
	}
	for _, r := range rels {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// relationEnds reads the ends from a relation ID, from|TYPE|to.
func relationEnds(tb testing.TB, id string) (from, to string) {
	tb.Helper()
	parts := strings.Split(id, "|")
	if len(parts) != 3 {
		tb.Fatalf("malformed relation ID %s", id)
	}
	return parts[0], parts[2]
}
