package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"strings"
)

// row is one line of the results table: a metric of the hub next to the
// same metric of the baseline, both medians over the rounds.
type row struct {
	Scenario string
	Metric   string
	Unit     string
	Baseline float64 // NaN when the metric has no baseline of its own
	Hub      float64
	// Goal states the target in words ("≥ 0.5× baseline", "≤ 10 ms").
	Goal string
	// Met is whether the hub reached Goal.
	Met bool
	// Note is shown under the table (what the baseline is, the limit).
	Note string
}

// ratio is hub ÷ baseline, or NaN without a baseline.
func (r row) ratio() float64 {
	if math.IsNaN(r.Baseline) || r.Baseline == 0 {
		return math.NaN()
	}
	return r.Hub / r.Baseline
}

func printTable(w io.Writer, rows []row) {
	fmt.Fprintln(w, "| scenario | metric | baseline | hub | hub ÷ baseline | goal | met |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---|---|")
	for _, r := range rows {
		goal, met := r.Goal, "no"
		switch {
		case goal == "":
			// A figure reported for context, with no target of its own.
			goal, met = "—", "—"
		case r.Met:
			met = "yes"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s |\n", r.Scenario, r.Metric,
			number(r.Baseline, r.Unit), number(r.Hub, r.Unit), ratioText(r.ratio()), goal, met)
	}
	var notes []string
	for _, r := range rows {
		if r.Note != "" && !slices.Contains(notes, r.Note) {
			notes = append(notes, r.Note)
		}
	}
	if len(notes) > 0 {
		fmt.Fprintln(w)
		for _, n := range notes {
			fmt.Fprintf(w, "- %s\n", n)
		}
	}
}

func number(v float64, unit string) string {
	if math.IsNaN(v) {
		return "—"
	}
	var s string
	switch a := math.Abs(v); {
	case a >= 100:
		s = fmt.Sprintf("%.0f", v)
	case a >= 10:
		s = fmt.Sprintf("%.1f", v)
	default:
		s = fmt.Sprintf("%.2f", v)
	}
	if unit != "" {
		s += " " + unit
	}
	return s
}

func ratioText(r float64) string {
	if math.IsNaN(r) {
		return "—"
	}
	return fmt.Sprintf("%.2f×", r)
}

// median of xs (NaN when empty); xs is not modified.
func median(xs []float64) float64 {
	return quantile(xs, 0.5)
}

// quantile is the q-th quantile of xs by the nearest-rank method.
func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(math.Ceil(q*float64(len(s)))) - 1
	return s[max(0, min(i, len(s)-1))]
}

// machine describes where the numbers were measured.
func machine() string {
	model := "unknown CPU"
	if raw, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(raw), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	return fmt.Sprintf("%s, %d cores, %s %s/%s", model, runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
