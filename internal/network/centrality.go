package network

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// Measure is a centrality measure; the values are the GraphQL enum's.
type Measure string

// The measures. Ties are undirected and parallel relations count once;
// only PageRank reads the relations' directions.
const (
	// Degree: distinct neighbours / (n−1).
	Degree Measure = "DEGREE"
	// Betweenness: the share of shortest paths between pairs of other nodes
	// that pass through the node, summed over pairs and divided by the
	// number of pairs, (n−1)(n−2)/2, so a star's centre scores 1.
	Betweenness Measure = "BETWEENNESS"
	// Closeness: nodes reachable / sum of the distances to them; 0 when
	// none is reachable.
	Closeness Measure = "CLOSENESS"
	// PageRank over the relations' directions, damping 0.85, a node without
	// out-arcs spreading its rank over all nodes; scores sum to 1.
	PageRank Measure = "PAGERANK"
	// Eigenvector: the leading eigenvector of the adjacency matrix, scaled
	// so the largest entry is 1. On a graph of several components only
	// those with the largest eigenvalue score above 0; without any tie
	// every node scores 0. It is found by power iteration (see eigenvector):
	// where another eigenvalue comes within a hair of the largest, the
	// iteration's 10,000 steps may end before the scores settle to 1e-9.
	Eigenvector Measure = "EIGENVECTOR"
)

// Measures lists every measure in the schema's order.
var Measures = []Measure{Degree, Betweenness, Closeness, PageRank, Eigenvector}

// Valid reports whether m is a known measure.
func (m Measure) Valid() bool { return slices.Contains(Measures, m) }

// PageRankDamping is the schema's damping factor.
const PageRankDamping = 0.85

// Limits are the size bounds of the measures. Degree, PageRank and
// eigenvector cost a few passes over the relations; betweenness and
// closeness cost one breadth-first search per source node, each visiting
// every node and both ends of every tie. On 2 shared cores bench/ measured
// about 9 ns per visit at 10k nodes / 100k relations and 30 ns at 100k / 1M
// (exact betweenness took 19 s at 10k). So betweenness and closeness search
// from every node only while that stays within SearchBudget visits, and
// otherwise from a sample of source nodes that does: the ranking then says
// it is approximate and how many sources it used.
type Limits struct {
	// SearchBudget bounds the visits of betweenness and closeness: sources ×
	// (nodes + 2 × ties). Exact up to about 2,400 nodes at 10 relations per
	// node.
	SearchBudget int
	// MinSources is the smallest sample, whatever the budget.
	MinSources int
	// MaxNodes is the largest graph any measure ranks.
	MaxNodes int
}

// DefaultLimits are the bounds Analyzer uses: at 100k nodes / 1M relations
// betweenness and closeness search from 66 sources (132 took 7–8 s on 2
// shared cores).
var DefaultLimits = Limits{SearchBudget: 125_000_000, MinSources: 50, MaxNodes: 250_000}

// sources returns the source nodes betweenness and closeness search from on
// a graph of n nodes whose adjacency has arcs entries: nil (every node)
// while n searches fit in the budget, otherwise k = budget / (n + arcs)
// nodes, at least MinSources, evenly spaced in ID order (the ⌊i·n/k⌋-th for
// i < k), the same ones on every run and store.
func (l Limits) sources(n, arcs int) []int32 {
	perSearch := n + arcs
	if n*perSearch <= l.SearchBudget {
		return nil
	}
	k := max(l.SearchBudget/perSearch, l.MinSources)
	if k >= n {
		return nil
	}
	sources := make([]int32, k)
	for i := range sources {
		sources[i] = int32(i * n / k)
	}
	return sources
}

// Score is one node's centrality.
type Score struct {
	Rank  int // 1 + how many nodes score strictly higher ("1224" ranking)
	Node  *domain.Node
	Score float64 // rounded to 1e-9
}

// Ranking is a centrality ranking over a subgraph.
type Ranking struct {
	Measure     Measure
	DataVersion string // set by Analyzer; empty from Centrality
	NodeCount   int    // nodes of the subgraph
	EdgeCount   int    // relations of the subgraph
	// SampledSources is how many source nodes betweenness or closeness
	// searched from when searching from all exceeded the limits' budget;
	// 0 when the scores are exact.
	SampledSources int
	Scores         []Score
}

// Approximate reports whether the scores were estimated from a sample of
// source nodes rather than computed exactly.
func (r *Ranking) Approximate() bool { return r.SampledSources > 0 }

// Centrality ranks with DefaultLimits; see CentralityWithin.
func Centrality(ctx context.Context, g *domain.Subgraph, measure Measure, first int) (*Ranking, error) {
	return CentralityWithin(ctx, g, measure, first, DefaultLimits)
}

