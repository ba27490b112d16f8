// Package storetest is the conformance suite every domain.Store must pass.
// Run checks behaviour against the shipped dataset with expectations computed
// by a brute-force reference that shares no code with any store (only the
// domain's definitions: scopes, orderings, dates), then on a small
// hand-built graph whose answers are written out in the tests. Transcript
// renders a sweep of queries as text so two stores can be required to
// answer identically; Benchmark times each query shape.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
)

// OpenFunc returns a store holding exactly g.
type OpenFunc func(tb testing.TB, g *domain.Graph) domain.Store

// ShippedGraph loads the shipped dataset or fails the test.
func ShippedGraph(tb testing.TB) *domain.Graph {
	tb.Helper()
	g, err := dataset.Shipped()
	if err != nil {
		tb.Fatalf("load shipped dataset: %v", err)
	}
	return g
}

// Run runs the conformance suite against the store open returns: first on
// the shipped dataset, then on small hand-built graphs whose answers are
// written out in the tests. Each store is finished with before the next is
// opened, so open may reuse one database (the Neo4j tests re-seed it).
func Run(t *testing.T, open OpenFunc) {
	g := ShippedGraph(t)
	store := open(t, g)
	ref := newReference(g)
	ctx := context.Background()

	t.Run("Node", func(t *testing.T) { testNode(ctx, t, store, g) })
	t.Run("Nodes", func(t *testing.T) { testNodes(ctx, t, store) })
	t.Run("FindNodes", func(t *testing.T) { testFindNodes(ctx, t, store, ref) })
	t.Run("Search", func(t *testing.T) { testSearch(ctx, t, store) })
	t.Run("Relations", func(t *testing.T) { testRelations(ctx, t, store, ref) })
	t.Run("Related", func(t *testing.T) { testRelated(ctx, t, store, ref) })
	t.Run("Version", func(t *testing.T) { testVersion(ctx, t, store, g) })
	t.Run("Check", func(t *testing.T) { testCheck(ctx, t, store, g) })
	t.Run("Neighborhood", func(t *testing.T) { testNeighborhood(ctx, t, store, ref) })
	t.Run("Graph", func(t *testing.T) { testGraph(ctx, t, store, ref) })
	t.Run("Paths", func(t *testing.T) { testPaths(ctx, t, store, ref) })
	t.Run("Cooperation", func(t *testing.T) { testCooperation(ctx, t, store, ref) })
	t.Run("CommonConnections", func(t *testing.T) { testCommonConnections(ctx, t, store, ref) })
	t.Run("CoParticipation", func(t *testing.T) { testCoParticipation(ctx, t, store, ref) })
	t.Run("Timeline", func(t *testing.T) { testTimeline(ctx, t, store, ref) })
	t.Run("EuropolAgreementAsOf", func(t *testing.T) { testEuropolAgreementAsOf(ctx, t, store, ref) })
	t.Run("InvalidInput", func(t *testing.T) { testInvalidInput(ctx, t, store) })
	t.Run("NotFound", func(t *testing.T) { testNotFound(ctx, t, store) })
	t.Run("Cancelled", func(t *testing.T) { testCancelled(t, store) })
	t.Run("Statements", func(t *testing.T) { testStatements(ctx, t, store, g) })
	t.Run("DiscourseNetwork", func(t *testing.T) { testDiscourseNetwork(ctx, t, store) })

	t.Run("HandBuilt", func(t *testing.T) { testHandBuilt(ctx, t, open) })
	t.Run("FanOut", func(t *testing.T) { testFanOut(ctx, t, open) })
}

// wantCode fails unless err carries the code.
func wantCode(tb testing.TB, err error, code string) {
	tb.Helper()
	if got := domain.ErrorCode(err); got != code {
		tb.Fatalf("error code: got %q (%v), want %q", got, err, code)
	}
	var de *domain.Error
	if errors.As(err, &de) && strings.TrimSpace(de.Message) == "" {
		tb.Fatalf("error %v has an empty message", err)
	}
}

