// Command stakegraph serves the EU–Ecuador security cooperation graph over
// GraphQL, seeds it into Neo4j and validates dataset files.
//
//	stakegraph serve [--addr :8080] [--metrics-addr 127.0.0.1:9090] [--data DIR] [--state-dir DIR] [--neo4j-uri bolt://…] [--seed] [--reseed] [--tokens FILE] [--write-origins URL,…] [--require-token-for-reads]
//	stakegraph token --name NAME --role reader|editor|admin
//	stakegraph seed [--data DIR] --neo4j-uri bolt://…
//	stakegraph validate [file.yaml|dir …]
//	stakegraph import --from csv --out DIR [--sources DIR] (nodes.csv edges.csv | export.csv.zip)
//	stakegraph import --from ftm --out DIR [--sources DIR] (FILE.ftm.json | -)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/stakegraph/stakegraph/graph"
	"github.com/stakegraph/stakegraph/internal/auth"
	"github.com/stakegraph/stakegraph/internal/boltstore"
	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/neo4j"
	"github.com/stakegraph/stakegraph/internal/readiness"
	"github.com/stakegraph/stakegraph/internal/server"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(Main(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

const usage = `usage: stakegraph <command> [flags]

commands:
  serve      serve GraphQL (embedded store, kept in --state-dir, unless --neo4j-uri or NEO4J_URI is set)
  seed       import the dataset (shipped, or --data DIR) into Neo4j (all or nothing)
  validate   check dataset files (default: the shipped dataset)
  import     turn the CSV or FollowTheMoney export into a dataset directory
  token      make a new bearer token and print the line for the tokens file

run "stakegraph <command> -h" for the flags of a command
`

// Main runs the command line and returns the exit code. Tests call it with
// their own context, output and environment.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = runServe(ctx, args[1:], stderr, getenv)
	case "seed":
		err = runSeed(ctx, args[1:], stdout, stderr, getenv)
	case "validate":
		err = runValidate(args[1:], stdout)
	case "import":
		err = runImport(args[1:], stdout, stderr)
	case "token":
		err = runToken(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "stakegraph: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	default:
		msg := " " + domain.ErrorMessage(err)
		if strings.Contains(msg, "\n") {
			// One problem per line (validate): list them under the command.
			msg = "\n  " + strings.ReplaceAll(domain.ErrorMessage(err), "\n", "\n  ")
		}
		fmt.Fprintf(stderr, "stakegraph %s:%s\n", args[0], msg)
		return 1
	}
}

// dataFlag is --data, shared by serve and seed.
func dataFlag(fs *flag.FlagSet) *string {
	return fs.String("data", "",
		"dataset `DIR` in the shipped format (YAML files, texts under sources/), checked as `validate DIR` checks it; empty means the shipped dataset")
}

// loadDataset loads and validates the dataset in dir, or the shipped one
// when dir is empty, with its source texts. A dataset with any problem is
// refused whole, every problem named, before any store sees it.
func loadDataset(dir string) (*dataset.Dataset, error) {
	if dir == "" {
		return dataset.ShippedDataset()
	}
	return dataset.LoadFilesDataset(dir)
}

// defaultStateDir is where the embedded store keeps its state unless told
// otherwise: the user's data directory ($XDG_DATA_HOME, else
// ~/.local/share), under stakegraph.
func defaultStateDir(getenv func(string) string) string {
	if xdg := getenv("XDG_DATA_HOME"); filepath.IsAbs(xdg) {
		return filepath.Join(xdg, "stakegraph")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "share", "stakegraph")
	}
	return "stakegraph-state"
}

// dataName says which dataset a graph came from, for logs and output.
func dataName(dir string) string {
	if dir == "" {
		return "the shipped dataset"
	}
	return "the dataset in " + dir
}

// errUsage marks a flag error the flag package has already reported.
var errUsage = errors.New("usage")

// neo4jFlags are shared by serve and seed; each defaults to its environment
// variable so docker-compose and the tests configure both the same way.
type neo4jFlags struct {
	cfg neo4j.Config
}

