package readiness_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/memstore"
	"github.com/stakegraph/stakegraph/internal/readiness"
)

// faultyStore is the embedded store holding the shipped data, whose check
// and queries can be made to fail as Neo4j's do when it goes down or comes
// back empty. It counts what reaches it.
type faultyStore struct {
	domain.Store
	mu       sync.Mutex
	checkErr error // Check's answer
	queryErr error // every query's answer, when set
	checks   atomic.Int64
	queries  atomic.Int64
	closed   atomic.Bool
	stall    atomic.Bool // Graph waits until its context ends
}

func newFaultyStore(tb testing.TB) (*faultyStore, string) {
	tb.Helper()
	g, err := dataset.Shipped()
	if err != nil {
		tb.Fatal(err)
	}
	s, err := memstore.New(g)
	if err != nil {
		tb.Fatal(err)
	}
	return &faultyStore{Store: s}, g.Version()
}

func (s *faultyStore) set(checkErr, queryErr error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checkErr, s.queryErr = checkErr, queryErr
}

func (s *faultyStore) Check(ctx context.Context, want string) error {
	s.checks.Add(1)
	s.mu.Lock()
	err := s.checkErr
	s.mu.Unlock()
	if err != nil {
		return err
	}
	return s.Store.Check(ctx, want)
}

func (s *faultyStore) failing() error {
	s.queries.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queryErr
}

func (s *faultyStore) Node(ctx context.Context, id string) (*domain.Node, error) {
	if err := s.failing(); err != nil {
		return nil, err
	}
	return s.Store.Node(ctx, id)
}

func (s *faultyStore) FindNodes(ctx context.Context, f domain.NodeFilter) (*domain.NodePage, error) {
	if err := s.failing(); err != nil {
		return nil, err
	}
	return s.Store.FindNodes(ctx, f)
}

// Graph waits until its context ends, as a query to a server that died
// mid-answer waits out the driver's retries.
func (s *faultyStore) Graph(ctx context.Context, q domain.GraphQuery) (*domain.Subgraph, error) {
	if err := s.failing(); err != nil {
		return nil, err
	}
	if !s.stall.Load() {
		return s.Store.Graph(ctx, q)
	}
	<-ctx.Done()
	return nil, domain.WrapError(domain.EUNAVAILABLE, ctx.Err(), "the request was canceled before Neo4j answered")
}

func (s *faultyStore) Close(ctx context.Context) error {
	s.closed.Store(true)
	return s.Store.Close(ctx)
}

var (
	errDown  = domain.NotReadyError(domain.ReasonUnreachable, errors.New("connection refused"), "Neo4j is not reachable")
	errEmpty = domain.NotReadyError(domain.ReasonNoData, nil, "the Neo4j database does not hold the stakegraph data")
	errOther = domain.NotReadyError(domain.ReasonOtherData, nil, "the Neo4j database holds another version")
)

// start starts a guard closed when the test ends.
func start(tb testing.TB, s domain.Store, opts readiness.Options) *readiness.Guard {
	tb.Helper()
	g := readiness.Start(context.Background(), s, opts)
	tb.Cleanup(func() { _ = g.Close(context.Background()) })
	return g
}

