// Command bench is stakegraph's scale benchmark (issue 8): for each size it
// generates a synthetic dataset (internal/synth), builds a store over it and
// times every query shape of domain.Store on seeded random picks, then
// prints p50/p99 per shape and the growth between consecutive sizes.
//
//	go run ./bench -sizes 1000,10000,100000
//	go run ./bench -sizes 1000 -neo4j   # also Neo4j at NEO4J_URI (seeded by the store's Seed)
//	go run ./bench -sizes 1000 -neo4j -embedded=false   # Neo4j alone
//	go run ./bench -sizes 1000,10000,100000 -only centrality,brokerage,coParticipation
//	go run ./bench -peer   # stakegraph against @neo4j/graphql and raw Bolt (see peer.go)
//
// Memory is measured by sampling runtime/metrics (live heap objects) every
// millisecond while the store is built, and by the heap left after a forced
// collection; see the README section "Scale".
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/export"
	"github.com/stakegraph/stakegraph/internal/memstore"
	"github.com/stakegraph/stakegraph/internal/network"
	"github.com/stakegraph/stakegraph/internal/synth"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

type config struct {
	sizes    []int
	seed     uint64
	perNode  float64
	iters    int
	budget   time.Duration
	timeout  time.Duration
	grace    time.Duration
	useNeo4j bool
	// analysesMax and exportsMax are the largest sizes the analyses and
	// exports are run at: the exports' cost grows with the whole graph
	// (files built in memory) and cannot be cancelled; the analyses are
	// bounded and cancellable, so they run at every size by default.
	analysesMax int
	exportsMax  int
	// only lists substrings of shape names; when set, only shapes whose
	// name contains one of them are measured.
	only []string
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sizes := fs.String("sizes", "1000,10000", "comma-separated node counts")
	cfg := config{}
	fs.Uint64Var(&cfg.seed, "seed", 1, "seed of the generated graphs and of the query picks")
	fs.Float64Var(&cfg.perNode, "relations-per-node", 10, "relations ÷ nodes of the generated graphs")
	fs.IntVar(&cfg.iters, "iters", 200, "calls per query shape (fewer when -budget runs out)")
	fs.DurationVar(&cfg.budget, "budget", 5*time.Second, "time per query shape; calls stop when it is spent")
	fs.DurationVar(&cfg.timeout, "timeout", 10*time.Second, "deadline of one call; a call past it reports the shape as timed out")
	fs.DurationVar(&cfg.grace, "grace", time.Minute, "how long a call past its deadline may keep running before the next shape starts regardless")
	fs.IntVar(&cfg.analysesMax, "analyses-max-nodes", 1_000_000, "run the centrality and brokerage analyses only at sizes up to this")
	fs.IntVar(&cfg.exportsMax, "exports-max-nodes", 10000, "run the whole-graph exports only at sizes up to this")
	only := fs.String("only", "", "comma-separated parts of shape names (e.g. centrality,brokerage): measure only the shapes whose name contains one")
	embedded := fs.Bool("embedded", true, "measure the embedded store (-embedded=false with -neo4j measures Neo4j alone)")
	fs.BoolVar(&cfg.useNeo4j, "neo4j", false, "also measure Neo4j at NEO4J_URI (NEO4J_USERNAME, NEO4J_PASSWORD), seeding it with each graph")
	peerCfg, peer, peerConc := parsePeerFlags(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *peer {
		for s := range strings.SplitSeq(*peerConc, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || n < 1 {
				fmt.Fprintf(stderr, "bench: -peer-concurrency %q must be numbers ≥ 1\n", *peerConc)
				return 2
			}
			peerCfg.concurrency = append(peerCfg.concurrency, n)
		}
		return runPeer(ctx, peerCfg, stdout, stderr)
	}
	for s := range strings.SplitSeq(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < synth.MinNodes {
			fmt.Fprintf(stderr, "bench: size %q must be a number of nodes ≥ %d\n", s, synth.MinNodes)
			return 2
		}
		cfg.sizes = append(cfg.sizes, n)
	}
	for part := range strings.SplitSeq(*only, ",") {
		if part = strings.TrimSpace(part); part != "" {
			cfg.only = append(cfg.only, part)
		}
	}
	if cfg.iters < 1 || cfg.budget <= 0 || cfg.timeout <= 0 || cfg.grace < 0 {
		fmt.Fprintln(stderr, "bench: -iters, -budget and -timeout must be positive, -grace not negative")
		return 2
	}
	fmt.Fprintf(stdout, "# stakegraph scale benchmark\n\n%s, GOMAXPROCS=%d, %s; seed %d, %g relations per node, up to %d calls or %s per shape, %s per call\n",
		runtime.Version(), runtime.GOMAXPROCS(0), runtime.GOARCH, cfg.seed, cfg.perNode, cfg.iters, cfg.budget, cfg.timeout)
	var backends []backend
	if *embedded {
		backends = append(backends, memBackend{})
	}
	if cfg.useNeo4j {
		b, err := newNeo4jBackend(ctx)
		if err != nil {
			fmt.Fprintln(stderr, "bench:", err)
			return 1
		}
		defer b.close(ctx)
		backends = append(backends, b)
	}
	if len(backends) == 0 {
		fmt.Fprintln(stderr, "bench: nothing to measure: -embedded=false needs -neo4j")
		return 2
	}
	var runs []*sizeRun
	for _, n := range cfg.sizes {
		for _, b := range backends {
			r, err := measureSize(ctx, cfg, b, n, stdout)
			if err != nil {
				fmt.Fprintf(stderr, "bench: %s at %d nodes: %v\n", b.name(), n, err)
				return 1
			}
			runs = append(runs, r)
		}
	}
	printGrowth(stdout, runs)
	return 0
}

// backend is a store under test: it turns a graph into a domain.Store.
type backend interface {
	name() string
	// build makes a store holding g; the harness times it and samples memory.
	build(ctx context.Context, g *domain.Graph) (domain.Store, error)
	// inProcess says whether the store lives in the harness's heap, so the
	// heap samples measure it.
	inProcess() bool
}

type memBackend struct{}

func (memBackend) name() string { return "embedded" }

func (memBackend) inProcess() bool { return true }

func (memBackend) build(_ context.Context, g *domain.Graph) (domain.Store, error) {
	return memstore.New(g)
}

// sizeRun is what one size on one backend measured.
type sizeRun struct {
	backend string
	nodes   int
	rels    int
	shapes  []*shapeResult
}

type shapeResult struct {
	name      string
	durations []time.Duration
	results   int // summed result sizes, for the mean
	timedOut  bool
	// stillRunning: the call past its deadline had not returned after
	// -grace, so it kept a core busy while the next shapes were measured.
	stillRunning bool
	skipped      string // why the shape was not run at this size
	err          error
	peakHeap     uint64        // analyses: heap objects sampled during the calls
	allocated    uint64        // analyses: bytes allocated by the calls, in all
	cpu          time.Duration // analyses: CPU time of the process during the calls (user + system)
}

func (r *shapeResult) percentile(p float64) time.Duration {
	if len(r.durations) == 0 {
		return 0
	}
	d := slices.Clone(r.durations)
	slices.Sort(d)
	i := int(float64(len(d))*p+0.5) - 1 // nearest rank
	return d[min(max(i, 0), len(d)-1)]
}

func (r *shapeResult) cell(p float64) string {
	switch {
	case r.skipped != "":
		return "–"
	case r.err != nil:
		return "error"
	case r.timedOut && len(r.durations) == 0:
		return "timeout"
	case r.timedOut:
		return fmtDur(r.percentile(p)) + " (then timeout)"
	}
	return fmtDur(r.percentile(p))
}

func fmtDur(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
	case d < time.Second:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

func mb(b uint64) string { return fmt.Sprintf("%.0f MB", float64(b)/(1<<20)) }

func measureSize(ctx context.Context, cfg config, b backend, n int, out io.Writer) (*sizeRun, error) {
	fmt.Fprintf(out, "\n## %s, %d nodes\n\n", b.name(), n)
	defer func() {
		// Other work on the machine slows every figure; say how much there was.
		if load, err := os.ReadFile("/proc/loadavg"); err == nil {
			fmt.Fprintf(out, "\nLoad average (1, 5, 15 min) after this size: %s\n", strings.Join(strings.Fields(string(load))[:3], ", "))
		}
	}()
	start := time.Now()
	d, err := synth.Generate(synth.Options{Nodes: n, Seed: cfg.seed, RelationsPerNode: cfg.perNode})
	if err != nil {
		return nil, err
	}
	g := d.Graph
	d = nil // only the graph is kept
	genTime := time.Since(start)

	before := liveHeap()
	sampler := startHeapSampler()
	start = time.Now()
	store, err := b.build(ctx, g)
	buildTime := time.Since(start)
	peak := sampler.stop()
	if err != nil {
		return nil, err
	}
	defer store.Close(ctx)
	after := liveHeap()
	if b.inProcess() {
		fmt.Fprintf(out, "%d relations; generated in %s. Build: %s; peak heap during the build %s (sampled, the graph's %s included); %s retained by the store after GC.\n\n",
			len(g.Relations), fmtDur(genTime), fmtDur(buildTime), mb(peak), mb(before), mb(after-min(after, before)))
	} else {
		fmt.Fprintf(out, "%d relations; generated in %s. Seeding (the build row): %s; the server's memory is not measured.\n\n",
			len(g.Relations), fmtDur(genTime), fmtDur(buildTime))
	}

	picks := choose(g, cfg.seed, cfg.iters)
	fmt.Fprintf(out, "Top hub %s (degree %d); leaves picked among the %d nodes with the smallest 2-hop reach.\n\n",
		picks.hub, picks.hubDegree, len(picks.leafPool))
	fmt.Fprintln(out, "| query | calls | p50 | p99 | mean result |")
	fmt.Fprintln(out, "|---|---:|---:|---:|---:|")
	r := &sizeRun{backend: b.name(), nodes: n, rels: len(g.Relations)}
	r.shapes = append(r.shapes, &shapeResult{name: "build store", durations: []time.Duration{buildTime}})
	for _, s := range shapes(picks) {
		var res *shapeResult
		switch {
		case len(cfg.only) > 0 && !slices.ContainsFunc(cfg.only, func(part string) bool { return strings.Contains(s.name, part) }):
			res = &shapeResult{name: s.name, skipped: "not selected (-only)"}
		case s.heavy == analysis && n > cfg.analysesMax:
			res = &shapeResult{name: s.name, skipped: fmt.Sprintf("analyses run up to %d nodes (-analyses-max-nodes)", cfg.analysesMax)}
		case s.heavy == exporting && n > cfg.exportsMax:
			res = &shapeResult{name: s.name, skipped: fmt.Sprintf("exports run up to %d nodes (-exports-max-nodes)", cfg.exportsMax)}
		case s.heavy == analysis:
			allocatedBefore, cpuBefore := readAllocated(), processCPU()
			sampler := startHeapSampler()
			res = measureShape(ctx, cfg, store, s)
			res.peakHeap = sampler.stop()
			res.allocated = readAllocated() - allocatedBefore
			res.cpu = processCPU() - cpuBefore
		default:
			res = measureShape(ctx, cfg, store, s)
		}
		r.shapes = append(r.shapes, res)
		mean := "–"
		if len(res.durations) > 0 {
			mean = fmt.Sprintf("%.0f", float64(res.results)/float64(len(res.durations)))
		}
		fmt.Fprintf(out, "| %s | %d | %s | %s | %s |\n", res.name, len(res.durations), res.cell(0.5), res.cell(0.99), mean)
		switch {
		case res.err != nil:
			fmt.Fprintf(out, "|   error: %s | | | | |\n", domain.ErrorMessage(res.err))
		case res.stillRunning:
			fmt.Fprintf(out, "|   the call past its deadline was still running %s later, while the next shapes ran | | | | |\n", cfg.grace)
		case res.skipped != "":
			fmt.Fprintf(out, "|   skipped: %s | | | | |\n", res.skipped)
		case res.peakHeap > 0 && b.inProcess():
			calls := max(len(res.durations), 1)
			fmt.Fprintf(out, "|   peak heap during the calls %s (sampled, the store and graph included); %s allocated and %s of CPU per call | | | | |\n",
				mb(res.peakHeap), mb(res.allocated/uint64(calls)), fmtDur(res.cpu/time.Duration(calls)))
		}
	}
	runtime.KeepAlive(g)
	return r, nil
}

// liveHeap is the heap in use after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	return readHeap()
}

var heapSample = []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}

