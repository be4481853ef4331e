package storetest

import (
	"testing"
	"time"

	"hub/inbox"
)

// The routing fields of a conversation (QueuedAt, Offer, OfferAttempts,
// Invites) must come back from every read: the single-record lookups, the
// inbox list, the routing lists, and the hold release, which changes other
// fields in place.

// routedConv returns an unsaved open, queued conversation with an offer
// and invites.
func routedConv(workspaceID, channelID, contactID string) *inbox.Conversation {
	c := conv(workspaceID, channelID, contactID)
	c.QueuedAt = ptime(at(5*time.Minute + 7*time.Millisecond))
	c.Offer = &inbox.Offer{
		AgentID:     "agent-1",
		Kind:        inbox.OfferTransfer,
		FromAgentID: "agent-2",
		At:          at(6 * time.Minute),
		ExpiresAt:   at(6*time.Minute + 30*time.Second + 3*time.Millisecond),
	}
	c.OfferAttempts = 2
	c.Invites = []inbox.Invite{
		{AgentID: "agent-3", FromAgentID: "agent-2", ExpiresAt: at(7 * time.Minute)},
		{AgentID: "agent-4", FromAgentID: "agent-2", ExpiresAt: at(8*time.Minute + 1*time.Millisecond)},
	}
	return c
}

// checkConvReads checks want against every read that should return it:
// GetConversation, FindConversation and the workspace's inbox list.
func checkConvReads(t *testing.T, st inbox.Store, what string, want *inbox.Conversation) {
	t.Helper()
	ctx := t.Context()
	got, err := st.GetConversation(ctx, want.WorkspaceID, want.ID)
	must(t, err, what+": GetConversation")
	same(t, what+" (GetConversation)", *got, *want, normConv)
	got, err = st.FindConversation(ctx, want.WorkspaceID, want.ChannelID, want.ContactID)
	must(t, err, what+": FindConversation")
	same(t, what+" (FindConversation)", *got, *want, normConv)
	page, _, err := st.ListConversations(ctx, inbox.ConversationFilter{WorkspaceID: want.WorkspaceID, Limit: 500})
	must(t, err, what+": ListConversations")
	found := false
	for _, x := range page {
		if x.ID == want.ID {
			found = true
			same(t, what+" (ListConversations)", x, *want, normConv)
		}
	}
	if !found {
		t.Errorf("%s: ListConversations has no %s", what, want.ID)
	}
}

// findIn returns the conversation with id in list, failing when absent.
func findIn(t *testing.T, what string, list []inbox.Conversation, id string) inbox.Conversation {
	t.Helper()
	for _, c := range list {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("%s: %s missing from %v", what, id, ids(list, convID))
	return inbox.Conversation{}
}

func testRoutingFields(t *testing.T, s suite) {
	s.run(t, "ConversationRoundTrip", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		ch := newChannel(t, st, w.ID, inbox.ChannelWebchat)
		c := createConv(t, st, routedConv(w.ID, ch.ID, "contact-1"))
		checkConvReads(t, st, "routed conversation", c)

		queue, err := st.ListQueue(ctx, w.ID, "", 0)
		must(t, err, "ListQueue")
		same(t, "routed conversation (ListQueue)", findIn(t, "ListQueue", queue, c.ID), *c, normConv)
		due, err := st.ListOffersDue(ctx, at(time.Hour), 10)
		must(t, err, "ListOffersDue")
		same(t, "routed conversation (ListOffersDue)", findIn(t, "ListOffersDue", due, c.ID), *c, normConv)

		// Another offer replaces the first (a route offer has nobody to
		// transfer from), the queue time moves, one invite is answered.
		c.QueuedAt = ptime(at(20*time.Minute + 9*time.Millisecond))
		c.Offer = &inbox.Offer{AgentID: "agent-5", Kind: inbox.OfferRoute, At: at(21 * time.Minute), ExpiresAt: at(21*time.Minute + 30*time.Second)}
		c.OfferAttempts = 3
		c.Invites = c.Invites[1:]
		must(t, st.UpdateConversation(ctx, c), "UpdateConversation new offer")
		checkConvReads(t, st, "conversation with a new offer", c)
		due, err = st.ListOffersDue(ctx, at(21*time.Minute+29*time.Second), 10)
		must(t, err, "ListOffersDue before the new expiry")
		if len(due) != 0 {
			t.Errorf("ListOffersDue before the new expiry returned %s: the old expiry was kept", dump(due))
		}

		// Taken: no queue time, no offer, no invites.
		c.AssigneeID = "agent-5"
		c.QueuedAt = nil
		c.Offer = nil
		c.OfferAttempts = 0
		c.Invites = nil
		must(t, st.UpdateConversation(ctx, c), "UpdateConversation clearing routing fields")
		checkConvReads(t, st, "conversation with routing fields cleared", c)
		due, err = st.ListOffersDue(ctx, at(24*time.Hour), 10)
		must(t, err, "ListOffersDue after clearing")
		if len(due) != 0 {
			t.Errorf("ListOffersDue after the offer was cleared returned %s", dump(due))
		}

		// And back: an offer on a conversation created without one.
		bare := createConv(t, st, conv(w.ID, ch.ID, "contact-2"))
		checkConvReads(t, st, "conversation created without routing fields", bare)
		bare.Offer = &inbox.Offer{AgentID: "agent-6", Kind: inbox.OfferRoute, At: at(time.Hour), ExpiresAt: at(time.Hour + time.Minute)}
		bare.Invites = []inbox.Invite{{AgentID: "agent-7", FromAgentID: "agent-6", ExpiresAt: at(2 * time.Hour)}}
		must(t, st.UpdateConversation(ctx, bare), "UpdateConversation adding an offer")
		checkConvReads(t, st, "conversation given an offer", bare)
		due, err = st.ListOffersDue(ctx, at(time.Hour+time.Minute), 10)
		must(t, err, "ListOffersDue after adding an offer")
		sameIDs(t, "ListOffersDue after adding an offer", ids(due, convID), []string{bare.ID})
	})

	s.run(t, "ReleasedHoldKeepsRoutingFields", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		ch := newChannel(t, st, w.ID, inbox.ChannelSMS)
		c := routedConv(w.ID, ch.ID, "contact-1")
		c.Status = inbox.StatusPending
		c.AssigneeID = "agent-1"
		c.SnoozedUntil = ptime(at(time.Hour))
		createConv(t, st, c)

		now := at(time.Hour + 5*time.Millisecond)
		got, err := st.ReleaseDueHolds(ctx, now, 10)
		must(t, err, "ReleaseDueHolds")
		want := *c
		want.Status = inbox.StatusOpen
		want.SnoozedUntil = nil
		want.Version = 2
		want.UpdatedAt = now
		if len(got) != 1 {
			t.Fatalf("ReleaseDueHolds returned %d conversations, want 1: %s", len(got), dump(got))
		}
		same(t, "released conversation as returned", got[0], want, normConv)
		checkConvReads(t, st, "released conversation as stored", &want)

		// The offer is still there to expire.
		due, err := st.ListOffersDue(ctx, at(time.Hour), 10)
		must(t, err, "ListOffersDue after the release")
		sameIDs(t, "ListOffersDue after the release", ids(due, convID), []string{c.ID})
	})
}
