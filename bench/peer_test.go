package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestPeerComparison runs the peer comparison briefly against the Neo4j at
// NEO4J_URI: it installs the peer with npm ci, starts it, checks that all
// four targets give the same answers and reports every figure and ratio.
func TestPeerComparison(t *testing.T) {
	if raceEnabled {
		t.Skip("the peer comparison needs Neo4j: it runs in the Neo4j step of scripts/test.sh, not under -race")
	}
	if os.Getenv("NEO4J_URI") == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("NEO4J_URI not set in CI: the peer comparison must run there (scripts/test.sh starts Neo4j)")
		}
		t.Skip("NEO4J_URI not set: run `make test`, or `eval \"$(scripts/neo4j/start.sh)\"` then go test ./bench/")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out, errs bytes.Buffer
	// scripts/test.sh installs the peer with npm ci; a run without it does
	// so here.
	args := []string{"-peer", "-peer-dir", "peer", "-peer-npm=" + strconv.FormatBool(!peerInstalled(t, "peer")),
		"-peer-duration", "100ms", "-peer-warmup", "0s", "-peer-rounds", "1", "-peer-concurrency", "1,4"}
	if code := run(ctx, args, &out, &errs); code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errs.String())
	}
	report := out.String()
	queries := peerQueries(false)
	for _, q := range queries {
		if !strings.Contains(report, "- "+q.name+": every target answers the same") {
			t.Errorf("report does not say the targets agree on %q:\n%s", q.name, report)
		}
		for _, c := range []string{"1", "4"} {
			for _, target := range allTargets {
				if row := "| " + q.name + " | " + c + " | " + target + " | "; !strings.Contains(report, row) {
					t.Errorf("report has no row %q:\n%s", row, report)
				}
			}
			if row := "| " + q.name + " | " + c + " | "; strings.Count(report, row) != len(allTargets)+1 {
				t.Errorf("report has %d rows starting %q, want one per target and one of ratios:\n%s",
					strings.Count(report, row), row, report)
			}
		}
	}
}

// peerInstalled says whether npm ci has installed dir's locked packages
// since the lock file last changed.
func peerInstalled(tb testing.TB, dir string) bool {
	tb.Helper()
	lock, err := os.Stat(filepath.Join(dir, "package-lock.json"))
	if err != nil {
		tb.Fatalf("the peer's lock file: %v", err)
	}
	installed, err := os.Stat(filepath.Join(dir, "node_modules", ".package-lock.json"))
	return err == nil && !installed.ModTime().Before(lock.ModTime())
}

func TestPeerRefusesUnknownTarget(t *testing.T) {
	var out, errs bytes.Buffer
	if code := run(context.Background(), []string{"-peer", "-peer-targets", "neo4j-ogm"}, &out, &errs); code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	if !strings.Contains(errs.String(), `no target "neo4j-ogm"`) {
		t.Errorf("stderr %q, want it to name the unknown target", errs.String())
	}
}
