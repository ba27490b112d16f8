// Package storetest is the conformance suite every domain.Store must pass.
// Run checks behaviour against the shipped dataset with expectations computed
// independently of any store; Transcript renders a fixed battery of queries
// as text so two stores can be required to answer identically.
package storetest

import (
	"context"
	"errors"
	"fmt"
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

// Run runs the conformance suite against the store open returns.
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
	t.Run("Neighborhood", func(t *testing.T) { testNeighborhood(ctx, t, store, ref) })
	t.Run("Paths", func(t *testing.T) { testPaths(ctx, t, store, ref) })
	t.Run("Cooperation", func(t *testing.T) { testCooperation(ctx, t, store, ref) })
	t.Run("InvalidInput", func(t *testing.T) { testInvalidInput(ctx, t, store) })
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

func testNeighborhood(ctx context.Context, t *testing.T, s domain.Store, ref *reference) {
	cases := []domain.NeighborhoodQuery{
		{Root: "event:iii-round-table-2023", Depth: 1},
		{Root: "country:hungary", Depth: 2},
		{Root: "country:hungary", Depth: 3, Kinds: []domain.Kind{domain.KindCountry, domain.KindEvent, domain.KindProgramme}},
		{Root: "programme:seacop", Depth: 2, RelationTypes: []domain.RelationType{domain.RelImplements, domain.RelPartOf}},
		{Root: "topic:maritime-security", Depth: 2, RelationTypes: []domain.RelationType{domain.RelAddresses, domain.RelImplements}},
	}
	for _, q := range cases {
		t.Run(fmt.Sprintf("%s depth %d kinds %v types %v", q.Root, q.Depth, q.Kinds, q.RelationTypes), func(t *testing.T) {
			sub, err := s.Neighborhood(ctx, q)
			noErr(t, err)
			wantNodes, wantRels := ref.neighborhood(q)
			if got := nodeIDs(sub.Nodes); !slices.Equal(got, wantNodes) {
				t.Errorf("nodes:\n got %v\nwant %v", got, wantNodes)
			}
			if got := relationIDs(sub.Relations); !slices.Equal(got, wantRels) {
				t.Errorf("relations:\n got %v\nwant %v", got, wantRels)
			}
		})
	}
	t.Run("member states attended", func(t *testing.T) {
		sub, err := s.Neighborhood(ctx, domain.NeighborhoodQuery{Root: "event:iii-round-table-2023", Depth: 1,
			RelationTypes: []domain.RelationType{domain.RelAttended}, Kinds: []domain.Kind{domain.KindCountry}})
		noErr(t, err)
		got := nodeIDs(sub.Nodes)
		for _, c := range []string{"austria", "belgium", "ecuador", "france", "germany", "hungary", "italy", "netherlands", "spain"} {
			if !slices.Contains(got, "country:"+c) {
				t.Errorf("round table attendees %v lack country:%s", got, c)
			}
		}
	})
	t.Run("unknown root", func(t *testing.T) {
		_, err := s.Neighborhood(ctx, domain.NeighborhoodQuery{Root: "country:atlantis", Depth: 1})
		wantCode(t, err, domain.ENOTFOUND)
	})
}

func testPaths(ctx context.Context, t *testing.T, s domain.Store, ref *reference) {
	cases := []domain.PathQuery{
		{From: "country:hungary", To: "programme:el-paccto", MaxHops: 4, Limit: 5},
		{From: "country:spain", To: "topic:maritime-security", MaxHops: 4, Limit: 100},
		{From: "person:ylva-johansson", To: "organization:europol", MaxHops: 6, Limit: 3},
		{From: "country:hungary", To: "programme:el-paccto", MaxHops: 4, Limit: 5,
			RelationTypes: []domain.RelationType{domain.RelAttended, domain.RelReviewed}},
		{From: "country:hungary", To: "programme:el-paccto", MaxHops: 1, Limit: 5},
	}
	for _, q := range cases {
		t.Run(fmt.Sprintf("%s to %s hops %d types %v", q.From, q.To, q.MaxHops, q.RelationTypes), func(t *testing.T) {
			paths, err := s.Paths(ctx, q)
			noErr(t, err)
			wantLen, reachable := ref.distance(q.From, q.To, q.RelationTypes)
			if !reachable || wantLen > q.MaxHops {
				if len(paths) != 0 {
					t.Fatalf("got %d paths, want none (distance %d, maxHops %d)", len(paths), wantLen, q.MaxHops)
				}
				return
			}
			wantCount := min(ref.countShortest(q.From, q.To, q.RelationTypes), q.Limit)
			if len(paths) != wantCount {
				t.Fatalf("got %d paths, want %d", len(paths), wantCount)
			}
			for i, p := range paths {
				if p.Length() != wantLen {
					t.Errorf("path %d length: got %d, want %d", i, p.Length(), wantLen)
				}
				if err := ref.checkPath(p, q); err != nil {
					t.Errorf("path %d: %v", i, err)
				}
				if i > 0 && domain.ComparePaths(paths[i-1], p) >= 0 {
					t.Errorf("paths %d and %d are not in order", i-1, i)
				}
			}
		})
	}
	t.Run("unknown end", func(t *testing.T) {
		_, err := s.Paths(ctx, domain.PathQuery{From: "country:hungary", To: "country:atlantis", MaxHops: 4, Limit: 5})
		wantCode(t, err, domain.ENOTFOUND)
	})
}

func testCooperation(ctx context.Context, t *testing.T, s domain.Store, ref *reference) {
	cases := []domain.CooperationQuery{
		{Actor: "country:ecuador"},
		{Actor: "country:ecuador", Partner: "country:spain"},
		{Actor: "country:ecuador", Topic: "topic:maritime-security"},
		{Actor: "organization:ministry-foreign-affairs-ecuador"},
		{Actor: "country:hungary", Topic: "topic:cyber-security"},
	}
	for _, q := range cases {
		t.Run(fmt.Sprintf("%s topic %q partner %q", q.Actor, q.Topic, q.Partner), func(t *testing.T) {
			rows, err := s.Cooperation(ctx, q)
			noErr(t, err)
			want := ref.cooperation(q)
			if len(want) == 0 {
				t.Fatalf("the dataset has no cooperation for this case; the test needs one")
			}
			got := make([]string, len(rows))
			for i, r := range rows {
				got[i] = renderCooperation(r)
			}
			if !slices.Equal(got, want) {
				t.Errorf("cooperation:\n got %v\nwant %v", got, want)
			}
		})
	}
	t.Run("not an actor", func(t *testing.T) {
		_, err := s.Cooperation(ctx, domain.CooperationQuery{Actor: "topic:maritime-security"})
		wantCode(t, err, domain.EINVALID)
	})
	t.Run("unknown actor", func(t *testing.T) {
		_, err := s.Cooperation(ctx, domain.CooperationQuery{Actor: "country:atlantis"})
		wantCode(t, err, domain.ENOTFOUND)
	})
}

func testInvalidInput(ctx context.Context, t *testing.T, s domain.Store) {
	cases := []struct {
		name string
		call func() error
	}{
		{"search empty", func() error { _, err := s.Search(ctx, domain.SearchQuery{Text: "  "}); return err }},
		{"search punctuation", func() error { _, err := s.Search(ctx, domain.SearchQuery{Text: "+++"}); return err }},
		{"search first 500", func() error { _, err := s.Search(ctx, domain.SearchQuery{Text: "eu", First: 500}); return err }},
		{"search bad kind", func() error {
			_, err := s.Search(ctx, domain.SearchQuery{Text: "eu", Kinds: []domain.Kind{"Planet"}})
			return err
		}},
		{"find first -1", func() error { _, err := s.FindNodes(ctx, domain.NodeFilter{First: -1}); return err }},
		{"depth 50", func() error {
			_, err := s.Neighborhood(ctx, domain.NeighborhoodQuery{Root: "country:hungary", Depth: 50})
			return err
		}},
		{"depth 0", func() error {
			_, err := s.Neighborhood(ctx, domain.NeighborhoodQuery{Root: "country:hungary", Depth: 0})
			return err
		}},
		{"bad relation type", func() error {
			_, err := s.Neighborhood(ctx, domain.NeighborhoodQuery{Root: "country:hungary", Depth: 1, RelationTypes: []domain.RelationType{"LIKES"}})
			return err
		}},
		{"maxHops 9", func() error {
			_, err := s.Paths(ctx, domain.PathQuery{From: "country:hungary", To: "country:spain", MaxHops: 9, Limit: 5})
			return err
		}},
		{"same ends", func() error {
			_, err := s.Paths(ctx, domain.PathQuery{From: "country:hungary", To: "country:hungary", MaxHops: 2, Limit: 5})
			return err
		}},
		{"bad path id", func() error {
			_, err := s.Paths(ctx, domain.PathQuery{From: "hungary", To: "country:spain", MaxHops: 2, Limit: 5})
			return err
		}},
		{"topic that is no topic", func() error {
			_, err := s.Cooperation(ctx, domain.CooperationQuery{Actor: "country:ecuador", Topic: "country:spain"})
			return err
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantCode(t, c.call(), domain.EINVALID) })
	}
}
