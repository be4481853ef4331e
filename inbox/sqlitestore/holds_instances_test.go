package sqlitestore

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"hub/inbox"
	"hub/inbox/storetest"
)

// holdsBase is the time the instance tests put their holds around.
var holdsBase = time.Date(2025, 3, 14, 15, 0, 0, 0, time.UTC)

// seededHolds is what seedHolds created: due holds and holds that must stay.
type seededHolds struct {
	workspaceID string
	due         []string
	notDue      []string
}

// seedHolds creates, through the store, n pending conversations whose hold
// time is up to n minutes before holdsBase, and a few held until a day
// after it or until the customer replies.
func seedHolds(t *testing.T, st inbox.Store, n int) seededHolds {
	t.Helper()
	ctx := t.Context()
	w := &inbox.Workspace{Name: "Harbour Hotel", CreatedAt: holdsBase.Add(-30 * 24 * time.Hour)}
	if err := st.CreateWorkspace(ctx, w); err != nil {
		t.Fatalf("CreateWorkspace: %v", err)
	}
	ch := &inbox.Channel{WorkspaceID: w.ID, Type: inbox.ChannelSMS, Name: "Front desk", CreatedAt: w.CreatedAt}
	if err := st.CreateChannel(ctx, ch); err != nil {
		t.Fatalf("CreateChannel: %v", err)
	}
	out := seededHolds{workspaceID: w.ID}
	mk := func(i int, until *time.Time, untilReply bool) string {
		created := holdsBase.Add(-48*time.Hour + time.Duration(i)*time.Second)
		c := &inbox.Conversation{
			WorkspaceID:       w.ID,
			ChannelID:         ch.ID,
			ContactID:         inbox.NewID(),
			Status:            inbox.StatusPending,
			AssigneeID:        "agent-1",
			Participants:      []string{"agent-1"},
			SnoozedUntil:      until,
			SnoozedUntilReply: untilReply,
			ContactName:       fmt.Sprintf("Guest %d", i),
			ContactHandle:     fmt.Sprintf("+1555%07d", i),
			LastMessageText:   "Can I check out late?",
			LastMessageAt:     created.Add(time.Minute),
			CreatedAt:         created,
			UpdatedAt:         created.Add(2 * time.Minute),
		}
		if err := st.CreateConversation(ctx, c); err != nil {
			t.Fatalf("CreateConversation %d: %v", i, err)
		}
		return c.ID
	}
	for i := range n {
		until := holdsBase.Add(-time.Duration(i) * time.Minute)
		out.due = append(out.due, mk(i, &until, false))
	}
	for i := range 10 {
		until := holdsBase.Add(24*time.Hour + time.Duration(i)*time.Minute)
		out.notDue = append(out.notDue, mk(n+i, &until, false))
	}
	for i := range 5 {
		out.notDue = append(out.notDue, mk(n+10+i, nil, true))
	}
	return out
}

// TestHolds_TwoInstancesReleaseEachOnce is the acceptance check for two hub
// instances on one SQLite file: each opens the file itself (two writers,
// serialised only by SQLite's file lock), runs its own service with its
// own clock, and releases 1,000 due holds from three goroutines while the
// other does the same. Every hold must come back exactly once: one
// "unsnoozed" event per conversation, and every one of them open.
func TestHolds_TwoInstancesReleaseEachOnce(t *testing.T) {
	const n = 1000
	path := filepath.Join(t.TempDir(), "hub.db")
	stores := []*Store{open(t, path), open(t, path)}
	for _, s := range stores {
		t.Cleanup(func() {
			if err := s.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
	}
	seed := seedHolds(t, stores[0], n)

	// The instances' clocks disagree, as two machines' do; both are past
	// every due hold and before every other one.
	services := []*inbox.Service{
		inbox.NewService(stores[0], inbox.NewManualClock(holdsBase.Add(time.Hour)), inbox.Limits{}),
		inbox.NewService(stores[1], inbox.NewManualClock(holdsBase.Add(90*time.Minute)), inbox.Limits{}),
	}
	start := time.Now()
	released := storetest.ReleaseEverywhere(t, services, 3)
	t.Logf("instances released %d and %d holds in %v", released[0], released[1], time.Since(start))
	if got := released[0] + released[1]; got != n {
		t.Errorf("the services report %d releases in all, want %d", got, n)
	}

	// Read back through the other instance than the one that made them.
	ctx := t.Context()
	for _, id := range seed.due {
		events, err := stores[1].ListEvents(ctx, seed.workspaceID, id)
		if err != nil {
			t.Fatalf("ListEvents %s: %v", id, err)
		}
		var unsnoozed []inbox.Event
		for _, e := range events {
			if e.Type == inbox.EventUnsnoozed {
				unsnoozed = append(unsnoozed, e)
			}
		}
		if len(unsnoozed) != 1 {
			t.Errorf("conversation %s has %d unsnoozed events, want exactly 1: %+v", id, len(unsnoozed), unsnoozed)
		} else if e := unsnoozed[0]; e.From != inbox.StatusPending || e.To != inbox.StatusOpen ||
			e.Actor.Type != inbox.AuthorSystem || e.Data["by"] != "timer" {
			t.Errorf("conversation %s: release event %+v, want pending to open by the timer", id, e)
		}
		c, err := stores[0].GetConversation(ctx, seed.workspaceID, id)
		if err != nil {
			t.Fatalf("GetConversation %s: %v", id, err)
		}
		if c.Status != inbox.StatusOpen || c.SnoozedUntil != nil || c.Version != 2 {
			t.Errorf("conversation %s after the release: status %s, snoozed until %v, version %d; want open, no hold, version 2",
				id, c.Status, c.SnoozedUntil, c.Version)
		}
	}
	for _, id := range seed.notDue {
		events, err := stores[1].ListEvents(ctx, seed.workspaceID, id)
		if err != nil {
			t.Fatalf("ListEvents %s: %v", id, err)
		}
		c, err := stores[0].GetConversation(ctx, seed.workspaceID, id)
		if err != nil {
			t.Fatalf("GetConversation %s: %v", id, err)
		}
		if len(events) != 0 || c.Status != inbox.StatusPending || c.Version != 1 {
			t.Errorf("conversation %s was not due but has %d events, status %s, version %d", id, len(events), c.Status, c.Version)
		}
	}
}