// readHeap reads the bytes of heap objects, live or not yet swept.
func readHeap() uint64 {
	s := slices.Clone(heapSample)
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// processCPU is the user and system CPU time the process has used: on a
// machine shared with other work it moves less than the wall clock.
func processCPU() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

var allocSample = []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}

// readAllocated reads the bytes allocated on the heap since the start.
func readAllocated() uint64 {
	s := slices.Clone(allocSample)
	metrics.Read(s)
	return s[0].Value.Uint64()
}

type heapSampler struct {
	done chan struct{}
	peak atomic.Uint64
}

func startHeapSampler() *heapSampler {
	h := &heapSampler{done: make(chan struct{})}
	h.peak.Store(readHeap())
	go func() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-h.done:
				return
			case <-t.C:
				if v := readHeap(); v > h.peak.Load() {
					h.peak.Store(v)
				}
			}
		}
	}()
	return h
}

func (h *heapSampler) stop() uint64 {
	close(h.done)
	if v := readHeap(); v > h.peak.Load() {
		h.peak.Store(v)
	}
	return h.peak.Load()
}

// measureShape calls one query shape on successive picks until iters calls
// or the budget is spent. A call past its deadline ends the shape: it is
// left to finish in the background (a store that ignores its context cannot
// be stopped), and waited for up to -grace so it does not slow the next
// shape.
func measureShape(ctx context.Context, cfg config, store domain.Store, s shape) *shapeResult {
	res := &shapeResult{name: s.name}
	spent := time.Duration(0)
	for i := 0; i < cfg.iters && spent < cfg.budget; i++ {
		callCtx, cancel := context.WithTimeout(ctx, cfg.timeout)
		type answer struct {
			size int
			err  error
		}
		done := make(chan answer, 1)
		start := time.Now()
		go func() {
			size, err := s.call(callCtx, store, i)
			done <- answer{size, err}
		}()
		select {
		case a := <-done:
			took := time.Since(start)
			cancel()
			spent += took
			if a.err != nil {
				if errors.Is(a.err, context.DeadlineExceeded) || domain.ErrorCode(a.err) == domain.EUNAVAILABLE && callCtx.Err() != nil {
					res.timedOut = true
					return res
				}
				res.err = a.err
				return res
			}
			res.durations = append(res.durations, took)
			res.results += a.size
		case <-callCtx.Done():
			cancel()
			res.timedOut = true
			select {
			case <-done:
			case <-time.After(cfg.grace):
				res.stillRunning = true
			}
			return res
		}
	}
	return res
}

