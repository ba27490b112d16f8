package graph

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// relKey asks for the relations of one node in one direction, of some
// types. Keys sharing direction and types are answered by one store call.
type relKey struct {
	node  string
	dir   domain.Direction
	types string // the relation types, sorted and joined by ","; "" for all
}

// relatedEnd is a relation of the keyed node and the node at its other end.
type relatedEnd struct {
	rel   *domain.Relation
	other *domain.Node
}

// loaders batch and cache store reads for one request, so listing many
// stakeholders with their relations and evidence sources costs a few store
// calls rather than several per stakeholder.
type loaders struct {
	store     domain.Store
	settle    *settle
	relations *batchLoader[relKey, []relatedEnd]
	nodes     *batchLoader[string, *domain.Node]
}

// newLoaders returns loaders whose batches go to the store once the
// request's fields have settled (see batch.go), or after bound at the
// latest. gqlgen resolves the fields of a list's items concurrently, so the
// keys of one level of a query cost one batch. types are the served
// schema's; without them (nil) nothing is counted and every load goes at
// once.
func newLoaders(store domain.Store, types *objectTypes, bound time.Duration) *loaders {
	l := &loaders{store: store, settle: newSettle(types)}
	l.relations = newBatchLoader(l.fetchRelations, l.settle, bound)
	l.nodes = newBatchLoader(l.fetchNodes, l.settle, bound)
	return l
}

type loadersCtxKey struct{}

// withLoaders returns ctx carrying fresh loaders over store; the endpoint
// calls it once per request, so nothing is cached across requests.
func withLoaders(ctx context.Context, store domain.Store, types *objectTypes, bound time.Duration) context.Context {
	return context.WithValue(ctx, loadersCtxKey{}, newLoaders(store, types, bound))
}

// loaders returns the request's loaders, or fresh ones when the
// context has none (a resolver called outside the endpoint): still correct,
// only not batched across fields.
func (r *Resolver) loaders(ctx context.Context) *loaders {
	if l, ok := ctx.Value(loadersCtxKey{}).(*loaders); ok {
		return l
	}
	return newLoaders(r.store, nil, DefaultLoaderMaxWait)
}

// typesKey is the relKey form of a list of relation types.
func typesKey(types []domain.RelationType) string {
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = string(t)
	}
	slices.Sort(names)
	return strings.Join(slices.Compact(names), ",")
}

func parseTypesKey(key string) []domain.RelationType {
	if key == "" {
		return nil
	}
	names := strings.Split(key, ",")
	types := make([]domain.RelationType, len(names))
	for i, n := range names {
		types[i] = domain.RelationType(n)
	}
	return types
}

// fetchRelations answers a batch of keys with one Relations call per
// distinct (direction, types) and one Nodes call for all the other ends and
// the sources their evidence cites. The nodes prime the node loader, so
// evidence { source } below the relations costs no further store call.
func (l *loaders) fetchRelations(ctx context.Context, keys []relKey) ([][]relatedEnd, []error) {
	type group struct {
		dir   domain.Direction
		types string
	}
	values := make([][]relatedEnd, len(keys))
	errs := make([]error, len(keys))
	members := map[group][]int{}
	var order []group
	for i, k := range keys {
		g := group{k.dir, k.types}
		if _, ok := members[g]; !ok {
			order = append(order, g)
		}
		members[g] = append(members[g], i)
	}

	found := make([][]*domain.Relation, len(keys))
	var others []string
	seen := map[string]bool{}
	for _, g := range order {
		idx := members[g]
		ids := make([]string, len(idx))
		for j, i := range idx {
			ids[j] = keys[i].node
		}
		rels, err := l.store.Relations(ctx, domain.RelationFilter{NodeIDs: ids, Direction: g.dir, Types: parseTypesKey(g.types)})
		if err != nil {
			for _, i := range idx {
				errs[i] = err
			}
			continue
		}
		for _, i := range idx {
			id := keys[i].node
			for _, rel := range rels {
				// The store answers for all the group's nodes at once; keep
				// what this key asked for.
				if !g.dir.Touches(rel, id) {
					continue
				}
				found[i] = append(found[i], rel)
				ids := []string{otherEnd(rel, id)}
				for _, e := range rel.Evidence {
					ids = append(ids, e.SourceID)
				}
				for _, o := range ids {
					if !seen[o] {
						seen[o] = true
						others = append(others, o)
					}
				}
			}
		}
	}
	if len(others) == 0 {
		return values, errs
	}

	nodes, err := l.store.Nodes(ctx, others)
	if err != nil {
		for i := range keys {
			if errs[i] == nil {
				errs[i] = err
			}
		}
		return values, errs
	}
	byID := make(map[string]*domain.Node, len(nodes))
	for i, n := range nodes {
		if n != nil {
			byID[others[i]] = n
			l.nodes.Prime(n.ID, n)
		}
	}
	for i, k := range keys {
		if errs[i] != nil {
			continue
		}
		ends := make([]relatedEnd, 0, len(found[i]))
		for _, rel := range found[i] {
			o := otherEnd(rel, k.node)
			n := byID[o]
			if n == nil {
				errs[i] = domain.Errorf(domain.EINTERNAL, "relation %s points to missing node %s", rel.ID, o)
				break
			}
			ends = append(ends, relatedEnd{rel: rel, other: n})
		}
		if errs[i] == nil {
			values[i] = ends
		}
	}
	return values, errs
}

// fetchNodes answers a batch of node IDs with one Nodes call; a missing
// node is nil, and the caller decides whether that is an error.
func (l *loaders) fetchNodes(ctx context.Context, ids []string) ([]*domain.Node, []error) {
	nodes, err := l.store.Nodes(ctx, ids)
	if err != nil {
		return nil, []error{err}
	}
	if len(nodes) != len(ids) {
		return nil, []error{domain.Errorf(domain.EINTERNAL, "store returned %d nodes for %d ids", len(nodes), len(ids))}
	}
	return nodes, nil
}

// otherEnd returns the end of r that is not id.
func otherEnd(r *domain.Relation, id string) string {
	if r.From == id {
		return r.To
	}
	return r.From
}