// noErr fails tb on an unexpected error.
func noErr(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatalf("unexpected error: %v", err)
	}
}

func ids[T any](items []T, id func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = id(it)
	}
	return out
}

func nodeIDs(nodes []*domain.Node) []string {
	return ids(nodes, func(n *domain.Node) string { return n.ID })
}

func relationIDs(rels []*domain.Relation) []string {
	return ids(rels, func(r *domain.Relation) string { return r.ID })
}

func testNode(ctx context.Context, t *testing.T, s domain.Store, g *domain.Graph) {
	for _, want := range g.Nodes {
		got, err := s.Node(ctx, want.ID)
		if err != nil {
			t.Fatalf("Node(%s): %v", want.ID, err)
		}
		if gotText, wantText := renderNode(got), renderNode(want); gotText != wantText {
			t.Errorf("Node(%s):\n got %s\nwant %s", want.ID, gotText, wantText)
		}
	}
	cases := []struct {
		id   string
		code string
	}{
		{"hungary", domain.EINVALID},
		{"planet:mars", domain.EINVALID},
		{"country:Hungary", domain.EINVALID},
		{"country:atlantis", domain.ENOTFOUND},
	}
	for _, c := range cases {
		_, err := s.Node(ctx, c.id)
		wantCode(t, err, c.code)
	}
}

func testNodes(ctx context.Context, t *testing.T, s domain.Store) {
	got, err := s.Nodes(ctx, []string{"country:spain", "country:atlantis", "country:ecuador"})
	if err != nil {
		t.Fatalf("Nodes: %v", err)
	}
	if len(got) != 3 || got[0] == nil || got[0].ID != "country:spain" || got[1] != nil || got[2] == nil || got[2].ID != "country:ecuador" {
		t.Fatalf("Nodes: got %v, want [country:spain <nil> country:ecuador]", got)
	}
}

func testFindNodes(ctx context.Context, t *testing.T, s domain.Store, ref *reference) {
	cases := []struct {
		name   string
		filter domain.NodeFilter
		want   func(*domain.Node) bool
	}{
		{"all", domain.NodeFilter{}, func(*domain.Node) bool { return true }},
		{"countries", domain.NodeFilter{Kinds: []domain.Kind{domain.KindCountry}},
			func(n *domain.Node) bool { return n.Kind == domain.KindCountry }},
		{"programmes and topics", domain.NodeFilter{Kinds: []domain.Kind{domain.KindProgramme, domain.KindTopic}},
			func(n *domain.Node) bool { return n.Kind == domain.KindProgramme || n.Kind == domain.KindTopic }},
		{"EU agencies", domain.NodeFilter{OrgTypes: []domain.OrgType{domain.OrgEUAgency}},
			func(n *domain.Node) bool { return n.OrgType == domain.OrgEUAgency }},
		{"connected to the round table", domain.NodeFilter{ConnectedTo: "event:iii-round-table-2023"},
			func(n *domain.Node) bool { return ref.adjacent("event:iii-round-table-2023", n.ID) }},
		{"countries connected to the round table", domain.NodeFilter{Kinds: []domain.Kind{domain.KindCountry}, ConnectedTo: "event:iii-round-table-2023"},
			func(n *domain.Node) bool {
				return n.Kind == domain.KindCountry && ref.adjacent("event:iii-round-table-2023", n.ID)
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var want []string
			for _, n := range ref.nodes {
				if c.want(n) {
					want = append(want, n.ID)
				}
			}
			if len(want) == 0 {
				t.Fatalf("the dataset has no node for this case; the test needs one")
			}
			// Page through in small steps; the pages must add up to the whole.
			var got []string
			f := c.filter
			f.First = 7
			for {
				page, err := s.FindNodes(ctx, f)
				if err != nil {
					t.Fatalf("FindNodes: %v", err)
				}
				if page.Total != len(want) {
					t.Fatalf("total: got %d, want %d", page.Total, len(want))
				}
				got = append(got, nodeIDs(page.Nodes)...)
				if wantMore := len(got) < len(want); page.HasNextPage != wantMore {
					t.Fatalf("hasNextPage after %d of %d: got %v, want %v", len(got), len(want), page.HasNextPage, wantMore)
				}
				if !page.HasNextPage {
					break
				}
				f.After = page.Nodes[len(page.Nodes)-1].ID
			}
			if !slices.Equal(got, want) {
				t.Errorf("paged IDs:\n got %v\nwant %v", got, want)
			}
		})
	}
}

