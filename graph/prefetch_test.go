package graph_test

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// relationsCheck says which relations one aliased relations field of one
// root field must list: those the store's Relations gives for the filter.
type relationsCheck struct {
	root, field string
	filter      domain.RelationFilter
}

func TestRootRelationsCostOneStoreCall(t *testing.T) {
	// The root node and stakeholder fields that select their relations
	// are answered before execution by one Related call (one statement on
	// Neo4j); what the lookahead does not cover goes through the loaders.
	const rel = `{ id node { id name } evidence { quote source { name url } } }`
	es, ec := "country:spain", "country:ecuador"
	one := func(id string, dir domain.Direction, types ...domain.RelationType) domain.RelationFilter {
		return domain.RelationFilter{NodeIDs: []string{id}, Direction: dir, Types: types}
	}
	for _, tc := range []struct {
		name      string
		query     string
		vars      map[string]any
		wantCalls map[string]int
		checks    []relationsCheck
	}{
		{
			name:      "a stakeholder with its relations",
			query:     `{ s: stakeholder(id: "country:spain") { id name relations ` + rel + ` } }`,
			wantCalls: map[string]int{"Related": 1},
			checks:    []relationsCheck{{"s", "relations", one(es, domain.DirectionBoth)}},
		},
		{
			name: "aliases, directions, types and fragments",
			query: `{ a: stakeholder(id: "country:spain") { out: relations(direction: OUT) ` + rel + `
					members: relations(types: [MEMBER_OF, PARTY_TO]) ` + rel + ` }
				b: node(id: "country:ecuador") { ... on Country { incoming: relations(direction: IN, types: PART_OF) ` + rel + ` } } }`,
			wantCalls: map[string]int{"Related": 1},
			checks: []relationsCheck{
				{"a", "out", one(es, domain.DirectionOut)},
				{"a", "members", one(es, domain.DirectionBoth, domain.RelMemberOf, domain.RelPartyTo)},
				{"b", "incoming", one(ec, domain.DirectionIn, domain.RelPartOf)},
			},
		},
		{
			name: "arguments in variables",
			query: `query($dir: Direction, $types: [RelationType!]) {
				s: stakeholder(id: "country:ecuador") { r: relations(direction: $dir, types: $types) ` + rel + ` } }`,
			vars:      map[string]any{"dir": "OUT", "types": []string{"PARTICIPATES_IN", "MEMBER_OF"}},
			wantCalls: map[string]int{"Related": 1},
			checks:    []relationsCheck{{"s", "r", one(ec, domain.DirectionOut, domain.RelParticipatesIn, domain.RelMemberOf)}},
		},
		{
			name:      "a sibling without relations",
			query:     `{ a: stakeholder(id: "country:spain") { name } b: stakeholder(id: "country:ecuador") { relations(direction: OUT) ` + rel + ` } }`,
			wantCalls: map[string]int{"Nodes": 1, "Related": 1},
			checks:    []relationsCheck{{"b", "relations", one(ec, domain.DirectionOut)}},
		},
		{
			name:      "skipped relations",
			query:     `{ s: stakeholder(id: "country:spain") { name relations @skip(if: true) { id } } }`,
			wantCalls: map[string]int{"Nodes": 1},
		},
		{
			name:      "a typed relation field goes through the loaders",
			query:     `{ s: stakeholder(id: "country:spain") { ... on Country { m: memberOf ` + rel + ` } } }`,
			wantCalls: map[string]int{"Nodes": 2, "Relations": 1},
			checks:    []relationsCheck{{"s", "m", one(es, domain.DirectionOut, domain.RelMemberOf)}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := newCountingStore(shippedStore(t))
			data := mustData[map[string]map[string]json.RawMessage](t, postWithin(t, settledHandler(store), tc.query, tc.vars))
			if got := store.snapshot(); !maps.Equal(got, tc.wantCalls) {
				t.Errorf("got store calls %v, want %v", got, tc.wantCalls)
			}
			for _, c := range tc.checks {
				checkRelations(t, shippedStore(t), c, data[c.root][c.field])
			}
		})
	}
}

func TestRootRelationsOfAMissingNode(t *testing.T) {
	store := newCountingStore(shippedStore(t))
	resp := postWithin(t, settledHandler(store), `{ stakeholder(id: "country:atlantis") { relations { id } } }`, nil)
	var codes []string
	for _, e := range resp.Errors {
		codes = append(codes, e.code())
	}
	if !slices.Equal(codes, []string{"ENOTFOUND"}) {
		t.Errorf("got error codes %v, want [ENOTFOUND]", codes)
	}
	if got, want := store.snapshot(), map[string]int{"Related": 1}; !maps.Equal(got, want) {
		t.Errorf("got store calls %v, want %v", got, want)
	}
}

// checkRelations compares one answered relations list with the store's
// Relations for the same filter, and checks every relation came with its
// other end and its evidence's sources.
func checkRelations(tb testing.TB, store domain.Store, c relationsCheck, raw json.RawMessage) {
	tb.Helper()
	var got []struct {
		ID       string
		Node     struct{ ID, Name string }
		Evidence []struct {
			Quote  string
			Source struct{ Name string }
		}
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		tb.Fatalf("%s.%s: %v in %s", c.root, c.field, err, raw)
	}
	rels, err := store.Relations(context.Background(), c.filter)
	if err != nil {
		tb.Fatalf("Relations(%v): %v", c.filter, err)
	}
	if len(rels) == 0 {
		tb.Fatalf("%s.%s: the dataset has no relations for %v; the test needs some", c.root, c.field, c.filter)
	}
	var gotIDs, wantIDs []string
	for _, r := range rels {
		wantIDs = append(wantIDs, r.ID)
	}
	for _, r := range got {
		gotIDs = append(gotIDs, r.ID)
		if r.Node.Name == "" || len(r.Evidence) == 0 {
			tb.Errorf("%s.%s: relation %s has node %+v and %d evidence, want a named node and evidence", c.root, c.field, r.ID, r.Node, len(r.Evidence))
		}
		for _, e := range r.Evidence {
			if e.Source.Name == "" {
				tb.Errorf("%s.%s: relation %s cites a source without a name", c.root, c.field, r.ID)
			}
		}
	}
	if !slices.Equal(gotIDs, wantIDs) {
		tb.Errorf("%s.%s: got relations %v, want %v", c.root, c.field, gotIDs, wantIDs)
	}
}
