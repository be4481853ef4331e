package mongostore

import (
	"errors"
	"testing"
	"time"

	"hub/inbox"
)

func lockTestConv(t *testing.T, s *Store, status inbox.Status, until *time.Time) *inbox.Conversation {
	t.Helper()
	now := time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)
	c := &inbox.Conversation{
		ID: inbox.NewID(), WorkspaceID: "w1", ChannelID: "ch1", ContactID: inbox.NewID(),
		Status: status, SnoozedUntil: until, LastMessageAt: now, CreatedAt: now, UpdatedAt: now,
	}
	if err := s.CreateConversation(t.Context(), c); err != nil {
		t.Fatalf("CreateConversation: %v", err)
	}
	return c
}

func holdLock(t *testing.T, s *Store, id string, at time.Time) {
	t.Helper()
	if _, err := s.convLocks.InsertOne(t.Context(), convLockDoc{ID: id, Owner: "someone-else", At: at}); err != nil {
		t.Fatalf("insert lock: %v", err)
	}
}

func TestOpen_DetectsFerretDB(t *testing.T) {
	s := openTest(t)
	if !usingRealServer() && !s.lockWrites {
		t.Error("in-process FerretDB not detected: conversation writes would not be serialised")
	}
}

// The lock tests force locking on, so they also run against MongoDB.

func TestUpdateConversation_BusyLockIsConflict(t *testing.T) {
	s := openTest(t)
	s.lockWrites = true
	s.lockWait = 100 * time.Millisecond
	c := lockTestConv(t, s, inbox.StatusOpen, nil)
	holdLock(t, s, c.ID, time.Now().UTC())

	c.AssigneeID = "agent-1"
	if err := s.UpdateConversation(t.Context(), c); !errors.Is(err, inbox.ErrConflict) {
		t.Fatalf("UpdateConversation while another writer holds the lock: err = %v, want ErrConflict", err)
	}
	got, err := s.GetConversation(t.Context(), "w1", c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.AssigneeID != "" || got.Version != 1 {
		t.Errorf("conversation changed behind a held lock: %+v", got)
	}
}

func TestUpdateConversation_BreaksAbandonedLock(t *testing.T) {
	s := openTest(t)
	s.lockWrites = true
	c := lockTestConv(t, s, inbox.StatusOpen, nil)
	holdLock(t, s, c.ID, time.Now().UTC().Add(-lockTTL-time.Minute))

	c.AssigneeID = "agent-1"
	if err := s.UpdateConversation(t.Context(), c); err != nil {
		t.Fatalf("UpdateConversation past an abandoned lock: %v", err)
	}
	if n, err := s.convLocks.CountDocuments(t.Context(), map[string]any{}); err != nil || n != 0 {
		t.Errorf("locks left after the update: %d (err %v)", n, err)
	}
}

func TestReleaseDueHolds_LeavesLockedConversationForLater(t *testing.T) {
	s := openTest(t)
	s.lockWrites = true
	now := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	due := now.Add(-time.Hour)
	busy := lockTestConv(t, s, inbox.StatusPending, &due)
	free := lockTestConv(t, s, inbox.StatusPending, &due)
	holdLock(t, s, busy.ID, time.Now().UTC())

	got, err := s.ReleaseDueHolds(t.Context(), now, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != free.ID {
		t.Fatalf("released %v, want only %s", got, free.ID)
	}
	s.unlockConversations(t.Context(), []string{busy.ID})
	got, err = s.ReleaseDueHolds(t.Context(), now, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != busy.ID || got[0].Status != inbox.StatusOpen {
		t.Fatalf("after unlock released %v, want %s", got, busy.ID)
	}
}
