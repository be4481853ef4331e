package sqlitestore

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"hub/inbox"
)

// TestCheckpoint_BackgroundCopiesTheLogAndTheWriterOnlyBacksUp checks the
// checkpoint arrangement: the writer checkpoints by itself only past the
// backstop, and the background checkpointer copies committed pages into
// the database file without anyone asking.
func TestCheckpoint_BackgroundCopiesTheLogAndTheWriterOnlyBacksUp(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "hub.db"))
	defer s.Close()
	ctx := t.Context()

	var backstop, cache int
	if err := s.w.QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&backstop); err != nil {
		t.Fatal(err)
	}
	if err := s.w.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&cache); err != nil {
		t.Fatal(err)
	}
	if backstop != walBackstopPages || cache != -65536 {
		t.Fatalf("writer: wal_autocheckpoint %d, cache_size %d; want %d and -65536", backstop, cache, walBackstopPages)
	}

	before := s.cp.copied.Load()
	w := &inbox.Workspace{Name: "Hotel", CreatedAt: time.Now()}
	if err := s.CreateWorkspace(ctx, w); err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		ch := &inbox.Channel{WorkspaceID: w.ID, Type: inbox.ChannelSMS, Name: fmt.Sprintf("Line %d", i), CreatedAt: time.Now()}
		if err := s.CreateChannel(ctx, ch); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(20 * checkpointInterval)
	for s.cp.copied.Load() == before {
		if time.Now().After(deadline) {
			t.Fatalf("no page was checkpointed within %v of 200 commits", 20*checkpointInterval)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
