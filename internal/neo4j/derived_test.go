package neo4j_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/neo4j"
)

// cypher runs one statement on the test server with a driver of its own,
// to look at what the store wrote or to change it behind the store's back.
func cypher(tb testing.TB, stmt string, params map[string]any) []*driver.Record {
	tb.Helper()
	return cypherOn(tb, config(tb), stmt, params)
}

// cypherOn is cypher on the server cfg names.
func cypherOn(tb testing.TB, cfg neo4j.Config, stmt string, params map[string]any) []*driver.Record {
	tb.Helper()
	auth := driver.NoAuth()
	if cfg.User != "" || cfg.Password != "" {
		auth = driver.BasicAuth(cfg.User, cfg.Password, "")
	}
	d, err := driver.NewDriverWithContext(cfg.URI, auth)
	if err != nil {
		tb.Fatalf("driver: %v", err)
	}
	ctx := context.Background()
	defer func() { _ = d.Close(ctx) }()
	res, err := driver.ExecuteQuery(ctx, d, stmt, params, driver.EagerResultTransformer,
		driver.ExecuteQueryWithDatabase(cfg.Database))
	if err != nil {
		tb.Fatalf("%s: %v", stmt, err)
	}
	return res.Records
}

// storedDerived reads the derived scope properties of every relation as
// "topics|startKey|endKey", keyed by relation ID.
func storedDerived(tb testing.TB) map[string]string {
	tb.Helper()
	return storedDerivedOn(tb, config(tb))
}

// storedDerivedOn is storedDerived on the server cfg names.
func storedDerivedOn(tb testing.TB, cfg neo4j.Config) map[string]string {
	tb.Helper()
	out := map[string]string{}
	for _, rec := range cypherOn(tb, cfg, `MATCH (:Stakeholder)-[r]->(:Stakeholder)
		RETURN r.id, coalesce(r.topics, []), coalesce(r.startKey, ''), coalesce(r.endKey, '')`, nil) {
		id, _ := rec.Values[0].(string)
		out[id] = fmt.Sprintf("%v|%v|%v", rec.Values[1], rec.Values[2], rec.Values[3])
	}
	return out
}

// wantDerived computes what storedDerived must read for g, from the
// domain's definitions.
func wantDerived(g *domain.Graph) map[string]string {
	concerns := domain.ConcernedTopics(g)
	out := map[string]string{}
	for _, r := range g.Relations {
		topics := make([]any, len(concerns[r.ID]))
		for i, t := range concerns[r.ID] {
			topics[i] = t
		}
		out[r.ID] = fmt.Sprintf("%v|%v|%v", topics, r.Start.Earliest(), r.End.Latest())
	}
	return out
}

// datedGraph is testGraph with dates of every precision on some relations,
// so the asOf boundaries have something to cut.
func datedGraph() *domain.Graph {
	g := testGraph()
	dates := map[string][2]domain.PartialDate{
		"country:hungary|ATTENDED|event:iii-round-table-2023":          {"2023-09-26", "2023-09-27"},
		"country:ecuador|PARTY_TO|agreement:ecuador-europol":           {"2022-05", "2023-10-26"},
		"organization:europol|PARTY_TO|agreement:ecuador-europol":      {"2023-10-26", ""},
		"country:ecuador|PARTICIPATES_IN|programme:el-paccto":          {"2017", "2023"},
		"programme:cyber4dev|SUCCEEDED_BY|programme:glacy-plus":        {"", "2020-02"},
		"event:iii-round-table-2023|ADDRESSES|topic:maritime-security": {"2023-09-26", ""},
	}
	for _, r := range g.Relations {
		if d, ok := dates[r.ID]; ok {
			r.Start, r.End = d[0], d[1]
		}
	}
	return g
}