func (f *neo4jFlags) register(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&f.cfg.URI, "neo4j-uri", getenv("NEO4J_URI"), "Neo4j Bolt URI, e.g. bolt://localhost:7687 (env NEO4J_URI); empty means the embedded store")
	fs.StringVar(&f.cfg.User, "neo4j-user", envOr(getenv, "NEO4J_USER", "neo4j"), "Neo4j user (env NEO4J_USER)")
	fs.StringVar(&f.cfg.Password, "neo4j-password", getenv("NEO4J_PASSWORD"), "Neo4j password (env NEO4J_PASSWORD)")
	fs.StringVar(&f.cfg.Database, "neo4j-database", envOr(getenv, "NEO4J_DATABASE", "neo4j"), "Neo4j database (env NEO4J_DATABASE)")
}

func envOr(getenv func(string) string, key, fallback string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return fallback
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 && fs.Name() != "validate" {
		fmt.Fprintf(fs.Output(), "unexpected arguments: %v\n", fs.Args())
		return errUsage
	}
	return nil
}

func newLogger(w io.Writer, format string) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

func runServe(ctx context.Context, args []string, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", envOr(getenv, "STAKEGRAPH_ADDR", ":8080"), "listen address (env STAKEGRAPH_ADDR)")
	metricsAddr := fs.String("metrics-addr", getenv("STAKEGRAPH_METRICS_ADDR"),
		"serve /metrics only on this address, e.g. 127.0.0.1:9090, and not on --addr (env STAKEGRAPH_METRICS_ADDR); empty: on --addr")
	seed := fs.Bool("seed", false, "with Neo4j: re-import the dataset (shipped, or --data) even if the database holds data")
	dataDir := dataFlag(fs)
	stateDir := fs.String("state-dir", envOr(getenv, "STAKEGRAPH_STATE_DIR", defaultStateDir(getenv)),
		"embedded store: `DIR` that keeps the data and every change made to it (env STAKEGRAPH_STATE_DIR); seeded from the dataset (shipped, or --data) on first start")
	reseedDefault, err := envBool(getenv, "STAKEGRAPH_RESEED")
	if err != nil {
		return err
	}
	reseed := fs.Bool("reseed", reseedDefault,
		"with Neo4j: while serving, import the dataset again whenever the database is found without it or without its schema, e.g. after Neo4j restarted empty; "+
			"embedded store: start over from the dataset when --state-dir was seeded from another one, dropping its changes (env STAKEGRAPH_RESEED=true)")
	timeout := fs.Duration("request-timeout", 10*time.Second, "deadline for each GraphQL request and export, passed down to the store")
	logFormat := fs.String("log-format", envOr(getenv, "STAKEGRAPH_LOG_FORMAT", "text"), "log format: text or json (env STAKEGRAPH_LOG_FORMAT)")
	var nf neo4jFlags
	nf.register(fs, getenv)
	tokensFile := fs.String("tokens", getenv("STAKEGRAPH_TOKENS_FILE"),
		"tokens `FILE` that may write: one `name role sha256` line per token, role reader, editor or admin (make one with `stakegraph token`); "+
			"without it reads are open and every write is refused (env STAKEGRAPH_TOKENS_FILE)")
	requireReadsDefault, err := envBool(getenv, "STAKEGRAPH_REQUIRE_TOKEN_FOR_READS")
	if err != nil {
		return err
	}
	requireReads := fs.Bool("require-token-for-reads", requireReadsDefault,
		"refuse queries and exports without a valid token too (any role) (env STAKEGRAPH_REQUIRE_TOKEN_FOR_READS=true)")
	writeOrigins := fs.String("write-origins", getenv("STAKEGRAPH_WRITE_ORIGINS"),
		"comma-separated browser origins, e.g. https://analyst.example, whose pages may send the Authorization header (CORS) when tokens are configured; other origins may only read (env STAKEGRAPH_WRITE_ORIGINS)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	logger := newLogger(stderr, *logFormat)
	tokens, err := loadTokens(*tokensFile, *requireReads, logger)
	if err != nil {
		return err
	}

	d, err := loadDataset(*dataDir)
	if err != nil {
		return err
	}
	g := d.Graph
	embedded := embeddedState{dir: *stateDir, texts: d.SourceTexts, reseed: *reseed}
	opened, reseedStore, err := openStore(ctx, nf.cfg, g, dataName(*dataDir), *seed, embedded, logger)
	if err != nil {
		return err
	}
	// Every query goes through the guard: while the store is down or lacks
	// the dataset, queries answer a coded error at once and /readyz says why
	// (see package readiness).
	guardOpts := readiness.Options{Version: g.Version(), Logger: logger}
	if *reseed && reseedStore != nil {
		guardOpts.Reseed = reseedStore
	}
	store := readiness.Start(ctx, opened, guardOpts)
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.Background(), server.ShutdownTimeout)
		defer cancel()
		if err := store.Close(closeCtx); err != nil {
			logger.Warn("closing store", "err", err)
		}
	}()

	// Writes and history go through the guard too, so they fail fast
	// while the store is down.
	var writer domain.Writer
	if w, ok := opened.(domain.Writer); ok {
		writer = store.Writer(w)
	}
	var atVersion graph.AtVersion
	if past, ok := opened.(interface {
		AtVersion(context.Context, int64) (domain.Store, error)
	}); ok {
		atVersion = past.AtVersion
	}
	api := graph.NewHandler(store, graph.HandlerOptions{RequestTimeout: *timeout, Logger: logger, Writer: writer,
		AtVersion: atVersion, Tokens: tokens, RequireTokenForReads: *requireReads})
	opts := server.Options{RequestTimeout: *timeout, Tokens: tokens, RequireTokenForReads: *requireReads,
		WriteOrigins: splitList(*writeOrigins)}
	var metricsListener net.Listener
	if *metricsAddr != "" {
		if metricsListener, err = listen(*metricsAddr); err != nil {
			return err
		}
		opts.Metrics = server.NewMetrics()
		logger.Info("serving metrics", "addr", metricsListener.Addr().String(), "path", "/metrics")
	}
	listener, err := listen(*addr)
	if err != nil {
		if metricsListener != nil {
			_ = metricsListener.Close()
		}
		return err
	}
	logger.Info("listening", "addr", listener.Addr().String(), "playground", "http://"+displayAddr(listener.Addr())+"/")
	routes := server.Routes(store, api, logger, opts)
	if metricsListener == nil {
		return server.Serve(ctx, listener, routes, logger)
	}
	// Both servers stop together: when either fails, or on ctx.
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	errc := make(chan error, 2)
	go func() { errc <- server.Serve(ctx, metricsListener, opts.Metrics.Handler(), logger) }()
	go func() { errc <- server.Serve(ctx, listener, routes, logger) }()
	err = <-errc
	stop()
	return errors.Join(err, <-errc)
}

