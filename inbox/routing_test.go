package inbox_test

import (
	"errors"
	"testing"
	"time"

	"hub/inbox"
)

func (f *fixture) settings(change func(s *inbox.WorkspaceSettings)) {
	f.t.Helper()
	ws := f.must1(f.store.GetWorkspace(f.ctx, f.ws.ID)).(*inbox.Workspace)
	s := ws.Settings
	change(&s)
	f.must1(f.svc.UpdateSettings(f.ctx, f.admin, s))
}

func (f *fixture) available(a inbox.Actor) {
	f.t.Helper()
	f.must1(f.svc.SetMyStatus(f.ctx, a, inbox.AgentAvailable))
}

func (f *fixture) route() int {
	f.t.Helper()
	return f.must1(f.svc.Route(f.ctx, f.ws.ID)).(int)
}

func (f *fixture) status(a inbox.Actor) inbox.AgentStatus {
	f.t.Helper()
	return f.must1(f.store.GetAgent(f.ctx, f.ws.ID, a.AgentID)).(*inbox.Agent).Status
}

func wantConflict(t *testing.T, err error, code string) {
	t.Helper()
	var c *inbox.ConflictError
	if !errors.As(err, &c) || c.Code != code {
		t.Fatalf("got %v, want conflict %s", err, code)
	}
}