// picks are the nodes the query shapes are called on, drawn once per size
// with the seed.
type picks struct {
	hub       string
	hubDegree int
	leafPool  []string
	leaves    []string // leaf per call
	nodes     []string // any non-source node per call
	pairs     [][2]string
	actors    []string
	actorsB   []string
	words     []string
}

func choose(g *domain.Graph, seed uint64, iters int) *picks {
	rng := rand.New(rand.NewPCG(seed, 0x5ca1e))
	adj := map[string][]string{}
	for _, r := range g.Relations {
		adj[r.From] = append(adj[r.From], r.To)
		adj[r.To] = append(adj[r.To], r.From)
	}
	var connected, actors []*domain.Node
	isActor := map[string]bool{}
	p := &picks{}
	for _, n := range g.Nodes {
		deg := len(adj[n.ID])
		if deg == 0 {
			continue
		}
		connected = append(connected, n)
		if n.Kind.IsActor() {
			actors = append(actors, n)
			isActor[n.ID] = true
		}
		if deg > p.hubDegree {
			p.hub, p.hubDegree = n.ID, deg
		}
	}
	// A leaf is a node whose neighbours have few neighbours: the reach of
	// a depth-2 neighbourhood, bounded by the sum of their degrees.
	type reach struct {
		id    string
		nodes int
	}
	reaches := make([]reach, 0, len(connected))
	for _, n := range connected {
		sum := len(adj[n.ID])
		for _, m := range adj[n.ID] {
			sum += len(adj[m])
		}
		reaches = append(reaches, reach{n.ID, sum})
	}
	slices.SortFunc(reaches, func(a, b reach) int { return cmp.Or(cmp.Compare(a.nodes, b.nodes), strings.Compare(a.id, b.id)) })
	for _, r := range reaches[:max(20, len(reaches)/100)] {
		p.leafPool = append(p.leafPool, r.id)
	}
	for range iters {
		p.leaves = append(p.leaves, p.leafPool[rng.IntN(len(p.leafPool))])
		p.nodes = append(p.nodes, connected[rng.IntN(len(connected))].ID)
		a, b := connected[rng.IntN(len(connected))].ID, connected[rng.IntN(len(connected))].ID
		for a == b {
			b = connected[rng.IntN(len(connected))].ID
		}
		p.pairs = append(p.pairs, [2]string{a, b})
		x := actors[rng.IntN(len(actors))].ID
		p.actors, p.actorsB = append(p.actors, x), append(p.actorsB, partnerOf(rng, adj, isActor, x, actors))
		// Two words of a name, as a user would type them.
		words := strings.Fields(g.Nodes[rng.IntN(len(g.Nodes))].Name)
		p.words = append(p.words, strings.ToLower(strings.Join(words[:min(2, len(words))], " ")))
	}
	return p
}

