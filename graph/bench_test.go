package graph_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/graph"
)

// worstRequests are the costliest requests found that pass every bound
// (body, tokens, fields, complexity): each stresses a different step. A
// %d in a query is replaced by the iteration number, so no cache helps.
var worstRequests = []struct {
	name  string
	query string
}{
	// Validation: the overlapping-fields rule compares every pair of
	// fields with one response name, here the most fields allowed.
	{"validation, same field", "query Q%d " + repeated("__typename", graph.DefaultMaxQueryFields)},
	// Validation: pairs of one response name with different arguments
	// conflict, and each conflict is reported.
	{"validation, conflicting aliases", "query Q%d " + conflicting(graph.DefaultMaxQueryFields/2)},
	// Validation through fragments: the largest expansion allowed,
	// nested fragments spreading the next twice.
	{"validation, nested fragments", strings.Replace(fragmentBomb(8, true), "{", "query Q%d {", 1)},
	// Execution: the most store work the complexity limit admits, every
	// analysis uncached (a new asOf per request).
	{"execution, analyses and path enumeration", `query Q%d {
		c: centrality(measure: BETWEENNESS, asOf: "20%02d", first: 1) { measure }
		b: brokerage(asOf: "19%02d", first: 1) { total }
		p: paths(from: "country:hungary", to: "organization:ministry-foreign-affairs-ecuador", mode: ALL_SIMPLE, maxHops: 4, limit: 20) { length }
	}`},
	// Execution: the widest result, the whole graph with evidence.
	{"execution, whole graph with evidence", `query Q%d { graph { nodes { id label kind } edges { id source target type evidence { quote source { name url } } } } }`},
}

// conflicting selects node n times under one response name, each with
// another id.
func conflicting(n int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, ` n: node(id: "country:c%d") { id }`, i)
	}
	b.WriteString(" }")
	return b.String()
}

// BenchmarkWorstRequest sends each of worstRequests through the handler
// and reports the CPU time it takes (user and system, all threads), besides
// the wall time. Run with: go test -run '^$' -bench WorstRequest ./graph
func BenchmarkWorstRequest(b *testing.B) {
	for _, w := range worstRequests {
		b.Run(w.name, func(b *testing.B) {
			h := graph.NewHandler(shippedStore(b), graph.HandlerOptions{})
			bodies := make([][]byte, b.N)
			for i := range bodies {
				q := strings.ReplaceAll(w.query, "%d", fmt.Sprint(i%100))
				q = strings.ReplaceAll(q, "%02d", fmt.Sprintf("%02d", i%100))
				body, err := json.Marshal(map[string]any{"query": q})
				if err != nil {
					b.Fatal(err)
				}
				if len(body) > graph.DefaultMaxBodyBytes {
					b.Fatalf("body of %d bytes is over the bound", len(body))
				}
				bodies[i] = body
			}
			// Check once that the request is admitted: a refused one would
			// measure the refusal, not the work.
			checkAdmitted(b, h, bodies[0])
			b.ResetTimer()
			start := cpuTime(b)
			for i := range b.N {
				req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(bodies[i]))
				req.Header.Set("Content-Type", "application/json")
				h.ServeHTTP(httptest.NewRecorder(), req)
			}
			b.ReportMetric(float64((cpuTime(b)-start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
	}
}

// checkAdmitted fails unless body runs: no error, or only the errors that
// validation found in it (conflicting aliases).
func checkAdmitted(b *testing.B, h http.Handler, body []byte) {
	b.Helper()
	resp := serve(b, h, jsonPost(bytes.NewReader(body), "application/json"))
	for _, e := range resp.Errors {
		if e.code() != "GRAPHQL_VALIDATION_FAILED" {
			b.Fatalf("the request was refused or failed: %+v", e)
		}
	}
}

func cpuTime(tb testing.TB) time.Duration {
	tb.Helper()
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
