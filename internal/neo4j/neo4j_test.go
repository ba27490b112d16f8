package neo4j_test

import (
	"bytes"
	"context"
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/memstore"
	"github.com/stakegraph/stakegraph/internal/neo4j"
	"github.com/stakegraph/stakegraph/internal/neo4jtest"
	"github.com/stakegraph/stakegraph/internal/storetest"
)

// config reads the shared test server's connection; see neo4jtest.Config.
func config(tb testing.TB) neo4j.Config {
	tb.Helper()
	return neo4jtest.Config(tb, "the Neo4j store's tests")
}

// openStore opens a store on the test server, closed when the test ends.
// The tests share one database, so each seeds the graph it needs first.
func openStore(tb testing.TB) *neo4j.Store {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := neo4j.Open(ctx, config(tb), slog.New(slog.DiscardHandler))
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.Close(context.Background()); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return s
}

// seeded opens a store holding exactly g.
func seeded(tb testing.TB, g *domain.Graph) *neo4j.Store {
	tb.Helper()
	s := openStore(tb)
	if err := s.Seed(context.Background(), g); err != nil {
		tb.Fatalf("Seed: %v", err)
	}
	return s
}

func wantCode(tb testing.TB, err error, code string) {
	tb.Helper()
	if got := domain.ErrorCode(err); got != code {
		tb.Fatalf("error code: got %q (%v), want %q", got, err, code)
	}
}

// counts returns how many nodes and relations the store holds.
func counts(tb testing.TB, s domain.Store) (nodes, relations int) {
	tb.Helper()
	ctx := context.Background()
	page, err := s.FindNodes(ctx, domain.NodeFilter{})
	if err != nil {
		tb.Fatalf("FindNodes: %v", err)
	}
	rels, err := s.Relations(ctx, domain.RelationFilter{})
	if err != nil {
		tb.Fatalf("Relations: %v", err)
	}
	return page.Total, len(rels)
}

func TestOpenAndSetupAreIdempotent(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	for range 2 {
		if err := s.Setup(ctx); err != nil {
			t.Fatalf("Setup: %v", err)
		}
	}
	openStore(t) // a second Open runs Setup against the existing schema
	v, err := s.ServerVersion(ctx)
	if err != nil {
		t.Fatalf("ServerVersion: %v", err)
	}
	t.Logf("Neo4j %s", v)
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}

