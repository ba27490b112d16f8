package graph

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/stakegraph/stakegraph/graph/model"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/history"
	"github.com/stakegraph/stakegraph/internal/network"
)

// This file is the one place that decides which version of the graph a
// request reads: the current one, or with @asKnown an earlier one rebuilt
// from history. Resolvers read through storeOf and analyzerOf, so every
// field of a query answers from the same version, and the response says
// which in extensions.dataVersion.

// AtVersion returns a store holding the graph as it was at data version v
// (v below the current version). A version's data never changes, so it
// may come from a cache.
type AtVersion func(ctx context.Context, v int64) (domain.Store, error)

// pastVersionsKept is how many earlier versions the default AtVersion
// keeps built.
const pastVersionsKept = 4

// defaultAtVersion rebuilds earlier versions with package history: the
// current graph rewound by the changes made since.
func defaultAtVersion(store domain.Store, w domain.Writer) AtVersion {
	cache := history.NewCache(store, w, pastVersionsKept)
	return func(ctx context.Context, v int64) (domain.Store, error) {
		return cache.AtVersion(ctx, v)
	}
}

// changesAfter reads every change after seq since, touching target ("" for
// all), in seq order.
func changesAfter(ctx context.Context, w domain.Writer, since int64, target string) ([]*domain.Change, error) {
	var all []*domain.Change
	for {
		page, err := w.Changes(ctx, domain.ChangeQuery{Since: since, First: domain.MaxPageSize, Target: target})
		if err != nil {
			return nil, err
		}
		all = append(all, page.Changes...)
		if !page.HasNextPage || len(page.Changes) == 0 {
			return all, nil
		}
		since = page.Changes[len(page.Changes)-1].Seq
	}
}

// readState is the version one request reads, and the store and analyzer
// that answer for it.
type readState struct {
	store    domain.Store
	analyzer *network.Analyzer
	version  int64
	past     bool // an earlier version than the current one (@asKnown)

	mu       sync.Mutex
	reported int64 // the version the response reports
}

// wrote records that a mutation made data version v.
func (s *readState) wrote(v int64) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reported = max(s.reported, v)
}

func (s *readState) reportedVersion() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reported
}

type readStateKey struct{}

// readStateOf returns the request's read state, nil outside the endpoint.
func readStateOf(ctx context.Context) *readState {
	s, _ := ctx.Value(readStateKey{}).(*readState)
	return s
}

// storeOf is the store the request reads.
func (r *Resolver) storeOf(ctx context.Context) domain.Store {
	if s := readStateOf(ctx); s != nil {
		return s.store
	}
	return r.store
}

// analyzerOf is the analyzer of the store the request reads.
func (r *Resolver) analyzerOf(ctx context.Context) *network.Analyzer {
	if s := readStateOf(ctx); s != nil {
		return s.analyzer
	}
	return r.analyzer
}

// versionOf is the data version the request reads.
func (r *Resolver) versionOf(ctx context.Context) (int64, bool) {
	if s := readStateOf(ctx); s != nil {
		return s.version, s.past
	}
	return 0, false
}

// currentVersion is the store's data version; 0 without writes.
func (r *Resolver) currentVersion(ctx context.Context) (int64, error) {
	if r.writer == nil {
		return 0, nil
	}
	return r.writer.DataVersion(ctx)
}

// chooseVersion is an operation middleware: it picks the version the
// operation reads (the current one, or the one @asKnown asks for), swaps
// in its store and a fresh set of loaders over it, and reports the version
// in extensions.dataVersion (for a mutation, the version its last change
// made).
func (r *Resolver) chooseVersion(present graphql.ErrorPresenterFunc) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		fail := func(err error) graphql.ResponseHandler {
			return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{present(ctx, err)}})
		}
		current, err := r.currentVersion(ctx)
		if err != nil {
			return fail(err)
		}
		st := &readState{store: r.store, analyzer: r.analyzer, version: current, reported: current}
		opCtx := graphql.GetOperationContext(ctx)
		if d := opCtx.Operation.Directives.ForName("asKnown"); d != nil && opCtx.Operation.Operation == ast.Query {
			v, err := r.knownVersion(ctx, d, opCtx.Variables, current)
			if err != nil {
				return fail(err)
			}
			if v < current {
				past, err := r.pastStore(ctx, v)
				if err != nil {
					return fail(err)
				}
				// Analyses of an earlier version are not cached across
				// requests; the version's store is (see AtVersion).
				st = &readState{store: past, analyzer: network.NewAnalyzer(past), version: v, past: true, reported: v}
				ctx = context.WithValue(ctx, loadersCtxKey{}, newLoaders(past, r.types, r.loaderWait))
			}
		}
		ctx = context.WithValue(ctx, readStateKey{}, st)
		responses := next(ctx)
		return func(ctx context.Context) *graphql.Response {
			resp := responses(ctx)
			if resp != nil {
				if resp.Extensions == nil {
					resp.Extensions = map[string]any{}
				}
				resp.Extensions["dataVersion"] = st.reportedVersion()
			}
			return resp
		}
	}
}

// pastStore returns the store of the earlier version v.
func (r *Resolver) pastStore(ctx context.Context, v int64) (domain.Store, error) {
	if r.atVersion == nil {
		return nil, domain.Errorf(domain.EUNAVAILABLE, "this store keeps no history to read an earlier version from")
	}
	return r.atVersion(ctx, v)
}

