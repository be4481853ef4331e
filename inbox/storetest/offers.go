package storetest

import (
	"fmt"
	"testing"
	"time"

	"hub/inbox"
)

// offersFixture has offers expiring around now in two workspaces, plus
// conversations without an offer.
type offersFixture struct {
	now   time.Time
	convs map[string]*inbox.Conversation
}

func newOffersFixture(t *testing.T, st inbox.Store) offersFixture {
	t.Helper()
	f := offersFixture{now: at(time.Hour), convs: map[string]*inbox.Conversation{}}
	var chans []*inbox.Channel
	for i := range 2 {
		w := newWorkspace(t, st, fmt.Sprintf("Hotel %d", i))
		chans = append(chans, newChannel(t, st, w.ID, inbox.ChannelWebchat))
	}
	// Two offers expire at the same time, stored in the reverse of
	// their id order.
	tieLow, tieHigh := inbox.NewID(), inbox.NewID()
	rows := []struct {
		key     string
		ws      int
		expires time.Duration // from now; 0 is exactly now
		noOffer bool
	}{
		{"atNow", 1, 0, false},
		{"tieHigh", 0, -time.Minute, false},
		{"oldest", 1, -2 * time.Minute, false},
		{"tieLow", 1, -time.Minute, false},
		{"later", 0, time.Millisecond, false},
		{"muchLater", 1, time.Hour, false},
		{"none", 0, 0, true},
		{"queuedOnly", 1, 0, true},
	}
	for i, r := range rows {
		ch := chans[r.ws]
		c := conv(ch.WorkspaceID, ch.ID, fmt.Sprintf("contact-%d", i))
		switch r.key {
		case "tieLow":
			c.ID = tieLow
		case "tieHigh":
			c.ID = tieHigh
		case "queuedOnly":
			c.QueuedAt = ptime(f.now.Add(-time.Hour))
		}
		if !r.noOffer {
			exp := f.now.Add(r.expires)
			c.Offer = &inbox.Offer{AgentID: "agent-" + r.key, Kind: inbox.OfferRoute, At: exp.Add(-30 * time.Second), ExpiresAt: exp}
			c.OfferAttempts = 1
		}
		f.convs[r.key] = createConv(t, st, c)
	}
	return f
}

func (f offersFixture) ids(keys ...string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = f.convs[k].ID
	}
	return out
}

func offersDue(t *testing.T, st inbox.Store, now time.Time, limit int) []inbox.Conversation {
	t.Helper()
	got, err := st.ListOffersDue(t.Context(), now, limit)
	must(t, err, fmt.Sprintf("ListOffersDue(%v, %d)", now, limit))
	return got
}

func testOffersDue(t *testing.T, s suite) {
	s.run(t, "BoundsAndOrder", func(t *testing.T, st inbox.Store) {
		f := newOffersFixture(t, st)
		// Across workspaces, oldest expiry first, equal ones by id; an
		// offer expiring exactly now is due, one a millisecond later is not.
		want := f.ids("oldest", "tieLow", "tieHigh", "atNow")
		got := offersDue(t, st, f.now, 10)
		sameIDs(t, "offers due now", ids(got, convID), want)
		for i, k := range []string{"oldest", "tieLow", "tieHigh", "atNow"} {
			if i < len(got) {
				same(t, "due offer "+k, got[i], *f.convs[k], normConv)
			}
		}

		sameIDs(t, "offers due a millisecond before now", ids(offersDue(t, st, f.now.Add(-time.Millisecond), 10), convID),
			f.ids("oldest", "tieLow", "tieHigh"))
		sameIDs(t, "offers due at the oldest expiry", ids(offersDue(t, st, f.now.Add(-2*time.Minute), 10), convID),
			f.ids("oldest"))
		sameIDs(t, "offers due before the oldest expiry",
			ids(offersDue(t, st, f.now.Add(-2*time.Minute-time.Millisecond), 10), convID), nil)
		sameIDs(t, "offers due a millisecond after now", ids(offersDue(t, st, f.now.Add(time.Millisecond), 10), convID),
			f.ids("oldest", "tieLow", "tieHigh", "atNow", "later"))
		sameIDs(t, "offers due in a day", ids(offersDue(t, st, f.now.Add(24*time.Hour), 10), convID),
			f.ids("oldest", "tieLow", "tieHigh", "atNow", "later", "muchLater"))
	})

	s.run(t, "Limit", func(t *testing.T, st inbox.Store) {
		f := newOffersFixture(t, st)
		sameIDs(t, "offers due, limit 1", ids(offersDue(t, st, f.now, 1), convID), f.ids("oldest"))
		sameIDs(t, "offers due, limit 3", ids(offersDue(t, st, f.now, 3), convID), f.ids("oldest", "tieLow", "tieHigh"))
		sameIDs(t, "offers due, limit 100", ids(offersDue(t, st, f.now, 100), convID),
			f.ids("oldest", "tieLow", "tieHigh", "atNow"))
	})

	s.run(t, "FollowsUpdates", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		f := newOffersFixture(t, st)
		// Accepted: the offer goes, and so does the conversation from the
		// list. Renewed: the new expiry counts, not the old one.
		accepted := f.convs["oldest"]
		accepted.Offer, accepted.AssigneeID = nil, "agent-oldest"
		must(t, st.UpdateConversation(ctx, accepted), "UpdateConversation accept")
		renewed := f.convs["tieLow"]
		renewed.Offer = &inbox.Offer{AgentID: "agent-2", Kind: inbox.OfferRoute, At: f.now, ExpiresAt: f.now.Add(30 * time.Second)}
		renewed.OfferAttempts = 2
		must(t, st.UpdateConversation(ctx, renewed), "UpdateConversation renew")
		// Shortened: a later offer made due now.
		shortened := f.convs["muchLater"]
		shortened.Offer.ExpiresAt = f.now.Add(-3 * time.Minute)
		must(t, st.UpdateConversation(ctx, shortened), "UpdateConversation shorten")
		// Added to a conversation that had none.
		added := f.convs["none"]
		added.Offer = &inbox.Offer{AgentID: "agent-3", Kind: inbox.OfferTransfer, FromAgentID: "agent-4", At: f.now, ExpiresAt: f.now}
		must(t, st.UpdateConversation(ctx, added), "UpdateConversation add offer")

		got := offersDue(t, st, f.now, 10)
		sameIDs(t, "offers due after updates", ids(got, convID), f.ids("muchLater", "tieHigh", "atNow", "none"))
		for _, c := range got {
			for _, k := range []string{"muchLater", "none"} {
				if c.ID == f.convs[k].ID {
					same(t, "updated due offer "+k, c, *f.convs[k], normConv)
				}
			}
		}
		sameIDs(t, "offers due when the renewed one expires", ids(offersDue(t, st, f.now.Add(30*time.Second), 10), convID),
			f.ids("muchLater", "tieHigh", "atNow", "none", "later", "tieLow"))
	})
}
