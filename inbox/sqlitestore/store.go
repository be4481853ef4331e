// Package sqlitestore is the embedded default inbox.Store: one SQLite file
// (modernc.org/sqlite, pure Go, no cgo) in write-ahead-log mode.
//
// Connections. Every write goes through one connection (a *sql.DB capped at
// one open connection), so writers queue in Go instead of spinning on
// SQLITE_BUSY, and transactions begin IMMEDIATE. Reads use a separate pool
// of query-only connections; WAL lets them run while the writer commits.
// A third connection checkpoints the log in the background (checkpoint.go).
//
// Layout. Each record is a row whose queried fields are real, indexed
// columns; the fields nothing filters or sorts on live in a "doc" JSON
// column. A field is in exactly one of the two places: on read the row's
// columns are merged into the decoded document. That keeps single-statement
// updates of column fields (ReleaseDueHolds, ClaimOutbound, AdvanceDelivery,
// SetContactBlocked) honest without rewriting JSON in SQL. Times are
// INTEGER Unix milliseconds, in columns and in documents alike, so the
// store keeps millisecond precision; the outbox's times store the zero
// time ("at once", "no lease") as 0.
//
// The outbox (outbox.go) is the queued outbound messages, indexed by two
// partial indexes: ClaimOutbound is one UPDATE ... RETURNING that walks
// the due ones most overdue first and keeps each conversation's oldest.
//
// Routing (routing.go) reads a queue from the conversations_queue index in
// (queued_at, id) order and expired offers from the partial index
// conversations_offers; queued_at and offer_expires_at are columns, kept
// by every write of a conversation. Team chat (chat.go) is a table of its
// own, read per room in id order.
//
// Contacts are two tables: contacts, and contact_identities keyed by
// (channel_id, handle), which is what makes FindOrCreateContact unique.
// Conversations carry a "search" column, the lower-cased contact name,
// handle and last message text, matched with instr() so a query is literal
// text and case folding is Go's (Unicode), not SQLite's (ASCII only).
//
// Migrations are an ordered list of SQL scripts applied once each, in order,
// each in its own transaction, recorded in schema_migrations; opening an
// up-to-date file applies nothing.
//
// Error mapping: a unique-key violation is inbox.ErrDuplicate, a missing row
// (or one of another workspace) inbox.ErrNotFound, a version mismatch
// inbox.ErrConflict. Message bodies are never logged; this package does not
// log at all.
package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"hub/inbox"
)

// Store is an inbox.Store backed by one SQLite database file.
type Store struct {
	w  *pool // the single writer connection
	r  *pool // query-only reader pool
	cp *checkpointer
}

var _ inbox.Store = (*Store)(nil)

// Open opens (creating if needed) the database file at path, whose parent
// directory must exist, and brings its schema up to date.
func Open(path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("sqlitestore: empty database path")
	}
	w, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	// The writer is used constantly; closing it when idle would only
	// re-run the DSN pragmas.
	w.SetMaxIdleConns(1)
	w.SetConnMaxIdleTime(0)
	w.SetConnMaxLifetime(0)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// Migrate before the readers open, so they never see a half-made schema.
	if err := migrate(ctx, w); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlitestore: migrate %s: %w", path, err)
	}

	r, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlitestore: open %s: %w", path, err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	if err := r.PingContext(ctx); err != nil {
		r.Close()
		w.Close()
		return nil, fmt.Errorf("sqlitestore: open %s: %w", path, err)
	}
	cp, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		r.Close()
		w.Close()
		return nil, fmt.Errorf("sqlitestore: open %s: %w", path, err)
	}
	cp.SetMaxOpenConns(1)
	cp.SetMaxIdleConns(1)
	cp.SetConnMaxIdleTime(0)
	return &Store{w: newPool(w), r: newPool(r), cp: startCheckpointer(cp, checkpointInterval)}, nil
}

// dsn builds the connection string. Pragmas are per connection, so they go
// in the DSN where database/sql applies them to every new connection.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	// NORMAL in WAL mode loses at most the last commits on power loss,
	// never consistency; FULL would fsync on every message.
	q.Add("_pragma", "synchronous(NORMAL)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
		// 64 MiB of page cache: a batch of released holds touches
		// thousands of pages, which a small cache would spill mid-way.
		q.Add("_pragma", "cache_size(-65536)")
		q.Add("_pragma", fmt.Sprintf("wal_autocheckpoint(%d)", walBackstopPages))
		q.Add("_pragma", fmt.Sprintf("journal_size_limit(%d)", walSizeLimit))
	}
	// Escape what SQLite's URI parser would take for a query or fragment.
	p := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	return "file:" + p + "?" + q.Encode()
}

// Ping reports whether both pools can reach the database.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.w.PingContext(ctx); err != nil {
		return err
	}
	return s.r.PingContext(ctx)
}

// Close stops the checkpointer and closes the pools.
func (s *Store) Close() error {
	return errors.Join(s.cp.close(), s.r.Close(), s.w.Close())
}

// mapErr turns driver errors into the domain's sentinels.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return inbox.ErrNotFound
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%w: %v", inbox.ErrDuplicate, err)
		}
	}
	return err
}

// affected turns "updated no row" into ErrNotFound.
func affected(res sql.Result, err error) error {
	if err != nil {
		return mapErr(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return inbox.ErrNotFound
	}
	return nil
}

// scanner is the common part of *sql.Row and *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// Times are stored as Unix milliseconds.

func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMs(v int64) time.Time { return time.UnixMilli(v).UTC() }

func msPtr(t *time.Time) *int64 {
	if t == nil {
		return nil
	}
	v := t.UnixMilli()
	return &v
}

func fromMsPtr(v *int64) *time.Time {
	if v == nil {
		return nil
	}
	t := fromMs(*v)
	return &t
}

func nullMs(t *time.Time) sql.NullInt64 {
	if t == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMilli(), Valid: true}
}

func fromNullMs(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMs(v.Int64)
	return &t
}

func orNow(t time.Time) time.Time {
	if t.IsZero() {
		return time.Now().UTC()
	}
	return t
}

func newID(id *string) {
	if *id == "" {
		*id = inbox.NewID()
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// collectRows scans every row with scan and closes rows.
func collectRows[T any](rows *sql.Rows, scan func(scanner) (*T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, rows.Err()
}
