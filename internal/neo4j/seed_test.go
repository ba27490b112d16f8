package neo4j_test

import (
	"context"
	"testing"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/synth"
)

// rawRun runs a statement on the test server directly and returns the first value of its first row, for what
// the store does not expose (staged and retired nodes).
func rawRun(tb testing.TB, cypher string) int64 {
	tb.Helper()
	cfg := config(tb)
	auth := driver.NoAuth()
	if cfg.User != "" || cfg.Password != "" {
		auth = driver.BasicAuth(cfg.User, cfg.Password, "")
	}
	d, err := driver.NewDriverWithContext(cfg.URI, auth)
	if err != nil {
		tb.Fatalf("driver: %v", err)
	}
	ctx := context.Background()
	defer func() { _ = d.Close(ctx) }()
	res, err := driver.ExecuteQuery(ctx, d, cypher, nil, driver.EagerResultTransformer, driver.ExecuteQueryWithDatabase(cfg.Database))
	if err != nil {
		tb.Fatalf("%s: %v", cypher, err)
	}
	if len(res.Records) == 0 {
		return 0
	}
	n, _ := res.Records[0].Values[0].(int64)
	return n
}

func TestSeedInterrupted(t *testing.T) {
	small := testGraph()
	s := seeded(t, small)
	ctx := context.Background()
	big, err := synth.Generate(synth.Options{Nodes: 3000, Seed: 1})
	if err != nil {
		t.Fatalf("synth: %v", err)
	}
	// Staging 3000 nodes and 30,000 relations takes seconds: the deadline
	// stops the seed before its switch.
	short, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	defer cancel()
	err = s.Seed(short, big.Graph)
	wantCode(t, err, domain.EUNAVAILABLE)

	// The previous data still answers, and nothing staged is left.
	if err := s.Check(ctx, small.Version()); err != nil {
		t.Errorf("Check after the interrupted seed: %v", err)
	}
	if n, r := counts(t, s); n != len(small.Nodes) || r != len(small.Relations) {
		t.Errorf("after the interrupted seed: %d nodes, %d relations; want %d, %d", n, r, len(small.Nodes), len(small.Relations))
	}
	if n := rawRun(t, `MATCH (n:StakeholderStaged) RETURN count(n)`); n != 0 {
		t.Errorf("%d staged nodes left after the interrupted seed, want 0", n)
	}

	// Given time, the same graph seeds in batches and the old data goes.
	if err := s.Seed(ctx, big.Graph); err != nil {
		t.Fatalf("Seed: %v", err)
	}
	if err := s.Check(ctx, big.Graph.Version()); err != nil {
		t.Errorf("Check after the seed: %v", err)
	}
	if n, r := counts(t, s); n != len(big.Graph.Nodes) || r != len(big.Graph.Relations) {
		t.Errorf("after the seed: %d nodes, %d relations; want %d, %d", n, r, len(big.Graph.Nodes), len(big.Graph.Relations))
	}
	if n := rawRun(t, `MATCH (n) WHERE n:StakeholderStaged OR n:StakeholderRetired RETURN count(n)`); n != 0 {
		t.Errorf("%d staged or retired nodes left after the seed, want 0", n)
	}
}
