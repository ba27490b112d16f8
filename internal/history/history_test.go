package history_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/internal/boltstore"
	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/history"
)

// readsOnly hides every method but domain.Store's, so AtVersion cannot
// use the store's snapshot and reads the graph between two data versions.
type readsOnly struct{ domain.Store }

func openStore(tb testing.TB) *boltstore.Store {
	tb.Helper()
	d, err := dataset.ShippedDataset()
	if err != nil {
		tb.Fatal(err)
	}
	s, err := boltstore.Open(context.Background(), tb.TempDir(), boltstore.Base{Graph: d.Graph, Texts: d.SourceTexts}, boltstore.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}

func bodyWrite(i int) *domain.Write {
	return &domain.Write{Action: domain.ActionUpsertStakeholder, Actor: domain.Actor{Name: "t", Role: domain.RoleEditor},
		Node: &domain.Node{Kind: domain.KindOrganization, OrgType: domain.OrgGroup, Name: fmt.Sprintf("Body %d", i)}}
}

func nodeCount(tb testing.TB, s domain.Store) int {
	tb.Helper()
	sub, err := s.Graph(context.Background(), domain.GraphQuery{})
	if err != nil {
		tb.Fatal(err)
	}
	return len(sub.Nodes)
}

func TestAtVersionWithAndWithoutASnapshot(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	seeded := nodeCount(t, s)
	// More changes than one page of history, so AtVersion pages.
	const writes = domain.MaxPageSize + 5
	for i := range writes {
		if _, err := s.Apply(ctx, bodyWrite(i)); err != nil {
			t.Fatal(err)
		}
	}
	for name, store := range map[string]domain.Store{"snapshot": s, "two reads": readsOnly{s}} {
		for _, v := range []int64{0, 1, 50, writes} {
			past, err := history.AtVersion(ctx, store, s, v)
			if err != nil {
				t.Fatalf("%s: AtVersion(%d): %v", name, v, err)
			}
			if got, want := nodeCount(t, past), seeded+int(v); got != want {
				t.Errorf("%s: version %d has %d nodes, want %d", name, v, got, want)
			}
		}
		for _, v := range []int64{-1, writes + 1} {
			if _, err := history.AtVersion(ctx, store, s, v); domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("%s: AtVersion(%d): got %v, want EINVALID", name, v, err)
			}
		}
	}
}

func TestCache(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	seeded := nodeCount(t, s)
	before := time.Now()
	for i := range 3 {
		if _, err := s.Apply(ctx, bodyWrite(i)); err != nil {
			t.Fatal(err)
		}
	}
	c := history.NewCache(s, s, 2)
	first, err := c.AtVersion(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.AtVersion(ctx, 2)
	if err != nil || again != first {
		t.Errorf("a second ask for version 2 built another store (%v)", err)
	}
	v, past, err := c.AsKnownOn(ctx, before.Add(-time.Minute))
	if err != nil || v != 0 || nodeCount(t, past) != seeded {
		t.Errorf("as known before any change: version %d, %v; want 0 and the seeded graph", v, err)
	}
	v, past, err = c.AsKnownOn(ctx, time.Now())
	if err != nil || v != 3 || nodeCount(t, past) != seeded+3 {
		t.Errorf("as known now: version %d, %v; want 3", v, err)
	}
}
