package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/internal/auth"
	"github.com/stakegraph/stakegraph/internal/boltstore"
	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
)

// The tokens of the write tests, one per role.
type testTokens struct {
	reader, editor, admin string
	set                   *auth.Tokens
}

func newTokens(tb testing.TB) testTokens {
	tb.Helper()
	var t testTokens
	var lines []string
	for _, tok := range []struct {
		dst  *string
		role domain.Role
	}{{&t.reader, domain.RoleReader}, {&t.editor, domain.RoleEditor}, {&t.admin, domain.RoleAdmin}} {
		token, err := auth.NewToken()
		if err != nil {
			tb.Fatal(err)
		}
		*tok.dst = token
		lines = append(lines, auth.Line(string(tok.role)+"-user", tok.role, token))
	}
	set, err := auth.Parse(strings.NewReader(strings.Join(lines, "\n")), "tokens")
	if err != nil {
		tb.Fatalf("parsing tokens: %v", err)
	}
	t.set = set
	return t
}

// writeSetup is a handler over a store taking writes, with tokens.
type writeSetup struct {
	h      http.Handler
	store  *boltstore.Store
	tokens testTokens
}

// newDurableStore is the durable embedded store over the shipped data, in
// a directory of the test's own.
func newDurableStore(tb testing.TB) *boltstore.Store {
	tb.Helper()
	d, err := dataset.ShippedDataset()
	if err != nil {
		tb.Fatalf("loading the shipped dataset: %v", err)
	}
	store, err := boltstore.Open(context.Background(), tb.TempDir(), boltstore.Base{Graph: d.Graph, Texts: d.SourceTexts}, boltstore.Options{})
	if err != nil {
		tb.Fatalf("opening the store: %v", err)
	}
	tb.Cleanup(func() { _ = store.Close(context.Background()) })
	return store
}

func newWriteSetup(tb testing.TB, opts graph.HandlerOptions) writeSetup {
	tb.Helper()
	s := writeSetup{store: newDurableStore(tb), tokens: newTokens(tb)}
	if opts.Tokens == nil {
		opts.Tokens = s.tokens.set
	}
	s.h = graph.NewHandler(s.store, opts)
	return s
}

// postAs sends query as a POST with the bearer token ("" for none).
func postAs(tb testing.TB, h http.Handler, token, query string, vars map[string]any) response {
	tb.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		tb.Fatalf("encoding request: %v", err)
	}
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return serve(tb, h, req)
}

// errorCode is the code of the response's only error, "" when none.
func errorCode(tb testing.TB, resp response) string {
	tb.Helper()
	switch len(resp.Errors) {
	case 0:
		return ""
	case 1:
		return resp.Errors[0].code()
	}
	tb.Fatalf("got %d errors %+v, want at most one", len(resp.Errors), resp.Errors)
	return ""
}

func dataVersion(tb testing.TB, resp response) int64 {
	tb.Helper()
	v, ok := resp.Extensions["dataVersion"].(float64)
	if !ok {
		tb.Fatalf("extensions.dataVersion: got %v, want a number", resp.Extensions["dataVersion"])
	}
	return int64(v)
}

// The source text and quotes the write tests use.
const (
	fieldNoteText = "Field note, Lima, May 2024.\n\nEcuador attended the Lima summit\non port security, and Spain chaired it.\nPeru sent observers."
	quoteEcuador  = "Ecuador attended the Lima summit on port security"
	quoteSpain    = "Spain chaired it."
)

const (
	mAddSource = `mutation($text: String!) { addSource(input: {title: "Field note Lima 2024", url: "https://example.org/note", publisher: "Field team", published: "2024-05", language: "en", text: $text}) {
		change { seq at actor role action target reason reverts steps { target operation before { node { id } } after { node { id name url language start } textLength } } }
		source { id name url publisher published language text version } } }`
	mUpsertSummit = `mutation($v: Int) { upsertStakeholder(input: {kind: Event, name: "Lima summit on port security", location: "Lima", start: "2024-05-14"}, expectedVersion: $v) {
		change { seq at action target steps { operation before { node { location } } after { node { location } } } }
		stakeholder { id name version ... on Event { location start } } } }`
	mAddRelation = `mutation($quote: String!) { addRelation(input: {type: ATTENDED, from: "country:ecuador", to: "event:lima-summit-on-port-security", start: "2024-05-14", confidence: HIGH, evidence: [{source: "source:field-note-lima-2024", quote: $quote}]}) {
		change { seq at action target steps { operation after { relation { id type from to confidence evidence { sourceId quote } } } } }
		relation { id source target type version evidence { sourceId quote source { id name } } } } }`
	mUpdateRelation = `mutation($v: Int!) { updateRelation(id: "country:ecuador|ATTENDED|event:lima-summit-on-port-security", input: {role: "host", confidence: MEDIUM}, expectedVersion: $v) {
		change { seq at action steps { operation before { relation { role confidence } } after { relation { role confidence } } } }
		relation { role confidence version } } }`
	mAddEvidence = `mutation($quote: String!) { addEvidence(relationId: "country:ecuador|ATTENDED|event:lima-summit-on-port-security", evidence: [{source: "source:field-note-lima-2024", quote: $quote}]) {
		change { seq at action } relation { evidence { quote } } } }`
	mRetireRelation = `mutation { retireRelation(id: "country:ecuador|ATTENDED|event:lima-summit-on-port-security", reason: "the note is about another summit") {
		change { seq at action reason steps { operation before { relation { id } } after { relation { id } } } } relation { id } } }`
	mRevert = `mutation($seq: Int!) { revert(changeId: $seq, reason: "the note was right after all") {
		change { seq at action reverts steps { operation target } } reverted { seq action } } }`
	mRetireStakeholder = `mutation { retireStakeholder(id: "event:lima-summit-on-port-security", reason: "duplicate of another event") {
		change { seq at action target steps { target operation } } stakeholder { id } } }`
)

