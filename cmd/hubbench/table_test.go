package main

import (
	"bytes"
	"context"
	"errors"
	"math"
	"strings"
	"testing"
)

func TestQuantile_NearestRank(t *testing.T) {
	xs := []float64{5, 1, 4, 2, 3}
	for _, c := range []struct{ q, want float64 }{{0.5, 3}, {0.99, 5}, {0, 1}, {1, 5}} {
		if got := quantile(xs, c.q); got != c.want {
			t.Errorf("quantile(%v) = %v, want %v", c.q, got, c.want)
		}
	}
	if xs[0] != 5 {
		t.Error("quantile sorted its input")
	}
	if !math.IsNaN(median(nil)) {
		t.Error("median of nothing is not NaN")
	}
}

func TestPrintTable_RatioGoalAndNotesOnce(t *testing.T) {
	var out bytes.Buffer
	printTable(&out, []row{
		{Scenario: "holds", Metric: "release", Unit: "ms", Baseline: 500, Hub: 650, Goal: "≤ 1,000 ms", Met: true, Note: "n1"},
		{Scenario: "idle", Metric: "50,000", Unit: "KB", Baseline: math.NaN(), Hub: math.NaN(), Goal: "≤ 16 KB", Note: "n1"},
	})
	got := out.String()
	for _, want := range []string{"| holds | release | 500 ms | 650 ms | 1.30× | ≤ 1,000 ms | yes |", "| idle | 50,000 | — | — | — | ≤ 16 KB | no |"} {
		if !strings.Contains(got, want) {
			t.Errorf("table lacks %q:\n%s", want, got)
		}
	}
	if strings.Count(got, "- n1") != 1 {
		t.Errorf("the shared note is not printed once:\n%s", got)
	}
}

func TestAlternate_BaselineThenCandidateEachRound(t *testing.T) {
	var order []string
	base, cand, err := alternate(context.Background(), 3,
		func(context.Context, int) (int, error) { order = append(order, "b"); return 1, nil },
		func(context.Context, int) (int, error) { order = append(order, "h"); return 2, nil })
	if err != nil || len(base) != 3 || len(cand) != 3 || strings.Join(order, "") != "bhbhbh" {
		t.Fatalf("alternate: %v %v %v %v", base, cand, order, err)
	}
	_, _, err = alternate(context.Background(), 3,
		func(context.Context, int) (int, error) { return 0, errors.New("boom") },
		func(context.Context, int) (int, error) { return 0, nil })
	if err == nil || !strings.Contains(err.Error(), "baseline round 1") {
		t.Fatalf("error = %v, want the failing round named", err)
	}
}
