package neo4j

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// The write side keeps, next to the :Stakeholder graph and outside it (no
// read query matches these labels):
//
//	(:Dataset {seq, lastAt})   the seed's node: the Seq of the latest change
//	                           and its time; writers lock it first, which
//	                           serialises them and allocates Seq without gaps
//	(:Change {seq, at, …})     one per accepted write, its steps as JSON
//	(:Tracked {id, revision})  one per node or relation ID history mentions;
//	                           (:Change)-[:TOUCHES]->(:Tracked) indexes
//	                           history by ID, revision is the Seq of the
//	                           last change with a step on that ID
//	(:SourceText {id, text})   a Source node's full text, apart so reads of
//	                           the node never carry it
//
// Retired nodes and relations are deleted from the graph; their values
// live on in the steps of the changes that retired them.
const (
	changeLabel     = "Change"
	trackedLabel    = "Tracked"
	sourceTextLabel = "SourceText"
	touchesType     = "TOUCHES"
)

var _ domain.Writer = (*Store)(nil)

// Apply checks w with domain.Plan against the data inside one write
// transaction and, when it passes, applies its steps, records the change
// and commits; the change is returned only after the commit, which Neo4j
// makes durable in its transaction log. The transaction first locks the
// :Dataset node, so writers run one at a time and each sees the previous
// one's result. A transient failure (a deadlock with a seed, a leader
// switch) reruns the whole transaction; a rule the write breaks ends it
// with Plan's error unchanged.
func (s *Store) Apply(ctx context.Context, w *domain.Write) (*domain.Change, error) {
	session := s.driver.NewSession(ctx, driver.SessionConfig{DatabaseName: s.database, AccessMode: driver.AccessModeWrite})
	defer func() { _ = session.Close(context.WithoutCancel(ctx)) }()
	var txOpts []func(*driver.TransactionConfig)
	if timeout, ok := txTimeout(ctx); ok {
		txOpts = append(txOpts, driver.WithTxTimeout(timeout))
	}
	out, err := session.ExecuteWrite(ctx, func(tx driver.ManagedTransaction) (any, error) {
		return applyTx(ctx, tx, w)
	}, txOpts...)
	if err != nil {
		return nil, s.fail(err, "applying a write")
	}
	c := out.(*domain.Change)
	s.logger.Info("applied a write", "seq", c.Seq, "action", c.Action, "target", c.Target, "actor", c.Actor.Name)
	return c, nil
}

// applyTx is one attempt of Apply. Errors from the driver come back as they
// are, so ExecuteWrite can tell transient ones and retry; domain errors are
// *domain.Error without a driver cause, which it never retries.
func applyTx(ctx context.Context, tx driver.ManagedTransaction, w *domain.Write) (*domain.Change, error) {
	// The lock: a blind SET takes the node's exclusive lock, held until
	// commit. (SET d.seq = d.seq + 1 would first take a shared lock to read,
	// and two writers upgrading theirs deadlock.) The flag is removed
	// below, so no commit leaves it.
	recs, err := txCollect(ctx, tx, `MATCH (d:`+datasetLabel+` {id: $key})
		SET d.writing = true
		RETURN coalesce(d.seq, 0) + 1, coalesce(d.lastAt, 0)`, map[string]any{"key": datasetKey})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, domain.Errorf(domain.EUNAVAILABLE, "the Neo4j database holds no seeded stakegraph data to change: run `stakegraph seed` first")
	}
	seq, _ := recs[0].Values[0].(int64)
	lastAt, _ := recs[0].Values[1].(int64)

	c, err := domain.Plan(ctx, &txState{tx: tx}, w)
	if err != nil {
		return nil, err
	}
	c.Seq = seq
	// History orders changes by Seq and VersionAt by time, so time never
	// goes back between two changes even if the clock does.
	at := time.Now().UTC()
	if at.UnixNano() <= lastAt {
		at = time.Unix(0, lastAt+1).UTC()
	}
	c.At = at

	nodes, rels, err := applySteps(ctx, tx, domain.ApplyOrder(c.Steps))
	if err != nil {
		return nil, err
	}
	if err := refreshTopics(ctx, tx, c.Steps); err != nil {
		return nil, err
	}
	if err := recordChange(ctx, tx, c); err != nil {
		return nil, err
	}
	// Check compares the graph with these counts.
	if err := txExec(ctx, tx, `MATCH (d:`+datasetLabel+` {id: $key})
		SET d.seq = $seq, d.lastAt = $at, d.nodes = d.nodes + $nodes, d.relations = d.relations + $rels
		REMOVE d.writing`,
		map[string]any{"key": datasetKey, "seq": seq, "at": at.UnixNano(), "nodes": nodes, "rels": rels}); err != nil {
		return nil, err
	}
	return c, nil
}

