package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/internal/neo4jtest"
)

// failFastBound is how long a query may take to fail once stakegraph
// knows Neo4j is down. Without the readiness guard every query waited out
// the driver's 5 s of retries; the guard answers from memory.
const failFastBound = 2 * time.Second

// TestNeo4jOutage kills Neo4j under a steady load of queries, restarts it
// with its data, then empty, and checks that stakegraph never answers
// wrongly: queries either answer what they answered before the outage or
// fail with EUNAVAILABLE (at once while Neo4j is known down), /readyz says
// why it is not ready, and stakegraph recovers by itself — after a manual
// `stakegraph seed` or, with --reseed, on its own. It runs its own Neo4j
// (never the shared test server), started by scripts/neo4j/start.sh.
func TestNeo4jOutage(t *testing.T) {
	db := neo4jtest.New(t, "../..", "the Neo4j fault test")
	db.Start(t, false)
	neo4jEnv := []string{"NEO4J_URI=" + db.URI, "NEO4J_USER=neo4j", "NEO4J_PASSWORD=", "NEO4J_DATABASE=neo4j"}
	plain := startService(t, neo4jEnv...)
	waitReady(t, plain, time.Minute)
	expected := baseline(t, plain)

	load := startLoad(plain, expected)
	defer load.stop(t)
	load.waitAnswers(t, 2*len(probes))

	t.Run("killed", func(t *testing.T) {
		load.phase("killed")
		killed := time.Now()
		db.Kill(t)
		waitReadyz(t, plain, "store-unreachable", 30*time.Second)
		t.Logf("stakegraph knew Neo4j was down %v after the kill", time.Since(killed).Round(time.Millisecond))
		for _, p := range probes {
			start := time.Now()
			got := p.run(plain, expected)
			took := time.Since(start)
			if got.kind != answerUnavailable {
				t.Errorf("%s while Neo4j is down: got %s, want EUNAVAILABLE", p.name, got)
			}
			if took > failFastBound {
				t.Errorf("%s while Neo4j is known down took %v, want under %v (fail fast)", p.name, took, failFastBound)
			}
		}
	})

	t.Run("restarted with its data", func(t *testing.T) {
		load.phase("restarted with data")
		db.Start(t, true)
		back := time.Now()
		waitReady(t, plain, time.Minute)
		t.Logf("recovery: ready %v after Neo4j restarted with its data", time.Since(back).Round(time.Millisecond))
		checkAnswers(t, plain, expected)
	})

	t.Run("restarted empty", func(t *testing.T) {
		load.phase("killed again")
		db.Kill(t)
		waitReadyz(t, plain, "store-unreachable", 30*time.Second)
		load.phase("restarted empty")
		db.Start(t, false)
		waitReadyz(t, plain, "data-missing", 30*time.Second)
		for _, p := range probes {
			got := p.run(plain, expected)
			if got.kind != answerUnavailable || !strings.Contains(got.detail, "does not hold the stakegraph data") ||
				!strings.Contains(got.detail, "stakegraph seed") {
				t.Errorf("%s on an empty Neo4j: got %s, want EUNAVAILABLE saying the data is missing and how to load it", p.name, got)
			}
		}

		load.phase("seeded by hand")
		seeded := time.Now()
		seed := exec.Command(binary, "seed")
		seed.Env = append(os.Environ(), neo4jEnv...)
		if out, err := seed.CombinedOutput(); err != nil {
			t.Fatalf("stakegraph seed: %v\n%s", err, out)
		}
		waitReady(t, plain, time.Minute)
		t.Logf("recovery: ready %v after `stakegraph seed` began", time.Since(seeded).Round(time.Millisecond))
		checkAnswers(t, plain, expected)
	})

	t.Run("restarted empty with --reseed", func(t *testing.T) {
		reseeding := startService(t, append(neo4jEnv, "STAKEGRAPH_RESEED=true")...)
		waitReady(t, reseeding, time.Minute)
		load2 := startLoad(reseeding, expected)
		defer load2.stop(t)
		load2.waitAnswers(t, 2*len(probes))

		load.phase("killed, --reseed")
		load2.phase("killed, --reseed")
		db.Kill(t)
		waitReadyz(t, reseeding, "store-unreachable", 30*time.Second)
		load.phase("restarted empty, --reseed")
		load2.phase("restarted empty, --reseed")
		db.Start(t, false)
		back := time.Now()
		waitReady(t, reseeding, time.Minute)
		t.Logf("recovery: --reseed service ready %v after Neo4j restarted empty", time.Since(back).Round(time.Millisecond))
		waitReady(t, plain, time.Minute)
		t.Logf("recovery: the service without --reseed ready %v after Neo4j restarted empty (data loaded by the other)", time.Since(back).Round(time.Millisecond))
		checkAnswers(t, reseeding, expected)
		checkAnswers(t, plain, expected)
	})
}

// --- Neo4j, started and killed by the test --------------------------------

// --- what the service answers ---------------------------------------------

type answerKind int

const (
	answerOK          answerKind = iota // what it answered before the outage
	answerUnavailable                   // a coded EUNAVAILABLE error
	answerWrong                         // anything else: empty, other code, 5xx, no answer
)

