package graph

import (
	"context"
	"slices"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// prefetchRootNodes reads, before execution, every node the operation's
// root node and stakeholder fields name and, where they select their
// relations, those relations with the nodes at the other ends and the
// sources their evidence cites: one store call (one statement on Neo4j)
// instead of three in sequence. It primes the request's loaders with what
// it read, so those fields and the fields below them find it there,
// however many aliases ask. Typed relation fields (memberOf, parties …)
// and deeper levels still go through the loaders' batches.
func prefetchRootNodes(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	l, ok := ctx.Value(loadersCtxKey{}).(*loaders)
	if opCtx := graphql.GetOperationContext(ctx); ok && opCtx.Operation.Operation == ast.Query {
		l.prefetch(ctx, l.rootReads(opCtx))
	}
	return next(ctx)
}

// rootRead is what the root node and stakeholder fields of an operation
// will load: their nodes, and the relations their relations fields ask for.
type rootRead struct {
	ids  []string // well-formed, each once
	rels []relKey // each once
}

// rootReads looks ahead at the operation's root node and stakeholder
// fields. Arguments the resolvers would refuse are left out, so the fields
// report them as usual.
func (l *loaders) rootReads(opCtx *graphql.OperationContext) rootRead {
	var read rootRead
	for _, f := range graphql.CollectFields(opCtx, opCtx.Operation.SelectionSet, []string{"Query"}) {
		if f.Name != "node" && f.Name != "stakeholder" {
			continue
		}
		id, _ := f.ArgumentMap(opCtx.Variables)["id"].(string)
		kind, _, err := domain.ParseID(id)
		if err != nil {
			continue
		}
		if !slices.Contains(read.ids, id) {
			read.ids = append(read.ids, id)
		}
		read.rels = l.relationKeys(opCtx, f.Selections, id, kind, read.rels)
	}
	return read
}

// relationKeys adds to keys, each once, the loader keys that the
// relations fields of sel ask of node id, of the given kind.
func (l *loaders) relationKeys(opCtx *graphql.OperationContext, sel ast.SelectionSet, id string, kind domain.Kind, keys []relKey) []relKey {
	if l.settle.types == nil {
		return keys
	}
	// A node's GraphQL type is named after its kind.
	for _, f := range graphql.CollectFields(opCtx, sel, l.settle.types.satisfies[string(kind)]) {
		if f.Name != "relations" {
			continue
		}
		if k, ok := relationsKey(id, f.ArgumentMap(opCtx.Variables)); ok && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}

// prefetchPage looks ahead from a stakeholders field, whose resolver has
// read the page's nodes, at the relations its edges' nodes select, and
// reads them for the whole page with one Related call.
func (l *loaders) prefetchPage(ctx context.Context, nodes []*domain.Node) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil || l.settle.types == nil {
		return
	}
	opCtx := graphql.GetOperationContext(ctx)
	var keys []relKey
	for _, edges := range graphql.CollectFields(opCtx, fc.Field.Selections, []string{"StakeholderConnection"}) {
		if edges.Name != "edges" {
			continue
		}
		for _, node := range graphql.CollectFields(opCtx, edges.Selections, []string{"StakeholderEdge"}) {
			if node.Name != "node" {
				continue
			}
			for _, n := range nodes {
				keys = l.relationKeys(opCtx, node.Selections, n.ID, n.Kind, keys)
			}
		}
	}
	defer func() { _ = recover() }()
	l.prefetchRelations(ctx, nodeIDsOf(keys), keys)
}

// nodeIDsOf returns the nodes keys ask of, each once, in order.
func nodeIDsOf(keys []relKey) []string {
	var ids []string
	for _, k := range keys {
		if !slices.Contains(ids, k.node) {
			ids = append(ids, k.node)
		}
	}
	return ids
}

// relationsKey is the loader key Stakeholder.relations(direction, types)
// loads for node id with the given arguments, as allRelations reads them.
func relationsKey(id string, args map[string]any) (relKey, bool) {
	f := domain.RelationFilter{NodeIDs: []string{id}}
	switch d := args["direction"].(type) {
	case nil:
	case string:
		f.Direction = domain.Direction(d)
	default:
		return relKey{}, false
	}
	switch ts := args["types"].(type) {
	case nil:
	case string: // a single value stands for a list of one
		f.Types = []domain.RelationType{domain.RelationType(ts)}
	case []any:
		for _, t := range ts {
			name, ok := t.(string)
			if !ok {
				return relKey{}, false
			}
			f.Types = append(f.Types, domain.RelationType(name))
		}
	default:
		return relKey{}, false
	}
	if f.Validate() != nil {
		return relKey{}, false
	}
	return relKey{node: id, dir: f.Direction, types: typesKey(f.Types)}, true
}

// prefetch reads what read names and primes the loaders with it: the
// nodes asked for with relations, their relations and the nodes those
// point to with one Related call, the other nodes with one Nodes call. On
// a store error, or a panic, what failed is not primed: the fields load it
// themselves and report it.
func (l *loaders) prefetch(ctx context.Context, read rootRead) {
	defer func() { _ = recover() }()
	var withRels, plain []string
	for _, id := range read.ids {
		if slices.ContainsFunc(read.rels, func(k relKey) bool { return k.node == id }) {
			withRels = append(withRels, id)
		} else {
			plain = append(plain, id)
		}
	}
	l.prime(ctx, plain)
	l.prefetchRelations(ctx, withRels, read.rels)
}

// prefetchRelations reads nodes ids, the relations keys ask of them, and
// the nodes those point to with one Related call, and primes the loaders
// with them. On a store error nothing is primed.
func (l *loaders) prefetchRelations(ctx context.Context, ids []string, keys []relKey) {
	if len(ids) == 0 {
		return
	}
	res, err := l.store.Related(ctx, domain.RelatedQuery{RelationFilter: covering(ids, keys)})
	if err != nil || len(res.Nodes) != len(ids) {
		return
	}
	for i, n := range res.Nodes {
		l.nodes.Prime(ids[i], n)
	}
	byID := make(map[string]*domain.Node, len(res.Ends))
	for _, n := range res.Ends {
		byID[n.ID] = n
		l.nodes.Prime(n.ID, n)
	}
keys:
	for _, k := range keys {
		types := parseTypesKey(k.types)
		ends := []relatedEnd{}
		for _, rel := range res.Relations {
			if !k.dir.Touches(rel, k.node) || (len(types) > 0 && !slices.Contains(types, rel.Type)) {
				continue
			}
			other := byID[otherEnd(rel, k.node)]
			if other == nil {
				continue keys // the loader reports the missing end
			}
			ends = append(ends, relatedEnd{rel: rel, other: other})
		}
		l.relations.Prime(k, ends)
	}
}

// covering is the relation filter over ids that selects every relation
// any of keys asks for: their common direction or both, the union of their
// types or all. Each key keeps only its own (see prefetch).
func covering(ids []string, keys []relKey) domain.RelationFilter {
	f := domain.RelationFilter{NodeIDs: ids, Direction: keys[0].dir}
	all := false
	var types []domain.RelationType
	for _, k := range keys {
		if k.dir != f.Direction {
			f.Direction = domain.DirectionBoth
		}
		all = all || k.types == ""
		types = append(types, parseTypesKey(k.types)...)
	}
	if !all {
		f.Types = parseTypesKey(typesKey(types))
	}
	return f
}

// prime loads ids with one Nodes call into the node loader; a missing node
// is primed as nil, as fetchNodes answers it. On a store error nothing is
// primed.
func (l *loaders) prime(ctx context.Context, ids []string) {
	if len(ids) == 0 {
		return
	}
	nodes, err := l.store.Nodes(ctx, ids)
	if err != nil || len(nodes) != len(ids) {
		return
	}
	for i, n := range nodes {
		l.nodes.Prime(ids[i], n)
	}
}
