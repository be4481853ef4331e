package ferrettest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite" // database/sql driver "sqlite", as FerretDB uses
)

// FerretDB v1.24's SQLite layout, from its internal/backends/sqlite
// package: one file per database, <name>.sqlite in the SQLite directory;
// a metadata table mapping collection names to table names; one table per
// collection whose single column holds the document as JSON ("sjson").
const (
	fileExt       = ".sqlite"
	metadataTable = "_ferretdb_collections"
	// idExpr is FerretDB's metadata.IDColumn, the expression of its only
	// pushed-down filter ({_id: <string or ObjectID>}) and of the WHERE of
	// its per-document UPDATE and DELETE statements.
	idExpr = "_ferretdb_sjson->'$._id'"
	// idIndexSuffix names the extra index. FerretDB names its own indexes
	// <table>_<MongoDB index name>; the double underscore and the prefix
	// keep clear of any name the store gives an index.
	idIndexSuffix = "__ferrettest_id"
)

// IndexIDs gives every collection of database dbName on the in-process
// FerretDB an SQLite index on idExpr. It is a performance aid for the
// stand-in server, not a correctness need: results are the same with or
// without it, only far slower on large collections.
//
// Why it is needed: FerretDB v1.24 creates the unique _id index on
// _ferretdb_sjson->"_id", but looks documents up (the find pushdown, and
// the UPDATE and DELETE of every written document) with
// _ferretdb_sjson->'$._id'. The two mean the same but SQLite only uses an
// index whose expression matches the query's as written, so every one of
// those lookups scans the table: at 10,000 conversations an _id find took
// 54 ms (0.4 ms with this index), and releasing a hold costs several such
// lookups. With this index they are B-tree searches.
//
// Call it once every collection exists: a collection created later (as
// FerretDB does on the first insert) is not covered until IndexIDs runs
// again, which is harmless (IF NOT EXISTS). mongostore.Open creates only
// the collections that have secondary indexes, so the tests create the
// others first. With HUB_TEST_MONGO_URI set it does nothing: a real
// server indexes _id itself.
//
// Each index is checked with EXPLAIN QUERY PLAN to serve FerretDB's
// lookup; IndexIDs fails the test if it does not.
//
// It opens the database file next to FerretDB's own connections. That is
// safe: FerretDB's files are in WAL mode, SQLite locks the file for the
// CREATE INDEX, and busy_timeout makes either side wait for the other
// instead of failing. Other connections see the new schema on their next
// statement (SQLite re-prepares statements whose schema changed).
func IndexIDs(t testing.TB, dbName string) {
	t.Helper()
	if os.Getenv(EnvURI) != "" {
		return
	}
	if sqliteDir == "" {
		t.Fatal("ferrettest: IndexIDs before Start")
	}
	if err := indexIDs(t.Context(), filepath.Join(sqliteDir, dbName+fileExt)); err != nil {
		t.Fatalf("ferrettest: index _id of %s: %v", dbName, err)
	}
}

func indexIDs(ctx context.Context, file string) error {
	// The file must exist: mode=rw refuses to create an empty database
	// that FerretDB would not know about.
	q := url.Values{}
	q.Set("mode", "rw")
	q.Add("_pragma", "busy_timeout(10000)")
	db, err := sql.Open("sqlite", "file:"+file+"?"+q.Encode())
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()

	tables, err := collectionTables(ctx, db)
	if err != nil {
		return err
	}
	for _, table := range tables {
		index := table + idIndexSuffix
		stmt := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (%s)`, index, table, idExpr)
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
		if err := checkPlan(ctx, db, table, index); err != nil {
			return err
		}
	}
	return nil
}

// checkPlan makes sure SQLite answers FerretDB's lookup by _id (its
// query, with the JSON text of a string _id) from the index, so that a
// change on either side shows as a failure rather than as a suite that
// silently takes hours. It asks on this connection: FerretDB's pooled
// connections notice the new schema when they next run a statement, but
// an EXPLAIN there may still describe the old one.
func checkPlan(ctx context.Context, db *sql.DB, table, index string) error {
	q := fmt.Sprintf(`EXPLAIN QUERY PLAN SELECT _ferretdb_sjson FROM %q WHERE %s = ?`, table, idExpr)
	rows, err := db.QueryContext(ctx, q, `"some-id"`)
	if err != nil {
		return fmt.Errorf("%s: %w", table, err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notUsed int
		var detail string
		if err := rows.Scan(&id, &parent, &notUsed, &detail); err != nil {
			return err
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if !slices.ContainsFunc(plan, func(d string) bool { return strings.Contains(d, "USING INDEX "+index+" ") }) {
		return fmt.Errorf("%s: lookup by _id does not use index %s: plan %q", table, index, plan)
	}
	return nil
}

// collectionTables lists the tables of the database's collections, from
// FerretDB's metadata table.
func collectionTables(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, fmt.Sprintf(`SELECT table_name FROM %q`, metadataTable))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		tables = append(tables, name)
	}
	return tables, rows.Err()
}
