package explorer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/internal/auth"
	"github.com/stakegraph/stakegraph/internal/boltstore"
	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/server"
	"github.com/stakegraph/stakegraph/internal/webtest"
)

// The source the editing test registers, in the test's own words, and the
// two passages it cites.
const (
	noteID   = "source:explorer-test-note"
	noteText = "Notes from a working visit, March 2025.\n\nHungary and Ecuador agreed to cooperate on the training\nof border police officers. Both sides will exchange liaison officers during the next year.\n"
	quote1   = "Hungary and Ecuador agreed to cooperate on the training of border police officers."
	quote2   = "Both sides will exchange liaison officers during the next year."
)

// editServer is a real server over a store, with a tokens file of three
// roles.
type editServer struct {
	url                   string
	reader, editor, admin string
	store                 domain.Store
}

// startEditServer serves the shipped data from the durable embedded store,
// in a state directory of the test's own.
func startEditServer(tb testing.TB) editServer {
	tb.Helper()
	return startServerOn(tb, embeddedStore(tb))
}

// embeddedStore is the durable embedded store holding the shipped dataset,
// closed when the test ends.
func embeddedStore(tb testing.TB) domain.Store {
	tb.Helper()
	d, err := dataset.ShippedDataset()
	if err != nil {
		tb.Fatal(err)
	}
	store, err := boltstore.Open(context.Background(), tb.TempDir(), boltstore.Base{Graph: d.Graph, Texts: d.SourceTexts}, boltstore.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = store.Close(context.Background()) })
	return store
}

// startServerOn serves store with reader, editor and admin tokens.
func startServerOn(tb testing.TB, store domain.Store) editServer {
	tb.Helper()
	s := editServer{store: store}
	var lines []string
	for _, tok := range []struct {
		dst  *string
		role domain.Role
	}{{&s.reader, domain.RoleReader}, {&s.editor, domain.RoleEditor}, {&s.admin, domain.RoleAdmin}} {
		token, err := auth.NewToken()
		if err != nil {
			tb.Fatal(err)
		}
		*tok.dst = token
		lines = append(lines, auth.Line(strings.ToLower(string(tok.role))+"-user", tok.role, token))
	}
	file := filepath.Join(tb.TempDir(), "tokens")
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		tb.Fatal(err)
	}
	tokens, err := auth.LoadFile(file)
	if err != nil {
		tb.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	api := graph.NewHandler(store, graph.HandlerOptions{Logger: logger, Tokens: tokens})
	ts := httptest.NewServer(server.Routes(store, api, logger, server.Options{Tokens: tokens}))
	tb.Cleanup(ts.Close)
	s.url = ts.URL
	return s
}

type gqlAnswer struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// call posts a GraphQL request as the token's holder ("" for none) and
// decodes the data into out; errors fail the test.
func (s editServer) call(tb testing.TB, token, query string, vars map[string]any, out any) {
	tb.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		tb.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, s.url+"/graphql", bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	var a gqlAnswer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		tb.Fatalf("decoding the answer to %s: %v", query, err)
	}
	if len(a.Errors) > 0 {
		tb.Fatalf("%s: got errors %+v", query, a.Errors)
	}
	if out != nil {
		if err := json.Unmarshal(a.Data, out); err != nil {
			tb.Fatal(err)
		}
	}
}

// errorCode posts a query without a token and returns its error's code,
// "" when it succeeds.
func (s editServer) errorCode(tb testing.TB, query string, vars map[string]any) string {
	tb.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		tb.Fatal(err)
	}
	resp, err := http.Post(s.url+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	var a gqlAnswer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		tb.Fatal(err)
	}
	if len(a.Errors) == 0 {
		return ""
	}
	code, _ := a.Errors[0].Extensions["code"].(string)
	return code
}

type evidenceJSON struct {
	SourceID string `json:"sourceId"`
	Quote    string `json:"quote"`
}

type relationJSON struct {
	ID       string         `json:"id"`
	Evidence []evidenceJSON `json:"evidence"`
}