func TestDerivedProperties(t *testing.T) {
	g := datedGraph()
	seeded(t, g)
	if got, want := storedDerived(t), wantDerived(g); !mapsEqual(got, want) {
		t.Fatalf("derived properties:\n got %v\nwant %v", got, want)
	}

	t.Run("re-seed recomputes them", func(t *testing.T) {
		// Without SEACOP addressing maritime security, Spain's support for
		// SEACOP no longer concerns it: a property of one relation that
		// depends on another.
		g := datedGraph()
		g.Relations = slices.DeleteFunc(g.Relations, func(r *domain.Relation) bool {
			return r.ID == "programme:seacop|ADDRESSES|topic:maritime-security"
		})
		for _, r := range g.Relations {
			if r.ID == "country:hungary|ATTENDED|event:iii-round-table-2023" {
				r.Start, r.End = "2023", ""
			}
		}
		seeded(t, g)
		got, want := storedDerived(t), wantDerived(g)
		if !mapsEqual(got, want) {
			t.Fatalf("derived properties after re-seed:\n got %v\nwant %v", got, want)
		}
		if support := got["country:spain|SUPPORTS|programme:seacop"]; strings.Contains(support, "maritime") {
			t.Errorf("Spain's support for SEACOP still concerns maritime security: %s", support)
		}
	})
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestVersion(t *testing.T) {
	ctx := context.Background()
	g := testGraph()
	s := seeded(t, g)
	version := func() string {
		t.Helper()
		v, err := s.Version(ctx)
		if err != nil {
			t.Fatalf("Version: %v", err)
		}
		return v
	}
	if got, want := version(), g.Version(); got != want {
		t.Fatalf("version after seed: got %s, want %s", got, want)
	}

	changed := testGraph()
	changed.Relations[0].Note = "a note added since"
	if err := s.Seed(ctx, changed); err != nil {
		t.Fatalf("Seed: %v", err)
	}
	if got, want := version(), changed.Version(); got != want || got == g.Version() {
		t.Fatalf("version after re-seed: got %s, want %s (and not the old %s)", got, want, g.Version())
	}

	t.Run("failed seed keeps it", func(t *testing.T) {
		broken := testGraph()
		broken.Relations[0].To = "event:nowhere"
		if err := s.Seed(ctx, broken); err == nil {
			t.Fatalf("seeding a dangling relation succeeded")
		}
		if got, want := version(), changed.Version(); got != want {
			t.Fatalf("version after failed seed: got %s, want %s", got, want)
		}
	})

	t.Run("database seeded without a version", func(t *testing.T) {
		cypher(t, `MATCH (d:Dataset) DELETE d`, nil)
		if got, want := version(), changed.Version(); got != want {
			t.Fatalf("computed version: got %s, want %s", got, want)
		}
	})
}

// TestScopeAgreesWithDomain checks the Cypher scope predicate against
// domain.Scope.Allows on every relation, at dates on and around each
// boundary of the dated graph, for each topic.
func TestScopeAgreesWithDomain(t *testing.T) {
	g := datedGraph()
	s := seeded(t, g)
	ctx := context.Background()
	concerns := domain.ConcernedTopics(g)
	var days []domain.PartialDate
	for _, r := range g.Relations {
		for _, d := range []domain.PartialDate{r.Start, r.End} {
			if d != "" {
				days = append(days, d, domain.PartialDate(d.Earliest()), domain.PartialDate(d.Latest()), d[:4])
			}
		}
	}
	days = append(days, "", "2016", "2020-02-29", "2020-03-01", "2023-10-25", "2023-10-27", "2030")
	var topics []string
	for _, n := range g.Nodes {
		if n.Kind == domain.KindTopic {
			topics = append(topics, n.ID)
		}
	}
	for _, day := range days {
		for _, topic := range append([]string{""}, topics...) {
			q := domain.GraphQuery{AsOf: day, Topic: topic}
			sub, err := s.Graph(ctx, q)
			if err != nil {
				t.Fatalf("Graph(%+v): %v", q, err)
			}
			var want []string
			for _, r := range g.Relations {
				if q.Scope().Allows(r, concerns[r.ID]) {
					want = append(want, r.ID)
				}
			}
			slices.Sort(want)
			var got []string
			for _, r := range sub.Relations {
				got = append(got, r.ID)
			}
			if !slices.Equal(got, want) {
				t.Errorf("asOf %q topic %q:\n got %v\nwant %v", day, topic, got, want)
			}
		}
	}
}
