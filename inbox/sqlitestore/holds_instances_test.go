package sqlitestore

import (
	"path/filepath"
	"testing"
	"time"

	"hub/inbox"
	"hub/inbox/storetest"
)

// holdsBase is the time the instance tests put their holds around.
var holdsBase = time.Date(2025, 3, 14, 15, 0, 0, 0, time.UTC)

// seedHolds creates the holds of storetest.SeedHolds through st alone.
func seedHolds(t *testing.T, st inbox.Store, n int) storetest.SeededHolds {
	t.Helper()
	return storetest.SeedHolds(t, []inbox.Store{st}, holdsBase, n)
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
	for _, id := range seed.Due {
		events, err := stores[1].ListEvents(ctx, seed.WorkspaceID, id)
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
		c, err := stores[0].GetConversation(ctx, seed.WorkspaceID, id)
		if err != nil {
			t.Fatalf("GetConversation %s: %v", id, err)
		}
		if c.Status != inbox.StatusOpen || c.SnoozedUntil != nil || c.Version != 2 {
			t.Errorf("conversation %s after the release: status %s, snoozed until %v, version %d; want open, no hold, version 2",
				id, c.Status, c.SnoozedUntil, c.Version)
		}
	}
	for _, id := range seed.NotDue {
		events, err := stores[1].ListEvents(ctx, seed.WorkspaceID, id)
		if err != nil {
			t.Fatalf("ListEvents %s: %v", id, err)
		}
		c, err := stores[0].GetConversation(ctx, seed.WorkspaceID, id)
		if err != nil {
			t.Fatalf("GetConversation %s: %v", id, err)
		}
		if len(events) != 0 || c.Status != inbox.StatusPending || c.Version != 1 {
			t.Errorf("conversation %s was not due but has %d events, status %s, version %d", id, len(events), c.Status, c.Version)
		}
	}
}
