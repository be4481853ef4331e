// Command hubbench measures the hub against physical baselines measured in
// the same run and prints one table (Markdown, so it pastes into
// BENCHMARKS.md).
//
//	go run ./cmd/hubbench                 # every scenario
//	go run ./cmd/hubbench -only holds,bot # some of them
//
// Each scenario runs its baseline and the hub alternately (-rounds times,
// at least 5) and reports the medians. The hub is the real binary built
// from ./cmd/hub, started as a child process on loopback with the
// embedded store in a temporary data directory, so its CPU time and memory
// are read from /proc without the load generator's.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"time"
)

// options are the command line settings every scenario may read.
type options struct {
	// Rounds is how often baseline and hub alternate; medians are reported.
	Rounds int
	// Only lists the scenarios to run; empty runs all.
	Only []string
	// Idle lists the counts of idle widget connections to measure.
	Idle []int
	// Quick shrinks every workload (for a smoke run, not for the table).
	Quick bool
	// HoldsFile is where the holds scenario keeps its million-conversation
	// file between runs ("" builds a fresh one in the scratch directory).
	HoldsFile string
	// CPUProfile is a file for a CPU profile of the bench process (the
	// holds and bot scenarios run in it; the hub's own process is not
	// profiled).
	CPUProfile string
	// KeepDir keeps the temporary directories for inspection.
	KeepDir bool
}

// scenario is one benchmark: it returns the rows it measured.
type scenario struct {
	name string
	run  func(ctx context.Context, b *bench) ([]row, error)
}

// scenarios are run in this order.
var scenarios = []scenario{
	{"ingest", runIngest},
	{"latency", runLatency},
	{"idle", runIdle},
	{"holds", runHolds},
	{"bot", runBot},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "hubbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("hubbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var opt options
	var only, idle string
	fs.IntVar(&opt.Rounds, "rounds", 5, "alternations of baseline and hub per scenario (at least 5 for the table)")
	fs.StringVar(&only, "only", "", "comma-separated scenarios to run: "+scenarioNames())
	fs.StringVar(&idle, "idle", "10000", "comma-separated counts of idle widget connections")
	fs.BoolVar(&opt.Quick, "quick", false, "small workloads, for a smoke run")
	fs.StringVar(&opt.HoldsFile, "holds-file", "", "SQLite file of the holds scenario: built when missing, reused when present")
	fs.StringVar(&opt.CPUProfile, "cpuprofile", "", "write a CPU profile of the bench process to this file")
	fs.BoolVar(&opt.KeepDir, "keep", false, "keep the temporary directories")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if opt.Rounds < 1 {
		return fmt.Errorf("-rounds must be at least 1")
	}
	for _, s := range splitList(only) {
		if !slices.ContainsFunc(scenarios, func(sc scenario) bool { return sc.name == s }) {
			return fmt.Errorf("unknown scenario %q (%s)", s, scenarioNames())
		}
		opt.Only = append(opt.Only, s)
	}
	for _, s := range splitList(idle) {
		var n int
		if _, err := fmt.Sscan(s, &n); err != nil || n <= 0 {
			return fmt.Errorf("-idle: %q is not a positive count", s)
		}
		opt.Idle = append(opt.Idle, n)
	}

	if opt.CPUProfile != "" {
		f, err := os.Create(opt.CPUProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	b, err := newBench(opt, stderr)
	if err != nil {
		return err
	}
	defer b.close()
	started := time.Now()
	var rows []row
	for _, sc := range scenarios {
		if len(opt.Only) > 0 && !slices.Contains(opt.Only, sc.name) {
			continue
		}
		b.logf("== %s", sc.name)
		got, err := sc.run(ctx, b)
		if err != nil {
			return fmt.Errorf("%s: %w", sc.name, err)
		}
		rows = append(rows, got...)
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	fmt.Fprintf(stdout, "hubbench, %d rounds, %s, %s\n\n", opt.Rounds, machine(), time.Since(started).Round(time.Second))
	printTable(stdout, rows)
	return nil
}

func scenarioNames() string {
	names := make([]string, len(scenarios))
	for i, s := range scenarios {
		names[i] = s.name
	}
	return strings.Join(names, ", ")
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