// TestWriteWalkthrough performs every mutation in turn and checks each
// answer, the change it records and what reads see afterwards.
func TestWriteWalkthrough(t *testing.T) {
	s := newWriteSetup(t, graph.HandlerOptions{})
	ed, ad := s.tokens.editor, s.tokens.admin

	resp := postAs(t, s.h, ed, mAddSource, map[string]any{"text": fieldNoteText})
	src := mustData[struct {
		AddSource struct {
			Change struct {
				Seq     int
				Actor   string
				Role    string
				Action  string
				Target  string
				Reason  *string
				Reverts *int
				Steps   []struct {
					Target, Operation string
					Before            *struct{ Node struct{ ID string } }
					After             struct {
						Node       struct{ ID, Name, URL, Language, Start string }
						TextLength int
					}
				}
			}
			Source struct {
				ID, Name, URL, Publisher, Published, Language, Text string
				Version                                             int
			}
		}
	}](t, resp).AddSource
	if got := dataVersion(t, resp); got != 1 {
		t.Errorf("addSource: extensions.dataVersion = %d, want 1", got)
	}
	c := src.Change
	if c.Seq != 1 || c.Actor != "editor-user" || c.Role != "EDITOR" || c.Action != "ADD_SOURCE" || c.Target != "source:field-note-lima-2024" || c.Reason != nil || c.Reverts != nil {
		t.Errorf("addSource change: got %+v", c)
	}
	if len(c.Steps) != 1 || c.Steps[0].Operation != "CREATED" || c.Steps[0].Before != nil || c.Steps[0].After.TextLength != len(fieldNoteText) || c.Steps[0].After.Node.Language != "en" {
		t.Errorf("addSource steps: got %+v", c.Steps)
	}
	if src.Source.ID != "source:field-note-lima-2024" || src.Source.Text != fieldNoteText || src.Source.Published != "2024-05" || src.Source.Version != 1 {
		t.Errorf("addSource source: got %+v", src.Source)
	}

	resp = postAs(t, s.h, ed, mUpsertSummit, nil)
	summit := mustData[struct {
		UpsertStakeholder struct {
			Change      struct{ Seq int }
			Stakeholder struct {
				ID, Name, Location, Start string
				Version                   int
			}
		}
	}](t, resp).UpsertStakeholder
	if summit.Stakeholder.ID != "event:lima-summit-on-port-security" || summit.Stakeholder.Location != "Lima" || summit.Stakeholder.Version != 2 || summit.Change.Seq != 2 {
		t.Errorf("upsertStakeholder: got %+v", summit)
	}

	resp = postAs(t, s.h, ed, mAddRelation, map[string]any{"quote": "Ecuador attended the Lima summit  \n on port security"})
	rel := mustData[struct {
		AddRelation struct {
			Change   struct{ Seq int }
			Relation struct {
				ID, Source, Target, Type string
				Version                  int
				Evidence                 []struct {
					SourceID, Quote string
					Source          struct{ ID, Name string }
				}
			}
		}
	}](t, resp).AddRelation
	if rel.Relation.ID != "country:ecuador|ATTENDED|event:lima-summit-on-port-security" || rel.Relation.Version != 3 ||
		len(rel.Relation.Evidence) != 1 || rel.Relation.Evidence[0].Source.Name != "Field note Lima 2024" {
		t.Errorf("addRelation: got %+v", rel)
	}
	// Reads see the new relation at once.
	ecuador := mustData[struct {
		Stakeholder struct {
			Relations []struct{ ID string }
		}
	}](t, post(t, s.h, `{ stakeholder(id: "country:ecuador") { relations(types: [ATTENDED]) { id } } }`, nil))
	if !containsID(ecuador.Stakeholder.Relations, rel.Relation.ID) {
		t.Errorf("Ecuador's ATTENDED relations after addRelation: got %+v, want %s among them", ecuador.Stakeholder.Relations, rel.Relation.ID)
	}

	resp = postAs(t, s.h, ed, mUpdateRelation, map[string]any{"v": rel.Relation.Version})
	upd := mustData[struct {
		UpdateRelation struct {
			Change struct {
				Seq   int
				Steps []struct {
					Operation     string
					Before, After struct {
						Relation struct {
							Role       *string
							Confidence string
						}
					}
				}
			}
			Relation struct {
				Role, Confidence string
				Version          int
			}
		}
	}](t, resp).UpdateRelation
	if st := upd.Change.Steps; len(st) != 1 || st[0].Operation != "UPDATED" || st[0].Before.Relation.Role != nil || st[0].Before.Relation.Confidence != "HIGH" ||
		*st[0].After.Relation.Role != "host" || upd.Relation.Confidence != "MEDIUM" || upd.Relation.Version != 4 {
		t.Errorf("updateRelation: got %+v", upd)
	}

	ev := mustData[struct {
		AddEvidence struct {
			Relation struct{ Evidence []struct{ Quote string } }
		}
	}](t, postAs(t, s.h, ed, mAddEvidence, map[string]any{"quote": "Peru sent observers."})).AddEvidence
	if len(ev.Relation.Evidence) != 2 {
		t.Errorf("addEvidence: got evidence %+v, want two pieces", ev.Relation.Evidence)
	}

	retired := mustData[struct {
		RetireRelation struct {
			Change struct {
				Seq    int
				Reason string
				Steps  []struct{ Operation string }
			}
			Relation *struct{ ID string }
		}
	}](t, postAs(t, s.h, ad, mRetireRelation, nil)).RetireRelation
	if retired.Relation != nil || retired.Change.Seq != 6 || retired.Change.Reason != "the note is about another summit" || retired.Change.Steps[0].Operation != "RETIRED" {
		t.Errorf("retireRelation: got %+v", retired)
	}
	if n := len(mustData[struct {
		Stakeholder struct{ Relations []struct{ ID string } }
	}](t, post(t, s.h, `{ stakeholder(id: "event:lima-summit-on-port-security") { relations { id } } }`, nil)).Stakeholder.Relations); n != 0 {
		t.Errorf("the summit's relations after retireRelation: got %d, want 0", n)
	}

	reverted := mustData[struct {
		Revert struct {
			Change struct {
				Seq, Reverts int
				Steps        []struct{ Operation, Target string }
			}
			Reverted struct {
				Seq    int
				Action string
			}
		}
	}](t, postAs(t, s.h, ad, mRevert, map[string]any{"seq": retired.Change.Seq})).Revert
	if reverted.Change.Reverts != 6 || reverted.Reverted.Action != "RETIRE_RELATION" || reverted.Change.Steps[0].Operation != "CREATED" {
		t.Errorf("revert: got %+v", reverted)
	}
	back := mustData[struct {
		Stakeholder struct {
			Relations []struct {
				ID       string
				Role     string
				Evidence []struct{ Quote string }
			}
		}
	}](t, post(t, s.h, `{ stakeholder(id: "event:lima-summit-on-port-security") { relations { id role evidence { quote } } } }`, nil))
	if r := back.Stakeholder.Relations; len(r) != 1 || r[0].Role != "host" || len(r[0].Evidence) != 2 {
		t.Errorf("the summit's relations after the revert: got %+v, want the relation as it was retired", r)
	}

	gone := mustData[struct {
		RetireStakeholder struct {
			Change struct {
				Steps []struct{ Target, Operation string }
			}
			Stakeholder *struct{ ID string }
		}
	}](t, postAs(t, s.h, ad, mRetireStakeholder, nil)).RetireStakeholder
	if st := gone.Change.Steps; gone.Stakeholder != nil || len(st) != 2 || st[0].Target != "event:lima-summit-on-port-security" || st[1].Operation != "RETIRED" {
		t.Errorf("retireStakeholder: got %+v, want the event's step first, then its relation's", gone)
	}
	resp = post(t, s.h, `{ stakeholder(id: "event:lima-summit-on-port-security") { id } }`, nil)
	if got := errorCode(t, resp); got != domain.ENOTFOUND {
		t.Errorf("reading a retired stakeholder: got code %q, want ENOTFOUND", got)
	}
	if got := dataVersion(t, resp); got != 8 {
		t.Errorf("extensions.dataVersion after 8 changes: got %d", got)
	}
}

