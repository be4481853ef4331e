package inbox_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"hub/inbox"
	"hub/inbox/sqlitestore"
)

// fixture is a workspace on a real SQLite store with two channels (bot on
// and off), an admin, two agents and a team.
type fixture struct {
	t              *testing.T
	ctx            context.Context
	svc            *inbox.Service
	store          inbox.Store
	clock          *inbox.ManualClock
	ws             *inbox.Workspace
	botCh, humanCh *inbox.Channel
	admin, a1, a2  inbox.Actor
	team           *inbox.Team
	changes        []inbox.Change
	mu             sync.Mutex
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	store, err := sqlitestore.Open(filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	f := &fixture{t: t, ctx: context.Background(), store: store, clock: inbox.NewManualClock(time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC))}
	f.svc = inbox.NewService(store, f.clock, inbox.Limits{})
	f.svc.OnChange(func(c inbox.Change) { f.mu.Lock(); f.changes = append(f.changes, c); f.mu.Unlock() })
	f.ws = f.must1(f.svc.CreateWorkspace(f.ctx, "Hotel")).(*inbox.Workspace)
	f.botCh = f.must1(f.svc.CreateChannel(f.ctx, f.ws.ID, inbox.ChannelInput{Type: inbox.ChannelWebchat, Name: "Chat", BotEnabled: true})).(*inbox.Channel)
	f.humanCh = f.must1(f.svc.CreateChannel(f.ctx, f.ws.ID, inbox.ChannelInput{Type: inbox.ChannelWebchat, Name: "Chat without bot"})).(*inbox.Channel)
	f.admin = f.agent("admin@h.test", inbox.RoleAdmin)
	f.a1 = f.agent("a1@h.test", inbox.RoleAgent)
	f.a2 = f.agent("a2@h.test", inbox.RoleAgent)
	name := "Reception"
	f.team = f.must1(f.svc.CreateTeam(f.ctx, f.admin, inbox.TeamInput{Name: &name})).(*inbox.Team)
	return f
}

func (f *fixture) must1(v any, err error) any {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
	return v
}

func (f *fixture) agent(email string, role inbox.Role) inbox.Actor {
	f.t.Helper()
	name, hash := email, "hash"
	a, err := f.svc.NewAgent(f.ctx, f.ws.ID, inbox.AgentInput{Email: &email, Name: &name, Role: &role, PasswordHash: &hash})
	if err != nil {
		f.t.Fatal(err)
	}
	return inbox.Actor{WorkspaceID: f.ws.ID, AgentID: a.ID, Name: a.Name, Role: a.Role}
}

func (f *fixture) ingest(ch *inbox.Channel, handle, text string) *inbox.IngestResult {
	f.t.Helper()
	f.clock.Advance(time.Second)
	res, err := f.svc.Ingest(f.ctx, ch, inbox.IngestInput{ContactHandle: handle, Text: text})
	if err != nil {
		f.t.Fatal(err)
	}
	return res
}

// open returns an open conversation, assigned to a1 unless unassigned.
func (f *fixture) open(handle string, assign bool) *inbox.Conversation {
	f.t.Helper()
	c := f.ingest(f.humanCh, handle, "hello").Conversation
	if assign {
		c = f.must1(f.svc.Assign(f.ctx, f.a1, c.ID, "")).(*inbox.Conversation)
	}
	return c
}

// botSays takes a bot turn tied to no customer message: one reply, and
// whether it answered the customer.
func (f *fixture) botSays(convID, text string, answered bool) error {
	f.t.Helper()
	_, err := f.svc.TakeBotTurn(f.ctx, f.get(convID), inbox.BotTurn{Replies: []inbox.BotText{{Text: text}}, Answered: answered})
	return err
}

func (f *fixture) get(id string) *inbox.Conversation {
	f.t.Helper()
	return f.must1(f.store.GetConversation(f.ctx, f.ws.ID, id)).(*inbox.Conversation)
}

func wantStatus(t *testing.T, c *inbox.Conversation, s inbox.Status) {
	t.Helper()
	if c.Status != s {
		t.Fatalf("status %s, want %s", c.Status, s)
	}
}

