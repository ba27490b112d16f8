package neo4j

import (
	"context"
	"fmt"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// A statement is a (:Statement) node outside :Stakeholder, so no
// stakeholder query sees it, holding its fields as properties and linked
// to the nodes it names:
//
//	(:Statement)-[:SAID_BY]->(speaker)
//	(:Statement)-[:ON_BEHALF_OF]->(actor)
//	(:Statement)-[:ABOUT]->(topic, programme or agreement)
//	(:Statement)-[:SAID_AT]->(event)
//	(:Statement)-[:CITES]->(source)
//
// The links make a stakeholder's statements one hop away for Cypher users,
// and a plain DELETE of a node they name fails instead of leaving a
// statement naming nothing.
const statementLabel = "Statement"

// statementLinks are the links of s, as rows {type, to}.
func statementLinks(s *domain.Statement) []any {
	links := []any{map[string]any{"type": "SAID_BY", "to": s.Speaker}}
	if s.OnBehalfOf != "" {
		links = append(links, map[string]any{"type": "ON_BEHALF_OF", "to": s.OnBehalfOf})
	}
	for _, id := range s.About {
		links = append(links, map[string]any{"type": "ABOUT", "to": id})
	}
	if s.Event != "" {
		links = append(links, map[string]any{"type": "SAID_AT", "to": s.Event})
	}
	return append(links, map[string]any{"type": "CITES", "to": s.Evidence.SourceID})
}

func statementProps(s *domain.Statement) map[string]any {
	p := map[string]any{"id": s.ID, "speaker": s.Speaker, "about": append([]string(nil), s.About...),
		"stance": string(s.Stance), "confidence": string(s.Confidence), "source": s.Evidence.SourceID, "quote": s.Evidence.Quote}
	for k, v := range map[string]string{"onBehalfOf": s.OnBehalfOf, "date": string(s.Date), "event": s.Event, "note": s.Note} {
		if v != "" {
			p[k] = v
		}
	}
	return p
}

func statementRow(s *domain.Statement) map[string]any {
	return map[string]any{"props": statementProps(s), "links": statementLinks(s)}
}

// createStatements creates the statements of rows (statementRow) and their
// links in tx; the link types are the constants above, spliced in by the
// dynamic-type syntax from parameters this file makes.
const createStatements = `UNWIND $rows AS row
	CREATE (s:` + statementLabel + `) SET s = row.props
	WITH s, row
	UNWIND row.links AS l
	MATCH (n:Stakeholder {id: l.to})
	CREATE (s)-[:$(l.type)]->(n)
	RETURN count(*)`

// writeStatements creates sts in tx and checks every link found its node.
func writeStatements(ctx context.Context, tx runner, sts []*domain.Statement) error {
	if len(sts) == 0 {
		return nil
	}
	rows := make([]any, len(sts))
	want := int64(0)
	for i, s := range sts {
		row := statementRow(s)
		rows[i] = row
		want += int64(len(row["links"].([]any)))
	}
	recs, err := txCollect(ctx, tx, createStatements, map[string]any{"rows": rows})
	if err != nil {
		return err
	}
	if len(recs) != 1 || recs[0].Values[0] != want {
		return domain.Errorf(domain.EINTERNAL, "neo4j: statements made %v links, want %d", recs, want)
	}
	return nil
}

func decodeStatement(v any) (*domain.Statement, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("statement value is %T, not a map", v)
	}
	str := func(k string) string { s, _ := m[k].(string); return s }
	return &domain.Statement{
		ID: str("id"), Speaker: str("speaker"), OnBehalfOf: str("onBehalfOf"), About: stringList(m["about"]),
		Stance: domain.Stance(str("stance")), Date: domain.PartialDate(str("date")), Event: str("event"),
		Confidence: domain.Confidence(str("confidence")), Note: str("note"),
		Evidence: domain.Evidence{SourceID: str("source"), Quote: str("quote")},
	}, nil
}

func decodeStatements(recs []*driver.Record) ([]*domain.Statement, error) {
	out := make([]*domain.Statement, 0, len(recs))
	for _, rec := range recs {
		s, err := decodeStatement(rec.Values[0])
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// Statements: see domain.Store. Cypher selects by every filter but the
// date, which domain.SelectStatements applies with the partial-date rule
// the embedded store uses, together with the page size.
func (s *Store) Statements(ctx context.Context, q domain.StatementQuery) ([]*domain.Statement, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	sts, err := readTx(ctx, s, func(tx driver.ManagedTransaction) ([]*domain.Statement, error) {
		if err := mustAllExistTx(ctx, tx, q.NamedIDs()); err != nil {
			return nil, err
		}
		recs, err := txCollect(ctx, tx, `MATCH (s:`+statementLabel+`) WHERE s.id > $after
			AND ($speaker = '' OR s.speaker = $speaker OR s.onBehalfOf = $speaker)
			AND ($topic = '' OR $topic IN s.about)
			AND ($event = '' OR s.event = $event)
			AND ($stance = '' OR s.stance = $stance)
			RETURN s{.*} ORDER BY s.id`,
			map[string]any{"after": q.After, "speaker": q.Speaker, "topic": q.Topic, "event": q.Event, "stance": string(q.Stance)})
		if err != nil {
			return nil, err
		}
		return decodeStatements(recs)
	})
	if err != nil {
		return nil, s.fail(err, "reading statements")
	}
	return domain.SelectStatements(sts, q), nil
}

func (st *txState) Statement(ctx context.Context, id string) (*domain.Statement, error) {
	recs, err := txCollect(ctx, st.tx, `MATCH (s:`+statementLabel+` {id: $id}) RETURN s{.*}`, map[string]any{"id": id})
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	return decodeStatement(recs[0].Values[0])
}

func (st *txState) StatementsOf(ctx context.Context, id string) ([]*domain.Statement, error) {
	recs, err := txCollect(ctx, st.tx, `MATCH (s:`+statementLabel+`)-->(:Stakeholder {id: $id})
		RETURN DISTINCT s{.*} ORDER BY s.id`, map[string]any{"id": id})
	if err != nil {
		return nil, err
	}
	return decodeStatements(recs)
}

// applyStatementStep writes one step on a statement: a changed statement is
// replaced whole, links and all.
func applyStatementStep(ctx context.Context, tx runner, st domain.Step) error {
	if st.Before != nil {
		recs, err := txCollect(ctx, tx, `MATCH (s:`+statementLabel+` {id: $id}) DETACH DELETE s RETURN count(*)`,
			map[string]any{"id": st.Target})
		if err != nil {
			return err
		}
		if len(recs) != 1 || recs[0].Values[0] != int64(1) {
			return domain.Errorf(domain.EINTERNAL, "neo4j: step on %s matched %v statements, want 1", st.Target, recs)
		}
	}
	if st.After != nil {
		return writeStatements(ctx, tx, []*domain.Statement{st.After.Statement})
	}
	return nil
}
