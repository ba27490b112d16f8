package domain

import (
	"cmp"
	"slices"
)

// The orderings below are shared by every store so that answers are
// identical whatever the backend.

// SortSearchHits orders hits by score, best first, then by node ID.
func SortSearchHits(hits []SearchHit) {
	slices.SortFunc(hits, func(a, b SearchHit) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.Node.ID, b.Node.ID)
	})
}

// SortPaths orders paths by length, then by their node IDs, then by their
// relation IDs, element by element.
func SortPaths(paths []*Path) {
	slices.SortFunc(paths, ComparePaths)
}

// ComparePaths is the order of SortPaths.
func ComparePaths(a, b *Path) int {
	if c := cmp.Compare(a.Length(), b.Length()); c != 0 {
		return c
	}
	for i := range a.Nodes {
		if c := cmp.Compare(a.Nodes[i].ID, b.Nodes[i].ID); c != 0 {
			return c
		}
	}
	for i := range a.Relations {
		if c := cmp.Compare(a.Relations[i].ID, b.Relations[i].ID); c != 0 {
			return c
		}
	}
	return 0
}

// SortNodes orders nodes by ID.
func SortNodes(nodes []*Node) {
	slices.SortFunc(nodes, func(a, b *Node) int { return cmp.Compare(a.ID, b.ID) })
}

// SortRelations orders relations by ID.
func SortRelations(rels []*Relation) {
	slices.SortFunc(rels, func(a, b *Relation) int { return cmp.Compare(a.ID, b.ID) })
}

// Validate checks the filter.
func (f *RelationFilter) Validate() error {
	for _, id := range f.NodeIDs {
		if _, _, err := ParseID(id); err != nil {
			return err
		}
	}
	switch f.Direction {
	case "":
		f.Direction = DirectionBoth
	case DirectionOut, DirectionIn, DirectionBoth:
	default:
		return Errorf(EINVALID, "unknown direction %q: use OUT, IN or BOTH", f.Direction)
	}
	return validateRelationTypes(f.Types)
}
