package network

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// DefaultKinds are the kinds centrality ranks when none are given: every
// kind but Source, whose ties are citations rather than cooperation.
var DefaultKinds = slices.DeleteFunc(slices.Clone(domain.Kinds), func(k domain.Kind) bool {
	return k == domain.KindSource
})

// brokerageKinds are the nodes brokerage reads: actors and the venues that
// tie them.
var brokerageKinds = []domain.Kind{domain.KindCountry, domain.KindOrganization, domain.KindPerson,
	domain.KindProgramme, domain.KindEvent, domain.KindAgreement}

// CentralityQuery asks for a centrality ranking over the graph a store's
// Graph selects with Kinds (DefaultKinds when empty), Topic and AsOf.
type CentralityQuery struct {
	Measure Measure
	Kinds   []domain.Kind
	Topic   string
	AsOf    domain.PartialDate
	First   int
}

// Validate checks the query and fills in the default page size.
func (q *CentralityQuery) Validate() error {
	if !q.Measure.Valid() {
		return unknownMeasure(q.Measure)
	}
	if err := validateDate(q.AsOf); err != nil {
		return err
	}
	gq := q.graphQuery()
	if err := gq.Validate(); err != nil {
		return err
	}
	return validateFirst(&q.First)
}

func (q *CentralityQuery) graphQuery() domain.GraphQuery {
	kinds := DefaultKinds
	if len(q.Kinds) > 0 {
		// One order and no repeats, so equal selections share a cache entry.
		kinds = slices.Clone(q.Kinds)
		slices.SortFunc(kinds, func(a, b domain.Kind) int {
			return slices.Index(domain.Kinds, a) - slices.Index(domain.Kinds, b)
		})
		kinds = slices.Compact(kinds)
	}
	return domain.GraphQuery{Kinds: kinds, Topic: q.Topic, AsOf: q.AsOf}
}

// BrokerageQuery asks for brokerage roles (see Brokerage) over the ties
// active at AsOf (all when empty), grouped by GroupBy (GroupBySide when
// empty). Sides are read from the whole graph, so an actor keeps its side
// at every date.
type BrokerageQuery struct {
	GroupBy Grouping
	AsOf    domain.PartialDate
	First   int
}

// Validate checks the query and fills in the defaults.
func (q *BrokerageQuery) Validate() error {
	if q.GroupBy == "" {
		q.GroupBy = GroupBySide
	}
	if q.GroupBy != GroupBySide {
		return domain.Errorf(domain.EINVALID, "unknown brokerage grouping %q: use %s", q.GroupBy, GroupBySide)
	}
	if err := validateDate(q.AsOf); err != nil {
		return err
	}
	return validateFirst(&q.First)
}

func validateDate(d domain.PartialDate) error {
	_, err := domain.ParsePartialDate(string(d))
	return err
}

func validateFirst(first *int) error {
	if *first == 0 {
		*first = domain.DefaultPageSize
	}
	if *first < 1 || *first > domain.MaxPageSize {
		return domain.Errorf(domain.EINVALID, "first %d is out of range: use 1 to %d", *first, domain.MaxPageSize)
	}
	return nil
}

// DefaultCacheSize bounds how many results an Analyzer keeps per data version.
const DefaultCacheSize = 64

// Analyzer serves centrality and brokerage over a store. Results are cached
// per data version (Store.Version) and query (without First, which only
// cuts the list), so a repeated query costs one Version call; a new data
// version empties the cache. It is safe for concurrent use; two concurrent
// first calls for one query may both compute it.
type Analyzer struct {
	store domain.Store
	size  int

	mu      sync.Mutex
	version string         // the data version the entries belong to
	entries map[string]any // *Ranking or []BrokerageScore, computed in full
	order   []string       // keys, oldest first, for eviction
}

