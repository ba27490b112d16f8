package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/memstore"
	"github.com/stakegraph/stakegraph/internal/neo4j"
	"github.com/stakegraph/stakegraph/internal/readiness"
	"github.com/stakegraph/stakegraph/internal/server"
)

// The peer comparison (issue 8, item 1): on one Neo4j holding the shipped
// data, the same three questions asked of stakegraph on Neo4j, stakegraph
// on its embedded store, @neo4j/graphql (bench/peer, a Node server) and the
// Go Bolt driver running one equivalent Cypher statement, interleaved round
// by round at each concurrency. Every target's answer is checked against
// the embedded store's before anything is timed.
//
//	go run ./bench -peer            # from the repository root; runs npm ci in bench/peer

type peerConfig struct {
	duration    time.Duration // per target, query, concurrency and round
	warmup      time.Duration // per target and query, before its first round
	rounds      int
	concurrency []int
	peerDir     string
	npm         bool // run npm ci in peerDir first
	// typedRelations asks the peer for a stakeholder's relations through
	// one relationship field per type and direction rather than through
	// its @cypher field (see bench/peer/typedefs.mjs).
	typedRelations bool
	targets        []string // the targets to run; all when empty
	cpuProfile     string
}

// The three questions, with the parameters every target gets.
const (
	peerStakeholder = "country:spain"
	peerKind        = domain.KindOrganization
	peerPage        = 20
	peerCentre      = "country:spain"
)

// peerQuery is one question in each target's words, and how to read the
// IDs it answered, so the answers can be compared.
type peerQuery struct {
	name string
	// stakegraph and peer are GraphQL requests; cypher runs on Bolt.
	stakegraph, peer graphqlRequest
	cypher           string
	params           map[string]any
	// ids of each answer: relation IDs, node IDs, or both, sorted.
	stakegraphIDs, peerIDs func(data json.RawMessage) ([]string, error)
	boltIDs                func(records []*driver.Record) ([]string, error)
}

type graphqlRequest struct {
	Query     string         `json:"query"`
	Variables map[string]any `json:"variables,omitempty"`
}

