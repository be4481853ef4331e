package sqlitestore

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"hub/inbox"
	"hub/inbox/sqlitestore/benchdata"
)

var benchPlan = benchdata.DefaultPlan()

// buildBenchFile creates the benchmark database at path: the schema and
// the workspaces and channels through the store, the conversations with
// raw SQL on a connection of its own (benchdata).
func buildBenchFile(b *testing.B, path string) {
	b.Helper()
	ctx := context.Background()
	st, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := benchdata.CreateTenants(ctx, st, benchPlan); err != nil {
		b.Fatal(err)
	}
	if err := st.Close(); err != nil {
		b.Fatal(err)
	}
	raw := openRaw(b, path)
	defer raw.Close()
	// A large page cache keeps the conversations indexes in memory while
	// they fill.
	if _, err := raw.ExecContext(ctx, `PRAGMA cache_size = -1048576`); err != nil {
		b.Fatal(err)
	}
	if err := benchdata.Fill(ctx, raw, benchPlan); err != nil {
		b.Fatal(err)
	}
}

// openRaw opens a database/sql handle of its own on the file.
func openRaw(b *testing.B, path string) *sql.DB {
	b.Helper()
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		b.Fatal(err)
	}
	raw.SetMaxOpenConns(1)
	raw.SetMaxIdleConns(1)
	raw.SetConnMaxIdleTime(0)
	raw.SetConnMaxLifetime(0)
	return raw
}

// BenchmarkReleaseDueHolds1M times inbox.Service.ReleaseDueHolds releasing
// the 10,000 due holds of a file of 1,000,000 conversations, and counts
// the store calls it makes (round-trips/op). Between iterations, with the
// timer stopped, the holds are put back as they were and their release
// events deleted, so every iteration does the same work.
func BenchmarkReleaseDueHolds1M(b *testing.B) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "hub.db")
	setup := time.Now()
	buildBenchFile(b, path)
	raw := openRaw(b, path)
	defer raw.Close()
	var due int
	if err := raw.QueryRowContext(ctx, `SELECT count(*) FROM conversations WHERE status = 'pending'`).Scan(&due); err != nil {
		b.Fatal(err)
	}
	wantDue := benchPlan.Due()
	if due != wantDue {
		b.Fatalf("the file has %d pending conversations, want %d", due, wantDue)
	}
	st, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	b.Logf("setup: %d conversations (%d due holds) in %v", benchPlan.Conversations, due, time.Since(setup).Round(time.Millisecond))

	rt := countRoundTrips(st)
	svc := inbox.NewService(rt, inbox.NewManualClock(benchPlan.Now), inbox.Limits{})
	reset := func() {
		if err := benchdata.ResetHolds(ctx, raw, benchPlan); err != nil {
			b.Fatal(err)
		}
	}

	released, first := 0, true
	for b.Loop() {
		if !first {
			b.StopTimer()
			reset()
			b.StartTimer()
		}
		first = false
		n, err := svc.ReleaseDueHolds(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if n != wantDue {
			b.Fatalf("released %d, want %d", n, wantDue)
		}
		released += n
	}
	calls, spent, total := rt.takeTimed()
	b.ReportMetric(float64(total)/float64(b.N), "round-trips/op")
	b.ReportMetric(float64(released)/float64(b.N), "released/op")
	b.ReportMetric(float64(calls["AppendEvent"]+calls["AppendEvents"])/float64(b.N), "appends/op")
	b.ReportMetric((spent["AppendEvent"]+spent["AppendEvents"]).Seconds()*1000/float64(b.N), "append-ms/op")
	b.ReportMetric(spent["ReleaseDueHolds"].Seconds()*1000/float64(b.N), "release-ms/op")
	b.Logf("store calls over %d iterations: %s", b.N, fmtCalls(calls, spent))
}