type answer struct {
	kind   answerKind
	status int
	detail string // the error message, or what was wrong
}

func (a answer) String() string {
	kinds := map[answerKind]string{answerOK: "the expected answer", answerUnavailable: "EUNAVAILABLE", answerWrong: "a wrong answer"}
	return fmt.Sprintf("%s (status %d: %.300s)", kinds[a.kind], a.status, a.detail)
}

// probe is one request the load loop sends; want is its answer before the
// outage (the GraphQL data, or the export's bytes).
type probe struct {
	name    string
	graphql string // a query with one root field, or
	path    string // a GET path
}

var probes = []probe{
	{name: "node", graphql: `{ node(id: "country:hungary") { id ... on Country { name isoCode } } }`},
	{name: "stakeholders", graphql: `{ stakeholders(first: 3) { totalCount edges { node { id } } } }`},
	{name: "search", graphql: `{ search(query: "paccto") { score node { id } } }`},
	{name: "neighborhood", graphql: `{ neighborhood(id: "country:hungary", depth: 2) { nodes { id } edges { id } } }`},
	{name: "centrality", graphql: `{ centrality(measure: DEGREE, first: 5) { dataVersion nodeCount edgeCount scores { rank node { id } } } }`},
	{name: "export", path: "/export/graphml?root=country:hungary&depth=1"},
}

var client = &http.Client{Timeout: 30 * time.Second}

// fetch sends the probe and returns the status and body.
func (p probe) fetch(s *service) (int, []byte, error) {
	var resp *http.Response
	var err error
	if p.graphql != "" {
		body, _ := json.Marshal(map[string]string{"query": p.graphql})
		resp, err = client.Post(s.base+"/graphql", "application/json", bytes.NewReader(body))
	} else {
		resp, err = client.Get(s.base + p.path)
	}
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return resp.StatusCode, raw, err
}

// run sends the probe and classifies the answer against the expected one.
func (p probe) run(s *service, expected map[string][]byte) answer {
	status, raw, err := p.fetch(s)
	if err != nil {
		return answer{kind: answerWrong, detail: "no answer: " + err.Error()}
	}
	if p.graphql == "" {
		switch {
		case status == http.StatusOK && bytes.Equal(raw, expected[p.name]):
			return answer{kind: answerOK, status: status}
		case status == http.StatusServiceUnavailable:
			var body struct {
				Error struct{ Message, Code string }
			}
			if json.Unmarshal(raw, &body) == nil && body.Error.Code == "EUNAVAILABLE" {
				return answer{kind: answerUnavailable, status: status, detail: body.Error.Message}
			}
		}
		return answer{kind: answerWrong, status: status, detail: string(raw)}
	}
	var out gqlResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		return answer{kind: answerWrong, status: status, detail: string(raw)}
	}
	if status >= 500 && status != http.StatusServiceUnavailable {
		return answer{kind: answerWrong, status: status, detail: string(raw)}
	}
	if len(out.Errors) == 0 {
		if status == http.StatusOK && bytes.Equal(out.Data, expected[p.name]) {
			return answer{kind: answerOK, status: status}
		}
		return answer{kind: answerWrong, status: status, detail: "data " + string(out.Data)}
	}
	for _, e := range out.Errors {
		if e.Extensions["code"] != "EUNAVAILABLE" {
			return answer{kind: answerWrong, status: status, detail: string(raw)}
		}
	}
	// The failed root field is null (and so, when it is non-null in the
	// schema, is data): nothing may be answered beside the error.
	var fields map[string]json.RawMessage
	_ = json.Unmarshal(out.Data, &fields)
	for _, v := range fields {
		if string(v) != "null" {
			return answer{kind: answerWrong, status: status, detail: "data beside the error: " + string(raw)}
		}
	}
	return answer{kind: answerUnavailable, status: status, detail: out.Errors[0].Message}
}

// baseline records what every probe answers while all is well.
func baseline(tb testing.TB, s *service) map[string][]byte {
	tb.Helper()
	expected := map[string][]byte{}
	for _, p := range probes {
		status, raw, err := p.fetch(s)
		if err != nil || status != http.StatusOK {
			tb.Fatalf("%s before the outage: status %d, %v\n%s", p.name, status, err, raw)
		}
		if p.graphql != "" {
			var out gqlResponse
			if err := json.Unmarshal(raw, &out); err != nil || len(out.Errors) > 0 {
				tb.Fatalf("%s before the outage: %v %s", p.name, err, raw)
			}
			raw = out.Data
		}
		if len(raw) < 40 {
			tb.Fatalf("%s before the outage answered only %s", p.name, raw)
		}
		expected[p.name] = raw
	}
	return expected
}

// checkAnswers requires every probe to answer as before the outage.
func checkAnswers(tb testing.TB, s *service, expected map[string][]byte) {
	tb.Helper()
	for _, p := range probes {
		if got := p.run(s, expected); got.kind != answerOK {
			tb.Errorf("%s after recovery: got %s, want the answer from before the outage", p.name, got)
		}
	}
}

