// Package storetest is the one conformance suite every inbox.Store
// implementation must pass (DESIGN.md §4). A backend's own test calls
//
//	storetest.Run(t, func(t *testing.T) inbox.Store { ... })
//
// and the suite runs one subtest per contract clause, each on a fresh,
// empty store made by newStore. newStore should arrange for the store to be
// closed (and its files or database dropped) with t.Cleanup.
//
// The tests are written against the inbox.Store contract only: they assume
// nothing about tables, collections or query languages. Times the tests
// store are UTC and whole milliseconds, because backends may keep no finer
// precision; they are compared with time.Equal. A nil slice or map and an
// empty one are treated as equal, as JSON and BSON round trips blur them.
package storetest

import (
	"errors"
	"testing"
	"time"

	"hub/inbox"
)

// Options tunes the suite for slower backends.
type Options struct {
	// Holds is how many due conversations the hold-release tests create.
	// Zero means 10,000, the default of Run; test servers that scan every
	// document on each query may need fewer.
	Holds int
}

// Run runs the whole suite with the default options (10,000 holds).
func Run(t *testing.T, newStore func(t *testing.T) inbox.Store) {
	RunWith(t, newStore, Options{Holds: 10000})
}

// RunWith runs the whole suite with o.
func RunWith(t *testing.T, newStore func(t *testing.T) inbox.Store, o Options) {
	if o.Holds <= 0 {
		o.Holds = 10000
	}
	s := suite{newStore: newStore, opts: o}
	groups := []struct {
		name string
		fn   func(*testing.T, suite)
	}{
		{"Ping", testPing},
		{"Workspaces", testWorkspaces},
		{"CannedAnswers", testCannedAnswers},
		{"Agents", testAgents},
		{"AgentPresence", testAgentPresence},
		{"Teams", testTeams},
		{"Channels", testChannels},
		{"Contacts", testContacts},
		{"ContactDetails", testContactDetails},
		{"Conversations", testConversations},
		{"ListConversations", testListConversations},
		{"Holds", testHolds},
		{"RoutingFields", testRoutingFields},
		{"Queue", testQueue},
		{"CountAssigned", testCountAssigned},
		{"CountByStatus", testCountByStatus},
		{"OffersDue", testOffersDue},
		{"Messages", testMessages},
		{"Outbox", testOutbox},
		{"OutboxConcurrency", testOutboxConcurrency},
		{"Delivery", testDelivery},
		{"ExternalIDs", testExternalIDs},
		{"Events", testEvents},
		{"EventsBetween", testEventsBetween},
		{"Sessions", testSessions},
		{"BotRules", testBotRules},
		{"ChatMessages", testChatMessages},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) { g.fn(t, s) })
	}
}

type suite struct {
	newStore func(t *testing.T) inbox.Store
	opts     Options
}

// run gives every case its own store so that no case depends on what an
// earlier one left behind.
func (s suite) run(t *testing.T, name string, fn func(t *testing.T, st inbox.Store)) {
	t.Helper()
	t.Run(name, func(t *testing.T) {
		st := s.newStore(t)
		if st == nil {
			t.Fatal("newStore returned nil")
		}
		fn(t, st)
	})
}

func testPing(t *testing.T, s suite) {
	s.run(t, "Reachable", func(t *testing.T, st inbox.Store) {
		must(t, st.Ping(t.Context()), "Ping")
	})
}

// base is an arbitrary fixed instant with a millisecond part, so that a
// backend that drops milliseconds is caught.
var base = time.Date(2026, time.March, 14, 9, 26, 53, 589_000_000, time.UTC)

// at returns base moved by d; d must be whole milliseconds.
func at(d time.Duration) time.Time { return base.Add(d) }

func ptime(t time.Time) *time.Time { return &t }

func must(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: unexpected error: %v", what, err)
	}
}

func wantErr(t *testing.T, err, target error, what string) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("%s: err = %v, want %v", what, err, target)
	}
}

// Fixtures. Tests set every id themselves: the contract does not say
// whether stores assign missing ids.

func newWorkspace(t *testing.T, st inbox.Store, name string) *inbox.Workspace {
	t.Helper()
	w := &inbox.Workspace{
		ID:   inbox.NewID(),
		Name: name,
		Settings: inbox.WorkspaceSettings{
			TimeZone:        "Europe/Paris",
			BotGreeting:     "Welcome to " + name,
			BotHandoffAfter: 3,
			BotFallback:     "Sorry?",
			HandoffNotice:   "A person will answer.",
		},
		CreatedAt: at(0),
	}
	must(t, st.CreateWorkspace(t.Context(), w), "CreateWorkspace")
	return w
}

func newChannel(t *testing.T, st inbox.Store, workspaceID string, typ inbox.ChannelType) *inbox.Channel {
	t.Helper()
	c := &inbox.Channel{
		ID:          inbox.NewID(),
		WorkspaceID: workspaceID,
		Type:        typ,
		Name:        string(typ) + " desk",
		BotEnabled:  true,
		Config:      map[string]string{"from": "+15550001", "api.base_url": "https://api.example"},
		// Secrets are opaque sealed strings to the store.
		Secrets:   map[string]string{"token": "v1:nonce:" + string(typ) + "+/=", "$key": "sealed"},
		CreatedAt: at(time.Minute),
	}
	must(t, st.CreateChannel(t.Context(), c), "CreateChannel")
	return c
}

// conv returns an unsaved open conversation with the denormalised fields
// filled in.
func conv(workspaceID, channelID, contactID string) *inbox.Conversation {
	return &inbox.Conversation{
		ID:              inbox.NewID(),
		WorkspaceID:     workspaceID,
		ChannelID:       channelID,
		ContactID:       contactID,
		Status:          inbox.StatusOpen,
		Participants:    []string{},
		ContactName:     "Guest " + contactID,
		ContactHandle:   "+33600" + contactID,
		LastMessageText: "hello",
		LastMessageAt:   at(2 * time.Minute),
		CreatedAt:       at(2 * time.Minute),
		UpdatedAt:       at(2 * time.Minute),
	}
}

func createConv(t *testing.T, st inbox.Store, c *inbox.Conversation) *inbox.Conversation {
	t.Helper()
	must(t, st.CreateConversation(t.Context(), c), "CreateConversation")
	return c
}

func msg(c *inbox.Conversation, externalID, text string, created time.Time) *inbox.Message {
	return &inbox.Message{
		ID:             inbox.NewID(),
		WorkspaceID:    c.WorkspaceID,
		ConversationID: c.ID,
		ChannelID:      c.ChannelID,
		ExternalID:     externalID,
		Direction:      inbox.DirectionIn,
		Author:         inbox.Author{Type: inbox.AuthorContact, ID: c.ContactID, Name: c.ContactName},
		Text:           text,
		CreatedAt:      created,
	}
}
