package storetest

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/network"
	"gonum.org/v1/gonum/mat"
)

// ties is a subgraph as the measures read it, by brute force: nodes in ID
// order, each node's distinct neighbours (undirected) and out-neighbours
// (directed), shortest-path counts between all pairs.
type ties struct {
	ids   []string
	index map[string]int
	adj   [][]bool // undirected, no self-ties
	arcs  [][]bool // directed
	dist  [][]int  // hops; −1 when unreachable
	paths [][]float64
}

func newTies(nodes []*domain.Node, rels []*domain.Relation) *ties {
	t := &ties{index: map[string]int{}}
	for _, n := range nodes {
		t.ids = append(t.ids, n.ID)
	}
	slices.Sort(t.ids)
	n := len(t.ids)
	for i, id := range t.ids {
		t.index[id] = i
	}
	t.adj, t.arcs = square[bool](n), square[bool](n)
	for _, r := range rels {
		a, okA := t.index[r.From]
		b, okB := t.index[r.To]
		if okA && okB && a != b {
			t.adj[a][b], t.adj[b][a], t.arcs[a][b] = true, true, true
		}
	}
	// Path counts by levels: σ(s, v) sums σ(s, u) over the neighbours u of
	// v one hop nearer s, level after level.
	t.dist, t.paths = square[int](n), square[float64](n)
	for s := range n {
		for v := range n {
			t.dist[s][v] = -1
		}
		t.dist[s][s], t.paths[s][s] = 0, 1
		for level := 0; ; level++ {
			grew := false
			for v := range n {
				if t.dist[s][v] != -1 {
					continue
				}
				for u := range n {
					if t.adj[u][v] && t.dist[s][u] == level {
						t.dist[s][v] = level + 1
						t.paths[s][v] += t.paths[s][u]
					}
				}
				grew = grew || t.dist[s][v] != -1
			}
			if !grew {
				break
			}
		}
	}
	return t
}

func square[T any](n int) [][]T {
	out := make([][]T, n)
	for i := range out {
		out[i] = make([]T, n)
	}
	return out
}

// sources are the node numbers betweenness and closeness search from, as
// network.Limits documents: all while nodes × (nodes + 2 × ties) fits the
// budget, else max(budget / (nodes + 2 × ties), MinSources) nodes, the
// ⌊i·n/k⌋-th in ID order; nil for all.
func (t *ties) sources(l network.Limits) []int {
	n, arcs := len(t.ids), 0
	for _, row := range t.adj {
		for _, tied := range row {
			if tied {
				arcs++
			}
		}
	}
	if n*(n+arcs) <= l.SearchBudget {
		return nil
	}
	k := max(l.SearchBudget/(n+arcs), l.MinSources)
	if k >= n {
		return nil
	}
	var out []int
	for i := range k {
		out = append(out, i*n/k)
	}
	return out
}

// centrality scores every node by measure's definition, from the sources
// (all when nil).
func (t *ties) centrality(m network.Measure, sources []int) []float64 {
	n := len(t.ids)
	out := make([]float64, n)
	all := sources == nil
	if all {
		for s := range n {
			sources = append(sources, s)
		}
	}
	switch m {
	case network.Degree:
		for v := range n {
			if n > 1 {
				out[v] = float64(count(t.adj[v])) / float64(n-1)
			}
		}
	case network.Betweenness:
		// For each source s and target t, the share of s–t shortest paths
		// through v: those that reach v at d(s,v) and go on to t.
		if n < 3 {
			return out
		}
		for v := range n {
			for _, s := range sources {
				for u := range n {
					if s == v || u == v || u == s || t.dist[s][u] < 0 || t.dist[s][v] < 0 || t.dist[v][u] < 0 {
						continue
					}
					if t.dist[s][v]+t.dist[v][u] == t.dist[s][u] {
						out[v] += t.paths[s][v] * t.paths[v][u] / t.paths[s][u]
					}
				}
			}
			out[v] *= float64(n) / float64(len(sources)) / float64((n-1)*(n-2))
			out[v] = min(out[v], 1)
		}
	case network.Closeness:
		for v := range n {
			var reached, sum int
			for _, s := range sources {
				if s != v && t.dist[s][v] > 0 {
					reached++
					sum += t.dist[s][v]
				}
			}
			if sum > 0 {
				out[v] = float64(reached) / float64(sum)
			}
		}
	case network.PageRank:
		out = t.densePageRank()
	case network.Eigenvector:
		out = t.denseEigenvector()
	}
	return out
}