// applySteps writes the steps, given in domain.ApplyOrder, and returns how
// many nodes and relations the graph gained (negative when it lost some).
func applySteps(ctx context.Context, tx driver.ManagedTransaction, steps []domain.Step) (nodes, rels int64, err error) {
	for _, st := range steps {
		if st.IsStatement() {
			if err := applyStatementStep(ctx, tx, st); err != nil {
				return 0, 0, err
			}
			continue
		}
		var cypher string
		var params map[string]any
		switch {
		case st.IsRelation() && st.After == nil:
			r := st.Before.Relation
			cypher = `MATCH (:Stakeholder {id: $from})-[r {id: $id}]->(:Stakeholder {id: $to}) WHERE type(r) = $type
				DELETE r RETURN count(*)`
			params = map[string]any{"id": r.ID, "type": string(r.Type), "from": r.From, "to": r.To}
			rels--
		case st.IsRelation() && st.Before == nil:
			r := st.After.Relation
			// The type label is dynamic but comes from a validated
			// domain.RelationType; topics are set by refreshTopics.
			cypher = `MATCH (a:Stakeholder {id: $from}) MATCH (b:Stakeholder {id: $to})
				CREATE (a)-[r:$($type)]->(b) SET r = $props RETURN count(*)`
			params = map[string]any{"type": string(r.Type), "from": r.From, "to": r.To, "props": relProps(r, nil)}
			rels++
		case st.IsRelation():
			r := st.After.Relation
			cypher = `MATCH (:Stakeholder {id: $from})-[r {id: $id}]->(:Stakeholder {id: $to}) WHERE type(r) = $type
				SET r = $props RETURN count(*)`
			params = map[string]any{"id": r.ID, "type": string(r.Type), "from": r.From, "to": r.To, "props": relProps(r, nil)}
		case st.After == nil:
			// Plain DELETE: a relation left on the node fails the write
			// instead of vanishing without a change that says so.
			cypher = `MATCH (n:Stakeholder {id: $id})
				OPTIONAL MATCH (t:` + sourceTextLabel + ` {id: $id}) DELETE t
				WITH DISTINCT n DELETE n RETURN count(*)`
			params = map[string]any{"id": st.Target}
			nodes--
		case st.Before == nil:
			n := st.After.Node
			cypher = `CREATE (n:Stakeholder) SET n = $props, n:$($kind) RETURN count(*)`
			params = map[string]any{"kind": string(n.Kind), "props": nodeProps(n)}
			nodes++
		default:
			n := st.After.Node
			cypher = `MATCH (n:Stakeholder {id: $id}) SET n = $props RETURN count(*)`
			params = map[string]any{"id": n.ID, "props": nodeProps(n)}
		}
		recs, err := txCollect(ctx, tx, cypher, params)
		if err != nil {
			return 0, 0, err
		}
		if len(recs) != 1 || recs[0].Values[0] != int64(1) {
			// Plan saw the entity a moment ago in this transaction: the
			// data does not hold together, and nothing is written.
			return 0, 0, domain.Errorf(domain.EINTERNAL, "neo4j: step on %s matched %v entities, want 1", st.Target, recs)
		}
		if st.After != nil && st.After.Node != nil && st.After.Node.Kind == domain.KindSource {
			if err := txExec(ctx, tx, `MERGE (t:`+sourceTextLabel+` {id: $id}) SET t.text = $text`,
				map[string]any{"id": st.Target, "text": st.After.Text}); err != nil {
				return 0, 0, err
			}
		}
	}
	return nodes, rels, nil
}

