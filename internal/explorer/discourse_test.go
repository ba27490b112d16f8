package explorer_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/webtest"
)

// The note the discourse test registers: invented for the test, in its own
// words, so that two more speakers take positions on what the shipped
// statements are about, one against them. With it both discourse networks
// have ties, of different weights.
const (
	discourseNoteID   = "source:explorer-discourse-test-note"
	discourseNoteText = "Invented hearing notes for a browser test, 2024.\n\n" +
		"The ombudsman's office said: \"A purely punitive campaign against organised crime and the new bilateral projects that feed it should both be stopped.\"\n" +
		"The interior ministry answered: \"The bilateral projects with the European Union are what our police need most this year.\"\n"
	opposingQuote   = "A purely punitive campaign against organised crime and the new bilateral projects that feed it should both be stopped."
	supportingQuote = "The bilateral projects with the European Union are what our police need most this year."

	ambassador     = "person:charles-michel-geurts"
	organisedCrime = "topic:organised-crime"
	newProjects    = "programme:eu-ecuador-bilateral-projects-2023"
	ombudsman      = "organization:ecuador-human-rights-institutions"
	interior       = "organization:ministry-interior-ecuador"
	// beforeTheNote is a date before the added statements were made.
	beforeTheNote = "2023-12"
)

// TestDiscourseInBrowser checks on each store what the explorer shows of
// the statements: a speaker's statements and a topic's in the node panel
// (also as of a date), and the discourse view, which draws exactly the
// store's discourseNetwork of either kind (with its weights, under the
// topic and date filters), explains a tie by its concepts and statements,
// and keeps its mode in the URL.
func TestDiscourseInBrowser(t *testing.T) {
	onBothStores(t, "discourse flow", testDiscourseFlow)
}

// statementJSON is a statement as the page lists it.
type statementJSON struct {
	ID, Stance, Quote, Source, Speaker, OnBehalfOf, Date, Event string
	About                                                       []string
}

