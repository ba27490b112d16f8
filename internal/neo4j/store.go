// Package neo4j is the Neo4j 5 backend of stakegraph: it stores the graph as
// :Stakeholder nodes joined by relationships typed after domain.RelationType
// and answers every domain.Store query with parameterised Cypher, giving the
// same answers as the embedded memory store.
package neo4j

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// Config says how to reach Neo4j.
type Config struct {
	URI      string // e.g. neo4j://localhost:7687 or bolt://host:7687
	User     string // empty for a server without authentication
	Password string
	Database string // empty for the server's default database
}

// Store is a domain.Store on a Neo4j database. It is safe for concurrent use:
// the driver it wraps pools connections.
type Store struct {
	driver   driver.DriverWithContext
	database string
	uri      string // without user info, for messages
	logger   *slog.Logger
}

var _ domain.Store = (*Store)(nil)

const (
	// connectTimeout bounds Open's and Ping's connectivity check, so a wrong
	// URI fails fast instead of hanging a start-up.
	connectTimeout = 10 * time.Second

	// fulltextIndex is the name of the search index; see Setup.
	fulltextIndex = "stakeholder_search"
	// searchAnalyzer splits on whitespace only. The indexed text is already
	// folded and tokenized by domain.Tokens, so the index holds exactly the
	// tokens domain.MatchScore compares against and a prefix query over them
	// finds every node MatchScore accepts (see Search).
	searchAnalyzer = "whitespace"
)

// Open connects to Neo4j, checks that it answers and prepares the schema
// (see Setup). The returned Store owns the process's one driver.
func Open(ctx context.Context, cfg Config, logger *slog.Logger) (*Store, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if cfg.URI == "" {
		return nil, domain.Errorf(domain.EINVALID, "no Neo4j URI given: set NEO4J_URI, e.g. neo4j://localhost:7687")
	}
	auth := driver.NoAuth()
	if cfg.User != "" || cfg.Password != "" {
		auth = driver.BasicAuth(cfg.User, cfg.Password, "")
	}
	s := &Store{database: cfg.Database, uri: redactURI(cfg.URI), logger: logger}
	d, err := driver.NewDriverWithContext(cfg.URI, auth, func(c *config.Config) {
		// A request should fail while its caller still waits, not after the
		// driver's default 30 s of retries.
		c.MaxTransactionRetryTime = 5 * time.Second
		c.SocketConnectTimeout = 5 * time.Second
	})
	if err != nil {
		logger.Error("unusable Neo4j URI", "uri", s.uri, "err", err)
		return nil, domain.WrapError(domain.EINVALID, err, "the Neo4j URI (NEO4J_URI) is not usable: use neo4j://host:7687 or bolt://host:7687")
	}
	s.driver = d
	if err := s.Ping(ctx); err != nil {
		_ = d.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	if err := s.Setup(ctx); err != nil {
		_ = d.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	logger.Info("connected to Neo4j", "uri", s.uri, "database", cfg.Database)
	return s, nil
}

// Setup creates the schema the queries rely on, if missing: a uniqueness
// constraint on :Stakeholder(id), which also indexes id lookups, and the
// full-text index used by Search. It waits until both are online. Running it
// again is harmless.
func (s *Store) Setup(ctx context.Context) error {
	if err := s.checkAnalyzer(ctx); err != nil {
		return err
	}
	statements := []string{
		`CREATE CONSTRAINT stakeholder_id IF NOT EXISTS FOR (n:Stakeholder) REQUIRE n.id IS UNIQUE`,
		// Index names and analyzers are schema, not user input; the options
		// map is a literal because index options cannot be parameters.
		`CREATE FULLTEXT INDEX ` + fulltextIndex + ` IF NOT EXISTS FOR (n:Stakeholder) ON EACH [n.searchText]
		 OPTIONS {indexConfig: {` + "`fulltext.analyzer`" + `: '` + searchAnalyzer + `', ` + "`fulltext.eventually_consistent`" + `: false}}`,
		stagingIndexStatement,
		`CALL db.awaitIndexes(60)`,
	}
	for _, stmt := range statements {
		if _, err := s.write(ctx, stmt, nil); err != nil {
			return s.fail(err, "setting up the Neo4j schema")
		}
	}
	return s.setupWrites(ctx)
}

// checkAnalyzer makes sure the server offers the search analyzer, so a
// missing one is reported by name rather than as a failed CREATE INDEX.
func (s *Store) checkAnalyzer(ctx context.Context) error {
	res, err := s.read(ctx, `CALL db.index.fulltext.listAvailableAnalyzers() YIELD analyzer
		WHERE analyzer = $name RETURN count(*) AS n`, map[string]any{"name": searchAnalyzer})
	if err != nil {
		return s.fail(err, "listing full-text analyzers")
	}
	if n, _ := res.Records[0].Values[0].(int64); n == 0 {
		s.logger.Error("Neo4j lacks the search analyzer", "uri", s.uri, "analyzer", searchAnalyzer)
		return domain.Errorf(domain.EINTERNAL, "Neo4j has no full-text analyzer %q", searchAnalyzer)
	}
	return nil
}

// Ping checks that Neo4j answers.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	if err := s.driver.VerifyConnectivity(ctx); err != nil {
		return s.unavailable(err)
	}
	return nil
}