func TestRouting_IdleLongestCapacityAndRONA(t *testing.T) {
	f := newFixture(t)
	f.settings(func(s *inbox.WorkspaceSettings) {
		s.RoutingMode, s.MaxOpenPerAgent, s.OfferTimeoutSeconds = "auto", 1, 30
	})
	a3 := f.agent("a3@h.test", inbox.RoleAgent)
	f.available(f.a1)
	f.available(f.a2)
	now := f.clock.Now()
	if err := f.store.SetAgentRoutedAt(f.ctx, f.ws.ID, f.a1.AgentID, now.Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := f.store.SetAgentRoutedAt(f.ctx, f.ws.ID, f.a2.AgentID, now.Add(-10*time.Minute)); err != nil {
		t.Fatal(err)
	}

	c1 := f.ingest(f.humanCh, "c1", "hello").Conversation
	if n := f.route(); n != 1 {
		t.Fatalf("offers made: %d", n)
	}
	if o := f.get(c1.ID).Offer; o == nil || o.AgentID != f.a2.AgentID {
		t.Fatalf("offer %+v, want a2 (idle longest)", o)
	}
	if _, err := f.svc.AcceptOffer(f.ctx, f.a1, c1.ID); err == nil {
		t.Fatal("a1 accepted a2's offer")
	} else {
		wantConflict(t, err, "offer_not_yours")
	}
	f.must1(f.svc.AcceptOffer(f.ctx, f.a2, c1.ID))

	// a2 is at capacity (1): the next conversation goes to a1.
	c2 := f.ingest(f.humanCh, "c2", "hello").Conversation
	f.route()
	if o := f.get(c2.ID).Offer; o == nil || o.AgentID != f.a1.AgentID {
		t.Fatalf("offer %+v, want a1 (a2 is full)", o)
	}
	// a1 does not answer in 30 s: RONA, and nobody else is free.
	f.clock.Advance(31 * time.Second)
	if _, err := f.svc.AcceptOffer(f.ctx, f.a1, c2.ID); err == nil {
		t.Fatal("accepted an expired offer")
	} else {
		wantConflict(t, err, "offer_expired")
	}
	f.must1(f.svc.ExpireOffers(f.ctx))
	if st := f.status(f.a1); st != inbox.AgentRONA {
		t.Fatalf("a1 is %s after not answering, want rona", st)
	}
	var sawRONA bool
	for _, e := range f.must1(f.store.ListEvents(f.ctx, f.ws.ID, c2.ID)).([]inbox.Event) {
		sawRONA = sawRONA || (e.Type == inbox.EventRONA && e.Data["agentId"] == f.a1.AgentID)
	}
	if !sawRONA {
		t.Fatal("no rona event")
	}
	if f.route(); f.get(c2.ID).Offer != nil {
		t.Fatalf("offered to a RONA or full agent: %+v", f.get(c2.ID).Offer)
	}
	// The next agent gets it.
	f.available(a3)
	f.route()
	if o := f.get(c2.ID).Offer; o == nil || o.AgentID != a3.AgentID {
		t.Fatalf("offer %+v, want a3", o)
	}
	// a1 gets nothing while RONA, and offers again once available.
	c3 := f.ingest(f.humanCh, "c3", "hello").Conversation
	f.route()
	if o := f.get(c3.ID).Offer; o != nil {
		t.Fatalf("c3 offered to %s while a1 is RONA and the others are full", o.AgentID)
	}
	f.available(f.a1)
	f.route()
	if o := f.get(c3.ID).Offer; o == nil || o.AgentID != f.a1.AgentID {
		t.Fatalf("offer %+v, want a1 again", o)
	}
	// Capacity frees when a2 puts c1 on hold (pending does not count).
	f.must1(f.svc.Snooze(f.ctx, f.a2, c1.ID, inbox.SnoozeInput{UntilReply: true}))
	c4 := f.ingest(f.humanCh, "c4", "hello").Conversation
	f.route()
	if o := f.get(c4.ID).Offer; o == nil || o.AgentID != f.a2.AgentID {
		t.Fatalf("offer %+v, want a2 (a hold frees a slot)", o)
	}
}

func TestRouting_OffersStopAfterMaxAttempts(t *testing.T) {
	f := newFixture(t)
	f.settings(func(s *inbox.WorkspaceSettings) { s.RoutingMode, s.MaxOfferAttempts = "auto", 2 })
	c := f.ingest(f.humanCh, "c1", "hello").Conversation
	for range 3 {
		f.available(f.a1)
		f.available(f.a2)
		f.route()
		f.clock.Advance(31 * time.Second)
		f.must1(f.svc.ExpireOffers(f.ctx))
	}
	got := f.get(c.ID)
	if got.Offer != nil || got.OfferAttempts != 2 || got.AssigneeID != "" {
		t.Fatalf("after 2 unanswered offers: %+v", got)
	}
	// Anyone may still take it by hand.
	f.must1(f.svc.Assign(f.ctx, f.a1, c.ID, ""))
}

func TestTransfer_OfferFallsBackToQueueAndTeamQueueOrder(t *testing.T) {
	f := newFixture(t)
	f.available(f.a1)
	f.available(f.a2)
	c := f.open("t1", true) // held by a1
	c = f.must1(f.svc.Transfer(f.ctx, f.a1, c.ID, inbox.TransferInput{AgentID: f.a2.AgentID})).(*inbox.Conversation)
	if c.AssigneeID != f.a1.AgentID || c.Offer == nil || c.Offer.Kind != inbox.OfferTransfer {
		t.Fatalf("transfer offer: %+v", c)
	}
	f.clock.Advance(31 * time.Second)
	f.must1(f.svc.ExpireOffers(f.ctx))
	c = f.get(c.ID)
	if c.AssigneeID != "" || c.Offer != nil || c.QueuedAt == nil {
		t.Fatalf("unanswered transfer: %+v, want back in the queue", c)
	}
	if f.status(f.a2) == inbox.AgentRONA {
		t.Fatal("a transfer not taken made the agent RONA")
	}
	events := f.must1(f.store.ListEvents(f.ctx, f.ws.ID, c.ID)).([]inbox.Event)
	if e := events[len(events)-1]; e.Type != inbox.EventRONA || e.Data["fromAgentId"] != f.a1.AgentID {
		t.Fatalf("the source agent is not told: %+v", e)
	}

	// Transfer to a team: last in that team's queue.
	name := "Night desk"
	team := f.must1(f.svc.CreateTeam(f.ctx, f.admin, inbox.TeamInput{Name: &name, AgentIDs: &[]string{f.a1.AgentID, f.a2.AgentID}})).(*inbox.Team)
	first := f.open("t2", true)
	f.must1(f.svc.Transfer(f.ctx, f.a1, first.ID, inbox.TransferInput{TeamID: team.ID}))
	f.clock.Advance(time.Minute)
	second := f.open("t3", true)
	f.must1(f.svc.Transfer(f.ctx, f.a1, second.ID, inbox.TransferInput{TeamID: team.ID}))
	queue := f.must1(f.store.ListQueue(f.ctx, f.ws.ID, team.ID, 0)).([]inbox.Conversation)
	if len(queue) != 2 || queue[0].ID != first.ID || queue[1].ID != second.ID {
		t.Fatalf("team queue %v, want [t2 t3]", queue)
	}

	// The only available member of the team may not send one there.
	f.must1(f.svc.SetMyStatus(f.ctx, f.a2, inbox.AgentAway))
	third := f.open("t4", true)
	_, err := f.svc.Transfer(f.ctx, f.a1, third.ID, inbox.TransferInput{TeamID: team.ID})
	wantConflict(t, err, "only_available_agent")
	if _, err := f.svc.SetMyStatus(f.ctx, f.a1, "busy"); !isInvalid(err, "status") {
		t.Fatalf("unknown status: %v", err)
	}
}

func TestHolds_PresetsInTheWorkspaceTimeZone(t *testing.T) {
	paris := inbox.WorkspaceSettings{TimeZone: "Europe/Paris"}
	loc, _ := time.LoadLocation("Europe/Paris")
	now := time.Date(2026, 11, 20, 19, 30, 0, 0, loc) // a Friday evening
	for preset, want := range map[string]time.Time{
		"1h":        now.Add(time.Hour),
		"tonight":   time.Date(2026, 11, 21, 18, 0, 0, 0, loc),
		"tomorrow":  time.Date(2026, 11, 21, 9, 0, 0, 0, loc),
		"next_week": time.Date(2026, 11, 23, 9, 0, 0, 0, loc),
	} {
		got, err := inbox.HoldPreset(paris, preset, now)
		if err != nil || !got.Equal(want) {
			t.Errorf("%s: %v %v, want %v", preset, got, err, want)
		}
	}
	if got, _ := inbox.HoldPreset(paris, "tonight", time.Date(2026, 11, 20, 10, 0, 0, 0, loc)); !got.Equal(time.Date(2026, 11, 20, 18, 0, 0, 0, loc)) {
		t.Errorf("tonight in the morning: %v", got)
	}
	if _, err := inbox.HoldPreset(paris, "someday", now); !isInvalid(err, "preset") {
		t.Errorf("unknown preset: %v", err)
	}
}

func TestHolds_ReleasedToTheQueueWhenTheAssigneeIsOffline(t *testing.T) {
	f := newFixture(t)
	f.settings(func(s *inbox.WorkspaceSettings) { s.HoldToQueueIfOffline = true })
	f.available(f.a1)
	f.available(f.a2)
	stays := f.open("h1", true)
	back := f.open("h2", true)
	f.must1(f.svc.Transfer(f.ctx, f.a1, back.ID, inbox.TransferInput{AgentID: f.a2.AgentID}))
	f.must1(f.svc.AcceptOffer(f.ctx, f.a2, back.ID))
	// Anyone may hold a conversation nobody has taken; it comes back to
	// the queue, not to the Open tab only.
	nobodys := f.open("h3", false)
	for _, c := range []struct {
		id    string
		actor inbox.Actor
	}{{stays.ID, f.a1}, {back.ID, f.a2}, {nobodys.ID, f.a2}} {
		f.must1(f.svc.Snooze(f.ctx, c.actor, c.id, inbox.SnoozeInput{Preset: "1h"}))
	}
	f.must1(f.svc.SetPresence(f.ctx, f.ws.ID, f.a2.AgentID, false))
	f.clock.Advance(61 * time.Minute)
	f.mu.Lock()
	f.changes = nil
	f.mu.Unlock()
	if n := f.must1(f.svc.ReleaseDueHolds(f.ctx)).(int); n != 3 {
		t.Fatalf("released %d", n)
	}
	if c := f.get(nobodys.ID); c.Status != inbox.StatusOpen || c.AssigneeID != "" || c.QueuedAt == nil || !c.QueuedAt.Equal(f.clock.Now()) {
		t.Fatalf("unassigned hold: %+v, want queued at the release time", c)
	}
	if c := f.get(stays.ID); c.Status != inbox.StatusOpen || c.AssigneeID != f.a1.AgentID {
		t.Fatalf("online assignee's hold: %+v", c)
	}
	if c := f.get(back.ID); c.Status != inbox.StatusOpen || c.AssigneeID != "" || c.QueuedAt == nil {
		t.Fatalf("offline assignee's hold: %+v, want back in the queue", c)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	notified := false
	for _, ch := range f.changes {
		notified = notified || (ch.Kind == inbox.HoldReleased && ch.Conversation.ID == stays.ID && ch.Conversation.AssigneeID == f.a1.AgentID)
	}
	if !notified {
		t.Fatal("the assignee was not notified")
	}
}

func TestIdleClose_OffByDefaultThenClosesQuietConversations(t *testing.T) {
	f := newFixture(t)
	quiet := f.open("q1", true)
	f.clock.Advance(3 * time.Hour)
	if n := f.must1(f.svc.CloseIdleConversations(f.ctx)).(int); n != 0 {
		t.Fatalf("closed %d with idle close off", n)
	}
	f.settings(func(s *inbox.WorkspaceSettings) { s.IdleCloseMinutes = 120 })
	busy := f.open("q2", true)
	if n := f.must1(f.svc.CloseIdleConversations(f.ctx)).(int); n != 1 {
		t.Fatalf("closed %d, want the quiet one", n)
	}
	wantStatus(t, f.get(quiet.ID), inbox.StatusClosed)
	wantStatus(t, f.get(busy.ID), inbox.StatusOpen)
}