func TestSeed(t *testing.T) {
	g := testGraph()
	s := seeded(t, g)
	ctx := context.Background()
	empty, err := s.IsEmpty(ctx)
	if err != nil || empty {
		t.Fatalf("IsEmpty after seed: %v, %v", empty, err)
	}
	nodes, rels := counts(t, s)
	if nodes != len(g.Nodes) || rels != len(g.Relations) {
		t.Fatalf("after seed: %d nodes, %d relations; want %d, %d", nodes, rels, len(g.Nodes), len(g.Relations))
	}

	t.Run("twice", func(t *testing.T) {
		if err := s.Seed(ctx, g); err != nil {
			t.Fatalf("second Seed: %v", err)
		}
		if n, r := counts(t, s); n != nodes || r != rels {
			t.Fatalf("after second seed: %d nodes, %d relations; want %d, %d", n, r, nodes, rels)
		}
	})

	t.Run("round trip", func(t *testing.T) {
		for _, want := range g.Nodes {
			got, err := s.Node(ctx, want.ID)
			if err != nil {
				t.Fatalf("Node(%s): %v", want.ID, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Node(%s):\n got %#v\nwant %#v", want.ID, got, want)
			}
		}
		got, err := s.Relations(ctx, domain.RelationFilter{})
		if err != nil {
			t.Fatalf("Relations: %v", err)
		}
		want := slices.Clone(g.Relations)
		domain.SortRelations(want)
		for i := range want {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Errorf("relation %d:\n got %#v\nwant %#v", i, got[i], want[i])
			}
		}
	})

	t.Run("replaces", func(t *testing.T) {
		smaller := testGraph()
		smaller.Nodes = slices.DeleteFunc(smaller.Nodes, func(n *domain.Node) bool { return n.ID == "person:ylva-johansson" })
		smaller.Relations = slices.DeleteFunc(smaller.Relations, func(r *domain.Relation) bool {
			return r.From == "person:ylva-johansson" || r.To == "person:ylva-johansson"
		})
		smaller.Nodes[0].Description = ""
		smaller.Relations[0].Note = "changed"
		if err := s.Seed(ctx, smaller); err != nil {
			t.Fatalf("Seed: %v", err)
		}
		if n, r := counts(t, s); n != len(smaller.Nodes) || r != len(smaller.Relations) {
			t.Fatalf("after smaller seed: %d nodes, %d relations; want %d, %d", n, r, len(smaller.Nodes), len(smaller.Relations))
		}
		got, err := s.Node(ctx, smaller.Nodes[0].ID)
		if err != nil || got.Description != "" {
			t.Fatalf("emptied description came back: %v, %v", got, err)
		}
		rels, _ := s.Relations(ctx, domain.RelationFilter{NodeIDs: []string{smaller.Relations[0].From}})
		found := false
		for _, r := range rels {
			found = found || (r.ID == smaller.Relations[0].ID && r.Note == "changed")
		}
		if !found {
			t.Fatalf("changed note not stored: %v", rels)
		}
		if err := s.Seed(ctx, g); err != nil {
			t.Fatalf("Seed back: %v", err)
		}
	})

	t.Run("failed seed keeps data", func(t *testing.T) {
		dangling := testGraph()
		// Most nodes gone, so the seed would delete them; the cited source
		// stays, so only the transaction finds the dangling end.
		source := dangling.Nodes[slices.IndexFunc(dangling.Nodes, func(n *domain.Node) bool { return n.Kind == domain.KindSource })]
		dangling.Nodes = append(dangling.Nodes[:3:3], source)
		dangling.Relations = append(dangling.Relations[:0:0], &domain.Relation{
			ID: "x", Type: domain.RelAttended, From: dangling.Nodes[0].ID, To: "event:nowhere",
			Confidence: domain.ConfidenceLow, Evidence: []domain.Evidence{{SourceID: source.ID, Quote: "q"}}})
		err := s.Seed(ctx, dangling)
		wantCode(t, err, domain.EINVALID)
		if got, want := domain.ErrorMessage(err), "relation x: no node with id event:nowhere"; got != want {
			t.Errorf("dangling seed: got %q, want %q (found inside the transaction)", got, want)
		}

		dup := testGraph()
		dup.Nodes = append(dup.Nodes, &domain.Node{ID: dup.Nodes[0].ID, Kind: dup.Nodes[0].Kind, Name: "Twin"})
		wantCode(t, s.Seed(ctx, dup), domain.ECONFLICT)

		if n, r := counts(t, s); n != nodes || r != rels {
			t.Fatalf("after failed seeds: %d nodes, %d relations; want %d, %d", n, r, nodes, rels)
		}
	})
}

func TestSearch(t *testing.T) {
	s := seeded(t, testGraph())
	ctx := context.Background()
	cases := []struct{ query, want string }{
		{"paccto", "programme:el-paccto"},
		{"EL PAcCTO", "programme:el-paccto"},
		{"relaciones exteriores", "organization:ministry-foreign-affairs-ecuador"},
		{"europol", "organization:europol"},
		{"maritime", "topic:maritime-security"},
		{"cancilleria", "organization:ministry-foreign-affairs-ecuador"},
		{"Cancillería", "organization:ministry-foreign-affairs-ecuador"},
		{"glacy", "programme:glacy-plus"},
		{"GLACY+", "programme:glacy-plus"},
		{"cyber4", "programme:cyber4dev"},
		{"ivoire", "country:cote-d-ivoire"}, // after an apostrophe
		{"europol agreement", "agreement:ecuador-europol"},
		{"hungría", "country:hungary"},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			hits, err := s.Search(ctx, domain.SearchQuery{Text: c.query})
			if err != nil {
				t.Fatalf("Search: %v", err)
			}
			if len(hits) == 0 || hits[0].Node.ID != c.want {
				t.Fatalf("hits %v, want %s first", hits, c.want)
			}
		})
	}
	t.Run("kinds", func(t *testing.T) {
		hits, err := s.Search(ctx, domain.SearchQuery{Text: "europol", Kinds: []domain.Kind{domain.KindAgreement}})
		if err != nil || len(hits) != 1 || hits[0].Node.ID != "agreement:ecuador-europol" {
			t.Fatalf("got %v, %v", hits, err)
		}
	})
	t.Run("invalid", func(t *testing.T) {
		_, err := s.Search(ctx, domain.SearchQuery{Text: "+++"})
		wantCode(t, err, domain.EINVALID)
	})
}

