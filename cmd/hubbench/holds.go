package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"hub/inbox"
	"hub/inbox/sqlitestore"
	"hub/inbox/sqlitestore/benchdata"
)

// runHolds times the release of the due holds of a file of 1,000,000
// conversations (10,000 due) by inbox.Service.ReleaseDueHolds on the
// embedded store, the code path the hub's release job runs. The baseline
// is the same change as two raw SQL statements in one transaction (events
// inserted by INSERT ... SELECT, then one UPDATE): the least this schema
// can do. Between rounds the holds are put back, untimed.
func runHolds(ctx context.Context, b *bench) ([]row, error) {
	plan := benchdata.DefaultPlan()
	if b.opt.Quick {
		plan.Conversations = 100_000
	}
	path := b.opt.HoldsFile
	if path == "" {
		dir, err := b.tempDir("holds")
		if err != nil {
			return nil, err
		}
		path = filepath.Join(dir, "hub.db")
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		started := time.Now()
		if err := buildHoldsFile(ctx, path, plan); err != nil {
			return nil, err
		}
		b.logf("holds: %d conversations built in %v", plan.Conversations, time.Since(started).Round(time.Second))
	} else if err != nil {
		return nil, err
	}

	raw, err := openRaw(path)
	if err != nil {
		return nil, err
	}
	defer raw.Close()
	reset := func(ctx context.Context) error { return benchdata.ResetHolds(ctx, raw, plan) }
	if err := reset(ctx); err != nil {
		return nil, err
	}
	var due int
	if err := raw.QueryRowContext(ctx, `SELECT count(*) FROM conversations WHERE status = 'pending'`).Scan(&due); err != nil {
		return nil, err
	}
	if due != plan.Due() {
		return nil, fmt.Errorf("%s has %d due holds, want %d (a file of another plan?)", path, due, plan.Due())
	}
	st, err := sqlitestore.Open(path)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	svc := inbox.NewService(st, inbox.NewManualClock(plan.Now), inbox.Limits{})

	baseline := func(ctx context.Context, _ int) (time.Duration, error) {
		if err := reset(ctx); err != nil {
			return 0, err
		}
		t0 := time.Now()
		n, err := rawRelease(ctx, raw, plan.Now)
		if err == nil && n != due {
			err = fmt.Errorf("raw release opened %d, want %d", n, due)
		}
		return time.Since(t0), err
	}
	candidate := func(ctx context.Context, _ int) (time.Duration, error) {
		if err := reset(ctx); err != nil {
			return 0, err
		}
		t0 := time.Now()
		n, err := svc.ReleaseDueHolds(ctx)
		if err == nil && n != due {
			err = fmt.Errorf("released %d, want %d", n, due)
		}
		return time.Since(t0), err
	}
	base, hub, err := alternate(ctx, b.opt.Rounds, baseline, candidate)
	if err != nil {
		return nil, err
	}
	ms := func(ds []time.Duration) float64 {
		xs := make([]float64, len(ds))
		for i, d := range ds {
			xs[i] = d.Seconds() * 1000
		}
		return median(xs)
	}
	hubMs := ms(hub)
	return []row{{
		Scenario: "holds",
		Metric:   fmt.Sprintf("release %d due of %d conversations", due, plan.Conversations),
		Unit:     "ms",
		Baseline: ms(base),
		Hub:      hubMs,
		Goal:     "≤ 1,000 ms",
		Met:      hubMs <= 1000,
		Note: "holds: hub = inbox.Service.ReleaseDueHolds on the SQLite store (batches of inbox.HoldBatch, one event insert per batch); " +
			"baseline = one transaction of raw SQL (INSERT ... SELECT of the events, one UPDATE of the conversations).",
	}}, nil
}

// buildHoldsFile makes the benchmark file: schema and tenants through the
// store, conversations in bulk.
func buildHoldsFile(ctx context.Context, path string, plan benchdata.Plan) error {
	st, err := sqlitestore.Open(path)
	if err != nil {
		return err
	}
	if err := benchdata.CreateTenants(ctx, st, plan); err != nil {
		st.Close()
		return err
	}
	if err := st.Close(); err != nil {
		return err
	}
	raw, err := openRaw(path)
	if err != nil {
		return err
	}
	defer raw.Close()
	// A large page cache keeps the indexes in memory while they fill.
	if _, err := raw.ExecContext(ctx, `PRAGMA cache_size = -1048576`); err != nil {
		return err
	}
	return benchdata.Fill(ctx, raw, plan)
}

// openRaw opens one connection on the file with the store's pragmas.
func openRaw(path string) (*sql.DB, error) {
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	raw.SetMaxOpenConns(1)
	raw.SetMaxIdleConns(1)
	raw.SetConnMaxIdleTime(0)
	raw.SetConnMaxLifetime(0)
	return raw, nil
}

// rawRelease is the baseline: the events and the reopening of every due
// hold in one transaction, without leaving SQLite.
func rawRelease(ctx context.Context, db *sql.DB, now time.Time) (int, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	at := now.UnixMilli()
	if _, err := tx.ExecContext(ctx, `INSERT INTO events (id, workspace_id, conversation_id, at, doc)
		SELECT 'rel' || id, workspace_id, id, ?1,
			'{"type":"unsnoozed","actor":{"type":"system"},"from":"pending","to":"open","data":{"by":"timer"}}'
		FROM conversations WHERE status = 'pending' AND snoozed_until <= ?1`, at); err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, `UPDATE conversations
		SET status = 'open', snoozed_until = NULL, version = version + 1, updated_at = ?1
		WHERE status = 'pending' AND snoozed_until <= ?1`, at)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	return int(n), tx.Commit()
}