// partnerOf picks another actor two hops from x, so the two have a
// connection in common; a random actor when x has none.
func partnerOf(rng *rand.Rand, adj map[string][]string, isActor map[string]bool, x string, actors []*domain.Node) string {
	for range 20 {
		via := adj[x][rng.IntN(len(adj[x]))]
		if y := adj[via][rng.IntN(len(adj[via]))]; y != x && isActor[y] {
			return y
		}
	}
	for {
		if y := actors[rng.IntN(len(actors))].ID; y != x {
			return y
		}
	}
}

// shape is one query shape; call runs it on the i-th pick and returns the
// size of its answer.
type shape struct {
	name  string
	call  func(ctx context.Context, s domain.Store, i int) (int, error)
	heavy heaviness
}

// heaviness says whether a shape is limited to small sizes, and by which flag.
type heaviness int

const (
	query     heaviness = iota
	analysis            // -analyses-max-nodes
	exporting           // -exports-max-nodes
)

func shapes(p *picks) []shape {
	neighbourhood := func(name string, root func(i int) string, depth int) shape {
		return shape{name: name, call: func(ctx context.Context, s domain.Store, i int) (int, error) {
			sg, err := s.Neighborhood(ctx, domain.NeighborhoodQuery{Root: root(i), Depth: depth})
			if err != nil {
				return 0, err
			}
			return len(sg.Nodes), nil
		}}
	}
	paths := func(name string, mode domain.PathMode, hops, limit int) shape {
		return shape{name: name, call: func(ctx context.Context, s domain.Store, i int) (int, error) {
			ps, err := s.Paths(ctx, domain.PathQuery{From: p.pairs[i][0], To: p.pairs[i][1], Mode: mode, MaxHops: hops, Limit: limit})
			return len(ps), err
		}}
	}
	leaf := func(i int) string { return p.leaves[i] }
	hub := func(int) string { return p.hub }
	list := []shape{
		{name: "node", call: func(ctx context.Context, s domain.Store, i int) (int, error) {
			_, err := s.Node(ctx, p.nodes[i])
			return 1, err
		}},
		{name: "search (2 words, first 20)", call: func(ctx context.Context, s domain.Store, i int) (int, error) {
			hits, err := s.Search(ctx, domain.SearchQuery{Text: p.words[i], First: 20})
			return len(hits), err
		}},
		neighbourhood("neighbourhood leaf depth 1", leaf, 1),
		neighbourhood("neighbourhood leaf depth 2", leaf, 2),
		neighbourhood("neighbourhood hub depth 1", hub, 1),
		neighbourhood("neighbourhood hub depth 2", hub, 2),
		paths("paths SHORTEST ≤4 hops", domain.PathShortest, 4, 20),
		paths("paths K_SHORTEST ≤4 hops, 10", domain.PathKShortest, 4, 10),
		paths("paths ALL_SIMPLE ≤4 hops, 50", domain.PathAllSimple, 4, 50),
		{name: "cooperation", call: func(ctx context.Context, s domain.Store, i int) (int, error) {
			cs, err := s.Cooperation(ctx, domain.CooperationQuery{Actor: p.actors[i]})
			return len(cs), err
		}},
		{name: "commonConnections (2 actors 2 hops apart)", call: func(ctx context.Context, s domain.Store, i int) (int, error) {
			cs, err := s.CommonConnections(ctx, domain.CommonConnectionsQuery{IDs: []string{p.actors[i], p.actorsB[i]}})
			return len(cs), err
		}},
		{name: "coParticipation (first 100)", call: func(ctx context.Context, s domain.Store, i int) (int, error) {
			cs, err := s.CoParticipation(ctx, domain.CoParticipationQuery{First: domain.MaxPageSize})
			return len(cs), err
		}},
		{name: "timeline of an actor", call: func(ctx context.Context, s domain.Store, i int) (int, error) {
			es, err := s.Timeline(ctx, domain.TimelineQuery{Actor: p.actors[i], First: domain.MaxPageSize})
			return len(es), err
		}},
		{name: "timeline (first 100)", call: func(ctx context.Context, s domain.Store, i int) (int, error) {
			es, err := s.Timeline(ctx, domain.TimelineQuery{First: domain.MaxPageSize})
			return len(es), err
		}},
		{name: "whole graph", call: func(ctx context.Context, s domain.Store, i int) (int, error) {
			sg, err := s.Graph(ctx, domain.GraphQuery{})
			if err != nil {
				return 0, err
			}
			return len(sg.Nodes), nil
		}},
	}
	return append(append(list, analyses()...), exports()...)
}

