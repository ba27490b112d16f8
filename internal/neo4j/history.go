package neo4j

import (
	"context"
	"strconv"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// writeSchema is the schema the write side relies on (see write.go): unique
// Seq, one :Tracked and one :SourceText per ID, changes found by time, and
// relations found by ID (Neo4j indexes relationship properties per type).
func writeSchema() []string {
	stmts := []string{
		`CREATE CONSTRAINT change_seq IF NOT EXISTS FOR (c:` + changeLabel + `) REQUIRE c.seq IS UNIQUE`,
		`CREATE INDEX change_at IF NOT EXISTS FOR (c:` + changeLabel + `) ON (c.at)`,
		`CREATE CONSTRAINT tracked_id IF NOT EXISTS FOR (t:` + trackedLabel + `) REQUIRE t.id IS UNIQUE`,
		`CREATE CONSTRAINT source_text_id IF NOT EXISTS FOR (t:` + sourceTextLabel + `) REQUIRE t.id IS UNIQUE`,
		`CREATE CONSTRAINT statement_id IF NOT EXISTS FOR (s:` + statementLabel + `) REQUIRE s.id IS UNIQUE`,
	}
	for _, t := range domain.RelationTypes {
		// Type names are schema constants, not input.
		stmts = append(stmts, `CREATE INDEX relation_id_`+string(t)+` IF NOT EXISTS FOR ()-[r:`+string(t)+`]-() ON (r.id)`)
	}
	return stmts
}

// setupWrites creates the write side's schema; Setup calls it.
func (s *Store) setupWrites(ctx context.Context) error {
	for _, stmt := range append(writeSchema(), `CALL db.awaitIndexes(60)`) {
		if _, err := s.write(ctx, stmt, nil); err != nil {
			return s.fail(err, "setting up the Neo4j schema for writes")
		}
	}
	return nil
}

// seedHistory runs inside Seed's transaction, after the :Dataset node is
// merged: the seeded data is version 0, so history starts over, and the
// source texts are exactly texts.
func seedHistory(ctx context.Context, tx driver.ManagedTransaction, texts map[string]string) error {
	rows := make([]map[string]any, 0, len(texts))
	ids := make([]string, 0, len(texts))
	for id, text := range texts {
		rows = append(rows, map[string]any{"id": id, "text": text})
		ids = append(ids, id)
	}
	steps := []struct {
		cypher string
		params map[string]any
	}{
		{`MATCH (c:` + changeLabel + `) DETACH DELETE c`, nil},
		{`MATCH (t:` + trackedLabel + `) DETACH DELETE t`, nil},
		{`MATCH (t:` + sourceTextLabel + `) WHERE NOT t.id IN $ids DELETE t`, map[string]any{"ids": ids}},
		{`UNWIND $rows AS row MERGE (t:` + sourceTextLabel + ` {id: row.id}) SET t.text = row.text`, map[string]any{"rows": rows}},
		{`MATCH (d:` + datasetLabel + ` {id: $key}) SET d.seq = 0, d.lastAt = null`, map[string]any{"key": datasetKey}},
	}
	for _, st := range steps {
		if err := txExec(ctx, tx, st.cypher, st.params); err != nil {
			return err
		}
	}
	return nil
}

// withSeq is the store's Version: the seeded data's version while nothing
// has changed, then that version and the Seq of the latest change. Check
// compares the seeded version alone: changes do not make the data another
// build's.
func withSeq(base string, seq int64) string {
	if seq == 0 {
		return base
	}
	return base + "+" + strconv.FormatInt(seq, 10)
}

// Changes returns one page of history in Seq order.
func (s *Store) Changes(ctx context.Context, q domain.ChangeQuery) (*domain.ChangePage, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	params := map[string]any{"since": q.Since, "limit": q.First + 1, "target": q.Target}
	cypher := `MATCH (c:` + changeLabel + `) WHERE c.seq > $since
		RETURN c{.*} ORDER BY c.seq LIMIT $limit`
	if q.Target != "" {
		cypher = `MATCH (:` + trackedLabel + ` {id: $target})<-[:` + touchesType + `]-(c:` + changeLabel + `) WHERE c.seq > $since
			RETURN c{.*} ORDER BY c.seq LIMIT $limit`
	}
	res, err := s.read(ctx, cypher, params)
	if err != nil {
		return nil, s.fail(err, "reading history")
	}
	page := &domain.ChangePage{Changes: make([]*domain.Change, 0, len(res.Records))}
	for i, rec := range res.Records {
		if i == q.First {
			page.HasNextPage = true
			break
		}
		c, err := decodeChange(rec.Values[0])
		if err != nil {
			return nil, s.fail(err, "decoding a change")
		}
		page.Changes = append(page.Changes, c)
	}
	return page, nil
}

// DataVersion is the Seq of the latest change, 0 for the seeded data.
func (s *Store) DataVersion(ctx context.Context) (int64, error) {
	res, err := s.read(ctx, `OPTIONAL MATCH (d:`+datasetLabel+` {id: $key}) RETURN coalesce(d.seq, 0)`,
		map[string]any{"key": datasetKey})
	if err != nil {
		return 0, s.fail(err, "reading the data version")
	}
	seq, _ := res.Records[0].Values[0].(int64)
	return seq, nil
}

// VersionAt is the Seq of the last change made at or before t.
func (s *Store) VersionAt(ctx context.Context, t time.Time) (int64, error) {
	res, err := s.read(ctx, `MATCH (c:`+changeLabel+`) WHERE c.at <= $at RETURN coalesce(max(c.seq), 0)`,
		map[string]any{"at": t.UnixNano()})
	if err != nil {
		return 0, s.fail(err, "reading the version at a time")
	}
	seq, _ := res.Records[0].Values[0].(int64)
	return seq, nil
}

// SourceText returns the full text of a current Source node.
func (s *Store) SourceText(ctx context.Context, id string) (string, error) {
	if _, _, err := domain.ParseID(id); err != nil {
		return "", err
	}
	type found struct {
		text string
		ok   bool
	}
	got, err := readTx(ctx, s, func(tx driver.ManagedTransaction) (found, error) {
		text, ok, err := sourceText(ctx, tx, id)
		return found{text, ok}, err
	})
	if err != nil {
		return "", s.fail(err, "reading a source text")
	}
	if !got.ok {
		return "", domain.Errorf(domain.ENOTFOUND, "no current source %s with a text", id)
	}
	return got.text, nil
}

// Revision is the Seq of the last change with a step on id, 0 when none.
func (s *Store) Revision(ctx context.Context, id string) (int64, error) {
	rev, err := readTx(ctx, s, func(tx driver.ManagedTransaction) (int64, error) {
		return revision(ctx, tx, id)
	})
	if err != nil {
		return 0, s.fail(err, "reading a revision")
	}
	return rev, nil
}

// Seed makes the database hold exactly g, without source texts (see
// SeedWithTexts), and starts history over.
func (s *Store) Seed(ctx context.Context, g *domain.Graph) error {
	return s.SeedWithTexts(ctx, g, nil)
}
