package explorer_test

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/explorer"
	"github.com/stakegraph/stakegraph/internal/memstore"
	"github.com/stakegraph/stakegraph/internal/server"
	"github.com/stakegraph/stakegraph/internal/webtest"
)

var updateScreenshot = flag.Bool("update-screenshot", false,
	"also copy the browser tests' screenshots to docs/explorer.png and docs/explorer-ingest.png (the README's pictures)")

func TestHandlerServesThePage(t *testing.T) {
	h := explorer.Handler()
	tests := []struct {
		path        string
		status      int
		contentType string
		contains    string
	}{
		{"/explore", http.StatusOK, "text/html; charset=utf-8", `id="cy"`},
		{"/explore/", http.StatusOK, "text/html; charset=utf-8", `src="/explore/explorer.js"`},
		{"/explore?focus=country:hungary&depth=2", http.StatusOK, "text/html; charset=utf-8", `data-testid="search-input"`},
		{"/explore/explorer.js", http.StatusOK, "text/javascript; charset=utf-8", "stakegraphExplorer"},
		{"/explore/explorer.css", http.StatusOK, "text/css; charset=utf-8", ".cy{"},
		{"/explore/nope.js", http.StatusNotFound, "", "no such explorer file"},
		{"/explore/../go.mod", http.StatusNotFound, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.path, nil))
			if rec.Code != tt.status {
				t.Fatalf("status: got %d, want %d", rec.Code, tt.status)
			}
			if tt.contentType != "" {
				if got := rec.Header().Get("Content-Type"); got != tt.contentType {
					t.Errorf("Content-Type: got %q, want %q", got, tt.contentType)
				}
			}
			if !strings.Contains(rec.Body.String(), tt.contains) {
				t.Errorf("body does not contain %q", tt.contains)
			}
		})
	}

	t.Run("revalidation", func(t *testing.T) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/explore/explorer.js", nil))
		etag := rec.Header().Get("ETag")
		if etag == "" {
			t.Fatal("no ETag")
		}
		req := httptest.NewRequest(http.MethodGet, "/explore/explorer.js", nil)
		req.Header.Set("If-None-Match", etag)
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusNotModified {
			t.Errorf("status with If-None-Match: got %d, want %d", rec.Code, http.StatusNotModified)
		}
	})

	t.Run("page headers", func(t *testing.T) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/explore", nil))
		if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("Content-Security-Policy: got %q, want it to allow only the page's own scripts", csp)
		}
	})

	t.Run("POST", func(t *testing.T) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/explore", nil))
		if rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("status: got %d, want %d", rec.Code, http.StatusMethodNotAllowed)
		}
	})
}

// TestDistIsUpToDate rebuilds the page from web/explorer and compares it
// with the committed, embedded build. It needs the npm packages installed
// (npm ci in web/explorer, which scripts/test.sh runs); without them it
// fails in CI (CI=true) and says so and skips elsewhere.
func TestDistIsUpToDate(t *testing.T) {
	webtest.CheckBuild(t, filepath.Join("..", "..", "web", "explorer"))
}