// analyses are the centrality measures and brokerage, each on a fresh
// Analyzer so no call is served from its cache. An analysis refused by its
// size bound reports the refusal as its error.
func analyses() []shape {
	var list []shape
	for _, m := range network.Measures {
		list = append(list, shape{name: "centrality " + string(m), heavy: analysis,
			call: func(ctx context.Context, s domain.Store, _ int) (int, error) {
				r, err := network.NewAnalyzer(s).Centrality(ctx, network.CentralityQuery{Measure: m, First: 20})
				if err != nil {
					return 0, err
				}
				return r.NodeCount, nil
			}})
	}
	return append(list, shape{name: "brokerage", heavy: analysis,
		call: func(ctx context.Context, s domain.Store, _ int) (int, error) {
			bs, err := network.NewAnalyzer(s).Brokerage(ctx, network.BrokerageQuery{First: 20})
			return len(bs), err
		}})
}

// exports write the whole graph in each format to nowhere; the answer size
// is the bytes written.
func exports() []shape {
	var list []shape
	for _, f := range export.Formats {
		list = append(list, shape{name: "export " + f.Name + " (whole graph)", heavy: exporting,
			call: func(ctx context.Context, s domain.Store, _ int) (int, error) {
				g, err := s.Graph(ctx, domain.GraphQuery{})
				if err != nil {
					return 0, err
				}
				d := &export.Data{Title: "whole graph", Nodes: g.Nodes, Relations: g.Relations, Sources: map[string]*domain.Node{}}
				for _, n := range g.Nodes {
					if n.Kind == domain.KindSource {
						d.Sources[n.ID] = n
					}
				}
				var w countingWriter
				err = f.Write(&w, d)
				return int(w), err
			}})
	}
	return list
}

