// Package network ranks the stakeholder graph: centrality measures and
// Gould–Fernandez brokerage by side of the cooperation, computed on sparse
// adjacency lists so their cost follows the relations, not nodes². The
// functions take a domain.Subgraph, so their answers depend only on what a
// store's Graph returns; Analyzer fetches that subgraph from a store and
// caches the results per data version.
package network

import (
	"cmp"
	"math"
	"slices"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// scorePrecision is the step scores are rounded to: iterative float sums
// (PageRank, eigenvector) stop within a tolerance far below it, so rounding
// makes answers independent of those last bits and keeps equal scores equal.
const scorePrecision = 1e-9

func round(x float64) float64 {
	r := math.Round(x/scorePrecision) * scorePrecision
	if r == 0 {
		return 0 // no negative zero
	}
	return r
}

// indexed is a subgraph's nodes numbered in ID order, the numbering every
// adjacency built from it uses: walks and sums follow it, so they run in the
// same order on every run and on every store.
type indexed struct {
	nodes []*domain.Node
	index map[string]int32
}

func indexNodes(nodes []*domain.Node) *indexed {
	sorted := slices.Clone(nodes)
	slices.SortFunc(sorted, func(a, b *domain.Node) int { return cmp.Compare(a.ID, b.ID) })
	sorted = slices.CompactFunc(sorted, func(a, b *domain.Node) bool { return a.ID == b.ID })
	ix := &indexed{nodes: sorted, index: make(map[string]int32, len(sorted))}
	for i, n := range sorted {
		ix.index[n.ID] = int32(i)
	}
	return ix
}

// ends returns the numbers of r's ends, and false when r does not join two
// different nodes of the subgraph.
func (ix *indexed) ends(r *domain.Relation) (int32, int32, bool) {
	from, okFrom := ix.index[r.From]
	to, okTo := ix.index[r.To]
	return from, to, okFrom && okTo && from != to
}

// adjacency is a graph in compressed sparse rows: the neighbours of node u
// are targets[offsets[u]:offsets[u+1]], in ascending order, each once.
type adjacency struct {
	offsets []int32
	targets []int32
}

func (a *adjacency) len() int { return len(a.offsets) - 1 }

func (a *adjacency) of(u int32) []int32 { return a.targets[a.offsets[u]:a.offsets[u+1]] }

// arcs collects ordered pairs of node numbers; build turns them into an
// adjacency, dropping repeats.
type arcs []uint64

func (p *arcs) add(from, to int32) { *p = append(*p, uint64(from)<<32|uint64(uint32(to))) }

func (p arcs) build(n int) *adjacency {
	slices.Sort(p)
	p = slices.Compact(p)
	a := &adjacency{offsets: make([]int32, n+1), targets: make([]int32, len(p))}
	for i, arc := range p {
		a.offsets[arc>>32+1]++
		a.targets[i] = int32(uint32(arc))
	}
	for u := range n {
		a.offsets[u+1] += a.offsets[u]
	}
	return a
}

// undirected is the subgraph as an undirected graph: one tie per pair of
// nodes however many relations join them, in either direction.
func (ix *indexed) undirected(rels []*domain.Relation) *adjacency {
	p := make(arcs, 0, 2*len(rels))
	for _, r := range rels {
		if from, to, ok := ix.ends(r); ok {
			p.add(from, to)
			p.add(to, from)
		}
	}
	return p.build(len(ix.nodes))
}

// directed is the subgraph as a directed graph: one arc per ordered pair of
// nodes joined by a relation.
func (ix *indexed) directed(rels []*domain.Relation) *adjacency {
	p := make(arcs, 0, len(rels))
	for _, r := range rels {
		if from, to, ok := ix.ends(r); ok {
			p.add(from, to)
		}
	}
	return p.build(len(ix.nodes))
}

// reversed is a with every arc turned round: the in-neighbours of each
// node, in ascending order.
func (a *adjacency) reversed() *adjacency {
	n := a.len()
	r := &adjacency{offsets: make([]int32, n+1), targets: make([]int32, len(a.targets))}
	for _, v := range a.targets {
		r.offsets[v+1]++
	}
	for v := range n {
		r.offsets[v+1] += r.offsets[v]
	}
	next := slices.Clone(r.offsets[:n])
	// Walking u in ascending order appends each in-list in ascending order.
	for u := range n {
		for _, v := range a.of(int32(u)) {
			r.targets[next[v]] = int32(u)
			next[v]++
		}
	}
	return r
}
