package neo4j

import (
	"context"
	"fmt"
	"strings"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// checkTimeout bounds one readiness check, so a server that accepts
// connections but does not answer is found out; long enough that a busy
// server compiling the check's queries is not taken for a dead one.
const checkTimeout = 5 * time.Second

// uniqueConstraint names the constraint Setup creates on :Stakeholder(id);
// its backing index carries the same name.
const uniqueConstraint = "stakeholder_id"

// Check reports whether the database holds the data of version want and
// the schema objects Setup creates, online. It runs two small auto-commit
// queries, which the driver does not retry: a refused connection fails the
// check at once instead of after the retry window of a query.
func (s *Store) Check(ctx context.Context, want string) error {
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	session := s.driver.NewSession(ctx, driver.SessionConfig{DatabaseName: s.database, AccessMode: driver.AccessModeRead})
	defer func() { _ = session.Close(context.WithoutCancel(ctx)) }()

	records, err := collect(ctx, session, `OPTIONAL MATCH (d:`+datasetLabel+` {id: $key})
		RETURN d.version AS version, d.nodes AS wantNodes, d.relations AS wantRelations,
		       COUNT { MATCH (n:Stakeholder) } AS nodes, COUNT { MATCH (:Stakeholder)-[r]->() } AS relations`,
		map[string]any{"key": datasetKey})
	if err == nil && len(records) != 1 {
		err = fmt.Errorf("neo4j: %d rows for the data version, want 1", len(records))
	}
	if err != nil {
		return s.checkFailed(err)
	}
	row := records[0].Values
	version, _ := row[0].(string)
	wantNodes, counted := row[1].(int64)
	wantRelations, _ := row[2].(int64)
	nodes, _ := row[3].(int64)
	relations, _ := row[4].(int64)
	switch {
	case version == "" && nodes == 0:
		return domain.NotReadyError(domain.ReasonNoData, nil,
			"the Neo4j database %q does not hold the stakegraph data (was it restarted empty?): run `stakegraph seed`, or start serve with --reseed to load it again by itself", s.databaseName())
	case counted && (nodes != wantNodes || relations != wantRelations):
		return domain.NotReadyError(domain.ReasonNoData, nil,
			"the Neo4j database %q holds %d nodes and %d relations of the %d and %d stakegraph seeded: run `stakegraph seed`, or start serve with --reseed to load them again by itself", s.databaseName(), nodes, relations, wantNodes, wantRelations)
	case version == "":
		// Seeded before versions were recorded: Version computes it from the
		// graph, as Seed would have recorded it.
		if version, err = s.Version(ctx); err != nil {
			return s.checkFailed(err)
		}
	}
	if version != want {
		return domain.NotReadyError(domain.ReasonOtherData, nil,
			"the Neo4j database %q holds data version %s, but this stakegraph serves version %s: run `stakegraph seed`, or start serve with --seed, to replace it", s.databaseName(), version, want)
	}

	records, err = collect(ctx, session, `SHOW INDEXES YIELD name, state, owningConstraint
		WHERE name IN $names RETURN name, state, owningConstraint`,
		map[string]any{"names": []string{uniqueConstraint, fulltextIndex}})
	if err != nil {
		return s.checkFailed(err)
	}
	online := map[string]bool{}
	for _, r := range records {
		name, _ := r.Values[0].(string)
		state, _ := r.Values[1].(string)
		owner, _ := r.Values[2].(string)
		if name == uniqueConstraint && owner != uniqueConstraint {
			continue // a plain index of that name does not make IDs unique
		}
		online[name] = state == "ONLINE"
	}
	var missing []string
	if !online[uniqueConstraint] {
		missing = append(missing, "uniqueness constraint "+uniqueConstraint)
	}
	if !online[fulltextIndex] {
		missing = append(missing, "full-text index "+fulltextIndex)
	}
	if len(missing) > 0 {
		return domain.NotReadyError(domain.ReasonNoSchema, nil,
			"the Neo4j database %q lacks the %s, or it is not online: run `stakegraph seed`, which creates it, or start serve with --reseed", s.databaseName(), strings.Join(missing, " and the "))
	}
	return nil
}

// checkFailed is Check's answer when Neo4j could not be asked: not ready
// as unreachable, with the message the failure would give a query.
func (s *Store) checkFailed(err error) error {
	failed := s.fail(err, "checking readiness")
	return domain.NotReadyError(domain.ReasonUnreachable, failed, "%s", domain.ErrorMessage(failed))
}

// databaseName is the database as configured, or a word for the default.
func (s *Store) databaseName() string {
	if s.database == "" {
		return "(default)"
	}
	return s.database
}

// collect runs one auto-commit query and returns all its records.
func collect(ctx context.Context, session driver.SessionWithContext, cypher string, params map[string]any) ([]*driver.Record, error) {
	res, err := session.Run(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	return res.Collect(ctx)
}
