package domain_test

import (
	"slices"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
)

func TestRollUp(t *testing.T) {
	nodes := map[string]*domain.Node{}
	for _, id := range []string{"country:ec", "country:es", "organization:eu", "organization:arcotel", "organization:ecucert",
		"organization:europol", "organization:fiiapp", "organization:loop-a", "organization:loop-b", "programme:p"} {
		kind, _, err := domain.ParseID(id)
		if err != nil {
			t.Fatal(err)
		}
		nodes[id] = &domain.Node{ID: id, Kind: kind}
	}
	partOf := func(from, to string) *domain.Relation {
		return &domain.Relation{ID: domain.RelationID(from, domain.RelPartOf, to), Type: domain.RelPartOf, From: from, To: to}
	}
	rels := []*domain.Relation{
		partOf("organization:ecucert", "organization:arcotel"),
		partOf("organization:arcotel", "country:ec"),
		partOf("organization:europol", "organization:eu"),
		partOf("organization:fiiapp", "country:es"),
		partOf("organization:fiiapp", "country:ec"), // two parents: the lower ID wins
		partOf("organization:loop-a", "organization:loop-b"),
		partOf("organization:loop-b", "organization:loop-a"),
		partOf("programme:p", "country:ec"), // only organizations roll up
		{ID: "x", Type: domain.RelMemberOf, From: "country:es", To: "organization:eu"},
	}
	u := domain.NewRollUp(rels, func(id string) *domain.Node { return nodes[id] })

	countries := []struct {
		id, want  string
		wantChain int
	}{
		{"organization:ecucert", "country:ec", 2},
		{"organization:arcotel", "country:ec", 1},
		{"organization:fiiapp", "country:ec", 1},
		{"organization:europol", "", 0},
		{"organization:loop-a", "", 0},
		{"programme:p", "", 0},
		{"country:es", "", 0},
	}
	for _, tt := range countries {
		c, chain := u.Country(tt.id)
		got := ""
		if c != nil {
			got = c.ID
		}
		if got != tt.want || len(chain) != tt.wantChain {
			t.Errorf("Country(%s): got %q through %d relations, want %q through %d", tt.id, got, len(chain), tt.want, tt.wantChain)
		}
	}
	if got, want := u.Bodies("country:ec"), []string{"organization:arcotel", "organization:ecucert", "organization:fiiapp"}; !slices.Equal(got, want) {
		t.Errorf("Bodies(country:ec): got %v, want %v", got, want)
	}
	if got := u.Bodies("organization:eu"); !slices.Equal(got, []string{"organization:europol"}) {
		t.Errorf("Bodies(organization:eu): got %v, want [organization:europol]", got)
	}
	if chain, ok := u.Within("organization:ecucert", "organization:arcotel"); !ok || len(chain) != 1 {
		t.Errorf("Within(ecucert, arcotel): got %d relations, %v; want 1, true", len(chain), ok)
	}
	sides := []struct {
		a, b string
		want bool
	}{
		{"country:ec", "organization:ecucert", true},
		{"organization:ecucert", "country:ec", true},
		{"country:ec", "country:ec", true},
		{"country:es", "organization:fiiapp", false},
		{"organization:europol", "country:ec", false},
	}
	for _, tt := range sides {
		if got := u.SameSide(tt.a, tt.b); got != tt.want {
			t.Errorf("SameSide(%s, %s): got %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