// refreshTopics recomputes the derived topics property (see relProps) of
// every relation the steps create or change and, when a step adds or
// retires an ADDRESSES relation of a venue, of every relation of that venue:
// those concern the topics their venue addresses. It feeds the affected
// part of the graph to domain.ConcernedTopics, the rule's one home, which
// reads no more than the relations' ends, their kinds and the ends'
// ADDRESSES relations.
func refreshTopics(ctx context.Context, tx driver.ManagedTransaction, steps []domain.Step) error {
	var changed []map[string]any
	venues := map[string]bool{}
	for _, st := range steps {
		for _, e := range [2]*domain.Entity{st.Before, st.After} {
			if e == nil || e.Relation == nil {
				continue
			}
			r := e.Relation
			if kind, _, err := domain.ParseID(r.From); err == nil && r.Type == domain.RelAddresses && kind.IsVenue() {
				venues[r.From] = true
			}
		}
		if st.After != nil && st.After.Relation != nil {
			r := st.After.Relation
			changed = append(changed, map[string]any{"id": r.ID, "from": r.From, "to": r.To})
		}
	}
	if len(changed) == 0 && len(venues) == 0 {
		return nil
	}
	venueIDs := make([]string, 0, len(venues))
	for v := range venues {
		venueIDs = append(venueIDs, v)
	}
	recs, err := txCollect(ctx, tx, `
		CALL {
			UNWIND $venues AS v MATCH (:Stakeholder {id: v})-[r]-(:Stakeholder) RETURN r
			UNION
			UNWIND $changed AS x MATCH (:Stakeholder {id: x.from})-[r {id: x.id}]->(:Stakeholder {id: x.to}) RETURN r
		}
		WITH r, startNode(r) AS a, endNode(r) AS b
		RETURN r.id, type(r), a.id, a.kind, b.id, b.kind,
		       [(a)-[:ADDRESSES]->(t:Stakeholder) WHERE t.kind = $topic | t.id],
		       [(b)-[:ADDRESSES]->(t:Stakeholder) WHERE t.kind = $topic | t.id],
		       r.`+pTopics+``,
		map[string]any{"venues": venueIDs, "changed": changed, "topic": string(domain.KindTopic)})
	if err != nil {
		return err
	}
	g := &domain.Graph{}
	seen := map[string]bool{}
	addNode := func(id, kind string) {
		if !seen[id] {
			seen[id] = true
			g.Nodes = append(g.Nodes, &domain.Node{ID: id, Kind: domain.Kind(kind)})
		}
	}
	var rows []map[string]any
	stored := map[string][]string{}
	for _, rec := range recs {
		str := func(i int) string { s, _ := rec.Values[i].(string); return s }
		id, from, to := str(0), str(2), str(4)
		addNode(from, str(3))
		addNode(to, str(5))
		g.Relations = append(g.Relations, &domain.Relation{ID: id, Type: domain.RelationType(str(1)), From: from, To: to})
		rows = append(rows, map[string]any{"id": id, "from": from, "to": to})
		stored[id] = stringList(rec.Values[8])
		for i, end := range []string{from, to} {
			for _, t := range stringList(rec.Values[6+i]) {
				addNode(t, string(domain.KindTopic))
				// Only ConcernedTopics reads these; their IDs need not be real.
				g.Relations = append(g.Relations, &domain.Relation{ID: "addresses " + end + " " + t,
					Type: domain.RelAddresses, From: end, To: t})
			}
		}
	}
	concerns := domain.ConcernedTopics(g)
	// Only relations whose topics differ are written.
	changedRows := rows[:0]
	for _, row := range rows {
		id := row["id"].(string)
		topics := concerns[id]
		if slices.Equal(topics, stored[id]) {
			continue
		}
		if len(topics) == 0 {
			row["topics"] = nil // removes the property, as relProps leaves it out
		} else {
			row["topics"] = topics
		}
		changedRows = append(changedRows, row)
	}
	if len(changedRows) == 0 {
		return nil
	}
	rows = changedRows
	return txExec(ctx, tx, `UNWIND $rows AS x
		MATCH (:Stakeholder {id: x.from})-[r {id: x.id}]->(:Stakeholder {id: x.to})
		SET r.`+pTopics+` = x.topics`, map[string]any{"rows": rows})
}

