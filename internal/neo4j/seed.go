package neo4j

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// Seeding writes in batches, so its cost and its transactions' memory grow
// with the batch, not with the graph; the user still sees all or nothing:
//
//  1. stage: every node is created under stagedLabel with a fresh seed tag
//     (not :Stakeholder, so no query sees it), then the relations,
//     seedBatch rows per transaction, matching their ends through
//     stagingIndex;
//  2. switch: one transaction retires the old :Stakeholder nodes, gives the
//     staged ones the :Stakeholder label and records the new version;
//  3. clean up: the retired nodes and their relations are deleted in batches.
//
// A seed that fails before the switch deletes what it staged and leaves the
// previous data answering; one that dies before its clean-up leaves retired
// nodes no query sees, which the next seed deletes first.
const (
	// seedBatch is the number of rows per staging transaction.
	seedBatch = 10_000
	// deleteBatch is the number of entities the clean-up deletes per
	// transaction.
	deleteBatch = 10_000

	stagedLabel  = "StakeholderStaged"
	retiredLabel = "StakeholderRetired"
	// pSeedTag marks the nodes one seed staged, so concurrent seeds never
	// match each other's nodes.
	pSeedTag = "seedTag"
	// stagingIndex serves the staging MATCHes by tag and ID.
	stagingIndex = "stakeholder_staged"
	// discardTimeout bounds the deletion of a failed seed's staged nodes,
	// which runs after the caller's context may have ended.
	discardTimeout = 2 * time.Minute
)

// stagingIndexStatement creates stagingIndex; Setup and Seed both run it.
const stagingIndexStatement = `CREATE INDEX ` + stagingIndex + ` IF NOT EXISTS FOR (n:` + stagedLabel + `) ON (n.` + pSeedTag + `, n.id)`

// SeedWithTexts makes the database hold exactly g, replacing what it held,
// and, for its Source nodes, the texts (ID → text; see seedHistory), with
// history started over at version 0. Every
// relation also gets the derived scope properties (see relProps) and the
// :Dataset node records g.Version and its node and relation counts. A
// failed seed leaves the previous data answering (see the staging above).
func (s *Store) SeedWithTexts(ctx context.Context, g *domain.Graph, texts map[string]string) error {
	if err := g.ValidateEntries(); err != nil {
		return err
	}
	if err := danglingEnd(g); err != nil {
		return err
	}
	if _, err := s.write(ctx, stagingIndexStatement, nil); err != nil {
		return s.fail(err, "creating the staging index")
	}
	if _, err := s.write(ctx, `CALL db.awaitIndex($name, 60)`, map[string]any{"name": stagingIndex}); err != nil {
		return s.fail(err, "waiting for the staging index")
	}
	// Retired nodes left by a seed that died before its clean-up.
	if err := s.deleteInBatches(ctx, retiredLabel, nil); err != nil {
		return s.fail(err, "deleting the data of an earlier seed")
	}
	tag, err := newSeedTag()
	if err != nil {
		return domain.WrapError(domain.EINTERNAL, err, "neo4j: making a seed tag")
	}
	start := time.Now()
	if err := s.stage(ctx, g, tag); err != nil {
		s.discardStaged(ctx, tag)
		return s.fail(err, "staging the graph")
	}
	staged := time.Since(start)
	if err := s.beforeSwap(ctx, tag); err != nil {
		s.discardStaged(ctx, tag)
		return s.fail(err, "marking the switch")
	}
	err = s.switchTo(ctx, g, texts, tag)
	s.afterSwap(ctx, tag)
	if err != nil {
		s.discardStaged(ctx, tag)
		return s.fail(err, "switching to the seeded graph")
	}
	switched := time.Since(start)
	// The new data answers from here on; a failed clean-up only leaves
	// retired nodes behind, which the next seed deletes.
	if err := s.deleteInBatches(ctx, retiredLabel, nil); err != nil {
		s.logger.Warn("deleting the previous data after a seed failed; the next seed retries", "err", err)
	}
	s.logger.Info("seeded Neo4j", "nodes", len(g.Nodes), "relations", len(g.Relations),
		"staged", staged, "switched", switched, "total", time.Since(start))
	return nil
}

