package mongostore

import (
	"testing"
	"time"

	"hub/inbox"
	"hub/inbox/mongostore/internal/ferrettest"
	"hub/inbox/storetest"
)

// holdsBase is the time the instance test puts its holds around.
var holdsBase = time.Date(2025, 3, 14, 15, 0, 0, 0, time.UTC)

// secondInstance opens another client on the database of s, as a second
// hub instance would: its own connection pool, its own Store. Open then
// meets a database whose collections and indexes exist already, as at
// every restart of a hub.
func secondInstance(t *testing.T, s *Store) *Store {
	t.Helper()
	other, err := Open(t.Context(), ferrettest.Start(t), s.Database().Name())
	if err != nil {
		t.Fatalf("Open second instance: %v", err)
	}
	t.Cleanup(func() {
		if err := other.Close(); err != nil {
			t.Errorf("Close second instance: %v", err)
		}
	})
	return other
}

// TestHolds_TwoInstancesReleaseEachOnce is the acceptance check for two hub
// instances on one MongoDB database (here the in-process FerretDB, where
// the store releases under per-conversation locks): two clients, two
// services with their own clocks, three goroutines each releasing 1,000
// due holds at once. Every hold must come back exactly once: one
// "unsnoozed" event per conversation, and every one of them open.
func TestHolds_TwoInstancesReleaseEachOnce(t *testing.T) {
	const n = 1000
	ctx := t.Context()
	stores := []*Store{openTest(t)}
	stores = append(stores, secondInstance(t, stores[0]))

	start := time.Now()
	seed := storetest.SeedHolds(t, []inbox.Store{stores[0], stores[1]}, holdsBase, n)
	due := make(map[string]bool, n)
	for _, id := range seed.Due {
		due[id] = true
	}
	notDue := seed.NotDue
	t.Logf("created %d conversations in %v", n+len(notDue), time.Since(start))

	// The instances' clocks disagree, as two machines' do; both are past
	// every due hold and before every other one.
	services := []*inbox.Service{
		inbox.NewService(stores[0], inbox.NewManualClock(holdsBase.Add(time.Hour)), inbox.Limits{}),
		inbox.NewService(stores[1], inbox.NewManualClock(holdsBase.Add(90*time.Minute)), inbox.Limits{}),
	}
	start = time.Now()
	released := storetest.ReleaseEverywhere(t, services, 3)
	t.Logf("instances released %d and %d holds in %v", released[0], released[1], time.Since(start))
	if got := released[0] + released[1]; got != n {
		t.Errorf("the services report %d releases in all, want %d", got, n)
	}

	// Count the release events of every conversation. FerretDB filters
	// events in Go over the whole collection, so one ListEvents per
	// conversation would read it a thousand times: the workspace's events
	// are read in pages instead (an event of another conversation, or of
	// none, counts against the test all the same), and ListEvents is
	// checked on a sample.
	start = time.Now()
	unsnoozed := map[string]int{}
	after := ""
	for {
		page, err := stores[1].ListEventsBetween(ctx, seed.WorkspaceID, holdsBase.Add(-time.Hour), holdsBase.Add(24*time.Hour), after, 1000)
		if err != nil {
			t.Fatalf("ListEventsBetween: %v", err)
		}
		for _, e := range page {
			if e.Type != inbox.EventUnsnoozed {
				t.Errorf("unexpected event %+v", e)
				continue
			}
			if e.From != inbox.StatusPending || e.To != inbox.StatusOpen || e.Actor.Type != inbox.AuthorSystem || e.Data["by"] != "timer" {
				t.Errorf("release event %+v, want pending to open by the timer", e)
			}
			unsnoozed[e.ConversationID]++
		}
		if len(page) < 1000 {
			break
		}
		after = page[len(page)-1].ID
	}
	for id := range due {
		if unsnoozed[id] != 1 {
			t.Errorf("conversation %s has %d unsnoozed events, want exactly 1", id, unsnoozed[id])
		}
	}
	for id, k := range unsnoozed {
		if !due[id] {
			t.Errorf("conversation %s was not due but has %d unsnoozed events", id, k)
		}
	}
	sample := 0
	for id := range due {
		if sample == 20 {
			break
		}
		sample++
		events, err := stores[0].ListEvents(ctx, seed.WorkspaceID, id)
		if err != nil {
			t.Fatalf("ListEvents %s: %v", id, err)
		}
		if len(events) != 1 || events[0].Type != inbox.EventUnsnoozed {
			t.Errorf("ListEvents %s: %+v, want one unsnoozed event", id, events)
		}
	}
	for id := range due {
		c, err := stores[readerOf(id)].GetConversation(ctx, seed.WorkspaceID, id)
		if err != nil {
			t.Fatalf("GetConversation %s: %v", id, err)
		}
		if c.Status != inbox.StatusOpen || c.SnoozedUntil != nil || c.Version != 2 {
			t.Errorf("conversation %s after the release: status %s, snoozed until %v, version %d; want open, no hold, version 2",
				id, c.Status, c.SnoozedUntil, c.Version)
		}
	}
	for _, id := range notDue {
		c, err := stores[0].GetConversation(ctx, seed.WorkspaceID, id)
		if err != nil {
			t.Fatalf("GetConversation %s: %v", id, err)
		}
		if c.Status != inbox.StatusPending || c.Version != 1 {
			t.Errorf("conversation %s was not due but is %s, version %d", id, c.Status, c.Version)
		}
	}
	t.Logf("checked in %v", time.Since(start))
}

// readerOf spreads the read-back over both instances.
func readerOf(id string) int { return int(id[len(id)-1]) % 2 }