// relationsOut is what the server holds: the node's outgoing relations.
func (s editServer) relationsOut(tb testing.TB, id string) map[string]relationJSON {
	tb.Helper()
	var got struct {
		Stakeholder struct {
			Relations []relationJSON `json:"relations"`
		} `json:"stakeholder"`
	}
	s.call(tb, "", `query($id: ID!) { stakeholder(id: $id) { relations(direction: OUT) { id evidence { sourceId quote } } } }`,
		map[string]any{"id": id}, &got)
	out := map[string]relationJSON{}
	for _, r := range got.Stakeholder.Relations {
		out[r.ID] = r
	}
	return out
}

type countryJSON struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Aliases     []string `json:"aliases"`
	Description *string  `json:"description"`
	IsoCode     *string  `json:"isoCode"`
	Version     int      `json:"version"`
}

func (s editServer) country(tb testing.TB, id string) countryJSON {
	tb.Helper()
	var got struct {
		Stakeholder countryJSON `json:"stakeholder"`
	}
	s.call(tb, "", `query($id: ID!) { stakeholder(id: $id) { id name aliases description version ... on Country { isoCode } } }`,
		map[string]any{"id": id}, &got)
	return got.Stakeholder
}

type historyJSON struct {
	Seq    int    `json:"seq"`
	Action string `json:"action"`
	Target string `json:"target"`
}

func (s editServer) history(tb testing.TB, id string) []historyJSON {
	tb.Helper()
	var got struct {
		Stakeholder struct {
			History struct {
				Changes []historyJSON `json:"changes"`
			} `json:"history"`
		} `json:"stakeholder"`
	}
	s.call(tb, "", `query($id: ID!) { stakeholder(id: $id) { history(first: 50) { changes { seq action target } } } }`,
		map[string]any{"id": id}, &got)
	return got.Stakeholder.History.Changes
}

