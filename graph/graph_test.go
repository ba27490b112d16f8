package graph_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/memstore"
)

// gqlError is one entry of a response's errors.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

func (e gqlError) code() string {
	c, _ := e.Extensions["code"].(string)
	return c
}

// response is a decoded GraphQL response with the HTTP status it came with.
type response struct {
	Status     int
	Data       json.RawMessage `json:"data"`
	Errors     []gqlError      `json:"errors"`
	Extensions map[string]any  `json:"extensions"`
}

var shipped = sync.OnceValues(func() (domain.Store, error) {
	g, err := dataset.Shipped()
	if err != nil {
		return nil, err
	}
	return memstore.New(g)
})

// shippedStore is the memory store over the shipped dataset, built once.
func shippedStore(tb testing.TB) domain.Store {
	tb.Helper()
	s, err := shipped()
	if err != nil {
		tb.Fatalf("loading the shipped dataset: %v", err)
	}
	return s
}

// newHandler is the handler over the shipped data with default options.
func newHandler(tb testing.TB) http.Handler {
	tb.Helper()
	return graph.NewHandler(shippedStore(tb), graph.HandlerOptions{})
}

// post sends query with variables as a JSON POST.
func post(tb testing.TB, h http.Handler, query string, vars map[string]any) response {
	tb.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		tb.Fatalf("encoding request: %v", err)
	}
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	return serve(tb, h, req)
}

// get sends query with variables as a GET.
func get(tb testing.TB, h http.Handler, query string, vars map[string]any) response {
	tb.Helper()
	params := url.Values{"query": {query}}
	if vars != nil {
		b, err := json.Marshal(vars)
		if err != nil {
			tb.Fatalf("encoding variables: %v", err)
		}
		params.Set("variables", string(b))
	}
	return serve(tb, h, httptest.NewRequest(http.MethodGet, "/graphql?"+params.Encode(), nil))
}

func serve(tb testing.TB, h http.Handler, req *http.Request) response {
	tb.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return decode(tb, w)
}

// decode reads the GraphQL response a handler recorded.
func decode(tb testing.TB, w *httptest.ResponseRecorder) response {
	tb.Helper()
	resp := response{Status: w.Code}
	if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
		tb.Fatalf("decoding response (status %d) %q: %v", w.Code, w.Body.String(), err)
	}
	return resp
}

// mustData fails unless resp has no errors, then decodes its data into T.
func mustData[T any](tb testing.TB, resp response) T {
	tb.Helper()
	if len(resp.Errors) > 0 {
		tb.Fatalf("got errors %+v, want none", resp.Errors)
	}
	if resp.Status != http.StatusOK {
		tb.Fatalf("got status %d, want %d", resp.Status, http.StatusOK)
	}
	var data T
	if err := json.Unmarshal(resp.Data, &data); err != nil {
		tb.Fatalf("decoding data %s: %v", resp.Data, err)
	}
	return data
}

// Shapes shared by the root-field tests.
type (
	idName struct {
		Typename string `json:"__typename"`
		ID       string `json:"id"`
		Kind     string `json:"kind"`
		Name     string `json:"name"`
	}
	evidence struct {
		SourceID string `json:"sourceId"`
		Quote    string `json:"quote"`
		Source   struct {
			ID  string  `json:"id"`
			URL *string `json:"url"`
		} `json:"source"`
	}
	graphNode struct {
		ID    string `json:"id"`
		Kind  string `json:"kind"`
		Label string `json:"label"`
	}
	graphEdge struct {
		ID       string     `json:"id"`
		Type     string     `json:"type"`
		Source   string     `json:"source"`
		Target   string     `json:"target"`
		Evidence []evidence `json:"evidence"`
	}
	relation struct {
		Type      string     `json:"type"`
		Direction string     `json:"direction"`
		Node      idName     `json:"node"`
		Evidence  []evidence `json:"evidence"`
	}
)

func TestNode(t *testing.T) {
	h := newHandler(t)
	data := mustData[struct {
		Hungary *idName `json:"hungary"`
		Absent  *idName `json:"absent"`
	}](t, post(t, h, `{
		hungary: node(id: "country:hungary") { id ... on Stakeholder { kind name __typename } }
		absent: node(id: "country:atlantis") { id }
	}`, nil))
	if data.Hungary == nil || data.Hungary.ID != "country:hungary" {
		t.Fatalf("got node %+v, want country:hungary", data.Hungary)
	}
	if data.Hungary.Typename != "Country" || data.Hungary.Kind != "Country" {
		t.Errorf("got __typename %q kind %q, want Country for both", data.Hungary.Typename, data.Hungary.Kind)
	}
	if data.Absent != nil {
		t.Errorf("got %+v for an absent id, want null", data.Absent)
	}
}

