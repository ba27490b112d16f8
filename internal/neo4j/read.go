package neo4j

import (
	"context"
	"strings"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// Node returns the node with the given ID.
func (s *Store) Node(ctx context.Context, id string) (*domain.Node, error) {
	if _, _, err := domain.ParseID(id); err != nil {
		return nil, err
	}
	res, err := s.read(ctx, `MATCH (n:Stakeholder {id: $id}) RETURN `+nodeMap("n"), map[string]any{"id": id})
	if err != nil {
		return nil, s.fail(err, "reading a node")
	}
	if len(res.Records) == 0 {
		return nil, notFound(id)
	}
	n, err := decodeNode(res.Records[0].Values[0])
	if err != nil {
		return nil, s.fail(err, "decoding a node")
	}
	return n, nil
}

// Nodes returns the nodes with the given IDs in order, nil where absent.
func (s *Store) Nodes(ctx context.Context, ids []string) ([]*domain.Node, error) {
	out := make([]*domain.Node, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	res, err := s.read(ctx, `MATCH (n:Stakeholder) WHERE n.id IN $ids RETURN `+nodeMap("n"), map[string]any{"ids": ids})
	if err != nil {
		return nil, s.fail(err, "reading nodes")
	}
	byID := make(map[string]*domain.Node, len(res.Records))
	for _, rec := range res.Records {
		n, err := decodeNode(rec.Values[0])
		if err != nil {
			return nil, s.fail(err, "decoding a node")
		}
		byID[n.ID] = n
	}
	for i, id := range ids {
		out[i] = byID[id]
	}
	return out, nil
}

// FindNodes returns one page of matching nodes ordered by ID and the number
// of matches over all pages.
func (s *Store) FindNodes(ctx context.Context, f domain.NodeFilter) (*domain.NodePage, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	orgTypes := make([]string, len(f.OrgTypes))
	for i, t := range f.OrgTypes {
		orgTypes[i] = string(t)
	}
	// IDs are ASCII (domain.ParseID), so Cypher's string order is Go's.
	res, err := s.read(ctx, `
		MATCH (n:Stakeholder)
		WHERE (size($kinds) = 0 OR n.kind IN $kinds)
		  AND (size($orgTypes) = 0 OR n.orgType IN $orgTypes)
		  AND ($connectedTo = '' OR EXISTS { (n)--(:Stakeholder {id: $connectedTo}) })
		WITH n ORDER BY n.id
		WITH collect(n) AS matches
		WITH matches, [x IN matches WHERE x.id > $after] AS rest
		RETURN size(matches) AS total, size(rest) > $first AS hasNext,
		       [m IN rest[0..$first] | `+nodeMap("m")+`] AS page`,
		map[string]any{"kinds": kindNames(f.Kinds), "orgTypes": orgTypes, "connectedTo": f.ConnectedTo,
			"after": f.After, "first": f.First})
	if err != nil {
		return nil, s.fail(err, "finding nodes")
	}
	rec := res.Records[0]
	total, _ := rec.Values[0].(int64)
	hasNext, _ := rec.Values[1].(bool)
	nodes, err := decodeNodes(rec.Values[2])
	if err != nil {
		return nil, s.fail(err, "decoding nodes")
	}
	return &domain.NodePage{Nodes: nodes, Total: int(total), HasNextPage: hasNext}, nil
}

// Relations returns the relations touching any of the given nodes (all
// relations when none are given), ordered by ID.
func (s *Store) Relations(ctx context.Context, f domain.RelationFilter) ([]*domain.Relation, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	params := map[string]any{"ids": f.NodeIDs, "types": typeNames(f.Types), "dir": string(f.Direction)}
	cypher := `
		MATCH (n:Stakeholder) WHERE n.id IN $ids
		MATCH (n)-[r]-(:Stakeholder)
		WHERE (size($types) = 0 OR type(r) IN $types)
		  AND ($dir = 'BOTH' OR ($dir = 'OUT' AND startNode(r) = n) OR ($dir = 'IN' AND endNode(r) = n))
		WITH DISTINCT r
		RETURN ` + relMap("r") + ` AS r ORDER BY r.id`
	if len(f.NodeIDs) == 0 {
		cypher = `
		MATCH (:Stakeholder)-[r]->(:Stakeholder)
		WHERE size($types) = 0 OR type(r) IN $types
		RETURN ` + relMap("r") + ` AS r ORDER BY r.id`
	}
	res, err := s.read(ctx, cypher, params)
	if err != nil {
		return nil, s.fail(err, "reading relations")
	}
	rels, err := s.relationColumn(res.Records, 0)
	if err != nil {
		return nil, err
	}
	// Relation IDs may hold any text; Cypher orders strings by UTF-16 code
	// units, the contract by bytes.
	domain.SortRelations(rels)
	return rels, nil
}

// Related reads the nodes, the relations touching them that q selects, and
// the nodes at their ends and the sources their evidence cites, in one
// statement; see domain.Store.
func (s *Store) Related(ctx context.Context, q domain.RelatedQuery) (*domain.Related, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	// The other ends come with the relations; only the cited sources are
	// looked up by ID.
	res, err := s.read(ctx, `
		MATCH (n:Stakeholder) WHERE n.id IN $ids
		OPTIONAL MATCH (n)-[r]-(o:Stakeholder)
		WHERE (size($types) = 0 OR type(r) IN $types)
		  AND ($dir = 'BOTH' OR ($dir = 'OUT' AND startNode(r) = n) OR ($dir = 'IN' AND endNode(r) = n))
		WITH collect(DISTINCT n) AS roots, collect(DISTINCT r) AS rels, collect(DISTINCT o) AS others
		CALL (rels) {
		  UNWIND rels AS r
		  UNWIND coalesce(r.`+pEvidenceSources+`, []) AS sourceID
		  WITH DISTINCT sourceID
		  MATCH (e:Stakeholder {id: sourceID})
		  RETURN collect(`+nodeMap("e")+`) AS sources
		}
		RETURN [x IN roots | `+nodeMap("x")+`] AS nodes, [r IN rels | `+relMap("r")+`] AS relations,
		       [x IN others | `+nodeMap("x")+`] AS others, sources`,
		map[string]any{"ids": q.NodeIDs, "types": typeNames(q.Types), "dir": string(q.Direction)})
	if err != nil {
		return nil, s.fail(err, "reading related nodes")
	}
	if len(res.Records) != 1 {
		return nil, domain.Errorf(domain.EINTERNAL, "neo4j: related nodes: got %d records, want 1", len(res.Records))
	}
	rec := res.Records[0]
	rels, err := decodeRelations(rec.Values[1])
	if err != nil {
		return nil, s.fail(err, "decoding relations")
	}
	byID := map[string]*domain.Node{}
	for _, col := range []int{0, 2, 3} {
		found, err := decodeNodes(rec.Values[col])
		if err != nil {
			return nil, s.fail(err, "decoding nodes")
		}
		for _, n := range found {
			byID[n.ID] = n
		}
	}
	nodes := make([]*domain.Node, len(q.NodeIDs))
	for i, id := range q.NodeIDs {
		nodes[i] = byID[id]
	}
	var ends []*domain.Node
	for _, id := range domain.EndIDs(rels) {
		if n := byID[id]; n != nil {
			ends = append(ends, n)
		}
	}
	// Cypher orders strings by UTF-16 code units, the contract by bytes.
	domain.SortRelations(rels)
	return &domain.Related{Nodes: nodes, Relations: rels, Ends: ends}, nil
}

// Search finds candidates with the full-text index, then scores them with
// domain.MatchScore so the ranking is the memory store's.
//
// The index holds each node's domain.Tokens split on whitespace; the Lucene
// query requires every query token as a prefix ("+tok*"). A node has a
// nonzero MatchScore exactly when every query token prefixes one of its
// name-and-alias tokens, so the candidates are a superset of the hits.
func (s *Store) Search(ctx context.Context, q domain.SearchQuery) ([]domain.SearchHit, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	tokens := domain.Tokens(q.Text)
	// Tokens hold letters and digits only, so none is Lucene syntax, and
	// lower-case "and"/"or"/"not" are plain terms to Lucene.
	clauses := make([]string, len(tokens))
	for i, t := range tokens {
		clauses[i] = "+" + t + "*"
	}
	// Candidates bring only what MatchScore reads (name and aliases); the
	// whole nodes are read for the hits kept, in the same transaction.
	var hits []domain.SearchHit
	err := s.readTx(ctx, func(tx driver.ManagedTransaction) error {
		hits = nil
		err := stream(ctx, tx, `
			CALL db.index.fulltext.queryNodes($index, $lucene) YIELD node
			WHERE node:Stakeholder AND (size($kinds) = 0 OR node.kind IN $kinds)
			RETURN node{.id, .name, .aliases}`,
			map[string]any{"index": fulltextIndex, "lucene": strings.Join(clauses, " "), "kinds": kindNames(q.Kinds)},
			func(v any) error {
				m, _ := v.(map[string]any)
				id, _ := m[pID].(string)
				name, _ := m[pName].(string)
				candidate := &domain.Node{ID: id, Name: name, Aliases: stringList(m[pAliases])}
				if score := domain.MatchScore(candidate, tokens); score > 0 {
					hits = append(hits, domain.SearchHit{Score: score, Node: candidate})
				}
				return nil
			})
		if err != nil {
			return err
		}
		domain.SortSearchHits(hits)
		hits = hits[:min(len(hits), q.First)]
		ids := make([]string, len(hits))
		for i, h := range hits {
			ids[i] = h.Node.ID
		}
		byID := map[string]*domain.Node{}
		err = stream(ctx, tx, `MATCH (n:Stakeholder) WHERE n.id IN $ids RETURN `+nodeMap("n"),
			map[string]any{"ids": ids}, func(v any) error {
				n, err := decodeNode(v)
				if err == nil {
					byID[n.ID] = n
				}
				return err
			})
		for i, h := range hits {
			if hits[i].Node = byID[h.Node.ID]; hits[i].Node == nil && err == nil {
				err = domain.Errorf(domain.EINTERNAL, "neo4j: search hit %s vanished", h.Node.ID)
			}
		}
		return err
	})
	if err != nil {
		return nil, s.fail(err, "searching")
	}
	return hits, nil
}

// relationColumn decodes column col of every record as a relation.
func (s *Store) relationColumn(records []*driver.Record, col int) ([]*domain.Relation, error) {
	var out []*domain.Relation
	for _, rec := range records {
		r, err := decodeRelation(rec.Values[col])
		if err != nil {
			return nil, s.fail(err, "decoding a relation")
		}
		out = append(out, r)
	}
	return out, nil
}