// danglingEnd reports the first relation whose end is not among g's nodes.
func danglingEnd(g *domain.Graph) error {
	ids := make(map[string]struct{}, len(g.Nodes))
	for _, n := range g.Nodes {
		ids[n.ID] = struct{}{}
	}
	for _, r := range g.Relations {
		for _, end := range []string{r.From, r.To} {
			if _, ok := ids[end]; !ok {
				return domain.Errorf(domain.EINVALID, "relation %s: no node with id %s", r.ID, end)
			}
		}
	}
	for _, st := range g.Statements {
		for _, ref := range st.References() {
			if _, ok := ids[ref.Message]; !ok {
				return domain.Errorf(domain.EINVALID, "statement %s: %s: no node with id %s", st.ID, ref.Field, ref.Message)
			}
		}
	}
	return nil
}

func newSeedTag() (string, error) {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// stage creates g's nodes and relations under stagedLabel and tag: one
// statement for the nodes and one for the relations, in batches. The kind
// label and the relation type are dynamic ($(…)) but come from the
// validated domain enums; with CREATE and both ends found by the staging
// index, a dynamic type plans as well as a static one, and two statements
// compile fast on a cold server where one per kind and type took tens of
// seconds.
func (s *Store) stage(ctx context.Context, g *domain.Graph, tag string) error {
	nodes := make([]any, len(g.Nodes))
	for i, n := range g.Nodes {
		if !n.Kind.Valid() { // validation rejects it first; this only guards it
			return fmt.Errorf("kind %q is not one of the domain's", n.Kind)
		}
		nodes[i] = map[string]any{"kind": string(n.Kind), "props": nodeProps(n)}
	}
	if err := s.writeBatches(ctx, `UNWIND $rows AS row
		CREATE (n:`+stagedLabel+`:$(row.kind) `+propsLiteral(nodePropKeys, "row.props", pSeedTag+": $tag")+`)`,
		tag, nodes, func(c driver.Counters) int { return c.NodesCreated() }); err != nil {
		return err
	}
	concerns := domain.ConcernedTopics(g)
	rels := make([]any, len(g.Relations))
	for i, r := range g.Relations {
		if !r.Type.Valid() {
			return fmt.Errorf("relation type %q is not one of the domain's", r.Type)
		}
		rels[i] = map[string]any{"type": string(r.Type), "from": r.From, "to": r.To, "props": relProps(r, concerns[r.ID])}
	}
	return s.writeBatches(ctx, `UNWIND $rows AS row
		MATCH (a:`+stagedLabel+` {`+pSeedTag+`: $tag, id: row.from})
		MATCH (b:`+stagedLabel+` {`+pSeedTag+`: $tag, id: row.to})
		CREATE (a)-[r:$(row.type) `+propsLiteral(relPropKeys, "row.props")+`]->(b)`,
		tag, rels, func(c driver.Counters) int { return c.RelationshipsCreated() })
}

// writeBatches runs cypher once per seedBatch rows, each in its own write
// transaction, and checks that every row created what counted counts.
func (s *Store) writeBatches(ctx context.Context, cypher, tag string, rows []any, counted func(driver.Counters) int) error {
	for start := 0; start < len(rows); start += seedBatch {
		batch := rows[start:min(start+seedBatch, len(rows))]
		began := time.Now()
		res, err := s.write(ctx, cypher, map[string]any{"rows": batch, "tag": tag})
		s.logger.Debug("seed batch", "rows", len(batch), "took", time.Since(began))
		if err != nil {
			return err
		}
		if got := counted(res.Summary.Counters()); got != len(batch) {
			return fmt.Errorf("a batch of %d rows created %d entities", len(batch), got)
		}
	}
	return nil
}

// switchTo makes the nodes staged under tag the stakeholder graph, in one
// transaction: the old nodes are retired (no query matches them any more)
// and the :Dataset node records g's version and counts.
func (s *Store) switchTo(ctx context.Context, g *domain.Graph, texts map[string]string, tag string) error {
	session := s.driver.NewSession(ctx, driver.SessionConfig{DatabaseName: s.database, AccessMode: driver.AccessModeWrite})
	defer func() { _ = session.Close(context.WithoutCancel(ctx)) }()
	// Bounded, so a swap cannot outlast its mark (see swap.go).
	timeout := swapTimeout
	if t, ok := txTimeout(ctx); ok {
		timeout = min(t, timeout)
	}
	_, err := session.ExecuteWrite(ctx, func(tx driver.ManagedTransaction) (any, error) {
		steps := []struct {
			cypher string
			params map[string]any
		}{
			{`MATCH (n:Stakeholder) REMOVE n:Stakeholder SET n:` + retiredLabel, nil},
			{`MATCH (n:` + stagedLabel + ` {` + pSeedTag + `: $tag})
			  REMOVE n:` + stagedLabel + `, n.` + pSeedTag + ` SET n:Stakeholder`, map[string]any{"tag": tag}},
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
		// Statements are few next to relations, so they are replaced here,
		// in the switch, linked to the nodes just made current.
		if err := txExec(ctx, tx, `MATCH (s:`+statementLabel+`) DETACH DELETE s`, nil); err != nil {
			return nil, err
		}
		if err := writeStatements(ctx, tx, g.Statements); err != nil {
			return nil, err
		}
		if err := seedHistory(ctx, tx, texts); err != nil {
			return nil, err
		}
		return nil, nil
	}, driver.WithTxTimeout(timeout))
	return err
}

// discardStaged deletes what a failed seed staged under tag. It runs on
// after ctx ends (a canceled seed still cleans up), bounded by
// discardTimeout; a failure is only logged: staged nodes are invisible to
// queries.
func (s *Store) discardStaged(ctx context.Context, tag string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), discardTimeout)
	defer cancel()
	if err := s.deleteInBatches(ctx, stagedLabel, map[string]any{pSeedTag: tag}); err != nil {
		s.logger.Warn("deleting the nodes of a failed seed failed", "err", err)
	}
}