func containsID(list []struct{ ID string }, id string) bool {
	for _, x := range list {
		if x.ID == id {
			return true
		}
	}
	return false
}

// seedWrites makes the walkthrough's first three changes: the source, the
// summit and Peru's attendance.
func seedWrites(tb testing.TB, s writeSetup) {
	tb.Helper()
	for _, m := range []struct {
		q    string
		vars map[string]any
	}{
		{mAddSource, map[string]any{"text": fieldNoteText}},
		{mUpsertSummit, nil},
		{mAddRelation, map[string]any{"quote": quoteEcuador}},
	} {
		mustData[map[string]any](tb, postAs(tb, s.h, s.tokens.editor, m.q, m.vars))
	}
}

// TestWriteErrors checks the code and message of every way a write can be
// refused once the token may make it.
func TestWriteErrors(t *testing.T) {
	s := newWriteSetup(t, graph.HandlerOptions{})
	seedWrites(t, s)
	relID := "country:ecuador|ATTENDED|event:lima-summit-on-port-security"
	tests := []struct {
		name, query string
		vars        map[string]any
		code, want  string // want: a part of the message
	}{
		{"quote not verbatim", mAddEvidence, map[string]any{"quote": "Ecuador chaired the Lima summit"}, domain.EINVALID, "evidence[1].quote"},
		{"quote from a source without text", `mutation { addEvidence(relationId: "` + relID + `", evidence: [{source: "source:nowhere", quote: "x"}]) { change { seq at } } }`, nil, domain.EINVALID, "evidence[1].source"},
		{"kinds the type may not join", `mutation { addRelation(input: {type: ATTENDED, from: "country:ecuador", to: "topic:maritime-security", confidence: LOW, evidence: [{source: "source:field-note-lima-2024", quote: "Peru sent observers."}]}) { change { seq at } } }`, nil, domain.EINVALID, "to:"},
		{"end not a node", `mutation { addRelation(input: {type: ATTENDED, from: "country:atlantis", to: "event:lima-summit-on-port-security", confidence: LOW, evidence: [{source: "source:field-note-lima-2024", quote: "Peru sent observers."}]}) { change { seq at } } }`, nil, domain.EINVALID, "from: country:atlantis is not a current node"},
		{"no evidence", `mutation { addRelation(input: {type: ATTENDED, from: "country:spain", to: "event:lima-summit-on-port-security", confidence: LOW, evidence: []}) { change { seq at } } }`, nil, domain.EINVALID, "evidence"},
		{"unknown enum value", `mutation { addRelation(input: {type: ATTENDED, from: "country:spain", to: "event:lima-summit-on-port-security", confidence: SURE, evidence: []}) { change { seq at } } }`, nil, "GRAPHQL_VALIDATION_FAILED", "Confidence"},
		{"unknown enum value in a variable", `mutation($in: RelationInput!) { addRelation(input: $in) { change { seq at } } }`, map[string]any{"in": map[string]any{"type": "ATTENDED", "from": "country:spain", "to": "event:lima-summit-on-port-security", "confidence": "SURE", "evidence": []any{}}}, "GRAPHQL_VALIDATION_FAILED", "$in.confidence: SURE is not a valid Confidence"},
		{"missing input field in a variable", `mutation($in: RelationInput!) { addRelation(input: $in) { change { seq at } } }`, map[string]any{"in": map[string]any{"type": "ATTENDED", "from": "country:spain", "confidence": "LOW", "evidence": []any{}}}, "GRAPHQL_VALIDATION_FAILED", "$in.to: must be defined"},
		{"bad date in a variable", `mutation($d: Date) { upsertStakeholder(input: {kind: Topic, name: "Port security", start: $d}) { change { seq at } } }`, map[string]any{"d": "2024-13"}, domain.EINVALID, "month 13"},
		{"field of another kind", `mutation { upsertStakeholder(input: {kind: Topic, name: "Port security", isoCode: "PE"}) { change { seq at } } }`, nil, domain.EINVALID, "isoCode"},
		{"source through upsertStakeholder", `mutation { upsertStakeholder(input: {kind: Source, name: "A note"}) { change { seq at } } }`, nil, domain.EINVALID, "addSource"},
		{"source without text", `mutation { addSource(input: {title: "Empty note", text: "  "}) { change { seq at } } }`, nil, domain.EINVALID, "text is required"},
		{"bad language tag", `mutation { addSource(input: {title: "Odd note", language: "not a tag!", text: "x"}) { change { seq at } } }`, nil, domain.EINVALID, "language"},
		{"taken ID", mUpsertSummit, nil, domain.ECONFLICT, "already exists"},
		{"taken source ID", mAddSource, map[string]any{"text": fieldNoteText}, domain.ECONFLICT, "already exists"},
		{"relation exists", mAddRelation, map[string]any{"quote": quoteEcuador}, domain.ECONFLICT, "already exists"},
		{"stale version", mUpsertSummit, map[string]any{"v": 1}, domain.ECONFLICT, "has changed since version 1"},
		{"stale relation version", mUpdateRelation, map[string]any{"v": 0}, domain.ECONFLICT, "at version 3"},
		{"negative version", mUpdateRelation, map[string]any{"v": -1}, domain.EINVALID, "expectedVersion"},
		{"nothing changes", mUpsertSummit, map[string]any{"v": 2}, domain.EINVALID, "changes nothing"},
		{"evidence already cited", mAddEvidence, map[string]any{"quote": quoteEcuador}, domain.ECONFLICT, "already cites"},
		{"unknown relation", `mutation { updateRelation(id: "country:ecuador|FUNDS|programme:seacop", input: {role: "x"}, expectedVersion: 0) { change { seq at } } }`, nil, domain.ENOTFOUND, "no current relation"},
		{"update unknown stakeholder", `mutation { upsertStakeholder(input: {kind: Topic, name: "Nothing here"}, expectedVersion: 0) { change { seq at } } }`, nil, domain.ENOTFOUND, "leave expectedVersion out"},
		{"retire without reason", `mutation { retireRelation(id: "` + relID + `", reason: " ") { change { seq at } } }`, nil, domain.EINVALID, "needs a reason"},
		{"revert unknown change", `mutation { revert(changeId: 99, reason: "why not") { change { seq at } } }`, nil, domain.ENOTFOUND, "no change 99"},
		{"retire a cited source", `mutation { retireStakeholder(id: "source:field-note-lima-2024", reason: "wrong file") { change { seq at } } }`, nil, domain.ECONFLICT, "cited by 1"},
		{"malformed ID", `mutation { retireStakeholder(id: "Lima", reason: "typo") { change { seq at } } }`, nil, domain.EINVALID, "kind:slug"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := postAs(t, s.h, s.tokens.admin, tt.query, tt.vars)
			if got := errorCode(t, resp); got != tt.code {
				t.Fatalf("code: got %q (%+v), want %q", got, resp.Errors, tt.code)
			}
			if msg := resp.Errors[0].Message; !strings.Contains(msg, tt.want) {
				t.Errorf("message: got %q, want it to contain %q", msg, tt.want)
			}
		})
	}
	// None of them changed anything.
	if v := dataVersion(t, post(t, s.h, `{ dataVersion }`, nil)); v != 3 {
		t.Errorf("data version after refused writes: got %d, want 3", v)
	}
}

