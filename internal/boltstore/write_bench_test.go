package boltstore_test

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/internal/boltstore"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/synth"
)

var writeSizes = flag.String("write-sizes", "1000,10000", "graph sizes (nodes) BenchmarkWrite generates, comma-separated")

// BenchmarkWrite times one acknowledged write of each common shape on
// generated graphs, to show whether a write costs what it touches or what
// the graph holds:
// go test -run '^$' -bench Write -benchtime 20x -write-sizes 1000,10000,100000 ./internal/boltstore
func BenchmarkWrite(b *testing.B) {
	for field := range strings.SplitSeq(*writeSizes, ",") {
		size, err := strconv.Atoi(field)
		if err != nil {
			b.Fatalf("-write-sizes: %v", err)
		}
		d, err := synth.Generate(synth.Options{Nodes: size, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		s := open(b, b.TempDir(), boltstore.Base{Graph: d.Graph, Texts: d.SourceTexts})
		// An ordinary relation, not a hub's: the median one by ID.
		model := d.Graph.Relations[len(d.Graph.Relations)/2]
		shapes := []struct {
			name  string
			write func(i int) *domain.Write
		}{
			{"updateRelation", func(i int) *domain.Write {
				note := fmt.Sprintf("note %d", i)
				rev, err := s.Revision(context.Background(), model.ID)
				if err != nil {
					b.Fatal(err)
				}
				return &domain.Write{Action: domain.ActionUpdateRelation, Actor: editor, Target: model.ID,
					Patch: &domain.RelationPatch{Note: &note}, ExpectedRevision: &rev}
			}},
			{"addRelation", func(i int) *domain.Write {
				r := domain.CloneRelation(model)
				r.ID = fmt.Sprintf("%s-%d", model.ID, i)
				return &domain.Write{Action: domain.ActionAddRelation, Actor: editor, Relation: r}
			}},
			{"addSource", func(i int) *domain.Write {
				return &domain.Write{Action: domain.ActionAddSource, Actor: editor,
					Node: &domain.Node{Name: fmt.Sprintf("Memo %d", i)}, Text: "A memo."}
			}},
		}
		for _, shape := range shapes {
			b.Run(fmt.Sprintf("%dnodes/%s", size, shape.name), func(b *testing.B) {
				start := cpuTime()
				i := 0
				for b.Loop() {
					mustApply(b, s, shape.write(i))
					i++
				}
				b.ReportMetric(float64((cpuTime()-start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			})
		}
	}
}
