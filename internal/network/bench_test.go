package network_test

import (
	"context"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/network"
)

// BenchmarkCentrality computes each measure on the shipped graph, uncached.
func BenchmarkCentrality(b *testing.B) {
	sub, err := mustStore(b, shipped(b)).Graph(context.Background(), domain.GraphQuery{Kinds: network.DefaultKinds})
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range network.Measures {
		b.Run(string(m), func(b *testing.B) {
			for b.Loop() {
				if _, err := network.Centrality(context.Background(), sub, m, 0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBrokerage counts brokerage roles on the shipped graph, uncached.
func BenchmarkBrokerage(b *testing.B) {
	sub, err := mustStore(b, shipped(b)).Graph(context.Background(), domain.GraphQuery{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		mustBrokerage(b, sub, nil)
	}
}
