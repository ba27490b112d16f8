package storetest

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// reference answers queries by brute force over the whole relation list:
// slow and simple on purpose, so it shares no traversal code with any store.
// Only the domain's definitions are shared: Scope.Allows, ConcernedTopics,
// ActiveAt and the documented orderings, which are the spec.
type reference struct {
	nodes     []*domain.Node // sorted by ID
	byID      map[string]*domain.Node
	relations []*domain.Relation // sorted by ID
	incident  map[string][]*domain.Relation
	concerns  map[string][]string // relation ID → topics it concerns
}

func newReference(g *domain.Graph) *reference {
	ref := &reference{byID: map[string]*domain.Node{}, incident: map[string][]*domain.Relation{}}
	ref.nodes = slices.Clone(g.Nodes)
	domain.SortNodes(ref.nodes)
	for _, n := range ref.nodes {
		ref.byID[n.ID] = n
	}
	ref.relations = slices.Clone(g.Relations)
	domain.SortRelations(ref.relations)
	for _, r := range ref.relations {
		ref.incident[r.From] = append(ref.incident[r.From], r)
		ref.incident[r.To] = append(ref.incident[r.To], r)
	}
	ref.concerns = domain.ConcernedTopics(g)
	return ref
}

func allowed(r *domain.Relation, types []domain.RelationType) bool {
	return len(types) == 0 || slices.Contains(types, r.Type)
}

func (ref *reference) inScope(s domain.Scope, r *domain.Relation) bool {
	return s.Allows(r, ref.concerns[r.ID])
}

// relation returns the relation with the given ID.
func (ref *reference) relation(id string) *domain.Relation {
	i := slices.IndexFunc(ref.relations, func(r *domain.Relation) bool { return r.ID == id })
	return ref.relations[i]
}

// joins reports whether r links a and b, either way round.
func joins(r *domain.Relation, a, b string) bool {
	return (r.From == a && r.To == b) || (r.From == b && r.To == a)
}

func otherEnd(r *domain.Relation, id string) string {
	if r.From == id {
		return r.To
	}
	return r.From
}

