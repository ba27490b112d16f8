package storetest

import (
	"context"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// invalidCase is a call the store must refuse with EINVALID. validate runs
// the query's own Validate on a copy, whose message the store must pass on
// unchanged: it is the one that tells the user what to fix.
type invalidCase struct {
	name     string
	call     func() error
	validate func() error
}

func testInvalidInput(ctx context.Context, t *testing.T, s domain.Store) {
	search := func(q domain.SearchQuery) invalidCase {
		return invalidCase{call: func() error { _, err := s.Search(ctx, q); return err }, validate: q.Validate}
	}
	find := func(f domain.NodeFilter) invalidCase {
		return invalidCase{call: func() error { _, err := s.FindNodes(ctx, f); return err }, validate: f.Validate}
	}
	related := func(q domain.RelatedQuery) invalidCase {
		return invalidCase{call: func() error { _, err := s.Related(ctx, q); return err }, validate: q.Validate}
	}
	neighborhood := func(q domain.NeighborhoodQuery) invalidCase {
		return invalidCase{call: func() error { _, err := s.Neighborhood(ctx, q); return err }, validate: q.Validate}
	}
	graph := func(q domain.GraphQuery) invalidCase {
		return invalidCase{call: func() error { _, err := s.Graph(ctx, q); return err }, validate: q.Validate}
	}
	paths := func(q domain.PathQuery) invalidCase {
		return invalidCase{call: func() error { _, err := s.Paths(ctx, q); return err }, validate: q.Validate}
	}
	cooperation := func(q domain.CooperationQuery) invalidCase {
		return invalidCase{call: func() error { _, err := s.Cooperation(ctx, q); return err }, validate: q.Validate}
	}
	common := func(q domain.CommonConnectionsQuery) invalidCase {
		return invalidCase{call: func() error { _, err := s.CommonConnections(ctx, q); return err }, validate: q.Validate}
	}
	coParticipation := func(q domain.CoParticipationQuery) invalidCase {
		return invalidCase{call: func() error { _, err := s.CoParticipation(ctx, q); return err }, validate: q.Validate}
	}
	timeline := func(q domain.TimelineQuery) invalidCase {
		return invalidCase{call: func() error { _, err := s.Timeline(ctx, q); return err }, validate: q.Validate}
	}
	named := func(name string, c invalidCase) invalidCase { c.name = name; return c }
	const hu, es = "country:hungary", "country:spain"
	tooMany := make([]string, domain.MaxQueryIDs+1)
	tooManyTopics := make([]string, domain.MaxQueryIDs+1)
	for i := range tooMany {
		tooMany[i] = "country:c" + strings.Repeat("x", i+1)
		tooManyTopics[i] = "topic:t" + strings.Repeat("x", i+1)
	}
	cases := []invalidCase{
		named("search empty", search(domain.SearchQuery{Text: "  "})),
		named("search punctuation", search(domain.SearchQuery{Text: "+++"})),
		named("search first 500", search(domain.SearchQuery{Text: "eu", First: 500})),
		named("search bad kind", search(domain.SearchQuery{Text: "eu", Kinds: []domain.Kind{"Planet"}})),
		named("find first -1", find(domain.NodeFilter{First: -1})),

		named("neighborhood depth 50", neighborhood(domain.NeighborhoodQuery{Root: hu, Depth: 50})),
		named("neighborhood depth 0", neighborhood(domain.NeighborhoodQuery{Root: hu, Depth: 0})),
		named("neighborhood bad root", neighborhood(domain.NeighborhoodQuery{Root: "hungary", Depth: 1})),
		named("neighborhood bad relation type", neighborhood(domain.NeighborhoodQuery{Root: hu, Depth: 1, RelationTypes: []domain.RelationType{"LIKES"}})),
		named("neighborhood bad kind", neighborhood(domain.NeighborhoodQuery{Root: hu, Depth: 1, Kinds: []domain.Kind{"Planet"}})),
		named("neighborhood topic that is no topic", neighborhood(domain.NeighborhoodQuery{Root: hu, Depth: 1, Topic: es})),
		named("neighborhood malformed topic", neighborhood(domain.NeighborhoodQuery{Root: hu, Depth: 1, Topic: "maritime"})),

		named("graph topic that is no topic", graph(domain.GraphQuery{Topic: "programme:el-paccto"})),
		named("graph bad kind", graph(domain.GraphQuery{Kinds: []domain.Kind{"Planet"}})),
		named("graph bad relation type", graph(domain.GraphQuery{RelationTypes: []domain.RelationType{"LIKES"}})),

		named("paths maxHops 9", paths(domain.PathQuery{From: hu, To: es, MaxHops: 9, Limit: 5})),
		named("paths maxHops 0", paths(domain.PathQuery{From: hu, To: es, MaxHops: 0, Limit: 5})),
		named("paths same ends", paths(domain.PathQuery{From: hu, To: hu, MaxHops: 2, Limit: 5})),
		named("paths bad id", paths(domain.PathQuery{From: "hungary", To: es, MaxHops: 2, Limit: 5})),
		named("paths bad mode", paths(domain.PathQuery{From: hu, To: es, MaxHops: 2, Limit: 5, Mode: "LONGEST"})),
		named("paths k-shortest too long", paths(domain.PathQuery{From: hu, To: es, MaxHops: domain.MaxSimplePathHops + 1, Limit: 5, Mode: domain.PathKShortest})),
		named("paths all-simple too long", paths(domain.PathQuery{From: hu, To: es, MaxHops: domain.MaxSimplePathHops + 1, Limit: 5, Mode: domain.PathAllSimple})),
		named("paths limit 0", paths(domain.PathQuery{From: hu, To: es, MaxHops: 2})),
		named("paths limit 101", paths(domain.PathQuery{From: hu, To: es, MaxHops: 2, Limit: domain.MaxPageSize + 1})),
		named("paths avoid an end", paths(domain.PathQuery{From: hu, To: es, MaxHops: 2, Limit: 5, Avoid: []string{es}})),
		named("paths bad avoid id", paths(domain.PathQuery{From: hu, To: es, MaxHops: 2, Limit: 5, Avoid: []string{"spain"}})),
		named("paths avoid too many", paths(domain.PathQuery{From: hu, To: es, MaxHops: 2, Limit: 5, Avoid: tooMany})),
		named("paths topic that is no topic", paths(domain.PathQuery{From: hu, To: es, MaxHops: 2, Limit: 5, Topics: []string{"event:iii-round-table-2023"}})),
		named("paths too many topics", paths(domain.PathQuery{From: hu, To: es, MaxHops: 2, Limit: 5, Topics: tooManyTopics})),
		named("paths bad relation type", paths(domain.PathQuery{From: hu, To: es, MaxHops: 2, Limit: 5, RelationTypes: []domain.RelationType{"LIKES"}})),

		named("cooperation topic that is no topic", cooperation(domain.CooperationQuery{Actor: "country:ecuador", Topic: es})),
		named("cooperation not an actor", cooperation(domain.CooperationQuery{Actor: "topic:maritime-security"})),
		named("cooperation bad partner", cooperation(domain.CooperationQuery{Actor: "country:ecuador", Partner: "spain"})),

		named("related no ids", related(domain.RelatedQuery{})),
		named("related bad id", related(domain.RelatedQuery{RelationFilter: domain.RelationFilter{NodeIDs: []string{hu, "spain"}}})),
		named("related bad direction", related(domain.RelatedQuery{RelationFilter: domain.RelationFilter{NodeIDs: []string{hu}, Direction: "UP"}})),
		named("related bad relation type", related(domain.RelatedQuery{RelationFilter: domain.RelationFilter{NodeIDs: []string{hu}, Types: []domain.RelationType{"LIKES"}}})),

		named("common one id", common(domain.CommonConnectionsQuery{IDs: []string{hu}})),
		named("common no ids", common(domain.CommonConnectionsQuery{})),
		named("common too many ids", common(domain.CommonConnectionsQuery{IDs: tooMany})),
		named("common id twice", common(domain.CommonConnectionsQuery{IDs: []string{hu, es, hu}})),
		named("common bad id", common(domain.CommonConnectionsQuery{IDs: []string{hu, "spain"}})),
		named("common bad kind", common(domain.CommonConnectionsQuery{IDs: []string{hu, es}, Kinds: []domain.Kind{"Planet"}})),
		named("common bad relation type", common(domain.CommonConnectionsQuery{IDs: []string{hu, es}, RelationTypes: []domain.RelationType{"LIKES"}})),
		named("common first 101", common(domain.CommonConnectionsQuery{IDs: []string{hu, es}, First: domain.MaxPageSize + 1})),

		named("co-participation venue kind", coParticipation(domain.CoParticipationQuery{Kinds: []domain.Kind{domain.KindProgramme}})),
		named("co-participation bad kind", coParticipation(domain.CoParticipationQuery{Kinds: []domain.Kind{"Planet"}})),
		named("co-participation topic that is no topic", coParticipation(domain.CoParticipationQuery{Topic: hu})),
		named("co-participation first -1", coParticipation(domain.CoParticipationQuery{First: -1})),

		named("timeline bad actor", timeline(domain.TimelineQuery{Actor: "ecuador"})),
		named("timeline to before from", timeline(domain.TimelineQuery{From: "2023-10", To: "2023-09-30"})),
		named("timeline first 101", timeline(domain.TimelineQuery{First: domain.MaxPageSize + 1})),
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := c.validate()
			if domain.ErrorCode(want) != domain.EINVALID {
				t.Fatalf("the case is valid (%v); the test needs an invalid query", want)
			}
			err := c.call()
			wantCode(t, err, domain.EINVALID)
			if got, want := domain.ErrorMessage(err), domain.ErrorMessage(want); got != want {
				t.Errorf("message: got %q, want %q", got, want)
			}
		})
	}
}