// loadTokens reads the tokens file, if any, and says in the log whether
// writes are on (never the tokens).
func loadTokens(file string, requireReads bool, logger *slog.Logger) (*auth.Tokens, error) {
	if file == "" {
		if requireReads {
			return nil, domain.Errorf(domain.EINVALID, "--require-token-for-reads needs --tokens FILE: with no tokens nobody could read")
		}
		logger.Info("writes are off: no tokens configured (see --tokens)")
		return nil, nil
	}
	tokens, err := auth.LoadFile(file)
	if err != nil {
		return nil, err
	}
	if tokens.Len() == 0 {
		return nil, domain.Errorf(domain.EINVALID, "the tokens file %s holds no token; add lines printed by `stakegraph token`", file)
	}
	logger.Info("writes are on", "tokens", tokens.Len(), "file", file, "reads need a token", requireReads)
	return tokens, nil
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// runToken makes a new random token and prints it with the line to add to
// the tokens file; the server keeps only the hash.
func runToken(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("name", "", "who holds the token; history records this name with every change it makes")
	role := fs.String("role", string(domain.RoleEditor), "reader, editor (add and correct) or admin (also retire and revert)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *name == "" || strings.ContainsAny(*name, " \t\n") {
		return domain.Errorf(domain.EINVALID, "--name is required, one word without spaces, e.g. --name alice")
	}
	if !domain.Role(*role).Valid() {
		return domain.Errorf(domain.EINVALID, "--role %q is not one of reader, editor, admin", *role)
	}
	token, err := auth.NewToken()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "token (give it to %s; it is not stored anywhere): %s\n", *name, token)
	fmt.Fprintf(stdout, "line for the tokens file:\n%s\n", auth.Line(*name, domain.Role(*role), token))
	return nil
}

