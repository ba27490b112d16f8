// Package readiness keeps a store from answering wrongly when it loses its
// server or its data. A Guard wraps a domain.Store: a background monitor
// checks it (domain.Store.Check) every second, and while the last check
// failed every query answers that check's coded EUNAVAILABLE error at once,
// without touching the store — no retries against a server known to be
// down, no empty answers from a database that lost its data. Calls in
// flight when a check finds the store gone are stopped and answer the same
// error. A query that fails as if the store went away triggers a check
// right away, and with Options.Reseed the guard loads the data again when it
// finds it missing.
package readiness

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// Defaults of Options.
const (
	DefaultInterval      = time.Second
	DefaultRetryInterval = 250 * time.Millisecond

	// checkBound caps one check whatever the store does with its own
	// timeout, so a stuck store cannot stop the monitor.
	checkBound = 15 * time.Second
	// minGap spaces checks that failing queries ask for, so a burst of
	// failures costs one check, not one each.
	minGap = 100 * time.Millisecond
	// reseedTimeout bounds one re-seed; reseedBackoff spaces attempts when
	// re-seeding fails, so a broken store is not hammered with writes.
	reseedTimeout = 2 * time.Minute
	reseedBackoff = 5 * time.Second
)

// Options configure a Guard.
type Options struct {
	// Version is the data version the store must hold (Graph.Version of
	// the data this build serves).
	Version string
	// Interval is the time between checks while the store is ready;
	// RetryInterval while it is not, so recovery is noticed sooner.
	Interval      time.Duration
	RetryInterval time.Duration
	// Reseed, when set, is called when a check finds the data or the
	// schema missing (domain.ReasonNoData, domain.ReasonNoSchema), to load
	// them again; the store is checked again right after. Data of another
	// version is never overwritten.
	Reseed func(ctx context.Context) error
	Logger *slog.Logger
}

// Guard is a domain.Store that answers from the wrapped store only while
// its last check passed (see the package doc). Close stops the monitor and
// closes the wrapped store.
type Guard struct {
	store domain.Store
	opts  Options

	state      atomic.Pointer[state]
	recheck    chan struct{}
	stop       context.CancelFunc
	done       chan struct{}
	lastReseed time.Time // monitor goroutine only
}

// state is the outcome of the last check.
type state struct {
	err   error // nil when ready
	since time.Time
	// live is canceled when a check finds the store not ready, so calls in
	// flight stop waiting on it (the driver would retry for seconds).
	live   context.Context
	cancel context.CancelFunc
}

var _ domain.Store = (*Guard)(nil)

// Start checks store once, so the guard knows its state before the first
// query, then keeps checking it in the background until Close.
func Start(ctx context.Context, store domain.Store, opts Options) *Guard {
	if opts.Interval <= 0 {
		opts.Interval = DefaultInterval
	}
	if opts.RetryInterval <= 0 {
		opts.RetryInterval = DefaultRetryInterval
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	g := &Guard{store: store, opts: opts, recheck: make(chan struct{}, 1), done: make(chan struct{})}
	monitorCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	g.stop = stop
	g.check(monitorCtx)
	go g.monitor(monitorCtx)
	return g
}

// Ready is the outcome of the last check: nil when the store is ready,
// otherwise the coded error queries answer (see domain.NotReadyReason).
func (g *Guard) Ready() error { return g.state.Load().err }

func (g *Guard) monitor(ctx context.Context) {
	defer close(g.done)
	for {
		wait := g.opts.Interval
		if g.Ready() != nil {
			wait = g.opts.RetryInterval
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-timer.C:
		case <-g.recheck:
			timer.Stop()
		}
		g.check(ctx)
		select {
		case <-ctx.Done():
			return
		case <-time.After(minGap):
		}
	}
}

// check asks the store, re-seeds it when that is configured and helps, and
// records the outcome.
func (g *Guard) check(ctx context.Context) {
	err := g.ask(ctx)
	reason := domain.NotReadyReason(err)
	if g.opts.Reseed != nil && (reason == domain.ReasonNoData || reason == domain.ReasonNoSchema) &&
		time.Since(g.lastReseed) >= reseedBackoff {
		g.lastReseed = time.Now()
		g.opts.Logger.Warn("store lost its data; re-seeding it", "reason", reason, "err", err)
		seedCtx, cancel := context.WithTimeout(ctx, reseedTimeout)
		seedErr := g.opts.Reseed(seedCtx)
		cancel()
		if seedErr != nil {
			g.opts.Logger.Error("re-seeding failed; will retry", "err", seedErr, "in", reseedBackoff)
		} else {
			g.opts.Logger.Info("re-seeded the store", "took", time.Since(g.lastReseed).Round(time.Millisecond))
			err = g.ask(ctx)
		}
	}
	// One passing check is enough to answer again: a check can pass while
	// Neo4j is still applying a seed's swap, but a read then waits until
	// the swap is applied whole (see the neo4j package's swap marks).
	g.record(err)
}

func (g *Guard) ask(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, checkBound)
	defer cancel()
	err := g.store.Check(ctx, g.opts.Version)
	if err != nil && domain.ErrorCode(err) != domain.EUNAVAILABLE {
		// Whatever went wrong, the store cannot be trusted to answer.
		err = domain.NotReadyError(domain.NotReadyReason(err), err, "%s", domain.ErrorMessage(err))
	}
	return err
}