func testSearch(ctx context.Context, t *testing.T, s domain.Store) {
	cases := []struct {
		query   string
		kinds   []domain.Kind
		wantTop string // expected first hit
		wantAny string // expected somewhere in the hits
	}{
		{query: "paccto", wantTop: "programme:el-paccto"},
		{query: "EL PAcCTO", wantTop: "programme:el-paccto"},
		{query: "relaciones exteriores", wantTop: "organization:ministry-foreign-affairs-ecuador"},
		{query: "Cancillería", wantTop: "organization:ministry-foreign-affairs-ecuador"},
		{query: "cancilleria", wantTop: "organization:ministry-foreign-affairs-ecuador"},
		{query: "europol", wantTop: "organization:europol"},
		{query: "EUDA", wantTop: "organization:emcdda"},
		{query: "maritime", wantAny: "topic:maritime-security"},
		{query: "marit", kinds: []domain.Kind{domain.KindTopic}, wantTop: "topic:maritime-security"},
		{query: "hungría", wantTop: "country:hungary"},
		{query: "glacy+", wantTop: "programme:glacy-plus"},
		{query: "albornoz", wantTop: "person:isabel-albornoz"},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			hits, err := s.Search(ctx, domain.SearchQuery{Text: c.query, Kinds: c.kinds, First: 10})
			noErr(t, err)
			if len(hits) == 0 {
				t.Fatalf("no hits, want %s%s", c.wantTop, c.wantAny)
			}
			if c.wantTop != "" && hits[0].Node.ID != c.wantTop {
				t.Errorf("top hit: got %s, want %s", hits[0].Node.ID, c.wantTop)
			}
			got := ids(hits, func(h domain.SearchHit) string { return h.Node.ID })
			if c.wantAny != "" && !slices.Contains(got, c.wantAny) {
				t.Errorf("hits: got %v, want %s among them", got, c.wantAny)
			}
			tokens := domain.Tokens(c.query)
			for i, h := range hits {
				if len(c.kinds) > 0 && !slices.Contains(c.kinds, h.Node.Kind) {
					t.Errorf("hit %s has kind %s, want one of %v", h.Node.ID, h.Node.Kind, c.kinds)
				}
				if want := domain.MatchScore(h.Node, tokens); h.Score != want || want == 0 {
					t.Errorf("hit %s score: got %v, want %v (>0)", h.Node.ID, h.Score, want)
				}
				if i > 0 && hits[i-1].Score < h.Score {
					t.Errorf("hits not ordered by score: %v before %v", hits[i-1].Score, h.Score)
				}
			}
		})
	}
	t.Run("first", func(t *testing.T) {
		hits, err := s.Search(ctx, domain.SearchQuery{Text: "e", First: 3})
		noErr(t, err)
		if len(hits) != 3 {
			t.Errorf("got %d hits, want 3", len(hits))
		}
	})
	t.Run("no match", func(t *testing.T) {
		hits, err := s.Search(ctx, domain.SearchQuery{Text: "zzzqqq"})
		noErr(t, err)
		if len(hits) != 0 {
			t.Errorf("got %d hits, want none", len(hits))
		}
	})
}

