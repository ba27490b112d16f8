package synth_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/synth"
)

func generate(tb testing.TB, opts synth.Options) *dataset.Dataset {
	tb.Helper()
	d, err := synth.Generate(opts)
	if err != nil {
		tb.Fatalf("Generate(%+v): %v", opts, err)
	}
	return d
}

func TestGenerateIsDeterministic(t *testing.T) {
	a := generate(t, synth.Options{Nodes: 400, Seed: 7})
	b := generate(t, synth.Options{Nodes: 400, Seed: 7})
	if !reflect.DeepEqual(a, b) {
		t.Error("two datasets from seed 7 differ, want identical")
	}
	c := generate(t, synth.Options{Nodes: 400, Seed: 8})
	if reflect.DeepEqual(a.Graph, c.Graph) {
		t.Error("seeds 7 and 8 give the same graph, want different")
	}
}

// TestGeneratedDatasetsLoad writes datasets of a few sizes and seeds in
// the shipped format and reads them back through the loader, which checks
// every domain rule and that each quote is verbatim in its source text.
func TestGeneratedDatasetsLoad(t *testing.T) {
	for _, nodes := range []int{synth.MinNodes, 300, 1500} {
		for _, seed := range []uint64{1, 2} {
			t.Run(fmt.Sprintf("nodes=%d/seed=%d", nodes, seed), func(t *testing.T) {
				d := generate(t, synth.Options{Nodes: nodes, Seed: seed})
				if got := len(d.Graph.Nodes); got != nodes {
					t.Errorf("nodes: got %d, want %d", got, nodes)
				}
				if got, want := len(d.Graph.Relations), 10*nodes; got < want*9/10 || got > want {
					t.Errorf("relations: got %d, want about %d", got, want)
				}
				dir := filepath.Join(t.TempDir(), "synthetic")
				if err := dataset.WriteDir(d, dir, "test"); err != nil {
					t.Fatalf("WriteDir: %v", err)
				}
				back, err := dataset.LoadFilesDataset(dir)
				if err != nil {
					t.Fatalf("load the written dataset: %v", err)
				}
				if !reflect.DeepEqual(back, d) {
					t.Error("the written dataset loads back as another dataset")
				}
				checkCoverage(t, back.Graph)
			})
		}
	}
}

// checkCoverage fails unless g has every kind and every relation type.
func checkCoverage(tb testing.TB, g *domain.Graph) {
	tb.Helper()
	kinds := map[domain.Kind]int{}
	for _, n := range g.Nodes {
		kinds[n.Kind]++
	}
	for _, k := range domain.Kinds {
		if kinds[k] == 0 {
			tb.Errorf("no node of kind %s", k)
		}
	}
	types := map[domain.RelationType]int{}
	for _, r := range g.Relations {
		types[r.Type]++
	}
	for _, rt := range domain.RelationTypes {
		if types[rt] == 0 {
			tb.Errorf("no relation of type %s", rt)
		}
	}
}

func TestDegreesAreSkewed(t *testing.T) {
	d := generate(t, synth.Options{Nodes: 3000, Seed: 3})
	degree := map[string]int{}
	for _, r := range d.Graph.Relations {
		degree[r.From]++
		degree[r.To]++
	}
	var degrees []int
	for _, n := range d.Graph.Nodes {
		if n.Kind == domain.KindSource {
			if degree[n.ID] != 0 {
				t.Errorf("source %s has %d relations, want none (sources are evidence only)", n.ID, degree[n.ID])
			}
			continue
		}
		if degree[n.ID] == 0 {
			t.Errorf("node %s has no relation, want every non-source node to have one", n.ID)
		}
		degrees = append(degrees, degree[n.ID])
	}
	slices.Sort(degrees)
	median, top := degrees[len(degrees)/2], degrees[len(degrees)-1]
	t.Logf("degree: median %d, top %d", median, top)
	if top < 20*median {
		t.Errorf("top degree %d, median %d: want the top hub at least 20× the median", top, median)
	}
	hubs := 0
	for _, deg := range degrees {
		if deg >= 10*median {
			hubs++
		}
	}
	if hubs < 3 || hubs > len(degrees)/20 {
		t.Errorf("%d nodes of degree ≥ 10× the median %d, want a few hubs (3 to %d)", hubs, median, len(degrees)/20)
	}
}

func TestGenerateRefusesBadOptions(t *testing.T) {
	for _, opts := range []synth.Options{
		{Nodes: synth.MinNodes - 1},
		{Nodes: 100, RelationsPerNode: 500},
		{Nodes: 100, LocalShare: 2},
		{Nodes: 100, Skew: -1},
	} {
		_, err := synth.Generate(opts)
		var de *domain.Error
		if !errors.As(err, &de) || de.Code != domain.EINVALID {
			t.Errorf("Generate(%+v): got %v, want an EINVALID error", opts, err)
		}
	}
}
