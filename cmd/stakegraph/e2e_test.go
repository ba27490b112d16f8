package main_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// binary is the stakegraph binary built once for all tests.
var binary string

var updateReadme = flag.Bool("update-readme", false, "rewrite the outputs of the README's analyst queries from the embedded store")

const readmePath = "../../README.md"

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "stakegraph-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "stakegraph")
	// Every serve gets a state directory of its own (see stateEnv); should
	// one not, it lands here and never in the user's data directory.
	if err := os.Setenv("XDG_DATA_HOME", filepath.Join(dir, "data")); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build stakegraph:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// service is a running stakegraph binary.
type service struct {
	base string
	cmd  *exec.Cmd
	logs *logBuffer
}

// logBuffer holds a service's log lines; tests read it while the service
// may still be writing to it.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) WriteString(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b.WriteString(s)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startService runs `stakegraph serve --seed` on a free loopback port with
// extra environment and waits until it listens.
func startService(tb testing.TB, env ...string) *service {
	tb.Helper()
	return startServe(tb, []string{"--seed"}, env...)
}

// startServe runs `stakegraph serve` with extra flags and environment on a
// free loopback port and waits until it listens.
func startServe(tb testing.TB, flags []string, env ...string) *service {
	tb.Helper()
	cmd := exec.Command(binary, append([]string{"serve", "--addr", "127.0.0.1:0"}, flags...)...)
	cmd.Env = append(stateEnv(tb), env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatalf("start stakegraph: %v", err)
	}
	s := &service{cmd: cmd, logs: &logBuffer{}}
	addrc := make(chan string, 1)
	go func() {
		listening := regexp.MustCompile(`msg=listening addr=(\S+)`)
		scanner := bufio.NewScanner(stderr)
		for scanner.Scan() {
			s.logs.WriteString(scanner.Text() + "\n")
			if m := listening.FindStringSubmatch(scanner.Text()); m != nil {
				addrc <- m[1]
			}
		}
		close(addrc)
	}()
	tb.Cleanup(func() { s.stop(tb) })
	select {
	case addr, ok := <-addrc:
		if !ok {
			_ = cmd.Wait()
			tb.Fatalf("stakegraph exited before listening:\n%s", s.logs)
		}
		s.base = "http://" + addr
	case <-time.After(60 * time.Second):
		tb.Fatalf("stakegraph did not listen within 60s:\n%s", s.logs)
	}
	return s
}

// stateEnv is the test process's environment with a fresh state directory
// for the embedded store; env given after it may name another.
func stateEnv(tb testing.TB) []string {
	return append(os.Environ(), "STAKEGRAPH_STATE_DIR="+tb.TempDir())
}

// stop sends SIGTERM and requires a clean, prompt exit.
func (s *service) stop(tb testing.TB) {
	tb.Helper()
	if s.cmd.ProcessState != nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			tb.Errorf("stakegraph exit after SIGTERM: got %v, want exit 0\n%s", err, s.logs)
		}
	case <-time.After(20 * time.Second):
		_ = s.cmd.Process.Kill()
		tb.Errorf("stakegraph did not stop within 20s of SIGTERM")
	}
}

type gqlResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// query POSTs a GraphQL query and returns the HTTP status and decoded body.
func (s *service) query(tb testing.TB, q string, vars map[string]any) (int, gqlResponse) {
	tb.Helper()
	body, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
	resp, err := http.Post(s.base+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		tb.Fatalf("POST /graphql: %v", err)
	}
	return decode(tb, resp)
}

func decode(tb testing.TB, resp *http.Response) (int, gqlResponse) {
	tb.Helper()
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out gqlResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		tb.Fatalf("decode response (status %d): %v\n%s", resp.StatusCode, err, raw)
	}
	return resp.StatusCode, out
}

// stores lists the backends to run end-to-end tests against: the embedded
// store always, Neo4j when NEO4J_URI is set (required in CI).
func stores(tb testing.TB) map[string][]string {
	tb.Helper()
	out := map[string][]string{"embedded": {"NEO4J_URI="}}
	if uri := os.Getenv("NEO4J_URI"); uri != "" {
		out["neo4j"] = []string{"NEO4J_URI=" + uri}
	} else if os.Getenv("CI") == "true" {
		tb.Fatal("NEO4J_URI is not set in CI: the Neo4j end-to-end tests must run (use make test)")
	} else {
		tb.Log("NEO4J_URI not set: Neo4j end-to-end tests skipped; run `make test` to start a real Neo4j")
	}
	return out
}