// testRelated checks that Related answers exactly what Nodes, Relations
// and Nodes of the ends answer separately, and that those relations and
// ends are the reference's.
func testRelated(ctx context.Context, t *testing.T, s domain.Store, ref *reference) {
	cases := []struct {
		filter        domain.RelationFilter
		wantRelations bool
	}{
		{domain.RelationFilter{NodeIDs: []string{"country:spain"}}, true},
		{domain.RelationFilter{NodeIDs: []string{"country:ecuador"}, Direction: domain.DirectionOut, Types: []domain.RelationType{domain.RelParticipatesIn}}, true},
		{domain.RelationFilter{NodeIDs: []string{"event:iii-round-table-2023"}, Direction: domain.DirectionIn}, true},
		{domain.RelationFilter{NodeIDs: []string{"programme:el-paccto", "country:atlantis", "country:spain", "programme:el-paccto"}}, true},
		{domain.RelationFilter{NodeIDs: []string{"country:spain"}, Direction: domain.DirectionIn, Types: []domain.RelationType{domain.RelHoldsPosition}}, false},
		{domain.RelationFilter{NodeIDs: []string{"country:atlantis"}}, false},
	}
	for _, c := range cases {
		t.Run(fmt.Sprint(c.filter), func(t *testing.T) {
			got, err := s.Related(ctx, domain.RelatedQuery{RelationFilter: c.filter})
			noErr(t, err)

			nodes, err := s.Nodes(ctx, c.filter.NodeIDs)
			noErr(t, err)
			if !reflect.DeepEqual(got.Nodes, nodes) {
				t.Errorf("nodes:\n got %v\nwant %v (as Nodes answers)", got.Nodes, nodes)
			}

			want := ref.matchingRelations(c.filter)
			if (len(want) > 0) != c.wantRelations {
				t.Fatalf("the dataset has %d relations for this case; the test needs it to have some: %v", len(want), c.wantRelations)
			}
			if got := relationIDs(got.Relations); !slices.Equal(got, want) {
				t.Errorf("relations:\n got %v\nwant %v", got, want)
			}
			rels, err := s.Relations(ctx, c.filter)
			noErr(t, err)
			if !reflect.DeepEqual(got.Relations, rels) {
				t.Errorf("relations differ from what Relations answers:\n got %v\nwant %v", got.Relations, rels)
			}

			var wantEnds []string
			for _, id := range want {
				i := slices.IndexFunc(ref.relations, func(r *domain.Relation) bool { return r.ID == id })
				r := ref.relations[i]
				wantEnds = append(wantEnds, r.From, r.To)
				for _, e := range r.Evidence {
					wantEnds = append(wantEnds, e.SourceID)
				}
			}
			slices.Sort(wantEnds)
			wantEnds = slices.Compact(wantEnds)
			if got := nodeIDs(got.Ends); !slices.Equal(got, wantEnds) {
				t.Errorf("ends:\n got %v\nwant %v", got, wantEnds)
			}
			ends, err := s.Nodes(ctx, wantEnds)
			noErr(t, err)
			if len(ends) == 0 {
				ends = nil
			}
			if !reflect.DeepEqual(got.Ends, ends) {
				t.Errorf("ends differ from what Nodes answers:\n got %v\nwant %v", got.Ends, ends)
			}
		})
	}
}

func testRelations(ctx context.Context, t *testing.T, s domain.Store, ref *reference) {
	cases := []domain.RelationFilter{
		{NodeIDs: []string{"country:ecuador"}},
		{NodeIDs: []string{"country:ecuador"}, Direction: domain.DirectionOut, Types: []domain.RelationType{domain.RelParticipatesIn}},
		{NodeIDs: []string{"event:iii-round-table-2023"}, Direction: domain.DirectionIn},
		{NodeIDs: []string{"programme:el-paccto", "country:spain"}},
		{Types: []domain.RelationType{domain.RelAddresses}},
	}
	for _, f := range cases {
		t.Run(fmt.Sprint(f), func(t *testing.T) {
			rels, err := s.Relations(ctx, f)
			noErr(t, err)
			got := relationIDs(rels)
			want := ref.matchingRelations(f)
			if len(want) == 0 {
				t.Fatalf("the dataset has no relation for this case; the test needs one")
			}
			if !slices.Equal(got, want) {
				t.Errorf("Relations:\n got %v\nwant %v", got, want)
			}
		})
	}
}
