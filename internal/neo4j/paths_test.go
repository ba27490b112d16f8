package neo4j_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/memstore"
)

// walks lists every walk from q.From to q.To of at most q.MaxHops in-scope
// relations that never enters an avoided node and never uses a relation
// twice (Neo4j's trail semantics); simple keeps only walks without a
// repeated node.
func walks(g *domain.Graph, q domain.PathQuery, simple bool) []*domain.Path {
	concerns := domain.ConcernedTopics(g)
	nodes := map[string]*domain.Node{}
	for _, n := range g.Nodes {
		nodes[n.ID] = n
	}
	scope := q.Scope()
	var out []*domain.Path
	var walk func(ns []*domain.Node, rs []*domain.Relation)
	walk = func(ns []*domain.Node, rs []*domain.Relation) {
		last := ns[len(ns)-1].ID
		if last == q.To {
			out = append(out, &domain.Path{Nodes: slices.Clone(ns), Relations: slices.Clone(rs)})
			return
		}
		if len(rs) == q.MaxHops {
			return
		}
		for _, r := range g.Relations {
			next := r.To
			if r.To == last {
				next = r.From
			} else if r.From != last {
				continue
			}
			onPath := slices.ContainsFunc(ns, func(n *domain.Node) bool { return n.ID == next })
			if !scope.Allows(r, concerns[r.ID]) || slices.Contains(q.Avoid, next) ||
				slices.Contains(rs, r) || (simple && onPath) {
				continue
			}
			walk(append(ns, nodes[next]), append(rs, r))
		}
	}
	walk([]*domain.Node{nodes[q.From]}, nil)
	return out
}

// wantPaths answers q by brute force, from the PathMode definitions.
func wantPaths(g *domain.Graph, q domain.PathQuery) []string {
	all := walks(g, q, true)
	switch q.Mode {
	case domain.PathAllSimple:
		slices.SortFunc(all, domain.CompareRoutes)
	case domain.PathKShortest:
		slices.SortFunc(all, domain.ComparePaths)
	default:
		slices.SortFunc(all, domain.ComparePaths)
		if len(all) > 0 {
			all = slices.DeleteFunc(all, func(p *domain.Path) bool { return p.Length() > all[0].Length() })
		}
	}
	return renderPaths(all[:min(len(all), q.Limit)])
}

func renderPaths(ps []*domain.Path) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		var b strings.Builder
		for j, n := range p.Nodes {
			b.WriteString(n.ID)
			if j < len(p.Relations) {
				fmt.Fprintf(&b, " -[%s]- ", p.Relations[j].ID)
			}
		}
		out[i] = b.String()
	}
	return out
}

// TestPathsBruteForce compares every path mode with brute force on the
// small dated graph, whose parallel relations and two-way cooperation let
// trails repeat nodes: the Neo4j queries must drop those without losing
// any simple path, and cut ties exactly where the modes say.
func TestPathsBruteForce(t *testing.T) {
	g := datedGraph()
	s := seeded(t, g)
	ctx := context.Background()
	ends := []string{"country:ecuador", "country:spain", "country:hungary", "event:iii-round-table-2023",
		"programme:el-paccto", "organization:eu", "programme:glacy-plus", "person:ylva-johansson", "topic:organised-crime"}

	probe := domain.PathQuery{From: "country:spain", To: "programme:el-paccto", MaxHops: domain.MaxSimplePathHops}
	if len(walks(g, probe, false)) == len(walks(g, probe, true)) {
		t.Fatalf("the test graph has no trail that repeats a node from %s to %s; the test needs one", probe.From, probe.To)
	}

	variants := []func(q *domain.PathQuery){
		func(q *domain.PathQuery) { q.Limit = domain.MaxPageSize },
		func(q *domain.PathQuery) { q.Limit = 3 },
		func(q *domain.PathQuery) { q.Limit = 5; q.AsOf = "2023-10-26" },
		func(q *domain.PathQuery) {
			q.Limit = 10
			q.Topics = []string{"topic:organised-crime", "topic:cyber-security"}
			q.Avoid = []string{"country:ecuador"}
		},
		func(q *domain.PathQuery) { q.Limit = 10; q.MaxHops = 2 },
	}
	n := 0
	for _, from := range ends {
		for _, to := range ends {
			if from == to {
				continue
			}
			for _, mode := range []domain.PathMode{domain.PathShortest, domain.PathKShortest, domain.PathAllSimple} {
				for _, vary := range variants {
					q := domain.PathQuery{From: from, To: to, Mode: mode, MaxHops: domain.MaxSimplePathHops}
					vary(&q)
					if slices.Contains(q.Avoid, from) || slices.Contains(q.Avoid, to) {
						continue
					}
					paths, err := s.Paths(ctx, q)
					if err != nil {
						t.Fatalf("Paths(%+v): %v", q, err)
					}
					want := wantPaths(g, q)
					n += len(want)
					if got := renderPaths(paths); !slices.Equal(got, want) {
						t.Errorf("Paths(%+v):\n got %q\nwant %q", q, got, want)
					}
				}
			}
		}
	}
	if n == 0 {
		t.Fatalf("no query had a path; the test needs some")
	}
}

