package readiness_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/readiness"
)

// countingWriter answers every history call with version 7 and counts the
// calls that reach it.
type countingWriter struct {
	domain.Writer
	calls int
}

func (w *countingWriter) DataVersion(context.Context) (int64, error) {
	w.calls++
	return 7, nil
}

func (w *countingWriter) Revision(context.Context, string) (int64, error) {
	w.calls++
	return 7, nil
}

// TestGuardWriter: writes and history behind the guard answer the check's
// error at once while the store is not ready, and reach the writer once it
// is.
func TestGuardWriter(t *testing.T) {
	store, version := newFaultyStore(t)
	store.set(errDown, nil)
	g := start(t, store, readiness.Options{Version: version, RetryInterval: 10 * time.Millisecond})
	w := &countingWriter{}
	guarded := g.Writer(w)
	ctx := context.Background()
	if _, err := guarded.DataVersion(ctx); !errors.Is(err, errDown) {
		t.Errorf("DataVersion while down: got %v, want the check's error", err)
	}
	if _, err := guarded.Apply(ctx, &domain.Write{Action: domain.ActionAddSource}); !errors.Is(err, errDown) {
		t.Errorf("Apply while down: got %v, want the check's error", err)
	}
	if w.calls != 0 {
		t.Errorf("calls reaching the writer while down: got %d, want 0", w.calls)
	}
	store.set(nil, nil)
	eventually(t, "ready once the check passes", func() bool { return g.Ready() == nil })
	if v, err := guarded.DataVersion(ctx); v != 7 || err != nil {
		t.Errorf("DataVersion once ready: got %d, %v, want 7", v, err)
	}
	if v, err := guarded.Revision(ctx, "country:spain"); v != 7 || err != nil {
		t.Errorf("Revision once ready: got %d, %v, want 7", v, err)
	}
}
