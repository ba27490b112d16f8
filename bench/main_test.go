// The harness is a main package, so its test is internal to it.
package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestRunReportsEveryShape runs the harness on two tiny graphs and checks
// that every query shape answered at both sizes and got a growth ratio.
func TestRunReportsEveryShape(t *testing.T) {
	var out, errs bytes.Buffer
	if code := run(context.Background(), []string{"-sizes", "60,120", "-iters", "3"}, &out, &errs); code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errs.String())
	}
	report := out.String()
	for _, bad := range []string{"error", "timeout"} {
		if strings.Contains(report, bad) {
			t.Errorf("report mentions %q:\n%s", bad, report)
		}
	}
	growth := report[strings.Index(report, "p50 by size"):]
	for _, s := range shapes(&picks{}) {
		if got := strings.Count(report, "| "+s.name+" | 3 |"); got != 2 {
			t.Errorf("shape %q: %d rows with 3 calls, want one per size", s.name, got)
		}
		row := growth[strings.Index(growth, "| "+s.name+" |"):]
		if row = row[:strings.Index(row, "\n")]; !strings.Contains(row, "(×") {
			t.Errorf("growth row %q has no ratio", row)
		}
	}
}

func TestRunRefusesBadSizes(t *testing.T) {
	for _, sizes := range []string{"10", "abc", "1000,"} {
		var out, errs bytes.Buffer
		if code := run(context.Background(), []string{"-sizes", sizes}, &out, &errs); code != 2 {
			t.Errorf("-sizes %q: exit %d, want 2", sizes, code)
		}
		if !strings.Contains(errs.String(), "must be a number of nodes") {
			t.Errorf("-sizes %q: stderr %q, want it to say what a size must be", sizes, errs.String())
		}
	}
}

// TestRunOnly measures only the shapes -only names, and the heap of each
// analysis.
func TestRunOnly(t *testing.T) {
	var out, errs bytes.Buffer
	if code := run(context.Background(), []string{"-sizes", "60", "-iters", "2", "-only", "centrality, brokerage"}, &out, &errs); code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errs.String())
	}
	report := out.String()
	for _, s := range shapes(&picks{}) {
		selected := strings.Contains(s.name, "centrality") || strings.Contains(s.name, "brokerage")
		if got := strings.Contains(report, "| "+s.name+" | 2 |"); got != selected {
			t.Errorf("shape %q measured: %v, want %v", s.name, got, selected)
		}
	}
	if got, want := strings.Count(report, "peak heap during the calls"), 6; got != want {
		t.Errorf("%d analyses report their peak heap, want %d:\n%s", got, want, report)
	}
}
