package domain_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// randomEngagements engages actors in venues at random, some twice.
func randomEngagements(rng *rand.Rand, actors, venues, n int) []domain.Engagement {
	var out []domain.Engagement
	for range n {
		a := rng.IntN(actors)
		v := rng.IntN(venues)
		out = append(out, domain.Engagement{
			Actor: &domain.Node{ID: fmt.Sprintf("person:a%02d", a), Kind: domain.KindPerson},
			Venue: &domain.Node{ID: fmt.Sprintf("event:v%02d", v), Kind: domain.KindEvent},
		})
	}
	return out
}

// allPairs pairs every two actors by comparing their venue sets, the
// definition PairCoParticipants must meet.
func allPairs(engagements []domain.Engagement) []string {
	venues := map[string][]string{}
	for _, e := range engagements {
		if !slices.Contains(venues[e.Actor.ID], e.Venue.ID) {
			venues[e.Actor.ID] = append(venues[e.Actor.ID], e.Venue.ID)
		}
	}
	var actors []string
	for a := range venues {
		actors = append(actors, a)
	}
	slices.Sort(actors)
	var rows []*domain.CoParticipation
	for i, a := range actors {
		for _, b := range actors[i+1:] {
			row := &domain.CoParticipation{A: &domain.Node{ID: a}, B: &domain.Node{ID: b}, VenuesA: len(venues[a]), VenuesB: len(venues[b])}
			for _, v := range venues[a] {
				if slices.Contains(venues[b], v) {
					row.Shared = append(row.Shared, &domain.Node{ID: v})
				}
			}
			if len(row.Shared) > 0 {
				domain.SortNodes(row.Shared)
				rows = append(rows, row)
			}
		}
	}
	domain.SortCoParticipation(rows)
	return render(rows)
}

func render(rows []*domain.CoParticipation) []string {
	var out []string
	for _, r := range rows {
		var shared []string
		for _, v := range r.Shared {
			shared = append(shared, v.ID)
		}
		out = append(out, fmt.Sprintf("%s+%s %v %d/%d", r.A.ID, r.B.ID, shared, r.VenuesA, r.VenuesB))
	}
	return out
}

func TestPairCoParticipantsMatchesAllPairs(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	for round := range 40 {
		engagements := randomEngagements(rng, 2+rng.IntN(40), 1+rng.IntN(15), rng.IntN(150))
		want := allPairs(engagements)
		for _, first := range []int{1, 2, 3, 7, 20, 100, len(want) + 1} {
			rows, err := domain.PairCoParticipants(context.Background(), engagements, first)
			if err != nil {
				t.Fatal(err)
			}
			if got := render(rows); !slices.Equal(got, want[:min(first, len(want))]) {
				t.Fatalf("round %d, first %d:\ngot  %v\nwant %v", round, first, got, want[:min(first, len(want))])
			}
		}
	}
}

func TestPairCoParticipantsStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	engagements := randomEngagements(rand.New(rand.NewPCG(1, 1)), 10, 3, 30)
	if _, err := domain.PairCoParticipants(ctx, engagements, 10); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}
