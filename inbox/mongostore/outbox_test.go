package mongostore

import (
	"errors"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"hub/inbox"
)

// outboxMsg returns an unsaved queued reply on conversation conv.
func outboxMsg(conv, text string) *inbox.Message {
	return &inbox.Message{
		ID: inbox.NewID(), WorkspaceID: "w1", ConversationID: conv, ChannelID: "ch1",
		Direction: inbox.DirectionOut, Author: inbox.Author{Type: inbox.AuthorBot},
		Text: text, Delivery: inbox.DeliveryQueued,
		CreatedAt: time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC),
	}
}

// insertLegacy stores m as a message written before the outbox fields
// existed: no attempts, nextAttemptAt or leaseUntil.
func insertLegacy(t *testing.T, s *Store, m *inbox.Message) {
	t.Helper()
	raw, err := bson.Marshal(toMessageDoc(m))
	if err != nil {
		t.Fatal(err)
	}
	var doc bson.M
	if err := bson.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"attempts", "nextAttemptAt", "leaseUntil"} {
		delete(doc, k)
	}
	if _, err := s.messages.InsertOne(t.Context(), doc); err != nil {
		t.Fatalf("insert legacy message: %v", err)
	}
}

func claimedIDs(t *testing.T, s *Store, now, lease time.Time) []string {
	t.Helper()
	got, err := s.ClaimOutbound(t.Context(), now, lease, 10)
	if err != nil {
		t.Fatalf("ClaimOutbound: %v", err)
	}
	out := make([]string, len(got))
	for i, m := range got {
		if !m.LeaseUntil.Equal(lease) {
			t.Errorf("claimed %s with lease %v, want %v", m.Text, m.LeaseUntil, lease)
		}
		out[i] = m.ID
	}
	return out
}

func sameList(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s: got %v, want %v", what, got, want)
		}
	}
}

// TestOutbox_BothWritePathsAndLegacyMessages runs the outbox on each of
// the store's two write paths, whichever server the tests use: the plain
// conditional updates MongoDB gets (sequentially, the only way they are
// sound on FerretDB) and the locked ones FerretDB gets. Messages stored
// before the outbox fields existed are due and unleased on both.
func TestOutbox_BothWritePathsAndLegacyMessages(t *testing.T) {
	for _, locked := range []bool{false, true} {
		name := map[bool]string{false: "ConditionalUpdates", true: "Locked"}[locked]
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			s := openTest(t)
			s.lockWrites = locked
			now := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
			lease := now.Add(2 * time.Hour)

			legacy := outboxMsg("c1", "legacy")
			insertLegacy(t, s, legacy)
			behind := outboxMsg("c1", "behind the legacy one")
			fresh := outboxMsg("c2", "fresh")
			later := outboxMsg("c3", "later")
			later.NextAttemptAt = now.Add(time.Hour)
			for _, m := range []*inbox.Message{behind, fresh, later} {
				if err := s.AddMessage(ctx, m); err != nil {
					t.Fatal(err)
				}
			}

			sameList(t, "first claim", claimedIDs(t, s, now, lease), legacy.ID, fresh.ID)
			sameList(t, "claim while leased", claimedIDs(t, s, now, lease))

			if err := s.RetryOutbound(ctx, "w1", fresh.ID, 1, now.Add(30*time.Minute), "busy"); err != nil {
				t.Fatalf("RetryOutbound: %v", err)
			}
			if err := s.RetryOutbound(ctx, "w2", fresh.ID, 1, now, "x"); !errors.Is(err, inbox.ErrNotFound) {
				t.Errorf("RetryOutbound from another workspace: err = %v, want ErrNotFound", err)
			}
			ok, err := s.AdvanceDelivery(ctx, "w1", legacy.ID, inbox.DeliverySent, "", "SM-legacy")
			if err != nil || !ok {
				t.Fatalf("AdvanceDelivery legacy: %v %v", ok, err)
			}
			ok, err = s.AdvanceDelivery(ctx, "w1", legacy.ID, inbox.DeliverySent, "again", "")
			if err != nil || ok {
				t.Errorf("AdvanceDelivery sent twice: %v %v, want false, nil", ok, err)
			}
			if _, err := s.AdvanceDelivery(ctx, "w2", legacy.ID, inbox.DeliveryRead, "", ""); !errors.Is(err, inbox.ErrNotFound) {
				t.Errorf("AdvanceDelivery from another workspace: err = %v, want ErrNotFound", err)
			}
			if err := s.RetryOutbound(ctx, "w1", legacy.ID, 1, now, "x"); !errors.Is(err, inbox.ErrConflict) {
				t.Errorf("RetryOutbound after sent: err = %v, want ErrConflict", err)
			}
			got, err := s.FindSentMessageByExternalID(ctx, "ch1", "SM-legacy")
			if err != nil || got.ID != legacy.ID || got.Delivery != inbox.DeliverySent {
				t.Fatalf("FindSentMessageByExternalID: %+v, %v", got, err)
			}

			// The legacy head has gone out, so the one behind it is next;
			// fresh waits for its retry time, later for its first.
			sameList(t, "after advance", claimedIDs(t, s, now, lease), behind.ID)
			sameList(t, "at the retry time", claimedIDs(t, s, now.Add(30*time.Minute), lease.Add(time.Hour)), fresh.ID)
			sameList(t, "at the later time", claimedIDs(t, s, now.Add(time.Hour), lease.Add(time.Hour)), later.ID)
			m, err := s.GetMessage(ctx, "w1", fresh.ID)
			if err != nil || m.Attempts != 1 || m.DeliveryError != "busy" || !m.NextAttemptAt.Equal(now.Add(30*time.Minute)) {
				t.Errorf("fresh after retry and claim: %+v, %v", m, err)
			}
		})
	}
}
