package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"hub/inbox"
)

// fullConv sets every optional field, so a round trip shows which ones a
// backend forgets.
func fullConv(workspaceID, channelID, contactID string) *inbox.Conversation {
	c := conv(workspaceID, channelID, contactID)
	c.Status = inbox.StatusPending
	c.AssigneeID = "agent-1"
	c.TeamID = "team-1"
	c.Participants = []string{"agent-2", "agent-3"}
	c.SnoozedUntil = ptime(at(3 * time.Hour))
	c.AwaitingReply = true
	c.AwaitingSince = ptime(at(90 * time.Second))
	c.BotMisses = 2
	c.ContactName = "Zoë Ångström"
	c.ContactHandle = "@zoe"
	c.LastMessageText = "Où est la piscine ?"
	c.ClosedAt = ptime(at(time.Minute))
	c.ClosedBy = "agent-9"
	c.WrapUp = &inbox.WrapUp{Topic: "pool", Mood: "neutral", Survey: true}
	c.CSAT = &inbox.CSAT{Score: 4, At: at(70 * time.Second)}
	c.ThreadRef = "partner-thread/42?x=1"
	c.OptedOut = true
	c.LastButtons = []string{"Yes", "No", "Talk to a person"}
	c.SurveyUntil = ptime(at(26 * time.Hour))
	c.BotAnswered = true
	c.RecentInbound = recentInbound(50)
	c.RepeatText = "où est la piscine"
	c.RepeatCount = 3
	c.LastInboundID = "06gzv33900dh6t5xa9v3"
	c.BotTurnMessageID = "06gzv33900dh6t5xa9v0"
	c.GreetMessageID = "06gzv33900dh6t5xa9v1"
	c.QueuedAt = ptime(at(100 * time.Second))
	c.Offer = &inbox.Offer{
		AgentID:     "agent-4",
		Kind:        inbox.OfferTransfer,
		FromAgentID: "agent-1",
		At:          at(110 * time.Second),
		ExpiresAt:   at(140*time.Second + 7*time.Millisecond),
	}
	c.OfferAttempts = 2
	c.Invites = []inbox.Invite{
		{AgentID: "agent-5", FromAgentID: "agent-1", ExpiresAt: at(3*time.Minute + 11*time.Millisecond)},
		{AgentID: "agent-6", FromAgentID: "agent-2", ExpiresAt: at(4 * time.Minute)},
	}
	return c
}

// recentInbound returns n arrival times, oldest first, each with its own
// millisecond part and two in the same millisecond: the spam rule counts
// them, so a store must keep them all, in order, to the millisecond.
func recentInbound(n int) []time.Time {
	out := make([]time.Time, n)
	for i := range out {
		out[i] = at(time.Duration(i*137+1) * time.Millisecond)
	}
	if n > 1 {
		out[1] = out[0]
	}
	return out
}

