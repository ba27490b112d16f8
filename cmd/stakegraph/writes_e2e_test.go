package main_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// writeResponse is a GraphQL response with its extensions.
type writeResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
	Extensions struct {
		DataVersion *int64 `json:"dataVersion"`
	} `json:"extensions"`
}

func (r writeResponse) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// call POSTs a GraphQL request with a bearer token ("" for none).
func (s *service) call(tb testing.TB, token, q string, vars map[string]any) (int, writeResponse) {
	tb.Helper()
	body, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
	req, err := http.NewRequest(http.MethodPost, s.base+"/graphql", bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("POST /graphql: %v", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out writeResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		tb.Fatalf("decode response (status %d): %v\n%s", resp.StatusCode, err, raw)
	}
	return resp.StatusCode, out
}

// mustCall is call that fails the test on any error, decoding data into T.
func mustCall[T any](tb testing.TB, s *service, token, q string, vars map[string]any) (T, writeResponse) {
	tb.Helper()
	status, resp := s.call(tb, token, q, vars)
	var data T
	if status != http.StatusOK || len(resp.Errors) > 0 {
		tb.Fatalf("%s: status %d, errors %+v", strings.Fields(q)[0], status, resp.Errors)
	}
	if err := json.Unmarshal(resp.Data, &data); err != nil {
		tb.Fatalf("decoding %s: %v", resp.Data, err)
	}
	return data, resp
}

// newToken runs `stakegraph token` and returns the token and the line for
// the tokens file.
func newToken(tb testing.TB, name, role string) (token, line string) {
	tb.Helper()
	out, code := run(tb, nil, "token", "--name", name, "--role", role)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 3 {
		tb.Fatalf("stakegraph token: exit %d\n%s", code, out)
	}
	token = lines[0][strings.LastIndex(lines[0], " ")+1:]
	if !strings.HasPrefix(token, "sg_") || !strings.HasPrefix(lines[2], name+" "+role+" ") || strings.Contains(lines[2], token) {
		tb.Fatalf("stakegraph token printed %q, want the token and a line with its hash only", out)
	}
	return token, lines[2]
}

// writeTokens writes a tokens file for an editor and an admin.
func writeTokens(tb testing.TB) (file, editor, admin string) {
	tb.Helper()
	editor, edLine := newToken(tb, "alice", "editor")
	admin, adLine := newToken(tb, "root", "admin")
	file = filepath.Join(tb.TempDir(), "tokens")
	content := "# name role sha256(token)\n" + edLine + "\n" + adLine + "\n"
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		tb.Fatal(err)
	}
	return file, editor, admin
}

// The README's CSV of one's own and the texts it cites.
var limaCSV = map[string]string{
	"nodes.csv":            "id,label,kind,isoCode,start\ncountry:peru,Peru,Country,PE,\nevent:lima-summit,Lima summit on port security,Event,,2024-05-14\nsource:field-note,\"Field note, May 2024\",Source,,\n",
	"edges.csv":            "source,target,type,start,confidence,evidence\ncountry:peru,event:lima-summit,ATTENDED,2024-05-14,HIGH,\"source:field-note: \"\"Peru attended the Lima summit\"\"\"\n",
	"texts/field-note.txt": "In May 2024 Peru attended the Lima summit on port security.\n",
}

const minutesText = "Minutes of the Lima summit on port security, 14 May 2024.\n\nPeru chaired the opening\nsession and set the agenda."