func TestStakeholderKinds(t *testing.T) {
	// Every kind resolves to the GraphQL type of the same name.
	h := newHandler(t)
	for _, kind := range domain.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			page := mustData[struct {
				Stakeholders struct {
					Edges []struct{ Node idName } `json:"edges"`
				} `json:"stakeholders"`
			}](t, post(t, h, `query($k: Kind!) {
				stakeholders(filter: {kinds: [$k]}, first: 1) { edges { node { id } } }
			}`, map[string]any{"k": kind}))
			if len(page.Stakeholders.Edges) == 0 {
				t.Fatalf("the shipped data has no %s; this test needs one of each kind", kind)
			}
			id := page.Stakeholders.Edges[0].Node.ID
			got := mustData[struct{ Stakeholder idName }](t, post(t, h,
				`query($id: ID!) { stakeholder(id: $id) { __typename id kind name } }`, map[string]any{"id": id}))
			if got.Stakeholder.Typename != string(kind) || got.Stakeholder.Kind != string(kind) {
				t.Errorf("got __typename %q kind %q for %s, want %s", got.Stakeholder.Typename, got.Stakeholder.Kind, id, kind)
			}
		})
	}
}

func TestSearch(t *testing.T) {
	h := newHandler(t)
	tests := []struct {
		query string
		kinds []string
		want  string // ID of the first hit
	}{
		{"paccto", nil, "programme:el-paccto"},
		{"relaciones exteriores", nil, "organization:ministry-foreign-affairs-ecuador"},
		{"RELACIONES exteriores", []string{"Organization"}, "organization:ministry-foreign-affairs-ecuador"},
		{"hungary", []string{"Country"}, "country:hungary"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			data := mustData[struct {
				Search []struct {
					Score float64
					Node  idName
				}
			}](t, post(t, h, `query($q: String!, $k: [Kind!]) {
				search(query: $q, kinds: $k) { score node { id kind name } }
			}`, map[string]any{"q": tt.query, "k": tt.kinds}))
			if len(data.Search) == 0 {
				t.Fatalf("got no hits, want %s first", tt.want)
			}
			if got := data.Search[0].Node.ID; got != tt.want {
				t.Errorf("got first hit %s, want %s", got, tt.want)
			}
			for i, hit := range data.Search {
				if len(tt.kinds) > 0 && !slices.Contains(tt.kinds, hit.Node.Kind) {
					t.Errorf("hit %d is a %s, want one of %v", i, hit.Node.Kind, tt.kinds)
				}
				if i > 0 && hit.Score > data.Search[i-1].Score {
					t.Errorf("hit %d scores %v, more than hit %d (%v)", i, hit.Score, i-1, data.Search[i-1].Score)
				}
			}
		})
	}
}

func TestSearchFirst(t *testing.T) {
	h := newHandler(t)
	for _, tt := range []struct {
		first string
		max   int
	}{{"", 10}, {"first: 1", 1}, {"first: 2", 2}, {"first: null", 10}} {
		data := mustData[struct{ Search []struct{ Score float64 } }](t,
			post(t, h, `{ search(query: "e", `+tt.first+`) { score } }`, nil))
		if len(data.Search) > tt.max || len(data.Search) == 0 {
			t.Errorf("%q: got %d hits, want 1 to %d", tt.first, len(data.Search), tt.max)
		}
	}
}

type connection struct {
	Stakeholders struct {
		TotalCount int `json:"totalCount"`
		Edges      []struct {
			Cursor string `json:"cursor"`
			Node   idName `json:"node"`
		} `json:"edges"`
		PageInfo struct {
			HasNextPage bool    `json:"hasNextPage"`
			EndCursor   *string `json:"endCursor"`
		} `json:"pageInfo"`
	}
}

