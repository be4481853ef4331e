// Package benchdata fills a hub SQLite file with a large, realistic set of
// conversations for benchmarks: the hold-release benchmark of
// sqlitestore and the holds scenario of cmd/hubbench share it, so both
// measure the same file. The schema comes from sqlitestore.Open; the
// workspaces and channels are made through the store by the caller (Plan
// names them), the conversations here with one INSERT ... SELECT per chunk,
// which is what makes a million rows take seconds instead of minutes.
package benchdata

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"hub/inbox"
)

// Plan describes the file: Conversations over Workspaces workspaces of
// Channels channels each. Every 100th conversation (i % 100 == 37) is
// pending with its hold due some time in the day before Now; the others
// are closed (59 %), open (30 %) or with the bot (10 %), created over the
// year before Now.
type Plan struct {
	Conversations int
	Workspaces    int
	Channels      int
	Now           time.Time
}

// DefaultPlan is the benchmark file: 1,000,000 conversations, 10,000 due.
func DefaultPlan() Plan {
	return Plan{Conversations: 1_000_000, Workspaces: 20, Channels: 3, Now: time.Date(2025, 6, 2, 9, 0, 0, 0, time.UTC)}
}

// Due is how many holds of the plan are due at Now.
func (p Plan) Due() int { return (p.Conversations + 62) / 100 }

// WorkspaceID is the id of the plan's k-th workspace.
func WorkspaceID(k int) string { return fmt.Sprintf("bws%017d", k) }

// ChannelID is the id of the j-th channel of the k-th workspace.
func (p Plan) ChannelID(k, j int) string { return fmt.Sprintf("bch%017d", k*p.Channels+j) }

// CreateTenants makes the plan's workspaces and their SMS channels
// through the store.
func CreateTenants(ctx context.Context, st inbox.Store, p Plan) error {
	for k := range p.Workspaces {
		w := &inbox.Workspace{ID: WorkspaceID(k), Name: fmt.Sprintf("Hotel %d", k), CreatedAt: p.Now.AddDate(-2, 0, 0)}
		if err := st.CreateWorkspace(ctx, w); err != nil {
			return err
		}
		for j := range p.Channels {
			ch := &inbox.Channel{ID: p.ChannelID(k, j), WorkspaceID: w.ID, Type: inbox.ChannelSMS,
				Name: fmt.Sprintf("Line %d", j), CreatedAt: w.CreatedAt}
			if err := st.CreateChannel(ctx, ch); err != nil {
				return err
			}
		}
	}
	return nil
}

// chunk is how many rows one insert transaction writes.
const chunk = 100_000

// Fill inserts the plan's conversations through db, a connection to a
// file whose schema, workspaces and channels exist already.
func Fill(ctx context.Context, db *sql.DB, p Plan) error {
	for lo := 0; lo < p.Conversations; lo += chunk {
		hi := min(lo+chunk, p.Conversations) - 1
		res, err := db.ExecContext(ctx, rowsSQL, lo, hi, p.Now.UnixMilli(), p.Workspaces, p.Channels)
		if err != nil {
			return fmt.Errorf("insert conversations %d-%d: %w", lo, hi, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != int64(hi-lo+1) {
			return fmt.Errorf("insert conversations %d-%d: %d rows, %v", lo, hi, n, err)
		}
	}
	// Start from a checkpointed file, not from a WAL of a million rows
	// that the first timed commit would have to copy back.
	_, err := db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}

// rowsSQL makes the conversations i in [?1, ?2] as the store would
// have stored them, in one INSERT ... SELECT over a recursive sequence.
// ?3 is Now in Unix milliseconds, ?4 the workspaces and ?5 the channels
// per workspace; each workspace has 25 agents and 2 teams. Workspaces
// take runs of 100 conversations in turn, so each has the same share of
// the due holds (one per run). Ids are 20 characters that sort by
// creation time, like inbox.NewID's; contact ids are unique, as every
// conversation is its contact's thread on the channel. Open conversations
// nobody holds are queued since their last message. The doc column holds
// the JSON the store writes, with the fields a conversation of that
// status has.
const rowsSQL = `
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

// ResetHolds puts every hold of the plan back as Fill made it (the
// conversation number is read back from the contact id) and deletes every
// event, so the next release does the same work as the first.
func ResetHolds(ctx context.Context, db *sql.DB, p Plan) error {
	if _, err := db.ExecContext(ctx, `UPDATE conversations
		SET status = 'pending', snoozed_until = ?1 - (n * 7919) % 86400000, version = 1 + n % 9,
			updated_at = last_message_at + 1000, queued_at = NULL
		FROM (SELECT id AS cid, CAST(substr(contact_id, 4) AS INTEGER) AS n FROM conversations
			WHERE contact_id LIKE 'bct%' AND CAST(substr(contact_id, 4) AS INTEGER) % 100 = 37)
		WHERE id = cid`, p.Now.UnixMilli()); err != nil {
		return err
	}
	_, err := db.ExecContext(ctx, `DELETE FROM events`)
	return err
}
