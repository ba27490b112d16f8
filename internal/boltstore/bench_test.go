package boltstore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stakegraph/stakegraph/internal/boltstore"
	"github.com/stakegraph/stakegraph/internal/synth"
)

// BenchmarkApply times one acknowledged write (plan, rebuild of the
// indexes, fsynced commit) on the shipped dataset and on generated graphs:
// go test -run '^$' -bench Apply -benchtime 10x ./internal/boltstore
func BenchmarkApply(b *testing.B) {
	for _, size := range []int{0, 1000, 10000} {
		name := "shipped"
		base := shipped(b)
		if size > 0 {
			name = fmt.Sprintf("%dnodes", size)
			d, err := synth.Generate(synth.Options{Nodes: size, Seed: 1})
			if err != nil {
				b.Fatal(err)
			}
			base = boltstore.Base{Graph: d.Graph, Texts: d.SourceTexts}
		}
		b.Run(name, func(b *testing.B) {
			s := open(b, b.TempDir(), base)
			i := 0
			for b.Loop() {
				mustApply(b, s, body(i))
				i++
			}
		})
	}
}

// BenchmarkOpen times opening a state that holds the shipped dataset and
// n changes, all replayed:
// go test -run '^$' -bench Open -benchtime 5x ./internal/boltstore
func BenchmarkOpen(b *testing.B) {
	for _, n := range []int{0, 100, 1000} {
		b.Run(fmt.Sprintf("%dchanges", n), func(b *testing.B) {
			dir := b.TempDir()
			s := open(b, dir, shipped(b))
			for i := range n {
				mustApply(b, s, crashWrite(i))
			}
			if err := s.Close(context.Background()); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				again, err := boltstore.Open(context.Background(), dir, shipped(b), boltstore.Options{})
				if err != nil {
					b.Fatal(err)
				}
				if err := again.Close(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
