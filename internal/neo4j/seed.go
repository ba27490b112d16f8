package neo4j

import (
	"context"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// SeedWithTexts makes the database hold exactly g and, for its Source
// nodes, the texts (ID → text; see seedHistory), with history started over
// at version 0: nodes and relations are merged on
// their IDs and their properties replaced, and :Stakeholder nodes and
// relations not in g are deleted. Every relation also gets the derived scope
// properties (see relProps) and the :Dataset node records g.Version and
// its node and relation counts. It runs
// in one write transaction, so a failed seed leaves the previous data
// untouched.
func (s *Store) SeedWithTexts(ctx context.Context, g *domain.Graph, texts map[string]string) error {
	// Dangling ends are found inside the transaction, below.
	if err := g.ValidateEntries(); err != nil {
		return err
	}
	nodes := make([]map[string]any, len(g.Nodes))
	ids := make([]string, len(g.Nodes))
	for i, n := range g.Nodes {
		nodes[i] = map[string]any{"id": n.ID, "kind": string(n.Kind), "props": nodeProps(n)}
		ids[i] = n.ID
	}
	concerns := domain.ConcernedTopics(g)
	rels := make([]map[string]any, len(g.Relations))
	relKeys := make([][]string, len(g.Relations))
	for i, r := range g.Relations {
		rels[i] = map[string]any{"id": r.ID, "type": string(r.Type), "from": r.From, "to": r.To,
			"props": relProps(r, concerns[r.ID])}
		relKeys[i] = []string{r.ID, string(r.Type), r.From, r.To}
	}

	session := s.driver.NewSession(ctx, driver.SessionConfig{DatabaseName: s.database, AccessMode: driver.AccessModeWrite})
	defer func() { _ = session.Close(context.WithoutCancel(ctx)) }()
	var txOpts []func(*driver.TransactionConfig)
	if timeout, ok := txTimeout(ctx); ok {
		txOpts = append(txOpts, driver.WithTxTimeout(timeout))
	}
	_, err := session.ExecuteWrite(ctx, func(tx driver.ManagedTransaction) (any, error) {
		steps := []struct {
			cypher string
			params map[string]any
		}{
			// Relations whose ID, type or ends changed are dropped and made
			// anew: a relationship's type and ends cannot be updated.
			{`MATCH (:Stakeholder)-[r]->(:Stakeholder)
			  WHERE r.id IS NULL OR NOT [r.id, type(r), startNode(r).id, endNode(r).id] IN $relKeys
			  DELETE r`, map[string]any{"relKeys": relKeys}},
			{`MATCH (n:Stakeholder) WHERE n.id IS NULL OR NOT n.id IN $ids DETACH DELETE n`, map[string]any{"ids": ids}},
			// SET n = props replaces every property, so fields emptied since
			// the last seed disappear. The kind label is dynamic but comes
			// from the validated domain.Kind.
			{`UNWIND $nodes AS row
			  MERGE (n:Stakeholder {id: row.id})
			  SET n = row.props, n:$(row.kind)`, map[string]any{"nodes": nodes}},
			{`UNWIND $rels AS row
			  MATCH (a:Stakeholder {id: row.from})
			  MATCH (b:Stakeholder {id: row.to})
			  MERGE (a)-[r:$(row.type) {id: row.id}]->(b)
			  SET r = row.props`, map[string]any{"rels": rels}},
			// One :Dataset node, outside :Stakeholder so no query sees it as
			// part of the graph. The counts let Check notice data deleted
			// behind the version's back.
			{`MERGE (d:` + datasetLabel + ` {id: $key}) SET d.version = $version, d.nodes = $nodes, d.relations = $relations`,
				map[string]any{"key": datasetKey, "version": g.Version(), "nodes": len(g.Nodes), "relations": len(g.Relations)}},
		}
		for _, step := range steps {
			res, err := tx.Run(ctx, step.cypher, step.params)
			if err != nil {
				return nil, err
			}
			if _, err := res.Consume(ctx); err != nil {
				return nil, err
			}
		}
		if err := seedHistory(ctx, tx, texts); err != nil {
			return nil, err
		}
		// A relation whose end is missing matched nothing above; find it
		// before commit so the whole seed rolls back.
		res, err := tx.Run(ctx, `UNWIND $rels AS row
			WITH row WHERE NOT EXISTS { MATCH (:Stakeholder {id: row.from}) } OR NOT EXISTS { MATCH (:Stakeholder {id: row.to}) }
			RETURN row.id AS id, CASE WHEN EXISTS { MATCH (:Stakeholder {id: row.from}) } THEN row.to ELSE row.from END AS missing
			LIMIT 1`, map[string]any{"rels": rels})
		if err != nil {
			return nil, err
		}
		records, err := res.Collect(ctx)
		if err != nil {
			return nil, err
		}
		if len(records) > 0 {
			id, _ := records[0].Values[0].(string)
			missing, _ := records[0].Values[1].(string)
			return nil, domain.Errorf(domain.EINVALID, "relation %s: no node with id %s", id, missing)
		}
		return nil, nil
	}, txOpts...)
	if err != nil {
		return s.fail(err, "seeding the graph")
	}
	s.logger.Info("seeded Neo4j", "nodes", len(g.Nodes), "relations", len(g.Relations))
	return nil
}

// IsEmpty reports whether the database holds no stakeholder yet, so a
// server can seed on first start only.
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	res, err := s.read(ctx, `MATCH (n:Stakeholder) RETURN count(n) = 0 AS empty`, nil)
	if err != nil {
		return false, s.fail(err, "counting stakeholders")
	}
	empty, _ := res.Records[0].Values[0].(bool)
	return empty, nil
}

const (
	// datasetLabel and datasetKey name the one node that records the data
	// version of the last seed.
	datasetLabel = "Dataset"
	datasetKey   = "stakegraph"
)

// Version returns the data version recorded by the last Seed. A database
// seeded before versions were recorded has none: its version is computed
// from the graph it holds, which is what Seed would have recorded.
func (s *Store) Version(ctx context.Context) (string, error) {
	res, err := s.read(ctx, `OPTIONAL MATCH (d:`+datasetLabel+` {id: $key}) RETURN d.version AS version, d.seq AS seq`,
		map[string]any{"key": datasetKey})
	if err != nil {
		return "", s.fail(err, "reading the data version")
	}
	if v, ok := res.Records[0].Values[0].(string); ok && v != "" {
		seq, _ := res.Records[0].Values[1].(int64)
		return withSeq(v, seq), nil
	}
	g, err := s.whole(ctx)
	if err != nil {
		return "", err
	}
	return g.Version(), nil
}

// whole reads every node and relation the database holds.
func (s *Store) whole(ctx context.Context) (*domain.Graph, error) {
	res, err := s.read(ctx, `
		RETURN COLLECT { MATCH (n:Stakeholder) RETURN `+nodeMap("n")+` } AS nodes,
		       COLLECT { MATCH (:Stakeholder)-[r]->(:Stakeholder) RETURN `+relMap("r")+` } AS rels`, nil)
	if err != nil {
		return nil, s.fail(err, "reading the graph")
	}
	g := &domain.Graph{}
	if g.Nodes, err = decodeNodes(res.Records[0].Values[0]); err != nil {
		return nil, s.fail(err, "decoding nodes")
	}
	if g.Relations, err = decodeRelations(res.Records[0].Values[1]); err != nil {
		return nil, s.fail(err, "decoding relations")
	}
	return g, nil
}