// record stores the outcome of a check and logs changes of state.
func (g *Guard) record(err error) {
	now := time.Now()
	prev := g.state.Load()
	next := &state{err: err, since: now}
	switch {
	case prev != nil && (prev.err == nil) == (err == nil):
		next.live, next.cancel = prev.live, prev.cancel
	case err == nil:
		next.live, next.cancel = context.WithCancel(context.Background())
	default:
		next.live, next.cancel = context.WithCancel(context.Background())
		next.cancel()
	}
	switch {
	case prev == nil:
		if err != nil {
			g.opts.Logger.Warn("store not ready", "reason", domain.NotReadyReason(err), "err", err)
		}
	case (prev.err == nil) == (err == nil) && domain.NotReadyReason(prev.err) == domain.NotReadyReason(err):
		next.since = prev.since // no change
	case err == nil:
		g.opts.Logger.Info("store ready again", "notReadyFor", now.Sub(prev.since).Round(time.Millisecond))
	default:
		g.opts.Logger.Warn("store not ready", "reason", domain.NotReadyReason(err), "err", err)
	}
	g.state.Store(next)
	if err != nil && prev != nil && prev.err == nil {
		// Only now stop the calls in flight: each then reads the new state
		// and answers with this check's error, not with its own
		// cancellation.
		prev.cancel()
	}
}

// observe asks for a check at once when a query failed as it would if the
// store had gone away, so the queries after it fail fast.
func (g *Guard) observe(err error) {
	if code := domain.ErrorCode(err); code != domain.EUNAVAILABLE && code != domain.EINTERNAL {
		return
	}
	select {
	case g.recheck <- struct{}{}:
	default: // a check is already asked for
	}
}

// guarded runs one store call if the store is ready, and stops it if a
// check finds the store not ready meanwhile.
func guarded[T any](ctx context.Context, g *Guard, call func(context.Context) (T, error)) (T, error) {
	var zero T
	st := g.state.Load()
	if st.err != nil {
		return zero, st.err
	}
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	defer context.AfterFunc(st.live, stop)()
	v, err := call(ctx)
	if err != nil && st.live.Err() != nil {
		if now := g.Ready(); now != nil {
			return zero, now // as a call made now would answer
		}
	}
	g.observe(err)
	return v, err
}

// Node: see domain.Store.
func (g *Guard) Node(ctx context.Context, id string) (*domain.Node, error) {
	return guarded(ctx, g, func(ctx context.Context) (*domain.Node, error) { return g.store.Node(ctx, id) })
}

// Nodes: see domain.Store.
func (g *Guard) Nodes(ctx context.Context, ids []string) ([]*domain.Node, error) {
	return guarded(ctx, g, func(ctx context.Context) ([]*domain.Node, error) { return g.store.Nodes(ctx, ids) })
}

// FindNodes: see domain.Store.
func (g *Guard) FindNodes(ctx context.Context, f domain.NodeFilter) (*domain.NodePage, error) {
	return guarded(ctx, g, func(ctx context.Context) (*domain.NodePage, error) { return g.store.FindNodes(ctx, f) })
}