// Close closes the driver and its connections.
func (s *Store) Close(ctx context.Context) error {
	if err := s.driver.Close(ctx); err != nil {
		return domain.WrapError(domain.EINTERNAL, err, "closing the Neo4j driver")
	}
	return nil
}

// ServerVersion returns the server's version and edition, e.g.
// "5.26.19 community".
func (s *Store) ServerVersion(ctx context.Context) (string, error) {
	res, err := s.read(ctx, `CALL dbms.components() YIELD name, versions, edition
		WHERE name = 'Neo4j Kernel' RETURN versions[0] + ' ' + edition AS v`, nil)
	if err != nil {
		return "", s.fail(err, "asking Neo4j for its version")
	}
	if len(res.Records) == 0 {
		return "", domain.Errorf(domain.EINTERNAL, "Neo4j did not report a kernel version")
	}
	v, _ := res.Records[0].Values[0].(string)
	return v, nil
}

// read runs one read query in its own transaction (see readTx), or in the
// read transaction of inOneRead.
func (s *Store) read(ctx context.Context, cypher string, params map[string]any) (*driver.EagerResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if tx, ok := ctx.Value(readTxKey{}).(driver.ManagedTransaction); ok {
		return eagerTx(ctx, tx, cypher, params)
	}
	return readTx(ctx, s, func(tx driver.ManagedTransaction) (*driver.EagerResult, error) {
		return eagerTx(ctx, tx, cypher, params)
	})
}

// readTx runs work in one read transaction, so a request of several
// statements reads one state of the data and pays for one transaction;
// no seed's swap overlaps it (see swap.go). work may be run again.
func (s *Store) readTx(ctx context.Context, work func(tx driver.ManagedTransaction) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err := readTx(ctx, s, func(tx driver.ManagedTransaction) (struct{}, error) {
		return struct{}{}, work(tx)
	})
	return err
}

// readTxKey carries the read transaction of inOneRead in a context.
type readTxKey struct{}

// inOneRead runs work with every read it makes (s.read) in one read
// transaction: a request of several statements pays for one transaction
// and reads one state of the data. work may be retried by the driver.
func (s *Store) inOneRead(ctx context.Context, work func(ctx context.Context) error) error {
	if _, ok := ctx.Value(readTxKey{}).(driver.ManagedTransaction); ok {
		return work(ctx)
	}
	err := s.readTx(ctx, func(tx driver.ManagedTransaction) error {
		return work(context.WithValue(ctx, readTxKey{}, tx))
	})
	if err != nil {
		return s.fail(err, "reading")
	}
	return nil
}