type countingWriter int

func (w *countingWriter) Write(p []byte) (int, error) {
	*w += countingWriter(len(p))
	return len(p), nil
}

// printGrowth prints p50 per shape and size, with the ratio of each size's
// p50 to the previous size's, per backend.
func printGrowth(out io.Writer, runs []*sizeRun) {
	byBackend := map[string][]*sizeRun{}
	var names []string
	for _, r := range runs {
		if _, ok := byBackend[r.backend]; !ok {
			names = append(names, r.backend)
		}
		byBackend[r.backend] = append(byBackend[r.backend], r)
	}
	for _, name := range names {
		rs := byBackend[name]
		fmt.Fprintf(out, "\n## %s: p50 by size (×: growth over the previous size)\n\n| query |", name)
		for _, r := range rs {
			fmt.Fprintf(out, " %d nodes / %d rel. |", r.nodes, r.rels)
		}
		fmt.Fprint(out, "\n|---|")
		for range rs {
			fmt.Fprint(out, "---:|")
		}
		fmt.Fprintln(out)
		for i, s := range rs[0].shapes {
			fmt.Fprintf(out, "| %s |", s.name)
			for j, r := range rs {
				cur := r.shapes[i]
				cell := cur.cell(0.5)
				if j > 0 {
					prev := rs[j-1].shapes[i]
					if len(prev.durations) > 0 && len(cur.durations) > 0 && !cur.timedOut && cur.err == nil {
						cell += fmt.Sprintf(" (×%.1f)", float64(cur.percentile(0.5))/float64(prev.percentile(0.5)))
					}
				}
				fmt.Fprintf(out, " %s |", cell)
			}
			fmt.Fprintln(out)
		}
	}
}