// Search: see domain.Store.
func (g *Guard) Search(ctx context.Context, q domain.SearchQuery) ([]domain.SearchHit, error) {
	return guarded(ctx, g, func(ctx context.Context) ([]domain.SearchHit, error) { return g.store.Search(ctx, q) })
}

// Relations: see domain.Store.
func (g *Guard) Relations(ctx context.Context, f domain.RelationFilter) ([]*domain.Relation, error) {
	return guarded(ctx, g, func(ctx context.Context) ([]*domain.Relation, error) { return g.store.Relations(ctx, f) })
}

// Related: see domain.Store.
func (g *Guard) Related(ctx context.Context, q domain.RelatedQuery) (*domain.Related, error) {
	return guarded(ctx, g, func(ctx context.Context) (*domain.Related, error) { return g.store.Related(ctx, q) })
}

// Neighborhood: see domain.Store.
func (g *Guard) Neighborhood(ctx context.Context, q domain.NeighborhoodQuery) (*domain.Subgraph, error) {
	return guarded(ctx, g, func(ctx context.Context) (*domain.Subgraph, error) { return g.store.Neighborhood(ctx, q) })
}

// Graph: see domain.Store.
func (g *Guard) Graph(ctx context.Context, q domain.GraphQuery) (*domain.Subgraph, error) {
	return guarded(ctx, g, func(ctx context.Context) (*domain.Subgraph, error) { return g.store.Graph(ctx, q) })
}

// Paths: see domain.Store.
func (g *Guard) Paths(ctx context.Context, q domain.PathQuery) ([]*domain.Path, error) {
	return guarded(ctx, g, func(ctx context.Context) ([]*domain.Path, error) { return g.store.Paths(ctx, q) })
}

// Cooperation: see domain.Store.
func (g *Guard) Cooperation(ctx context.Context, q domain.CooperationQuery) ([]*domain.Cooperation, error) {
	return guarded(ctx, g, func(ctx context.Context) ([]*domain.Cooperation, error) { return g.store.Cooperation(ctx, q) })
}

// CommonConnections: see domain.Store.
func (g *Guard) CommonConnections(ctx context.Context, q domain.CommonConnectionsQuery) ([]*domain.CommonConnection, error) {
	return guarded(ctx, g, func(ctx context.Context) ([]*domain.CommonConnection, error) {
		return g.store.CommonConnections(ctx, q)
	})
}

// CoParticipation: see domain.Store.
func (g *Guard) CoParticipation(ctx context.Context, q domain.CoParticipationQuery) ([]*domain.CoParticipation, error) {
	return guarded(ctx, g, func(ctx context.Context) ([]*domain.CoParticipation, error) { return g.store.CoParticipation(ctx, q) })
}

// Timeline: see domain.Store.
func (g *Guard) Timeline(ctx context.Context, q domain.TimelineQuery) ([]*domain.TimelineEntry, error) {
	return guarded(ctx, g, func(ctx context.Context) ([]*domain.TimelineEntry, error) { return g.store.Timeline(ctx, q) })
}

// Statements: see domain.Store.
func (g *Guard) Statements(ctx context.Context, q domain.StatementQuery) ([]*domain.Statement, error) {
	return guarded(ctx, g, func(ctx context.Context) ([]*domain.Statement, error) { return g.store.Statements(ctx, q) })
}

// Version: see domain.Store.
func (g *Guard) Version(ctx context.Context) (string, error) {
	return guarded(ctx, g, func(ctx context.Context) (string, error) { return g.store.Version(ctx) })
}

// Check asks the wrapped store now, bypassing the last outcome.
func (g *Guard) Check(ctx context.Context, want string) error { return g.store.Check(ctx, want) }

// Ping answers from the last check, without asking the store, so a
// readiness probe costs nothing however often it comes.
func (g *Guard) Ping(context.Context) error { return g.Ready() }

// Close stops the monitor, then closes the wrapped store.
func (g *Guard) Close(ctx context.Context) error {
	g.stop()
	<-g.done
	return g.store.Close(ctx)
}
