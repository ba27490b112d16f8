package network

import (
	"cmp"
	"context"
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

// Brokerage's bounds. Every pair of actors sharing a venue is a tie, so a
// venue engaging m actors makes m(m−1) ordered ties, and counting the roles
// walks, for each actor, the ties of each of its neighbours: the sum of the
// squared degrees. bench/ measured 1e9 such steps (10k nodes, 6,000 actors,
// 1.4M ties) at 4–9 s on 2 shared cores. Above either bound Brokerage
// refuses, saying how to narrow.
const (
	// MaxBrokerageTies is the most ordered ties, counted before repeats
	// are dropped, brokerage builds.
	MaxBrokerageTies = 20_000_000
	// MaxBrokerageWork is the most steps (sum over actors of their
	// squared number of ties) brokerage takes.
	MaxBrokerageWork = 2_000_000_000
)

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
//
// Ties are built from each venue's list of engaged actors, and each actor's
// open pairs are counted as all pairs of its neighbours, by side, less the
// tied ones, which are found by walking its neighbours' ties. It checks ctx
// once per actor.
func Brokerage(ctx context.Context, g *domain.Subgraph, sides map[string]domain.Side) ([]BrokerageScore, error) {
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
	var ties arcs
	engaged := map[string][]int32{} // venue ID → actors engaged in it
	for _, r := range g.Relations {
		if from, to, ok := ix.ends(r); ok {
			ties.add(from, to)
			ties.add(to, from)
			continue
		}
		actor, venue := byID[r.From], byID[r.To]
		if actor != nil && venue != nil && domain.IsEngagementOf(r, actor, venue) {
			if a, ok := ix.index[actor.ID]; ok {
				engaged[venue.ID] = append(engaged[venue.ID], a)
			}
		}
	}
	total, largest := len(ties), 0
	for venue, members := range engaged {
		slices.Sort(members)
		members = slices.Compact(members)
		engaged[venue] = members
		total += len(members) * (len(members) - 1)
		largest = max(largest, len(members))
	}
	if total > MaxBrokerageTies {
		return nil, domain.Errorf(domain.EINVALID,
			"brokerage builds at most %d ties between actors and these engagements make %d (the largest venue engages %d actors): narrow it with asOf",
			MaxBrokerageTies, total, largest)
	}
	for _, members := range engaged {
		for i, a := range members {
			for _, b := range members[i+1:] {
				ties.add(a, b)
				ties.add(b, a)
			}
		}
	}
	tied := ties.build(n)
	ties = nil
	var work int
	for a := range int32(n) {
		work += len(tied.of(a)) * len(tied.of(a))
	}
	if work > MaxBrokerageWork {
		return nil, domain.Errorf(domain.EINVALID,
			"brokerage would check %d pairs of ties, more than its bound of %d (the %d actors have %d ties): narrow it with asOf",
			work, MaxBrokerageWork, n, len(tied.targets)/2)
	}

	// Sides are numbered in order of first appearance, so the counts by
	// side are small arrays.
	var sideNames []domain.Side
	sideIndex := make([]int, n)
	for i, a := range ix.nodes {
		s := sides[a.ID]
		if s == "" {
			s = domain.SideOther
		}
		j := slices.Index(sideNames, s)
		if j < 0 {
			j = len(sideNames)
			sideNames = append(sideNames, s)
		}
		sideIndex[i] = j
	}
	k := len(sideNames)
	count := make([]int, k)
	closed := make([]int, k*k) // ordered tied pairs of b's neighbours, by sides
	var out []BrokerageScore
	mark := make([]int32, n) // mark[c] == b+1: c is a neighbour of b
	for b := range int32(n) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		clear(count)
		clear(closed)
		for _, c := range tied.of(b) {
			mark[c] = b + 1
			count[sideIndex[c]]++
		}
		for _, a := range tied.of(b) {
			row := closed[sideIndex[a]*k:]
			for _, c := range tied.of(a) {
				if mark[c] == b+1 {
					row[sideIndex[c]]++
				}
			}
		}
		sb := sideIndex[b]
		s := BrokerageScore{Node: ix.nodes[b], Side: sideNames[sb]}
		for sa := range k {
			for sc := range k {
				open := count[sa]*count[sc] - closed[sa*k+sc]
				if sa == sc {
					open -= count[sa] // a pair is two different neighbours
				}
				switch {
				case open == 0:
				case sa == sb && sb == sc:
					s.Coordinator += open
				case sa == sc:
					s.Itinerant += open
				case sb == sc:
					s.Gatekeeper += open
				case sb == sa:
					s.Representative += open
				default:
					s.Liaison += open
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
	return out, nil
}