// cliqueGraph joins n organizations each to each: between two of them
// there are about n³ simple paths of four hops.
func cliqueGraph(n int) *domain.Graph {
	g := &domain.Graph{Nodes: []*domain.Node{{ID: "source:clique", Kind: domain.KindSource, Name: "Clique"}}}
	id := func(i int) string { return fmt.Sprintf("organization:o%02d", i) }
	for i := range n {
		g.Nodes = append(g.Nodes, &domain.Node{ID: id(i), Kind: domain.KindOrganization, Name: id(i), OrgType: domain.OrgGovernmentAgency})
		for j := range i {
			g.Relations = append(g.Relations, &domain.Relation{ID: fmt.Sprintf("c%02d-%02d", j, i),
				Type: domain.RelCooperatesWith, From: id(j), To: id(i), Confidence: domain.ConfidenceLow,
				Evidence: []domain.Evidence{{SourceID: "source:clique", Quote: "clique"}}})
		}
	}
	return g
}

func TestPathsBounded(t *testing.T) {
	// 40 nodes: 38·37·36 = 50,616 simple paths of four hops between two
	// of them, more than domain.MaxPathRoutes.
	g := cliqueGraph(40)
	s := seeded(t, g)
	mem, err := memstore.New(g)
	if err != nil {
		t.Fatalf("memstore.New: %v", err)
	}
	ctx := context.Background()
	base := domain.PathQuery{From: "organization:o00", To: "organization:o01", MaxHops: 4, Limit: 10}

	t.Run("ALL_SIMPLE past the budget", func(t *testing.T) {
		q := base
		q.Mode = domain.PathAllSimple
		_, err := s.Paths(ctx, q)
		wantCode(t, err, domain.EINVALID)
		if got, want := domain.ErrorMessage(err), q.TooManyRoutes().Error(); got != want {
			t.Errorf("message: got %q, want %q", got, want)
		}
	})
	// K_SHORTEST stops after the two-hop paths, which complete its count.
	for _, mode := range []domain.PathMode{domain.PathKShortest, domain.PathShortest} {
		t.Run(string(mode), func(t *testing.T) {
			q := base
			q.Mode = mode
			got, err := s.Paths(ctx, q)
			if err != nil {
				t.Fatalf("Paths: %v", err)
			}
			want, err := mem.Paths(ctx, q)
			if err != nil {
				t.Fatalf("memstore Paths: %v", err)
			}
			if g, w := renderPaths(got), renderPaths(want); !slices.Equal(g, w) {
				t.Errorf("paths:\n got %v\nwant %v", g, w)
			}
		})
	}
	t.Run("ALL_SIMPLE within the budget", func(t *testing.T) {
		q := base
		q.Mode, q.MaxHops = domain.PathAllSimple, 3
		got, err := s.Paths(ctx, q)
		if err != nil {
			t.Fatalf("Paths: %v", err)
		}
		want, _ := mem.Paths(ctx, q)
		if g, w := renderPaths(got), renderPaths(want); !slices.Equal(g, w) || len(g) != q.Limit {
			t.Errorf("paths:\n got %v\nwant %v", g, w)
		}
	})
}