// TestEditingInBrowser drives the explorer's editing in headless Chromium
// against a server on the durable embedded store: tokens and roles, adding
// a relation and evidence with quotes selected from a source's text, an
// edit refused as stale and redone, retiring, the history and a revert,
// and a write without a token refused. Each step checks the page and the
// server's own answers.
func TestEditingInBrowser(t *testing.T) {
	start := time.Now()
	s := startEditServer(t)
	const (
		here  = "country:hungary"
		there = "country:ecuador"
	)
	relID := here + "|" + string(domain.RelCooperatesWith) + "|" + there
	if _, ok := s.relationsOut(t, here)[relID]; ok {
		t.Fatalf("the shipped data already holds %s; pick another pair", relID)
	}
	// Sources are registered over the API; the page cites them.
	s.call(t, s.editor, `mutation($text: String!) { addSource(input: {id: "`+noteID+`", title: "Working visit field note", language: "en", text: $text}) { change { seq } } }`,
		map[string]any{"text": noteText}, nil)

	p := openBrowser(t)
	t.Logf("browser started in %v", time.Since(start).Round(time.Millisecond))

	visibleEditControls := func(t *testing.T) []string {
		t.Helper()
		return p.evalStrings(t, `[...document.querySelectorAll('[data-min-role]')]
			.filter((e) => e.getClientRects().length > 0).map((e) => e.id || e.dataset.testid || e.tagName)`)
	}
	useToken := func(t *testing.T, token, wantRole string) {
		t.Helper()
		p.do(t, chromedp.SendKeys(chromedp.ID("token"), token), chromedp.Click(chromedp.ID("token-use")))
		p.waitFor(t, fmt.Sprintf(`window.stakegraphExplorer.idle() && window.stakegraphExplorer.role() === %s`, webtest.JS(wantRole)))
		if got := p.evalString(t, `document.getElementById('token').value`); got != "" {
			t.Errorf("token field after use: got %q, want it emptied", got)
		}
		if loc := p.location(t); strings.Contains(loc.String(), token) {
			t.Errorf("the token is in the URL %s", loc)
		}
		if got := p.evalString(t, `sessionStorage.getItem('stakegraph-token')`); got != token {
			t.Errorf("sessionStorage token: got %q, want the one entered", got)
		}
	}
	waitSaved := func(t *testing.T, form string) {
		t.Helper()
		p.waitFor(t, fmt.Sprintf(`(() => { const f = document.getElementById(%s);
			return window.stakegraphExplorer.idle() && (f.dataset.state === 'saved' || f.dataset.state === 'error'); })()`, webtest.JS(form)))
		if state := p.evalString(t, fmt.Sprintf(`document.getElementById(%s).dataset.state`, webtest.JS(form))); state != "saved" {
			t.Fatalf("%s: got state %q, error %q", form, state, p.text(t, "#"+form+" .form-error"))
		}
	}
	waitFailed := func(t *testing.T, form, wantCode string) string {
		t.Helper()
		p.waitFor(t, fmt.Sprintf(`(() => { const f = document.getElementById(%s);
			return window.stakegraphExplorer.idle() && (f.dataset.state === 'saved' || f.dataset.state === 'error'); })()`, webtest.JS(form)))
		code := p.text(t, "#"+form+" .form-error code")
		msg := p.text(t, "#"+form+" .form-error .msg")
		if code != wantCode || msg == "" {
			t.Fatalf("%s: got error %q %q, want code %s with a message", form, code, msg, wantCode)
		}
		return msg
	}
	// selectInText drags the mouse over a passage of a source's text shown
	// in the page, from before its first character to after its last, and
	// waits for the selection to become the quote.
	selectInText := func(t *testing.T, textID, quoteID, passage string) {
		t.Helper()
		p.waitFor(t, fmt.Sprintf(`document.getElementById(%s).dataset.state === 'ready'`, webtest.JS(textID)))
		type point struct{ X, Y float64 }
		// The shown text keeps the source's line breaks, where the passage
		// has spaces: find its first and last word.
		ends := evalAs[[]point](t, p, fmt.Sprintf(`(() => {
			const box = document.getElementById(%s);
			const node = box.firstChild;
			const words = %s.split(' ');
			const first = node.textContent.indexOf(words[0]);
			const lastWord = words[words.length - 1];
			const last = node.textContent.indexOf(lastWord, first) + lastWord.length;
			if (first < 0 || last < first) return [];
			const rect = (i) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1); return r.getBoundingClientRect(); };
			const a = rect(first);
			const b = rect(last - 1);
			return [{ x: a.left + 1, y: a.top + a.height / 2 }, { x: b.right - 1, y: b.top + b.height / 2 }]; })()`,
			webtest.JS(textID), webtest.JS(passage)))
		if len(ends) != 2 {
			t.Fatalf("%q is not in the text shown in #%s", passage, textID)
		}
		pressed := func(p *input.DispatchMouseEventParams) {
			p.Button = input.MouseButtonLeft
			p.Buttons = 1
			p.ClickCount = 1
		}
		p.do(t,
			chromedp.MouseEvent(chromedp.MouseMoved, ends[0].X, ends[0].Y),
			chromedp.MouseEvent(chromedp.MousePressed, ends[0].X, ends[0].Y, pressed),
			chromedp.MouseEvent(chromedp.MouseMoved, (ends[0].X+ends[1].X)/2, (ends[0].Y+ends[1].Y)/2, pressed),
			chromedp.MouseEvent(chromedp.MouseMoved, ends[1].X, ends[1].Y, pressed),
			chromedp.MouseEvent(chromedp.MouseReleased, ends[1].X, ends[1].Y, pressed),
		)
		p.waitFor(t, fmt.Sprintf(`document.getElementById(%s).value === %s`, webtest.JS(quoteID), webtest.JS(passage)))
	}

	webtest.Step(t, "without a token there are no edit controls", func(t *testing.T) {
		p.do(t, chromedp.Navigate(s.url+"/explore?focus="+here))
		p.waitFor(t, `window.stakegraphExplorer !== undefined && window.stakegraphExplorer.idle()`)
		p.noError(t)
		p.clickElement(t, here)
		p.waitFor(t, fmt.Sprintf(`window.stakegraphExplorer.idle() && document.getElementById('node-panel').dataset.nodeId === %s`, webtest.JS(here)))
		if got := visibleEditControls(t); len(got) != 0 {
			t.Errorf("edit controls shown without a token: %v", got)
		}
	})

	webtest.Step(t, "an unknown token is refused with the server's message", func(t *testing.T) {
		p.do(t, chromedp.SendKeys(chromedp.ID("token"), "sg_not-a-token"), chromedp.Click(chromedp.ID("token-use")))
		p.waitFor(t, `window.stakegraphExplorer.idle() && document.getElementById('role').dataset.role === 'ERROR'`)
		if got := p.text(t, "#role"); got != "token refused" {
			t.Errorf("role shown: got %q, want token refused", got)
		}
		if got := p.text(t, "#error-code"); got != domain.EUNAUTHORIZED {
			t.Errorf("error code: got %q, want %s", got, domain.EUNAUTHORIZED)
		}
		if got := p.evalString(t, `String(sessionStorage.getItem('stakegraph-token'))`); got != "null" {
			t.Errorf("sessionStorage keeps the refused token %q", got)
		}
		if got := visibleEditControls(t); len(got) != 0 {
			t.Errorf("edit controls shown for a refused token: %v", got)
		}
		p.do(t, chromedp.Click(chromedp.ID("error-close")))
	})

	webtest.Step(t, "a reader token shows its role and no edit controls", func(t *testing.T) {
		useToken(t, s.reader, "READER")
		if got := p.text(t, "#role"); got != "reader" {
			t.Errorf("role shown: got %q, want reader", got)
		}
		if got := visibleEditControls(t); len(got) != 0 {
			t.Errorf("edit controls shown to a reader: %v", got)
		}
	})

	webtest.Step(t, "an editor token shows the editor's controls", func(t *testing.T) {
		useToken(t, s.editor, "EDITOR")
		got := visibleEditControls(t)
		for _, want := range []string{"node-edit", "node-add-relation"} {
			if !slices.Contains(got, want) {
				t.Errorf("visible edit controls %v lack %s", got, want)
			}
		}
		for _, admin := range []string{"node-retire-form", "edge-retire-form"} {
			if slices.Contains(got, admin) {
				t.Errorf("an editor sees the admin's %s", admin)
			}
		}
		// The page offers exactly the relation types the server's rule allows.
		for _, from := range domain.Kinds {
			for _, to := range domain.Kinds {
				if from == domain.KindSource || to == domain.KindSource {
					continue
				}
				got := p.evalStrings(t, fmt.Sprintf(`window.stakegraphExplorer.relationTypesFor(%s, %s)`, webtest.JS(string(from)), webtest.JS(string(to))))
				if want := allowedTypes(from, to); !slices.Equal(got, want) {
					t.Errorf("types %s → %s: got %v, want %v", from, to, got, want)
				}
			}
		}
	})

	webtest.Step(t, "add a relation citing a quote selected from the source", func(t *testing.T) {
		before := p.drawn(t)
		p.do(t, chromedp.Click(chromedp.ID("node-add-relation")))
		p.pickSuggestion(t, "rel-other", "ecuador", there)
		types := p.evalStrings(t, `[...document.querySelectorAll('#rel-type option')].map((o) => o.value)`)
		if want := allowedTypes(domain.KindCountry, domain.KindCountry); !slices.Equal(types, want) {
			t.Errorf("type choices for country → country: got %v, want %v", types, want)
		}
		p.do(t, chromedp.SetValue(chromedp.ID("rel-type"), string(domain.RelCooperatesWith)))
		p.pickSuggestion(t, "rel-source", "working visit", noteID)
		p.waitFor(t, `document.getElementById('rel-source-text').dataset.state === 'ready'`)
		if got := p.text(t, "#rel-source-text"); got != noteText {
			t.Errorf("source text shown: got %q, want %q", got, noteText)
		}

		// A quote the text does not hold: the server's message, next to the field; nothing lost.
		const wrong = "Hungary and Ecuador signed a treaty."
		p.do(t, chromedp.SendKeys(chromedp.ID("rel-quote"), wrong), chromedp.Click(chromedp.ID("rel-save")))
		msg := waitFailed(t, "rel-form", domain.EINVALID)
		if next := p.text(t, `#rel-form .field-error[data-for=quote]`); next != msg || !strings.Contains(msg, "quote") {
			t.Errorf("next to the quote: got %q, want the message %q naming the quote", next, msg)
		}
		kept := map[string]string{
			`document.getElementById('rel-other').dataset.id`:                 there,
			`document.getElementById('rel-type').value`:                       string(domain.RelCooperatesWith),
			`document.getElementById('rel-source').dataset.id`:                noteID,
			`document.getElementById('rel-quote').value`:                      wrong,
			`document.getElementById('rel-form').hidden ? 'hidden' : 'shown'`: "shown",
		}
		for expr, want := range kept {
			if got := p.evalString(t, expr); got != want {
				t.Errorf("after the error, %s: got %q, want %q", expr, got, want)
			}
		}
		if _, ok := s.relationsOut(t, here)[relID]; ok {
			t.Fatalf("the refused relation %s is on the server", relID)
		}

		selectInText(t, "rel-source-text", "rel-quote", quote1)
		p.do(t, chromedp.Click(chromedp.ID("rel-save")))
		waitSaved(t, "rel-form")
		after := p.drawn(t)
		if !slices.Contains(after.Edges, relID) || slices.Contains(before.Edges, relID) {
			t.Errorf("drawn edges: got %v, want %s added", after.Edges, relID)
		}
		if !slices.Contains(after.Nodes, there) {
			t.Errorf("drawn nodes: got %v, want %s", after.Nodes, there)
		}
		got, ok := s.relationsOut(t, here)[relID]
		if want := []evidenceJSON{{noteID, quote1}}; !ok || !slices.Equal(got.Evidence, want) {
			t.Errorf("server: got %s %+v, want evidence %+v", relID, got, want)
		}
	})

	webtest.Step(t, "add evidence from the edge's panel", func(t *testing.T) {
		p.clickElement(t, relID)
		p.waitFor(t, fmt.Sprintf(`(() => { const e = document.getElementById('evidence-panel');
			return e.dataset.edgeId === %s && e.dataset.state === 'ready'; })()`, webtest.JS(relID)))
		p.do(t, chromedp.Click(chromedp.ID("edge-add-evidence")))
		p.pickSuggestion(t, "ev-source", "working visit", noteID)
		selectInText(t, "ev-source-text", "ev-quote", quote2)
		p.do(t, chromedp.Click(chromedp.ID("ev-save")))
		waitSaved(t, "evidence-form")
		p.waitFor(t, `document.getElementById('evidence-panel').dataset.state === 'ready'`)
		quotes := p.evalStrings(t, `[...document.querySelectorAll('#evidence-list [data-testid=evidence-quote]')].map(e => e.textContent)`)
		if want := []string{quote1, quote2}; !slices.Equal(quotes, want) {
			t.Errorf("quotes shown: got %q, want %q", quotes, want)
		}
		if got := s.relationsOut(t, here)[relID].Evidence; len(got) != 2 {
			t.Errorf("server evidence: got %+v, want two quotes", got)
		}
	})

	webtest.Step(t, "a stale edit is refused, reloaded and redone", func(t *testing.T) {
		p.do(t, chromedp.Click(chromedp.ID("node-edit")))
		p.waitFor(t, `document.getElementById('node-form').dataset.state === 'ready'`)
		// Someone else changes the node after the page read it.
		c := s.country(t, here)
		const elsewhere = "Changed by someone else."
		s.call(t, s.admin, `mutation($in: StakeholderInput!, $v: Int) { upsertStakeholder(input: $in, expectedVersion: $v) { change { seq } } }`,
			map[string]any{"v": c.Version, "in": map[string]any{"id": c.ID, "kind": "Country", "name": c.Name, "aliases": c.Aliases, "isoCode": c.IsoCode, "description": elsewhere}}, nil)

		const mine = "An EU member state that trains Ecuadorian border police."
		clearField(t, p, "node-desc")
		p.do(t, chromedp.SendKeys(chromedp.ID("node-desc"), mine),
			chromedp.Click(chromedp.ID("node-save")))
		waitFailed(t, "node-form", domain.ECONFLICT)
		if got := p.evalString(t, `document.getElementById('node-desc').value`); got != mine {
			t.Errorf("description after the conflict: got %q, want what was typed", got)
		}
		p.do(t, chromedp.Click(chromedp.ID("node-reload")))
		p.waitFor(t, fmt.Sprintf(`document.getElementById('node-desc').value === %s`, webtest.JS(elsewhere)))
		// The edit that was refused is kept aside, ready to apply again.
		if got := p.evalStrings(t, `[...document.querySelectorAll('#node-mine [data-testid=node-mine-field]')].map((e) => e.dataset.field)`); !slices.Equal(got, []string{"description"}) {
			t.Errorf("fields kept aside: got %v, want [description]", got)
		}
		p.do(t, chromedp.Click(chromedp.ID("node-reapply")))
		if got := p.evalString(t, `document.getElementById('node-desc').value`); got != mine {
			t.Errorf("description after applying the edit again: got %q, want %q", got, mine)
		}
		p.do(t, chromedp.Click(chromedp.ID("node-save")))
		waitSaved(t, "node-form")
		got := s.country(t, here)
		if deref(got.Description) != mine || got.Name != c.Name || !slices.Equal(got.Aliases, c.Aliases) || deref(got.IsoCode) != deref(c.IsoCode) {
			t.Errorf("server: got %s %v %q %s, want %q and the rest as before: %s %v %s",
				got.Name, got.Aliases, deref(got.Description), deref(got.IsoCode), mine, c.Name, c.Aliases, deref(c.IsoCode))
		}
		if got := p.text(t, "#node-description"); got != mine {
			t.Errorf("node panel description: got %q, want %q", got, mine)
		}
	})

	var retired int
	webtest.Step(t, "an admin retires the relation", func(t *testing.T) {
		useToken(t, s.admin, "ADMIN")
		p.clickElement(t, relID)
		p.waitFor(t, fmt.Sprintf(`document.getElementById('evidence-panel').dataset.edgeId === %s`, webtest.JS(relID)))
		p.do(t, chromedp.SendKeys(chromedp.ID("edge-retire-reason"), "the note was a draft"), chromedp.Click(chromedp.ID("edge-retire")))
		waitSaved(t, "edge-retire-form")
		if slices.Contains(p.drawn(t).Edges, relID) {
			t.Errorf("%s is still drawn after retiring it", relID)
		}
		if _, ok := s.relationsOut(t, here)[relID]; ok {
			t.Errorf("server still answers %s", relID)
		}
		h := s.history(t, here)
		if len(h) == 0 || h[len(h)-1].Action != string(domain.ActionRetireRelation) {
			t.Fatalf("server history: got %+v, want a RETIRE_RELATION last", h)
		}
		retired = h[len(h)-1].Seq
	})

	webtest.Step(t, "the node's history and a revert", func(t *testing.T) {
		p.do(t, chromedp.Click(chromedp.ID("node-history")))
		p.waitFor(t, `window.stakegraphExplorer.idle() && document.getElementById('history-box').dataset.load === 'ready'`)
		var want []string
		for _, c := range slices.Backward(s.history(t, here)) {
			want = append(want, fmt.Sprintf("%d %s", c.Seq, c.Action))
		}
		got := p.evalStrings(t, `[...document.querySelectorAll('#history-list [data-testid=change]')].map((e) => e.dataset.seq + ' ' + e.dataset.action)`)
		if !slices.Equal(got, want) {
			t.Errorf("history shown: got %v, want %v", got, want)
		}
		steps := p.evalString(t, `document.getElementById('history-list').textContent`)
		for _, part := range []string{"Changed by someone else.", "An EU member state that trains Ecuadorian border police.", "admin-user", "editor-user", "the note was a draft"} {
			if !strings.Contains(steps, part) {
				t.Errorf("history text lacks %q", part)
			}
		}
		p.do(t, chromedp.SendKeys(chromedp.ID("revert-reason"), "retired by mistake"),
			chromedp.Click(chromedp.CSS(fmt.Sprintf(`[data-testid=change-revert][data-seq="%d"]`, retired))))
		waitSaved(t, "history-box")
		p.waitFor(t, `window.stakegraphExplorer.idle() && document.getElementById('history-box').dataset.load === 'ready'`)
		if !slices.Contains(p.drawn(t).Edges, relID) {
			t.Errorf("%s is not drawn again after the revert", relID)
		}
		if got := s.relationsOut(t, here)[relID].Evidence; len(got) != 2 {
			t.Errorf("server after the revert: got evidence %+v, want the relation back with two quotes", got)
		}
		if top := p.evalString(t, `document.querySelector('#history-list [data-testid=change]').dataset.action`); top != string(domain.ActionRevert) {
			t.Errorf("newest change shown: got %s, want %s", top, domain.ActionRevert)
		}
		webtest.Screenshot(t, p.ctx, "explorer-edit.png")
	})

	webtest.Step(t, "an edit sends back the fields it does not show changed", func(t *testing.T) {
		// An organization with a start date: upsertStakeholder replaces the
		// whole value, so the form must send the date back.
		const org = "organization:lac4"
		var before struct {
			Stakeholder struct {
				Start   *string `json:"start"`
				OrgType string  `json:"orgType"`
			} `json:"stakeholder"`
		}
		const read = `query($id: ID!) { stakeholder(id: $id) { ... on Organization { start orgType } } }`
		s.call(t, "", read, map[string]any{"id": org}, &before)
		if deref(before.Stakeholder.Start) == "" {
			t.Fatalf("%s has no start date in the shipped data; pick a node with one", org)
		}
		p.do(t, chromedp.Navigate(s.url+"/explore?focus="+org))
		p.waitFor(t, `window.stakegraphExplorer !== undefined && window.stakegraphExplorer.idle() && window.stakegraphExplorer.role() === 'ADMIN'`)
		p.clickElement(t, org)
		p.waitFor(t, fmt.Sprintf(`window.stakegraphExplorer.idle() && document.getElementById('node-panel').dataset.nodeId === %s`, webtest.JS(org)))
		p.do(t, chromedp.Click(chromedp.ID("node-edit")))
		p.waitFor(t, `document.getElementById('node-form').dataset.state === 'ready'`)
		p.do(t, chromedp.SendKeys(chromedp.ID("node-desc"), " Edited."), chromedp.Click(chromedp.ID("node-save")))
		waitSaved(t, "node-form")
		var after struct {
			Stakeholder struct {
				Start       *string `json:"start"`
				OrgType     string  `json:"orgType"`
				Description *string `json:"description"`
			} `json:"stakeholder"`
		}
		s.call(t, "", `query($id: ID!) { stakeholder(id: $id) { description ... on Organization { start orgType } } }`, map[string]any{"id": org}, &after)
		if deref(after.Stakeholder.Start) != deref(before.Stakeholder.Start) || after.Stakeholder.OrgType != before.Stakeholder.OrgType ||
			!strings.HasSuffix(deref(after.Stakeholder.Description), " Edited.") {
			t.Errorf("server after the edit: start %q, type %s, description %q; want start %q, type %s and the description edited",
				deref(after.Stakeholder.Start), after.Stakeholder.OrgType, deref(after.Stakeholder.Description),
				deref(before.Stakeholder.Start), before.Stakeholder.OrgType)
		}
	})

	webtest.Step(t, "without the token, a forced write is refused", func(t *testing.T) {
		p.do(t, chromedp.Click(chromedp.ID("token-clear")))
		p.waitFor(t, `window.stakegraphExplorer.idle() && window.stakegraphExplorer.role() === ''`)
		if got := visibleEditControls(t); len(got) != 0 {
			t.Errorf("edit controls shown after forgetting the token: %v", got)
		}
		if got := p.evalString(t, `String(sessionStorage.getItem('stakegraph-token'))`); got != "null" {
			t.Errorf("sessionStorage token after forgetting: got %q", got)
		}
		// Unhide the controls as a user could with the developer tools.
		evalAs[bool](t, p, `(document.body.dataset.role = 'EDITOR', true)`)
		p.do(t, chromedp.Click(chromedp.ID("node-edit")))
		p.waitFor(t, `document.getElementById('node-form').dataset.state === 'ready'`)
		clearField(t, p, "node-desc")
		p.do(t, chromedp.SendKeys(chromedp.ID("node-desc"), "forced"), chromedp.Click(chromedp.ID("node-save")))
		waitFailed(t, "node-form", domain.EUNAUTHORIZED)
		if got := deref(s.country(t, "organization:lac4").Description); got == "forced" {
			t.Errorf("server: description %q after a refused write", got)
		}
		evalAs[bool](t, p, `(document.body.dataset.role = '', true)`)
	})

	webtest.Step(t, "an admin retires the node in focus", func(t *testing.T) {
		const org = "organization:lac4"
		useToken(t, s.admin, "ADMIN")
		if got := p.evalString(t, `document.getElementById('node-panel').dataset.nodeId`); got != org {
			t.Fatalf("node panel: got %q, want %s", got, org)
		}
		// No reason: the server's message and code; the node stays.
		p.do(t, chromedp.Click(chromedp.ID("node-retire")))
		msg := waitFailed(t, "node-retire-form", domain.EINVALID)
		if !strings.Contains(msg, "reason") {
			t.Errorf("message without a reason: got %q, want it to name the reason", msg)
		}
		p.do(t, chromedp.SendKeys(chromedp.ID("node-retire-reason"), "merged into another body"), chromedp.Click(chromedp.ID("node-retire")))
		waitSaved(t, "node-retire-form")
		p.noError(t)
		if got := p.drawn(t); len(got.Nodes) != 0 || p.evalString(t, `window.stakegraphExplorer.state().focus`) != "" {
			t.Errorf("view after retiring the focus: got %v, focus %q; want it empty", got, p.evalString(t, `window.stakegraphExplorer.state().focus`))
		}
		if !evalAs[bool](t, p, `document.getElementById('node-panel').hidden`) {
			t.Error("the node panel still shows the retired node")
		}
		if code := s.errorCode(t, `query($id: ID!) { stakeholder(id: $id) { id } }`, map[string]any{"id": org}); code != domain.ENOTFOUND {
			t.Errorf("server after retiring %s: got code %q, want %s", org, code, domain.ENOTFOUND)
		}
	})

	p.checkNoExceptions(t)
	t.Logf("editing test took %v", time.Since(start).Round(time.Millisecond))
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// clearField empties a text field, as selecting its text and deleting it would.
func clearField(tb testing.TB, p *browserPage, id string) {
	tb.Helper()
	evalAs[bool](tb, p, fmt.Sprintf(`(() => { const e = document.getElementById(%s);
		e.value = ''; e.dispatchEvent(new Event('input', { bubbles: true })); return true; })()`, webtest.JS(id)))
}

// allowedTypes are the relation types the domain lets join a node of kind
// from to one of kind to, in the schema's order.
func allowedTypes(from, to domain.Kind) []string {
	out := []string{}
	for _, t := range domain.RelationTypes {
		f, k, ok := domain.EndKinds(t)
		if (ok && slices.Contains(f, from) && slices.Contains(k, to)) || (!ok && from == to) {
			out = append(out, string(t))
		}
	}
	return out
}