// testNotFound checks that well-formed IDs naming no node are reported as
// ENOTFOUND by every query that takes IDs.
func testNotFound(ctx context.Context, t *testing.T, s domain.Store) {
	const (
		nowhere = "country:atlantis"
		noTopic = "topic:alchemy"
		hu, es  = "country:hungary", "country:spain"
	)
	cases := []struct {
		name string
		call func() error
	}{
		{"node", func() error { _, err := s.Node(ctx, nowhere); return err }},
		{"neighborhood root", func() error {
			_, err := s.Neighborhood(ctx, domain.NeighborhoodQuery{Root: nowhere, Depth: 1})
			return err
		}},
		{"neighborhood topic", func() error {
			_, err := s.Neighborhood(ctx, domain.NeighborhoodQuery{Root: hu, Depth: 1, Topic: noTopic})
			return err
		}},
		{"graph topic", func() error { _, err := s.Graph(ctx, domain.GraphQuery{Topic: noTopic}); return err }},
		{"paths to", func() error {
			_, err := s.Paths(ctx, domain.PathQuery{From: hu, To: nowhere, MaxHops: 4, Limit: 5})
			return err
		}},
		{"paths from", func() error {
			_, err := s.Paths(ctx, domain.PathQuery{From: nowhere, To: hu, MaxHops: 4, Limit: 5, Mode: domain.PathAllSimple})
			return err
		}},
		{"paths topic", func() error {
			_, err := s.Paths(ctx, domain.PathQuery{From: hu, To: es, MaxHops: 4, Limit: 5, Topics: []string{"topic:maritime-security", noTopic}})
			return err
		}},
		{"paths avoid", func() error {
			_, err := s.Paths(ctx, domain.PathQuery{From: hu, To: es, MaxHops: 4, Limit: 5, Mode: domain.PathKShortest, Avoid: []string{nowhere}})
			return err
		}},
		{"cooperation actor", func() error {
			_, err := s.Cooperation(ctx, domain.CooperationQuery{Actor: nowhere})
			return err
		}},
		{"cooperation topic", func() error {
			_, err := s.Cooperation(ctx, domain.CooperationQuery{Actor: hu, Topic: noTopic})
			return err
		}},
		{"cooperation partner", func() error {
			_, err := s.Cooperation(ctx, domain.CooperationQuery{Actor: hu, Partner: nowhere})
			return err
		}},
		{"common connections id", func() error {
			_, err := s.CommonConnections(ctx, domain.CommonConnectionsQuery{IDs: []string{hu, nowhere}})
			return err
		}},
		{"co-participation topic", func() error {
			_, err := s.CoParticipation(ctx, domain.CoParticipationQuery{Topic: noTopic})
			return err
		}},
		{"timeline actor", func() error { _, err := s.Timeline(ctx, domain.TimelineQuery{Actor: nowhere}); return err }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.call()
			wantCode(t, err, domain.ENOTFOUND)
			if msg := domain.ErrorMessage(err); !strings.Contains(msg, "atlantis") && !strings.Contains(msg, "alchemy") {
				t.Errorf("message %q should name the missing id", msg)
			}
		})
	}
}