func TestIngest_FirstMessageGoesToBotOrQueue(t *testing.T) {
	f := newFixture(t)
	r := f.ingest(f.botCh, "v1", "hello")
	wantStatus(t, r.Conversation, inbox.StatusBot)
	if !r.First || !r.RunBot() || !r.Conversation.AwaitingReply {
		t.Fatalf("bot channel: first %v runBot %v awaiting %v", r.First, r.RunBot(), r.Conversation.AwaitingReply)
	}
	r = f.ingest(f.humanCh, "v2", "hello")
	wantStatus(t, r.Conversation, inbox.StatusOpen)
	if r.RunBot() || r.Conversation.AssigneeID != "" || !r.Conversation.AwaitingReply {
		t.Fatalf("bot-off channel: %+v", r.Conversation)
	}
}

func TestIngest_ProviderRetryIsStoredOnce(t *testing.T) {
	f := newFixture(t)
	in := inbox.IngestInput{ExternalID: "SM1", ContactHandle: "+33600000000", Text: "hi"}
	first, err := f.svc.Ingest(f.ctx, f.humanCh, in)
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.svc.Ingest(f.ctx, f.humanCh, in)
	if err != nil || !again.Duplicate || again.Message.ID != first.Message.ID {
		t.Fatalf("retry: %+v, %v", again, err)
	}
	msgs, _ := f.store.ListMessages(f.ctx, f.ws.ID, first.Conversation.ID, "", 0)
	if len(msgs) != 1 {
		t.Fatalf("%d messages stored, want 1", len(msgs))
	}
}

func TestHandoff_BotToQueueOrTeam(t *testing.T) {
	f := newFixture(t)
	c := f.ingest(f.botCh, "v1", "question").Conversation
	if err := f.botSays(c.ID, "An answer", false); err != nil {
		t.Fatal(err)
	}
	if f.get(c.ID).AwaitingReply {
		t.Fatal("a bot answer while the bot holds the conversation should answer the customer")
	}
	f.ingest(f.botCh, "v1", "a person please")
	c, err := f.svc.Handoff(f.ctx, f.ws.ID, c.ID, f.team.ID, "requested", []string{"Someone is coming"})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, c, inbox.StatusOpen)
	if c.TeamID != f.team.ID || c.AssigneeID != "" || !f.get(c.ID).AwaitingReply {
		t.Fatalf("after handoff: %+v (the notice must not count as an answer)", f.get(c.ID))
	}
	if err := f.botSays(c.ID, "still here", false); !errors.Is(err, inbox.ErrConflict) {
		t.Fatalf("bot reply on an open conversation: %v, want ErrConflict", err)
	}
}

func TestSnooze_UntilTimeReleasedByJob(t *testing.T) {
	f := newFixture(t)
	c := f.open("v1", true)
	until := f.clock.Now().Add(time.Hour)
	c = f.must1(f.svc.Snooze(f.ctx, f.a1, c.ID, inbox.SnoozeInput{Until: &until})).(*inbox.Conversation)
	wantStatus(t, c, inbox.StatusPending)
	if n, _ := f.svc.ReleaseDueHolds(f.ctx); n != 0 {
		t.Fatalf("released %d before the time", n)
	}
	f.clock.Advance(2 * time.Hour)
	if n, err := f.svc.ReleaseDueHolds(f.ctx); n != 1 || err != nil {
		t.Fatalf("released %d, %v", n, err)
	}
	c = f.get(c.ID)
	wantStatus(t, c, inbox.StatusOpen)
	if c.AssigneeID != f.a1.AgentID || c.SnoozedUntil != nil {
		t.Fatalf("after release: %+v", c)
	}
}