// TestWriteAuthorization runs every mutation with no token, an unknown
// token and each role: each is refused with EUNAUTHORIZED or EFORBIDDEN
// until the role allows it, and then succeeds.
func TestWriteAuthorization(t *testing.T) {
	mutations := []struct {
		name  string
		query string
		vars  map[string]any
		admin bool // needs the admin role
	}{
		{"addSource", mAddSource, map[string]any{"text": fieldNoteText}, false},
		{"upsertStakeholder", mUpsertSummit, nil, false},
		{"addRelation", mAddRelation, map[string]any{"quote": quoteEcuador}, false},
		{"updateRelation", mUpdateRelation, map[string]any{"v": 3}, false},
		{"addEvidence", mAddEvidence, map[string]any{"quote": quoteSpain}, false},
		{"retireRelation", mRetireRelation, nil, true},
		{"revert", mRevert, map[string]any{"seq": 6}, true},
		{"retireStakeholder", mRetireStakeholder, nil, true},
	}
	for _, who := range []string{"none", "unknown", "reader", "editor", "admin"} {
		t.Run(who, func(t *testing.T) {
			s := newWriteSetup(t, graph.HandlerOptions{})
			token := map[string]string{"none": "", "unknown": "sg_not-a-token", "reader": s.tokens.reader,
				"editor": s.tokens.editor, "admin": s.tokens.admin}[who]
			for _, m := range mutations {
				resp := postAs(t, s.h, token, m.query, m.vars)
				want := ""
				switch {
				case who == "none" || who == "unknown":
					want = domain.EUNAUTHORIZED
				case who == "reader" || (who == "editor" && m.admin):
					want = domain.EFORBIDDEN
				}
				if got := errorCode(t, resp); got != want {
					t.Errorf("%s: got code %q (%+v), want %q", m.name, got, resp.Errors, want)
				}
			}
		})
	}
}