// The walkthrough's writes.
const (
	wAddSource   = `mutation($text: String!) { addSource(input: {id: "source:lima-minutes", title: "Minutes of the Lima summit", published: "2024-05-14", language: "en", text: $text}) { change { seq actor action target } source { id version } } }`
	wAddRelation = `mutation { addRelation(input: {type: CHAIRED, from: "country:peru", to: "event:lima-summit", role: "chair of the opening session", start: "2024-05-14", confidence: HIGH, evidence: [{source: "source:lima-minutes", quote: "Peru chaired the opening session"}]}) { change { seq actor action target } relation { id type source target role version } } }`
	wChanges     = `{ changes { changes { seq at actor role action target reason reverts } hasNextPage } }`
	wRevert      = `mutation { revert(changeId: 2, reason: "the minutes name the host, not the chair") { change { seq actor action reverts } reverted { seq action target } } }`
	wPeru        = `{ stakeholder(id: "country:peru") { relations { type node { id } role } } }`
)

// TestWriteWalkthroughEndToEnd runs the README's walkthrough on the built
// binary: import a CSV, serve it with tokens, add a source and a relation
// with a quote, have a write without a token refused, list the changes,
// revert one, and read the graph as known at an earlier version and on an
// earlier date.
func TestWriteWalkthroughEndToEnd(t *testing.T) {
	for name, env := range stores(t) {
		t.Run(name, func(t *testing.T) {
			dir := writeDataset(t, limaCSV)
			lima := filepath.Join(dir, "lima")
			out, code := run(t, nil, "import", "--from", "csv", filepath.Join(dir, "nodes.csv"), filepath.Join(dir, "edges.csv"),
				"--sources", filepath.Join(dir, "texts"), "--out", lima)
			if code != 0 || out != "imported 3 nodes, 1 relations, 0 statements and 1 source texts into "+lima+"\n" {
				t.Fatalf("import: exit %d\n%s", code, out)
			}
			tokens, editor, admin := writeTokens(t)
			s := startServe(t, []string{"--data", lima, "--seed", "--tokens", tokens}, env...)
			t.Cleanup(func() {
				if t.Failed() {
					t.Logf("server log:\n%s", s.logs)
				}
			})
			if strings.Contains(s.logs.String(), editor) || strings.Contains(s.logs.String(), admin) {
				t.Errorf("the log shows a token:\n%s", s.logs)
			}

			_, refused := s.call(t, "", wAddSource, map[string]any{"text": minutesText})
			if refused.code() != "EUNAUTHORIZED" || !strings.Contains(refused.Errors[0].Message, "Authorization: Bearer") {
				t.Errorf("addSource without a token: got %+v, want EUNAUTHORIZED saying how to send one", refused.Errors)
			}

			src, resp := mustCall[struct {
				AddSource struct {
					Change struct {
						Seq                   int
						Actor, Action, Target string
					}
					Source struct {
						ID      string
						Version int
					}
				}
			}](t, s, editor, wAddSource, map[string]any{"text": minutesText})
			if c := src.AddSource.Change; c.Seq != 1 || c.Actor != "alice" || c.Action != "ADD_SOURCE" || src.AddSource.Source.Version != 1 {
				t.Errorf("addSource: got %+v", src.AddSource)
			}
			if v := resp.Extensions.DataVersion; v == nil || *v != 1 {
				t.Errorf("addSource: extensions.dataVersion = %v, want 1", v)
			}
			_, badQuote := s.call(t, editor, strings.Replace(wAddRelation, "Peru chaired the opening session", "Peru chaired the summit", 1), nil)
			if badQuote.code() != "EINVALID" || !strings.Contains(badQuote.Errors[0].Message, "evidence[0].quote") {
				t.Errorf("addRelation with a quote not in the text: got %+v, want EINVALID naming evidence[0].quote", badQuote.Errors)
			}
			rel, _ := mustCall[struct {
				AddRelation struct {
					Relation struct {
						ID, Role string
						Version  int
					}
				}
			}](t, s, editor, wAddRelation, nil)
			if r := rel.AddRelation.Relation; r.ID != "country:peru|CHAIRED|event:lima-summit" || r.Version != 2 {
				t.Errorf("addRelation: got %+v", r)
			}

			type change struct {
				Seq                     int
				At, Actor, Role, Action string
				Target                  string
				Reason                  *string
				Reverts                 *int
			}
			changes, _ := mustCall[struct {
				Changes struct{ Changes []change }
			}](t, s, "", wChanges, nil)
			if got := changes.Changes.Changes; len(got) != 2 || got[0].Action != "ADD_SOURCE" || got[1].Target != "country:peru|CHAIRED|event:lima-summit" || got[1].Actor != "alice" || got[1].Role != "EDITOR" {
				t.Errorf("changes: got %+v", got)
			}

			if _, resp := s.call(t, editor, wRevert, nil); resp.code() != "EFORBIDDEN" {
				t.Errorf("revert by an editor: got %+v, want EFORBIDDEN", resp.Errors)
			}
			rev, _ := mustCall[struct {
				Revert struct {
					Change struct {
						Seq, Reverts  int
						Actor, Action string
					}
				}
			}](t, s, admin, wRevert, nil)
			if c := rev.Revert.Change; c.Seq != 3 || c.Reverts != 2 || c.Actor != "root" {
				t.Errorf("revert: got %+v", c)
			}

			type peru struct {
				Stakeholder struct {
					Relations []struct {
						Type string
						Node struct{ ID string }
					}
				}
			}
			now, resp := mustCall[peru](t, s, "", wPeru, nil)
			if len(now.Stakeholder.Relations) != 1 || now.Stakeholder.Relations[0].Type != "ATTENDED" {
				t.Errorf("Peru's relations after the revert: got %+v, want ATTENDED only", now.Stakeholder.Relations)
			}
			if v := resp.Extensions.DataVersion; v == nil || *v != 3 {
				t.Errorf("read after three changes: extensions.dataVersion = %v, want 3", v)
			}
			then, resp := mustCall[peru](t, s, "", "query @asKnown(version: 2) "+wPeru, nil)
			if len(then.Stakeholder.Relations) != 2 || then.Stakeholder.Relations[0].Type != "ATTENDED" || then.Stakeholder.Relations[1].Type != "CHAIRED" {
				t.Errorf("Peru's relations as known at version 2: got %+v, want ATTENDED and CHAIRED", then.Stakeholder.Relations)
			}
			if v := resp.Extensions.DataVersion; v == nil || *v != 2 {
				t.Errorf("@asKnown(version: 2): extensions.dataVersion = %v", v)
			}
			yesterday := time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)
			_, resp = s.call(t, "", fmt.Sprintf(`query @asKnown(on: %q) { stakeholder(id: "source:lima-minutes") { id } dataVersion }`, yesterday), nil)
			if resp.code() != "ENOTFOUND" || resp.Extensions.DataVersion == nil || *resp.Extensions.DataVersion != 0 {
				t.Errorf("the minutes as known yesterday: got %s %+v (version %v), want ENOTFOUND at version 0", resp.Data, resp.Errors, resp.Extensions.DataVersion)
			}
		})
	}
}

