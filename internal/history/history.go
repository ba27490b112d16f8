// Package history builds read-only stores of earlier versions of the graph,
// for queries that ask what was known at a data version or on a date. It
// works over any store with writes: the current whole graph rewound by the
// changes made after the version asked for (domain.Replay backwards).
package history

import (
	"context"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/memstore"
)

// Snapshotter is implemented by stores that can hand out their whole
// current graph together with the data version it is at, read at one
// moment. AtVersion uses it when the store offers it; otherwise it reads
// the graph between two reads of the data version and retries when a write
// came in between.
type Snapshotter interface {
	// Current returns the current graph, which the caller must not modify,
	// and the data version it is at.
	Current(ctx context.Context) (*domain.Graph, int64, error)
}

// attempts bounds the retries of an inconsistent read under steady writes.
const attempts = 5

// AtVersion returns a read-only store of the graph as it was at data
// version v (0 is the seeded data): the current graph with every change
// after v undone. Errors: EINVALID for a negative version or one later
// than the latest.
func AtVersion(ctx context.Context, s domain.Store, w domain.Writer, v int64) (*memstore.Store, error) {
	if v < 0 {
		return nil, domain.Errorf(domain.EINVALID, "version %d is negative: versions count changes from 0, the seeded data", v)
	}
	g, current, err := currentGraph(ctx, s, w)
	if err != nil {
		return nil, err
	}
	if v > current {
		return nil, domain.Errorf(domain.EINVALID, "version %d is later than the latest, %d", v, current)
	}
	var later []*domain.Change
	for since := v; since < current; {
		page, err := w.Changes(ctx, domain.ChangeQuery{Since: since, First: domain.MaxPageSize})
		if err != nil {
			return nil, err
		}
		for _, c := range page.Changes {
			if c.Seq > current {
				break
			}
			later = append(later, c)
			since = c.Seq
		}
		if !page.HasNextPage && since < current {
			return nil, domain.Errorf(domain.EINTERNAL, "history ends at change %d, before the data version %d", since, current)
		}
	}
	past, _ := domain.Replay(g, nil, later, true)
	return memstore.New(past)
}

// currentGraph reads the whole current graph and the version it is at.
func currentGraph(ctx context.Context, s domain.Store, w domain.Writer) (*domain.Graph, int64, error) {
	if snap, ok := s.(Snapshotter); ok {
		return snap.Current(ctx)
	}
	for range attempts {
		before, err := w.DataVersion(ctx)
		if err != nil {
			return nil, 0, err
		}
		sub, err := s.Graph(ctx, domain.GraphQuery{})
		if err != nil {
			return nil, 0, err
		}
		sts, err := domain.AllStatements(ctx, s, domain.StatementQuery{})
		if err != nil {
			return nil, 0, err
		}
		after, err := w.DataVersion(ctx)
		if err != nil {
			return nil, 0, err
		}
		if before == after {
			return &domain.Graph{Nodes: sub.Nodes, Relations: sub.Relations, Statements: sts}, after, nil
		}
	}
	return nil, 0, domain.Errorf(domain.EUNAVAILABLE, "the graph kept changing while an earlier version was being read; try again")
}

// Cache keeps the stores of the last few versions asked for. A version's
// graph never changes once written, so entries never go stale.
type Cache struct {
	store  domain.Store
	writer domain.Writer
	mu     sync.Mutex // one build at a time: concurrent askers for one version wait for it
	stores *lru.Cache[int64, *memstore.Store]
}

// NewCache returns a cache of up to size versions of the store's graph.
func NewCache(s domain.Store, w domain.Writer, size int) *Cache {
	stores, err := lru.New[int64, *memstore.Store](max(size, 1))
	if err != nil {
		panic(err) // size is at least 1
	}
	return &Cache{store: s, writer: w, stores: stores}
}

// AtVersion is AtVersion, served from the cache when it can be.
func (c *Cache) AtVersion(ctx context.Context, v int64) (*memstore.Store, error) {
	if st, ok := c.stores.Get(v); ok {
		return st, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.stores.Get(v); ok {
		return st, nil
	}
	st, err := AtVersion(ctx, c.store, c.writer, v)
	if err != nil {
		return nil, err
	}
	c.stores.Add(v, st)
	return st, nil
}

// AsKnownOn returns the graph as it was known at instant t: the version of
// the last change made at or before t, and its store.
func (c *Cache) AsKnownOn(ctx context.Context, t time.Time) (int64, *memstore.Store, error) {
	v, err := c.writer.VersionAt(ctx, t)
	if err != nil {
		return 0, nil, err
	}
	st, err := c.AtVersion(ctx, v)
	return v, st, err
}
