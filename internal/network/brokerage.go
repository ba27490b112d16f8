package network

import (
	"cmp"
	"context"
	"math/bits"
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
// 1.4M ties) at 4–9 s on 2 shared cores walking ties, 1.2–3.3 s with the
// rows of bits of tieBits. Above either bound Brokerage refuses, saying how
// to narrow.
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
	byBits := newTieBits(tied, sideIndex, k)
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
		byBits.neighboursOf(b)
		for _, a := range tied.of(b) {
			row := closed[sideIndex[a]*k : (sideIndex[a]+1)*k]
			// A neighbour with many ties is intersected word by word; one
			// with few is walked tie by tie. Both count the same pairs.
			if byBits.worthIt(len(tied.of(a))) {
				byBits.addShared(a, row)
				continue
			}
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

// tieBitsMaxActors bounds the actors tieBits keeps a row of bits for: n²/8
// bytes, 50 MB at 20,000 actors.
const tieBitsMaxActors = 20_000

// tieBits holds each actor's ties as a row of bits, so the ties a neighbour
// shares with a broker's neighbours of each side are counted 64 at a time.
// It is empty (and worthIt always false) above tieBitsMaxActors.
type tieBits struct {
	words int      // per row
	rows  []uint64 // actor a's ties: rows[a*words:(a+1)*words]
	sides []uint64 // the actors of side s: sides[s*words:(s+1)*words]
	masks []uint64 // the broker's neighbours of side s, set by neighboursOf
	k     int
}

func newTieBits(tied *adjacency, sideIndex []int, k int) *tieBits {
	n := tied.len()
	if n > tieBitsMaxActors {
		return &tieBits{}
	}
	words := (n + 63) / 64
	t := &tieBits{words: words, rows: make([]uint64, n*words), sides: make([]uint64, k*words),
		masks: make([]uint64, k*words), k: k}
	for a := range n {
		for _, c := range tied.of(int32(a)) {
			t.rows[a*words+int(c)/64] |= 1 << (c % 64)
		}
		t.sides[sideIndex[a]*words+a/64] |= 1 << (a % 64)
	}
	return t
}

// worthIt reports whether intersecting rows costs less than walking ties
// one by one: a word (and of two rows, then a population count) costs
// about an eighth of a tie (a look-up at a random place), as measured at
// 10k nodes, where intersecting every row took a third of walking every tie.
func (t *tieBits) worthIt(ties int) bool { return t.rows != nil && t.k*t.words < 8*ties }

// neighboursOf sets the masks to b's neighbours of each side.
func (t *tieBits) neighboursOf(b int32) {
	if t.rows == nil {
		return
	}
	row := t.rows[int(b)*t.words : (int(b)+1)*t.words]
	for s := range t.k {
		mask, side := t.masks[s*t.words:(s+1)*t.words], t.sides[s*t.words:(s+1)*t.words]
		for w := range mask {
			mask[w] = row[w] & side[w]
		}
	}
}

// addShared adds to count[s] how many of a's ties are the broker's
// neighbours of side s.
func (t *tieBits) addShared(a int32, count []int) {
	row := t.rows[int(a)*t.words : (int(a)+1)*t.words]
	for s := range t.k {
		mask := t.masks[s*t.words : (s+1)*t.words]
		shared := 0
		for w, bitsA := range row {
			shared += bits.OnesCount64(bitsA & mask[w])
		}
		count[s] += shared
	}
}