func peerQueries(typedRelations bool) []peerQuery {
	relProps := "id role status start end confidence evidenceSources evidenceQuotes"
	var peerRels strings.Builder
	if typedRelations {
		for _, t := range domain.RelationTypes {
			for _, dir := range []string{"out", "in"} {
				fmt.Fprintf(&peerRels, " %s_%sConnection { edges { properties { %s } node { id name } } }", dir, t, relProps)
			}
		}
	} else {
		fmt.Fprintf(&peerRels, " relations { type out %s node { id name } }", relProps)
	}
	return []peerQuery{
		{
			name: "stakeholder with relations",
			stakegraph: graphqlRequest{Query: `query($id: ID!) { stakeholder(id: $id) { id name
				relations { id type direction role status start end confidence node { id name } evidence { sourceId quote } } } }`,
				Variables: map[string]any{"id": peerStakeholder}},
			peer: graphqlRequest{Query: `query($id: ID!) { stakeholders(where: {id: {eq: $id}}) { id name` + peerRels.String() + ` } }`,
				Variables: map[string]any{"id": peerStakeholder}},
			cypher: `MATCH (n:Stakeholder {id: $id})
				OPTIONAL MATCH (n)-[r]-(o:Stakeholder)
				RETURN n.id AS id, n.name AS name, collect(CASE WHEN r IS NULL THEN null ELSE {
					id: r.id, type: type(r), out: startNode(r) = n, role: r.role, status: r.status,
					start: r.start, end: r.end, confidence: r.confidence,
					evidenceSources: r.evidenceSources, evidenceQuotes: r.evidenceQuotes,
					node: {id: o.id, name: o.name}} END) AS relations`,
			params: map[string]any{"id": peerStakeholder},
			stakegraphIDs: func(data json.RawMessage) ([]string, error) {
				var d struct {
					Stakeholder struct{ Relations []struct{ ID string } }
				}
				err := json.Unmarshal(data, &d)
				var ids []string
				for _, r := range d.Stakeholder.Relations {
					ids = append(ids, r.ID)
				}
				return sortedSet(ids), err
			},
			peerIDs: func(data json.RawMessage) ([]string, error) {
				var d struct {
					Stakeholders []map[string]json.RawMessage
				}
				if err := json.Unmarshal(data, &d); err != nil || len(d.Stakeholders) != 1 {
					return nil, cmp.Or(err, fmt.Errorf("got %d stakeholders, want 1", len(d.Stakeholders)))
				}
				var ids []string
				if raw, ok := d.Stakeholders[0]["relations"]; ok {
					var rels []struct{ ID string }
					err := json.Unmarshal(raw, &rels)
					for _, r := range rels {
						ids = append(ids, r.ID)
					}
					return sortedSet(ids), err
				}
				for field, raw := range d.Stakeholders[0] {
					if !strings.HasSuffix(field, "Connection") {
						continue
					}
					var c struct {
						Edges []struct{ Properties struct{ ID string } }
					}
					if err := json.Unmarshal(raw, &c); err != nil {
						return nil, err
					}
					for _, e := range c.Edges {
						ids = append(ids, e.Properties.ID)
					}
				}
				return sortedSet(ids), nil
			},
			boltIDs: func(records []*driver.Record) ([]string, error) {
				if len(records) != 1 {
					return nil, fmt.Errorf("got %d records, want 1", len(records))
				}
				rels, _ := records[0].Get("relations")
				var ids []string
				for _, r := range rels.([]any) {
					ids = append(ids, r.(map[string]any)["id"].(string))
				}
				return sortedSet(ids), nil
			},
		},
		{
			name: fmt.Sprintf("filtered page (%s, first %d)", peerKind, peerPage),
			stakegraph: graphqlRequest{Query: `query($kind: Kind!, $first: Int!) {
				stakeholders(filter: {kinds: [$kind]}, first: $first) { edges { cursor node { id name kind } } pageInfo { hasNextPage endCursor } } }`,
				Variables: map[string]any{"kind": string(peerKind), "first": peerPage}},
			peer: graphqlRequest{Query: `query($kind: String!, $first: Int!) {
				stakeholdersConnection(where: {kind: {eq: $kind}}, first: $first, sort: [{id: ASC}]) {
					edges { cursor node { id name kind } } pageInfo { hasNextPage endCursor } } }`,
				Variables: map[string]any{"kind": string(peerKind), "first": peerPage}},
			cypher: `MATCH (n:Stakeholder) WHERE n.kind = $kind
				RETURN n.id AS id, n.name AS name, n.kind AS kind ORDER BY n.id LIMIT $limit`,
			params: map[string]any{"kind": string(peerKind), "limit": peerPage + 1},
			stakegraphIDs: func(data json.RawMessage) ([]string, error) {
				var d struct {
					Stakeholders struct {
						Edges []struct{ Node struct{ ID string } }
					}
				}
				err := json.Unmarshal(data, &d)
				var ids []string
				for _, e := range d.Stakeholders.Edges {
					ids = append(ids, e.Node.ID)
				}
				return sortedSet(ids), err
			},
			peerIDs: func(data json.RawMessage) ([]string, error) {
				var d struct {
					StakeholdersConnection struct {
						Edges []struct{ Node struct{ ID string } }
					}
				}
				err := json.Unmarshal(data, &d)
				var ids []string
				for _, e := range d.StakeholdersConnection.Edges {
					ids = append(ids, e.Node.ID)
				}
				return sortedSet(ids), err
			},
			boltIDs: func(records []*driver.Record) ([]string, error) {
				var ids []string
				for _, r := range records[:min(len(records), peerPage)] {
					id, _ := r.Get("id")
					ids = append(ids, id.(string))
				}
				return sortedSet(ids), nil
			},
		},
		{
			name: "neighbourhood, depth 2",
			stakegraph: graphqlRequest{Query: `query($id: ID!) { neighborhood(id: $id, depth: 2) {
				nodes { id kind label } edges { id type source target } } }`,
				Variables: map[string]any{"id": peerCentre}},
			peer: graphqlRequest{Query: `query($id: ID!) { stakeholders(where: {id: {eq: $id}}) {
				neighbourhood2 { id kind name } neighbourhood2Edges { id type source target } } }`,
				Variables: map[string]any{"id": peerCentre}},
			cypher: `MATCH (:Stakeholder {id: $id})-[*0..2]-(n:Stakeholder)
				WITH collect(DISTINCT n) AS ns
				UNWIND ns AS a
				OPTIONAL MATCH (a)-[r]->(b:Stakeholder) WHERE b IN ns
				WITH ns, collect(CASE WHEN r IS NULL THEN null ELSE {id: r.id, type: type(r), source: a.id, target: b.id} END) AS edges
				RETURN [x IN ns | {id: x.id, kind: x.kind, name: x.name}] AS nodes, edges`,
			params: map[string]any{"id": peerCentre},
			stakegraphIDs: func(data json.RawMessage) ([]string, error) {
				var d struct {
					Neighborhood struct{ Nodes, Edges []struct{ ID string } }
				}
				err := json.Unmarshal(data, &d)
				return subgraphIDs(d.Neighborhood.Nodes, d.Neighborhood.Edges), err
			},
			peerIDs: func(data json.RawMessage) ([]string, error) {
				var d struct {
					Stakeholders []struct {
						Neighbourhood2      []struct{ ID string }
						Neighbourhood2Edges []struct{ ID string }
					}
				}
				if err := json.Unmarshal(data, &d); err != nil || len(d.Stakeholders) != 1 {
					return nil, cmp.Or(err, fmt.Errorf("got %d stakeholders, want 1", len(d.Stakeholders)))
				}
				return subgraphIDs(d.Stakeholders[0].Neighbourhood2, d.Stakeholders[0].Neighbourhood2Edges), nil
			},
			boltIDs: func(records []*driver.Record) ([]string, error) {
				if len(records) != 1 {
					return nil, fmt.Errorf("got %d records, want 1", len(records))
				}
				var nodes, edges []struct{ ID string }
				ns, _ := records[0].Get("nodes")
				for _, n := range ns.([]any) {
					nodes = append(nodes, struct{ ID string }{n.(map[string]any)["id"].(string)})
				}
				es, _ := records[0].Get("edges")
				for _, e := range es.([]any) {
					edges = append(edges, struct{ ID string }{e.(map[string]any)["id"].(string)})
				}
				return subgraphIDs(nodes, edges), nil
			},
		},
	}
}