// recordChange stores c as a :Change node, links it to the IDs it touches
// and moves the revision of the IDs its steps target.
func recordChange(ctx context.Context, tx driver.ManagedTransaction, c *domain.Change) error {
	steps, err := json.Marshal(c.Steps)
	if err != nil {
		return domain.WrapError(domain.EINTERNAL, err, "encoding a change")
	}
	targets := make([]string, 0, len(c.Steps))
	for _, st := range c.Steps {
		targets = append(targets, st.Target)
	}
	return txExec(ctx, tx, `
		CREATE (c:`+changeLabel+` {seq: $seq, at: $at, actor: $actor, role: $role, action: $action,
		        target: $target, reason: $reason, reverts: $reverts, steps: $steps, touched: $touched})
		WITH c
		CALL (c) {
			UNWIND $touched AS id
			MERGE (t:`+trackedLabel+` {id: id})
			CREATE (c)-[:`+touchesType+`]->(t)
		}
		CALL {
			UNWIND $targets AS id
			MERGE (t:`+trackedLabel+` {id: id})
			SET t.revision = $seq
		}`,
		map[string]any{"seq": c.Seq, "at": c.At.UnixNano(), "actor": c.Actor.Name, "role": string(c.Actor.Role),
			"action": string(c.Action), "target": c.Target, "reason": c.Reason, "reverts": c.Reverts,
			"steps": string(steps), "touched": c.TouchedIDs(), "targets": targets})
}

// decodeChange reads a :Change node's properties.
func decodeChange(v any) (*domain.Change, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("change value is %T, not a map", v)
	}
	str := func(k string) string { s, _ := m[k].(string); return s }
	num := func(k string) int64 { n, _ := m[k].(int64); return n }
	c := &domain.Change{
		Seq:     num("seq"),
		At:      time.Unix(0, num("at")).UTC(),
		Actor:   domain.Actor{Name: str("actor"), Role: domain.Role(str("role"))},
		Action:  domain.Action(str("action")),
		Target:  str("target"),
		Reason:  str("reason"),
		Reverts: num("reverts"),
	}
	if err := json.Unmarshal([]byte(str("steps")), &c.Steps); err != nil {
		return nil, fmt.Errorf("change %d: steps: %w", c.Seq, err)
	}
	return c, nil
}

// txState is domain.State read inside the writer's transaction, so Plan
// sees the data as the transaction will change it and nobody else can
// change it in between (the :Dataset lock).
type txState struct {
	tx driver.ManagedTransaction
}

func (st *txState) Node(ctx context.Context, id string) (*domain.Node, error) {
	recs, err := txCollect(ctx, st.tx, `MATCH (n:Stakeholder {id: $id}) RETURN `+nodeMap("n"), map[string]any{"id": id})
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	return decodeNode(recs[0].Values[0])
}

func (st *txState) Relation(ctx context.Context, id string) (*domain.Relation, error) {
	recs, err := txCollect(ctx, st.tx, relationByID, map[string]any{"id": id})
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	return decodeRelation(recs[0].Values[0])
}

