package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// migrations are applied in order; migration i is schema version i+1.
// Never edit or reorder a released entry: files in the field have it
// recorded as applied. Add a new entry instead.
var migrations = []string{
	// 1: the initial schema.
	`
CREATE TABLE workspaces (
	id         TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	settings   TEXT NOT NULL,
	created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX workspaces_created ON workspaces (created_at, id);

CREATE TABLE agents (
	id            TEXT PRIMARY KEY,
	workspace_id  TEXT NOT NULL,
	email         TEXT NOT NULL,
	-- Go's strings.ToLower of email: SQLite's lower() folds ASCII only.
	email_key     TEXT NOT NULL,
	name          TEXT NOT NULL,
	role          TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	disabled      INTEGER NOT NULL,
	created_at    INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX agents_email_key ON agents (email_key);
CREATE INDEX agents_workspace ON agents (workspace_id, created_at, id);

CREATE TABLE teams (
	id           TEXT PRIMARY KEY,
	workspace_id TEXT NOT NULL,
	name         TEXT NOT NULL,
	agent_ids    TEXT NOT NULL,
	created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX teams_workspace ON teams (workspace_id, created_at, id);

CREATE TABLE channels (
	id           TEXT PRIMARY KEY,
	workspace_id TEXT NOT NULL,
	type         TEXT NOT NULL,
	name         TEXT NOT NULL,
	bot_enabled  INTEGER NOT NULL,
	disabled     INTEGER NOT NULL,
	config       TEXT NOT NULL,
	created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX channels_workspace ON channels (workspace_id, created_at, id);

CREATE TABLE contacts (
	id           TEXT PRIMARY KEY,
	workspace_id TEXT NOT NULL,
	name         TEXT NOT NULL,
	created_at   INTEGER NOT NULL
) STRICT;

CREATE TABLE contact_identities (
	channel_id   TEXT NOT NULL,
	handle       TEXT NOT NULL,
	contact_id   TEXT NOT NULL REFERENCES contacts (id),
	workspace_id TEXT NOT NULL,
	blocked      INTEGER NOT NULL,
	created_at   INTEGER NOT NULL,
	PRIMARY KEY (channel_id, handle)
) STRICT, WITHOUT ROWID;
CREATE INDEX contact_identities_contact ON contact_identities (contact_id, created_at, channel_id);

CREATE TABLE conversations (
	id              TEXT PRIMARY KEY,
	workspace_id    TEXT NOT NULL,
	channel_id      TEXT NOT NULL,
	contact_id      TEXT NOT NULL,
	status          TEXT NOT NULL,
	assignee_id     TEXT NOT NULL,
	team_id         TEXT NOT NULL,
	snoozed_until   INTEGER,
	last_message_at INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL,
	version         INTEGER NOT NULL,
	search          TEXT NOT NULL,
	doc             TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX conversations_thread ON conversations (channel_id, contact_id);
CREATE INDEX conversations_list ON conversations (workspace_id, last_message_at DESC, id DESC);
CREATE INDEX conversations_status ON conversations (workspace_id, status, last_message_at DESC, id DESC);
CREATE INDEX conversations_assignee ON conversations (workspace_id, assignee_id, last_message_at DESC, id DESC);
CREATE INDEX conversations_team ON conversations (workspace_id, team_id, last_message_at DESC, id DESC);
CREATE INDEX conversations_holds ON conversations (status, snoozed_until) WHERE snoozed_until IS NOT NULL;

CREATE TABLE messages (
	id              TEXT PRIMARY KEY,
	workspace_id    TEXT NOT NULL,
	conversation_id TEXT NOT NULL,
	channel_id      TEXT NOT NULL,
	external_id     TEXT NOT NULL,
	direction       TEXT NOT NULL,
	delivery        TEXT NOT NULL,
	delivery_error  TEXT NOT NULL,
	created_at      INTEGER NOT NULL,
	doc             TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX messages_external ON messages (channel_id, external_id) WHERE external_id <> '';
CREATE INDEX messages_conversation ON messages (conversation_id, id);
CREATE INDEX messages_outbox ON messages (created_at, id) WHERE delivery = 'queued' AND direction = 'out';

CREATE TABLE events (
	id              TEXT PRIMARY KEY,
	workspace_id    TEXT NOT NULL,
	conversation_id TEXT NOT NULL,
	at              INTEGER NOT NULL,
	doc             TEXT NOT NULL
) STRICT;
CREATE INDEX events_conversation ON events (conversation_id, at, id);

CREATE TABLE sessions (
	token_hash   TEXT PRIMARY KEY,
	agent_id     TEXT NOT NULL,
	workspace_id TEXT NOT NULL,
	created_at   INTEGER NOT NULL,
	expires_at   INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_agent ON sessions (agent_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE bot_rules (
	id           TEXT PRIMARY KEY,
	workspace_id TEXT NOT NULL,
	created_at   INTEGER NOT NULL,
	doc          TEXT NOT NULL
) STRICT;
CREATE INDEX bot_rules_workspace ON bot_rules (workspace_id, created_at, id);
`,
	// 2: channel secrets and soft delete; conversation thread reference and
	// opt-out (in the doc column, no schema change); the durable outbox.
	// Zero times are stored as 0 (at once, no lease). The outbox indexes
	// hold queued outbound messages only: the head of each conversation's
	// queue is a seek on (conversation_id, id), and the due ones are a
	// range on (next_attempt_at, id), walked most overdue first.
	`
ALTER TABLE channels ADD COLUMN secrets TEXT NOT NULL DEFAULT '{}';
ALTER TABLE channels ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
CREATE INDEX channels_type ON channels (type, created_at, id) WHERE deleted = 0;

ALTER TABLE messages ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;
DROP INDEX messages_outbox;
CREATE INDEX messages_outbox_head ON messages (conversation_id, id)
	WHERE delivery = 'queued' AND direction = 'out';
CREATE INDEX messages_outbox_due ON messages (next_attempt_at, id)
	WHERE delivery = 'queued' AND direction = 'out';
`,
	// 3: a workspace's events in time order, for reports (ListEventsBetween
	// pages through a time range by (at, id)). The new workspace settings,
	// bot rule phrases, patterns, language and buttons, the conversation's
	// quick replies, survey window and spam counters and the message kind
	// all live in JSON columns: no schema change for them.
	`
CREATE INDEX events_workspace_at ON events (workspace_id, at, id);
`,
	// 4: routing and team chat. Agents gain presence, capacity and the
	// time they were last routed to (zero times stored as 0). A
	// conversation's queue time and offer expiry are columns, because
	// ListQueue and ListOffersDue query them; the rest of the offer, the
	// offer count and the invites live in the doc column (the offer is
	// there exactly when offer_expires_at is set). Queues are served from
	// conversations_queue in (queued_at, id) order, NULL first; due offers
	// are a range on the partial index of conversations with an offer.
	// The new routing settings live in the settings JSON column.
	`
ALTER TABLE agents ADD COLUMN status TEXT NOT NULL DEFAULT '';
ALTER TABLE agents ADD COLUMN status_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE agents ADD COLUMN max_open INTEGER NOT NULL DEFAULT 0;
ALTER TABLE agents ADD COLUMN routed_at INTEGER NOT NULL DEFAULT 0;

ALTER TABLE conversations ADD COLUMN queued_at INTEGER NULL;
ALTER TABLE conversations ADD COLUMN offer_expires_at INTEGER NULL;
CREATE INDEX conversations_queue
	ON conversations (workspace_id, status, assignee_id, team_id, queued_at, id);
CREATE INDEX conversations_offers ON conversations (offer_expires_at, id)
	WHERE offer_expires_at IS NOT NULL;

CREATE TABLE chat_messages (
	id           TEXT PRIMARY KEY,
	workspace_id TEXT NOT NULL,
	room         TEXT NOT NULL,
	author_id    TEXT NOT NULL,
	author_name  TEXT NOT NULL,
	text         TEXT NOT NULL,
	created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX chat_messages_room ON chat_messages (workspace_id, room, id);
`,
	// 5: the details agents keep about a contact. Existing contacts get
	// empty ones. Canned answers live in the settings JSON column and the
	// per-status counts use conversations_status: no schema change for them.
	`
ALTER TABLE contacts ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN notes TEXT NOT NULL DEFAULT '';
`,
	// 6: provider ids are unique among inbound messages only. Providers
	// number what they receive and what they send independently (a
	// Telegram update_id may equal a reply's message_id; reply message_ids
	// repeat across chats), so one index over both directions dropped
	// customer messages as duplicates of replies and refused replies'
	// ids. messages_external_in is the webhook dedupe; the existing rows
	// satisfy it, as they satisfied the stricter index it replaces.
	// messages_external_out serves delivery reports that carry only the
	// provider's id, newest message first (id order).
	`
DROP INDEX messages_external;
CREATE UNIQUE INDEX messages_external_in ON messages (channel_id, external_id)
	WHERE direction = 'in' AND external_id <> '';
CREATE INDEX messages_external_out ON messages (channel_id, external_id, id)
	WHERE direction = 'out' AND external_id <> '';
`,
}

// migrate brings the schema to the newest version. Each migration runs in
// its own transaction together with the row recording it, so a crash
// leaves either both or neither; the writer's IMMEDIATE transactions make
// two processes opening the same file at once apply each migration once.
func migrate(ctx context.Context, db *sql.DB) error {
	return migrateTo(ctx, db, len(migrations))
}

// migrateTo brings the schema to version n. Tests use it to build a file
// as an older release left it.
func migrateTo(ctx context.Context, db *sql.DB, n int) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		applied_at INTEGER NOT NULL
	) STRICT`); err != nil {
		return err
	}
	// A file written by a newer binary may hold data this one would
	// misread; refuse it rather than guess.
	var newest sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&newest); err != nil {
		return err
	}
	if newest.Int64 > int64(len(migrations)) {
		return fmt.Errorf("database schema version %d is newer than this program's %d", newest.Int64, len(migrations))
	}
	for i, script := range migrations[:n] {
		if err := applyMigration(ctx, db, i+1, script); err != nil {
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
	}
	return nil
}

func applyMigration(ctx context.Context, db *sql.DB, version int, script string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, script); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`,
		version, time.Now().UnixMilli()); err != nil {
		return err
	}
	return tx.Commit()
}