// TestWritesSurviveSIGKILL streams writes at the real binary on the
// embedded store, kills it with SIGKILL in the middle of the stream,
// restarts it on the same state directory and checks that every
// acknowledged write is there and nothing else: the history is gapless and
// holds exactly the nodes it says were created.
func TestWritesSurviveSIGKILL(t *testing.T) {
	tokens, editor, _ := writeTokens(t)
	state := t.TempDir()
	env := []string{"NEO4J_URI=", "STAKEGRAPH_STATE_DIR=" + state}
	s := startServe(t, []string{"--tokens", tokens}, env...)

	const writers, perWriter = 4, 100 // a bounded stream
	const killAfter = 40              // acknowledged writes before the kill
	var mu sync.Mutex
	acked := map[string]int{} // topic ID → seq
	killed := make(chan struct{})
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWriter {
				select {
				case <-killed:
					return
				default:
				}
				id := fmt.Sprintf("topic:crash-%d-%d", w, i)
				body, _ := json.Marshal(map[string]any{
					"query":     `mutation($id: ID!, $name: String!) { upsertStakeholder(input: {id: $id, kind: Topic, name: $name}) { change { seq } } }`,
					"variables": map[string]any{"id": id, "name": fmt.Sprintf("Crash topic %d %d", w, i)},
				})
				req, _ := http.NewRequest(http.MethodPost, s.base+"/graphql", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+editor)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					return // the server is gone
				}
				var out struct {
					Data struct {
						UpsertStakeholder *struct{ Change struct{ Seq int } }
					}
				}
				err = json.NewDecoder(resp.Body).Decode(&out)
				resp.Body.Close()
				if err != nil || out.Data.UpsertStakeholder == nil {
					return // cut off mid-answer, or refused: not acknowledged
				}
				mu.Lock()
				acked[id] = out.Data.UpsertStakeholder.Change.Seq
				n := len(acked)
				mu.Unlock()
				if n == killAfter {
					_ = s.cmd.Process.Kill() // SIGKILL, while the other writers are mid-request
					close(killed)
				}
			}
		}()
	}
	wg.Wait()
	_ = s.cmd.Wait()
	if len(acked) < killAfter {
		t.Fatalf("only %d writes were acknowledged before the stream ended; the kill never came", len(acked))
	}

	restarted := startServe(t, []string{"--tokens", tokens}, env...)
	type page struct {
		Changes struct {
			Changes []struct {
				Seq    int
				Target string
			}
			HasNextPage bool
			LastSeq     *int
		}
	}
	var history []struct {
		Seq    int
		Target string
	}
	for since := 0; ; {
		p, _ := mustCall[page](t, restarted, "", `query($since: Int) { changes(since: $since, first: 100) { changes { seq target } hasNextPage lastSeq } }`, map[string]any{"since": since})
		history = append(history, p.Changes.Changes...)
		if !p.Changes.HasNextPage {
			break
		}
		since = *p.Changes.LastSeq
	}
	inHistory := map[string]int{}
	for i, c := range history {
		if c.Seq != i+1 {
			t.Fatalf("history after the crash: change %d has seq %d, want no gaps", i+1, c.Seq)
		}
		inHistory[c.Target] = c.Seq
	}
	for id, seq := range acked {
		if inHistory[id] != seq {
			t.Errorf("acknowledged write %s (change %d) is not in the history after the crash (got %d)", id, seq, inHistory[id])
		}
	}
	// Exactly the topics the history created exist: none half-written.
	topics, _ := mustCall[struct {
		Stakeholders struct {
			TotalCount int
			Edges      []struct{ Node struct{ ID string } }
		}
	}](t, restarted, "", `{ stakeholders(filter: {kinds: [Topic]}, first: 100) { totalCount } }`, nil)
	shipped, _ := mustCall[struct{ Stakeholders struct{ TotalCount int } }](t, startServe(t, nil, "NEO4J_URI="), "", `{ stakeholders(filter: {kinds: [Topic]}, first: 1) { totalCount } }`, nil)
	if got, want := topics.Stakeholders.TotalCount, shipped.Stakeholders.TotalCount+len(history); got != want {
		t.Errorf("topics after the crash: got %d, want the shipped %d plus the %d the history created", got, shipped.Stakeholders.TotalCount, len(history))
	}
	for id, seq := range inHistory {
		_, resp := restarted.call(t, "", `query($id: ID!) { stakeholder(id: $id) { version } }`, map[string]any{"id": id})
		var data struct{ Stakeholder *struct{ Version int } }
		_ = json.Unmarshal(resp.Data, &data)
		if data.Stakeholder == nil || data.Stakeholder.Version != seq {
			t.Errorf("%s: got %s %+v, want it at version %d as the history says", id, resp.Data, resp.Errors, seq)
		}
	}
	t.Logf("%d writes acknowledged before SIGKILL, %d in the history after the restart", len(acked), len(history))
}
