package neo4j

import (
	"context"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// A seed's swap is one transaction, yet readers could see half of it:
// Neo4j reads at read-committed isolation and applies a committed
// transaction record by record, then its index updates (label scans, the
// ID lookups of the uniqueness constraint, the full-text index) last. A
// read running while the swap is applied found nodes by label that the
// index did not list yet, or the other way round: an empty search, a
// neighbourhood without its relations, a node "not found". So the swap is
// bracketed by two small transactions on the :Dataset node, and every read
// transaction checks them (a sequence lock):
//
//   - beforeSwap commits the seed's tag and start time into the list of
//     swaps under way, and swaps+1, before the swap starts;
//   - afterSwap takes the tag out again, and swaps+1, once the swap's
//     commit has returned, which Neo4j does only after applying it,
//     indexes included;
//   - a read reads (swaps, busy) first and last in its transaction and
//     counts only if no swap was under way and swaps did not move;
//     otherwise it waits and reads again.
//
// A read overlapping the swap's application began before afterSwap and
// ended after beforeSwap was applied, so it sees a swap under way or a
// changed swaps. A seed that dies between the two marks leaves its tag
// behind; it counts only for staleSwap, longer than a swap may run
// (swapTimeout), and the next seed drops it.
const (
	// swapTimeout bounds the swap transaction on the server.
	swapTimeout = 2 * time.Minute
	// staleSwap is when a swap's mark no swap can still be behind is
	// ignored.
	staleSwap = swapTimeout + 30*time.Second
	// swapWaitMin and swapWaitMax space the attempts of a read that met a
	// swap.
	swapWaitMin = 5 * time.Millisecond
	swapWaitMax = 200 * time.Millisecond
)

// beforeSwap marks the swap of the seed tagged tag as under way (see
// above), dropping the marks of dead seeds. Times are the server's
// (timestamp(), in ms), so clients' clocks do not matter.
func (s *Store) beforeSwap(ctx context.Context, tag string) error {
	_, err := s.write(ctx, `MERGE (d:`+datasetLabel+` {id: $key})
		WITH d, coalesce(d.swapTags, []) AS tags, coalesce(d.swapSince, []) AS since
		WITH d, tags, since, [i IN range(0, size(tags) - 1) WHERE since[i] >= timestamp() - $staleMs] AS live
		SET d.swapTags = [i IN live | tags[i]] + $tag, d.swapSince = [i IN live | since[i]] + timestamp(),
		    d.swaps = coalesce(d.swaps, 0) + 1`,
		map[string]any{"key": datasetKey, "tag": tag, "staleMs": staleSwap.Milliseconds()})
	return err
}

// afterSwap ends the mark of beforeSwap, whether the swap committed or not.
// It runs on after ctx ends: a mark left behind makes reads wait until it
// is stale.
func (s *Store) afterSwap(ctx context.Context, tag string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), discardTimeout)
	defer cancel()
	_, err := s.write(ctx, `MATCH (d:`+datasetLabel+` {id: $key})
		WITH d, coalesce(d.swapTags, []) AS tags, coalesce(d.swapSince, []) AS since
		WITH d, tags, since, [i IN range(0, size(tags) - 1) WHERE tags[i] <> $tag] AS kept
		SET d.swapTags = [i IN kept | tags[i]], d.swapSince = [i IN kept | since[i]],
		    d.swaps = coalesce(d.swaps, 0) + 1`,
		map[string]any{"key": datasetKey, "tag": tag})
	if err != nil {
		s.logger.Warn("ending a seed's swap mark failed; reads wait until it is stale", "err", err, "stale", staleSwap)
	}
}

// swapMark is what a read sees of the marks: how many swaps began or ended,
// and whether one is under way.
type swapMark struct {
	swaps int64
	busy  bool
}

func readSwapMark(ctx context.Context, tx driver.ManagedTransaction) (swapMark, error) {
	records, err := collectTx(ctx, tx, `OPTIONAL MATCH (d:`+datasetLabel+` {id: $key})
		RETURN coalesce(d.swaps, 0) AS swaps,
		       any(t IN coalesce(d.swapSince, []) WHERE t >= timestamp() - $staleMs) AS busy`,
		map[string]any{"key": datasetKey, "staleMs": staleSwap.Milliseconds()})
	if err != nil {
		return swapMark{}, err
	}
	swaps, _ := records[0].Values[0].(int64)
	busy, _ := records[0].Values[1].(bool)
	return swapMark{swaps: swaps, busy: busy}, nil
}

// readTx runs work in one read transaction that no seed's swap overlapped
// (see above), waiting out a swap and running work again when one did.
// work may also be retried by the driver on transient failures.
func readTx[T any](ctx context.Context, s *Store, work func(driver.ManagedTransaction) (T, error)) (T, error) {
	var zero T
	session := s.driver.NewSession(ctx, driver.SessionConfig{
		DatabaseName: s.database, AccessMode: driver.AccessModeRead,
		// Reads see what this process's writes (ExecuteQuery) committed,
		// on a cluster too.
		BookmarkManager: s.driver.ExecuteQueryBookmarkManager(),
	})
	defer func() { _ = session.Close(context.WithoutCancel(ctx)) }()
	wait := swapWaitMin
	for {
		var txOpts []func(*driver.TransactionConfig)
		if timeout, ok := txTimeout(ctx); ok {
			txOpts = append(txOpts, driver.WithTxTimeout(timeout))
		}
		var overlapped bool
		v, err := driver.ExecuteRead(ctx, session, func(tx driver.ManagedTransaction) (T, error) {
			overlapped = false
			before, err := readSwapMark(ctx, tx)
			if err != nil {
				return zero, err
			}
			if before.busy {
				overlapped = true
				return zero, nil
			}
			v, workErr := work(tx)
			after, err := readSwapMark(ctx, tx)
			switch {
			case err != nil && workErr != nil:
				return zero, workErr // the transaction failed: report why
			case err != nil:
				return zero, err
			case after != before:
				// A swap ran meanwhile: the answer, or the error (a node
				// "not found"), may be half of it.
				overlapped = true
				return zero, nil
			}
			return v, workErr
		}, txOpts...)
		if err != nil || !overlapped {
			return v, err
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return zero, domain.WrapError(domain.EUNAVAILABLE, ctx.Err(),
				"Neo4j is switching to newly seeded data and the request ran out of time waiting for it: retry in a moment")
		case <-timer.C:
		}
		wait = min(2*wait, swapWaitMax)
	}
}