func subgraphIDs(nodes, edges []struct{ ID string }) []string {
	var ids []string
	for _, n := range nodes {
		ids = append(ids, "node "+n.ID)
	}
	for _, e := range edges {
		ids = append(ids, "edge "+e.ID)
	}
	return sortedSet(ids)
}

func sortedSet(ids []string) []string {
	slices.Sort(ids)
	return slices.Compact(ids)
}

// peerTarget answers the questions; ask returns the IDs the answer holds
// when ids is true (for the check), and only whether it succeeded when not
// (while timed: every target still reads and decodes its whole answer).
type peerTarget struct {
	name string
	ask  func(ctx context.Context, q peerQuery, ids bool) ([]string, error)
}

const (
	targetNeo4j    = "stakegraph-neo4j"
	targetEmbedded = "stakegraph-embedded"
	targetPeer     = "@neo4j/graphql"
	targetBolt     = "raw Bolt"
)

var allTargets = []string{targetNeo4j, targetEmbedded, targetPeer, targetBolt}

func parsePeerFlags(fs *flag.FlagSet) (*peerConfig, *bool, *string) {
	cfg := &peerConfig{}
	on := fs.Bool("peer", false, "compare stakegraph on Neo4j and embedded with @neo4j/graphql (bench/peer) and raw Bolt on the shipped data at NEO4J_URI, instead of the scale run")
	fs.DurationVar(&cfg.duration, "peer-duration", 3*time.Second, "-peer: time per target, query, concurrency and round")
	fs.DurationVar(&cfg.warmup, "peer-warmup", 2*time.Second, "-peer: warm-up per target and query before its first round")
	fs.IntVar(&cfg.rounds, "peer-rounds", 3, "-peer: interleaved rounds; each figure is the median over rounds")
	conc := fs.String("peer-concurrency", "1,16", "-peer: comma-separated numbers of clients sending requests back to back")
	fs.StringVar(&cfg.peerDir, "peer-dir", "bench/peer", "-peer: the peer server's directory")
	fs.BoolVar(&cfg.npm, "peer-npm", true, "-peer: run npm ci in -peer-dir first")
	fs.BoolVar(&cfg.typedRelations, "peer-typed-relations", false, "-peer: ask the peer for relations through its typed relationship fields, not its @cypher relations field")
	fs.Func("peer-targets", "-peer: comma-separated targets to time (all by default): "+strings.Join(allTargets, ", "), func(v string) error {
		for t := range strings.SplitSeq(v, ",") {
			if !slices.Contains(allTargets, t) {
				return fmt.Errorf("no target %q; the targets are %s", t, strings.Join(allTargets, ", "))
			}
			cfg.targets = append(cfg.targets, t)
		}
		return nil
	})
	fs.StringVar(&cfg.cpuProfile, "peer-cpuprofile", "", "-peer: write a CPU profile of this process (the harness and both stakegraph servers) while timing")
	return cfg, on, conc
}