// TestWritesOffWithoutTokens: a server with no tokens reads, and refuses
// every write saying how to turn writes on.
func TestWritesOffWithoutTokens(t *testing.T) {
	h := graph.NewHandler(newDurableStore(t), graph.HandlerOptions{})
	for _, q := range []string{mUpsertSummit, mRetireStakeholder, `mutation { revert(changeId: 1, reason: "x") { change { seq at } } }`} {
		resp := postAs(t, h, "", q, nil)
		if got := errorCode(t, resp); got != domain.EUNAUTHORIZED {
			t.Fatalf("got code %q, want EUNAUTHORIZED", got)
		}
		if msg := resp.Errors[0].Message; !strings.Contains(msg, "--tokens") || !strings.Contains(msg, "stakegraph token") {
			t.Errorf("message %q does not say how to configure tokens", msg)
		}
	}
	if resp := post(t, h, `{ stakeholder(id: "country:ecuador") { name } }`, nil); len(resp.Errors) > 0 {
		t.Errorf("reads without tokens: got errors %+v", resp.Errors)
	}
}

// TestReadsWithTokens: an unknown token is refused on reads too; with
// RequireTokenForReads, a query needs a token of any role.
func TestReadsWithTokens(t *testing.T) {
	query := `{ stakeholder(id: "country:ecuador") { name } }`
	for _, tt := range []struct {
		name    string
		require bool
		token   func(testTokens) string
		want    string
	}{
		{"open, no token", false, func(testTokens) string { return "" }, ""},
		{"open, unknown token", false, func(testTokens) string { return "sg_nope" }, domain.EUNAUTHORIZED},
		{"open, reader", false, func(t testTokens) string { return t.reader }, ""},
		{"required, no token", true, func(testTokens) string { return "" }, domain.EUNAUTHORIZED},
		{"required, unknown token", true, func(testTokens) string { return "sg_nope" }, domain.EUNAUTHORIZED},
		{"required, reader", true, func(t testTokens) string { return t.reader }, ""},
		{"required, admin", true, func(t testTokens) string { return t.admin }, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newWriteSetup(t, graph.HandlerOptions{RequireTokenForReads: tt.require})
			if got := errorCode(t, postAs(t, s.h, tt.token(s.tokens), query, nil)); got != tt.want {
				t.Errorf("got code %q, want %q", got, tt.want)
			}
		})
	}
}

