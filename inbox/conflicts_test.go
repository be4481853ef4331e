package inbox_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"hub/inbox"
)

// inStatus returns a conversation in the given status, held by a1 where an
// agent can hold it.
func (f *fixture) inStatus(s inbox.Status, handle string) *inbox.Conversation {
	f.t.Helper()
	switch s {
	case inbox.StatusBot:
		return f.ingest(f.botCh, handle, "hello").Conversation
	case inbox.StatusOpen:
		return f.open(handle, true)
	case inbox.StatusPending:
		c := f.open(handle, true)
		return f.must1(f.svc.Snooze(f.ctx, f.a1, c.ID, inbox.SnoozeInput{UntilReply: true})).(*inbox.Conversation)
	case inbox.StatusClosed:
		c := f.open(handle, true)
		return f.must1(f.svc.Close(f.ctx, f.a1, c.ID, inbox.CloseInput{})).(*inbox.Conversation)
	case inbox.StatusSpam:
		c := f.open(handle, true)
		return f.must1(f.svc.MarkSpam(f.ctx, f.a1, c.ID)).(*inbox.Conversation)
	}
	f.t.Fatalf("no such status %s", s)
	return nil
}

// TestTransitions_NotAllowedAreConflicts tries every action the lifecycle
// forbids from each status and expects a ConflictError with nothing changed.
func TestTransitions_NotAllowedAreConflicts(t *testing.T) {
	f := newFixture(t)
	later := func() *time.Time { u := f.clock.Now().Add(time.Hour); return &u }
	actions := map[string]func(c *inbox.Conversation) error{
		"close": func(c *inbox.Conversation) error {
			_, err := f.svc.Close(f.ctx, f.a1, c.ID, inbox.CloseInput{})
			return err
		},
		"reopen": func(c *inbox.Conversation) error { _, err := f.svc.Reopen(f.ctx, f.a1, c.ID); return err },
		"snooze": func(c *inbox.Conversation) error {
			_, err := f.svc.Snooze(f.ctx, f.a1, c.ID, inbox.SnoozeInput{Until: later()})
			return err
		},
		"spam":     func(c *inbox.Conversation) error { _, err := f.svc.MarkSpam(f.ctx, f.a1, c.ID); return err },
		"not-spam": func(c *inbox.Conversation) error { _, err := f.svc.NotSpam(f.ctx, f.a1, c.ID); return err },
		"handoff": func(c *inbox.Conversation) error {
			_, err := f.svc.Handoff(f.ctx, f.ws.ID, c.ID, "", "requested", nil)
			return err
		},
		"bot reply": func(c *inbox.Conversation) error {
			return f.botSays(c.ID, "hi", false)
		},
		"agent reply": func(c *inbox.Conversation) error {
			_, _, err := f.svc.Reply(f.ctx, f.a1, c.ID, inbox.ReplyInput{Text: "hi"})
			return err
		},
		"assign":  func(c *inbox.Conversation) error { _, err := f.svc.Assign(f.ctx, f.a2, c.ID, ""); return err },
		"release": func(c *inbox.Conversation) error { _, err := f.svc.Release(f.ctx, f.a1, c.ID); return err },
	}
	forbidden := map[inbox.Status][]string{
		inbox.StatusBot:     {"close", "reopen", "snooze", "not-spam", "release"},
		inbox.StatusOpen:    {"reopen", "not-spam", "handoff", "bot reply", "assign"},
		inbox.StatusPending: {"reopen", "not-spam", "handoff", "bot reply", "assign"},
		inbox.StatusClosed:  {"close", "snooze", "not-spam", "handoff", "bot reply", "agent reply", "assign", "release"},
		inbox.StatusSpam:    {"close", "reopen", "snooze", "spam", "handoff", "bot reply", "agent reply", "assign", "release"},
	}
	n := 0
	for status, names := range forbidden {
		for _, name := range names {
			n++
			c := f.inStatus(status, "c"+string(rune('a'+n)))
			err := actions[name](c)
			var ce *inbox.ConflictError
			if !errors.As(err, &ce) || !errors.Is(err, inbox.ErrConflict) {
				t.Errorf("%s on a %s conversation: %v, want a ConflictError", name, status, err)
				continue
			}
			if after := f.get(c.ID); after.Version != c.Version || after.Status != status {
				t.Errorf("%s on %s: refused but changed the conversation", name, status)
			}
		}
	}
}

func TestAssign_TwoAgentsAtOnceOnlyOneWins(t *testing.T) {
	f := newFixture(t)
	for round := 0; round < 10; round++ {
		c := f.open("race"+string(rune('a'+round)), false)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, who := range []inbox.Actor{f.a1, f.a2} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = f.svc.Assign(f.ctx, who, c.ID, "")
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !errors.Is(err, inbox.ErrConflict):
				t.Fatalf("loser got %v, want ErrConflict", err)
			}
		}
		if won != 1 {
			t.Fatalf("round %d: %d winners (%v)", round, won, errs)
		}
		if got := f.get(c.ID).AssigneeID; got != f.a1.AgentID && got != f.a2.AgentID {
			t.Fatalf("assignee %q", got)
		}
	}
}

