package neo4j_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/neo4j"
	"github.com/stakegraph/stakegraph/internal/neo4jtest"
)

// TestWritesSurviveNeo4jKill streams writes into a Neo4j of its own, kills
// it with SIGKILL in the middle, restarts it with its data and checks that
// every acknowledged write is there and nothing half-written is: history
// runs from Seq 1 without gaps, holds every acknowledged change (and at
// most the one write in flight at the kill besides), and the graph, texts
// and derived properties are exactly the seeded data with that history
// replayed. The shared test server is never touched.
func TestWritesSurviveNeo4jKill(t *testing.T) {
	db := neo4jtest.New(t, "../..", "the Neo4j crash test")
	db.Start(t, false)
	cfg := neo4j.Config{URI: db.URI}
	ctx := context.Background()
	s := openOn(t, cfg)
	base := testGraph()
	texts := map[string]string{"source:round-table-minutes": minutesText}
	if err := s.SeedWithTexts(ctx, base, texts); err != nil {
		t.Fatalf("SeedWithTexts: %v", err)
	}

	// The stream: a bounded loop of writes, each a topic and a relation
	// to it, until the loop ends or a write fails.
	const maxWrites, killAfter = 400, 40
	var mu sync.Mutex
	var acked []*domain.Change
	var failure error
	enough := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < maxWrites; i++ {
			w := &domain.Write{Action: domain.ActionUpsertStakeholder, Actor: editor,
				Node: &domain.Node{Kind: domain.KindTopic, Name: fmt.Sprintf("Crash topic %d", i)}}
			if i%2 == 1 {
				w = &domain.Write{Action: domain.ActionAddRelation, Actor: editor, Relation: &domain.Relation{
					Type: domain.RelAddresses, From: "programme:seacop", To: fmt.Sprintf("topic:crash-topic-%d", i-1),
					Confidence: domain.ConfidenceLow,
					Evidence:   []domain.Evidence{{SourceID: "source:round-table-minutes", Quote: "for port security"}}}}
			}
			c, err := s.Apply(ctx, w)
			mu.Lock()
			if err != nil {
				failure = err
				mu.Unlock()
				return
			}
			acked = append(acked, c)
			if len(acked) == killAfter {
				close(enough)
			}
			mu.Unlock()
		}
	}()
	select {
	case <-enough:
	case <-done:
		t.Fatalf("the stream ended before the kill: %v", failure)
	}
	db.Kill(t)
	<-done
	mu.Lock()
	t.Logf("killed Neo4j after %d acknowledged writes; the next failed with %v", len(acked), failure)
	if len(acked) == maxWrites {
		t.Fatalf("all %d writes were acknowledged: the kill came after the stream", maxWrites)
	}
	if code := domain.ErrorCode(failure); code != domain.EUNAVAILABLE {
		t.Errorf("the write at the kill: got %v, want EUNAVAILABLE", failure)
	}
	mu.Unlock()

	db.Start(t, true)
	after := openOn(t, cfg)
	history := allChanges(t, after, "")
	if len(history) < len(acked) || len(history) > len(acked)+1 {
		t.Errorf("history after the restart holds %d changes; %d were acknowledged (at most one more may have committed unacknowledged)", len(history), len(acked))
	}
	for i, c := range acked {
		if i >= len(history) {
			t.Fatalf("acknowledged change %d (%s %s) is lost", c.Seq, c.Action, c.Target)
		}
		if h := history[i]; h.Seq != c.Seq || h.Target != c.Target || h.Action != c.Action || !h.At.Equal(c.At) {
			t.Errorf("history[%d]: got %d %s %s at %v, acknowledged %d %s %s at %v", i, h.Seq, h.Action, h.Target, h.At, c.Seq, c.Action, c.Target, c.At)
		}
		if c.Action == domain.ActionUpsertStakeholder {
			if _, err := after.Node(ctx, c.Target); err != nil {
				t.Errorf("acknowledged node %s: %v", c.Target, err)
			}
		}
	}
	checkAgainstHistoryOn(t, cfg, after, base, texts)

	// The store takes writes again, numbered on from the last change.
	c, err := after.Apply(ctx, &domain.Write{Action: domain.ActionUpsertStakeholder, Actor: editor,
		Node: &domain.Node{Kind: domain.KindTopic, Name: "After the crash"}})
	if err != nil || c.Seq != int64(len(history)+1) {
		t.Fatalf("first write after the restart: got %+v, %v, want Seq %d", c, err, len(history)+1)
	}
	checkAgainstHistoryOn(t, cfg, after, base, texts)
}

// openOn opens a store on the server cfg names, closed when the test ends.
func openOn(tb testing.TB, cfg neo4j.Config) *neo4j.Store {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := neo4j.Open(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}
