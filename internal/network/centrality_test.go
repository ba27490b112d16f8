package network_test

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/network"
	gonumnetwork "gonum.org/v1/gonum/graph/network"
	"gonum.org/v1/gonum/graph/simple"
)

// tol is how far a score may be from the value computed by hand: scores are
// rounded to 1e-9.
const tol = 2e-9

// graphOf builds a subgraph of organizations from "a>b" arcs (a relation
// from organization:a to organization:b); a bare "x" adds an isolated node.
func graphOf(tb testing.TB, arcs ...string) *domain.Subgraph {
	tb.Helper()
	g := &domain.Subgraph{}
	seen := map[string]bool{}
	node := func(slug string) string {
		id := "organization:" + slug
		if !seen[id] {
			seen[id] = true
			g.Nodes = append(g.Nodes, &domain.Node{ID: id, Kind: domain.KindOrganization, Name: slug, OrgType: domain.OrgGroup})
		}
		return id
	}
	for _, arc := range arcs {
		from, to, ok := strings.Cut(arc, ">")
		if !ok {
			node(from)
			continue
		}
		f, t := node(from), node(to)
		id := domain.RelationID(f, domain.RelCooperatesWith, t)
		for slices.ContainsFunc(g.Relations, func(r *domain.Relation) bool { return r.ID == id }) {
			id += "+" // a parallel relation
		}
		g.Relations = append(g.Relations, &domain.Relation{ID: id, Type: domain.RelCooperatesWith, From: f, To: t})
	}
	return g
}

func scoresOf(tb testing.TB, g *domain.Subgraph, m network.Measure) map[string]float64 {
	tb.Helper()
	r, err := network.Centrality(context.Background(), g, m, 0)
	if err != nil {
		tb.Fatal(err)
	}
	if len(r.Scores) != len(g.Nodes) {
		tb.Fatalf("%s: got %d scores, want %d", m, len(r.Scores), len(g.Nodes))
	}
	out := map[string]float64{}
	for _, s := range r.Scores {
		out[strings.TrimPrefix(s.Node.ID, "organization:")] = s.Score
	}
	return out
}

// referencePageRank iterates the PageRank equation from the uniform
// vector: a node without out-arcs spreads its rank over all nodes.
func referencePageRank(g *domain.Subgraph, damping float64) map[string]float64 {
	n := float64(len(g.Nodes))
	out := map[string][]string{}
	seen := map[[2]string]bool{}
	for _, r := range g.Relations {
		if !seen[[2]string{r.From, r.To}] {
			seen[[2]string{r.From, r.To}] = true
			out[r.From] = append(out[r.From], r.To)
		}
	}
	rank := map[string]float64{}
	for _, node := range g.Nodes {
		rank[node.ID] = 1 / n
	}
	for range 2000 {
		next := map[string]float64{}
		var dangling float64
		for _, node := range g.Nodes {
			if len(out[node.ID]) == 0 {
				dangling += rank[node.ID]
				continue
			}
			for _, to := range out[node.ID] {
				next[to] += damping * rank[node.ID] / float64(len(out[node.ID]))
			}
		}
		for _, node := range g.Nodes {
			next[node.ID] += (1-damping)/n + damping*dangling/n
		}
		rank = next
	}
	res := map[string]float64{}
	for id, v := range rank {
		res[strings.TrimPrefix(id, "organization:")] = v
	}
	return res
}

