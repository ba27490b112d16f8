package storetest

import (
	"fmt"
	"slices"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// reference answers queries by brute force over the whole relation list:
// slow and simple on purpose, so it shares no traversal code with any store.
type reference struct {
	nodes     []*domain.Node // sorted by ID
	byID      map[string]*domain.Node
	relations []*domain.Relation // sorted by ID
}

func newReference(g *domain.Graph) *reference {
	ref := &reference{byID: map[string]*domain.Node{}}
	ref.nodes = slices.Clone(g.Nodes)
	domain.SortNodes(ref.nodes)
	for _, n := range ref.nodes {
		ref.byID[n.ID] = n
	}
	ref.relations = slices.Clone(g.Relations)
	domain.SortRelations(ref.relations)
	return ref
}

func allowed(r *domain.Relation, types []domain.RelationType) bool {
	return len(types) == 0 || slices.Contains(types, r.Type)
}

func (ref *reference) adjacent(a, b string) bool {
	for _, r := range ref.relations {
		if (r.From == a && r.To == b) || (r.From == b && r.To == a) {
			return true
		}
	}
	return false
}

func (ref *reference) matchingRelations(f domain.RelationFilter) []string {
	var out []string
	for _, r := range ref.relations {
		if !allowed(r, f.Types) {
			continue
		}
		touches := len(f.NodeIDs) == 0
		for _, id := range f.NodeIDs {
			switch f.Direction {
			case domain.DirectionOut:
				touches = touches || r.From == id
			case domain.DirectionIn:
				touches = touches || r.To == id
			default:
				touches = touches || r.From == id || r.To == id
			}
		}
		if touches {
			out = append(out, r.ID)
		}
	}
	return out
}

// levels returns each node's hop distance from start, expanding one level per
// pass over all relations; enter decides which nodes may be entered.
func (ref *reference) levels(start string, types []domain.RelationType, maxHops int, enter func(*domain.Node) bool) map[string]int {
	dist := map[string]int{start: 0}
	for hop := 1; hop <= maxHops; hop++ {
		grew := false
		for _, r := range ref.relations {
			if !allowed(r, types) {
				continue
			}
			for _, e := range [][2]string{{r.From, r.To}, {r.To, r.From}} {
				if d, ok := dist[e[0]]; ok && d == hop-1 {
					if _, seen := dist[e[1]]; !seen && enter(ref.byID[e[1]]) {
						dist[e[1]] = hop
						grew = true
					}
				}
			}
		}
		if !grew {
			break
		}
	}
	return dist
}

func (ref *reference) neighborhood(q domain.NeighborhoodQuery) (nodes, rels []string) {
	dist := ref.levels(q.Root, q.RelationTypes, q.Depth, func(n *domain.Node) bool {
		return len(q.Kinds) == 0 || slices.Contains(q.Kinds, n.Kind)
	})
	for _, n := range ref.nodes {
		if _, ok := dist[n.ID]; ok {
			nodes = append(nodes, n.ID)
		}
	}
	for _, r := range ref.relations {
		_, a := dist[r.From]
		_, b := dist[r.To]
		if a && b && allowed(r, q.RelationTypes) {
			rels = append(rels, r.ID)
		}
	}
	return nodes, rels
}

func (ref *reference) distance(from, to string, types []domain.RelationType) (int, bool) {
	dist := ref.levels(from, types, len(ref.nodes), func(*domain.Node) bool { return true })
	d, ok := dist[to]
	return d, ok
}

// countShortest counts shortest paths relation by relation, so parallel
// relations between the same two nodes make distinct paths.
func (ref *reference) countShortest(from, to string, types []domain.RelationType) int {
	dist := ref.levels(from, types, len(ref.nodes), func(*domain.Node) bool { return true })
	count := map[string]int{from: 1}
	for hop := 1; hop <= dist[to]; hop++ {
		for _, r := range ref.relations {
			if !allowed(r, types) {
				continue
			}
			for _, e := range [][2]string{{r.From, r.To}, {r.To, r.From}} {
				if d, ok := dist[e[1]]; ok && d == hop && dist[e[0]] == hop-1 {
					count[e[1]] += count[e[0]]
				}
			}
		}
	}
	return count[to]
}

func (ref *reference) checkPath(p *domain.Path, q domain.PathQuery) error {
	if len(p.Nodes) != len(p.Relations)+1 {
		return fmt.Errorf("%d nodes for %d relations", len(p.Nodes), len(p.Relations))
	}
	if p.Nodes[0].ID != q.From || p.Nodes[len(p.Nodes)-1].ID != q.To {
		return fmt.Errorf("runs from %s to %s, want %s to %s", p.Nodes[0].ID, p.Nodes[len(p.Nodes)-1].ID, q.From, q.To)
	}
	seen := map[string]bool{}
	for i, r := range p.Relations {
		a, b := p.Nodes[i].ID, p.Nodes[i+1].ID
		if !((r.From == a && r.To == b) || (r.From == b && r.To == a)) {
			return fmt.Errorf("relation %s does not join %s and %s", r.ID, a, b)
		}
		if !allowed(r, q.RelationTypes) {
			return fmt.Errorf("relation %s has type %s, not in %v", r.ID, r.Type, q.RelationTypes)
		}
		if seen[a] {
			return fmt.Errorf("node %s repeats", a)
		}
		seen[a] = true
	}
	return nil
}

// cooperation lists the expected rows, rendered with renderCooperation.
func (ref *reference) cooperation(q domain.CooperationQuery) []string {
	type row struct {
		partner, via string
		rels         []string
	}
	rows := map[[2]string]*row{}
	add := func(partner, via string, rels ...string) {
		if !ref.byID[partner].Kind.IsActor() || (q.Partner != "" && partner != q.Partner) {
			return
		}
		k := [2]string{partner, via}
		if rows[k] == nil {
			rows[k] = &row{partner: partner, via: via}
		}
		for _, id := range rels {
			if !slices.Contains(rows[k].rels, id) {
				rows[k].rels = append(rows[k].rels, id)
			}
		}
	}
	for _, r := range ref.relations {
		if r.Type == domain.RelCooperatesWith && r.From == q.Actor {
			add(r.To, "", r.ID)
		}
		if r.Type == domain.RelCooperatesWith && r.To == q.Actor {
			add(r.From, "", r.ID)
		}
		if r.From != q.Actor || !r.Type.IsEngagement() || !ref.byID[r.To].Kind.IsVenue() {
			continue
		}
		for _, pr := range ref.relations {
			if pr.To == r.To && pr.From != q.Actor && pr.Type.IsEngagement() {
				add(pr.From, r.To, r.ID, pr.ID)
			}
		}
	}
	var out []string
	for _, rw := range rows {
		var topics []string
		for _, r := range ref.relations {
			if rw.via != "" && r.From == rw.via && r.Type == domain.RelAddresses {
				topics = append(topics, r.To)
			}
		}
		if q.Topic != "" && !slices.Contains(topics, q.Topic) {
			continue
		}
		slices.Sort(rw.rels)
		out = append(out, fmt.Sprintf("%s via %q topics %v relations %v", rw.partner, rw.via, topics, rw.rels))
	}
	// Rows render as "partner via venue …", so text order is partner-then-venue order.
	slices.Sort(out)
	return out
}

func renderCooperation(c *domain.Cooperation) string {
	via := ""
	if c.Via != nil {
		via = c.Via.ID
	}
	return fmt.Sprintf("%s via %q topics %v relations %v", c.Partner.ID, via, nodeIDs(c.Topics), relationIDs(c.Relations))
}

func renderNode(n *domain.Node) string {
	if n == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%+v", *n)
}

func renderRelation(r *domain.Relation) string {
	return fmt.Sprintf("%+v", *r)
}