func TestServeEndToEnd(t *testing.T) {
	for name, env := range stores(t) {
		t.Run(name, func(t *testing.T) {
			s := startService(t, env...)
			for path, want := range map[string]int{"/healthz": 200, "/readyz": 200, "/": 200} {
				resp, err := http.Get(s.base + path)
				if err != nil {
					t.Fatalf("GET %s: %v", path, err)
				}
				resp.Body.Close()
				if resp.StatusCode != want {
					t.Errorf("GET %s: got status %d, want %d", path, resp.StatusCode, want)
				}
			}

			t.Run("GET query", func(t *testing.T) {
				resp, err := http.Get(s.base + "/graphql?query=" + url.QueryEscape(`{ stakeholder(id: "country:hungary") { name } }`))
				if err != nil {
					t.Fatal(err)
				}
				status, body := decode(t, resp)
				if status != 200 || len(body.Errors) > 0 || !strings.Contains(string(body.Data), `"Hungary"`) {
					t.Errorf("got status %d data %s errors %v, want 200 with Hungary", status, body.Data, body.Errors)
				}
			})

			t.Run("errors carry codes", func(t *testing.T) {
				cases := []struct {
					query string
					code  string
				}{
					{`{ stakeholder(id: "hungary") { id } }`, "EINVALID"},
					{`{ stakeholder(id: "country:atlantis") { id } }`, "ENOTFOUND"},
					{`{ neighborhood(id: "country:hungary", depth: 50) { nodes { id } } }`, "EINVALID"},
					{`{ search(query: "") { score } }`, "EINVALID"},
				}
				for _, c := range cases {
					status, body := s.query(t, c.query, nil)
					if status >= 500 {
						t.Errorf("%s: got HTTP %d, want < 500", c.query, status)
					}
					if len(body.Errors) == 0 {
						t.Fatalf("%s: got no error, want %s", c.query, c.code)
					}
					if got := body.Errors[0].Extensions["code"]; got != c.code {
						t.Errorf("%s: got code %v (%s), want %s", c.query, got, body.Errors[0].Message, c.code)
					}
				}
			})

			t.Run("README queries", func(t *testing.T) {
				examples := readmeExamples(t)
				if len(examples) < 5 {
					t.Fatalf("README has %d query examples with output, want at least 5", len(examples))
				}
				for _, ex := range examples {
					status, body := s.query(t, ex.query, nil)
					if status != 200 || len(body.Errors) > 0 {
						t.Fatalf("README query %q: status %d errors %v", ex.title, status, body.Errors)
					}
					got, _ := json.Marshal(map[string]json.RawMessage{"data": body.Data})
					if *updateReadme && name == "embedded" {
						rewriteReadmeOutput(t, ex, readable(t, got))
						continue
					}
					if !jsonEqual(t, got, []byte(ex.output)) {
						t.Errorf("README query %q:\n got %s\nwant %s", ex.title, readable(t, got), ex.output)
					}
				}
			})
		})
	}
}

type example struct{ title, query, output string }

// readmeExamples returns each ```graphql block of README.md that is followed
// by a ```json block: the query and the output the README promises.
func readmeExamples(tb testing.TB) []example {
	tb.Helper()
	raw, err := os.ReadFile(readmePath)
	if err != nil {
		tb.Fatalf("read README: %v", err)
	}
	pattern := regexp.MustCompile("(?s)#### ([^\n]+)\n.*?```graphql\n(.*?)```\n.*?```json\n(.*?)```")
	var out []example
	for _, m := range pattern.FindAllStringSubmatch(string(raw), -1) {
		out = append(out, example{title: m[1], query: m[2], output: m[3]})
	}
	return out
}