func testDiscourseFlow(t *testing.T, storeName string, s editServer) {
	ctx := context.Background()
	addDiscourseStatements(t, s)
	p := openBrowser(t)

	// listed reads the statements a list of the page shows.
	listed := func(t *testing.T, list string) []statementJSON {
		t.Helper()
		return evalAs[[]statementJSON](t, p, fmt.Sprintf(`[...document.querySelectorAll(%s)].map((li) => ({
			ID: li.dataset.id, Speaker: li.dataset.speaker,
			Stance: li.querySelector('[data-testid=statement-stance]').textContent,
			Quote: li.querySelector('[data-testid=statement-quote]').textContent,
			Source: li.querySelector('[data-testid=statement-source]').dataset.sourceId,
			OnBehalfOf: (li.querySelector('[data-testid=statement-on-behalf]') || { dataset: {} }).dataset.id || '',
			Date: (li.querySelector('[data-testid=statement-date]') || {}).textContent || '',
			Event: (li.querySelector('[data-testid=statement-event]') || { dataset: {} }).dataset.id || '',
			About: [...li.querySelectorAll('[data-testid=statement-about]')].map((a) => a.dataset.id) }))`,
			webtest.JS(list+" > li[data-testid=statement]")))
	}
	// want is what the store holds, in the page's terms.
	want := func(t *testing.T, q domain.StatementQuery) []statementJSON {
		t.Helper()
		all, err := domain.AllStatements(ctx, s.store, q)
		if err != nil {
			t.Fatal(err)
		}
		out := []statementJSON{}
		for _, st := range all {
			out = append(out, statementJSON{ID: st.ID, Stance: string(st.Stance), Quote: st.Evidence.Quote, Source: st.Evidence.SourceID, Speaker: st.Speaker,
				OnBehalfOf: st.OnBehalfOf, Date: string(st.Date), Event: st.Event, About: st.About})
		}
		return out
	}
	waitStatements := func(t *testing.T, id string) {
		t.Helper()
		p.waitFor(t, fmt.Sprintf(`(() => { const b = document.getElementById('statements-box');
			return window.stakegraphExplorer.idle() && b.dataset.for === %s && b.dataset.state === 'ready'; })()`, webtest.JS(id)))
		p.noError(t)
	}
	checkListed := func(t *testing.T, what string, q domain.StatementQuery) {
		t.Helper()
		got, w := listed(t, "#statements-list"), want(t, q)
		if len(got) == 0 {
			got = []statementJSON{}
		}
		if !slices.EqualFunc(got, w, sameStatement) {
			t.Errorf("statements %s:\n got %+v\nwant %+v", what, got, w)
		}
	}
	setSelect := func(t *testing.T, id, value string) {
		t.Helper()
		evalAs[bool](t, p, fmt.Sprintf(`(() => { const e = document.getElementById(%s); e.value = %s;
			e.dispatchEvent(new Event('change', { bubbles: true })); return e.value === %s; })()`, webtest.JS(id), webtest.JS(value), webtest.JS(value)))
	}
	network := func(t *testing.T, q domain.DiscourseQuery) *domain.Subgraph {
		t.Helper()
		sg, err := domain.DiscourseNetwork(ctx, s.store, q)
		if err != nil {
			t.Fatalf("DiscourseNetwork(%+v): %v", q, err)
		}
		return sg
	}
	// checkNetwork compares the drawing with the store's network: nodes,
	// edges, weights, and widths that grow with the weights.
	checkNetwork := func(t *testing.T, want *domain.Subgraph) {
		t.Helper()
		p.checkDrawn(t, want)
		type drawnWeight struct {
			Weight int
			Width  float64
		}
		got := evalAs[map[string]drawnWeight](t, p, `window.stakegraphExplorer.edgeWeights()`)
		if len(got) != len(want.Relations) {
			t.Errorf("weighted edges drawn: got %d, want %d", len(got), len(want.Relations))
		}
		for _, r := range want.Relations {
			if got[r.ID].Weight != want.Weights[r.ID] {
				t.Errorf("weight of %s: got %d, want %d", r.ID, got[r.ID].Weight, want.Weights[r.ID])
			}
			for _, o := range want.Relations {
				if want.Weights[r.ID] > want.Weights[o.ID] && got[r.ID].Width <= got[o.ID].Width {
					t.Errorf("%s (weight %d) is drawn %vpx wide, no wider than %s (weight %d, %vpx)",
						r.ID, want.Weights[r.ID], got[r.ID].Width, o.ID, want.Weights[o.ID], got[o.ID].Width)
				}
			}
		}
	}
	waitView := func(t *testing.T, discourse string) {
		t.Helper()
		p.waitFor(t, fmt.Sprintf(`window.stakegraphExplorer.idle() && window.stakegraphExplorer.state().discourse === %s`, webtest.JS(discourse)))
		p.noError(t)
	}

	webtest.Step(t, "a speaker's statements in its panel", func(t *testing.T) {
		p.do(t, chromedp.Navigate(s.url+"/explore?focus="+ambassador))
		p.waitFor(t, `window.stakegraphExplorer !== undefined && window.stakegraphExplorer.idle()`)
		p.clickElement(t, ambassador)
		waitStatements(t, ambassador)
		q := domain.StatementQuery{Speaker: ambassador}
		if len(want(t, q)) < 2 {
			t.Fatalf("the shipped data has fewer than two statements by %s; pick another speaker", ambassador)
		}
		checkListed(t, "by "+ambassador, q)
		// The quote's source is linked.
		links := p.evalStrings(t, `[...document.querySelectorAll('#statements-list [data-testid=statement-source]')].map((a) => a.dataset.sourceId)`)
		for _, id := range links {
			if id != "source:roundtable-article-2023" {
				t.Errorf("statement source: got %s, want the round-table article", id)
			}
		}
	})

	webtest.Step(t, "a topic link selects it and lists what was said about it", func(t *testing.T) {
		p.do(t, chromedp.Click(chromedp.CSS(fmt.Sprintf(`#statements-list [data-testid=statement-about][data-id=%q]`, organisedCrime))))
		waitStatements(t, organisedCrime)
		if got := p.evalStrings(t, `window.stakegraphExplorer.selectedIds()`); !slices.Equal(got, []string{organisedCrime}) {
			t.Errorf("selected: got %v, want %s", got, organisedCrime)
		}
		checkListed(t, "about "+organisedCrime, domain.StatementQuery{Topic: organisedCrime})
		if got := listed(t, "#statements-list"); !slices.ContainsFunc(got, func(x statementJSON) bool { return x.Stance == "OPPOSES" }) {
			t.Errorf("statements about %s: got %+v, want the added OPPOSES one among them", organisedCrime, got)
		}
	})

	webtest.Step(t, "the statements follow the date filter", func(t *testing.T) {
		p.do(t, chromedp.SendKeys(chromedp.ID("asof"), beforeTheNote+"\r"))
		p.waitFor(t, fmt.Sprintf(`window.stakegraphExplorer.state().asOf === %s && document.getElementById('statements-title').textContent.includes(%s)`,
			webtest.JS(beforeTheNote), webtest.JS(beforeTheNote)))
		waitStatements(t, organisedCrime)
		q := domain.StatementQuery{Topic: organisedCrime, AsOf: beforeTheNote}
		checkListed(t, "about "+organisedCrime+" as of "+beforeTheNote, q)
		if all := want(t, domain.StatementQuery{Topic: organisedCrime}); len(want(t, q)) >= len(all) {
			t.Fatalf("the date %s leaves every statement about %s; the step checks nothing", beforeTheNote, organisedCrime)
		}
		p.do(t, chromedp.Click(chromedp.ID("asof-clear")))
		waitStatements(t, organisedCrime)
	})

	var conflictURL, clickedTie string
	for _, kind := range []domain.DiscourseKind{domain.DiscourseCongruence, domain.DiscourseConflict} {
		webtest.Step(t, "the discourse view draws the "+string(kind)+" network", func(t *testing.T) {
			setSelect(t, "view-mode", string(kind))
			waitView(t, string(kind))
			w := network(t, domain.DiscourseQuery{Kind: kind})
			if len(w.Relations) < 2 {
				t.Fatalf("the %s network has %d ties; the test needs two or more", kind, len(w.Relations))
			}
			checkNetwork(t, w)
			if got := p.location(t).Query().Get("discourse"); got != string(kind) {
				t.Errorf("URL: got discourse=%q, want %s", got, kind)
			}
			if !evalAs[bool](t, p, `document.getElementById('paths-section').hidden && document.getElementById('depth').disabled`) {
				t.Error("the path and depth controls are on in the discourse view")
			}
		})
	}

	webtest.Step(t, "a tie shows its concepts and statements", func(t *testing.T) {
		w := network(t, domain.DiscourseQuery{Kind: domain.DiscourseConflict})
		tie := w.Relations[0]
		for _, r := range w.Relations {
			if w.Weights[r.ID] > w.Weights[tie.ID] {
				tie = r
			}
		}
		clickedTie = tie.ID
		p.clickElement(t, tie.ID)
		p.waitFor(t, fmt.Sprintf(`(() => { const e = document.getElementById('evidence-panel');
			return window.stakegraphExplorer.idle() && e.dataset.edgeId === %s && e.dataset.state === 'ready'; })()`, webtest.JS(tie.ID)))
		p.noError(t)
		if got := p.text(t, "[data-testid=edge-weight]"); got != fmt.Sprint(w.Weights[tie.ID]) {
			t.Errorf("weight shown: got %s, want %d", got, w.Weights[tie.ID])
		}
		_, named, _ := strings.Cut(tie.Note, " on ")
		wantConcepts := strings.Split(named, ", ")
		if got := p.evalStrings(t, `[...document.querySelectorAll('#discourse-concepts [data-testid=discourse-concept]')].map((a) => a.dataset.id)`); !slices.Equal(got, wantConcepts) {
			t.Errorf("concepts of %s: got %v, want %v (its note: %q)", tie.ID, got, wantConcepts, tie.Note)
		}
		// The statements behind the tie: its ends' own, whose quotes are its evidence.
		var behind []statementJSON
		for _, st := range want(t, domain.StatementQuery{}) {
			if (st.Speaker == tie.From || st.Speaker == tie.To) && slices.Contains(tie.Evidence, domain.Evidence{SourceID: st.Source, Quote: st.Quote}) {
				behind = append(behind, st)
			}
		}
		got := listed(t, "#discourse-statements")
		if len(got) != len(tie.Evidence) || !slices.EqualFunc(got, behind, sameStatement) {
			t.Errorf("statements behind %s:\n got %+v\nwant %+v (%d quotes of evidence)", tie.ID, got, behind, len(tie.Evidence))
		}
		if !slices.ContainsFunc(got, func(x statementJSON) bool { return x.Stance == "OPPOSES" }) ||
			!slices.ContainsFunc(got, func(x statementJSON) bool { return x.Stance == "SUPPORTS" }) {
			t.Errorf("a conflict tie's statements: got %+v, want both stances", got)
		}
		if q := p.location(t).Query(); q.Get("edge") != tie.ID {
			t.Errorf("URL after the click: got edge=%q, want %s", q.Get("edge"), tie.ID)
		}
		evalAs[bool](t, p, `(document.getElementById('evidence-panel').scrollIntoView({ block: 'start' }), true)`)
		// A test artifact only: the statements it shows are the test's invention.
		webtest.Screenshot(t, p.ctx, "explorer-discourse-"+storeName+".png")
	})

	webtest.Step(t, "the topic filter narrows the network", func(t *testing.T) {
		setSelect(t, "topic", organisedCrime)
		p.waitFor(t, fmt.Sprintf(`window.stakegraphExplorer.idle() && window.stakegraphExplorer.state().topic === %s`, webtest.JS(organisedCrime)))
		p.noError(t)
		w := network(t, domain.DiscourseQuery{Kind: domain.DiscourseConflict, Topic: organisedCrime})
		if all := network(t, domain.DiscourseQuery{Kind: domain.DiscourseConflict}); len(w.Relations) == 0 || subgraphsEqual(w, all) {
			t.Fatalf("the topic %s leaves the conflict network as it was or empty; the step checks nothing", organisedCrime)
		}
		checkNetwork(t, w)
		conflictURL = p.location(t).String()
	})

	webtest.Step(t, "a link reopens the discourse view", func(t *testing.T) {
		before := p.drawn(t)
		p.do(t, chromedp.Navigate("about:blank"), chromedp.Navigate(conflictURL))
		p.waitFor(t, `window.stakegraphExplorer !== undefined && window.stakegraphExplorer.idle()`)
		waitView(t, string(domain.DiscourseConflict))
		if after := p.drawn(t); !slices.Equal(after.Nodes, before.Nodes) || !slices.Equal(after.Edges, before.Edges) {
			t.Errorf("reopened view:\n got %v\nwant %v", after, before)
		}
		if got := p.evalString(t, `document.getElementById('view-mode').value`); got != string(domain.DiscourseConflict) {
			t.Errorf("view control after the link: got %q, want %s", got, domain.DiscourseConflict)
		}
		checkNetwork(t, network(t, domain.DiscourseQuery{Kind: domain.DiscourseConflict, Topic: organisedCrime}))
		// The tie clicked before is still in the narrowed network, so the
		// link names it and opens its panel too.
		if link, err := url.Parse(conflictURL); err != nil || link.Query().Get("edge") != clickedTie {
			t.Errorf("link: got %s, want it to keep edge=%s", conflictURL, clickedTie)
		}
		p.waitFor(t, fmt.Sprintf(`document.getElementById('evidence-panel').dataset.edgeId === %s &&
			document.getElementById('evidence-panel').dataset.state === 'ready'`, webtest.JS(clickedTie)))
	})

	webtest.Step(t, "as of an earlier date the conflict has no ties", func(t *testing.T) {
		p.do(t, chromedp.SendKeys(chromedp.ID("asof"), beforeTheNote+"\r"))
		p.waitFor(t, fmt.Sprintf(`window.stakegraphExplorer.idle() && window.stakegraphExplorer.state().asOf === %s`, webtest.JS(beforeTheNote)))
		p.noError(t)
		w := network(t, domain.DiscourseQuery{Kind: domain.DiscourseConflict, Topic: organisedCrime, AsOf: beforeTheNote})
		checkNetwork(t, w)
		if len(w.Nodes) == 0 && p.evalString(t, `String(document.getElementById('discourse-empty').hidden)`) != "false" {
			t.Error("an empty network is drawn without saying so")
		}
		setSelect(t, "view-mode", string(domain.DiscourseCongruence))
		waitView(t, string(domain.DiscourseCongruence))
		checkNetwork(t, network(t, domain.DiscourseQuery{Kind: domain.DiscourseCongruence, Topic: organisedCrime, AsOf: beforeTheNote}))
	})

	webtest.Step(t, "back to the relations", func(t *testing.T) {
		setSelect(t, "view-mode", "")
		waitView(t, "")
		// The relations view kept its focus and the node the topic link added.
		expanded := p.evalStrings(t, `window.stakegraphExplorer.state().expand`)
		if !slices.Equal(expanded, []string{organisedCrime}) {
			t.Errorf("expanded nodes: got %v, want the topic the link showed", expanded)
		}
		scope := func(root string) *domain.Subgraph {
			return neighborhood(t, s.store, domain.NeighborhoodQuery{Root: root, Depth: 1, Topic: organisedCrime, AsOf: beforeTheNote})
		}
		p.checkDrawn(t, union(scope(ambassador), scope(organisedCrime)))
		if q := p.location(t).Query(); q.Has("discourse") {
			t.Errorf("URL in the relations view: got %s, want no discourse", p.location(t))
		}
	})

	p.checkNoExceptions(t)
}