// readyz returns /readyz's status and body.
func readyz(s *service) (int, string) {
	resp, err := client.Get(s.base + "/readyz")
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(raw))
}

func waitReady(tb testing.TB, s *service, within time.Duration) {
	tb.Helper()
	waitReadyz(tb, s, "", within)
}

// waitReadyz waits until /readyz answers 503 with reason, or 200 for "".
func waitReadyz(tb testing.TB, s *service, reason string, within time.Duration) {
	tb.Helper()
	deadline := time.Now().Add(within)
	for {
		status, body := readyz(s)
		if reason == "" && status == http.StatusOK ||
			reason != "" && status == http.StatusServiceUnavailable && strings.HasPrefix(body, "not ready: "+reason+":") {
			return
		}
		if time.Now().After(deadline) {
			want := "200"
			if reason != "" {
				want = "503 not ready: " + reason
			}
			tb.Fatalf("/readyz after %v: got %d %q, want %s", within, status, body, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// --- the load loop -------------------------------------------------------

// load sends the probes round-robin from a few workers, a bounded load,
// and tallies the answers per phase of the test.
type load struct {
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	current string
	tally   map[string]*phaseTally
	order   []string
}

type phaseTally struct {
	counts       [3]int
	slowest      time.Duration // of the EUNAVAILABLE answers
	slowestProbe string
	slow         int      // EUNAVAILABLE answers slower than failFastBound
	wrong        []string // the first few wrong answers
	readyzSeen   map[string]int
}

const (
	loadWorkers = 3
	loadPause   = 50 * time.Millisecond // between one worker's requests
)

func startLoad(s *service, expected map[string][]byte) *load {
	ctx, cancel := context.WithCancel(context.Background())
	l := &load{cancel: cancel, tally: map[string]*phaseTally{}}
	l.phase("healthy")
	for w := range loadWorkers {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for i := w; ctx.Err() == nil; i++ {
				p := probes[i%len(probes)]
				phase := l.phaseNow()
				start := time.Now()
				got := p.run(s, expected)
				took := time.Since(start)
				status, body := readyz(s)
				l.record(phase, p.name, got, took, status, body)
				select {
				case <-ctx.Done():
				case <-time.After(loadPause):
				}
			}
		}()
	}
	return l
}

// phase names what happens to Neo4j from now on.
func (l *load) phase(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.current = name
	if l.tally[name] == nil {
		l.tally[name] = &phaseTally{readyzSeen: map[string]int{}}
		l.order = append(l.order, name)
	}
}

func (l *load) phaseNow() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.current
}

// waitAnswers waits until the load got n answers as before the outage in
// the current phase, so each phase is seen under load.
func (l *load) waitAnswers(tb testing.TB, n int) {
	tb.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		l.mu.Lock()
		got := l.tally[l.current].counts[answerOK]
		l.mu.Unlock()
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("the load got %d answers in 30s, want %d", got, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// record tallies one answer under the phase its request began in.
func (l *load) record(phase, probe string, a answer, took time.Duration, readyStatus int, readyBody string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	t := l.tally[phase]
	t.counts[a.kind]++
	if a.kind == answerUnavailable {
		if took > t.slowest {
			t.slowest, t.slowestProbe = took, probe
		}
		if took > failFastBound {
			t.slow++
		}
	}
	if a.kind == answerWrong && len(t.wrong) < 5 {
		t.wrong = append(t.wrong, probe+": "+a.String())
	}
	reason := "ready"
	if readyStatus != http.StatusOK {
		// "not ready: <reason>: <summary>"
		reason, _, _ = strings.Cut(strings.TrimPrefix(readyBody, "not ready: "), ":")
		if readyStatus != http.StatusServiceUnavailable {
			t.wrong = append(t.wrong, fmt.Sprintf("readyz: %d %s", readyStatus, readyBody))
			t.counts[answerWrong]++
		}
	}
	t.readyzSeen[reason]++
}

// stop ends the load and fails the test on any wrong answer.
func (l *load) stop(tb testing.TB) {
	tb.Helper()
	l.cancel()
	l.wg.Wait()
	l.mu.Lock()
	defer l.mu.Unlock()
	total := 0
	for _, name := range l.order {
		t := l.tally[name]
		total += t.counts[answerOK] + t.counts[answerUnavailable] + t.counts[answerWrong]
		reasons := make([]string, 0, len(t.readyzSeen))
		for r, n := range t.readyzSeen {
			reasons = append(reasons, fmt.Sprintf("%s×%d", r, n))
		}
		slices.Sort(reasons)
		tb.Logf("load, %-26s %4d as before, %4d EUNAVAILABLE (%d slower than %v, slowest %v %s), %d wrong; /readyz: %s", name+":",
			t.counts[answerOK], t.counts[answerUnavailable], t.slow, failFastBound, t.slowest.Round(time.Millisecond), t.slowestProbe,
			t.counts[answerWrong], strings.Join(reasons, ", "))
		for _, w := range t.wrong {
			tb.Errorf("load, %s: %s", name, w)
		}
	}
	if total == 0 {
		tb.Errorf("the load loop sent no request")
	}
}
