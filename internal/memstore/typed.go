package memstore

import (
	"cmp"
	"slices"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// typedOrder orders a node's relations by type, then outgoing before
// incoming; sorted stably from the ID-ordered incident list, each run of
// one type and direction stays in ID order and is found by binary search
// (see typedRun).
func typedOrder(id string) func(a, b *domain.Relation) int {
	return func(a, b *domain.Relation) int {
		return cmp.Or(cmp.Compare(a.Type, b.Type), cmp.Compare(incoming(a, id), incoming(b, id)))
	}
}

// incoming is 1 when id is r's To, so outgoing relations sort first.
func incoming(r *domain.Relation, id string) int {
	if r.From == id {
		return 0
	}
	return 1
}

// typedRun returns the relations of node u of type t in direction d, in
// ID order within each direction (outgoing first for DirectionBoth).
func (s *Store) typedRun(u int64, t domain.RelationType, d domain.Direction) []*domain.Relation {
	e := s.at(u)
	rels := e.typed
	find := func(in int) int {
		i, _ := slices.BinarySearchFunc(rels, in, func(r *domain.Relation, in int) int {
			return cmp.Or(cmp.Compare(r.Type, t), cmp.Compare(incoming(r, e.node.ID), in))
		})
		return i
	}
	switch d {
	case domain.DirectionOut:
		return rels[find(0):find(1)]
	case domain.DirectionIn:
		return rels[find(1):find(2)]
	}
	return rels[find(0):find(2)]
}

// typedCount is the number of relations of u of the given types, or -1
// when types is empty (every relation counts).
func (s *Store) typedCount(u int64, types []domain.RelationType) int {
	if len(types) == 0 {
		return -1
	}
	n := 0
	for _, t := range slices.Compact(slices.Sorted(slices.Values(types))) {
		n += len(s.typedRun(u, t, domain.DirectionBoth))
	}
	return n
}