// TestWriteBodyLimit: a source text larger than the general body bound is
// accepted from an editor only.
func TestWriteBodyLimit(t *testing.T) {
	s := newWriteSetup(t, graph.HandlerOptions{})
	text := strings.Repeat("Ports of the Pacific coast share their cargo records. ", 20000) // about 1.1 MB
	query := `mutation($text: String!) { addSource(input: {title: "Long report", text: $text}) { source { id } } }`
	for _, tt := range []struct {
		token      string
		status     int
		wantSource bool
	}{
		{"", http.StatusRequestEntityTooLarge, false},
		{s.tokens.reader, http.StatusRequestEntityTooLarge, false},
		{s.tokens.editor, http.StatusOK, true},
	} {
		resp := postAs(t, s.h, tt.token, query, map[string]any{"text": text})
		if resp.Status != tt.status {
			t.Errorf("status: got %d, want %d (%+v)", resp.Status, tt.status, resp.Errors)
		}
		if got := len(resp.Errors) == 0; got != tt.wantSource {
			t.Errorf("accepted: got %v, want %v (%+v)", got, tt.wantSource, resp.Errors)
		}
	}
}

// TestChangesPaging pages through the history and filters it by target.
func TestChangesPaging(t *testing.T) {
	s := newWriteSetup(t, graph.HandlerOptions{})
	seedWrites(t, s)
	mustData[map[string]any](t, postAs(t, s.h, s.tokens.editor, mUpdateRelation, map[string]any{"v": 3}))
	mustData[map[string]any](t, postAs(t, s.h, s.tokens.editor, mAddEvidence, map[string]any{"quote": quoteSpain}))

	type page struct {
		Changes []struct {
			Seq    int
			Action string
		}
		HasNextPage bool
		LastSeq     *int
	}
	var seqs []int
	since := 0
	for range 10 {
		p := mustData[struct{ Changes page }](t, post(t, s.h, `query($since: Int) { changes(since: $since, first: 2) { changes { seq action } hasNextPage lastSeq } }`,
			map[string]any{"since": since})).Changes
		for _, c := range p.Changes {
			seqs = append(seqs, c.Seq)
		}
		if !p.HasNextPage {
			break
		}
		since = *p.LastSeq
	}
	if want := []int{1, 2, 3, 4, 5}; fmt.Sprint(seqs) != fmt.Sprint(want) {
		t.Errorf("paged seqs: got %v, want %v", seqs, want)
	}

	byTarget := mustData[struct{ Changes page }](t, post(t, s.h, `{ changes(target: "country:ecuador|ATTENDED|event:lima-summit-on-port-security") { changes { seq action } hasNextPage } }`, nil)).Changes
	if got := fmt.Sprint(byTarget.Changes); got != "[{3 ADD_RELATION} {4 UPDATE_RELATION} {5 ADD_EVIDENCE}]" {
		t.Errorf("changes of the relation: got %s", got)
	}
	for _, q := range []string{`{ changes(first: 0) { hasNextPage } }`, `{ changes(first: 101) { hasNextPage } }`, `{ changes(since: -1) { hasNextPage } }`, `{ changes(target: "nowhere") { hasNextPage } }`} {
		if got := errorCode(t, post(t, s.h, q, nil)); got != domain.EINVALID {
			t.Errorf("%s: got code %q, want EINVALID", q, got)
		}
	}
}

// TestStakeholderHistory: a node's history holds its own changes and its
// relations', on the interface and on the kind's type alike.
func TestStakeholderHistory(t *testing.T) {
	s := newWriteSetup(t, graph.HandlerOptions{})
	seedWrites(t, s)
	type hist struct {
		Stakeholder struct {
			Version int
			History struct {
				Changes []struct {
					Seq    int
					Action string
				}
			}
			Event *struct {
				Changes []struct{ Seq int }
			}
		}
	}
	h := mustData[hist](t, post(t, s.h, `{ stakeholder(id: "event:lima-summit-on-port-security") { version history { changes { seq action } } ... on Event { event: history(first: 1) { changes { seq } } } } }`, nil))
	if got := fmt.Sprint(h.Stakeholder.History.Changes); got != "[{2 UPSERT_STAKEHOLDER} {3 ADD_RELATION}]" || h.Stakeholder.Version != 2 {
		t.Errorf("history of the summit: got %s, version %d", got, h.Stakeholder.Version)
	}
	ecuador := mustData[hist](t, post(t, s.h, `{ stakeholder(id: "country:ecuador") { version history { changes { seq action } } } }`, nil))
	if got := fmt.Sprint(ecuador.Stakeholder.History.Changes); got != "[{3 ADD_RELATION}]" || ecuador.Stakeholder.Version != 0 {
		t.Errorf("history of Ecuador: got %s, version %d (want its relation's change, version 0)", got, ecuador.Stakeholder.Version)
	}
}

