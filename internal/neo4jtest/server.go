// Package neo4jtest runs a Neo4j of a test's own with scripts/neo4j, for
// fault tests that kill and restart the server (the outage test in
// cmd/stakegraph, the crash test in internal/neo4j) without touching the
// shared test server.
package neo4jtest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/internal/neo4j"
)

// Server is a Neo4j in a home of its own, sharing the repository's cache of
// Neo4j downloads.
type Server struct {
	URI  string // bolt URI once started
	root string // repository root
	home string
	port string
}

// New prepares a server for the test named what (in skip messages); root
// is the repository root. Outside CI it skips when there is no Neo4j set
// up or no Java; in CI (CI=true) it never skips. The server is stopped when
// the test ends.
func New(tb testing.TB, root, what string) *Server {
	tb.Helper()
	root, err := filepath.Abs(root)
	if err != nil {
		tb.Fatal(err)
	}
	if os.Getenv("CI") != "true" {
		if os.Getenv("NEO4J_URI") == "" {
			tb.Skipf("NEO4J_URI not set: %s skipped; run `make test`, which runs it with its own Neo4j", what)
		}
		if _, err := exec.LookPath("java"); err != nil && os.Getenv("JAVA_HOME") == "" {
			tb.Skipf("no java: %s starts its own Neo4j (scripts/neo4j/start.sh) and needs Java 17", what)
		}
	}
	n := &Server{root: root, home: tb.TempDir()}
	tb.Cleanup(func() { n.script(tb, "stop.sh", nil) })
	return n
}

// script runs one of scripts/neo4j with the server's home and returns its
// standard output.
func (n *Server) script(tb testing.TB, name string, env []string) string {
	tb.Helper()
	cmd := exec.Command(filepath.Join(n.root, "scripts", "neo4j", name))
	cmd.Dir = n.root
	cmd.Env = append(os.Environ(), append([]string{
		"STAKEGRAPH_NEO4J_HOME=" + n.home,
		"STAKEGRAPH_NEO4J_CACHE=" + filepath.Join(n.root, ".cache", "neo4j"),
	}, env...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		tb.Fatalf("scripts/neo4j/%s: %v\n%s", name, err, stderr.String())
	}
	return stdout.String()
}

var uriLine = regexp.MustCompile(`(?m)^export NEO4J_URI=(bolt://[^:]+:(\d+))$`)

// Start starts the server, on the port it had if it ran before, keeping
// the data of that run when keepData is set.
func (n *Server) Start(tb testing.TB, keepData bool) {
	tb.Helper()
	keep := "0"
	if keepData {
		keep = "1"
	}
	began := time.Now()
	out := n.script(tb, "start.sh", []string{"STAKEGRAPH_NEO4J_BOLT_PORT=" + n.port, "STAKEGRAPH_NEO4J_KEEP_DATA=" + keep})
	m := uriLine.FindStringSubmatch(out)
	if m == nil {
		tb.Fatalf("start.sh printed no NEO4J_URI:\n%s", out)
	}
	if n.port != "" && m[2] != n.port {
		tb.Fatalf("start.sh restarted on port %s, want %s", m[2], n.port)
	}
	n.URI, n.port = m[1], m[2]
	tb.Logf("Neo4j started on %s in %v (keep data: %v)", n.URI, time.Since(began).Round(time.Millisecond), keepData)
}

// Kill sends SIGKILL to the server, as a crash or an OOM kill would, and
// waits until it is gone.
func (n *Server) Kill(tb testing.TB) {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join(n.home, "run", "neo4j.pid"))
	if err != nil {
		tb.Fatalf("Neo4j pid: %v", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(raw)))
	if err != nil {
		tb.Fatalf("Neo4j pid %q: %v", raw, err)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		tb.Fatalf("kill -9 %d: %v", pid, err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		state, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		// Gone, or a zombie nobody reaped yet: its sockets are closed.
		if err != nil || strings.Contains(string(state), ") Z ") {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("Neo4j (pid %d) still running 30s after SIGKILL", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Config reads the shared test server's connection from NEO4J_URI and the
// other NEO4J_* variables (scripts/test.sh sets them). Without NEO4J_URI it
// fails in CI (CI=true), where the Neo4j tests must run, and skips
// elsewhere; what names the tests in those messages.
func Config(tb testing.TB, what string) neo4j.Config {
	tb.Helper()
	cfg := neo4j.Config{
		URI:      os.Getenv("NEO4J_URI"),
		User:     os.Getenv("NEO4J_USER"),
		Password: os.Getenv("NEO4J_PASSWORD"),
		Database: os.Getenv("NEO4J_DATABASE"),
	}
	if cfg.URI == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("NEO4J_URI is not set in CI: %s must run on Neo4j (scripts/test.sh starts it; use make test)", what)
		}
		tb.Skipf("NEO4J_URI not set: %s skipped; run `make test`, which starts a real Neo4j, or "+
			"`eval \"$(scripts/neo4j/start.sh)\"` first", what)
	}
	return cfg
}