func testConversations(t *testing.T, s suite) {
	s.run(t, "CreateGetFind", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		ch := newChannel(t, st, w.ID, inbox.ChannelSMS)
		c := fullConv(w.ID, ch.ID, "contact-1")
		c.Version = 0
		createConv(t, st, c)
		if c.Version != 1 {
			t.Errorf("after CreateConversation c.Version = %d, want 1", c.Version)
		}
		want := *c
		want.Version = 1

		got, err := st.GetConversation(ctx, w.ID, c.ID)
		must(t, err, "GetConversation")
		same(t, "conversation", *got, want, normConv)

		got, err = st.FindConversation(ctx, w.ID, ch.ID, "contact-1")
		must(t, err, "FindConversation")
		same(t, "found conversation", *got, want, normConv)

		_, err = st.FindConversation(ctx, w.ID, ch.ID, "contact-2")
		wantErr(t, err, inbox.ErrNotFound, "FindConversation other contact")
		_, err = st.GetConversation(ctx, w.ID, inbox.NewID())
		wantErr(t, err, inbox.ErrNotFound, "GetConversation unknown")

		// A minimal conversation keeps its empty optional fields empty.
		bare := conv(w.ID, ch.ID, "contact-2")
		bare.Participants = nil
		createConv(t, st, bare)
		got, err = st.GetConversation(ctx, w.ID, bare.ID)
		must(t, err, "GetConversation bare")
		same(t, "bare conversation", *got, *bare, normConv)
	})

	s.run(t, "OnePerChannelAndContact", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		sms := newChannel(t, st, w.ID, inbox.ChannelSMS)
		tg := newChannel(t, st, w.ID, inbox.ChannelTelegram)
		first := createConv(t, st, conv(w.ID, sms.ID, "contact-1"))

		dup := conv(w.ID, sms.ID, "contact-1")
		wantErr(t, st.CreateConversation(ctx, dup), inbox.ErrDuplicate, "CreateConversation same channel and contact")
		_, err := st.GetConversation(ctx, w.ID, dup.ID)
		wantErr(t, err, inbox.ErrNotFound, "GetConversation of refused duplicate")

		sameID := conv(w.ID, tg.ID, "contact-9")
		sameID.ID = first.ID
		wantErr(t, st.CreateConversation(ctx, sameID), inbox.ErrDuplicate, "CreateConversation same id")

		// The same contact on another channel, and another contact on the
		// same channel, are separate threads.
		createConv(t, st, conv(w.ID, tg.ID, "contact-1"))
		createConv(t, st, conv(w.ID, sms.ID, "contact-2"))
	})

	s.run(t, "UpdateIsConditionalOnVersion", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		ch := newChannel(t, st, w.ID, inbox.ChannelSMS)
		c := createConv(t, st, conv(w.ID, ch.ID, "contact-1"))

		stale := *c
		upd := fullConv(w.ID, ch.ID, "contact-1")
		upd.ID = c.ID
		upd.Version = c.Version
		upd.UpdatedAt = at(time.Hour)
		must(t, st.UpdateConversation(ctx, upd), "UpdateConversation")
		if upd.Version != 2 {
			t.Errorf("after UpdateConversation Version = %d, want 2", upd.Version)
		}
		got, err := st.GetConversation(ctx, w.ID, c.ID)
		must(t, err, "GetConversation after update")
		same(t, "updated conversation", *got, *upd, normConv)

		stale.Status = inbox.StatusClosed
		stale.LastMessageText = "stale write"
		wantErr(t, st.UpdateConversation(ctx, &stale), inbox.ErrConflict, "UpdateConversation with stale version")
		got, err = st.GetConversation(ctx, w.ID, c.ID)
		must(t, err, "GetConversation after conflict")
		same(t, "conversation after conflict", *got, *upd, normConv)

		// The spam window slides and the bot's buttons change: stored
		// lists are replaced, not merged.
		upd.RecentInbound = append(upd.RecentInbound[10:], at(time.Hour+time.Millisecond))
		upd.RepeatText, upd.RepeatCount = "hello", 1
		upd.LastButtons = []string{"Maybe"}
		upd.SurveyUntil = ptime(at(27*time.Hour + 3*time.Millisecond))
		// A new routing offer replaces the transfer, with nobody to
		// transfer from; one invite is answered.
		upd.QueuedAt = ptime(at(time.Hour + 2*time.Millisecond))
		upd.Offer = &inbox.Offer{AgentID: "agent-7", Kind: inbox.OfferRoute, At: at(time.Hour), ExpiresAt: at(time.Hour + 30*time.Second)}
		upd.OfferAttempts = 3
		upd.Invites = upd.Invites[1:]
		must(t, st.UpdateConversation(ctx, upd), "UpdateConversation sliding the spam window")
		got, err = st.GetConversation(ctx, w.ID, c.ID)
		must(t, err, "GetConversation after sliding")
		same(t, "conversation with slid spam window", *got, *upd, normConv)
		got, err = st.FindConversation(ctx, w.ID, ch.ID, "contact-1")
		must(t, err, "FindConversation after sliding")
		same(t, "found conversation with slid spam window", *got, *upd, normConv)

		// Clearing optional fields is stored too, not merged away.
		upd.Status = inbox.StatusOpen
		upd.AssigneeID = ""
		upd.TeamID = ""
		upd.Participants = nil
		upd.SnoozedUntil = nil
		upd.AwaitingReply = false
		upd.AwaitingSince = nil
		upd.BotMisses = 0
		upd.ClosedAt = nil
		upd.ClosedBy = ""
		upd.WrapUp = nil
		upd.CSAT = nil
		upd.ThreadRef = ""
		upd.OptedOut = false
		upd.LastButtons = nil
		upd.SurveyUntil = nil
		upd.BotAnswered = false
		upd.RecentInbound = []time.Time{}
		upd.RepeatText = ""
		upd.RepeatCount = 0
		upd.LastInboundID = ""
		upd.BotTurnMessageID = ""
		upd.GreetMessageID = ""
		upd.QueuedAt = nil
		upd.Offer = nil
		upd.OfferAttempts = 0
		upd.Invites = []inbox.Invite{}
		must(t, st.UpdateConversation(ctx, upd), "UpdateConversation clearing fields")
		if upd.Version != 4 {
			t.Errorf("after third update Version = %d, want 4", upd.Version)
		}
		got, err = st.GetConversation(ctx, w.ID, c.ID)
		must(t, err, "GetConversation after clearing")
		same(t, "cleared conversation", *got, *upd, normConv)

		// A version from the future is as wrong as a stale one.
		future := *upd
		future.Version += 5
		wantErr(t, st.UpdateConversation(ctx, &future), inbox.ErrConflict, "UpdateConversation with future version")

		ghost := conv(w.ID, ch.ID, "contact-7")
		ghost.Version = 1
		wantErr(t, st.UpdateConversation(ctx, ghost), inbox.ErrNotFound, "UpdateConversation unknown")
	})

	s.run(t, "ConcurrentUpdatesOneWins", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		ch := newChannel(t, st, w.ID, inbox.ChannelSMS)
		c := createConv(t, st, conv(w.ID, ch.ID, "contact-1"))

		const writers = 8
		for round := range 10 {
			read, err := st.GetConversation(ctx, w.ID, c.ID)
			must(t, err, "GetConversation")
			old := read.Version
			copies := make([]inbox.Conversation, writers)
			errs := make([]error, writers)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range writers {
				copies[i] = *read
				copies[i].Participants = append([]string(nil), read.Participants...)
				copies[i].AssigneeID = fmt.Sprintf("agent-%d-%d", round, i)
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					errs[i] = st.UpdateConversation(ctx, &copies[i])
				}()
			}
			close(start)
			wg.Wait()

			winner := -1
			for i, err := range errs {
				switch {
				case err == nil && winner >= 0:
					t.Fatalf("round %d: writers %d and %d both won", round, winner, i)
				case err == nil:
					winner = i
				case !errors.Is(err, inbox.ErrConflict):
					t.Fatalf("round %d: writer %d: err = %v, want ErrConflict", round, i, err)
				}
			}
			if winner < 0 {
				t.Fatalf("round %d: no writer won", round)
			}
			if copies[winner].Version != old+1 {
				t.Errorf("round %d: winner Version = %d, want %d", round, copies[winner].Version, old+1)
			}
			got, err := st.GetConversation(ctx, w.ID, c.ID)
			must(t, err, "GetConversation after race")
			if got.Version != old+1 || got.AssigneeID != copies[winner].AssigneeID {
				t.Fatalf("round %d: stored version %d assignee %q, want %d %q",
					round, got.Version, got.AssigneeID, old+1, copies[winner].AssigneeID)
			}
		}
	})

	s.run(t, "WorkspaceScoping", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		ow := newWorkspace(t, st, "Other")
		ch := newChannel(t, st, w.ID, inbox.ChannelSMS)
		c := createConv(t, st, conv(w.ID, ch.ID, "contact-1"))

		_, err := st.GetConversation(ctx, ow.ID, c.ID)
		wantErr(t, err, inbox.ErrNotFound, "GetConversation from other workspace")
		_, err = st.FindConversation(ctx, ow.ID, ch.ID, "contact-1")
		wantErr(t, err, inbox.ErrNotFound, "FindConversation from other workspace")

		hijack := *c
		hijack.WorkspaceID = ow.ID
		hijack.LastMessageText = "hijacked"
		wantErr(t, st.UpdateConversation(ctx, &hijack), inbox.ErrNotFound, "UpdateConversation with other workspace")

		page, next, err := st.ListConversations(ctx, inbox.ConversationFilter{WorkspaceID: ow.ID})
		must(t, err, "ListConversations other")
		if len(page) != 0 || next != "" {
			t.Errorf("ListConversations of other workspace returned %s next %q", dump(page), next)
		}
		got, err := st.GetConversation(ctx, w.ID, c.ID)
		must(t, err, "GetConversation after refused update")
		same(t, "conversation after refused update", *got, *c, normConv)
	})
}