func TestErrors(t *testing.T) {
	s := seeded(t, testGraph())
	ctx := context.Background()
	_, err := s.Node(ctx, "country:atlantis")
	wantCode(t, err, domain.ENOTFOUND)
	if msg := domain.ErrorMessage(err); msg != `no node with id "country:atlantis"` {
		t.Errorf("message %q", msg)
	}
	_, err = s.Node(ctx, "atlantis")
	wantCode(t, err, domain.EINVALID)
	_, err = s.Paths(ctx, domain.PathQuery{From: "country:ecuador", To: "country:atlantis", MaxHops: 3, Limit: 3})
	wantCode(t, err, domain.ENOTFOUND)
	_, err = s.Cooperation(ctx, domain.CooperationQuery{Actor: "country:atlantis"})
	wantCode(t, err, domain.ENOTFOUND)

	t.Run("expired context", func(t *testing.T) {
		ctx, cancel := context.WithDeadline(ctx, time.Now().Add(-time.Second))
		defer cancel()
		_, err := s.Node(ctx, "country:ecuador")
		wantCode(t, err, domain.EUNAVAILABLE)
	})
}

func TestUnreachable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// Port 1 on loopback refuses connections at once. The message reaches
	// API users (EUNAVAILABLE, /readyz): it names neither the server's
	// address nor the password; the log names the server for the operator.
	var log bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&log, nil))
	_, err := neo4j.Open(ctx, neo4j.Config{URI: "bolt://127.0.0.1:1", User: "neo4j", Password: "secret-pw"}, logger)
	wantCode(t, err, domain.EUNAVAILABLE)
	msg := domain.ErrorMessage(err)
	for _, secret := range []string{"127.0.0.1", ":1", "secret-pw"} {
		if strings.Contains(msg, secret) {
			t.Errorf("got message %q, want it without %q", msg, secret)
		}
	}
	if !strings.Contains(log.String(), "bolt://127.0.0.1:1") || strings.Contains(log.String(), "secret-pw") {
		t.Errorf("got log %q, want it to name the server and not the password", log.String())
	}
}

// TestSameAnswersAsMemstore runs the shared transcript on the small graph
// against both stores.
func TestSameAnswersAsMemstore(t *testing.T) {
	g := testGraph()
	s := seeded(t, g)
	mem, err := memstore.New(testGraph())
	if err != nil {
		t.Fatalf("memstore.New: %v", err)
	}
	storetest.Compare(t, storetest.Transcript(t, s, g), storetest.Transcript(t, mem, g))
}

// TestConformance runs the shared suite on the shipped dataset.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(tb testing.TB, g *domain.Graph) domain.Store { return seeded(tb, g) })
}

// TestShippedSameAnswersAsMemstore compares full transcripts of both stores
// over the shipped dataset.
func TestShippedSameAnswersAsMemstore(t *testing.T) {
	g := storetest.ShippedGraph(t)
	s := seeded(t, g)
	mem, err := memstore.New(g)
	if err != nil {
		t.Fatalf("memstore.New: %v", err)
	}
	got, want := storetest.Transcript(t, s, g), storetest.Transcript(t, mem, g)
	t.Logf("%d transcript lines", len(want))
	storetest.Compare(t, got, want)
}

func BenchmarkQueries(b *testing.B) {
	storetest.Benchmark(b, seeded(b, storetest.ShippedGraph(b)))
}

// TestShippedSameAnalysesAsMemstore proves centrality and brokerage agree on
// both stores: the analyses run on what each store's Graph returns.
func TestShippedSameAnalysesAsMemstore(t *testing.T) {
	g := storetest.ShippedGraph(t)
	s := seeded(t, g)
	mem, err := memstore.New(g)
	if err != nil {
		t.Fatalf("memstore.New: %v", err)
	}
	got, want := storetest.AnalysisTranscript(t, s), storetest.AnalysisTranscript(t, mem)
	t.Logf("%d analysis lines", len(want))
	storetest.Compare(t, got, want)
}
