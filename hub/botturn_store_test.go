package hub_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hub/adapters"
	"hub/config"
	"hub/hub"
	"hub/inbox"
	"hub/inbox/sqlitestore"
)

// errKilled is what tapStore returns instead of writing: the hub "died"
// before the write reached the store.
var errKilled = errors.New("simulated kill")

// tapStore counts the store calls of the inbound path and can fail one
// chosen write.
type tapStore struct {
	inbox.Store
	failUpdate atomic.Int32 // n: the n-th next UpdateConversation fails
	mu         sync.Mutex
	calls      map[string]int
}

func (s *tapStore) hit(m string) {
	s.mu.Lock()
	s.calls[m]++
	s.mu.Unlock()
}

// take returns the calls since the last take, and their total.
func (s *tapStore) take() (map[string]int, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	calls, total := s.calls, 0
	for _, n := range calls {
		total += n
	}
	s.calls = map[string]int{}
	return calls, total
}

func (s *tapStore) FindChannel(ctx context.Context, id string) (*inbox.Channel, error) {
	s.hit("FindChannel")
	return s.Store.FindChannel(ctx, id)
}

func (s *tapStore) FindMessageByExternalID(ctx context.Context, channelID, externalID string) (*inbox.Message, error) {
	s.hit("FindMessageByExternalID")
	return s.Store.FindMessageByExternalID(ctx, channelID, externalID)
}

func (s *tapStore) FindOrCreateContact(ctx context.Context, ws string, id inbox.Identity, name string) (*inbox.Contact, error) {
	s.hit("FindOrCreateContact")
	return s.Store.FindOrCreateContact(ctx, ws, id, name)
}

func (s *tapStore) GetContact(ctx context.Context, ws, id string) (*inbox.Contact, error) {
	s.hit("GetContact")
	return s.Store.GetContact(ctx, ws, id)
}

func (s *tapStore) FindConversation(ctx context.Context, ws, channelID, contactID string) (*inbox.Conversation, error) {
	s.hit("FindConversation")
	return s.Store.FindConversation(ctx, ws, channelID, contactID)
}

func (s *tapStore) CreateConversation(ctx context.Context, c *inbox.Conversation) error {
	s.hit("CreateConversation")
	return s.Store.CreateConversation(ctx, c)
}

func (s *tapStore) GetConversation(ctx context.Context, ws, id string) (*inbox.Conversation, error) {
	s.hit("GetConversation")
	return s.Store.GetConversation(ctx, ws, id)
}

func (s *tapStore) UpdateConversation(ctx context.Context, c *inbox.Conversation) error {
	s.hit("UpdateConversation")
	if s.failUpdate.Add(-1) == 0 {
		return errKilled
	}
	return s.Store.UpdateConversation(ctx, c)
}

func (s *tapStore) AddMessage(ctx context.Context, m *inbox.Message) error {
	s.hit("AddMessage")
	return s.Store.AddMessage(ctx, m)
}

func (s *tapStore) GetWorkspace(ctx context.Context, id string) (*inbox.Workspace, error) {
	s.hit("GetWorkspace")
	return s.Store.GetWorkspace(ctx, id)
}

func (s *tapStore) AppendEvent(ctx context.Context, e *inbox.Event) error {
	s.hit("AppendEvent")
	return s.Store.AppendEvent(ctx, e)
}

func (s *tapStore) GetTeam(ctx context.Context, ws, id string) (*inbox.Team, error) {
	s.hit("GetTeam")
	return s.Store.GetTeam(ctx, ws, id)
}

func (s *tapStore) ListBotRules(ctx context.Context, ws string) ([]inbox.BotRule, error) {
	s.hit("ListBotRules")
	return s.Store.ListBotRules(ctx, ws)
}

// bareHub is a hub that is not running (no server, no outbox): Deliver is
// called directly, on the demo web chat channel.
type bareHub struct {
	t     *testing.T
	hub   *hub.Hub
	store *tapStore
	demo  *hub.Demo
}

