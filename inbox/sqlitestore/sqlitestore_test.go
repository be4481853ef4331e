package sqlitestore

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hub/inbox"
	"hub/inbox/storetest"
)

func open(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) inbox.Store {
		s := open(t, filepath.Join(t.TempDir(), "hub.db"))
		t.Cleanup(func() {
			if err := s.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
		return s
	})
}

type migrationRow struct {
	version   int
	appliedAt int64
}

func appliedMigrations(t *testing.T, s *Store) []migrationRow {
	t.Helper()
	rows, err := s.r.QueryContext(t.Context(), `SELECT version, applied_at FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatalf("read schema_migrations: %v", err)
	}
	defer rows.Close()
	var out []migrationRow
	for rows.Next() {
		var m migrationRow
		if err := rows.Scan(&m.version, &m.appliedAt); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestReopen_KeepsDataAndSkipsAppliedMigrations(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "hub.db")

	s := open(t, path)
	w := &inbox.Workspace{ID: inbox.NewID(), Name: "Hotel", CreatedAt: time.UnixMilli(1_700_000_000_123).UTC()}
	if err := s.CreateWorkspace(ctx, w); err != nil {
		t.Fatal(err)
	}
	before := appliedMigrations(t, s)
	if len(before) != len(migrations) {
		t.Fatalf("fresh file has %d migrations recorded, want %d", len(before), len(migrations))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	// Make a re-run visible: applied_at would change, and the CREATE
	// TABLE statements of migration 1 would fail on the existing tables.
	time.Sleep(5 * time.Millisecond)
	s = open(t, path)
	defer s.Close()
	after := appliedMigrations(t, s)
	if len(after) != len(before) {
		t.Fatalf("after reopen %d migrations recorded, want %d", len(after), len(before))
	}
	for i := range before {
		if after[i] != before[i] {
			t.Errorf("migration %d re-applied: %+v, was %+v", before[i].version, after[i], before[i])
		}
	}
	got, err := s.GetWorkspace(ctx, w.ID)
	if err != nil {
		t.Fatalf("GetWorkspace after reopen: %v", err)
	}
	if got.Name != w.Name || !got.CreatedAt.Equal(w.CreatedAt) {
		t.Errorf("after reopen got %+v, want %+v", got, w)
	}
}

func TestOpen_RefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hub.db")
	s := open(t, path)
	if _, err := s.w.ExecContext(t.Context(), `INSERT INTO schema_migrations (version, applied_at) VALUES (?, 0)`,
		len(migrations)+1); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err := Open(path); err == nil {
		s.Close()
		t.Fatal("Open accepted a database from a newer schema")
	}
}

// TestQueryPlans_UseIndexes keeps every hot query an index walk: no full
// table scan, no sort of the result in a temporary b-tree.
func TestQueryPlans_UseIndexes(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "hub.db"))
	defer s.Close()
	plans := map[string]string{
		"holds":             `SELECT id FROM conversations WHERE status = 'pending' AND snoozed_until <= 1 ORDER BY snoozed_until LIMIT 10`,
		"list":              `SELECT id FROM conversations WHERE workspace_id = 'w' ORDER BY last_message_at DESC, id DESC LIMIT 51`,
		"status":            `SELECT id FROM conversations WHERE workspace_id = 'w' AND status IN ('open') ORDER BY last_message_at DESC, id DESC LIMIT 51`,
		"cursor":            `SELECT id FROM conversations WHERE workspace_id = 'w' AND (last_message_at, id) < (5, 'x') ORDER BY last_message_at DESC, id DESC LIMIT 51`,
		"thread":            `SELECT id FROM messages WHERE conversation_id = 'c' AND workspace_id = 'w' AND id > '' ORDER BY id`,
		"events":            `SELECT id FROM events WHERE conversation_id = 'c' AND workspace_id = 'w' ORDER BY at, id`,
		"thread by contact": `SELECT id FROM conversations WHERE channel_id = 'ch' AND contact_id = 'c' AND workspace_id = 'w'`,
		"agent email":       `SELECT id FROM agents WHERE email_key = 'a@b'`,
		"identity":          `SELECT contact_id FROM contact_identities WHERE channel_id = 'ch' AND handle = 'h'`,
		"contact":           `SELECT c.id, i.handle FROM contacts c LEFT JOIN contact_identities i ON i.contact_id = c.id WHERE c.id = 'c' AND c.workspace_id = 'w' ORDER BY i.created_at, i.channel_id`,
		"workspaces":        `SELECT id FROM workspaces ORDER BY created_at, id`,
		"agents":            `SELECT id FROM agents WHERE workspace_id = 'w' ORDER BY created_at, id`,
		"teams":             `SELECT id FROM teams WHERE workspace_id = 'w' ORDER BY created_at, id`,
		"channels":          `SELECT id FROM channels WHERE workspace_id = 'w' ORDER BY created_at, id`,
		"channels of type":  `SELECT id FROM channels WHERE type = ? AND deleted = 0 ORDER BY created_at, id`,
		"bot rules":         `SELECT id FROM bot_rules WHERE workspace_id = 'w' ORDER BY created_at, id`,
	}
	for name, q := range plans {
		var args []any
		if strings.Contains(q, "?") {
			args = []any{"ch", "x"}[:strings.Count(q, "?")]
		}
		checkPlan(t, s, name, q, args...)
	}
	// Report pages of ListEventsBetween, from the start and after an
	// event: a range walk of the workspace's events in (at, id) order.
	for name, q := range map[string]string{
		"events between":       `SELECT id FROM events WHERE workspace_id = ? AND at >= ? AND at < ? ORDER BY at, id LIMIT ?`,
		"events between after": `SELECT id FROM events WHERE workspace_id = ? AND at >= ? AND at < ? AND (at, id) > (?, ?) ORDER BY at, id LIMIT ?`,
		"event position":       `SELECT at FROM events WHERE id = ? AND workspace_id = ?`,
	} {
		args := []any{"w", int64(1), int64(9), int64(3), "x", 1000}
		if name == "event position" {
			args = []any{"x", "w"}
		} else if !strings.Contains(q, "(at, id)") {
			args = []any{"w", int64(1), int64(9), 1000}
		}
		steps := checkPlan(t, s, name, q, args...)
		if name != "event position" && !strings.Contains(strings.Join(steps, "\n"), "events_workspace_at") {
			t.Errorf("%s: plan %q does not use events_workspace_at", name, steps)
		}
	}
	// Routing, team chat and the per-status counts, exactly as the store
	// runs them: each a walk of its own index, in the order asked for.
	for _, c := range []struct {
		name, q, index string
		args           []any
	}{
		{"queue", queueSQL, "conversations_queue", []any{"w", "open", "", 100}},
		{"team queue", queueSQL, "conversations_queue", []any{"w", "open", "t", 100}},
		{"count assigned", countAssignedSQL, "conversations_queue", []any{"w", "a", "open"}},
		{"count by status", countByStatusSQL, "conversations_status", []any{"w"}},
		{"offers due", offersDueSQL, "conversations_offers", []any{int64(5), 100}},
		{"chat", chatSQL, "chat_messages_room", []any{"w", "team:t", "", 200}},
		// Provider ids: the inbound dedupe, and delivery reports finding
		// the newest reply with an id, each on its own partial index.
		{"external in", externalInSQL, "messages_external_in", []any{"ch", "x"}},
		{"external out", externalOutSQL, "messages_external_out", []any{"ch", "x"}},
	} {
		steps := checkPlan(t, s, c.name, c.q, c.args...)
		if !strings.Contains(strings.Join(steps, "\n"), c.index) {
			t.Errorf("%s: plan %q does not use %s", c.name, steps, c.index)
		}
	}
	// The outbox claim, exactly as ClaimOutbound runs it.
	steps := checkPlan(t, s, "claim", claimSQL, int64(2), int64(1), int64(1), 10)
	for _, index := range []string{"messages_outbox_due", "messages_outbox_head"} {
		if !strings.Contains(strings.Join(steps, "\n"), index) {
			t.Errorf("claim: plan %q does not use %s", steps, index)
		}
	}
}

// checkPlan fails the test when q's plan scans a table or sorts, and
// returns the plan's steps.
func checkPlan(t *testing.T, s *Store, name, q string, args ...any) []string {
	t.Helper()
	rows, err := s.w.QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	defer rows.Close()
	var steps []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		steps = append(steps, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, d := range steps {
		if strings.Contains(d, "TEMP B-TREE") || (strings.HasPrefix(d, "SCAN ") && !strings.Contains(d, "INDEX")) {
			t.Errorf("%s: plan %q has a scan or sort: %q", name, steps, d)
		}
	}
	return steps
}