func count(row []bool) int {
	c := 0
	for _, b := range row {
		if b {
			c++
		}
	}
	return c
}

// densePageRank solves (I − d·S)·p = (1−d)/n with a dense LU
// factorisation, S the column-stochastic link matrix, a node without
// out-arcs linking to every node.
func (t *ties) densePageRank() []float64 {
	n := len(t.ids)
	if n == 0 {
		return nil
	}
	d := network.PageRankDamping
	a := mat.NewDense(n, n, nil)
	for j := range n {
		out := count(t.arcs[j])
		for i := range n {
			switch {
			case out == 0:
				a.Set(i, j, -d/float64(n))
			case t.arcs[j][i]:
				a.Set(i, j, -d/float64(out))
			}
		}
		a.Set(j, j, a.At(j, j)+1)
	}
	b := mat.NewVecDense(n, nil)
	for i := range n {
		b.SetVec(i, (1-d)/float64(n))
	}
	var p mat.VecDense
	if err := p.SolveVec(a, b); err != nil {
		panic(err) // I − d·S is never singular for d < 1
	}
	return slices.Clone(p.RawVector().Data)
}

// denseEigenvector is the absolute leading eigenvector of the adjacency
// matrix scaled to a largest entry of 1, or nil when it is not well
// defined enough to compare: a graph that is not connected, or whose
// leading eigenvalue λ₁ is not well apart (|λ|+1 ≤ 0.99·(λ₁+1) for every
// other eigenvalue λ, the separation power iteration needs).
func (t *ties) denseEigenvector() []float64 {
	n := len(t.ids)
	if n < 2 {
		return nil
	}
	for v := range n {
		if t.dist[0][v] < 0 {
			return nil
		}
	}
	a := mat.NewSymDense(n, nil)
	for i := range n {
		for j := range n {
			if t.adj[i][j] {
				a.SetSym(i, j, 1)
			}
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(a, true) {
		return nil
	}
	values := eig.Values(nil)
	lead := values[n-1]
	if values[n-2]+1 > 0.99*(lead+1) || math.Abs(values[0]+1) > 0.99*(lead+1) {
		return nil
	}
	var vectors mat.Dense
	eig.VectorsTo(&vectors)
	out := make([]float64, n)
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

// checkRanking compares a ranking of the first `first` nodes with the
// reference scores: each within 2e-9 of its reference score (scores are
// rounded to 1e-9), and none of the others scoring higher than the last.
func checkRanking(tb testing.TB, r *network.Ranking, t *ties, want []float64, first int) {
	tb.Helper()
	if len(r.Scores) != min(first, len(t.ids)) {
		tb.Fatalf("%d scores, want %d", len(r.Scores), min(first, len(t.ids)))
	}
	if len(r.Scores) > 0 {
		listed := map[string]bool{}
		for _, s := range r.Scores {
			listed[s.Node.ID] = true
		}
		last := r.Scores[len(r.Scores)-1].Score
		for i, id := range t.ids {
			if !listed[id] && want[i] > last+2e-9 {
				tb.Errorf("%s scores %.12f and is left out while %.12f is listed", id, want[i], last)
			}
		}
	}
	for _, s := range r.Scores {
		i, ok := t.index[s.Node.ID]
		if !ok {
			tb.Errorf("%s is ranked but not in the graph", s.Node.ID)
			continue
		}
		if math.Abs(s.Score-want[i]) > 2e-9 {
			tb.Errorf("%s: got %.12f, want %.12f", s.Node.ID, s.Score, want[i])
		}
	}
}

// RunRandomAnalyses runs only the analysis rounds of RunRandom (see
// randomAnalyses) on s, which holds g: for stores where the other rounds
// would take too long.
func RunRandomAnalyses(t *testing.T, s domain.Store, g *domain.Graph, seed uint64, rounds int) {
	t.Helper()
	d := drawer{rng: rand.New(rand.NewPCG(seed, 0xa7a1)), ref: newReference(g)}
	randomAnalyses(context.Background(), t, s, d, rounds)
}

// randomAnalyses ranks random selections of the graph by every measure,
// through a network.Analyzer over s, and compares each score with the
// brute-force definition; then ranks them with small limits, so
// betweenness and closeness are estimated from a sample of sources, and
// compares those with the definition over the same sources; then checks
// brokerage and co-participation against their references.
func randomAnalyses(ctx context.Context, t *testing.T, s domain.Store, d drawer, rounds int) {
	analyzer := network.NewAnalyzer(s)
	for round := range rounds {
		q := network.CentralityQuery{First: domain.MaxPageSize}
		if d.rng.IntN(2) == 0 {
			q.Kinds = d.kinds()
		}
		if d.rng.IntN(3) == 0 {
			q.Topic = d.topic()
		}
		if d.rng.IntN(3) == 0 {
			q.AsOf = d.date()
		}
		gq := domain.GraphQuery{Kinds: q.Kinds, Topic: q.Topic, AsOf: q.AsOf}
		if len(gq.Kinds) == 0 {
			gq.Kinds = network.DefaultKinds
		}
		nodeIDs, relIDs := d.ref.graph(gq)
		var nodes []*domain.Node
		var rels []*domain.Relation
		for _, id := range nodeIDs {
			nodes = append(nodes, d.ref.byID[id])
		}
		for _, id := range relIDs {
			rels = append(rels, d.ref.relation(id))
		}
		tied := newTies(nodes, rels)
		sub, err := s.Graph(ctx, gq)
		noErr(t, err)
		limits := network.Limits{SearchBudget: 1 + d.rng.IntN(len(nodes)*len(nodes)+1), MinSources: 1 + d.rng.IntN(5), MaxNodes: len(nodes)}
		for _, m := range network.Measures {
			t.Run(fmt.Sprintf("%d centrality %s %+v", round, m, gq), func(t *testing.T) {
				q := q
				q.Measure, q.First = m, len(nodes)
				if len(nodes) == 0 {
					return
				}
				q.First = 1 + d.rng.IntN(domain.MaxPageSize)
				r, err := analyzer.Centrality(ctx, q)
				noErr(t, err)
				if r.NodeCount != len(nodes) || r.EdgeCount != len(rels) || r.Approximate() {
					t.Errorf("got %d nodes, %d relations, approximate %v; want %d, %d, exact",
						r.NodeCount, r.EdgeCount, r.Approximate(), len(nodes), len(rels))
				}
				want := tied.centrality(m, nil)
				if m == network.Eigenvector && want == nil {
					return // not well defined enough to compare
				}
				checkRanking(t, r, tied, want, q.First)

				sampled, err := network.CentralityWithin(ctx, sub, m, 0, limits)
				noErr(t, err)
				sources := tied.sources(limits)
				if m == network.Betweenness || m == network.Closeness {
					if sampled.SampledSources != len(sources) {
						t.Errorf("with %+v: sampled %d sources, want %d", limits, sampled.SampledSources, len(sources))
					}
					want = tied.centrality(m, sources)
				} else if sampled.Approximate() {
					t.Errorf("%s is approximate, want it exact at any size", m)
				}
				checkRanking(t, sampled, tied, want, len(nodes))

				tooSmall := limits
				tooSmall.MaxNodes = len(nodes) - 1
				_, err = network.CentralityWithin(ctx, sub, m, 0, tooSmall)
				wantCode(t, err, domain.EINVALID)
			})
		}

		bq := network.BrokerageQuery{First: 1 + d.rng.IntN(domain.MaxPageSize)}
		if d.rng.IntN(2) == 0 {
			bq.AsOf = d.date()
		}
		t.Run(fmt.Sprintf("%d brokerage %+v", round, bq), func(t *testing.T) {
			scores, err := analyzer.Brokerage(ctx, bq)
			noErr(t, err)
			compareRows(t, "brokerage", renderAll(scores, renderBrokerage), d.ref.brokerage(bq))
		})

		cq := domain.CoParticipationQuery{First: 1 + d.rng.IntN(domain.MaxPageSize)}
		if d.rng.IntN(2) == 0 {
			cq.Kinds = slices.Compact([]domain.Kind{d.actor().Kind, d.actor().Kind})
		}
		if d.rng.IntN(3) == 0 {
			cq.Topic = d.topic()
		}
		if d.rng.IntN(2) == 0 {
			cq.AsOf = d.date()
		}
		t.Run(fmt.Sprintf("%d coParticipation %+v", round, cq), func(t *testing.T) {
			rows, err := s.CoParticipation(ctx, cq)
			noErr(t, err)
			compareRows(t, "co-participation", renderAll(rows, renderCoParticipation), d.ref.coParticipation(cq))
		})
	}
}

func renderBrokerage(s network.BrokerageScore) string {
	return fmt.Sprintf("%s/%s=%d,%d,%d,%d,%d", s.Node.ID, s.Side, s.Coordinator, s.Itinerant, s.Gatekeeper, s.Representative, s.Liaison)
}

// brokerage answers a valid BrokerageQuery by its definition, rendered:
// sides from the actors and venues with all their relations; ties between
// actors joined by a relation active at q.AsOf or engaged (active then) in
// one venue; for each actor, every ordered pair of its tied neighbours that
// are not tied to each other, classified by the three sides.
func (ref *reference) brokerage(q network.BrokerageQuery) []string {
	kinds := []domain.Kind{domain.KindCountry, domain.KindOrganization, domain.KindPerson,
		domain.KindProgramme, domain.KindEvent, domain.KindAgreement}
	nodeIDs, relIDs := ref.graph(domain.GraphQuery{Kinds: kinds})
	var nodes []*domain.Node
	var rels []*domain.Relation
	for _, id := range nodeIDs {
		nodes = append(nodes, ref.byID[id])
	}
	for _, id := range relIDs {
		rels = append(rels, ref.relation(id))
	}
	sides := domain.AssignSides(nodes, rels)
	var actors []*domain.Node
	for _, n := range nodes {
		if n.Kind.IsActor() {
			actors = append(actors, n)
		}
	}
	index := map[string]int{}
	for i, a := range actors {
		index[a.ID] = i
	}
	tied := square[bool](len(actors))
	engaged := map[string][]int{}
	for _, r := range rels {
		if !r.ActiveAt(q.AsOf) {
			continue
		}
		a, okA := index[r.From]
		b, okB := index[r.To]
		switch {
		case okA && okB && a != b:
			tied[a][b], tied[b][a] = true, true
		case okA && domain.IsEngagementOf(r, ref.byID[r.From], ref.byID[r.To]):
			engaged[r.To] = append(engaged[r.To], a)
		}
	}
	for _, members := range engaged {
		for _, a := range members {
			for _, b := range members {
				if a != b {
					tied[a][b] = true
				}
			}
		}
	}
	side := func(i int) domain.Side {
		if s := sides[actors[i].ID]; s != "" {
			return s
		}
		return domain.SideOther
	}
	var out []network.BrokerageScore
	for b := range actors {
		s := network.BrokerageScore{Node: actors[b], Side: side(b)}
		for a := range actors {
			for c := range actors {
				if a == c || !tied[b][a] || !tied[b][c] || tied[a][c] {
					continue
				}
				sa, sb, sc := side(a), side(b), side(c)
				switch {
				case sa == sb && sb == sc:
					s.Coordinator++
				case sa == sc:
					s.Itinerant++
				case sb == sc:
					s.Gatekeeper++
				case sb == sa:
					s.Representative++
				default:
					s.Liaison++
				}
			}
		}
		if s.Total() > 0 {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(x, y network.BrokerageScore) int {
		if x.Total() != y.Total() {
			return y.Total() - x.Total()
		}
		return strings.Compare(x.Node.ID, y.Node.ID)
	})
	return renderAll(out[:min(len(out), q.First)], renderBrokerage)
}
