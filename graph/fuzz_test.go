package graph_test

import (
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/graph"
)

// FuzzQuery sends arbitrary query text and argument values: whatever comes
// in, the answer is JSON with a status below 500, and every error carries a
// code and a message. Run longer with: go test -fuzz FuzzQuery ./graph
func FuzzQuery(f *testing.F) {
	seeds := []struct {
		query string
		id    string
		text  string
		n     int
	}{
		{`query($id: ID!, $n: Int) { neighborhood(id: $id, depth: $n) { nodes { id } edges { id } } }`, "country:hungary", "", 2},
		{`query($id: ID!, $n: Int) { paths(from: $id, to: "programme:el-paccto", maxHops: $n) { length } }`, "country:spain", "", 4},
		{`query($t: String!, $n: Int) { search(query: $t, first: $n) { score node { id } } }`, "", "relaciones exteriores", 5},
		{`query($id: ID!) { cooperation(actor: $id) { partner { id } via { id } } }`, "country:ecuador", "", 0},
		{`query($id: ID!) { stakeholder(id: $id) { ... on Country { programmes { node { id } evidence { quote source { url } } } } } }`, "country:ecuador", "", 0},
		{`query($n: Int, $t: String) { stakeholders(first: $n, after: $t) { totalCount pageInfo { hasNextPage } } }`, "", "country:", 3},
		{`query($id: ID!, $t: Date, $n: Int) { paths(from: $id, to: "organization:ministry-foreign-affairs-ecuador", asOf: $t, mode: ALL_SIMPLE, maxHops: $n) { sentence hops { quotes } } }`, "country:hungary", "2023-09-27", 3},
		{`query($id: ID, $t: Date, $n: Int) { timeline(actor: $id, from: $t, first: $n) { sentence } }`, "agreement:europol-ecuador-working-agreement", "2023", 10},
		{`query($t: ID, $n: Int) { centrality(measure: PAGERANK, topic: $t, first: $n) { scores { score } } }`, "", "topic:cybercrime", 5},
		{`query($id: ID!, $n: Int) { commonConnections(ids: [$id, "country:ecuador"], first: $n) { count } }`, "country:spain", "", 5},
		{`query($id: ID!, $t: Date) { stakeholder(id: $id) { ... on Agreement { status(asOf: $t) } } }`, "agreement:europol-ecuador-working-agreement", "2023-02-30", 0},
		{`query($t: Date, $n: Int) { brokerage(asOf: $t, first: $n) { total } coParticipation(asOf: $t, first: $n) { jaccard } }`, "", "2023-09", 3},
		{`{ node(id: "x") { id } }`, "", "", 0},
		{`{ __schema { types { name } } }`, "", "", 0},
		{`{ search(query: "ñ̃\u0000") { score } }`, "", "", -1},
	}
	for _, s := range seeds {
		f.Add(s.query, s.id, s.text, s.n)
	}
	// Loader batches never go for their timer here, nor for the request's
	// deadline, so a query whose fields are miscounted hangs and fails.
	h := graph.NewHandler(shippedStore(f), graph.HandlerOptions{LoaderMaxWait: time.Hour, RequestTimeout: time.Hour})
	f.Fuzz(func(t *testing.T, query, id, text string, n int) {
		vars := map[string]any{"id": id, "t": text, "n": n}
		for _, resp := range []response{postWithin(t, h, query, vars), getWithin(t, h, query, vars)} {
			if resp.Status >= 500 {
				t.Fatalf("status %d for %q with %v", resp.Status, query, vars)
			}
			for _, e := range resp.Errors {
				if e.code() == "" || e.Message == "" {
					t.Fatalf("error without code or message %+v for %q with %v", e, query, vars)
				}
			}
		}
	})
}