// asKnownQuery reads what the walkthrough changes, in several fields.
const asKnownQuery = `{ dataVersion
	summit: search(query: "lima summit", kinds: [Event]) { node { id name version } }
	ecuador: stakeholder(id: "country:ecuador") { version relations(types: [ATTENDED]) { id role confidence evidence { quote } } }
	graph(kinds: [Event, Country]) { edges { id } }
	changes { changes { seq } } }`

// TestAsKnown records the answer to a query after each write, then asks
// for each earlier version by number and by the instant of its change, and
// checks the answer equals the one recorded then; by date, yesterday is the
// data as loaded and today the latest.
func TestAsKnown(t *testing.T) {
	s := newWriteSetup(t, graph.HandlerOptions{})
	answers := []string{string(mustData[json.RawMessage](t, post(t, s.h, asKnownQuery, nil)))}
	instants := []string{""}
	steps := []struct {
		token, query string
		vars         map[string]any
	}{
		{s.tokens.editor, mAddSource, map[string]any{"text": fieldNoteText}},
		{s.tokens.editor, mUpsertSummit, nil},
		{s.tokens.editor, mAddRelation, map[string]any{"quote": quoteEcuador}},
		{s.tokens.editor, mUpdateRelation, map[string]any{"v": 3}},
		{s.tokens.admin, mRetireRelation, nil},
	}
	for _, st := range steps {
		data := mustData[map[string]struct{ Change struct{ At string } }](t, postAs(t, s.h, st.token, st.query, st.vars))
		for _, payload := range data {
			instants = append(instants, payload.Change.At)
		}
		answers = append(answers, string(mustData[json.RawMessage](t, post(t, s.h, asKnownQuery, nil))))
	}
	for v, want := range answers {
		directives := []string{fmt.Sprintf("@asKnown(version: %d)", v)}
		if v > 0 {
			directives = append(directives, fmt.Sprintf("@asKnown(at: %q)", instants[v]))
		}
		for _, directive := range directives {
			resp := post(t, s.h, "query "+directive+" "+asKnownQuery, nil)
			if got := string(mustData[json.RawMessage](t, resp)); got != want {
				t.Errorf("%s:\n got %s\nwant %s", directive, got, want)
			}
			if got := dataVersion(t, resp); got != int64(v) {
				t.Errorf("%s: extensions.dataVersion = %d, want %d", directive, got, v)
			}
		}
	}
	now := time.Now().UTC()
	for _, tt := range []struct {
		day  time.Time
		want int
	}{{now.AddDate(0, 0, -1), 0}, {now, len(answers) - 1}} {
		directive := fmt.Sprintf("@asKnown(on: %q)", tt.day.Format(time.DateOnly))
		resp := post(t, s.h, "query "+directive+" "+asKnownQuery, nil)
		if got := string(mustData[json.RawMessage](t, resp)); got != answers[tt.want] {
			t.Errorf("%s:\n got %s\nwant %s", directive, got, answers[tt.want])
		}
	}
	// The variables form, and the errors.
	resp := post(t, s.h, `query($v: Int) @asKnown(version: $v) { dataVersion }`, map[string]any{"v": 2})
	if got := mustData[struct{ DataVersion int }](t, resp).DataVersion; got != 2 {
		t.Errorf("@asKnown(version: $v = 2): dataVersion = %d", got)
	}
	for _, q := range []string{
		`query @asKnown(version: 6) { dataVersion }`,
		`query @asKnown(version: -1) { dataVersion }`,
		`query @asKnown { dataVersion }`,
		`query @asKnown(version: 1, on: "2026-11-30") { dataVersion }`,
		`query @asKnown(on: "2026-13") { dataVersion }`,
		`query @asKnown(at: "yesterday") { dataVersion }`,
	} {
		if got := errorCode(t, post(t, s.h, q, nil)); got != domain.EINVALID {
			t.Errorf("%s: got code %q, want EINVALID", q, got)
		}
	}
}

