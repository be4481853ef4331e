package sqlitestore

import (
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"hub/inbox"
)

// TestMigration6_InboundOnlyUniqueOnExistingFile upgrades a file written
// by a release with the old index (one unique provider id per channel,
// both directions): its rows pass the new index, inbound ids still
// dedupe, and a reply's id no longer blocks an inbound message.
func TestMigration6_InboundOnlyUniqueOnExistingFile(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "hub.db")
	db, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	if err := migrateTo(ctx, db, 5); err != nil {
		t.Fatalf("migrate to 5: %v", err)
	}
	insert := func(id, ext, dir, delivery string) {
		t.Helper()
		if _, err := db.ExecContext(ctx, `INSERT INTO messages (id, workspace_id, conversation_id, channel_id,
			external_id, direction, delivery, delivery_error, created_at, doc)
			VALUES (?, 'w', 'c', 'ch', ?, ?, ?, '', 1, '{}')`, id, ext, dir, delivery); err != nil {
			t.Fatalf("insert %s: %v", id, err)
		}
	}
	insert("m1", "41", "in", "")
	insert("m2", "7", "out", "sent")
	insert("m3", "", "out", "queued")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	s := open(t, path)
	defer s.Close()
	if got := appliedMigrations(t, s); len(got) != len(migrations) {
		t.Fatalf("%d migrations recorded after upgrade, want %d", len(got), len(migrations))
	}
	in := &inbox.Message{ID: "m4", WorkspaceID: "w", ConversationID: "c", ChannelID: "ch", ExternalID: "7",
		Direction: inbox.DirectionIn, CreatedAt: time.UnixMilli(2).UTC()}
	if err := s.AddMessage(ctx, in); err != nil {
		t.Fatalf("inbound with a reply's provider id: %v", err)
	}
	retry := *in
	retry.ID = "m5"
	if err := s.AddMessage(ctx, &retry); !errors.Is(err, inbox.ErrDuplicate) {
		t.Fatalf("inbound retry: err = %v, want ErrDuplicate", err)
	}
	old := *in
	old.ID, old.ExternalID = "m6", "41"
	if err := s.AddMessage(ctx, &old); !errors.Is(err, inbox.ErrDuplicate) {
		t.Fatalf("retry of an inbound stored before the upgrade: err = %v, want ErrDuplicate", err)
	}
	if got, err := s.FindMessageByExternalID(ctx, "ch", "7"); err != nil || got.ID != "m4" {
		t.Fatalf("FindMessageByExternalID 7: %+v, %v; want m4", got, err)
	}
	if got, err := s.FindSentMessageByExternalID(ctx, "ch", "7"); err != nil || got.ID != "m2" {
		t.Fatalf("FindSentMessageByExternalID 7: %+v, %v; want m2", got, err)
	}
}
