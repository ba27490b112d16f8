package network

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/stakegraph/stakegraph/internal/domain"
	"gonum.org/v1/gonum/graph/network"
	"gonum.org/v1/gonum/graph/path"
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/mat"
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
	// PageRank over the relations' directions, damping 0.85; scores sum to 1.
	PageRank Measure = "PAGERANK"
	// Eigenvector: the absolute values of the adjacency matrix's eigenvector
	// of the largest eigenvalue, scaled so the largest is 1. On a graph of
	// several components only those with the largest eigenvalue score above
	// 0; without any tie every node scores 0.
	Eigenvector Measure = "EIGENVECTOR"
)

// Measures lists every measure in the schema's order.
var Measures = []Measure{Degree, Betweenness, Closeness, PageRank, Eigenvector}

// Valid reports whether m is a known measure.
func (m Measure) Valid() bool { return slices.Contains(Measures, m) }

// PageRank parameters: the schema's damping and a tolerance (2-norm of the
// change between iterations) well below the rounding step.
const (
	pageRankDamping   = 0.85
	pageRankTolerance = 1e-13
)

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
	Scores      []Score
}

// Centrality ranks the nodes of g by measure: score descending, then ID;
// the first `first` scores (all when first ≤ 0). Scores are rounded to
// 1e-9 before ranking, so nodes equal up to float noise share a rank.
func Centrality(g *domain.Subgraph, measure Measure, first int) (*Ranking, error) {
	if !measure.Valid() {
		return nil, unknownMeasure(measure)
	}
	ix := indexNodes(g.Nodes)
	var raw []float64
	switch measure {
	case Degree:
		raw = degree(ix.undirected(g.Relations))
	case Betweenness:
		raw = betweenness(ix.undirected(g.Relations))
	case Closeness:
		raw = closeness(ix.undirected(g.Relations))
	case PageRank:
		raw = pageRank(ix.directed(g.Relations))
	case Eigenvector:
		raw = eigenvector(ix.undirected(g.Relations))
	}
	scores := make([]Score, len(ix.nodes))
	for i, n := range ix.nodes {
		scores[i] = Score{Node: n, Score: round(raw[i])}
	}
	rankScores(scores)
	if first > 0 && first < len(scores) {
		scores = scores[:first]
	}
	return &Ranking{Measure: measure, NodeCount: len(g.Nodes), EdgeCount: len(g.Relations), Scores: scores}, nil
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

func degree(g *simple.UndirectedGraph) []float64 {
	n := g.Nodes().Len()
	out := make([]float64, n)
	if n < 2 {
		return out
	}
	for i := range out {
		out[i] = float64(g.From(int64(i)).Len()) / float64(n-1)
	}
	return out
}

func betweenness(g *simple.UndirectedGraph) []float64 {
	n := g.Nodes().Len()
	out := make([]float64, n)
	if n < 3 {
		return out
	}
	// gonum sums over ordered pairs (s, t), so on an undirected graph each
	// pair counts twice: dividing by (n−1)(n−2) is dividing the pair sum
	// by the (n−1)(n−2)/2 pairs.
	pairs := float64((n - 1) * (n - 2))
	for id, b := range network.Betweenness(g) {
		out[id] = b / pairs
	}
	return out
}

func closeness(g *simple.UndirectedGraph) []float64 {
	n := g.Nodes().Len()
	out := make([]float64, n)
	if n == 0 {
		return out
	}
	paths := path.DijkstraAllPaths(g)
	farness := network.Farness(g, paths)
	for u := range out {
		reachable := 0
		for v := range n {
			if v != u && !math.IsInf(paths.Weight(int64(u), int64(v)), 1) {
				reachable++
			}
		}
		if reachable > 0 {
			out[u] = float64(reachable) / farness[int64(u)]
		}
	}
	return out
}

func pageRank(g *simple.DirectedGraph) []float64 {
	n := g.Nodes().Len()
	out := make([]float64, n)
	if n == 0 {
		return out
	}
	for id, r := range network.PageRank(g, pageRankDamping, pageRankTolerance) {
		out[id] = r
	}
	return out
}

func eigenvector(g *simple.UndirectedGraph) []float64 {
	n := g.Nodes().Len()
	out := make([]float64, n)
	if n == 0 || g.Edges().Len() == 0 {
		return out
	}
	adjacency := mat.NewSymDense(n, nil)
	edges := g.Edges()
	for edges.Next() {
		e := edges.Edge()
		adjacency.SetSym(int(e.From().ID()), int(e.To().ID()), 1)
	}
	var eig mat.EigenSym
	if !eig.Factorize(adjacency, true) {
		return out // cannot happen for a real symmetric matrix
	}
	var vectors mat.Dense
	eig.VectorsTo(&vectors)
	// Eigenvalues come in ascending order: the leading vector is the last column.
	var largest float64
	for i := range out {
		out[i] = math.Abs(vectors.At(i, n-1))
		largest = max(largest, out[i])
	}
	for i := range out {
		out[i] /= largest
	}
	return out
}