// deleteInBatches deletes the nodes of label whose properties equal match
// (label and tag come from this file, values are parameters), their
// relations first, deleteBatch per transaction: a hub's relations and a
// large graph never sit in one transaction.
func (s *Store) deleteInBatches(ctx context.Context, label string, match map[string]any) error {
	where := ""
	params := map[string]any{}
	for k, v := range match {
		where += " AND n." + k + " = $" + k
		params[k] = v
	}
	session := s.driver.NewSession(ctx, driver.SessionConfig{DatabaseName: s.database, AccessMode: driver.AccessModeWrite})
	defer func() { _ = session.Close(context.WithoutCancel(ctx)) }()
	// CALL … IN TRANSACTIONS commits as it goes, so it runs in an
	// auto-commit transaction (session.Run), not a managed one.
	for _, cypher := range []string{
		fmt.Sprintf(`MATCH (n:%s)-[r]->() WHERE true%s CALL (r) { DELETE r } IN TRANSACTIONS OF %d ROWS`, label, where, deleteBatch),
		fmt.Sprintf(`MATCH (n:%s) WHERE true%s CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF %d ROWS`, label, where, deleteBatch),
	} {
		res, err := session.Run(ctx, cypher, params)
		if err != nil {
			return err
		}
		if _, err := res.Consume(ctx); err != nil {
			return err
		}
	}
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
	sub, err := s.Graph(ctx, domain.GraphQuery{})
	if err != nil {
		return nil, err
	}
	sts, err := domain.AllStatements(ctx, s, domain.StatementQuery{})
	if err != nil {
		return nil, err
	}
	return &domain.Graph{Nodes: sub.Nodes, Relations: sub.Relations, Statements: sts}, nil
}
