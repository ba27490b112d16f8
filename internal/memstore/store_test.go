package memstore_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/memstore"
	"github.com/stakegraph/stakegraph/internal/storetest"
)

func version(tb testing.TB, g *domain.Graph) string {
	tb.Helper()
	s, err := memstore.New(g)
	if err != nil {
		tb.Fatalf("memstore.New: %v", err)
	}
	v, err := s.Version(context.Background())
	if err != nil {
		tb.Fatalf("Version: %v", err)
	}
	return v
}

// TestVersionFollowsData checks that the version ignores the order the
// data comes in but changes with any change to a node or a relation.
func TestVersionFollowsData(t *testing.T) {
	base := storetest.ShippedGraph(t)
	want := version(t, base)
	if want == "" {
		t.Fatal("empty version")
	}
	reordered := &domain.Graph{Nodes: slices.Clone(base.Nodes), Relations: slices.Clone(base.Relations), Statements: slices.Clone(base.Statements)}
	slices.Reverse(reordered.Nodes)
	slices.Reverse(reordered.Relations)
	slices.Reverse(reordered.Statements)
	if got := version(t, reordered); got != want {
		t.Errorf("reordered data: got version %s, want %s", got, want)
	}
	changes := []struct {
		name   string
		change func(g *domain.Graph)
	}{
		{"node renamed", func(g *domain.Graph) {
			n := *g.Nodes[0]
			n.Name += " (renamed)"
			g.Nodes[0] = &n
		}},
		{"relation status", func(g *domain.Graph) {
			r := *g.Relations[0]
			r.Status = "ended"
			g.Relations[0] = &r
		}},
		{"relation dropped", func(g *domain.Graph) { g.Relations = g.Relations[1:] }},
		{"statement stance", func(g *domain.Graph) {
			st := domain.CloneStatement(g.Statements[0])
			st.Stance = domain.StanceOpposes
			g.Statements[0] = st
		}},
		{"statement dropped", func(g *domain.Graph) { g.Statements = g.Statements[1:] }},
	}
	for _, c := range changes {
		t.Run(c.name, func(t *testing.T) {
			g := &domain.Graph{Nodes: slices.Clone(base.Nodes), Relations: slices.Clone(base.Relations), Statements: slices.Clone(base.Statements)}
			c.change(g)
			if got := version(t, g); got == want {
				t.Errorf("got the unchanged version %s after the change", got)
			}
		})
	}
}

// TestCancelledContext checks that every query gives up on a cancelled
// request instead of answering it.
func TestCancelledContext(t *testing.T) {
	s := openMemstore(t, storetest.ShippedGraph(t))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	const (
		hu, es = "country:hungary", "country:spain"
	)
	calls := map[string]func() error{
		"Node":      func() error { _, err := s.Node(ctx, hu); return err },
		"Nodes":     func() error { _, err := s.Nodes(ctx, []string{hu}); return err },
		"FindNodes": func() error { _, err := s.FindNodes(ctx, domain.NodeFilter{}); return err },
		"Search":    func() error { _, err := s.Search(ctx, domain.SearchQuery{Text: "spain"}); return err },
		"Relations": func() error { _, err := s.Relations(ctx, domain.RelationFilter{NodeIDs: []string{hu}}); return err },
		"Neighborhood": func() error {
			_, err := s.Neighborhood(ctx, domain.NeighborhoodQuery{Root: hu, Depth: 2})
			return err
		},
		"Graph": func() error { _, err := s.Graph(ctx, domain.GraphQuery{}); return err },
		"Cooperation": func() error {
			_, err := s.Cooperation(ctx, domain.CooperationQuery{Actor: hu})
			return err
		},
		"CommonConnections": func() error {
			_, err := s.CommonConnections(ctx, domain.CommonConnectionsQuery{IDs: []string{hu, es}})
			return err
		},
		"CoParticipation": func() error { _, err := s.CoParticipation(ctx, domain.CoParticipationQuery{}); return err },
		"Timeline":        func() error { _, err := s.Timeline(ctx, domain.TimelineQuery{}); return err },
		"Version":         func() error { _, err := s.Version(ctx); return err },
		"Ping":            func() error { return s.Ping(ctx) },
	}
	for _, mode := range []domain.PathMode{domain.PathShortest, domain.PathKShortest, domain.PathAllSimple} {
		calls["Paths "+string(mode)] = func() error {
			_, err := s.Paths(ctx, domain.PathQuery{From: hu, To: es, MaxHops: 4, Limit: 10, Mode: mode})
			return err
		}
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			if err := call(); !errors.Is(err, context.Canceled) {
				t.Errorf("got %v, want context.Canceled", err)
			}
		})
	}
}
