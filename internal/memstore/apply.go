package memstore

import (
	"maps"
	"slices"
	"strings"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// Apply returns the store after the steps (one change's, in order), at data
// version version. s stays as it was and may be read meanwhile: the new
// store shares with it every entry, vec chunk and tree node the steps do
// not touch, so a change costs what it touches — the nodes and relations
// it names and the entries of their ends — plus, when nodes come or go,
// one pass over flat per-node arrays (ID order, the ID → slot map and the
// token index). Like NewAt it trusts each entry on its own (domain.Plan
// checked it) but refuses a change that leaves a relation dangling.
func (s *Store) Apply(steps []domain.Step, version string) (*Store, error) {
	nodes, rels, sts := map[string]*domain.Node{}, map[string]*domain.Relation{}, map[string]*domain.Statement{}
	for _, st := range steps {
		switch {
		case st.IsRelation():
			rels[st.Target] = nil
			if st.After != nil {
				rels[st.Target] = st.After.Relation
			}
		case st.IsStatement():
			sts[st.Target] = nil
			if st.After != nil {
				sts[st.Target] = st.After.Statement
			}
		default:
			nodes[st.Target] = nil
			if st.After != nil {
				nodes[st.Target] = st.After.Node
			}
		}
	}
	a := &applier{s: s, next: &Store{
		slots: s.slots, position: s.position, order: s.order, rank: s.rank,
		relations: s.relations, partOf: s.partOf, words: s.words, version: version, statements: s.statements,
	}, slots: s.slots.edit(), fresh: map[int64]*entry{}, dirty: map[int64]bool{}, incident: map[int64]*incidentEdit{}}
	a.nodes(nodes)
	if err := a.relations(rels); err != nil {
		return nil, err
	}
	if err := a.entries(); err != nil {
		return nil, err
	}
	a.statements(sts)
	return a.next, nil
}

// applier derives one store from another.
type applier struct {
	s, next  *Store
	slots    *vecEdit[*entry]
	fresh    map[int64]*entry // entries made for this store, changed in place until it is done
	dirty    map[int64]bool   // slots whose entry must be derived anew
	incident map[int64]*incidentEdit
	gone     []int64 // slots of nodes taken away
	sources  bool    // a Source node was taken away
	labels   map[int64][2][][]string
}

// incidentEdit is what a change does to one node's incident relations.
type incidentEdit struct {
	removed map[string]bool
	added   []*domain.Relation
}

// nodes places the nodes changed: new ones in new slots at the end, gone
// ones leave their slot empty; ID order is then merged anew.
func (a *applier) nodes(changed map[string]*domain.Node) {
	if len(changed) == 0 {
		return
	}
	a.labels = map[int64][2][][]string{}
	var added []int64
	removed := map[int64]bool{}
	for _, id := range slices.Sorted(maps.Keys(changed)) {
		n := changed[id]
		u, existed := a.s.position[id]
		var old *entry
		if existed {
			old = a.s.at(u)
		}
		switch {
		case n == nil && existed:
			removed[u] = true
			a.gone = append(a.gone, u)
			a.sources = a.sources || old.node.Kind == domain.KindSource
			a.labels[u] = [2][][]string{old.labels, nil}
			a.dirty[u] = true
		case n != nil && existed:
			e := *old
			e.node, e.labels = n, domain.LabelTokens(n)
			a.fresh[u] = &e
			a.slots.set(u, &e)
			a.labels[u] = [2][][]string{old.labels, e.labels}
			// Venues keep their topics' nodes: those addressing n follow it.
			for _, r := range old.incident {
				if r.Type == domain.RelAddresses && r.To == id {
					a.dirty[a.s.position[r.From]] = true
				}
			}
			a.dirty[u] = true
		case n != nil:
			e := &entry{node: n, labels: domain.LabelTokens(n)}
			u = a.slots.push(e)
			e.gnode = graphNode(u)
			a.fresh[u] = e
			added = append(added, u)
			a.labels[u] = [2][][]string{nil, e.labels}
		}
	}
	a.next.slots = a.slots.v // the entries so far, for the IDs of new nodes
	if len(added) == 0 && len(removed) == 0 {
		return
	}
	position := maps.Clone(a.s.position)
	for u := range removed {
		delete(position, a.s.idOf(u))
	}
	for _, u := range added {
		position[a.next.idOf(u)] = u
	}
	a.next.position = position
	// Splice the new slots, sorted by ID, into ID order without the gone:
	// each place found by binary search, the runs between copied whole.
	slices.SortFunc(added, func(u, v int64) int { return strings.Compare(a.next.idOf(u), a.next.idOf(v)) })
	var cuts []int // the old order's places of the gone, ascending
	for u := range removed {
		cuts = append(cuts, int(a.s.rank[u]))
	}
	slices.Sort(cuts)
	order := make([]int32, 0, len(a.s.order)+len(added))
	from := 0
	keep := func(to int) { // the old order's entries from..to-1 that stay
		for len(cuts) > 0 && cuts[0] < to {
			order = append(order, a.s.order[from:cuts[0]]...)
			from, cuts = cuts[0]+1, cuts[1:]
		}
		if from < to { // a place just after a gone entry is behind from
			order = append(order, a.s.order[from:to]...)
			from = to
		}
	}
	for _, u := range added {
		id := a.next.idOf(u)
		at, _ := slices.BinarySearchFunc(a.s.order, id, func(v int32, id string) int { return strings.Compare(a.s.idOf(int64(v)), id) })
		keep(at)
		order = append(order, int32(u))
	}
	keep(len(a.s.order))
	rank := make([]int32, a.slots.v.len())
	for i := range rank {
		rank[i] = -1
	}
	for i, u := range order {
		rank[u] = int32(i)
	}
	a.next.order, a.next.rank = order, rank
}

// relations replaces the changed relations in the trees and notes the
// change to each end's incident relations.
func (a *applier) relations(changed map[string]*domain.Relation) error {
	if len(changed) == 0 {
		return nil
	}
	a.next.relations, a.next.partOf = clone(a.s.relations), clone(a.s.partOf)
	exists := func(id string) bool { _, ok := a.next.position[id]; return ok }
	for _, id := range slices.Sorted(maps.Keys(changed)) {
		if old, ok := a.s.relations.Get(relEntry{r: &domain.Relation{ID: id}}); ok {
			a.next.relations.Delete(old)
			a.next.partOf.Delete(old)
			for _, u := range [2]int64{old.from, old.to} {
				a.edit(u).removed[id] = true
			}
		}
		r := changed[id]
		if r == nil {
			continue
		}
		if ps := r.ReferenceProblems(exists); len(ps) > 0 {
			return domain.Errorf(domain.EINVALID, "relation %s: %s", r.ID, ps[0])
		}
		e := relEntry{r: r, from: a.next.position[r.From], to: a.next.position[r.To]}
		a.next.relations.ReplaceOrInsert(e)
		if r.Type == domain.RelPartOf {
			a.next.partOf.ReplaceOrInsert(e)
		}
		for _, u := range [2]int64{e.from, e.to} {
			a.edit(u).added = append(a.edit(u).added, r)
		}
	}
	return nil
}

func (a *applier) edit(u int64) *incidentEdit {
	ed := a.incident[u]
	if ed == nil {
		ed = &incidentEdit{removed: map[string]bool{}}
		a.incident[u] = ed
		a.dirty[u] = true
	}
	return ed
}

// entries derives anew the entries of the nodes changed and of the ends
// of the relations changed, and the token index.
func (a *applier) entries() error {
	next := a.next
	next.slots = a.slots.v
	gone := map[int64]bool{}
	for _, u := range a.gone {
		gone[u] = true
	}
	for _, u := range slices.Sorted(maps.Keys(a.dirty)) {
		e := a.fresh[u]
		if e == nil {
			copied := *a.s.at(u)
			e = &copied
			a.fresh[u] = e
		}
		if ed := a.incident[u]; ed != nil {
			var incident []*domain.Relation
			for _, r := range e.incident {
				if !ed.removed[r.ID] {
					incident = append(incident, r)
				}
			}
			incident = append(incident, ed.added...)
			slices.SortStableFunc(incident, byRelationID)
			e.incident = incident
		}
		if gone[u] {
			if len(e.incident) > 0 {
				return domain.Errorf(domain.EINVALID, "node %s is taken away while relation %s still joins it", e.node.ID, e.incident[0].ID)
			}
			a.slots.set(u, nil)
			continue
		}
		e.topics = nil
		for _, r := range e.incident {
			if to := next.node(r.To); r.Type == domain.RelAddresses && r.From == e.node.ID && to != nil && to.Kind == domain.KindTopic {
				e.topics = append(e.topics, to)
			}
		}
		next.index(e)
		a.slots.set(u, e)
	}
	next.slots = a.slots.done()
	if a.sources {
		// A Source taken away must not be cited any more (rare: one pass).
		exists := func(id string) bool { _, ok := next.position[id]; return ok }
		for e := range next.eachRelation {
			if ps := e.r.SourceProblems(exists); len(ps) > 0 {
				return domain.Errorf(domain.EINVALID, "relation %s: %s", e.r.ID, ps[0])
			}
		}
	}
	if len(a.labels) > 0 {
		next.words = a.s.words.with(a.labels)
	}
	return nil
}

// statements replaces the changed statements.
func (a *applier) statements(changed map[string]*domain.Statement) {
	if len(changed) == 0 {
		return
	}
	out := make([]*domain.Statement, 0, len(a.s.statements)+len(changed))
	for _, st := range a.s.statements {
		if _, ok := changed[st.ID]; !ok {
			out = append(out, st)
		}
	}
	for _, st := range changed {
		if st != nil {
			out = append(out, st)
		}
	}
	domain.SortStatements(out)
	a.next.statements = slices.Clip(out)
	if len(out) == 0 {
		a.next.statements = nil // as New keeps none
	}
}

// Data returns the graph the store holds, nodes, relations and statements
// each by ID; it is built anew on each call, for callers that need the
// whole graph (history rewinds it).
func (s *Store) Data() *domain.Graph {
	g := &domain.Graph{Nodes: make([]*domain.Node, 0, len(s.order)), Relations: make([]*domain.Relation, 0, s.relations.Len()),
		Statements: slices.Clone(s.statements)}
	for _, e := range s.byID {
		g.Nodes = append(g.Nodes, e.node)
	}
	for e := range s.eachRelation {
		g.Relations = append(g.Relations, e.r)
	}
	return g
}

// RelationWithID returns relation id, nil when there is none.
func (s *Store) RelationWithID(id string) *domain.Relation {
	if e, ok := s.relations.Get(relEntry{r: &domain.Relation{ID: id}}); ok {
		return e.r
	}
	return nil
}

// StatementWithID returns statement id, nil when there is none.
func (s *Store) StatementWithID(id string) *domain.Statement {
	if i, ok := slices.BinarySearchFunc(s.statements, id, func(st *domain.Statement, id string) int { return strings.Compare(st.ID, id) }); ok {
		return s.statements[i]
	}
	return nil
}