// TestExplorerInBrowser drives the page in headless Chromium against a real
// server holding the shipped dataset, and checks what the page draws against
// the store's own answers.
func TestExplorerInBrowser(t *testing.T) {
	start := time.Now()

	g, err := dataset.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	store, err := memstore.New(g)
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	ts := httptest.NewServer(server.Routes(store, graph.NewHandler(store, graph.HandlerOptions{Logger: logger}), logger, server.Options{}))
	defer ts.Close()

	p := openBrowser(t)
	t.Logf("browser started in %v", time.Since(start).Round(time.Millisecond))
	ctx := context.Background()

	const (
		actor   = "country:hungary"
		pathEnd = "organization:europol"
	)
	first := neighborhood(t, store, domain.NeighborhoodQuery{Root: actor, Depth: 1})
	// Expand the neighbour a user would: the event Hungary attended, or any.
	neighbour := pickNeighbour(first, actor)
	second := neighborhood(t, store, domain.NeighborhoodQuery{Root: neighbour.ID, Depth: 1})
	var clicked *domain.Relation
	for _, r := range first.Relations {
		if r.From == neighbour.ID || r.To == neighbour.ID {
			clicked = r
			break
		}
	}

	webtest.Step(t, "open the page", func(t *testing.T) {
		p.do(t, chromedp.Navigate(ts.URL+"/explore"))
		p.waitFor(t, `window.stakegraphExplorer !== undefined && window.stakegraphExplorer.idle()`)
		p.noError(t)
		if got := p.evalStrings(t, `window.stakegraphExplorer.nodeIds()`); len(got) != 0 {
			t.Errorf("nodes drawn before any search: got %v, want none", got)
		}
		kinds := p.evalStrings(t, `[...document.querySelectorAll('[data-testid=legend-item]')].map(e => e.dataset.kind)`)
		want := make([]string, len(domain.Kinds))
		for i, k := range domain.Kinds {
			want[i] = string(k)
		}
		if !sameSet(kinds, want) {
			t.Errorf("legend kinds: got %v, want %v", kinds, want)
		}
	})

	webtest.Step(t, "search and pick a suggestion", func(t *testing.T) {
		p.do(t, chromedp.SendKeys(chromedp.ID("search"), "hungar"))
		sel := fmt.Sprintf(`#search-suggestions li[data-id=%q]`, actor)
		p.do(t, chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.Click(chromedp.CSS(sel)))
		p.waitFor(t, fmt.Sprintf(`window.stakegraphExplorer.idle() && window.stakegraphExplorer.state().focus === %s`, webtest.JS(actor)))
		p.noError(t)
		p.checkDrawn(t, first)
		if loc := p.location(t); loc.Query().Get("focus") != actor {
			t.Errorf("URL after the search: got %s, want focus=%s", loc, actor)
		}
		// Colour and shape come from the kind: two kinds, two looks.
		a := p.nodeStyle(t, actor)
		b := p.nodeStyle(t, neighbour.ID)
		if neighbour.Kind != domain.KindCountry && (a.Color == b.Color || a.Shape == b.Shape) {
			t.Errorf("a %s and a %s look alike: %+v, %+v", domain.KindCountry, neighbour.Kind, a, b)
		}
	})

	webtest.Step(t, "click a node to expand it", func(t *testing.T) {
		p.clickElement(t, neighbour.ID)
		p.waitFor(t, fmt.Sprintf(`window.stakegraphExplorer.idle() && window.stakegraphExplorer.state().expand.includes(%s)`, webtest.JS(neighbour.ID)))
		p.noError(t)
		p.checkDrawn(t, union(first, second))
		if got := p.text(t, "#node-id"); got != neighbour.ID {
			t.Errorf("node panel: got %q, want %q", got, neighbour.ID)
		}
	})

	webtest.Step(t, "click an edge to see its evidence", func(t *testing.T) {
		if clicked == nil {
			t.Fatalf("no relation between %s and %s to click", actor, neighbour.ID)
		}
		p.clickElement(t, clicked.ID)
		p.waitFor(t, fmt.Sprintf(`(() => { const e = document.getElementById('evidence-panel');
			return e.dataset.edgeId === %s && e.dataset.state !== 'loading'; })()`, webtest.JS(clicked.ID)))
		p.noError(t)
		var wantQuotes, wantSources, wantLinks []string
		for _, ev := range clicked.Evidence {
			src, err := store.Node(ctx, ev.SourceID)
			if err != nil {
				t.Fatal(err)
			}
			wantQuotes = append(wantQuotes, ev.Quote)
			wantSources = append(wantSources, src.Name)
			if src.URL != "" {
				wantLinks = append(wantLinks, src.URL)
			}
		}
		quotes := p.evalStrings(t, `[...document.querySelectorAll('#evidence-list [data-testid=evidence-quote]')].map(e => e.textContent)`)
		if !slices.Equal(quotes, wantQuotes) {
			t.Errorf("evidence quotes: got %q, want %q", quotes, wantQuotes)
		}
		sources := p.evalStrings(t, `[...document.querySelectorAll('#evidence-list [data-testid=evidence-source]')].map(e => e.textContent)`)
		if !slices.Equal(sources, wantSources) {
			t.Errorf("evidence sources: got %q, want %q", sources, wantSources)
		}
		links := p.evalStrings(t, `[...document.querySelectorAll('#evidence-list a[data-testid=evidence-source]')].map(e => e.getAttribute('href'))`)
		if !slices.Equal(links, wantLinks) {
			t.Errorf("evidence links: got %q, want %q", links, wantLinks)
		}
		if loc := p.location(t); loc.Query().Get("edge") != clicked.ID {
			t.Errorf("URL after the click: got %s, want edge=%s", loc, clicked.ID)
		}
	})

	var pathURL string
	var pathNodes, pathEdges []string
	webtest.Step(t, "choose two actors and find the paths", func(t *testing.T) {
		paths, err := store.Paths(ctx, domain.PathQuery{From: actor, To: pathEnd, MaxHops: 4, Mode: domain.PathShortest, Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		if len(paths) == 0 {
			t.Fatalf("the dataset has no path from %s to %s; pick two connected actors", actor, pathEnd)
		}
		var wantSentences []string
		for _, path := range paths {
			wantSentences = append(wantSentences, path.Sentence())
			for _, n := range path.Nodes {
				pathNodes = append(pathNodes, n.ID)
			}
			for _, r := range path.Relations {
				pathEdges = append(pathEdges, r.ID)
			}
		}
		pathNodes, pathEdges = dedupe(pathNodes), dedupe(pathEdges)

		p.pickSuggestion(t, "path-from", "hungary", actor)
		p.pickSuggestion(t, "path-to", "europol", pathEnd)
		p.do(t, chromedp.Click(chromedp.ID("find-paths")))
		p.waitFor(t, `window.stakegraphExplorer.idle() && !document.getElementById('paths-panel').hidden`)
		p.noError(t)
		sentences := p.evalStrings(t, `[...document.querySelectorAll('#paths-list [data-testid=path-sentence]')].map(e => e.textContent)`)
		if !slices.Equal(sentences, wantSentences) {
			t.Errorf("path sentences:\n got %q\nwant %q", sentences, wantSentences)
		}
		if got := p.evalStrings(t, `window.stakegraphExplorer.highlightedNodeIds()`); !slices.Equal(got, pathNodes) {
			t.Errorf("highlighted nodes: got %v, want %v", got, pathNodes)
		}
		if got := p.evalStrings(t, `window.stakegraphExplorer.highlightedEdgeIds()`); !slices.Equal(got, pathEdges) {
			t.Errorf("highlighted edges: got %v, want %v", got, pathEdges)
		}
		// Every path element is drawn, next to what was there before.
		drawn := p.evalStrings(t, `window.stakegraphExplorer.nodeIds()`)
		for _, id := range pathNodes {
			if !slices.Contains(drawn, id) {
				t.Errorf("path node %s is not drawn", id)
			}
		}
		loc := p.location(t)
		if loc.Query().Get("from") != actor || loc.Query().Get("to") != pathEnd {
			t.Errorf("URL after the paths: got %s, want from=%s and to=%s", loc, actor, pathEnd)
		}
		pathURL = loc.String()
		saveScreenshot(t, p)
	})

	webtest.Step(t, "a state URL reproduces the view", func(t *testing.T) {
		if pathURL == "" {
			t.Fatal("no URL from the paths step")
		}
		before := p.drawn(t)
		p.do(t, chromedp.Navigate("about:blank"), chromedp.Navigate(pathURL))
		p.waitFor(t, `window.stakegraphExplorer !== undefined && window.stakegraphExplorer.idle() &&
			document.getElementById('evidence-panel').dataset.state === 'ready'`)
		p.noError(t)
		if after := p.drawn(t); !slices.Equal(after.Nodes, before.Nodes) || !slices.Equal(after.Edges, before.Edges) {
			t.Errorf("reloaded view: got %d nodes %d edges, want %d nodes %d edges\n got %v\nwant %v",
				len(after.Nodes), len(after.Edges), len(before.Nodes), len(before.Edges), after, before)
		}
		if got := p.evalStrings(t, `window.stakegraphExplorer.highlightedEdgeIds()`); !slices.Equal(got, pathEdges) {
			t.Errorf("highlighted edges after reload: got %v, want %v", got, pathEdges)
		}
		if got := p.evalString(t, `document.getElementById('evidence-panel').dataset.edgeId`); got != clicked.ID {
			t.Errorf("evidence panel after reload: got %q, want %q", got, clicked.ID)
		}
	})

	webtest.Step(t, "a hand-written link with depth, date and topic", func(t *testing.T) {
		const (
			root  = "country:ecuador"
			asOf  = "2023-09-27"
			topic = "topic:maritime-security"
		)
		want := neighborhood(t, store, domain.NeighborhoodQuery{Root: root, Depth: 2, AsOf: asOf, Topic: topic})
		link := fmt.Sprintf("%s/explore?focus=%s&depth=2&asOf=%s&topic=%s", ts.URL, root, asOf, topic)
		p.do(t, chromedp.Navigate(link))
		p.waitFor(t, fmt.Sprintf(`window.stakegraphExplorer !== undefined && window.stakegraphExplorer.idle() &&
			document.getElementById('topic').value === %s`, webtest.JS(topic)))
		p.noError(t)
		p.checkDrawn(t, want)
		for sel, wantValue := range map[string]string{"#depth": "2", "#asof": asOf, "#topic": topic} {
			if got := p.evalString(t, fmt.Sprintf(`document.querySelector(%s).value`, webtest.JS(sel))); got != wantValue {
				t.Errorf("%s: got %q, want %q", sel, got, wantValue)
			}
		}
		href := p.evalString(t, `document.querySelector('[data-testid=export-gexf]').getAttribute('href')`)
		exp, err := url.Parse(href)
		if err != nil {
			t.Fatal(err)
		}
		q := exp.Query()
		if exp.Path != "/export/gexf" || q.Get("root") != root || q.Get("depth") != "2" || q.Get("asOf") != asOf || q.Get("topic") != topic {
			t.Errorf("export link: got %s, want /export/gexf with root, depth, asOf and topic of the view", href)
		}
		// The link downloads from the real export endpoint.
		status, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](
			fmt.Sprintf(`fetch(%s).then(r => r.status)`, webtest.JS(href)), chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		if status != http.StatusOK {
			t.Errorf("GET %s: got status %d, want %d", href, status, http.StatusOK)
		}
	})

	webtest.Step(t, "filter by relation type and date in the controls", func(t *testing.T) {
		const (
			root  = "country:ecuador"
			topic = "topic:maritime-security"
			asOf  = "2022-06-30"
			drop  = domain.RelAddresses
		)
		var types []domain.RelationType
		for _, rt := range domain.RelationTypes {
			if rt != drop {
				types = append(types, rt)
			}
		}
		p.do(t, chromedp.Click(chromedp.CSS("#types-box summary")),
			chromedp.Click(chromedp.CSS(fmt.Sprintf(`[data-testid="type-%s"]`, drop))))
		p.waitFor(t, fmt.Sprintf(`window.stakegraphExplorer.idle() && window.stakegraphExplorer.state().types.length === %d`, len(types)))
		p.do(t, chromedp.Click(chromedp.ID("asof-clear")))
		p.waitFor(t, `window.stakegraphExplorer.idle() && window.stakegraphExplorer.state().asOf === ""`)
		p.do(t, chromedp.SendKeys(chromedp.ID("asof"), asOf+"\r"))
		p.waitFor(t, fmt.Sprintf(`window.stakegraphExplorer.idle() && window.stakegraphExplorer.state().asOf === %s`, webtest.JS(asOf)))
		p.noError(t)
		p.checkDrawn(t, neighborhood(t, store, domain.NeighborhoodQuery{Root: root, Depth: 2, Topic: topic, AsOf: asOf, RelationTypes: types}))
		q := p.location(t).Query()
		if q.Get("asOf") != asOf || strings.Contains(q.Get("types"), string(drop)) || strings.Count(q.Get("types"), ",") != len(types)-1 {
			t.Errorf("URL after filtering: got %s, want asOf=%s and every type but %s", p.location(t), asOf, drop)
		}
	})

	webtest.Step(t, "API errors are shown with their code", func(t *testing.T) {
		const missing = "country:atlantis"
		_, storeErr := store.Neighborhood(ctx, domain.NeighborhoodQuery{Root: missing, Depth: 1})
		p.do(t, chromedp.Navigate(ts.URL+"/explore?focus="+missing))
		p.waitFor(t, `window.stakegraphExplorer !== undefined && window.stakegraphExplorer.idle() &&
			!document.getElementById('error').hidden`)
		if got, want := p.text(t, "#error-code"), domain.ErrorCode(storeErr); got != want {
			t.Errorf("error code: got %q, want %q", got, want)
		}
		if got := p.text(t, "#error-message"); !strings.Contains(got, missing) {
			t.Errorf("error message: got %q, want it to name %s", got, missing)
		}
	})

	p.checkNoExceptions(t)
	t.Logf("browser test took %v", time.Since(start).Round(time.Millisecond))
}

// ---------------------------------------------------------------- browser

// browserPage is one tab of a headless Chromium.
type browserPage struct {
	ctx        context.Context
	exceptions chan string
}

func openBrowser(tb testing.TB) *browserPage {
	tb.Helper()
	ctx := webtest.Open(tb, 3*time.Minute)
	p := &browserPage{ctx: ctx, exceptions: make(chan string, 100)}
	exceptions := chromedp.Events(ctx, runtime.ExceptionThrown)
	go func() {
		for ev, err := range exceptions {
			if err != nil {
				return
			}
			msg := ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil && ev.ExceptionDetails.Exception.Description != "" {
				msg = ev.ExceptionDetails.Exception.Description
			}
			select {
			case p.exceptions <- msg:
			default:
			}
		}
	}()
	return p
}

func (p *browserPage) do(tb testing.TB, actions ...chromedp.Action[chromedp.Void]) {
	tb.Helper()
	if err := chromedp.Do(p.ctx, actions...); err != nil {
		tb.Fatal(err)
	}
}

func evalAs[T any](tb testing.TB, p *browserPage, expr string) T {
	tb.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		tb.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

func (p *browserPage) evalStrings(tb testing.TB, expr string) []string {
	tb.Helper()
	return evalAs[[]string](tb, p, expr)
}

func (p *browserPage) evalString(tb testing.TB, expr string) string {
	tb.Helper()
	return evalAs[string](tb, p, expr)
}

func (p *browserPage) text(tb testing.TB, sel string) string {
	tb.Helper()
	return p.evalString(tb, fmt.Sprintf(`document.querySelector(%s).textContent`, webtest.JS(sel)))
}

func (p *browserPage) location(tb testing.TB) *url.URL {
	tb.Helper()
	u, err := url.Parse(p.evalString(tb, `window.location.href`))
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

// waitFor waits until the JavaScript condition holds; on timeout it reports
// the page's error banner, which usually says why.
func (p *browserPage) waitFor(tb testing.TB, cond string) {
	tb.Helper()
	_, err := chromedp.Run(p.ctx, chromedp.Poll[bool](cond,
		chromedp.WithPollingInterval(25*time.Millisecond), chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil {
		shown, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](
			`JSON.stringify(window.stakegraphExplorer ? window.stakegraphExplorer.error() : null)`))
		tb.Fatalf("waiting for %s: %v (page error: %s)", cond, err, shown)
	}
}

// noError fails when the page shows an error banner.
func (p *browserPage) noError(tb testing.TB) {
	tb.Helper()
	if shown := p.evalString(tb, `JSON.stringify(window.stakegraphExplorer.error())`); shown != "null" {
		tb.Fatalf("the page shows an error: %s", shown)
	}
}

func (p *browserPage) checkNoExceptions(tb testing.TB) {
	tb.Helper()
	for {
		select {
		case msg := <-p.exceptions:
			tb.Errorf("uncaught exception in the page: %s", msg)
		default:
			return
		}
	}
}

// clickElement clicks a drawn node or edge with the mouse, at a point the
// page's hook says lands on it.
func (p *browserPage) clickElement(tb testing.TB, id string) {
	tb.Helper()
	type point struct{ X, Y float64 }
	pt := evalAs[*point](tb, p, fmt.Sprintf(`window.stakegraphExplorer.clickPoint(%s)`, webtest.JS(id)))
	if pt == nil {
		tb.Fatalf("no clickable point on %s in the view", id)
	}
	p.do(tb, chromedp.MouseClickXY(pt.X, pt.Y))
}

// pickSuggestion types into a search box and clicks the suggestion for id.
func (p *browserPage) pickSuggestion(tb testing.TB, inputID, text, id string) {
	tb.Helper()
	sel := fmt.Sprintf(`#%s-suggestions li[data-id=%q]`, inputID, id)
	p.do(tb, chromedp.SendKeys(chromedp.ID(inputID), text), chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.Click(chromedp.CSS(sel)))
	if got := p.evalString(tb, fmt.Sprintf(`document.getElementById(%s).dataset.id`, webtest.JS(inputID))); got != id {
		tb.Fatalf("%s after picking: got %q, want %q", inputID, got, id)
	}
}

type nodeStyle struct{ Kind, Color, Shape string }

func (p *browserPage) nodeStyle(tb testing.TB, id string) nodeStyle {
	tb.Helper()
	s := evalAs[*nodeStyle](tb, p, fmt.Sprintf(`window.stakegraphExplorer.nodeStyle(%s)`, webtest.JS(id)))
	if s == nil {
		tb.Fatalf("node %s is not drawn", id)
	}
	return *s
}

// ids are the sorted node and edge IDs of a view.
type ids struct{ Nodes, Edges []string }

func (p *browserPage) drawn(tb testing.TB) ids {
	tb.Helper()
	return ids{
		Nodes: p.evalStrings(tb, `window.stakegraphExplorer.nodeIds()`),
		Edges: p.evalStrings(tb, `window.stakegraphExplorer.edgeIds()`),
	}
}

// checkDrawn compares the drawn elements with a store subgraph.
func (p *browserPage) checkDrawn(tb testing.TB, want *domain.Subgraph) {
	tb.Helper()
	got := p.drawn(tb)
	w := subgraphIDs(want)
	if !slices.Equal(got.Nodes, w.Nodes) {
		tb.Errorf("drawn nodes:\n got %v\nwant %v", got.Nodes, w.Nodes)
	}
	if !slices.Equal(got.Edges, w.Edges) {
		tb.Errorf("drawn edges:\n got %v\nwant %v", got.Edges, w.Edges)
	}
}

// saveScreenshot writes the view as a PNG test artifact: to
// $STAKEGRAPH_ARTIFACTS when set, else to testdata/out (git-ignored); with
// -update-screenshot also to docs/explorer.png.
func saveScreenshot(tb testing.TB, p *browserPage) {
	tb.Helper()
	png := webtest.Screenshot(tb, p.ctx, "explorer.png")
	if *updateScreenshot {
		docs := filepath.Join("..", "..", "docs", "explorer.png")
		if err := os.MkdirAll(filepath.Dir(docs), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(docs, png, 0o644); err != nil {
			tb.Fatal(err)
		}
		tb.Logf("updated %s", docs)
	}
}

// ---------------------------------------------------------------- helpers

func neighborhood(tb testing.TB, store domain.Store, q domain.NeighborhoodQuery) *domain.Subgraph {
	tb.Helper()
	sub, err := store.Neighborhood(context.Background(), q)
	if err != nil {
		tb.Fatalf("Neighborhood(%+v): %v", q, err)
	}
	return sub
}

// pickNeighbour returns an Event next to root if there is one, else the
// first other node.
func pickNeighbour(sub *domain.Subgraph, root string) *domain.Node {
	var first *domain.Node
	for _, n := range sub.Nodes {
		if n.ID == root {
			continue
		}
		if n.Kind == domain.KindEvent {
			return n
		}
		if first == nil {
			first = n
		}
	}
	return first
}

func union(subs ...*domain.Subgraph) *domain.Subgraph {
	out := &domain.Subgraph{}
	seenN, seenR := map[string]bool{}, map[string]bool{}
	for _, s := range subs {
		for _, n := range s.Nodes {
			if !seenN[n.ID] {
				seenN[n.ID] = true
				out.Nodes = append(out.Nodes, n)
			}
		}
		for _, r := range s.Relations {
			if !seenR[r.ID] {
				seenR[r.ID] = true
				out.Relations = append(out.Relations, r)
			}
		}
	}
	return out
}

func subgraphIDs(s *domain.Subgraph) ids {
	var out ids
	for _, n := range s.Nodes {
		out.Nodes = append(out.Nodes, n.ID)
	}
	for _, r := range s.Relations {
		out.Edges = append(out.Edges, r.ID)
	}
	out.Nodes, out.Edges = dedupe(out.Nodes), dedupe(out.Edges)
	return out
}

// dedupe sorts like the page's hook (JavaScript's default sort orders by
// UTF-16 code units, the same as Go's byte order for these ASCII IDs).
func dedupe(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}

func sameSet(a, b []string) bool {
	return slices.Equal(dedupe(a), dedupe(b))
}