func TestSnooze_CustomerOrAgentReplyBringsItBack(t *testing.T) {
	f := newFixture(t)
	c := f.open("v1", true)
	f.must1(f.svc.Snooze(f.ctx, f.a1, c.ID, inbox.SnoozeInput{UntilReply: true}))
	r := f.ingest(f.humanCh, "v1", "any news?")
	wantStatus(t, r.Conversation, inbox.StatusOpen)
	if r.Conversation.AssigneeID != f.a1.AgentID {
		t.Fatal("the assignee was not kept")
	}
	until := f.clock.Now().Add(time.Hour)
	f.must1(f.svc.Snooze(f.ctx, f.a1, c.ID, inbox.SnoozeInput{Until: &until}))
	_, c, err := f.svc.Reply(f.ctx, f.a1, c.ID, inbox.ReplyInput{Text: "Here is the news"})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, c, inbox.StatusOpen)
}

func TestClose_WrapUpThenCustomerComesBack(t *testing.T) {
	f := newFixture(t)
	for _, ch := range []*inbox.Channel{f.botCh, f.humanCh} {
		c := f.ingest(ch, "v-"+ch.ID, "hello").Conversation
		if c.Status == inbox.StatusBot {
			c = f.must1(f.svc.Handoff(f.ctx, f.ws.ID, c.ID, "", "requested", nil)).(*inbox.Conversation)
		}
		f.must1(f.svc.Assign(f.ctx, f.a1, c.ID, ""))
		c = f.must1(f.svc.Close(f.ctx, f.a1, c.ID, inbox.CloseInput{Topic: "wifi", Unsure: true, Survey: true})).(*inbox.Conversation)
		wantStatus(t, c, inbox.StatusClosed)
		if c.ClosedAt == nil || c.WrapUp == nil || !c.WrapUp.Unsure || c.ClosedBy != f.a1.AgentID {
			t.Fatalf("closed: %+v", c)
		}
		r := f.ingest(ch, "v-"+ch.ID, "me again")
		if r.Conversation.ID != c.ID || !r.First {
			t.Fatalf("came back to %s (first %v), want the same conversation", r.Conversation.ID, r.First)
		}
		want := inbox.StatusOpen
		if ch.BotEnabled {
			want = inbox.StatusBot
		}
		wantStatus(t, r.Conversation, want)
		if r.Conversation.ClosedAt != nil {
			t.Fatal("closedAt kept after reopening")
		}
	}
}

func TestReopen_ClosedToOpen(t *testing.T) {
	f := newFixture(t)
	c := f.open("v1", true)
	f.must1(f.svc.Close(f.ctx, f.a1, c.ID, inbox.CloseInput{}))
	c = f.must1(f.svc.Reopen(f.ctx, f.a2, c.ID)).(*inbox.Conversation)
	wantStatus(t, c, inbox.StatusOpen)
}

func TestSpam_BlocksContactUntilNotSpam(t *testing.T) {
	f := newFixture(t)
	c := f.ingest(f.botCh, "spammer", "buy now").Conversation
	c = f.must1(f.svc.MarkSpam(f.ctx, f.a1, c.ID)).(*inbox.Conversation)
	wantStatus(t, c, inbox.StatusSpam)
	contact := f.must1(f.store.GetContact(f.ctx, f.ws.ID, c.ContactID)).(*inbox.Contact)
	if id, _ := contact.Identity(f.botCh.ID); !id.Blocked {
		t.Fatal("contact not blocked on the channel")
	}
	f.mu.Lock()
	f.changes = nil
	f.mu.Unlock()
	r := f.ingest(f.botCh, "spammer", "buy now!!")
	if !r.Blocked || r.RunBot() || r.Conversation.Status != inbox.StatusSpam {
		t.Fatalf("blocked message: blocked %v runBot %v status %s", r.Blocked, r.RunBot(), r.Conversation.Status)
	}
	f.mu.Lock()
	for _, ch := range f.changes {
		if !ch.Silent {
			t.Fatalf("a blocked contact's message made a loud change: %s", ch.Kind)
		}
	}
	f.mu.Unlock()
	c = f.must1(f.svc.NotSpam(f.ctx, f.a1, c.ID)).(*inbox.Conversation)
	wantStatus(t, c, inbox.StatusOpen)
	contact = f.must1(f.store.GetContact(f.ctx, f.ws.ID, c.ContactID)).(*inbox.Contact)
	if id, _ := contact.Identity(f.botCh.ID); id.Blocked {
		t.Fatal("block not lifted")
	}
}