func TestStakeholdersPaging(t *testing.T) {
	// Walking the pages visits every matching stakeholder once, in ID order.
	h := newHandler(t)
	const q = `query($after: String) {
		stakeholders(filter: {kinds: [Country, Organization]}, first: 7, after: $after) {
			totalCount edges { cursor node { id kind } } pageInfo { hasNextPage endCursor }
		}
	}`
	var ids []string
	var after any
	for page := 0; ; page++ {
		if page > 50 {
			t.Fatalf("still paging after %d pages", page)
		}
		data := mustData[connection](t, post(t, h, q, map[string]any{"after": after}))
		c := data.Stakeholders
		for _, e := range c.Edges {
			if e.Cursor != e.Node.ID {
				t.Errorf("got cursor %q for %s, want the ID", e.Cursor, e.Node.ID)
			}
			if e.Node.Kind != "Country" && e.Node.Kind != "Organization" {
				t.Errorf("got %s of kind %s, want Country or Organization", e.Node.ID, e.Node.Kind)
			}
			ids = append(ids, e.Node.ID)
		}
		if !c.PageInfo.HasNextPage {
			if len(ids) != c.TotalCount {
				t.Errorf("got %d stakeholders over all pages, want totalCount %d", len(ids), c.TotalCount)
			}
			break
		}
		if len(c.Edges) != 7 || c.PageInfo.EndCursor == nil || *c.PageInfo.EndCursor != c.Edges[6].Cursor {
			t.Fatalf("got page %+v, want 7 edges and endCursor = last cursor", c)
		}
		after = *c.PageInfo.EndCursor
	}
	if !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != len(ids) {
		t.Errorf("got IDs %v, want each once in order", ids)
	}
}

func TestStakeholdersFilter(t *testing.T) {
	h := newHandler(t)
	data := mustData[connection](t, post(t, h, `{
		stakeholders(filter: {connectedTo: "programme:el-paccto"}, first: 100) { totalCount edges { node { id } } }
	}`, nil))
	if data.Stakeholders.TotalCount == 0 || len(data.Stakeholders.Edges) != data.Stakeholders.TotalCount {
		t.Errorf("got %d of %d stakeholders connected to programme:el-paccto, want all of at least one",
			len(data.Stakeholders.Edges), data.Stakeholders.TotalCount)
	}
	data = mustData[connection](t, post(t, h, `{
		stakeholders(filter: {organizationTypes: [MINISTRY]}) { edges { node { ... on Organization { id orgType } } } }
	}`, nil))
	if len(data.Stakeholders.Edges) == 0 {
		t.Errorf("got no ministries, want some")
	}
}

func TestNeighborhood(t *testing.T) {
	h := newHandler(t)
	data := mustData[struct {
		Neighborhood struct {
			Nodes []graphNode
			Edges []graphEdge
		}
	}](t, post(t, h, `{
		neighborhood(id: "event:iii-round-table-2023", depth: 1) {
			nodes { id kind label }
			edges { id type source target evidence { sourceId quote } }
		}
	}`, nil))
	sg := data.Neighborhood
	ids := map[string]bool{}
	for _, n := range sg.Nodes {
		ids[n.ID] = true
	}
	for _, want := range []string{"event:iii-round-table-2023", "country:hungary"} {
		if !ids[want] {
			t.Errorf("got nodes %v, want %s among them", sg.Nodes, want)
		}
	}
	if len(sg.Edges) == 0 {
		t.Fatalf("got no edges, want the relations among the nodes")
	}
	for _, e := range sg.Edges {
		if !ids[e.Source] || !ids[e.Target] {
			t.Errorf("edge %s joins %s and %s, want both among the nodes", e.ID, e.Source, e.Target)
		}
		if len(e.Evidence) == 0 {
			t.Errorf("edge %s has no evidence, want at least one", e.ID)
		}
	}
}