// TestSourceTextAsKnown: a source's text under @asKnown is the text at the
// version read, even once the source is retired.
func TestSourceTextAsKnown(t *testing.T) {
	s := newWriteSetup(t, graph.HandlerOptions{})
	mustData[json.RawMessage](t, postAs(t, s.h, s.tokens.editor, mAddSource, map[string]any{"text": fieldNoteText}))
	mustData[json.RawMessage](t, postAs(t, s.h, s.tokens.admin, `mutation { retireStakeholder(id: "source:field-note-lima-2024", reason: "filed twice") { change { seq } } }`, nil))
	type answer struct {
		Stakeholder *struct{ Text *string }
	}
	const q = `{ stakeholder(id: "source:field-note-lima-2024") { ... on Source { text } } }`
	cases := []struct {
		directive string
		want      string // "" for no source
	}{
		{"", ""},
		{"@asKnown(version: 0)", ""},
		{"@asKnown(version: 1)", fieldNoteText},
		{"@asKnown(version: 2)", ""},
	}
	for _, c := range cases {
		resp := post(t, s.h, "query "+c.directive+" "+q, nil)
		if c.want == "" {
			if got := errorCode(t, resp); got != domain.ENOTFOUND {
				t.Errorf("%q: got code %q, want ENOTFOUND", c.directive, got)
			}
			continue
		}
		got := mustData[answer](t, resp).Stakeholder
		switch {
		case got == nil || got.Text == nil:
			t.Errorf("%q: got %+v, want the source with its text", c.directive, got)
		case *got.Text != c.want:
			t.Errorf("%q: text %q, want %q", c.directive, *got.Text, c.want)
		}
	}
}

// TestViewer: viewer names the token's holder and role, is null without a
// token and refuses a token the server does not know.
func TestViewer(t *testing.T) {
	s := newWriteSetup(t, graph.HandlerOptions{})
	const q = `{ viewer { name role writesEnabled } }`
	cases := []struct {
		token    string
		wantCode string
		want     string // JSON of data.viewer
	}{
		{"", "", `null`},
		{"not-a-token", domain.EUNAUTHORIZED, `null`},
		{s.tokens.reader, "", `{"name":"reader-user","role":"READER","writesEnabled":true}`},
		{s.tokens.editor, "", `{"name":"editor-user","role":"EDITOR","writesEnabled":true}`},
		{s.tokens.admin, "", `{"name":"admin-user","role":"ADMIN","writesEnabled":true}`},
	}
	for _, c := range cases {
		resp := postAs(t, s.h, c.token, q, nil)
		if got := errorCode(t, resp); got != c.wantCode {
			t.Errorf("token %q: got code %q, want %q", c.token, got, c.wantCode)
		}
		var data struct{ Viewer json.RawMessage }
		if c.wantCode == "" {
			if err := json.Unmarshal(resp.Data, &data); err != nil {
				t.Fatalf("decoding %s: %v", resp.Data, err)
			}
			if got := string(data.Viewer); got != c.want {
				t.Errorf("token %q: got viewer %s, want %s", c.token, got, c.want)
			}
		}
	}
}

// TestConcurrentWrites: many clients writing at once through the API lose
// nothing; every acknowledged change has its own seq and the history holds
// exactly them, without gaps.
func TestConcurrentWrites(t *testing.T) {
	s := newWriteSetup(t, graph.HandlerOptions{})
	const clients, each = 8, 6
	seqs := make(chan int, clients*each)
	done := make(chan struct{})
	for c := range clients {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range each {
				resp := postAs(t, s.h, s.tokens.editor, `mutation($name: String!) { upsertStakeholder(input: {kind: Topic, name: $name}) { change { seq } } }`,
					map[string]any{"name": fmt.Sprintf("Concurrent topic %d %d", c, i)})
				var data struct {
					UpsertStakeholder struct{ Change struct{ Seq int } }
				}
				if len(resp.Errors) > 0 || json.Unmarshal(resp.Data, &data) != nil {
					t.Errorf("client %d write %d: %+v", c, i, resp.Errors)
					continue
				}
				seqs <- data.UpsertStakeholder.Change.Seq
			}
		}()
	}
	for range clients {
		<-done
	}
	close(seqs)
	seen := map[int]bool{}
	for seq := range seqs {
		if seen[seq] {
			t.Errorf("seq %d acknowledged twice", seq)
		}
		seen[seq] = true
	}
	if len(seen) != clients*each {
		t.Fatalf("acknowledged %d writes, want %d", len(seen), clients*each)
	}
	for seq := 1; seq <= clients*each; seq++ {
		if !seen[seq] {
			t.Errorf("seq %d missing: the seqs have a gap", seq)
		}
	}
	total := mustData[struct {
		Stakeholders struct{ TotalCount int }
		DataVersion  int
	}](t, post(t, s.h, `{ stakeholders(filter: {kinds: [Topic]}, first: 1) { totalCount } dataVersion }`, nil))
	before := mustData[struct {
		Stakeholders struct{ TotalCount int }
	}](t, post(t, s.h, `query @asKnown(version: 0) { stakeholders(filter: {kinds: [Topic]}, first: 1) { totalCount } }`, nil))
	if total.DataVersion != clients*each || total.Stakeholders.TotalCount != before.Stakeholders.TotalCount+clients*each {
		t.Errorf("after %d writes: data version %d, %d topics (were %d)", clients*each, total.DataVersion, total.Stakeholders.TotalCount, before.Stakeholders.TotalCount)
	}
}
