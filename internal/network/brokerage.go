package network

import (
	"cmp"
	"slices"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// Grouping says how brokerage groups actors; the values are the GraphQL enum's.
type Grouping string

// GroupBySide groups actors by domain.AssignSides, the only grouping.
const GroupBySide Grouping = "SIDE"

// BrokerageScore is one actor's Gould–Fernandez role counts. Each count is
// over ordered pairs (A, C) of the actor's neighbours that are not tied to
// each other, read as the flow A → actor → C.
type BrokerageScore struct {
	Node           *domain.Node
	Side           domain.Side
	Coordinator    int // A, actor and C all of one side
	Itinerant      int // A and C of one side, the actor of another
	Gatekeeper     int // the actor of C's side only: it lets A's side in
	Representative int // the actor of A's side only: it speaks for its side to C's
	Liaison        int // three different sides
}

// Total is the sum of the five roles.
func (s BrokerageScore) Total() int {
	return s.Coordinator + s.Itinerant + s.Gatekeeper + s.Representative + s.Liaison
}

// Brokerage counts the brokerage roles of every actor (country,
// organization, person) of g. Two actors are tied when a relation of g joins
// them (any type, either direction) or both engage in the same venue of g
// (domain.IsEngagementOf); ties are undirected. sides gives each actor its
// group (g.AssignSides() when nil; an actor missing from it is OTHER). It
// returns the actors with a total above 0, by total descending, then ID.
//
// Because ties are undirected each open pair is counted both ways: the
// coordinator, itinerant and liaison counts are even and gatekeeper equals
// representative.
func Brokerage(g *domain.Subgraph, sides map[string]domain.Side) []BrokerageScore {
	if sides == nil {
		sides = g.AssignSides()
	}
	byID := make(map[string]*domain.Node, len(g.Nodes))
	var actors []*domain.Node
	for _, n := range g.Nodes {
		byID[n.ID] = n
		if n.Kind.IsActor() {
			actors = append(actors, n)
		}
	}
	ix := indexNodes(actors)
	n := len(ix.nodes)
	tied := make([][]bool, n)
	for i := range tied {
		tied[i] = make([]bool, n)
	}
	tie := func(a, b int64) {
		if a != b {
			tied[a][b], tied[b][a] = true, true
		}
	}
	engaged := map[string][]int64{} // venue ID → actors engaged in it
	for _, r := range g.Relations {
		if from, to, ok := ix.ends(r); ok {
			tie(from, to)
			continue
		}
		actor, venue := byID[r.From], byID[r.To]
		if actor != nil && venue != nil && domain.IsEngagementOf(r, actor, venue) {
			if a, ok := ix.index[actor.ID]; ok {
				engaged[venue.ID] = append(engaged[venue.ID], a)
			}
		}
	}
	for _, members := range engaged {
		for i, a := range members {
			for _, b := range members[i+1:] {
				tie(a, b)
			}
		}
	}

	side := make([]domain.Side, n)
	for i, a := range ix.nodes {
		side[i] = sides[a.ID]
		if side[i] == "" {
			side[i] = domain.SideOther
		}
	}
	var out []BrokerageScore
	for b := range n {
		var neighbours []int
		for v := range n {
			if tied[b][v] {
				neighbours = append(neighbours, v)
			}
		}
		s := BrokerageScore{Node: ix.nodes[b], Side: side[b]}
		for _, a := range neighbours {
			for _, c := range neighbours {
				if a == c || tied[a][c] {
					continue
				}
				sa, sb, sc := side[a], side[b], side[c]
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
	slices.SortFunc(out, func(x, y BrokerageScore) int {
		if c := cmp.Compare(y.Total(), x.Total()); c != 0 {
			return c
		}
		return cmp.Compare(x.Node.ID, y.Node.ID)
	})
	return out
}