// knownVersion reads @asKnown(version:|on:|at:) into a data version.
func (r *Resolver) knownVersion(ctx context.Context, d *ast.Directive, vars map[string]any, current int64) (int64, error) {
	args := d.ArgumentMap(vars)
	given := 0
	for _, name := range []string{"version", "on", "at"} {
		if args[name] != nil {
			given++
		}
	}
	if given != 1 {
		return 0, domain.Errorf(domain.EINVALID, "@asKnown takes exactly one of version, on or at, e.g. @asKnown(version: 3) or @asKnown(on: \"2026-11-30\")")
	}
	switch {
	case args["version"] != nil:
		v, err := toInt64(args["version"])
		if err != nil || v < 0 {
			return 0, domain.Errorf(domain.EINVALID, "@asKnown(version:) must be a data version from 0 to %d", current)
		}
		if v > current {
			return 0, domain.Errorf(domain.EINVALID, "@asKnown(version: %d) is later than the current data version %d", v, current)
		}
		return v, nil
	case args["on"] != nil:
		s, _ := args["on"].(string)
		d, err := domain.ParsePartialDate(s)
		if err != nil || d.IsZero() {
			return 0, domain.Errorf(domain.EINVALID, "@asKnown(on:) must be a date \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\", got %q", s)
		}
		return r.versionAt(ctx, endOf(d))
	default:
		s, _ := args["at"].(string)
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return 0, domain.Errorf(domain.EINVALID, "@asKnown(at:) must be an RFC 3339 instant such as \"2026-11-30T14:00:00Z\", got %q", s)
		}
		return r.versionAt(ctx, t)
	}
}

func (r *Resolver) versionAt(ctx context.Context, t time.Time) (int64, error) {
	if r.writer == nil {
		return 0, nil
	}
	return r.writer.VersionAt(ctx, t)
}

// endOf is the last instant (UTC) of the day, month or year d names.
func endOf(d domain.PartialDate) time.Time {
	parts := strings.Split(string(d), "-")
	year, _ := strconv.Atoi(parts[0])
	month, day := 1, 1
	var next time.Time
	switch len(parts) {
	case 1:
		next = time.Date(year+1, 1, 1, 0, 0, 0, 0, time.UTC)
	case 2:
		month, _ = strconv.Atoi(parts[1])
		next = time.Date(year, time.Month(month)+1, 1, 0, 0, 0, 0, time.UTC)
	default:
		month, _ = strconv.Atoi(parts[1])
		day, _ = strconv.Atoi(parts[2])
		next = time.Date(year, time.Month(month), day+1, 0, 0, 0, 0, time.UTC)
	}
	return next.Add(-time.Nanosecond)
}

func toInt64(v any) (int64, error) {
	switch n := v.(type) {
	case int64:
		return n, nil
	case int:
		return int64(n), nil
	case float64:
		return int64(n), nil
	case interface{ Int64() (int64, error) }:
		return n.Int64()
	case string:
		return strconv.ParseInt(n, 10, 64)
	}
	return 0, domain.Errorf(domain.EINVALID, "not an integer")
}

// changes answers a page of history; under @asKnown, only the changes
// known at the version read.
func (r *Resolver) changes(ctx context.Context, since, first *int, target string) (*model.ChangePage, error) {
	n, err := pageSize(first, domain.DefaultPageSize)
	if err != nil {
		return nil, err
	}
	q := domain.ChangeQuery{Since: int64(orDefault(since, 0)), First: n, Target: target}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if r.writer == nil {
		return model.NewChangePage(&domain.ChangePage{}), nil
	}
	page, err := r.writer.Changes(ctx, q)
	if err != nil {
		return nil, err
	}
	if v, past := r.versionOf(ctx); past {
		kept := &domain.ChangePage{HasNextPage: page.HasNextPage}
		for _, c := range page.Changes {
			if c.Seq > v {
				kept.HasNextPage = false
				break
			}
			kept.Changes = append(kept.Changes, c)
		}
		page = kept
	}
	return model.NewChangePage(page), nil
}

// revision is the version of node or relation id the request reads: the
// seq of the last change that targeted it up to that version.
func (r *Resolver) revision(ctx context.Context, id string) (int, error) {
	if r.writer == nil {
		return 0, nil
	}
	v, past := r.versionOf(ctx)
	if !past {
		rev, err := r.writer.Revision(ctx, id)
		return int(rev), err
	}
	cs, err := changesAfter(ctx, r.writer, 0, id)
	if err != nil {
		return 0, err
	}
	rev := int64(0)
	for _, c := range cs {
		if c.Seq > v {
			break
		}
		for _, s := range c.Steps {
			if s.Target == id {
				rev = c.Seq
			}
		}
	}
	return int(rev), nil
}

// sourceText is a source's registered text, nil when the store has none.
// Under @asKnown it is the text at the version read: the current text
// rewound by the later changes of that source, since the stores keep texts
// only as they are now.
func (r *Resolver) sourceText(ctx context.Context, id string) (*string, error) {
	if r.writer == nil {
		return nil, nil
	}
	text, err := r.writer.SourceText(ctx, id)
	found := err == nil
	if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
		return nil, err
	}
	if v, past := r.versionOf(ctx); past {
		later, err := changesAfter(ctx, r.writer, v, id)
		if err != nil {
			return nil, err
		}
		texts := map[string]string{}
		if found {
			texts[id] = text
		}
		_, texts = domain.Replay(&domain.Graph{}, texts, later, true)
		text, found = texts[id]
	}
	if !found {
		return nil, nil
	}
	return &text, nil
}