// CentralityWithin ranks the nodes of g by measure: score descending, then ID;
// the first `first` scores (all when first ≤ 0). Scores are rounded to
// 1e-9 before ranking, so nodes equal up to float noise share a rank. It
// checks ctx between sources and iterations and returns ctx.Err() once ctx
// is cancelled or past its deadline. Above limits.MaxNodes it refuses with EINVALID; betweenness and
// closeness are estimated from a sample of sources above
// limits.SearchBudget.
func CentralityWithin(ctx context.Context, g *domain.Subgraph, measure Measure, first int, limits Limits) (*Ranking, error) {
	if !measure.Valid() {
		return nil, unknownMeasure(measure)
	}
	if len(g.Nodes) > limits.MaxNodes {
		return nil, domain.Errorf(domain.EINVALID,
			"the selected graph has %d nodes; centrality ranks at most %d: narrow it with kinds, topic or asOf",
			len(g.Nodes), limits.MaxNodes)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ix := indexNodes(g.Nodes)
	r := &Ranking{Measure: measure, NodeCount: len(g.Nodes), EdgeCount: len(g.Relations)}
	var raw []float64
	var err error
	switch measure {
	case Degree:
		raw = degree(ix.undirected(g.Relations))
	case Betweenness, Closeness:
		ties := ix.undirected(g.Relations)
		sources := limits.sources(ties.len(), len(ties.targets))
		r.SampledSources = len(sources)
		if measure == Betweenness {
			raw, err = betweenness(ctx, ties, sources)
		} else {
			raw, err = closeness(ctx, ties, sources)
		}
	case PageRank:
		raw, err = pageRank(ctx, ix.directed(g.Relations))
	case Eigenvector:
		raw, err = eigenvector(ctx, ix.undirected(g.Relations))
	}
	if err != nil {
		return nil, err
	}
	r.Scores = make([]Score, len(ix.nodes))
	for i, n := range ix.nodes {
		r.Scores[i] = Score{Node: n, Score: round(raw[i])}
	}
	rankScores(r.Scores)
	if first > 0 && first < len(r.Scores) {
		r.Scores = r.Scores[:first]
	}
	return r, nil
}

func unknownMeasure(m Measure) error {
	names := make([]string, len(Measures))
	for i, m := range Measures {
		names[i] = string(m)
	}
	return domain.Errorf(domain.EINVALID, "unknown centrality measure %q: use one of %s", m, strings.Join(names, ", "))
}

// rankScores sorts by score descending, then node ID, and numbers the ranks.
func rankScores(scores []Score) {
	slices.SortFunc(scores, func(a, b Score) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.Node.ID, b.Node.ID)
	})
	for i := range scores {
		if i > 0 && scores[i].Score == scores[i-1].Score {
			scores[i].Rank = scores[i-1].Rank
		} else {
			scores[i].Rank = i + 1
		}
	}
}

func degree(g *adjacency) []float64 {
	n := g.len()
	out := make([]float64, n)
	if n < 2 {
		return out
	}
	for u := range n {
		out[u] = float64(len(g.of(int32(u)))) / float64(n-1)
	}
	return out
}

// The iterative measures stop when an iteration moves the vector by less
// than their tolerance (sum of absolute changes for PageRank, largest
// change for eigenvector), or after their most iterations. Both are far
// below the 1e-9 scores are rounded to.
const (
	pageRankTolerance     = 1e-14
	pageRankMaxIterations = 1_000
	eigenTolerance        = 1e-13
	eigenMaxIterations    = 10_000
)

// pageRank iterates p ← (1−d)/n + d·(S·p), S being the column-stochastic
// link matrix (a node without out-arcs links to every node), from the
// uniform vector. Each node pulls from its in-arcs in ID order, so every
// sum is added up in the same order on every run and store: the scores are
// bit for bit the same. gonum's network.PageRankSparse starts from a random
// vector and takes no context, hence this small loop.
func pageRank(ctx context.Context, g *adjacency) ([]float64, error) {
	n := g.len()
	if n == 0 {
		return nil, nil
	}
	in := g.reversed()
	outDegree := make([]float64, n)
	for u := range n {
		outDegree[u] = float64(len(g.of(int32(u))))
	}
	p, next := make([]float64, n), make([]float64, n)
	for u := range p {
		p[u] = 1 / float64(n)
	}
	share := make([]float64, n) // p[u] / out-degree of u
	for range pageRankMaxIterations {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var dangling float64
		for u := range n {
			if outDegree[u] == 0 {
				dangling += p[u]
				share[u] = 0
			} else {
				share[u] = p[u] / outDegree[u]
			}
		}
		base := (1-PageRankDamping)/float64(n) + PageRankDamping*dangling/float64(n)
		var moved float64
		for v := range n {
			var sum float64
			for _, u := range in.of(int32(v)) {
				sum += share[u]
			}
			next[v] = base + PageRankDamping*sum
			moved += math.Abs(next[v] - p[v])
		}
		p, next = next, p
		if moved < pageRankTolerance {
			break
		}
	}
	return p, nil
}

// eigenvector iterates x ← (A+I)·x from the all-ones vector, scaled so its
// largest entry is 1. Adding I keeps the iteration from swinging on
// bipartite graphs (whose smallest eigenvalue is minus the largest) without
// changing the eigenvectors; from a positive start the entries of
// components with a smaller leading eigenvalue shrink towards 0. The sums
// run in node-ID order, so the result is the same bits on every run.
func eigenvector(ctx context.Context, g *adjacency) ([]float64, error) {
	n := g.len()
	out := make([]float64, n)
	if len(g.targets) == 0 {
		return out, nil
	}
	x, next := make([]float64, n), out
	for u := range x {
		x[u] = 1
	}
	for range eigenMaxIterations {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var largest float64
		for u := range n {
			sum := x[u]
			for _, v := range g.of(int32(u)) {
				sum += x[v]
			}
			next[u] = sum
			largest = max(largest, sum)
		}
		var moved float64
		for u := range n {
			next[u] /= largest
			moved = max(moved, math.Abs(next[u]-x[u]))
		}
		x, next = next, x
		if moved < eigenTolerance {
			break
		}
	}
	return x, nil
}