func (ref *reference) adjacent(a, b string) bool {
	for _, r := range ref.relations {
		if joins(r, a, b) {
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
// pass over all relations; use decides which relations may be walked and
// enter which nodes may be entered.
func (ref *reference) levels(start string, use func(*domain.Relation) bool, maxHops int, enter func(*domain.Node) bool) map[string]int {
	dist := map[string]int{start: 0}
	for hop := 1; hop <= maxHops; hop++ {
		grew := false
		for _, r := range ref.relations {
			if !use(r) {
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

// subgraph renders the nodes of in (in ID order) and every in-scope relation
// between them.
func (ref *reference) subgraph(scope domain.Scope, in func(id string) bool) (nodes, rels []string) {
	for _, n := range ref.nodes {
		if in(n.ID) {
			nodes = append(nodes, n.ID)
		}
	}
	for _, r := range ref.relations {
		if in(r.From) && in(r.To) && ref.inScope(scope, r) {
			rels = append(rels, r.ID)
		}
	}
	return nodes, rels
}

// neighborhood walks level by level as domain.NeighborhoodQuery defines,
// fan-out cap included: each node of a level lists its candidates (in-scope
// relation, allowed kind, not in an earlier level) by scanning every
// relation, and enters the first domain.MaxFanOut of them by ID. capped
// lists the nodes that had more, ordered by ID.
func (ref *reference) neighborhood(q domain.NeighborhoodQuery) (nodes, rels, capped []string) {
	scope := q.Scope()
	in := map[string]bool{q.Root: true}
	frontier := []string{q.Root}
	for range q.Depth {
		next := map[string]bool{}
		for _, u := range frontier {
			candidates := map[string]bool{}
			for _, r := range ref.relations {
				if !joinsEnd(r, u) || !ref.inScope(scope, r) {
					continue
				}
				v := otherEnd(r, u)
				if !in[v] && (len(q.Kinds) == 0 || slices.Contains(q.Kinds, ref.byID[v].Kind)) {
					candidates[v] = true
				}
			}
			sorted := slices.Sorted(maps.Keys(candidates))
			if len(sorted) > domain.MaxFanOut {
				sorted = sorted[:domain.MaxFanOut]
				capped = append(capped, u)
			}
			for _, v := range sorted {
				next[v] = true
			}
		}
		frontier = slices.Sorted(maps.Keys(next))
		for _, v := range frontier {
			in[v] = true
		}
	}
	slices.Sort(capped)
	nodes, rels = ref.subgraph(scope, func(id string) bool { return in[id] })
	return nodes, rels, capped
}

// joinsEnd reports whether id is an end of r.
func joinsEnd(r *domain.Relation, id string) bool { return r.From == id || r.To == id }

func (ref *reference) graph(q domain.GraphQuery) (nodes, rels []string) {
	scope := q.Scope()
	selected := func(id string) bool {
		return len(q.Kinds) == 0 || slices.Contains(q.Kinds, ref.byID[id].Kind)
	}
	if q.Topic == "" {
		return ref.subgraph(scope, selected)
	}
	// With a topic, a selected node stays only if an in-scope relation
	// between selected nodes touches it, or it is the topic.
	kept := map[string]bool{}
	for _, r := range ref.relations {
		if selected(r.From) && selected(r.To) && ref.inScope(scope, r) {
			kept[r.From], kept[r.To] = true, true
		}
	}
	return ref.subgraph(scope, func(id string) bool { return selected(id) && (kept[id] || id == q.Topic) })
}

// simplePaths enumerates, depth first, every simple path from q.From to q.To
// of at most maxHops in-scope relations that enters no avoided node.
func (ref *reference) simplePaths(q domain.PathQuery, maxHops int) []*domain.Path {
	scope := q.Scope()
	use := func(r *domain.Relation) bool { return ref.inScope(scope, r) }
	enter := func(n *domain.Node) bool { return !slices.Contains(q.Avoid, n.ID) }
	// Distances to the target only prune branches that cannot reach it in
	// the hops left; they never remove a path.
	toTarget := ref.levels(q.To, use, maxHops, enter)
	var out []*domain.Path
	nodes := []*domain.Node{ref.byID[q.From]}
	var rels []*domain.Relation
	var walk func(at string)
	walk = func(at string) {
		if at == q.To {
			out = append(out, &domain.Path{Nodes: slices.Clone(nodes), Relations: slices.Clone(rels)})
			return
		}
		left := maxHops - len(rels)
		for _, r := range ref.incident[at] {
			next := otherEnd(r, at)
			if d, ok := toTarget[next]; !ok || d > left-1 || !use(r) || !enter(ref.byID[next]) {
				continue
			}
			if slices.ContainsFunc(nodes, func(n *domain.Node) bool { return n.ID == next }) {
				continue
			}
			nodes = append(nodes, ref.byID[next])
			rels = append(rels, r)
			walk(next)
			nodes = nodes[:len(nodes)-1]
			rels = rels[:len(rels)-1]
		}
	}
	walk(q.From)
	return out
}

// paths answers a valid PathQuery (Mode filled in by Validate).
func (ref *reference) paths(q domain.PathQuery) []*domain.Path {
	var all []*domain.Path
	switch q.Mode {
	case domain.PathShortest:
		scope := q.Scope()
		dist := ref.levels(q.From, func(r *domain.Relation) bool { return ref.inScope(scope, r) }, q.MaxHops,
			func(n *domain.Node) bool { return !slices.Contains(q.Avoid, n.ID) })
		d, ok := dist[q.To]
		if !ok {
			return nil
		}
		// No simple path is shorter than d, so these are all the shortest.
		all = ref.simplePaths(q, d)
		slices.SortFunc(all, domain.ComparePaths)
	case domain.PathKShortest:
		all = ref.simplePaths(q, q.MaxHops)
		slices.SortFunc(all, domain.ComparePaths)
	case domain.PathAllSimple:
		all = ref.simplePaths(q, q.MaxHops)
		slices.SortFunc(all, domain.CompareRoutes)
	}
	return all[:min(len(all), q.Limit)]
}

func (ref *reference) checkPath(p *domain.Path, q domain.PathQuery) error {
	if len(p.Nodes) != len(p.Relations)+1 {
		return fmt.Errorf("%d nodes for %d relations", len(p.Nodes), len(p.Relations))
	}
	if p.Nodes[0].ID != q.From || p.Nodes[len(p.Nodes)-1].ID != q.To {
		return fmt.Errorf("runs from %s to %s, want %s to %s", p.Nodes[0].ID, p.Nodes[len(p.Nodes)-1].ID, q.From, q.To)
	}
	if !p.IsSimple() {
		return fmt.Errorf("visits a node twice")
	}
	if p.Length() > q.MaxHops {
		return fmt.Errorf("has %d hops, more than maxHops %d", p.Length(), q.MaxHops)
	}
	scope := q.Scope()
	for i, r := range p.Relations {
		a, b := p.Nodes[i].ID, p.Nodes[i+1].ID
		if !joins(r, a, b) {
			return fmt.Errorf("relation %s does not join %s and %s", r.ID, a, b)
		}
		if !ref.inScope(scope, r) {
			return fmt.Errorf("relation %s is out of scope %+v", r.ID, scope)
		}
		if slices.Contains(q.Avoid, b) {
			return fmt.Errorf("enters avoided node %s", b)
		}
	}
	return nil
}

// parentOf is the PART_OF relation an organization rolls up through on
// asOf: of those to an organization or country, the one with the lowest ID.
func (ref *reference) parentOf(id string, asOf domain.PartialDate) *domain.Relation {
	if ref.byID[id].Kind != domain.KindOrganization {
		return nil
	}
	var best *domain.Relation
	for _, r := range ref.relations {
		to := ref.byID[r.To].Kind
		if r.Type == domain.RelPartOf && r.From == id && r.ActiveAt(asOf) &&
			(to == domain.KindOrganization || to == domain.KindCountry) && (best == nil || r.ID < best.ID) {
			best = r
		}
	}
	return best
}

// chainTo lists the IDs of the PART_OF relations from id up to ancestor,
// and whether id rolls up to it at all.
func (ref *reference) chainTo(id, ancestor string, asOf domain.PartialDate) ([]string, bool) {
	var chain []string
	seen := map[string]bool{}
	for at := id; at != ancestor; {
		if seen[at] {
			return nil, false
		}
		seen[at] = true
		r := ref.parentOf(at, asOf)
		if r == nil {
			return nil, false
		}
		chain = append(chain, r.ID)
		at = r.To
	}
	return chain, true
}

// countryOf is the country a national body rolls up to, with the chain.
func (ref *reference) countryOf(id string, asOf domain.PartialDate) (string, []string) {
	for _, c := range ref.nodes {
		if c.Kind != domain.KindCountry {
			continue
		}
		if chain, ok := ref.chainTo(id, c.ID, asOf); ok && len(chain) > 0 {
			return c.ID, chain
		}
	}
	return "", nil
}

// cooperation lists the expected rows, rendered with renderCooperation.
func (ref *reference) cooperation(q domain.CooperationQuery) []string {
	type row struct {
		partner, via string
		rels         []string
	}
	rows := map[[2]string]*row{}
	sameSide := func(a, b string) bool {
		_, down := ref.chainTo(a, b, q.AsOf)
		_, up := ref.chainTo(b, a, q.AsOf)
		return down || up
	}
	add := func(member, partner, via string, rels ...string) {
		if !ref.byID[partner].Kind.IsActor() {
			return
		}
		memberChain, _ := ref.chainTo(member, q.Actor, q.AsOf)
		rels = append(rels, memberChain...)
		if q.RollUp {
			if country, chain := ref.countryOf(partner, q.AsOf); country != "" {
				partner = country
				rels = append(rels, chain...)
			}
		}
		if sameSide(partner, q.Actor) || (q.Partner != "" && partner != q.Partner) {
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
	members := []string{q.Actor}
	if q.RollUp {
		for _, n := range ref.nodes {
			if _, ok := ref.chainTo(n.ID, q.Actor, q.AsOf); ok && n.ID != q.Actor {
				members = append(members, n.ID)
			}
		}
	}
	for _, m := range members {
		for _, r := range ref.relations {
			if !r.ActiveAt(q.AsOf) {
				continue
			}
			if r.Type == domain.RelCooperatesWith && r.From == m {
				add(m, r.To, "", r.ID)
			}
			if r.Type == domain.RelCooperatesWith && r.To == m {
				add(m, r.From, "", r.ID)
			}
			if r.From != m || !r.Type.IsEngagement() || !ref.byID[r.To].Kind.IsVenue() {
				continue
			}
			for _, pr := range ref.relations {
				if pr.To == r.To && pr.From != m && pr.Type.IsEngagement() && pr.ActiveAt(q.AsOf) {
					add(m, pr.From, r.To, r.ID, pr.ID)
				}
			}
		}
	}
	var out []string
	for _, rw := range rows {
		topics := []string{}
		for _, r := range ref.relations {
			if rw.via != "" && r.From == rw.via && r.Type == domain.RelAddresses && ref.byID[r.To].Kind == domain.KindTopic {
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

// commonConnections answers a valid CommonConnectionsQuery, rendered.
func (ref *reference) commonConnections(q domain.CommonConnectionsQuery) []string {
	scope := q.Scope()
	// counts maps each given node to the nodes whose relations count for it,
	// with the IDs of the chain that ties them to it.
	counts := map[string]map[string][]string{}
	isMember := map[string]bool{}
	for _, id := range q.IDs {
		counts[id] = map[string][]string{id: nil}
		isMember[id] = true
		if !q.RollUp {
			continue
		}
		for _, n := range ref.nodes {
			if chain, ok := ref.chainTo(n.ID, id, q.AsOf); ok && n.ID != id {
				counts[id][n.ID] = chain
				isMember[n.ID] = true
			}
		}
	}
	var rows []*domain.CommonConnection
	for _, n := range ref.nodes {
		if isMember[n.ID] || (len(q.Kinds) > 0 && !slices.Contains(q.Kinds, n.Kind)) {
			continue
		}
		row := &domain.CommonConnection{Node: n}
		add := func(r *domain.Relation) {
			if !slices.Contains(row.Relations, r) {
				row.Relations = append(row.Relations, r)
			}
		}
		for _, id := range q.IDs {
			touched := false
			for member, chain := range counts[id] {
				for _, r := range ref.relations {
					if joins(r, n.ID, member) && ref.inScope(scope, r) {
						add(r)
						for _, c := range chain {
							add(ref.relation(c))
						}
						touched = true
					}
				}
			}
			if touched {
				row.Connected = append(row.Connected, ref.byID[id])
			}
		}
		if len(row.Connected) >= 2 {
			domain.SortNodes(row.Connected)
			domain.SortRelations(row.Relations)
			rows = append(rows, row)
		}
	}
	domain.SortCommonConnections(rows)
	return renderAll(rows[:min(len(rows), q.First)], renderCommonConnection)
}

// venuesOf lists, by ID, the venues actor engages in under q's topic and date.
func (ref *reference) venuesOf(actor *domain.Node, q domain.CoParticipationQuery) []string {
	var out []string
	for _, r := range ref.relations {
		venue := ref.byID[r.To]
		if !r.ActiveAt(q.AsOf) || !domain.IsEngagementOf(r, actor, venue) || slices.Contains(out, venue.ID) {
			continue
		}
		if q.Topic != "" && !slices.ContainsFunc(ref.relations, func(a *domain.Relation) bool {
			return a.Type == domain.RelAddresses && a.From == venue.ID && a.To == q.Topic
		}) {
			continue
		}
		out = append(out, venue.ID)
	}
	slices.Sort(out)
	return out
}

// coParticipation answers a valid CoParticipationQuery, rendered.
func (ref *reference) coParticipation(q domain.CoParticipationQuery) []string {
	var actors []*domain.Node
	venues := map[string][]string{}
	for _, n := range ref.nodes {
		if slices.Contains(q.ActorKinds(), n.Kind) {
			actors = append(actors, n)
			venues[n.ID] = ref.venuesOf(n, q)
		}
	}
	var rows []*domain.CoParticipation
	for i, a := range actors {
		for _, b := range actors[i+1:] {
			row := &domain.CoParticipation{A: a, B: b, VenuesA: len(venues[a.ID]), VenuesB: len(venues[b.ID])}
			for _, v := range venues[a.ID] {
				if slices.Contains(venues[b.ID], v) {
					row.Shared = append(row.Shared, ref.byID[v])
				}
			}
			if len(row.Shared) > 0 {
				rows = append(rows, row)
			}
		}
	}
	domain.SortCoParticipation(rows)
	return renderAll(rows[:min(len(rows), q.First)], renderCoParticipation)
}

// timeline answers a valid TimelineQuery, rendered.
func (ref *reference) timeline(q domain.TimelineQuery) []string {
	var entries []*domain.TimelineEntry
	for _, r := range ref.relations {
		if q.Actor != "" && r.From != q.Actor && r.To != q.Actor {
			continue
		}
		if r.Start != "" && q.Includes(r.Start) {
			entries = append(entries, &domain.TimelineEntry{Date: r.Start, Kind: domain.TimelineStarted, Relation: r})
		}
		if r.End != "" && q.Includes(r.End) {
			entries = append(entries, &domain.TimelineEntry{Date: r.End, Kind: domain.TimelineEnded, Relation: r})
		}
	}
	for _, n := range ref.nodes {
		if n.Kind != domain.KindEvent || n.Start == "" || !q.Includes(n.Start) {
			continue
		}
		if q.Actor != "" && q.Actor != n.ID && !ref.adjacent(q.Actor, n.ID) {
			continue
		}
		entries = append(entries, &domain.TimelineEntry{Date: n.Start, Kind: domain.TimelineEvent, Node: n})
	}
	domain.SortTimeline(entries)
	return renderAll(entries[:min(len(entries), q.First)], renderTimelineEntry)
}

// checkFull reports nodes and relations that differ from the graph's own:
// every store must return them whole, not just their IDs.
func (ref *reference) checkFull(nodes []*domain.Node, rels []*domain.Relation) error {
	for _, n := range nodes {
		want, ok := ref.byID[n.ID]
		if !ok {
			return fmt.Errorf("node %s is not in the graph", n.ID)
		}
		if got, want := renderNode(n), renderNode(want); got != want {
			return fmt.Errorf("node:\n got %s\nwant %s", got, want)
		}
	}
	for _, r := range rels {
		i, ok := slices.BinarySearchFunc(ref.relations, r.ID, func(a *domain.Relation, id string) int { return strings.Compare(a.ID, id) })
		if !ok {
			return fmt.Errorf("relation %s is not in the graph", r.ID)
		}
		if got, want := renderRelation(r), renderRelation(ref.relations[i]); got != want {
			return fmt.Errorf("relation:\n got %s\nwant %s", got, want)
		}
	}
	return nil
}

func renderAll[T any](items []T, render func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = render(it)
	}
	return out
}

func renderCooperation(c *domain.Cooperation) string {
	via := ""
	if c.Via != nil {
		via = c.Via.ID
	}
	return fmt.Sprintf("%s via %q topics %v relations %v", c.Partner.ID, via, nodeIDs(c.Topics), relationIDs(c.Relations))
}

func renderCommonConnection(c *domain.CommonConnection) string {
	return fmt.Sprintf("%s connects %v through %v", c.Node.ID, nodeIDs(c.Connected), relationIDs(c.Relations))
}

func renderCoParticipation(c *domain.CoParticipation) string {
	return fmt.Sprintf("%s & %s share %v of %d/%d venues (jaccard %.4f)", c.A.ID, c.B.ID, nodeIDs(c.Shared), c.VenuesA, c.VenuesB, c.Jaccard())
}

func renderTimelineEntry(e *domain.TimelineEntry) string {
	switch {
	case e.Relation != nil && e.Node == nil:
		return fmt.Sprintf("%s %s %s", e.Date, e.Kind, e.Relation.ID)
	case e.Node != nil && e.Relation == nil:
		return fmt.Sprintf("%s %s %s", e.Date, e.Kind, e.Node.ID)
	}
	return fmt.Sprintf("%s %s <relation %v node %v: want exactly one>", e.Date, e.Kind, e.Relation, e.Node)
}

func renderPath(p *domain.Path) string {
	return fmt.Sprint(nodeIDs(p.Nodes), relationIDs(p.Relations))
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