// rewriteReadmeOutput replaces the output block of ex in the README.
func rewriteReadmeOutput(tb testing.TB, ex example, output string) {
	tb.Helper()
	raw, err := os.ReadFile(readmePath)
	if err != nil {
		tb.Fatal(err)
	}
	head := "#### " + ex.title + "\n"
	start := bytes.Index(raw, []byte(head))
	open := bytes.Index(raw[start:], []byte("```json\n")) + start + len("```json\n")
	end := bytes.Index(raw[open:], []byte("```")) + open
	updated := append(append(append([]byte{}, raw[:open]...), output+"\n"...), raw[end:]...)
	if err := os.WriteFile(readmePath, updated, 0o644); err != nil {
		tb.Fatal(err)
	}
}

func jsonEqual(tb testing.TB, a, b []byte) bool {
	tb.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		tb.Fatalf("bad JSON %s: %v", a, err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		tb.Fatalf("bad JSON in README %s: %v", b, err)
	}
	xs, _ := json.Marshal(x)
	ys, _ := json.Marshal(y)
	return bytes.Equal(xs, ys)
}

// readable formats JSON for the README in the order GraphQL returned it: a
// value whose compact form fits on a line stays on one line, larger ones are
// indented.
func readable(tb testing.TB, raw []byte) string {
	tb.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	v, err := decodeOrdered(dec)
	if err != nil {
		tb.Fatal(err)
	}
	var b strings.Builder
	writeReadable(&b, v, "")
	return b.String()
}

// object keeps a JSON object's keys in their original order.
type object struct {
	keys   []string
	values []any
}

func decodeOrdered(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		obj := &object{}
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return nil, err
			}
			val, err := decodeOrdered(dec)
			if err != nil {
				return nil, err
			}
			obj.keys = append(obj.keys, key.(string))
			obj.values = append(obj.values, val)
		}
		_, err = dec.Token()
		return obj, err
	case json.Delim('['):
		list := []any{}
		for dec.More() {
			val, err := decodeOrdered(dec)
			if err != nil {
				return nil, err
			}
			list = append(list, val)
		}
		_, err = dec.Token()
		return list, err
	}
	return tok, nil
}