func startBareHub(t *testing.T) *bareHub {
	t.Helper()
	st, err := sqlitestore.Open(filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	tap := &tapStore{Store: st, calls: map[string]int{}}
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	h := hub.New(hub.Options{Config: cfg, Store: tap, Clock: inbox.NewManualClock(time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC))})
	demo, err := hub.Bootstrap(context.Background(), h.Service(), "admin@hotel.test", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	tap.take()
	return &bareHub{t: t, hub: h, store: tap, demo: demo}
}

func (b *bareHub) deliver(id, visitor, text string) adapters.Receipt {
	b.t.Helper()
	r, err := b.hub.Deliver(context.Background(), adapters.Inbound{ChannelID: b.demo.Channel.ID, ExternalID: id, ContactHandle: visitor, Text: text})
	if err != nil {
		b.t.Fatal(err)
	}
	return r
}

// botTexts returns the bot's messages of a conversation, in order.
func (b *bareHub) botTexts(convID string) []string {
	b.t.Helper()
	msgs, err := b.store.Store.ListMessages(context.Background(), b.demo.Workspace.ID, convID, "", 0)
	if err != nil {
		b.t.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		if m.Author.Type == inbox.AuthorBot {
			out = append(out, m.Text)
		}
	}
	return out
}

func fmtCalls(calls map[string]int) string {
	s := ""
	for _, m := range slices.Sorted(maps.Keys(calls)) {
		s += fmt.Sprintf(" %s=%d", m, calls[m])
	}
	return s
}

// TestDeliver_RoundTripsPerBotAnsweredMessage pins the store calls of a
// message the bot answers. The bot's turn is its replies' inserts and one
// conversation update: storing each reply with its own read and update,
// then the bot's state with another, cost 19 calls for a first message
// (greeting and answer) and 11 for a later answered one.
func TestDeliver_RoundTripsPerBotAnsweredMessage(t *testing.T) {
	b := startBareHub(t)
	b.deliver("w1", "v1", "What is the wifi password?")
	calls, first := b.store.take()
	t.Logf("first message, greeting and answer: %d calls:%s", first, fmtCalls(calls))
	b.deliver("w2", "v1", "And breakfast?")
	calls, later := b.store.take()
	t.Logf("later answered message: %d calls:%s", later, fmtCalls(calls))
	// First: FindChannel, FindMessageByExternalID, FindOrCreateContact,
	// FindConversation, CreateConversation, AppendEvent (created),
	// AddMessage, GetWorkspace, Get+UpdateConversation, ListBotRules
	// (cold cache), then the turn: 2 AddMessage + 1 UpdateConversation.
	if first != 14 || later != 10 {
		t.Errorf("store calls: %d for a first message, %d for a later one; want 14 and 10", first, later)
	}
}

// TestDeliver_KilledInTheBotTurnThenRetriedAnswersOnce: the hub stored the
// bot's replies and died before recording its turn on the conversation;
// the provider's retry finishes the turn without a second copy of any
// reply, and counts the miss once.
func TestDeliver_KilledInTheBotTurnThenRetriedAnswersOnce(t *testing.T) {
	b := startBareHub(t)
	// The second update is the turn's (the first is the message's).
	b.store.failUpdate.Store(2)
	r := b.deliver("k1", "v1", "Do you rent bicycles?")
	ctx := context.Background()
	c, err := b.store.Store.GetConversation(ctx, b.demo.Workspace.ID, r.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	if c.BotMisses != 0 || c.BotTurnMessageID != "" || len(b.botTexts(c.ID)) != 2 {
		t.Fatalf("setup: the kill should come after the replies, before the turn's update: %+v %q", c, b.botTexts(c.ID))
	}
	if again := b.deliver("k1", "v1", "Do you rent bicycles?"); !again.Duplicate || again.MessageID != r.MessageID {
		t.Fatalf("retry: %+v", again)
	}
	c, _ = b.store.Store.GetConversation(ctx, b.demo.Workspace.ID, r.ConversationID)
	if texts := b.botTexts(c.ID); len(texts) != 2 || c.BotMisses != 1 || c.BotTurnMessageID != r.MessageID || c.AwaitingReply {
		t.Fatalf("after the retry: replies %q, misses %d, turn %q, awaiting %v", texts, c.BotMisses, c.BotTurnMessageID, c.AwaitingReply)
	}
}