func TestPaths(t *testing.T) {
	h := newHandler(t)
	data := mustData[struct {
		Paths []struct {
			Length int
			Nodes  []graphNode
			Edges  []graphEdge
		}
	}](t, post(t, h, `{
		paths(from: "country:hungary", to: "programme:el-paccto") {
			length nodes { id } edges { id source target evidence { quote source { id url } } }
		}
	}`, nil))
	if len(data.Paths) == 0 {
		t.Fatalf("got no paths from country:hungary to programme:el-paccto, want some")
	}
	if len(data.Paths) > 5 {
		t.Errorf("got %d paths, want at most the default limit 5", len(data.Paths))
	}
	for i, p := range data.Paths {
		if p.Length != len(p.Edges) || len(p.Nodes) != len(p.Edges)+1 || p.Length > 4 {
			t.Errorf("path %d: got length %d with %d nodes and %d edges, want length = edges = nodes-1 ≤ 4",
				i, p.Length, len(p.Nodes), len(p.Edges))
			continue
		}
		if p.Nodes[0].ID != "country:hungary" || p.Nodes[len(p.Nodes)-1].ID != "programme:el-paccto" {
			t.Errorf("path %d runs %s → %s, want country:hungary → programme:el-paccto", i, p.Nodes[0].ID, p.Nodes[len(p.Nodes)-1].ID)
		}
		for j, e := range p.Edges {
			a, b := p.Nodes[j].ID, p.Nodes[j+1].ID
			if !(e.Source == a && e.Target == b) && !(e.Source == b && e.Target == a) {
				t.Errorf("path %d edge %d joins %s–%s, want %s–%s", i, j, e.Source, e.Target, a, b)
			}
			if len(e.Evidence) == 0 || e.Evidence[0].Quote == "" || e.Evidence[0].Source.ID == "" {
				t.Errorf("path %d edge %s: got evidence %+v, want a quote and its source", i, e.ID, e.Evidence)
			}
		}
	}
}

func TestCooperation(t *testing.T) {
	h := newHandler(t)
	data := mustData[struct {
		Cooperation []struct {
			Partner  idName
			Via      *idName
			Topics   []idName
			Evidence []evidence
			Edges    []graphEdge
		}
	}](t, post(t, h, `{
		cooperation(actor: "country:ecuador", partner: "country:spain") {
			partner { id name } via { id kind name } topics { id }
			evidence { sourceId quote source { id } } edges { id source target }
		}
	}`, nil))
	if len(data.Cooperation) == 0 {
		t.Fatalf("got no cooperation between country:ecuador and country:spain, want some")
	}
	for i, c := range data.Cooperation {
		if c.Partner.ID != "country:spain" {
			t.Errorf("row %d: got partner %s, want country:spain", i, c.Partner.ID)
		}
		if len(c.Evidence) == 0 || len(c.Edges) == 0 {
			t.Errorf("row %d: got %d evidence and %d edges, want some of both", i, len(c.Evidence), len(c.Edges))
		}
		for _, e := range c.Evidence {
			if e.SourceID != e.Source.ID {
				t.Errorf("row %d: evidence sourceId %s but source %s", i, e.SourceID, e.Source.ID)
			}
		}
	}
}

func TestTypedRelations(t *testing.T) {
	h := newHandler(t)
	data := mustData[struct {
		Event struct {
			Attendees []relation
			Relations []relation
		} `json:"event"`
		Programme struct {
			Funders      []relation
			Implementers []relation
		} `json:"programme"`
	}](t, post(t, h, `{
		event: stakeholder(id: "event:iii-round-table-2023") {
			... on Event { attendees { type direction node { id kind } evidence { quote } } }
			relations(direction: IN) { type direction node { id } }
		}
		programme: stakeholder(id: "programme:el-paccto") {
			... on Programme { funders { type direction node { id } } implementers { type node { id } } }
		}
	}`, nil))
	var attendees []string
	for _, r := range data.Event.Attendees {
		if r.Type != "ATTENDED" || r.Direction != "IN" {
			t.Errorf("attendee %s: got %s %s, want ATTENDED IN", r.Node.ID, r.Type, r.Direction)
		}
		if len(r.Evidence) == 0 {
			t.Errorf("attendee %s has no evidence", r.Node.ID)
		}
		attendees = append(attendees, r.Node.ID)
	}
	if !slices.Contains(attendees, "country:hungary") {
		t.Errorf("got attendees %v, want country:hungary among them", attendees)
	}
	for _, r := range data.Event.Relations {
		if r.Direction != "IN" {
			t.Errorf("relations(direction: IN) gave %s %s", r.Type, r.Direction)
		}
	}
	if len(data.Event.Relations) < len(data.Event.Attendees) {
		t.Errorf("got %d incoming relations, want at least the %d attendees", len(data.Event.Relations), len(data.Event.Attendees))
	}
	for _, r := range data.Programme.Funders {
		if r.Type != "FUNDS" || r.Direction != "IN" {
			t.Errorf("funder %s: got %s %s, want FUNDS IN", r.Node.ID, r.Type, r.Direction)
		}
	}
}

