package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"hub/inbox"
)

// The benchmark file: benchConversations conversations over benchWorkspaces
// workspaces of benchChannels channels each, of which every 100th (i % 100
// == 37) is pending with its hold due some time in the day
// before benchNow; the others are closed (59%), open (30%) or with the bot
// (10%), created over the year before benchNow.
const (
	benchConversations = 1_000_000
	benchWorkspaces    = 20
	benchChannels      = 3
	benchChunk         = 100_000 // rows per insert transaction
)

var benchNow = time.Date(2025, 6, 2, 9, 0, 0, 0, time.UTC)

func benchWorkspaceID(k int) string  { return fmt.Sprintf("bws%017d", k) }
func benchChannelID(k, j int) string { return fmt.Sprintf("bch%017d", k*benchChannels+j) }

// benchRowsSQL makes the conversations i in [?1, ?2] as the store would
// have stored them, in one INSERT ... SELECT over a recursive sequence.
// ?3 is benchNow in Unix milliseconds, ?4 benchWorkspaces and ?5
// benchChannels; each workspace has 25 agents and 2 teams. Workspaces
// take runs of 100 conversations in turn, so each has the same share of
// the due holds (one per run). Ids are 20 characters that sort by
// creation time, like inbox.NewID's; contact ids are unique, as every
// conversation is its contact's thread on the channel. Open conversations
// nobody holds are queued since their last message. The doc column holds
// the JSON the store writes (convDoc), with the fields a conversation of
// that status has.
const benchRowsSQL = `
WITH RECURSIVE seq(i) AS (
	SELECT ?1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?2
),
base AS (
	SELECT i, i % 100 AS r, (i / 100) % ?4 AS ws,
		?3 - 31536000000 + i * 31536 AS created,
		(i * 7919) % 7200000 AS gap
	FROM seq
),
shaped AS (
	SELECT *,
		CASE WHEN r = 37 THEN 'pending' WHEN r < 60 THEN 'closed' WHEN r < 90 THEN 'open' ELSE 'bot' END AS status,
		CASE
			WHEN r >= 90 THEN ''
			WHEN r >= 60 AND i % 5 = 0 THEN ''
			ELSE 'bag' || printf('%017d', ws * 25 + (i / 7) % 25)
		END AS assignee,
		CASE WHEN i % 2 = 0 THEN '' ELSE 'btm' || printf('%017d', ws * 2 + (i / 3) % 2) END AS team,
		created + gap AS last_at,
		'Guest ' || i AS name,
		'+1555' || printf('%07d', i) AS handle,
		CASE i % 5
			WHEN 0 THEN 'Is breakfast included?'
			WHEN 1 THEN 'Can I check out late tomorrow?'
			WHEN 2 THEN 'Thanks, see you then'
			WHEN 3 THEN 'The wifi password does not work'
			ELSE 'Could you book a taxi for 7am?'
		END AS text
	FROM base
)
INSERT INTO conversations (id, workspace_id, channel_id, contact_id, status, assignee_id, team_id,
	snoozed_until, last_message_at, updated_at, version, search, doc, queued_at, offer_expires_at)
SELECT
	printf('%012x%08x', created, i),
	'bws' || printf('%017d', ws),
	'bch' || printf('%017d', ws * ?5 + (i / (100 * ?4)) % ?5),
	'bct' || printf('%017d', i),
	status, assignee, team,
	CASE WHEN status = 'pending' THEN ?3 - (i * 7919) % 86400000 END,
	last_at,
	last_at + 1000,
	1 + i % 9,
	lower(name || char(10) || handle || char(10) || text),
	'{"participants":' || CASE WHEN assignee = '' THEN '[]' ELSE '["' || assignee || '"]' END ||
		CASE WHEN status = 'open' AND assignee <> '' THEN ',"awaitingReply":true,"awaitingSince":' || last_at ELSE '' END ||
		',"contactName":"' || name || '","contactHandle":"' || handle || '","lastMessageText":"' || text || '"' ||
		',"createdAt":' || created ||
		CASE WHEN status = 'closed' THEN ',"closedAt":' || (last_at + 600000) || ',"closedBy":"' || assignee || '"' ELSE '' END ||
		CASE WHEN status = 'bot' THEN ',"botAnswered":true,"lastButtons":["Yes","No"]' ELSE '' END ||
		'}',
	CASE WHEN status = 'open' AND assignee = '' THEN last_at END,
	NULL
FROM shaped`

