package network

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/stakegraph/stakegraph/internal/domain"
	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/network"
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/traverse"
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
	// PageRank over the relations' directions, damping 0.85, a node without
	// out-arcs spreading its rank over all nodes (gonum's convention);
	// scores sum to 1.
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

// PageRankDamping is the schema's damping factor.
const PageRankDamping = 0.85

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
	switch {
	case len(ix.nodes) == 0:
		// gonum's dense graphs need a node.
	case measure == Degree:
		raw = degree(ix.undirected(g.Relations))
	case measure == Betweenness:
		raw = betweenness(ix.undirected(g.Relations))
	case measure == Closeness:
		raw = closeness(ix.undirected(g.Relations))
	case measure == PageRank:
		raw = pageRank(ix.directed(g.Relations))
	case measure == Eigenvector:
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

func degree(g *simple.UndirectedMatrix) []float64 {
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

func betweenness(g *simple.UndirectedMatrix) []float64 {
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

// closeness walks breadth first from every node: distances are whole hops,
// so the sums are exact whatever the order.
func closeness(g *simple.UndirectedMatrix) []float64 {
	out := make([]float64, g.Nodes().Len())
	for u := range out {
		var reachable, distances int
		var walk traverse.BreadthFirst
		walk.Walk(g, simple.Node(u), func(_ graph.Node, depth int) bool {
			if depth > 0 {
				reachable++
				distances += depth
			}
			return false
		})
		if reachable > 0 {
			out[u] = float64(reachable) / float64(distances)
		}
	}
	return out
}

// pageRank solves the PageRank equation p = d·S·p + (1−d)/n directly, S
// being the column-stochastic link matrix (a node without out-arcs links to
// every node). gonum's network.PageRank iterates to the same vector but
// from a random start, so its last digits change run to run; an LU solve of
// the same system gives the same bits every time. The tests check the two
// agree.
func pageRank(g *simple.DirectedMatrix) []float64 {
	n := g.Nodes().Len()
	a := mat.NewDense(n, n, nil) // I − d·S
	for j := range n {
		to := graph.NodesOf(g.From(int64(j)))
		if len(to) == 0 {
			for i := range n {
				a.Set(i, j, -PageRankDamping/float64(n))
			}
		}
		for _, v := range to {
			a.Set(int(v.ID()), j, -PageRankDamping/float64(len(to)))
		}
		a.Set(j, j, a.At(j, j)+1)
	}
	b := mat.NewVecDense(n, nil)
	for i := range n {
		b.SetVec(i, (1-PageRankDamping)/float64(n))
	}
	var p mat.VecDense
	if err := p.SolveVec(a, b); err != nil {
		// I − d·S is strictly diagonally dominant by columns for d < 1, so
		// it is never singular; keep zeros rather than fail if it were.
		return make([]float64, n)
	}
	return slices.Clone(p.RawVector().Data)
}

func eigenvector(g *simple.UndirectedMatrix) []float64 {
	n := g.Nodes().Len()
	out := make([]float64, n)
	adjacency, ok := g.Matrix().(mat.Symmetric)
	if !ok || g.Edges().Len() == 0 {
		return out
	}
	var eig mat.EigenSym
	if !eig.Factorize(adjacency, true) {
		return out // does not happen for a real symmetric matrix
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