// NewAnalyzer returns an Analyzer over store keeping DefaultCacheSize results.
func NewAnalyzer(store domain.Store) *Analyzer {
	return NewAnalyzerSize(store, DefaultCacheSize)
}

// NewAnalyzerSize returns an Analyzer over store keeping at most size
// results (at least 1); the oldest is dropped when a new one does not fit.
func NewAnalyzerSize(store domain.Store, size int) *Analyzer {
	return &Analyzer{store: store, size: max(size, 1), entries: map[string]any{}}
}

// Centrality ranks the nodes of the selected graph (see CentralityQuery).
func (a *Analyzer) Centrality(ctx context.Context, q CentralityQuery) (*Ranking, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	gq := q.graphQuery()
	key := fmt.Sprintf("centrality|%s|%v|%s|%s", q.Measure, gq.Kinds, gq.Topic, gq.AsOf)
	v, err := a.cached(ctx, key, func(version string) (any, error) {
		g, err := a.store.Graph(ctx, gq)
		if err != nil {
			return nil, err
		}
		r, err := Centrality(ctx, g, q.Measure, 0)
		if err != nil {
			return nil, err
		}
		r.DataVersion = version
		return r, nil
	})
	if err != nil {
		return nil, err
	}
	full := v.(*Ranking)
	out := *full
	out.Scores = slices.Clone(full.Scores[:min(q.First, len(full.Scores))])
	return &out, nil
}

// Brokerage counts brokerage roles over the ties active at q.AsOf (see
// BrokerageQuery and Brokerage), the first q.First actors.
func (a *Analyzer) Brokerage(ctx context.Context, q BrokerageQuery) ([]BrokerageScore, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	key := fmt.Sprintf("brokerage|%s|%s", q.GroupBy, q.AsOf)
	v, err := a.cached(ctx, key, func(string) (any, error) {
		whole, err := a.store.Graph(ctx, domain.GraphQuery{Kinds: brokerageKinds})
		if err != nil {
			return nil, err
		}
		sides := whole.AssignSides()
		active := &domain.Subgraph{Nodes: whole.Nodes}
		for _, r := range whole.Relations {
			if r.ActiveAt(q.AsOf) {
				active.Relations = append(active.Relations, r)
			}
		}
		return Brokerage(ctx, active, sides)
	})
	if err != nil {
		return nil, err
	}
	full := v.([]BrokerageScore)
	return slices.Clone(full[:min(q.First, len(full))]), nil
}

// cached returns the entry for key at the store's current data version,
// computing and keeping it when missing. A result is kept and returned only
// if the version did not change while it was computed, so it is always
// labelled with the data it was computed on; a seed racing the analysis
// makes it start over, a few times at most.
func (a *Analyzer) cached(ctx context.Context, key string, compute func(version string) (any, error)) (any, error) {
	const attempts = 3
	for range attempts {
		version, err := a.store.Version(ctx)
		if err != nil {
			return nil, err
		}
		a.mu.Lock()
		if a.version != version {
			a.version, a.entries, a.order = version, map[string]any{}, nil
		}
		v, ok := a.entries[key]
		a.mu.Unlock()
		if ok {
			return v, nil
		}

		v, err = compute(version)
		if err != nil {
			return nil, err
		}
		after, err := a.store.Version(ctx)
		if err != nil {
			return nil, err
		}
		if after != version {
			continue
		}
		a.keep(version, key, v)
		return v, nil
	}
	return nil, domain.Errorf(domain.EUNAVAILABLE, "the data kept changing while the analysis ran; try again")
}

// keep stores v under key unless the cache has moved on to another version,
// dropping the oldest entries to stay within size.
func (a *Analyzer) keep(version, key string, v any) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.version != version {
		return
	}
	if _, ok := a.entries[key]; ok {
		return
	}
	for len(a.order) >= a.size {
		delete(a.entries, a.order[0])
		a.order = a.order[1:]
	}
	a.entries[key] = v
	a.order = append(a.order, key)
}
