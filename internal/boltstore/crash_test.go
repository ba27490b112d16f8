package boltstore_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/internal/boltstore"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/storetest"
)

// crashDirEnv names the state directory of the child process the crash
// test runs and kills.
const crashDirEnv = "BOLTSTORE_CRASH_CHILD_DIR"

// crashWrites bounds the child's stream of writes.
const crashWrites = 400

// crashWrite is the i-th write of the child's stream: bodies, their
// relations, and every fifth write a retirement that takes a body and its
// relation out in one change, so a half-applied change would show.
func crashWrite(i int) *domain.Write {
	n := i / 5
	switch i % 5 {
	case 0, 2:
		return body(i)
	case 1, 3:
		return attends(i - 1)
	}
	return &domain.Write{Action: domain.ActionRetireStakeholder, Actor: admin, Target: fmt.Sprintf("organization:body-%d", 5*n), Reason: "crash test"}
}

// TestCrashChild is the child: it writes the stream and prints each
// acknowledged Seq. Only TestCrashKeepsAcknowledgedWrites runs it.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		t.Skip("the child of TestCrashKeepsAcknowledgedWrites; it runs only when that test starts it")
	}
	ctx := context.Background()
	s, err := boltstore.Open(ctx, dir, shipped(t), boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("opened")
	for i := range crashWrites {
		c, err := s.Apply(ctx, crashWrite(i))
		if err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
		fmt.Printf("ack %d\n", c.Seq) // unbuffered: the parent sees it once Apply returned
	}
}

// TestCrashKeepsAcknowledgedWrites kills a process with SIGKILL in the
// middle of a stream of writes, at a different moment each round, and
// reopens its state: every acknowledged write must be there, the log must
// have no gaps, and every logged change must be applied whole.
func TestCrashKeepsAcknowledgedWrites(t *testing.T) {
	if os.Getenv(crashDirEnv) != "" {
		t.Skip("in the child")
	}
	// Kill after this many acknowledgements; -1: as soon as the store is
	// open, before any write; 0: as soon as the process starts (perhaps
	// while it seeds).
	for _, killAfter := range []int{0, -1, 1, 7, 33, 120} {
		t.Run(fmt.Sprintf("after%d", killAfter), func(t *testing.T) {
			dir := t.TempDir()
			acked := runAndKill(t, dir, killAfter)
			s, err := boltstore.Open(context.Background(), dir, shipped(t), boltstore.Options{})
			if err != nil {
				t.Fatalf("reopen after the crash: %v", err)
			}
			defer s.Close(context.Background())
			checkAfterCrash(t, s, acked)
		})
	}
}

// runAndKill runs the child on dir, kills it once it acknowledged
// killAfter writes and returns the Seqs it acknowledged.
func runAndKill(t *testing.T, dir string, killAfter int) []int64 {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	kill := func() { _ = cmd.Process.Signal(syscall.SIGKILL) }
	if killAfter == 0 {
		time.Sleep(20 * time.Millisecond)
		kill()
	}
	var acked []int64
	finished := false
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		line := lines.Text()
		switch {
		case line == "opened" && killAfter == -1:
			kill()
		case strings.HasPrefix(line, "ack "):
			seq, err := strconv.ParseInt(strings.TrimPrefix(line, "ack "), 10, 64)
			if err != nil {
				t.Fatalf("child said %q", line)
			}
			acked = append(acked, seq)
			if len(acked) == killAfter {
				kill()
			}
		case line == "PASS":
			finished = true
		}
	}
	err = cmd.Wait()
	if finished || err == nil {
		t.Fatalf("the child finished all %d writes before it was killed; kill earlier", crashWrites)
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the child ended with %v, not by SIGKILL", err)
	}
	t.Logf("killed after %d acknowledged writes", len(acked))
	return acked
}

// checkAfterCrash checks the reopened state against what was acknowledged.
func checkAfterCrash(t *testing.T, s *boltstore.Store, acked []int64) {
	ctx := context.Background()
	dv, err := s.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, seq := range acked {
		if seq != int64(i+1) {
			t.Fatalf("acknowledgement %d was seq %d", i+1, seq)
		}
	}
	if dv < int64(len(acked)) {
		t.Fatalf("data version %d after the crash, but %d writes were acknowledged", dv, len(acked))
	}
	var logged []*domain.Change
	for since := int64(0); ; {
		page, err := s.Changes(ctx, domain.ChangeQuery{Since: since, First: domain.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		logged = append(logged, page.Changes...)
		if !page.HasNextPage {
			break
		}
		since = page.Changes[len(page.Changes)-1].Seq
	}
	t.Logf("%d changes durable, %d of them acknowledged", dv, len(acked))
	if int64(len(logged)) != dv {
		t.Fatalf("history holds %d changes, data version is %d", len(logged), dv)
	}
	// Each logged change is the write the child made at that point, and
	// whole: the last step on each target is what the graph holds now.
	last := map[string]domain.Step{}
	for i, c := range logged {
		if c.Seq != int64(i+1) {
			t.Fatalf("history: change %d has seq %d", i+1, c.Seq)
		}
		if want := crashWrite(i); c.Action != want.Action {
			t.Fatalf("change %d is %s, but the child's write %d was %s", c.Seq, c.Action, i, want.Action)
		}
		for _, st := range c.Steps {
			last[st.Target] = st
		}
	}
	g, _, err := s.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	nodes, rels := map[string]*domain.Node{}, map[string]*domain.Relation{}
	for _, n := range g.Nodes {
		nodes[n.ID] = n
	}
	for _, r := range g.Relations {
		rels[r.ID] = r
	}
	for id, st := range last {
		var ok bool
		switch {
		case st.IsRelation() && st.After == nil:
			ok = rels[id] == nil
		case st.IsRelation():
			ok = domain.SameRelation(rels[id], st.After.Relation)
		case st.After == nil:
			ok = nodes[id] == nil
		default:
			ok = domain.SameNode(nodes[id], st.After.Node)
		}
		if !ok {
			t.Errorf("%s does not hold the value its last logged change gave it", id)
		}
	}
	storetest.CheckRules(t, s, s)
	// The reopened store takes writes again, numbered on.
	c, err := s.Apply(ctx, crashWrite(int(dv)))
	if err != nil || c.Seq != dv+1 {
		t.Fatalf("write after the crash: %v, %v; want seq %d", c, err, dv+1)
	}
}