func compactJSON(v any) string {
	switch x := v.(type) {
	case *object:
		parts := make([]string, len(x.keys))
		for i, k := range x.keys {
			key, _ := json.Marshal(k)
			parts[i] = string(key) + ": " + compactJSON(x.values[i])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = compactJSON(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	scalar, _ := json.Marshal(v)
	return string(scalar)
}

func writeReadable(b *strings.Builder, v any, prefix string) {
	compact := compactJSON(v)
	if len(prefix)+len(compact) <= 100 {
		b.WriteString(compact)
		return
	}
	inner := prefix + "  "
	switch x := v.(type) {
	case *object:
		b.WriteString("{\n")
		for i, k := range x.keys {
			key, _ := json.Marshal(k)
			b.WriteString(inner + string(key) + ": ")
			writeReadable(b, x.values[i], inner)
			if i < len(x.keys)-1 {
				b.WriteString(",")
			}
			b.WriteString("\n")
		}
		b.WriteString(prefix + "}")
	case []any:
		b.WriteString("[\n")
		for i, e := range x {
			b.WriteString(inner)
			writeReadable(b, e, inner)
			if i < len(x)-1 {
				b.WriteString(",")
			}
			b.WriteString("\n")
		}
		b.WriteString(prefix + "]")
	default:
		b.WriteString(compact)
	}
}

// testNodes is a tiny valid node file for the validate cases.
const testNodes = `
nodes:
  - id: country:spain
    name: Spain
  - id: event:summit
    name: Summit
  - id: source:article
    name: Article
    text: article.txt
`

func TestValidate(t *testing.T) {
	broken := t.TempDir()
	cases := []struct {
		name     string
		args     []string
		files    map[string]string
		wantCode int
		wantOut  []string
	}{
		{name: "shipped dataset", args: nil, wantCode: 0, wantOut: []string{"ok:"}},
		{
			name: "relation with a bad date",
			files: map[string]string{"nodes.yaml": testNodes, "relations.yaml": `
relations:
  - type: ATTENDED
    from: country:spain
    to: event:summit
    start: "2023-13"
    confidence: HIGH
    evidence:
      - source: source:article
        quote: "Spain"
`},
			wantCode: 1,
			wantOut:  []string{"relations.yaml", "start"},
		},
		{
			name: "unknown relation type",
			files: map[string]string{"nodes.yaml": testNodes, "relations.yaml": `
relations:
  - type: ADMIRES
    from: country:spain
    to: event:summit
    confidence: HIGH
    evidence:
      - source: source:article
        quote: "Spain"
`},
			wantCode: 1,
			wantOut:  []string{"relations.yaml", "type", "ADMIRES"},
		},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"validate"}, c.args...)
			if c.files != nil {
				dir := filepath.Join(broken, fmt.Sprint(i))
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				c.files["article.txt"] = "Spain attended the summit."
				for name, content := range c.files {
					if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				args = append(args, dir)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, binary, args...)
			out, _ := cmd.CombinedOutput()
			if got := cmd.ProcessState.ExitCode(); got != c.wantCode {
				t.Errorf("exit code: got %d, want %d\n%s", got, c.wantCode, out)
			}
			for _, want := range c.wantOut {
				if !strings.Contains(string(out), want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
		})
	}
}

// TestValidateBrokenShippedCopy breaks one quote in a copy of the shipped
// dataset: validate must fail naming the file, the relation and the field.
func TestValidateBrokenShippedCopy(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("../../internal/dataset/data")); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "relations", "roundtable.yaml")
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	const quote = "Germany, Austria, Belgium"
	if !bytes.Contains(raw, []byte(quote)) {
		t.Fatalf("roundtable.yaml no longer quotes %q; pick another quote to break", quote)
	}
	broken := bytes.Replace(raw, []byte(quote), []byte("Germany, Austria, Portugal"), 1)
	if err := os.WriteFile(file, broken, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(binary, "validate", dir).CombinedOutput()
	if err == nil {
		t.Fatalf("validate succeeded on a broken quote, want failure:\n%s", out)
	}
	for _, want := range []string{"relations/roundtable.yaml:", "|ATTENDED|event:iii-round-table-2023: evidence[", "].quote: not found verbatim"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestServeWithUnreachableNeo4j: a wrong NEO4J_URI stops the start with a
// message and a log line naming the server, rather than serving errors later.
func TestServeWithUnreachableNeo4j(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, "serve", "--addr", "127.0.0.1:0", "--neo4j-uri", "bolt://127.0.0.1:1")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("serve started against an unreachable Neo4j, want failure:\n%s", out)
	}
	if got := cmd.ProcessState.ExitCode(); got != 1 {
		t.Errorf("exit code: got %d, want 1", got)
	}
	// The message (which API users would see too) says what is wrong; the
	// log names the server for the operator.
	for _, want := range []string{"Neo4j is not reachable", "uri=bolt://127.0.0.1:1"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestServeMetricsOnTheirOwnAddress runs serve with --metrics-addr (here by
// its environment variable): the metrics answer there and not on the API's
// address, and both servers stop on SIGTERM.
func TestServeMetricsOnTheirOwnAddress(t *testing.T) {
	help, err := exec.Command(binary, "serve", "-h").CombinedOutput()
	if err != nil || !strings.Contains(string(help), "-metrics-addr") {
		t.Errorf("serve -h: got %v and %q, want exit 0 and --metrics-addr described", err, help)
	}

	s := startService(t, "STAKEGRAPH_METRICS_ADDR=127.0.0.1:0")
	m := regexp.MustCompile(`msg="serving metrics" addr=(\S+)`).FindStringSubmatch(s.logs.String())
	if m == nil {
		t.Fatalf("no metrics address in the log:\n%s", s.logs)
	}
	for _, c := range []struct {
		url    string
		status int
	}{
		{"http://" + m[1] + "/metrics", http.StatusOK},
		{s.base + "/metrics", http.StatusNotFound},
		{"http://" + m[1] + "/graphql?query=%7B__typename%7D", http.StatusNotFound},
	} {
		resp, err := http.Get(c.url)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.status {
			t.Errorf("GET %s: got status %d, want %d", c.url, resp.StatusCode, c.status)
		}
	}
	s.stop(t)
}
