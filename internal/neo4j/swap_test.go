package neo4j_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/memstore"
	"github.com/stakegraph/stakegraph/internal/storetest"
)

// swapProbe is one read a reader repeats while the graph is seeded again;
// answer renders what it read, so two stores' answers compare as text.
type swapProbe struct {
	name   string
	answer func(ctx context.Context, s domain.Store) (string, error)
}

var swapProbes = []swapProbe{
	{"search paccto", func(ctx context.Context, s domain.Store) (string, error) {
		hits, err := s.Search(ctx, domain.SearchQuery{Text: "paccto"})
		var out []string
		for _, h := range hits {
			out = append(out, fmt.Sprintf("%s %.6f", h.Node.ID, h.Score))
		}
		return strings.Join(out, ", "), err
	}},
	{"neighbourhood of country:hungary, depth 2", func(ctx context.Context, s domain.Store) (string, error) {
		sub, err := s.Neighborhood(ctx, domain.NeighborhoodQuery{Root: "country:hungary", Depth: 2})
		if err != nil {
			return "", err
		}
		return subgraphIDs(sub), nil
	}},
	{"node country:ecuador", func(ctx context.Context, s domain.Store) (string, error) {
		n, err := s.Node(ctx, "country:ecuador")
		if err != nil {
			return "", err
		}
		return n.ID + " " + n.Name, nil
	}},
	{"relations of country:spain", func(ctx context.Context, s domain.Store) (string, error) {
		rels, err := s.Relations(ctx, domain.RelationFilter{NodeIDs: []string{"country:spain"}})
		var ids []string
		for _, r := range rels {
			ids = append(ids, r.ID)
		}
		return strings.Join(ids, " "), err
	}},
}

// brief shortens an answer for a message: its length in IDs and its start.
func brief(answer string) string {
	fields := strings.Fields(answer)
	if len(answer) > 60 {
		answer = answer[:60] + "…"
	}
	return fmt.Sprintf("%d words %q", len(fields), answer)
}

func subgraphIDs(sub *domain.Subgraph) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d nodes, %d relations: ", len(sub.Nodes), len(sub.Relations))
	for _, n := range sub.Nodes {
		b.WriteString(n.ID + " ")
	}
	b.WriteString("| ")
	for _, r := range sub.Relations {
		b.WriteString(r.ID + " ")
	}
	fmt.Fprintf(&b, "| capped %v", sub.Capped)
	return b.String()
}

// TestReadsNeverSeeHalfASwap re-seeds the shipped graph again and again
// while readers search, walk a neighbourhood and look nodes and relations
// up, and requires every answer to be the embedded store's. Without the
// swap marks (swap.go) about one read in thirty that overlapped a seed
// answered from a half-applied swap: an empty search, a neighbourhood
// without its relations, a node not found.
func TestReadsNeverSeeHalfASwap(t *testing.T) {
	g := storetest.ShippedGraph(t)
	s := seeded(t, g)
	mem, err := memstore.New(g)
	if err != nil {
		t.Fatalf("memstore.New: %v", err)
	}
	ctx := context.Background()
	want := make([]string, len(swapProbes))
	for i, p := range swapProbes {
		if want[i], err = p.answer(ctx, mem); err != nil || want[i] == "" {
			t.Fatalf("%s on the embedded store: %q, %v", p.name, want[i], err)
		}
	}

	const (
		seeds   = 20
		readers = 3
	)
	readCtx, stop := context.WithCancel(ctx)
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		reads  int
		wrong  []string
		nWrong int
	)
	for r := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := r; readCtx.Err() == nil; i++ {
				p := swapProbes[i%len(swapProbes)]
				reqCtx, cancel := context.WithTimeout(readCtx, 10*time.Second)
				got, err := p.answer(reqCtx, s)
				cancel()
				if readCtx.Err() != nil {
					return // stopped mid-read: nothing to judge
				}
				mu.Lock()
				reads++
				if err != nil || got != want[i%len(swapProbes)] {
					nWrong++
					if len(wrong) < 5 {
						wrong = append(wrong, fmt.Sprintf("%s: got %s, %v; want %s", p.name, brief(got), err, brief(want[i%len(swapProbes)])))
					}
				}
				mu.Unlock()
			}
		}()
	}
	began := time.Now()
	for range seeds {
		if err := s.Seed(ctx, g); err != nil {
			t.Errorf("Seed: %v", err)
			break
		}
	}
	seeding := time.Since(began)
	stop()
	wg.Wait()

	t.Logf("%d reads during %d seeds (%v), %d wrong", reads, seeds, seeding.Round(time.Millisecond), nWrong)
	if reads < seeds {
		t.Errorf("%d reads during %d seeds, want at least one a seed: the readers did not overlap the seeds", reads, seeds)
	}
	for _, w := range wrong {
		t.Errorf("while seeding: %s", w)
	}
}

// TestReadsWaitOutASwapUnderWay checks the swap marks a seed leaves when it
// dies mid-swap: a fresh one makes reads wait (here past their deadline),
// one older than any swap may run is ignored, and the next seed drops it
// instead of keeping it alive.
func TestReadsWaitOutASwapUnderWay(t *testing.T) {
	g := testGraph()
	s := seeded(t, g)
	ctx := context.Background()
	id := g.Nodes[0].ID
	read := func(within time.Duration) error {
		ctx, cancel := context.WithTimeout(ctx, within)
		defer cancel()
		_, err := s.Node(ctx, id)
		return err
	}

	rawRun(t, `MATCH (d:Dataset) SET d.swapTags = ['dead-seed'], d.swapSince = [timestamp()] RETURN 0`)
	began := time.Now()
	err := read(500 * time.Millisecond)
	wantCode(t, err, domain.EUNAVAILABLE)
	if took := time.Since(began); took < 400*time.Millisecond {
		t.Errorf("a read during a swap answered after %v, want it to wait for the swap", took)
	}

	// Three minutes is longer than a swap may run: the mark is a dead seed's.
	rawRun(t, `MATCH (d:Dataset) SET d.swapSince = [timestamp() - 180000] RETURN 0`)
	if err := read(5 * time.Second); err != nil {
		t.Errorf("a read beside a stale swap mark: %v, want the node", err)
	}

	if err := s.Seed(ctx, g); err != nil {
		t.Fatalf("Seed: %v", err)
	}
	if n := rawRun(t, `MATCH (d:Dataset) RETURN size(d.swapTags)`); n != 0 {
		t.Errorf("%d swap marks left after the next seed, want 0", n)
	}
	if err := read(5 * time.Second); err != nil {
		t.Errorf("a read after the next seed: %v", err)
	}
}