func runPeer(ctx context.Context, cfg *peerConfig, stdout, stderr io.Writer) int {
	if cfg.rounds < 1 || cfg.duration <= 0 || cfg.warmup < 0 || len(cfg.concurrency) == 0 {
		fmt.Fprintln(stderr, "bench: -peer-rounds and -peer-duration must be positive, -peer-concurrency a list of numbers ≥ 1")
		return 2
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	targets, cleanup, err := startTargets(ctx, cfg, stderr)
	defer cleanup()
	if err != nil {
		fmt.Fprintln(stderr, "bench:", err)
		return 1
	}
	queries := peerQueries(cfg.typedRelations)
	fmt.Fprintf(stdout, "# stakegraph and its peers on the shipped data\n\n%s, GOMAXPROCS=%d, %d CPUs; %d rounds of %s per target, query and concurrency (after %s of warm-up), interleaved; each figure the median over rounds\n\n",
		runtime.Version(), runtime.GOMAXPROCS(0), runtime.NumCPU(), cfg.rounds, cfg.duration, cfg.warmup)
	if err := checkAnswers(ctx, targets, queries, stdout); err != nil {
		fmt.Fprintln(stderr, "bench:", err)
		return 1
	}
	if len(cfg.targets) > 0 {
		targets = slices.DeleteFunc(targets, func(t peerTarget) bool { return !slices.Contains(cfg.targets, t.name) })
	}
	if cfg.cpuProfile != "" {
		f, err := os.Create(cfg.cpuProfile)
		if err != nil {
			fmt.Fprintln(stderr, "bench:", err)
			return 1
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(stderr, "bench:", err)
			return 1
		}
		defer pprof.StopCPUProfile()
	}
	results := map[resultKey]peerFigures{}
	for _, q := range queries {
		for _, t := range targets {
			warm(ctx, t, q, cfg.warmup)
		}
		for _, c := range cfg.concurrency {
			rounds := map[string][]peerFigures{}
			for r := range cfg.rounds {
				// Each round starts with another target, so none always
				// runs first or last.
				for i := range targets {
					t := targets[(i+r)%len(targets)]
					f, err := load(ctx, t, q, c, cfg.duration)
					if err != nil {
						fmt.Fprintf(stderr, "bench: %s, %s, concurrency %d: %v\n", t.name, q.name, c, err)
						return 1
					}
					rounds[t.name] = append(rounds[t.name], f)
				}
			}
			for _, t := range targets {
				results[resultKey{q.name, c, t.name}] = medianFigures(rounds[t.name])
			}
		}
	}
	printPeerResults(stdout, queries, cfg.concurrency, targets, results)
	return 0
}

type resultKey struct {
	query       string
	concurrency int
	target      string
}

type peerFigures struct {
	perSecond float64
	p50, p99  time.Duration
}

func medianFigures(fs []peerFigures) peerFigures {
	med := func(v func(peerFigures) float64) float64 {
		xs := make([]float64, len(fs))
		for i, f := range fs {
			xs[i] = v(f)
		}
		slices.Sort(xs)
		return xs[len(xs)/2]
	}
	return peerFigures{
		perSecond: med(func(f peerFigures) float64 { return f.perSecond }),
		p50:       time.Duration(med(func(f peerFigures) float64 { return float64(f.p50) })),
		p99:       time.Duration(med(func(f peerFigures) float64 { return float64(f.p99) })),
	}
}

// checkAnswers fails unless every target answers each question with the
// same IDs as the embedded store.
func checkAnswers(ctx context.Context, targets []peerTarget, queries []peerQuery, stdout io.Writer) error {
	for _, q := range queries {
		var want []string
		for _, t := range targets {
			got, err := t.ask(ctx, q, true)
			if err != nil {
				return fmt.Errorf("%s, %s: %w", t.name, q.name, err)
			}
			if len(got) == 0 {
				return fmt.Errorf("%s, %s: empty answer", t.name, q.name)
			}
			if want == nil {
				want = got
				continue
			}
			if !slices.Equal(got, want) {
				return fmt.Errorf("%s, %s: answered %d IDs %v, want the %d of %s %v", t.name, q.name, len(got), got, len(want), targets[0].name, want)
			}
		}
		fmt.Fprintf(stdout, "- %s: every target answers the same %d IDs\n", q.name, len(want))
	}
	fmt.Fprintln(stdout)
	return nil
}

func warm(ctx context.Context, t peerTarget, q peerQuery, d time.Duration) {
	for end := time.Now().Add(d); time.Now().Before(end) && ctx.Err() == nil; {
		_, _ = t.ask(ctx, q, false)
	}
}

// load sends q from c clients back to back for d and measures each request.
func load(ctx context.Context, t peerTarget, q peerQuery, c int, d time.Duration) (peerFigures, error) {
	var mu sync.Mutex
	var took []time.Duration
	var firstErr error
	start := time.Now()
	end := start.Add(d)
	var wg sync.WaitGroup
	for range c {
		wg.Go(func() {
			var mine []time.Duration
			for time.Now().Before(end) {
				begin := time.Now()
				if _, err := t.ask(ctx, q, false); err != nil {
					mu.Lock()
					firstErr = cmp.Or(firstErr, err)
					mu.Unlock()
					return
				}
				mine = append(mine, time.Since(begin))
			}
			mu.Lock()
			took = append(took, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if firstErr != nil {
		return peerFigures{}, firstErr
	}
	if len(took) == 0 {
		return peerFigures{}, errors.New("no request finished")
	}
	slices.Sort(took)
	return peerFigures{
		perSecond: float64(len(took)) / elapsed.Seconds(),
		p50:       took[len(took)/2],
		p99:       took[min(len(took)-1, len(took)*99/100)],
	}, nil
}

func printPeerResults(w io.Writer, queries []peerQuery, conc []int, targets []peerTarget, res map[resultKey]peerFigures) {
	fmt.Fprintln(w, "| query | clients | target | req/s | p50 | p99 |")
	fmt.Fprintln(w, "|---|---:|---|---:|---:|---:|")
	for _, q := range queries {
		for _, c := range conc {
			for _, t := range targets {
				f := res[resultKey{q.name, c, t.name}]
				fmt.Fprintf(w, "| %s | %d | %s | %.0f | %s | %s |\n", q.name, c, t.name, f.perSecond, fmtDur(f.p50), fmtDur(f.p99))
			}
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Ratios of stakegraph-neo4j (targets: ≥ 3× the peer's throughput, p99 ≤ ⅓ of the peer's, p50 ≤ 1.5× raw Bolt's):")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| query | clients | req/s ÷ peer | p99 ÷ peer | p50 ÷ raw Bolt | req/s ÷ raw Bolt |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|")
	for _, q := range queries {
		for _, c := range conc {
			ours, ok1 := res[resultKey{q.name, c, targetNeo4j}]
			peer, ok2 := res[resultKey{q.name, c, targetPeer}]
			bolt, ok3 := res[resultKey{q.name, c, targetBolt}]
			if !ok1 || !ok2 || !ok3 {
				continue
			}
			fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s |\n", q.name, c,
				ratio(ours.perSecond, peer.perSecond, ours.perSecond >= 3*peer.perSecond),
				ratio(float64(ours.p99), float64(peer.p99), 3*ours.p99 <= peer.p99),
				ratio(float64(ours.p50), float64(bolt.p50), 2*ours.p50 <= 3*bolt.p50),
				fmt.Sprintf("%.2f×", ours.perSecond/bolt.perSecond))
		}
	}
}

func ratio(a, b float64, met bool) string {
	mark := "not met"
	if met {
		mark = "met"
	}
	return fmt.Sprintf("%.2f× (%s)", a/b, mark)
}

// startTargets seeds Neo4j with the shipped data unless it holds it already,
// then starts the four targets. cleanup stops whatever was started.
func startTargets(ctx context.Context, cfg *peerConfig, stderr io.Writer) (targets []peerTarget, cleanup func(), err error) {
	var stops []func()
	cleanup = func() {
		for _, stop := range slices.Backward(stops) {
			stop()
		}
	}
	ncfg := neo4j.Config{
		URI:      os.Getenv("NEO4J_URI"),
		User:     os.Getenv("NEO4J_USER"),
		Password: os.Getenv("NEO4J_PASSWORD"),
		Database: cmp.Or(os.Getenv("NEO4J_DATABASE"), "neo4j"),
	}
	if ncfg.URI == "" {
		return nil, cleanup, errors.New("-peer needs NEO4J_URI (e.g. from scripts/neo4j/start.sh)")
	}
	g, err := dataset.Shipped()
	if err != nil {
		return nil, cleanup, err
	}
	quiet := slog.New(slog.DiscardHandler)
	store, err := neo4j.Open(ctx, ncfg, quiet)
	if err != nil {
		return nil, cleanup, err
	}
	stops = append(stops, func() { _ = store.Close(context.Background()) })
	if err := store.Setup(ctx); err != nil {
		return nil, cleanup, err
	}
	if v, err := store.Version(ctx); err != nil || v != g.Version() {
		fmt.Fprintln(stderr, "bench: seeding Neo4j with the shipped data")
		if err := store.Seed(ctx, g); err != nil {
			return nil, cleanup, err
		}
	}
	mem, err := memstore.New(g)
	if err != nil {
		return nil, cleanup, err
	}

	// Both stakegraph targets are served as `stakegraph serve` serves: the
	// readiness guard, the GraphQL handler and the routes with their metrics
	// and request log, on a loopback listener (in this process; the log
	// goes nowhere).
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}}
	stops = append(stops, client.CloseIdleConnections)
	for _, s := range []struct {
		name  string
		store domain.Store
	}{{targetNeo4j, store}, {targetEmbedded, mem}} {
		url, stop, err := serveStakegraph(ctx, s.store, g.Version(), quiet)
		if err != nil {
			return nil, cleanup, err
		}
		stops = append(stops, stop)
		targets = append(targets, peerTarget{name: s.name, ask: func(ctx context.Context, q peerQuery, ids bool) ([]string, error) {
			return askGraphQL(ctx, client, url, q.stakegraph, ids, q.stakegraphIDs)
		}})
	}

	peerURL, stopPeer, err := startPeer(ctx, cfg, ncfg, stderr)
	if err != nil {
		return nil, cleanup, err
	}
	stops = append(stops, stopPeer)
	targets = append(targets, peerTarget{name: targetPeer, ask: func(ctx context.Context, q peerQuery, ids bool) ([]string, error) {
		return askGraphQL(ctx, client, peerURL, q.peer, ids, q.peerIDs)
	}})

	auth := driver.NoAuth()
	if ncfg.User != "" || ncfg.Password != "" {
		auth = driver.BasicAuth(cmp.Or(ncfg.User, "neo4j"), ncfg.Password, "")
	}
	bolt, err := driver.NewDriverWithContext(ncfg.URI, auth)
	if err != nil {
		return nil, cleanup, err
	}
	stops = append(stops, func() { _ = bolt.Close(context.Background()) })
	targets = append(targets, peerTarget{name: targetBolt, ask: func(ctx context.Context, q peerQuery, ids bool) ([]string, error) {
		res, err := driver.ExecuteQuery(ctx, bolt, q.cypher, q.params, driver.EagerResultTransformer,
			driver.ExecuteQueryWithDatabase(ncfg.Database), driver.ExecuteQueryWithReadersRouting())
		if err != nil || !ids {
			return nil, err
		}
		return q.boltIDs(res.Records)
	}})
	return targets, cleanup, nil
}

func serveStakegraph(ctx context.Context, store domain.Store, version string, logger *slog.Logger) (url string, stop func(), err error) {
	guard := readiness.Start(ctx, store, readiness.Options{Version: version, Logger: logger})
	api := graph.NewHandler(guard, graph.HandlerOptions{Logger: logger})
	routes := server.Routes(guard, api, logger, server.Options{})
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", func() {}, err
	}
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = server.Serve(sctx, listener, routes, logger)
	}()
	url = "http://" + listener.Addr().String() + "/graphql"
	// Queries wait for the guard's first check, as a load balancer would
	// wait for /readyz.
	for deadline := time.Now().Add(30 * time.Second); ; {
		if err := guard.Ping(ctx); err == nil {
			break
		} else if time.Now().After(deadline) {
			cancel()
			<-done
			return "", func() {}, fmt.Errorf("stakegraph not ready: %w", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return url, func() { cancel(); <-done }, nil
}

// askGraphQL posts req to url and reads the whole answer; it fails on an
// error status or GraphQL errors.
func askGraphQL(ctx context.Context, client *http.Client, url string, req graphqlRequest, wantIDs bool, ids func(json.RawMessage) ([]string, error)) ([]string, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	hreq.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(hreq)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var answer struct {
		Data   json.RawMessage
		Errors []struct{ Message string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil {
		return nil, fmt.Errorf("status %d, undecodable answer: %w", resp.StatusCode, err)
	}
	if resp.StatusCode != http.StatusOK || len(answer.Errors) > 0 {
		return nil, fmt.Errorf("status %d, errors %+v", resp.StatusCode, answer.Errors)
	}
	if !wantIDs {
		return nil, nil
	}
	return ids(answer.Data)
}

// startPeer installs the peer's locked dependencies and starts it; it
// prints {"port": N} once it listens.
func startPeer(ctx context.Context, cfg *peerConfig, ncfg neo4j.Config, stderr io.Writer) (url string, stop func(), err error) {
	stop = func() {}
	if cfg.npm {
		npm := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
		npm.Dir, npm.Stdout, npm.Stderr = cfg.peerDir, stderr, stderr
		if err := npm.Run(); err != nil {
			return "", stop, fmt.Errorf("npm ci in %s (Node.js 20 and npm are needed): %w", cfg.peerDir, err)
		}
	}
	types := make([]string, len(domain.RelationTypes))
	for i, t := range domain.RelationTypes {
		types[i] = string(t)
	}
	cmd := exec.Command("node", "server.mjs")
	cmd.Dir, cmd.Stderr = cfg.peerDir, stderr
	cmd.Env = append(os.Environ(), "NODE_ENV=production", "PORT=0", "RELATION_TYPES="+strings.Join(types, ","),
		"NEO4J_URI="+ncfg.URI, "NEO4J_USER="+ncfg.User, "NEO4J_PASSWORD="+ncfg.Password, "NEO4J_DATABASE="+ncfg.Database)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", stop, err
	}
	if err := cmd.Start(); err != nil {
		return "", stop, fmt.Errorf("starting the peer (node server.mjs in %s): %w", cfg.peerDir, err)
	}
	stop = func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	}
	ready := make(chan int, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		var msg struct{ Port int }
		_ = json.Unmarshal([]byte(line), &msg)
		ready <- msg.Port
		_, _ = io.Copy(io.Discard, out)
	}()
	select {
	case port := <-ready:
		if port == 0 {
			return "", stop, errors.New("the peer stopped before it listened (its errors are above)")
		}
		return fmt.Sprintf("http://127.0.0.1:%d/graphql", port), stop, nil
	case <-time.After(60 * time.Second):
		return "", stop, errors.New("the peer did not listen within 60 s")
	}
}
