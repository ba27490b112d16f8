package network

import (
	"context"
)

// bfs holds one breadth-first search's state, reused from source to source.
type bfs struct {
	dist  []int32 // hops from the source; −1 when not reached
	order []int32 // the reached nodes in the order they were reached
	paths []float64
}

func newBFS(n int) *bfs {
	b := &bfs{dist: make([]int32, n), order: make([]int32, 0, n), paths: make([]float64, n)}
	for i := range b.dist {
		b.dist[i] = -1
	}
	return b
}

// run searches g from s, counting the shortest paths to each node (Brandes'
// first phase). Neighbours are visited in ascending order, so the order of
// reached nodes, and every sum made along it, is the same on every run.
func (b *bfs) run(g *adjacency, s int32) {
	for _, v := range b.order {
		b.dist[v], b.paths[v] = -1, 0
	}
	b.order = append(b.order[:0], s)
	b.dist[s], b.paths[s] = 0, 1
	for head := 0; head < len(b.order); head++ {
		u := b.order[head]
		for _, v := range g.of(u) {
			if b.dist[v] < 0 {
				b.dist[v] = b.dist[u] + 1
				b.order = append(b.order, v)
			}
			if b.dist[v] == b.dist[u]+1 {
				b.paths[v] += b.paths[u]
			}
		}
	}
}

// forEachSource runs a search from every source (every node when sources
// is nil), checking ctx before each.
func forEachSource(ctx context.Context, g *adjacency, sources []int32, visit func(s int32, b *bfs)) error {
	b := newBFS(g.len())
	one := func(s int32) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		b.run(g, s)
		visit(s, b)
		return nil
	}
	if sources == nil {
		for s := range int32(g.len()) {
			if err := one(s); err != nil {
				return err
			}
		}
		return nil
	}
	for _, s := range sources {
		if err := one(s); err != nil {
			return err
		}
	}
	return nil
}

// betweenness is Brandes' algorithm on the undirected graph g: a search
// from each source, then each node's dependency on the source accumulated
// back from the farthest nodes. Summing over every source counts each pair
// of nodes from both ends, so the sum is divided by the (n−1)(n−2) ordered
// pairs. From a sample of k sources the sum is scaled by n/k (Brandes and
// Pich's estimate). gonum's network.Betweenness walks maps, adds its sums in
// a different order every run and takes no context, hence this one.
func betweenness(ctx context.Context, g *adjacency, sources []int32) ([]float64, error) {
	n := g.len()
	out := make([]float64, n)
	if n < 3 {
		return out, nil
	}
	dependency := make([]float64, n)
	err := forEachSource(ctx, g, sources, func(s int32, b *bfs) {
		for _, v := range b.order {
			dependency[v] = 0
		}
		for i := len(b.order) - 1; i > 0; i-- {
			w := b.order[i]
			// w's predecessors are its neighbours one hop nearer the source.
			share := (1 + dependency[w]) / b.paths[w]
			for _, v := range g.of(w) {
				if b.dist[v] == b.dist[w]-1 {
					dependency[v] += b.paths[v] * share
				}
			}
			out[w] += dependency[w]
		}
	})
	if err != nil {
		return nil, err
	}
	scale := 1 / float64((n-1)*(n-2))
	if sources != nil {
		scale *= float64(n) / float64(len(sources))
	}
	for v := range out {
		out[v] = min(out[v]*scale, 1)
	}
	return out, nil
}

// closeness is the reachable count over the sum of distances, from a
// search per node. From a sample of sources it is estimated, for each node,
// over the sampled sources it reaches (distances are symmetric on an
// undirected graph): the sampled count over the sampled distances.
// Distances are whole hops, so the sums are exact whatever the order.
func closeness(ctx context.Context, g *adjacency, sources []int32) ([]float64, error) {
	n := g.len()
	out := make([]float64, n)
	if sources == nil {
		err := forEachSource(ctx, g, nil, func(s int32, b *bfs) {
			var distances int64
			for _, v := range b.order[1:] {
				distances += int64(b.dist[v])
			}
			if distances > 0 {
				out[s] = float64(len(b.order)-1) / float64(distances)
			}
		})
		return out, err
	}
	reached := make([]int64, n)
	distances := make([]int64, n)
	err := forEachSource(ctx, g, sources, func(_ int32, b *bfs) {
		for _, v := range b.order[1:] {
			reached[v]++
			distances[v] += int64(b.dist[v])
		}
	})
	if err != nil {
		return nil, err
	}
	for v := range out {
		if distances[v] > 0 {
			out[v] = float64(reached[v]) / float64(distances[v])
		}
	}
	return out, nil
}