// largestRoot finds the largest root of the triangle-plus-pendant
// characteristic polynomial λ³ − λ² − 3λ + 1 by bisection on [2, 3].
func largestRoot() float64 {
	f := func(x float64) float64 { return x*x*x - x*x - 3*x + 1 }
	lo, hi := 2.0, 3.0
	for range 200 {
		mid := (lo + hi) / 2
		if f(mid) < 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

func TestCentralityByHand(t *testing.T) {
	const d = 0.85
	phi := (1 + math.Sqrt(5)) / 2
	lambda := largestRoot()
	// Star: every leaf points at the centre, which has no out-arc.
	starCentre := (1 - 3*(1-d)/4) / (1 + 3*d/4)
	star := graphOf(t, "l1>c", "l2>c", "l3>c")
	path := graphOf(t, "a>b", "b>c", "c>d")
	triangle := graphOf(t, "a>b", "b>c", "c>a", "c>d")
	tests := []struct {
		name    string
		g       *domain.Subgraph
		measure network.Measure
		want    map[string]float64
	}{
		{"star", star, network.Degree, map[string]float64{"c": 1, "l1": 1.0 / 3, "l2": 1.0 / 3, "l3": 1.0 / 3}},
		{"star", star, network.Betweenness, map[string]float64{"c": 1, "l1": 0, "l2": 0, "l3": 0}},
		{"star", star, network.Closeness, map[string]float64{"c": 1, "l1": 3.0 / 5, "l2": 3.0 / 5, "l3": 3.0 / 5}},
		{"star", star, network.PageRank, map[string]float64{"c": starCentre, "l1": (1 - starCentre) / 3, "l2": (1 - starCentre) / 3, "l3": (1 - starCentre) / 3}},
		{"star", star, network.Eigenvector, map[string]float64{"c": 1, "l1": 1 / math.Sqrt(3), "l2": 1 / math.Sqrt(3), "l3": 1 / math.Sqrt(3)}},

		{"path", path, network.Degree, map[string]float64{"a": 1.0 / 3, "b": 2.0 / 3, "c": 2.0 / 3, "d": 1.0 / 3}},
		// b lies on the shortest paths a–c and a–d: 2 of the 3 pairs without b.
		{"path", path, network.Betweenness, map[string]float64{"a": 0, "b": 2.0 / 3, "c": 2.0 / 3, "d": 0}},
		{"path", path, network.Closeness, map[string]float64{"a": 3.0 / 6, "b": 3.0 / 4, "c": 3.0 / 4, "d": 3.0 / 6}},
		{"path", path, network.PageRank, referencePageRank(path, d)},
		// The path's leading eigenvector is (sin 36°, sin 72°, sin 72°, sin 36°).
		{"path", path, network.Eigenvector, map[string]float64{"a": 1 / phi, "b": 1, "c": 1, "d": 1 / phi}},

		{"triangle+pendant", triangle, network.Degree, map[string]float64{"a": 2.0 / 3, "b": 2.0 / 3, "c": 1, "d": 1.0 / 3}},
		{"triangle+pendant", triangle, network.Betweenness, map[string]float64{"a": 0, "b": 0, "c": 2.0 / 3, "d": 0}},
		{"triangle+pendant", triangle, network.Closeness, map[string]float64{"a": 3.0 / 4, "b": 3.0 / 4, "c": 1, "d": 3.0 / 5}},
		{"triangle+pendant", triangle, network.PageRank, referencePageRank(triangle, d)},
		// λa = a + c, λc = 2a + d, λd = c with a = b: a = c/(λ−1), d = c/λ.
		{"triangle+pendant", triangle, network.Eigenvector, map[string]float64{"a": 1 / (lambda - 1), "b": 1 / (lambda - 1), "c": 1, "d": 1 / lambda}},
	}
	for _, tc := range tests {
		t.Run(tc.name+"/"+string(tc.measure), func(t *testing.T) {
			got := scoresOf(t, tc.g, tc.measure)
			for id, want := range tc.want {
				if math.Abs(got[id]-want) > tol {
					t.Errorf("%s: got %v, want %v", id, got[id], want)
				}
			}
		})
	}
}

func TestCentralityRanksAndTies(t *testing.T) {
	g := graphOf(t, "a>b", "b>c", "c>a", "c>d")
	r, err := network.Centrality(context.Background(), g, network.Degree, 0)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		id   string
		rank int
	}
	var got []row
	for _, s := range r.Scores {
		got = append(got, row{strings.TrimPrefix(s.Node.ID, "organization:"), s.Rank})
	}
	want := []row{{"c", 1}, {"a", 2}, {"b", 2}, {"d", 4}}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if r.NodeCount != 4 || r.EdgeCount != 4 {
		t.Errorf("got %d nodes, %d edges, want 4, 4", r.NodeCount, r.EdgeCount)
	}
	top, err := network.Centrality(context.Background(), g, network.Degree, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(top.Scores) != 2 || top.Scores[1] != r.Scores[1] {
		t.Errorf("first 2: got %v, want %v", top.Scores, r.Scores[:2])
	}
	if top.NodeCount != 4 {
		t.Errorf("first 2: node count got %d, want 4 (the graph's, not the page's)", top.NodeCount)
	}
}

func TestCentralityParallelRelationsCollapse(t *testing.T) {
	plain := graphOf(t, "a>b", "b>c", "c>a", "c>d")
	doubled := graphOf(t, "a>b", "a>b", "b>c", "c>a", "c>d", "c>d")
	for _, m := range network.Measures {
		got, want := scoresOf(t, doubled, m), scoresOf(t, plain, m)
		for id := range want {
			if got[id] != want[id] {
				t.Errorf("%s %s: got %v with parallel relations, want %v", m, id, got[id], want[id])
			}
		}
	}
}

func TestCentralityEdgeCases(t *testing.T) {
	tests := []struct {
		name string
		g    *domain.Subgraph
	}{
		{"empty", &domain.Subgraph{}},
		{"one node", graphOf(t, "a")},
		{"no ties", graphOf(t, "a", "b", "c")},
	}
	for _, tc := range tests {
		for _, m := range network.Measures {
			r, err := network.Centrality(context.Background(), tc.g, m, 0)
			if err != nil {
				t.Fatalf("%s %s: %v", tc.name, m, err)
			}
			for _, s := range r.Scores {
				if math.IsNaN(s.Score) || math.IsInf(s.Score, 0) || s.Score < 0 || s.Score > 1 {
					t.Errorf("%s %s: %s scores %v, want a number in 0–1", tc.name, m, s.Node.ID, s.Score)
				}
				if m != network.PageRank && s.Score != 0 {
					t.Errorf("%s %s: %s scores %v, want 0 without ties", tc.name, m, s.Node.ID, s.Score)
				}
			}
		}
	}
	// An isolated node scores 0 closeness while its neighbours-to-be do not.
	got := scoresOf(t, graphOf(t, "a>b", "z"), network.Closeness)
	if got["z"] != 0 || got["a"] != 1 {
		t.Errorf("closeness: got z=%v a=%v, want 0 and 1", got["z"], got["a"])
	}
	if _, err := network.Centrality(context.Background(), graphOf(t, "a"), "KATZ", 0); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("unknown measure: got %v, want EINVALID", err)
	}
}

// TestPageRankMatchesGonum checks the power iteration against gonum's
// iterative network.PageRank on the shipped graph.
func TestPageRankMatchesGonum(t *testing.T) {
	sub, err := mustStore(t, shipped(t)).Graph(context.Background(), domain.GraphQuery{Kinds: network.DefaultKinds})
	if err != nil {
		t.Fatal(err)
	}
	index := map[string]int64{}
	g := simple.NewDirectedGraph()
	for i, n := range sub.Nodes {
		index[n.ID] = int64(i)
		g.AddNode(simple.Node(i))
	}
	for _, r := range sub.Relations {
		from, to := index[r.From], index[r.To]
		if !g.HasEdgeFromTo(from, to) {
			g.SetEdge(simple.Edge{F: simple.Node(from), T: simple.Node(to)})
		}
	}
	want := gonumnetwork.PageRank(g, network.PageRankDamping, 1e-12)
	got, err := network.Centrality(context.Background(), sub, network.PageRank, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range got.Scores {
		if w := want[index[s.Node.ID]]; math.Abs(s.Score-w) > 1e-9 {
			t.Errorf("%s: got %v, gonum's network.PageRank gives %v", s.Node.ID, s.Score, w)
		}
	}
}
