package domain_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
)

func TestPathSentence(t *testing.T) {
	hungary := &domain.Node{ID: "country:hungary", Kind: domain.KindCountry, Name: "Hungary"}
	table := &domain.Node{ID: "event:iii-round-table-2023", Kind: domain.KindEvent, Name: "III Round Table"}
	ministry := &domain.Node{ID: "organization:mfa", Kind: domain.KindOrganization, Name: "Ministry of Foreign Affairs"}
	ecuador := &domain.Node{ID: "country:ecuador", Kind: domain.KindCountry, Name: "Ecuador"}
	attended := &domain.Relation{ID: "1", Type: domain.RelAttended, From: hungary.ID, To: table.ID, Role: "EU member state"}
	chaired := &domain.Relation{ID: "2", Type: domain.RelChaired, From: ministry.ID, To: table.ID}
	partOf := &domain.Relation{ID: "3", Type: domain.RelPartOf, From: ministry.ID, To: ecuador.ID}
	party := &domain.Relation{ID: "4", Type: domain.RelPartyTo, From: ecuador.ID, To: "agreement:x", Role: "signatory", Status: "signed"}

	p := &domain.Path{
		Nodes:     []*domain.Node{hungary, table, ministry, ecuador},
		Relations: []*domain.Relation{attended, chaired, partOf},
	}
	want := "Hungary attended III Round Table (role: EU member state), which was chaired by Ministry of Foreign Affairs, which is part of Ecuador."
	if got := p.Sentence(); got != want {
		t.Errorf("Sentence:\n got %q\nwant %q", got, want)
	}
	hops := p.Hops()
	if len(hops) != 3 || !hops[0].Forward || hops[1].Forward || !hops[2].Forward {
		t.Fatalf("Hops: got %d hops with forward %v, want 3 with true, false, true", len(hops), forwards(hops))
	}
	agreement := &domain.Node{ID: "agreement:x", Kind: domain.KindAgreement, Name: "Agreement X"}
	back := domain.Hop{From: agreement, To: ecuador, Relation: party}
	if got, want := back.Sentence(), "Agreement X has as a party Ecuador (role: signatory; status: signed)"; got != want {
		t.Errorf("backward hop:\n got %q\nwant %q", got, want)
	}
	if got := (&domain.Path{Nodes: []*domain.Node{hungary}}).Sentence(); got != "" {
		t.Errorf("empty path sentence: got %q, want empty", got)
	}
}

func forwards(hops []domain.Hop) []bool {
	out := make([]bool, len(hops))
	for i, h := range hops {
		out[i] = h.Forward
	}
	return out
}

func TestPathOrders(t *testing.T) {
	node := func(id string) *domain.Node { return &domain.Node{ID: id} }
	rel := func(id string) *domain.Relation { return &domain.Relation{ID: id} }
	path := func(rels []string, ids ...string) *domain.Path {
		p := &domain.Path{}
		for _, id := range ids {
			p.Nodes = append(p.Nodes, node(id))
		}
		for _, id := range rels {
			p.Relations = append(p.Relations, rel(id))
		}
		return p
	}
	long := path([]string{"r1", "r2", "r3"}, "a:a", "a:b", "a:c", "a:z")
	short := path([]string{"r4", "r5"}, "a:a", "a:d", "a:z")
	shortParallel := path([]string{"r4", "r6"}, "a:a", "a:d", "a:z")
	// ComparePaths: length first; CompareRoutes: node IDs first.
	byLength := []*domain.Path{long, shortParallel, short}
	slices.SortFunc(byLength, domain.ComparePaths)
	if got := []*domain.Path{short, shortParallel, long}; !slices.Equal(byLength, got) {
		t.Errorf("ComparePaths order: got %v, want short, shortParallel, long", routeIDs(byLength))
	}
	byRoute := []*domain.Path{shortParallel, short, long}
	slices.SortFunc(byRoute, domain.CompareRoutes)
	if got := []*domain.Path{long, short, shortParallel}; !slices.Equal(byRoute, got) {
		t.Errorf("CompareRoutes order: got %v, want long (a:b < a:d), short, shortParallel", routeIDs(byRoute))
	}
	if !short.IsSimple() || path(nil, "a:a", "a:b", "a:a").IsSimple() {
		t.Errorf("IsSimple: a simple path must be simple and a revisit must not")
	}
}

func routeIDs(ps []*domain.Path) [][]string {
	var out [][]string
	for _, p := range ps {
		var ids []string
		for _, r := range p.Relations {
			ids = append(ids, r.ID)
		}
		out = append(out, ids)
	}
	return out
}

func TestGraphVersion(t *testing.T) {
	build := func(status string, reversed bool) *domain.Graph {
		g := &domain.Graph{
			Nodes: []*domain.Node{
				{ID: "country:ecuador", Kind: domain.KindCountry, Name: "Ecuador"},
				{ID: "organization:europol", Kind: domain.KindOrganization, Name: "Europol", OrgType: domain.OrgEUAgency},
			},
			Relations: []*domain.Relation{
				{ID: "x", Type: domain.RelCooperatesWith, From: "country:ecuador", To: "organization:europol", Status: status},
				{ID: "y", Type: domain.RelCooperatesWith, From: "organization:europol", To: "country:ecuador"},
			},
		}
		if reversed {
			slices.Reverse(g.Nodes)
			slices.Reverse(g.Relations)
		}
		return g
	}
	a, b, c := build("signed", false).Version(), build("signed", true).Version(), build("negotiating", false).Version()
	if a != b {
		t.Errorf("order changed the version: got %s and %s, want equal", a, b)
	}
	if a == c {
		t.Errorf("a status change kept the version %s, want a new one", a)
	}
}

// TestVersionEncoding pins the digest to SHA-256 of the whole graph encoded
// as one JSON document: versions kept by a seeded Neo4j must stay valid.
func TestVersionEncoding(t *testing.T) {
	g := &domain.Graph{
		Nodes: []*domain.Node{
			{ID: "organization:europol", Kind: domain.KindOrganization, Name: "Europol <EU> & co", OrgType: domain.OrgEUAgency, Aliases: []string{"Agencia"}},
			{ID: "country:ecuador", Kind: domain.KindCountry, Name: "Ecuador"},
		},
		Relations: []*domain.Relation{
			{ID: "y", Type: domain.RelCooperatesWith, From: "organization:europol", To: "country:ecuador", Start: "2023-10"},
			{ID: "x", Type: domain.RelCooperatesWith, From: "country:ecuador", To: "organization:europol", Status: "signed"},
		},
	}
	for _, c := range []struct {
		name string
		g    *domain.Graph
	}{{"two of each", g}, {"empty", &domain.Graph{}}} {
		t.Run(c.name, func(t *testing.T) {
			nodes, rels := slices.Clone(c.g.Nodes), slices.Clone(c.g.Relations)
			domain.SortNodes(nodes)
			domain.SortRelations(rels)
			if nodes == nil {
				nodes = []*domain.Node{}
			}
			if rels == nil {
				rels = []*domain.Relation{}
			}
			var doc bytes.Buffer
			if err := json.NewEncoder(&doc).Encode(struct {
				Nodes     []*domain.Node
				Relations []*domain.Relation
			}{nodes, rels}); err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(doc.Bytes())
			if got, want := c.g.Version(), hex.EncodeToString(sum[:])[:16]; got != want {
				t.Errorf("version: got %s, want %s", got, want)
			}
		})
	}
}