// collectTx runs one statement in tx and returns all its records.
func collectTx(ctx context.Context, tx driver.ManagedTransaction, cypher string, params map[string]any) ([]*driver.Record, error) {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	return res.Collect(ctx)
}

// write runs one write query in its own transaction (in the read
// transaction of inOneRead, where Neo4j refuses it).
func (s *Store) write(ctx context.Context, cypher string, params map[string]any) (*driver.EagerResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if tx, ok := ctx.Value(readTxKey{}).(driver.ManagedTransaction); ok {
		return eagerTx(ctx, tx, cypher, params)
	}
	opts := []driver.ExecuteQueryConfigurationOption{driver.ExecuteQueryWithWritersRouting(), driver.ExecuteQueryWithDatabase(s.database)}
	if timeout, ok := txTimeout(ctx); ok {
		opts = append(opts, driver.ExecuteQueryWithTransactionConfig(driver.WithTxTimeout(timeout)))
	}
	return driver.ExecuteQuery(ctx, s.driver, cypher, params, driver.EagerResultTransformer, opts...)
}

// eagerTx runs one statement in tx and returns all its records.
func eagerTx(ctx context.Context, tx driver.ManagedTransaction, cypher string, params map[string]any) (*driver.EagerResult, error) {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	records, err := res.Collect(ctx)
	if err != nil {
		return nil, err
	}
	keys, _ := res.Keys()
	return &driver.EagerResult{Keys: keys, Records: records}, nil
}

// txTimeout turns the context deadline into a server-side transaction
// timeout, so the server stops work nobody waits for any more.
func txTimeout(ctx context.Context) (time.Duration, bool) {
	deadline, ok := ctx.Deadline()
	if !ok {
		return 0, false
	}
	// The server counts in milliseconds and 0 would mean "no timeout".
	d := time.Until(deadline).Round(time.Millisecond)
	return max(d, time.Millisecond), true
}

// fail classifies a driver error: out of memory → EUNAVAILABLE saying so,
// unreachable or timed out → EUNAVAILABLE, anything else → EINTERNAL with
// the cause kept for the log. Errors that are already *domain.Error pass
// unchanged.
func (s *Store) fail(err error, doing string) error {
	var de *domain.Error
	if errors.As(err, &de) {
		return err
	}
	if ne := serverError(err); ne != nil && isMemoryExhausted(ne.Code) {
		s.logger.Warn("Neo4j ran out of memory", "uri", s.uri, "database", s.database, "doing", doing, "err", err)
		return domain.WrapError(domain.EUNAVAILABLE, err,
			"Neo4j ran out of memory while %s (%s): give the server more memory (server.memory.heap.max_size, dbms.memory.transaction.total.max) or ask for less, then retry", doing, ne.Code)
	}
	if isUnavailable(err) {
		return s.unavailable(err)
	}
	return domain.WrapError(domain.EINTERNAL, err, "neo4j: %s", doing)
}

// unavailable words err for the user without the server's address or the
// driver's detail (socket addresses); both go to the log.
func (s *Store) unavailable(err error) error {
	s.logger.Warn("Neo4j unavailable", "uri", s.uri, "database", s.database, "err", err)
	var ne *driver.Neo4jError
	if errors.As(err, &ne) && strings.HasPrefix(ne.Code, "Neo.ClientError.Security.") {
		return domain.WrapError(domain.EUNAVAILABLE, err,
			"Neo4j refused the credentials: check NEO4J_USER and NEO4J_PASSWORD")
	}
	if errors.As(err, &ne) && ne.Code == "Neo.ClientError.Database.DatabaseNotFound" {
		return domain.WrapError(domain.EUNAVAILABLE, err,
			"Neo4j has no database of the configured name: check NEO4J_DATABASE (empty means the server's default)")
	}
	if errors.Is(err, context.Canceled) {
		return domain.WrapError(domain.EUNAVAILABLE, err, "the request was canceled before Neo4j answered")
	}
	if isTimeout(err) {
		return domain.WrapError(domain.EUNAVAILABLE, err,
			"Neo4j did not answer in time: check that it is running and not overloaded, then retry")
	}
	return domain.WrapError(domain.EUNAVAILABLE, err,
		"Neo4j is not reachable: check that it is running and that NEO4J_URI is right")
}