// relationByID finds a relation by ID with one index seek per relation
// type (see setupWrites): Neo4j indexes relationship properties per type
// only.
var relationByID = func() string {
	parts := make([]string, len(domain.RelationTypes))
	for i, t := range domain.RelationTypes {
		parts[i] = `MATCH (:Stakeholder)-[r:` + string(t) + ` {id: $id}]->(:Stakeholder) RETURN r`
	}
	return `CALL { ` + strings.Join(parts, " UNION ") + ` } RETURN ` + relMap("r")
}()

func (st *txState) RelationsOf(ctx context.Context, id string) ([]*domain.Relation, error) {
	recs, err := txCollect(ctx, st.tx, `MATCH (:Stakeholder {id: $id})-[r]-(:Stakeholder)
		RETURN `+relMap("r")+` ORDER BY r.id`, map[string]any{"id": id})
	if err != nil {
		return nil, err
	}
	return decodeRecords(recs)
}

func (st *txState) CitingRelations(ctx context.Context, sourceID string) ([]*domain.Relation, error) {
	// Every relationship is read: retiring a source is rare, and list
	// membership has no index.
	recs, err := txCollect(ctx, st.tx, `MATCH (:Stakeholder)-[r]->(:Stakeholder) WHERE $id IN r.`+pEvidenceSources+`
		RETURN `+relMap("r")+` ORDER BY r.id`, map[string]any{"id": sourceID})
	if err != nil {
		return nil, err
	}
	return decodeRecords(recs)
}

func (st *txState) SourceText(ctx context.Context, id string) (string, bool, error) {
	return sourceText(ctx, st.tx, id)
}

func (st *txState) Revision(ctx context.Context, id string) (int64, error) {
	return revision(ctx, st.tx, id)
}

func (st *txState) Change(ctx context.Context, seq int64) (*domain.Change, error) {
	recs, err := txCollect(ctx, st.tx, `MATCH (c:`+changeLabel+` {seq: $seq}) RETURN c{.*}`, map[string]any{"seq": seq})
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	return decodeChange(recs[0].Values[0])
}

// runner is a transaction of either kind.
type runner interface {
	Run(ctx context.Context, cypher string, params map[string]any) (driver.ResultWithContext, error)
}

// sourceText reads the text of a current Source node.
func sourceText(ctx context.Context, tx runner, id string) (string, bool, error) {
	recs, err := txCollect(ctx, tx, `MATCH (:Stakeholder {id: $id, kind: $source})
		MATCH (t:`+sourceTextLabel+` {id: $id}) RETURN t.text`, map[string]any{"id": id, "source": string(domain.KindSource)})
	if err != nil || len(recs) == 0 {
		return "", false, err
	}
	text, ok := recs[0].Values[0].(string)
	return text, ok, nil
}

// revision reads the Seq of the last change with a step on id.
func revision(ctx context.Context, tx runner, id string) (int64, error) {
	recs, err := txCollect(ctx, tx, `OPTIONAL MATCH (t:`+trackedLabel+` {id: $id}) RETURN coalesce(t.revision, 0)`,
		map[string]any{"id": id})
	if err != nil || len(recs) == 0 {
		return 0, err
	}
	rev, _ := recs[0].Values[0].(int64)
	return rev, nil
}

func decodeRecords(recs []*driver.Record) ([]*domain.Relation, error) {
	out := make([]*domain.Relation, 0, len(recs))
	for _, rec := range recs {
		r, err := decodeRelation(rec.Values[0])
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// txCollect runs one query in tx and returns all its records.
func txCollect(ctx context.Context, tx runner, cypher string, params map[string]any) ([]*driver.Record, error) {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	return res.Collect(ctx)
}

// txExec runs one query in tx for its effect.
func txExec(ctx context.Context, tx runner, cypher string, params map[string]any) error {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return err
	}
	_, err = res.Consume(ctx)
	return err
}