// buildBenchFile creates the benchmark database at path: the schema and
// the workspaces and channels through the store, the conversations with
// raw SQL on a connection of its own, in transactions of benchChunk rows.
func buildBenchFile(b *testing.B, path string) {
	b.Helper()
	ctx := context.Background()
	st, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	for k := range benchWorkspaces {
		w := &inbox.Workspace{ID: benchWorkspaceID(k), Name: fmt.Sprintf("Hotel %d", k), CreatedAt: benchNow.AddDate(-2, 0, 0)}
		if err := st.CreateWorkspace(ctx, w); err != nil {
			b.Fatal(err)
		}
		for j := range benchChannels {
			ch := &inbox.Channel{ID: benchChannelID(k, j), WorkspaceID: w.ID, Type: inbox.ChannelSMS,
				Name: fmt.Sprintf("Line %d", j), CreatedAt: w.CreatedAt}
			if err := st.CreateChannel(ctx, ch); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := st.Close(); err != nil {
		b.Fatal(err)
	}

	raw := openRaw(b, path)
	defer raw.Close()
	// A large page cache keeps the nine conversations indexes in memory
	// while they fill.
	if _, err := raw.ExecContext(ctx, `PRAGMA cache_size = -1048576`); err != nil {
		b.Fatal(err)
	}
	for lo := 0; lo < benchConversations; lo += benchChunk {
		hi := min(lo+benchChunk, benchConversations) - 1
		res, err := raw.ExecContext(ctx, benchRowsSQL, lo, hi, ms(benchNow), benchWorkspaces, benchChannels)
		if err != nil {
			b.Fatalf("insert conversations %d-%d: %v", lo, hi, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != int64(hi-lo+1) {
			b.Fatalf("insert conversations %d-%d: %d rows, %v", lo, hi, n, err)
		}
	}
	// Start the benchmark from a checkpointed file, not from a WAL of a
	// million rows that the first timed commit would have to copy back.
	if _, err := raw.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		b.Fatal(err)
	}
}

// openRaw opens a database/sql handle of its own on the file, one
// connection (temporary tables live on it).
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
	if _, err := raw.ExecContext(ctx, `CREATE TEMP TABLE due_holds AS
		SELECT id, snoozed_until, version FROM conversations WHERE status = 'pending'`); err != nil {
		b.Fatal(err)
	}
	var due int
	if err := raw.QueryRowContext(ctx, `SELECT count(*) FROM temp.due_holds`).Scan(&due); err != nil {
		b.Fatal(err)
	}
	wantDue := benchConversations / 100
	if due != wantDue {
		b.Fatalf("the file has %d pending conversations, want %d", due, wantDue)
	}
	st, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	b.Logf("setup: %d conversations (%d due holds) in %v", benchConversations, due, time.Since(setup).Round(time.Millisecond))

	rt := countRoundTrips(st)
	svc := inbox.NewService(rt, inbox.NewManualClock(benchNow), inbox.Limits{})
	reset := func() {
		if _, err := raw.ExecContext(ctx, `UPDATE conversations
			SET status = 'pending', snoozed_until = d.snoozed_until, version = d.version, updated_at = last_message_at + 1000
			FROM temp.due_holds AS d WHERE conversations.id = d.id`); err != nil {
			b.Fatal(err)
		}
		if _, err := raw.ExecContext(ctx, `DELETE FROM events`); err != nil {
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
	b.ReportMetric(float64(calls["AppendEvent"])/float64(b.N), "appends/op")
	b.ReportMetric(spent["AppendEvent"].Seconds()*1000/float64(b.N), "append-ms/op")
	b.ReportMetric(spent["ReleaseDueHolds"].Seconds()*1000/float64(b.N), "release-ms/op")
	b.Logf("store calls over %d iterations: %s", b.N, fmtCalls(calls, spent))
}
