package neo4j_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// TestCheck breaks the database the ways an outage or an operator can and
// checks that Check names each, and that Setup and Seed make it ready again.
func TestCheck(t *testing.T) {
	g := testGraph()
	s := seeded(t, g)
	ctx := context.Background()
	restore := func(tb testing.TB) {
		tb.Helper()
		if err := s.Setup(ctx); err != nil {
			tb.Fatalf("Setup: %v", err)
		}
		if err := s.Seed(ctx, g); err != nil {
			tb.Fatalf("Seed: %v", err)
		}
	}
	t.Cleanup(func() { restore(t) })

	cases := []struct {
		name       string
		breakIt    []string // Cypher run before the check
		want       string   // version asked for; g's when empty
		wantReason string   // "" for ready
	}{
		{name: "seeded", wantReason: ""},
		{name: "another version", want: "someone-else", wantReason: domain.ReasonOtherData},
		{name: "no version recorded, same data", breakIt: []string{`MATCH (d:Dataset) DELETE d`}, wantReason: ""},
		{name: "no version recorded, other data", breakIt: []string{`MATCH (d:Dataset) DELETE d`, `MATCH (n:Stakeholder) WITH n LIMIT 1 DETACH DELETE n`}, wantReason: domain.ReasonOtherData},
		{name: "emptied", breakIt: []string{`MATCH (n) DETACH DELETE n`}, wantReason: domain.ReasonNoData},
		{name: "emptied but the version node", breakIt: []string{`MATCH (n:Stakeholder) DETACH DELETE n`}, wantReason: domain.ReasonNoData},
		{name: "a relation deleted", breakIt: []string{`MATCH (:Stakeholder)-[r]->() WITH r LIMIT 1 DELETE r`}, wantReason: domain.ReasonNoData},
		{name: "no search index", breakIt: []string{`DROP INDEX stakeholder_search`}, wantReason: domain.ReasonNoSchema},
		{name: "no uniqueness constraint", breakIt: []string{`DROP CONSTRAINT stakeholder_id`}, wantReason: domain.ReasonNoSchema},
		{name: "restarted empty", breakIt: []string{`MATCH (n) DETACH DELETE n`, `DROP INDEX stakeholder_search`, `DROP CONSTRAINT stakeholder_id`}, wantReason: domain.ReasonNoData},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			restore(t)
			for _, stmt := range c.breakIt {
				cypher(t, stmt, nil)
			}
			want := c.want
			if want == "" {
				want = g.Version()
			}
			err := s.Check(ctx, want)
			if got := domain.NotReadyReason(err); got != c.wantReason {
				t.Fatalf("Check: got reason %q (%v), want %q", got, err, c.wantReason)
			}
			if err == nil {
				return
			}
			if got, want := domain.ErrorCode(err), domain.EUNAVAILABLE; got != want {
				t.Errorf("Check: got code %s, want %s", got, want)
			}
			if msg := domain.ErrorMessage(err); !strings.Contains(msg, "stakegraph seed") || strings.Contains(msg, "bolt:") {
				t.Errorf("Check message %q: want it to say how to recover (stakegraph seed) and not name the URI", msg)
			}
			restore(t)
			if err := s.Check(ctx, g.Version()); err != nil {
				t.Errorf("Check after Setup and Seed: got %v, want ready", err)
			}
		})
	}
}
