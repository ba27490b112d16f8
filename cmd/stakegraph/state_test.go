package main_test

import (
	"context"
	"os/exec"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/internal/boltstore"
	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
)

// TestServeKeepsItsState: the embedded store serves what its state
// directory holds, changes included, across restarts; a state seeded from
// another dataset is refused with the flag that starts over, which works.
func TestServeKeepsItsState(t *testing.T) {
	help, err := exec.Command(binary, "serve", "-h").CombinedOutput()
	if err != nil || !strings.Contains(string(help), "-state-dir DIR") || !strings.Contains(string(help), "STAKEGRAPH_STATE_DIR") {
		t.Errorf("serve -h: got %v and %q, want --state-dir described", err, help)
	}
	state := t.TempDir()
	env := []string{"NEO4J_URI=", "STAKEGRAPH_STATE_DIR=" + state}
	const topic = `{ stakeholder(id: "topic:new-security-threats") { name } }`

	s := startServe(t, nil, env...)
	if _, resp := s.query(t, topic, nil); len(resp.Errors) != 1 || resp.Errors[0].Extensions["code"] != "ENOTFOUND" {
		t.Fatalf("before the change: got %s %v, want ENOTFOUND", resp.Data, resp.Errors)
	}
	s.stop(t)

	// A change written to the state while the server is down.
	d, err := dataset.ShippedDataset()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := boltstore.Open(ctx, state, boltstore.Base{Graph: d.Graph, Texts: d.SourceTexts}, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = st.Apply(ctx, &domain.Write{Action: domain.ActionUpsertStakeholder, Actor: domain.Actor{Name: "test", Role: domain.RoleEditor},
		Node: &domain.Node{Kind: domain.KindTopic, Name: "New security threats"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(ctx); err != nil {
		t.Fatal(err)
	}

	s = startServe(t, nil, env...)
	if logs := s.logs.String(); !strings.Contains(logs, "changes=1") {
		t.Errorf("the start log does not say the state holds one change:\n%s", logs)
	}
	if status, resp := s.query(t, topic, nil); status != 200 || string(resp.Data) != `{"stakeholder":{"name":"New security threats"}}` {
		t.Fatalf("after a restart: status %d, %s %v; want the topic written before", status, resp.Data, resp.Errors)
	}
	s.stop(t)

	own := writeDataset(t, ownData)
	out, code := run(t, env, "serve", "--addr", "127.0.0.1:0", "--data", own)
	if code != 1 || !strings.Contains(out, "seeded from another dataset") || !strings.Contains(out, "--reseed") {
		t.Fatalf("serve --data with a state of the shipped dataset: exit %d, want 1 and a message naming --reseed:\n%s", code, out)
	}
	s = startServe(t, []string{"--data", own, "--reseed"}, env...)
	checkOwnData(t, s)
}