func TestAssignment_ReleaseTransferInviteLeave(t *testing.T) {
	f := newFixture(t)
	c := f.open("v1", true)

	if _, _, err := f.svc.Reply(f.ctx, f.a2, c.ID, inbox.ReplyInput{Text: "I'll take it"}); !errors.Is(err, inbox.ErrConflict) {
		t.Fatalf("a non-participant replied to a1's conversation: %v", err)
	}
	if _, _, err := f.svc.Reply(f.ctx, f.a2, c.ID, inbox.ReplyInput{Text: "note to a1", Private: true}); err != nil {
		t.Fatalf("private note by a colleague: %v", err)
	}
	c = f.must1(f.svc.Invite(f.ctx, f.a1, c.ID, f.a2.AgentID)).(*inbox.Conversation)
	if _, _, err := f.svc.Reply(f.ctx, f.a2, c.ID, inbox.ReplyInput{Text: "too early"}); !errors.Is(err, inbox.ErrConflict) {
		t.Fatalf("an invited agent replied before accepting: %v", err)
	}
	c = f.must1(f.svc.AcceptInvite(f.ctx, f.a2, c.ID)).(*inbox.Conversation)
	if _, _, err := f.svc.Reply(f.ctx, f.a2, c.ID, inbox.ReplyInput{Text: "Hello from a colleague"}); err != nil {
		t.Fatalf("participant reply: %v", err)
	}
	if _, err := f.svc.Invite(f.ctx, f.a1, c.ID, f.a2.AgentID); !errors.Is(err, inbox.ErrConflict) {
		t.Fatalf("invite twice: %v", err)
	}
	c = f.must1(f.svc.Leave(f.ctx, f.a2, c.ID)).(*inbox.Conversation)
	if len(c.Participants) != 0 {
		t.Fatalf("participants after leave: %v", c.Participants)
	}
	if _, _, err := f.svc.Reply(f.ctx, f.a2, c.ID, inbox.ReplyInput{Text: "still here?"}); !errors.Is(err, inbox.ErrConflict) {
		t.Fatalf("an agent who left replied: %v", err)
	}
	if _, err := f.svc.Transfer(f.ctx, f.a2, c.ID, inbox.TransferInput{TeamID: f.team.ID}); !errors.Is(err, inbox.ErrConflict) {
		t.Fatalf("transfer by a non-assignee: %v", err)
	}
	c = f.must1(f.svc.Transfer(f.ctx, f.a1, c.ID, inbox.TransferInput{TeamID: f.team.ID})).(*inbox.Conversation)
	if c.AssigneeID != "" || c.TeamID != f.team.ID {
		t.Fatalf("after transfer to team: %+v", c)
	}
	c = f.must1(f.svc.Assign(f.ctx, f.a2, c.ID, "")).(*inbox.Conversation)
	c = f.must1(f.svc.Transfer(f.ctx, f.admin, c.ID, inbox.TransferInput{AgentID: f.a1.AgentID})).(*inbox.Conversation)
	if c.AssigneeID != f.a2.AgentID || c.Offer == nil || c.Offer.AgentID != f.a1.AgentID {
		t.Fatalf("admin transfer to a1 is an offer while a2 keeps it: %+v", c)
	}
	c = f.must1(f.svc.AcceptOffer(f.ctx, f.a1, c.ID)).(*inbox.Conversation)
	if c.AssigneeID != f.a1.AgentID || c.Offer != nil {
		t.Fatalf("after a1 accepted: %+v", c)
	}
	c = f.must1(f.svc.Release(f.ctx, f.a1, c.ID)).(*inbox.Conversation)
	if c.AssigneeID != "" {
		t.Fatal("release kept the assignee")
	}
	if _, err := f.svc.Assign(f.ctx, f.a1, c.ID, f.a2.AgentID); !errors.Is(err, inbox.ErrForbidden) {
		t.Fatalf("agent assigning to someone else: %v, want ErrForbidden", err)
	}
	events := f.must1(f.store.ListEvents(f.ctx, f.ws.ID, c.ID)).([]inbox.Event)
	var kinds []inbox.EventType
	for _, e := range events {
		kinds = append(kinds, e.Type)
	}
	want := []inbox.EventType{inbox.EventCreated, inbox.EventAssigned, inbox.EventInvited, inbox.EventAccepted, inbox.EventReplied, inbox.EventLeft,
		inbox.EventTransferred, inbox.EventAssigned, inbox.EventTransferred, inbox.EventAccepted, inbox.EventReleased}
	if len(kinds) != len(want) {
		t.Fatalf("events %v, want %v", kinds, want)
	}
	for i := range want {
		if kinds[i] != want[i] {
			t.Fatalf("events %v, want %v", kinds, want)
		}
	}
}

func TestAwaitingReply_FollowsTheLastPublicMessage(t *testing.T) {
	f := newFixture(t)
	c := f.open("v1", true)
	if !f.get(c.ID).AwaitingReply {
		t.Fatal("a new customer message should await a reply")
	}
	f.reply(f.a1, c.ID, "internal", true)
	if !f.get(c.ID).AwaitingReply {
		t.Fatal("a private note answered the customer")
	}
	f.reply(f.a1, c.ID, "Hello!", false)
	if f.get(c.ID).AwaitingReply {
		t.Fatal("the agent's reply did not answer")
	}
	f.ingest(f.humanCh, "v1", "thanks, one more thing")
	if got := f.get(c.ID); !got.AwaitingReply || got.AwaitingSince == nil {
		t.Fatal("a new customer message after the reply should await again")
	}
}

func (f *fixture) reply(who inbox.Actor, id, text string, private bool) {
	f.t.Helper()
	if _, _, err := f.svc.Reply(f.ctx, who, id, inbox.ReplyInput{Text: text, Private: private}); err != nil {
		f.t.Fatal(err)
	}
}