// eventually waits until cond holds, failing the test after 10 s.
func eventually(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("still not %s after 10s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// queries calls every query method of the store once.
func queries(s domain.Store) map[string]func() error {
	ctx := context.Background()
	hungary, spain := "country:hungary", "country:spain"
	return map[string]func() error{
		"Node":      func() error { _, err := s.Node(ctx, hungary); return err },
		"Nodes":     func() error { _, err := s.Nodes(ctx, []string{hungary}); return err },
		"FindNodes": func() error { _, err := s.FindNodes(ctx, domain.NodeFilter{First: 5}); return err },
		"Search":    func() error { _, err := s.Search(ctx, domain.SearchQuery{Text: "paccto", First: 5}); return err },
		"Relations": func() error {
			_, err := s.Relations(ctx, domain.RelationFilter{NodeIDs: []string{hungary}})
			return err
		},
		"Neighborhood": func() error {
			_, err := s.Neighborhood(ctx, domain.NeighborhoodQuery{Root: hungary, Depth: 1})
			return err
		},
		"Graph": func() error { _, err := s.Graph(ctx, domain.GraphQuery{}); return err },
		"Paths": func() error {
			_, err := s.Paths(ctx, domain.PathQuery{From: hungary, To: spain, MaxHops: 2, Limit: 1})
			return err
		},
		"Cooperation": func() error { _, err := s.Cooperation(ctx, domain.CooperationQuery{Actor: hungary}); return err },
		"CommonConnections": func() error {
			_, err := s.CommonConnections(ctx, domain.CommonConnectionsQuery{IDs: []string{hungary, spain}, First: 5})
			return err
		},
		"CoParticipation": func() error { _, err := s.CoParticipation(ctx, domain.CoParticipationQuery{First: 5}); return err },
		"Timeline":        func() error { _, err := s.Timeline(ctx, domain.TimelineQuery{First: 5}); return err },
		"Version":         func() error { _, err := s.Version(ctx); return err },
	}
}

// TestGuardAnswersFromTheLastCheck: while the last check failed, every
// query answers its error without reaching the store; once a check passes,
// queries reach the store again.
func TestGuardAnswersFromTheLastCheck(t *testing.T) {
	for _, checkErr := range []error{errDown, errEmpty, errOther} {
		t.Run(domain.NotReadyReason(checkErr), func(t *testing.T) {
			store, version := newFaultyStore(t)
			store.set(checkErr, nil)
			g := start(t, store, readiness.Options{Version: version, RetryInterval: 10 * time.Millisecond})
			for name, query := range queries(g) {
				err := query()
				if !errors.Is(err, checkErr) {
					t.Errorf("%s while not ready: got %v, want the check's error %v", name, err, checkErr)
				}
			}
			if err := g.Ping(context.Background()); !errors.Is(err, checkErr) {
				t.Errorf("Ping while not ready: got %v, want %v", err, checkErr)
			}
			if n := store.queries.Load(); n != 0 {
				t.Errorf("queries reaching the store while not ready: got %d, want 0", n)
			}

			store.set(nil, nil)
			eventually(t, "ready once the check passes", func() bool { return g.Ready() == nil })
			for name, query := range queries(g) {
				if err := query(); err != nil {
					t.Errorf("%s once ready: got %v, want nil", name, err)
				}
			}
			if err := g.Ping(context.Background()); err != nil {
				t.Errorf("Ping once ready: got %v, want nil", err)
			}
		})
	}
}

// TestGuardRechecksWhenAQueryFails: a query failing as a lost store does
// makes the guard check at once, not at its next interval, so the queries
// after it fail fast; queries failing for their own reasons do not.
func TestGuardRechecksWhenAQueryFails(t *testing.T) {
	cases := []struct {
		name        string
		queryErr    error
		wantRecheck bool
	}{
		{"unavailable", domain.Errorf(domain.EUNAVAILABLE, "Neo4j is not reachable"), true},
		{"internal", domain.Errorf(domain.EINTERNAL, "no such fulltext schema index"), true},
		{"not found", domain.Errorf(domain.ENOTFOUND, "no node with id"), false},
		{"invalid", domain.Errorf(domain.EINVALID, "depth 9 is out of range"), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			store, version := newFaultyStore(t)
			// An interval of an hour: only a failing query can cause a check.
			g := start(t, store, readiness.Options{Version: version, Interval: time.Hour})
			checksAtStart := store.checks.Load()
			store.set(errDown, c.queryErr)
			if _, err := g.Node(context.Background(), "country:hungary"); !errors.Is(err, c.queryErr) {
				t.Fatalf("Node: got %v, want the store's error %v", err, c.queryErr)
			}
			if !c.wantRecheck {
				time.Sleep(200 * time.Millisecond) // room for a wrong check to happen
				if got, want := store.checks.Load(), checksAtStart; got != want {
					t.Fatalf("checks after a %s error: got %d, want %d", c.name, got, want)
				}
				return
			}
			eventually(t, "marked unreachable", func() bool {
				return domain.NotReadyReason(g.Ready()) == domain.ReasonUnreachable
			})
			reached := store.queries.Load()
			if _, err := g.Node(context.Background(), "country:hungary"); !errors.Is(err, errDown) {
				t.Errorf("Node once known down: got %v, want %v", err, errDown)
			}
			if got := store.queries.Load(); got != reached {
				t.Errorf("queries reaching the store once known down: got %d more, want none", got-reached)
			}
		})
	}
}

// TestGuardStopsCallsInFlight: a call waiting on the store when a check
// finds it gone returns at once with the check's error.
func TestGuardStopsCallsInFlight(t *testing.T) {
	store, version := newFaultyStore(t)
	store.stall.Store(true)
	g := start(t, store, readiness.Options{Version: version, Interval: 10 * time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := g.Graph(ctx, domain.GraphQuery{})
		done <- err
	}()
	eventually(t, "waiting on the store", func() bool { return store.queries.Load() == 1 })
	store.set(errDown, nil)
	select {
	case err := <-done:
		if !errors.Is(err, errDown) {
			t.Errorf("Graph in flight when the store went down: got %v, want %v", err, errDown)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Graph in flight still waiting 10s after the store went down")
	}
	if ctx.Err() != nil {
		t.Errorf("the caller's context was canceled: %v", ctx.Err())
	}
}

// TestGuardReseeds: with Reseed set, a store found without its data or its
// schema is seeded again and becomes ready; data of another version is
// left alone, and a failing re-seed leaves the store not ready.
func TestGuardReseeds(t *testing.T) {
	cases := []struct {
		name       string
		checkErr   error
		reseedErr  error
		wantReseed bool
		wantReady  bool
	}{
		{"data missing", errEmpty, nil, true, true},
		{"schema missing", domain.NotReadyError(domain.ReasonNoSchema, nil, "no index"), nil, true, true},
		{"other data", errOther, nil, false, false},
		{"unreachable", errDown, nil, false, false},
		{"re-seed fails", errEmpty, domain.Errorf(domain.EUNAVAILABLE, "write failed"), true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			store, version := newFaultyStore(t)
			store.set(c.checkErr, nil)
			var reseeds atomic.Int64
			g := start(t, store, readiness.Options{Version: version, RetryInterval: 10 * time.Millisecond,
				Reseed: func(context.Context) error {
					reseeds.Add(1)
					if c.reseedErr != nil {
						return c.reseedErr
					}
					store.set(nil, nil) // the data is back
					return nil
				}})
			if got := g.Ready() == nil; got != c.wantReady {
				t.Errorf("ready after the first check: got %v (%v), want %v", got, g.Ready(), c.wantReady)
			}
			if got := reseeds.Load() > 0; got != c.wantReseed {
				t.Errorf("re-seeded: got %v, want %v", got, c.wantReseed)
			}
			if c.reseedErr != nil {
				// Retried no sooner than its backoff, not at every check.
				checks := store.checks.Load()
				eventually(t, "checked again", func() bool { return store.checks.Load() > checks+3 })
				if got := reseeds.Load(); got != 1 {
					t.Errorf("re-seeds within the backoff: got %d, want 1", got)
				}
			}
		})
	}
}

// TestGuardPingAsksNothing: a readiness probe answers from the last check.
func TestGuardPingAsksNothing(t *testing.T) {
	store, version := newFaultyStore(t)
	g := start(t, store, readiness.Options{Version: version, Interval: time.Hour})
	checks := store.checks.Load()
	for range 100 {
		if err := g.Ping(context.Background()); err != nil {
			t.Fatalf("Ping: %v", err)
		}
	}
	if got := store.checks.Load(); got != checks {
		t.Errorf("checks made by 100 pings: got %d, want 0", got-checks)
	}
}

// TestGuardClose stops the monitor and closes the store.
func TestGuardClose(t *testing.T) {
	store, version := newFaultyStore(t)
	g := readiness.Start(context.Background(), store, readiness.Options{Version: version, Interval: time.Millisecond})
	if err := g.Close(context.Background()); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if !store.closed.Load() {
		t.Errorf("store not closed")
	}
	checks := store.checks.Load()
	time.Sleep(50 * time.Millisecond)
	if got := store.checks.Load(); got != checks {
		t.Errorf("checks after Close: got %d more, want none", got-checks)
	}
}