// isUnavailable reports whether err means the server could not be reached
// or did not answer in time, rather than that the query was wrong.
func isUnavailable(err error) bool {
	if err == nil {
		return false
	}
	if isTimeout(err) || errors.Is(err, context.Canceled) {
		return true
	}
	var ce *driver.ConnectivityError
	if errors.As(err, &ce) {
		return true
	}
	// Retries ran out: the driver retries only transient and connection
	// failures, so the server was not usable for the whole retry window.
	var limit *driver.TransactionExecutionLimit
	if errors.As(err, &limit) {
		return true
	}
	var ne *driver.Neo4jError
	if errors.As(err, &ne) {
		return strings.HasPrefix(ne.Code, "Neo.TransientError.") ||
			strings.HasPrefix(ne.Code, "Neo.ClientError.Security.") ||
			ne.Code == "Neo.ClientError.Database.DatabaseNotFound"
	}
	var nerr net.Error
	if errors.As(err, &nerr) {
		return true
	}
	// The driver's pool, routing and connection errors live in an internal
	// package without a common exported type; all of them mean the server
	// could not be used, so classify them by their package.
	return strings.HasPrefix(fmt.Sprintf("%T", err), "*errorutil.") && !driver.IsUsageError(err)
}

// serverError is the server's error behind err, also when the driver gave
// up retrying (its TransactionExecutionLimit keeps the errors without
// unwrapping them); nil when the server reported none.
func serverError(err error) *driver.Neo4jError {
	var ne *driver.Neo4jError
	if errors.As(err, &ne) {
		return ne
	}
	var limit *driver.TransactionExecutionLimit
	if errors.As(err, &limit) && len(limit.Errors) > 0 {
		return serverError(limit.Errors[len(limit.Errors)-1])
	}
	return nil
}

// isMemoryExhausted reports whether a server error code says a memory pool
// or limit ran out (transaction memory, the JVM heap): the query was too big
// for the server, which is up.
func isMemoryExhausted(code string) bool {
	switch code {
	case "Neo.TransientError.General.MemoryPoolOutOfMemoryError",
		"Neo.TransientError.General.TransactionMemoryLimit",
		"Neo.TransientError.General.OutOfMemoryError":
		return true
	}
	return false
}

func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var t interface{ Timeout() bool }
	if errors.As(err, &t) && t.Timeout() {
		return true
	}
	var ne *driver.Neo4jError
	if errors.As(err, &ne) && strings.HasPrefix(ne.Code, "Neo.ClientError.Transaction.TransactionTimedOut") {
		return true
	}
	// The driver wraps the context's error without Unwrap.
	var ce *driver.ConnectivityError
	if errors.As(err, &ce) && ce.Inner != nil && isTimeout(ce.Inner) {
		return true
	}
	var limit *driver.TransactionExecutionLimit
	if errors.As(err, &limit) && len(limit.Errors) > 0 && isTimeout(limit.Errors[len(limit.Errors)-1]) {
		return true
	}
	return strings.Contains(fmt.Sprintf("%T", err), "Timeout")
}

// redactURI drops user info from a URI so messages never carry secrets.
func redactURI(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URI)"
	}
	u.User = nil
	u.RawQuery = ""
	return u.String()
}

// notFound is the error for a missing node, worded as the memory store does.
func notFound(id string) error {
	return domain.Errorf(domain.ENOTFOUND, "no node with id %q", id)
}