func TestIntrospectionDescribesEverything(t *testing.T) {
	// Analysts read the schema in the playground: every type, field and
	// argument we define has a description.
	h := newHandler(t)
	data := mustData[struct {
		Schema struct {
			Types []struct {
				Name        string
				Description *string
				Fields      []struct {
					Name        string
					Description *string
					Args        []struct {
						Name        string
						Description *string
					}
				}
				InputFields []struct {
					Name        string
					Description *string
				}
				EnumValues []struct {
					Name        string
					Description *string
				}
			}
		} `json:"__schema"`
	}](t, get(t, h, `{ __schema { types {
		name description
		fields { name description args { name description } }
		inputFields { name description }
		enumValues { name description }
	} } }`, nil))
	builtin := map[string]bool{"String": true, "Int": true, "Float": true, "Boolean": true, "ID": true}
	for _, ty := range data.Schema.Types {
		if strings.HasPrefix(ty.Name, "__") || builtin[ty.Name] {
			continue
		}
		if ty.Description == nil || *ty.Description == "" {
			t.Errorf("type %s has no description", ty.Name)
		}
		for _, f := range ty.Fields {
			if f.Description == nil || *f.Description == "" {
				t.Errorf("field %s.%s has no description", ty.Name, f.Name)
			}
			for _, a := range f.Args {
				if a.Description == nil || *a.Description == "" {
					t.Errorf("argument %s.%s(%s) has no description", ty.Name, f.Name, a.Name)
				}
			}
		}
		for _, f := range ty.InputFields {
			if f.Description == nil || *f.Description == "" {
				t.Errorf("input field %s.%s has no description", ty.Name, f.Name)
			}
		}
		for _, v := range ty.EnumValues {
			if v.Description == nil || *v.Description == "" {
				t.Errorf("enum value %s.%s has no description", ty.Name, v.Name)
			}
		}
	}
}

func TestEnumsMatchDomain(t *testing.T) {
	// The GraphQL enums list exactly the domain values, so a value added to
	// the domain cannot be forgotten in the schema.
	h := newHandler(t)
	data := mustData[map[string]*struct {
		EnumValues []struct{ Name string } `json:"enumValues"`
	}](t, post(t, h, `{
		kind: __type(name: "Kind") { enumValues { name } }
		relationType: __type(name: "RelationType") { enumValues { name } }
		organizationType: __type(name: "OrganizationType") { enumValues { name } }
	}`, nil))
	want := map[string][]string{"kind": nil, "relationType": nil, "organizationType": nil}
	for _, k := range domain.Kinds {
		want["kind"] = append(want["kind"], string(k))
	}
	for _, r := range append(slices.Clone(domain.RelationTypes), domain.RelCongruence, domain.RelConflict) {
		want["relationType"] = append(want["relationType"], string(r))
	}
	for _, o := range domain.OrgTypes {
		want["organizationType"] = append(want["organizationType"], string(o))
	}
	for name, values := range want {
		var got []string
		for _, v := range data[name].EnumValues {
			got = append(got, v.Name)
		}
		if !slices.Equal(got, values) {
			t.Errorf("%s: got %v, want %v", name, got, values)
		}
	}
}

func TestSchemaExamplesExist(t *testing.T) {
	// The IDs the schema descriptions give as examples are real, so an
	// analyst copying one from the playground docs gets an answer.
	schema, err := os.ReadFile("../schema.graphqls")
	if err != nil {
		t.Fatalf("reading the schema: %v", err)
	}
	examples := regexp.MustCompile("`([a-z]+:[a-z0-9]+(?:-[a-z0-9]+)*)`").FindAllStringSubmatch(string(schema), -1)
	if len(examples) == 0 {
		t.Fatalf("found no example IDs in the schema")
	}
	h := newHandler(t)
	for _, m := range examples {
		if m[1] == "kind:slug" {
			continue
		}
		data := mustData[struct{ Node *idName }](t, post(t, h,
			`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": m[1]}))
		if data.Node == nil {
			t.Errorf("schema example %s is not in the shipped data", m[1])
		}
	}
}

func TestDates(t *testing.T) {
	h := newHandler(t)
	data := mustData[struct {
		Agreement struct {
			Start *string
			End   *string
		}
	}](t, post(t, h, `{
		agreement: stakeholder(id: "agreement:europol-ecuador-working-agreement") { ... on Agreement { start end } }
	}`, nil))
	if data.Agreement.Start == nil || *data.Agreement.Start != "2023-10-26" {
		t.Errorf("got start %v, want \"2023-10-26\"", data.Agreement.Start)
	}
}