// addDiscourseStatements registers the test's note and records two
// statements citing it over the API, as an editor would.
func addDiscourseStatements(tb testing.TB, s editServer) {
	tb.Helper()
	s.call(tb, s.editor, `mutation($text: String!) { addSource(input: {id: "`+discourseNoteID+`", title: "Invented hearing notes (explorer test)", language: "en", text: $text}) { change { seq } } }`,
		map[string]any{"text": discourseNoteText}, nil)
	for _, st := range []map[string]any{
		{"speaker": ombudsman, "about": []string{organisedCrime, newProjects}, "stance": "OPPOSES", "date": "2024-02", "confidence": "LOW",
			"evidence": map[string]any{"source": discourseNoteID, "quote": opposingQuote}},
		{"speaker": interior, "onBehalfOf": "country:ecuador", "about": []string{newProjects}, "stance": "SUPPORTS", "date": "2024-03", "confidence": "LOW",
			"evidence": map[string]any{"source": discourseNoteID, "quote": supportingQuote}},
	} {
		s.call(tb, s.editor, `mutation($in: StatementInput!) { addStatement(input: $in) { statement { id } } }`, map[string]any{"in": st}, nil)
	}
}

func sameStatement(a, b statementJSON) bool {
	return a.ID == b.ID && a.Stance == b.Stance && a.Quote == b.Quote && a.Source == b.Source && a.Speaker == b.Speaker &&
		a.OnBehalfOf == b.OnBehalfOf && a.Date == b.Date && a.Event == b.Event && slices.Equal(a.About, b.About)
}

func subgraphsEqual(a, b *domain.Subgraph) bool {
	x, y := subgraphIDs(a), subgraphIDs(b)
	return slices.Equal(x.Nodes, y.Nodes) && slices.Equal(x.Edges, y.Edges)
}
