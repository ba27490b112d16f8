package memstore_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/memstore"
	"github.com/stakegraph/stakegraph/internal/storetest"
)

func nodeStep(before, after *domain.Node) domain.Step {
	st := domain.Step{}
	if before != nil {
		st.Target, st.Before = before.ID, &domain.Entity{Node: before}
	}
	if after != nil {
		st.Target, st.After = after.ID, &domain.Entity{Node: after}
	}
	return st
}

func relationStep(before, after *domain.Relation) domain.Step {
	st := domain.Step{}
	if before != nil {
		st.Target, st.Before = before.ID, &domain.Entity{Relation: before}
	}
	if after != nil {
		st.Target, st.After = after.ID, &domain.Entity{Relation: after}
	}
	return st
}

// transcript is storetest.Transcript without the data version, which a
// derived store is given and a rebuilt one hashes.
func transcript(tb testing.TB, s domain.Store, g *domain.Graph) []string {
	tb.Helper()
	return slices.DeleteFunc(storetest.Transcript(tb, s, g), func(line string) bool { return strings.HasPrefix(line, "version ") })
}

func find[T any](tb testing.TB, list []*T, id string, idOf func(*T) string) *T {
	tb.Helper()
	for _, x := range list {
		if idOf(x) == id {
			return x
		}
	}
	tb.Fatalf("no %s", id)
	return nil
}

// TestApplyMatchesRebuilt applies hand-made changes that reach the corners
// of deriving a store (nodes coming and going next to each other in ID
// order, a topic venues address renamed, a relation moved under its ID,
// statements) one after another, and checks each derived store against one
// built from scratch, and that the store it came from still answers as
// before.
func TestApplyMatchesRebuilt(t *testing.T) {
	g := storetest.HandGraph()
	node := func(id string) *domain.Node { return find(t, g.Nodes, id, func(n *domain.Node) string { return n.ID }) }
	rel := func(id string) *domain.Relation {
		return find(t, g.Relations, id, func(r *domain.Relation) string { return r.ID })
	}
	renamed := func(id, name string) *domain.Node {
		n := *node(id)
		n.Name, n.Aliases = name, []string{"Alias " + name}
		return &n
	}
	evidence := []domain.Evidence{{SourceID: "source:hand", Quote: "by hand"}}
	newRel := func(id, from string, t domain.RelationType, to string) *domain.Relation {
		return &domain.Relation{ID: id, Type: t, From: from, To: to, Confidence: domain.ConfidenceHigh, Evidence: evidence}
	}
	moved := *rel("r10")
	moved.To, moved.Start = "organization:dd", "2020"
	statement := &domain.Statement{ID: "statement:bb-on-tt", Speaker: "organization:bb", About: []string{"topic:tt"}, Stance: domain.StanceSupports,
		Date: "2023-09-01", Confidence: domain.ConfidenceLow, Evidence: domain.Evidence{SourceID: "source:hand", Quote: "by hand"}}
	changes := []struct {
		name  string
		steps func() []domain.Step
	}{
		{"a node gone, others added before it, right after it and first", func() []domain.Step {
			return []domain.Step{
				relationStep(rel("r16"), nil), relationStep(rel("r17"), nil), relationStep(rel("r19"), nil),
				nodeStep(node("country:yy"), nil),
				nodeStep(nil, &domain.Node{ID: "country:yya", Kind: domain.KindCountry, Name: "Yya Land"}),
				nodeStep(nil, &domain.Node{ID: "country:ya", Kind: domain.KindCountry, Name: "Ya Land"}),
				nodeStep(nil, &domain.Node{ID: "agreement:a0", Kind: domain.KindAgreement, Name: "First Accord"}),
				relationStep(nil, newRel("r21", "country:yya", domain.RelPartyTo, "agreement:a0")),
				relationStep(nil, newRel("r22", "country:yya", domain.RelCooperatesWith, "country:aa")),
			}
		}},
		{"a topic that venues address renamed", func() []domain.Step {
			return []domain.Step{nodeStep(node("topic:tt"), renamed("topic:tt", "Tidal Trade"))}
		}},
		{"a relation moved to another end and dated under its ID", func() []domain.Step {
			return []domain.Step{relationStep(rel("r10"), &moved)}
		}},
		{"an ADDRESSES relation gone and another added", func() []domain.Step {
			return []domain.Step{relationStep(rel("r18"), nil), relationStep(nil, newRel("r23", "programme:pp", domain.RelAddresses, "topic:uu"))}
		}},
		{"a statement added", func() []domain.Step {
			return []domain.Step{{Target: statement.ID, After: &domain.Entity{Statement: statement}}}
		}},
		{"the statement gone and the agreement renamed", func() []domain.Step {
			return []domain.Step{{Target: statement.ID, Before: &domain.Entity{Statement: statement}},
				nodeStep(node("agreement:gg"), renamed("agreement:gg", "Grand Accord"))}
		}},
		{"nodes gone at both ends of ID order", func() []domain.Step {
			return []domain.Step{relationStep(rel("r20"), nil), nodeStep(node("person:vv"), nil), nodeStep(node("organization:ww"), nil),
				relationStep(rel("r21"), nil), nodeStep(node("agreement:a0"), nil)}
		}},
	}
	s, err := memstore.New(g)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range changes {
		steps := c.steps()
		before := transcript(t, s, g)
		next, err := s.Apply(steps, "v")
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		after, _ := domain.Replay(g, nil, []*domain.Change{{Steps: steps}}, false)
		rebuilt, err := memstore.New(after)
		if err != nil {
			t.Fatalf("%s: the replayed graph: %v", c.name, err)
		}
		t.Run(c.name, func(t *testing.T) {
			storetest.Compare(t, transcript(t, next, after), transcript(t, rebuilt, after))
			storetest.Compare(t, transcript(t, s, g), before)
			if got, want := mustMarshal(t, next.Data()), mustMarshal(t, after); got != want {
				t.Errorf("Data:\n got %s\nwant %s", got, want)
			}
		})
		s, g = next, after
	}
}

// TestApplyRefusesDanglingRelations checks that a change leaving a
// relation without an end or a source is refused, as NewAt refuses such a graph.
func TestApplyRefusesDanglingRelations(t *testing.T) {
	g := storetest.HandGraph()
	s, err := memstore.New(g)
	if err != nil {
		t.Fatal(err)
	}
	node := func(id string) *domain.Node { return find(t, g.Nodes, id, func(n *domain.Node) string { return n.ID }) }
	cases := []struct {
		name  string
		steps []domain.Step
		want  string
	}{
		{"a node gone with its relations kept", []domain.Step{nodeStep(node("person:vv"), nil)}, "r20"},
		{"a relation to no node", []domain.Step{relationStep(nil, &domain.Relation{ID: "r30", Type: domain.RelCooperatesWith,
			From: "country:aa", To: "country:nowhere", Confidence: domain.ConfidenceHigh,
			Evidence: []domain.Evidence{{SourceID: "source:hand", Quote: "by hand"}}})}, "country:nowhere"},
		{"a cited source gone", []domain.Step{nodeStep(node("source:hand"), nil)}, "source:hand"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.Apply(c.steps, "v")
			if got := domain.ErrorCode(err); got != domain.EINVALID || !strings.Contains(domain.ErrorMessage(err), c.want) {
				t.Errorf("got %s %v, want EINVALID naming %s", got, err, c.want)
			}
		})
	}
}

func mustMarshal(tb testing.TB, v any) string {
	tb.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return string(data)
}