// testCancelled checks that every query gives up on a cancelled context
// instead of answering: the Store contract says each method honours it.
func testCancelled(t *testing.T, s domain.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	const hu, es = "country:hungary", "country:spain"
	cases := []struct {
		name string
		call func() error
	}{
		{"neighborhood", func() error {
			_, err := s.Neighborhood(ctx, domain.NeighborhoodQuery{Root: hu, Depth: 2, Topic: "topic:maritime-security", AsOf: "2023-09-27"})
			return err
		}},
		{"graph", func() error { _, err := s.Graph(ctx, domain.GraphQuery{AsOf: "2023-09-27"}); return err }},
		{"paths shortest", func() error {
			_, err := s.Paths(ctx, domain.PathQuery{From: hu, To: es, MaxHops: 6, Limit: 10})
			return err
		}},
		{"paths k-shortest", func() error {
			_, err := s.Paths(ctx, domain.PathQuery{From: hu, To: es, MaxHops: 4, Limit: 10, Mode: domain.PathKShortest})
			return err
		}},
		{"paths all simple", func() error {
			_, err := s.Paths(ctx, domain.PathQuery{From: hu, To: es, MaxHops: 4, Limit: 10, Mode: domain.PathAllSimple})
			return err
		}},
		{"cooperation", func() error {
			_, err := s.Cooperation(ctx, domain.CooperationQuery{Actor: hu, AsOf: "2023-09-27"})
			return err
		}},
		{"common connections", func() error {
			_, err := s.CommonConnections(ctx, domain.CommonConnectionsQuery{IDs: []string{hu, es}})
			return err
		}},
		{"co-participation", func() error { _, err := s.CoParticipation(ctx, domain.CoParticipationQuery{}); return err }},
		{"timeline", func() error { _, err := s.Timeline(ctx, domain.TimelineQuery{}); return err }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := c.call(); err == nil {
				t.Errorf("got an answer on a cancelled context, want an error")
			}
		})
	}
}
