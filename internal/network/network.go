// Package network ranks the stakeholder graph: centrality measures computed
// with gonum's graph packages and Gould–Fernandez brokerage by side of the
// cooperation. The functions take a domain.Subgraph, so their answers depend
// only on what a store's Graph returns; Analyzer fetches that subgraph from
// a store and caches the results per data version.
package network

import (
	"cmp"
	"math"
	"slices"

	"github.com/stakegraph/stakegraph/internal/domain"
	"gonum.org/v1/gonum/graph/simple"
)

// scorePrecision is the step scores are rounded to: iterative and
// order-dependent float sums (PageRank starts from a random vector, gonum
// walks maps) differ run to run far below it, so rounding makes answers
// repeatable and keeps equal scores equal.
const scorePrecision = 1e-9

func round(x float64) float64 {
	r := math.Round(x/scorePrecision) * scorePrecision
	if r == 0 {
		return 0 // no negative zero
	}
	return r
}

// indexed is a subgraph's nodes numbered in ID order, the numbering every
// gonum graph built from it uses.
type indexed struct {
	nodes []*domain.Node
	index map[string]int64
}

func indexNodes(nodes []*domain.Node) *indexed {
	sorted := slices.Clone(nodes)
	slices.SortFunc(sorted, func(a, b *domain.Node) int { return cmp.Compare(a.ID, b.ID) })
	sorted = slices.CompactFunc(sorted, func(a, b *domain.Node) bool { return a.ID == b.ID })
	ix := &indexed{nodes: sorted, index: make(map[string]int64, len(sorted))}
	for i, n := range sorted {
		ix.index[n.ID] = int64(i)
	}
	return ix
}

// ends returns the numbers of r's ends, and false when r does not join two
// different nodes of the subgraph.
func (ix *indexed) ends(r *domain.Relation) (int64, int64, bool) {
	from, okFrom := ix.index[r.From]
	to, okTo := ix.index[r.To]
	return from, to, okFrom && okTo && from != to
}

// undirected is the subgraph as a dense undirected graph: one tie per pair
// of nodes however many relations join them, in either direction. Dense
// graphs list nodes and neighbours in ID order (sparse ones walk maps), so
// gonum sums floats in the same order on every run. n must be at least 1.
func (ix *indexed) undirected(rels []*domain.Relation) *simple.UndirectedMatrix {
	g := simple.NewUndirectedMatrix(len(ix.nodes), 0, 0, 0)
	for _, r := range rels {
		if from, to, ok := ix.ends(r); ok {
			g.SetEdge(simple.Edge{F: simple.Node(from), T: simple.Node(to)})
		}
	}
	return g
}

// directed is the subgraph as a dense directed graph: one arc per ordered
// pair of nodes joined by a relation. n must be at least 1.
func (ix *indexed) directed(rels []*domain.Relation) *simple.DirectedMatrix {
	g := simple.NewDirectedMatrix(len(ix.nodes), 0, 0, 0)
	for _, r := range rels {
		if from, to, ok := ix.ends(r); ok {
			g.SetEdge(simple.Edge{F: simple.Node(from), T: simple.Node(to)})
		}
	}
	return g
}
