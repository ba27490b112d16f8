package graph_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/internal/domain"
)

// aliased repeats field under n aliases a0 … an-1; field may use %d for the
// alias number.
func aliased(field string, n int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, " a%d: %s", i, strings.ReplaceAll(field, "%d", fmt.Sprint(i)))
	}
	b.WriteString(" }")
	return b.String()
}

func TestRootFieldsPricedByStoreWork(t *testing.T) {
	// Under the default limit, one of each root field is admitted, and the
	// aliases that fanned one request out to hundreds of store queries are
	// refused before any runs.
	h := newHandler(t)
	tests := []struct {
		name  string
		field string
		many  int
	}{
		{"search", `search(query: "europol%d", first: 1) { score }`, 100},
		{"stakeholders", `stakeholders(first: 1) { totalCount }`, 100},
		{"paths ALL_SIMPLE", `paths(from: "country:hungary", to: "programme:el-paccto", mode: ALL_SIMPLE, limit: 1) { length }`, 4},
		{"paths K_SHORTEST", `paths(from: "country:hungary", to: "programme:el-paccto", mode: K_SHORTEST, limit: 1) { length }`, 4},
		{"centrality asOf", `centrality(measure: PAGERANK, asOf: "202%d", first: 1) { measure }`, 4},
		{"brokerage", `brokerage(first: 1) { total }`, 4},
		{"coParticipation", `coParticipation(first: 1) { jaccard }`, 20},
		{"whole graph", `graph { nodes { id } }`, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if resp := post(t, h, aliased(strings.ReplaceAll(tt.field, "%d", "3"), 1), nil); len(resp.Errors) > 0 {
				t.Errorf("one: got errors %+v, want none", resp.Errors)
			}
			wantError(t, post(t, h, aliased(tt.field, tt.many), nil), "COMPLEXITY_LIMIT_EXCEEDED")
		})
	}
}

func TestRootNodesBatched(t *testing.T) {
	// Aliases of node and stakeholder are looked up in one store call
	// before execution, whatever the loaders' timing, and each still
	// answers for its own ID.
	store := newCountingStore(shippedStore(t))
	h := graph.NewHandler(store, graph.HandlerOptions{})
	ids := []string{"country:spain", "country:ecuador", "country:hungary", "organization:europol", "programme:el-paccto"}
	var b strings.Builder
	b.WriteString("{")
	const copies = 40
	for i := range copies {
		id := ids[i%len(ids)]
		fmt.Fprintf(&b, ` n%d: node(id: %q) { id } s%d: stakeholder(id: %q) { id }`, i, id, i, id)
	}
	b.WriteString(` missing: node(id: "country:atlantis") { id } }`)
	data := mustData[map[string]*struct{ ID string }](t, post(t, h, b.String(), nil))
	for i := range copies {
		want := ids[i%len(ids)]
		for _, alias := range []string{fmt.Sprintf("n%d", i), fmt.Sprintf("s%d", i)} {
			if got := data[alias]; got == nil || got.ID != want {
				t.Errorf("%s: got %+v, want id %s", alias, got, want)
			}
		}
	}
	if got := data["missing"]; got != nil {
		t.Errorf("missing: got %+v, want null", got)
	}
	if calls := store.snapshot(); calls["Nodes"] != 1 || calls["Node"] != 0 {
		t.Errorf("got store calls %v, want one Nodes and no Node", calls)
	}

	store.reset()
	wantError(t, post(t, h, `{ a: stakeholder(id: "country:atlantis") { id } }`, nil), domain.ENOTFOUND, `"country:atlantis"`)
}
