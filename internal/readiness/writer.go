package readiness

import (
	"context"
	"time"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// Writer returns w, the wrapped store's writes and history, behind the
// guard: while the store is not ready every call fails at once with the
// reason, and calls in flight when a check finds it gone stop, as reads
// do. A write stopped so is not acknowledged; the store's transaction
// decides whether it happened, and history says so once the store is back.
func (g *Guard) Writer(w domain.Writer) domain.Writer { return guardedWriter{g: g, w: w} }

type guardedWriter struct {
	g *Guard
	w domain.Writer
}

func (gw guardedWriter) Apply(ctx context.Context, w *domain.Write) (*domain.Change, error) {
	return guarded(ctx, gw.g, func(ctx context.Context) (*domain.Change, error) { return gw.w.Apply(ctx, w) })
}

func (gw guardedWriter) Changes(ctx context.Context, q domain.ChangeQuery) (*domain.ChangePage, error) {
	return guarded(ctx, gw.g, func(ctx context.Context) (*domain.ChangePage, error) { return gw.w.Changes(ctx, q) })
}

func (gw guardedWriter) DataVersion(ctx context.Context) (int64, error) {
	return guarded(ctx, gw.g, gw.w.DataVersion)
}

func (gw guardedWriter) VersionAt(ctx context.Context, t time.Time) (int64, error) {
	return guarded(ctx, gw.g, func(ctx context.Context) (int64, error) { return gw.w.VersionAt(ctx, t) })
}

func (gw guardedWriter) SourceText(ctx context.Context, id string) (string, error) {
	return guarded(ctx, gw.g, func(ctx context.Context) (string, error) { return gw.w.SourceText(ctx, id) })
}

func (gw guardedWriter) Revision(ctx context.Context, id string) (int64, error) {
	return guarded(ctx, gw.g, func(ctx context.Context) (int64, error) { return gw.w.Revision(ctx, id) })
}