func listen(addr string) (net.Listener, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, domain.WrapError(domain.EUNAVAILABLE, err, "cannot listen on %s: %v", addr, err)
	}
	return l, nil
}

// displayAddr turns a wildcard listen address into one a browser can open.
func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return a.String()
	}
	return fmt.Sprintf("localhost:%d", tcp.Port)
}

// embeddedState says where and how the embedded store keeps its state.
type embeddedState struct {
	dir    string
	texts  map[string]string // the dataset's source texts
	reseed bool              // start over when the state holds another dataset
}

// openStore opens Neo4j when a URI is configured, seeding it with g when
// empty or when asked, and otherwise the durable embedded store in its
// state directory, seeded with g on first start.
func openStore(ctx context.Context, cfg neo4j.Config, g *domain.Graph, data string, reseed bool, state embeddedState, logger *slog.Logger) (domain.Store, func(context.Context) error, error) {
	if cfg.URI == "" {
		store, err := boltstore.Open(ctx, state.dir, boltstore.Base{Graph: g, Texts: state.texts}, boltstore.Options{Reseed: state.reseed})
		if errors.Is(err, boltstore.ErrOtherData) {
			return nil, nil, domain.WrapError(domain.EINVALID, err,
				"%s; serve it with the dataset it was seeded from, pick another --state-dir, or pass --reseed to start over from %s (its changes are dropped)",
				domain.ErrorMessage(err), data)
		}
		if err != nil {
			return nil, nil, err
		}
		current, changes, _ := store.Current(ctx)
		logger.Info("using the embedded store", "data", data, "state", state.dir, "changes", changes,
			"nodes", len(current.Nodes), "relations", len(current.Relations))
		return store, nil, nil
	}
	store, err := neo4j.Open(ctx, cfg, logger)
	if err != nil {
		return nil, nil, err
	}
	empty, err := store.IsEmpty(ctx)
	if err == nil && (empty || reseed) {
		logger.Info("seeding Neo4j", "uri", cfg.URI, "data", data, "nodes", len(g.Nodes), "relations", len(g.Relations))
		err = store.SeedWithTexts(ctx, g, state.texts)
	}
	if err != nil {
		_ = store.Close(ctx)
		return nil, nil, err
	}
	version, _ := store.ServerVersion(ctx)
	logger.Info("using Neo4j", "uri", cfg.URI, "database", cfg.Database, "version", version)
	reload := func(ctx context.Context) error {
		if err := store.Setup(ctx); err != nil {
			return err
		}
		return store.SeedWithTexts(ctx, g, state.texts)
	}
	return store, reload, nil
}

func runSeed(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir := dataFlag(fs)
	var nf neo4jFlags
	nf.register(fs, getenv)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if nf.cfg.URI == "" {
		return domain.Errorf(domain.EINVALID, "no Neo4j to seed: pass --neo4j-uri or set NEO4J_URI")
	}
	logger := newLogger(stderr, "text")
	// Load first: a bad dataset never reaches the database.
	ds, err := loadDataset(*dataDir)
	if err != nil {
		return err
	}
	g := ds.Graph
	store, err := neo4j.Open(ctx, nf.cfg, logger)
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	if err := store.SeedWithTexts(ctx, g, ds.SourceTexts); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "seeded %s from %s: %d nodes, %d relations, %d statements\n", nf.cfg.URI, dataName(*dataDir), len(g.Nodes), len(g.Relations), len(g.Statements))
	return nil
}

func runValidate(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(stdout)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: stakegraph validate [file.yaml|dir …]  (no arguments: the shipped dataset)")
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	var g *domain.Graph
	var err error
	if fs.NArg() == 0 {
		g, err = dataset.Shipped()
	} else {
		g, err = dataset.LoadFiles(fs.Args()...)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "ok: %d nodes, %d relations, %d statements\n", len(g.Nodes), len(g.Relations), len(g.Statements))
	return nil
}

// envBool reads a boolean environment variable; unset means false.
func envBool(getenv func(string) string, key string) (bool, error) {
	v := getenv(key)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, domain.Errorf(domain.EINVALID, "%s=%q is not a boolean: use true or false", key, v)
	}
	return b, nil
}
