package boltstore_test

import (
	"context"
	"testing"

	"github.com/stakegraph/stakegraph/internal/boltstore"
	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/storetest"
)

// open opens a store in dir seeded with base, closed when the test ends.
func open(tb testing.TB, dir string, base boltstore.Base) *boltstore.Store {
	tb.Helper()
	s, err := boltstore.Open(context.Background(), dir, base, boltstore.Options{})
	if err != nil {
		tb.Fatalf("open %s: %v", dir, err)
	}
	tb.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}

func shipped(tb testing.TB) boltstore.Base {
	tb.Helper()
	d, err := dataset.ShippedDataset()
	if err != nil {
		tb.Fatal(err)
	}
	return boltstore.Base{Graph: d.Graph, Texts: d.SourceTexts}
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(tb testing.TB, g *domain.Graph) domain.Store {
		return open(tb, tb.TempDir(), boltstore.Base{Graph: g})
	})
}

func TestWrites(t *testing.T) {
	storetest.RunWrites(t, func(tb testing.TB) (domain.Store, domain.Writer) {
		s := open(tb, tb.TempDir(), shipped(tb))
		return s, s
	})
}
