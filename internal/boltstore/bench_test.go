package boltstore_test

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/internal/boltstore"
	"github.com/stakegraph/stakegraph/internal/synth"
)

// BenchmarkApply times one acknowledged write (plan, the next snapshot,
// fsynced commit) on the shipped dataset and on generated graphs:
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
			start := cpuTime()
			for b.Loop() {
				mustApply(b, s, body(i))
				i++
			}
			// CPU time, beside the wall time, for a machine shared with other work.
			b.ReportMetric(float64((cpuTime()-start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
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

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
