package storetest

import (
	"context"
	"testing"
	"time"

	"hub/inbox"
)

// testExternalIDs checks how provider ids of the two directions live
// together. Providers number what they receive and what they send
// independently: a Telegram update_id may equal the message_id of a reply
// the bot sent, and reply message_ids are per chat, so they repeat across
// a channel's conversations. Only inbound ids dedupe; a reply's id must
// never drop, shadow or be refused because of another message's.
func testExternalIDs(t *testing.T, s suite) {
	s.run(t, "ReplyIDDoesNotBlockOrShadowInbound", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		f := newOutboxFixture(t, st)
		c := f.conv(t, st, f.ws)
		r := sentReply(t, st, c, "Check-in is at 3 pm.", "7")

		// The customer's next update carries the reply's number.
		in := msg(c, "7", "And check-out?", at(time.Hour))
		must(t, st.AddMessage(ctx, in), "AddMessage inbound with a reply's provider id")
		findInbound(t, st, f.ch, "7", in)
		findSent(t, st, f.ch, "7", r)

		// The inbound id still dedupes its provider's retries.
		retry := msg(c, "7", "And check-out? (retry)", at(2*time.Hour))
		wantErr(t, st.AddMessage(ctx, retry), inbox.ErrDuplicate, "AddMessage inbound retry")
		_, err := st.GetMessage(ctx, f.ws, retry.ID)
		wantErr(t, err, inbox.ErrNotFound, "GetMessage of refused retry")
		findInbound(t, st, f.ch, "7", in)

		// The other order: a reply may take an id an inbound message has.
		in2 := msg(c, "8", "Late arrival", at(3*time.Hour))
		must(t, st.AddMessage(ctx, in2), "AddMessage inbound")
		r2 := sentReply(t, st, c, "Noted.", "8")
		findInbound(t, st, f.ch, "8", in2)
		findSent(t, st, f.ch, "8", r2)

		// An outbound message stored with an id an inbound one has is
		// stored too (not refused as a retry).
		out := msg(c, "8", "echo", at(4*time.Hour))
		out.Direction, out.Delivery = inbox.DirectionOut, inbox.DeliverySent
		out.Author = inbox.Author{Type: inbox.AuthorBot}
		must(t, st.AddMessage(ctx, out), "AddMessage outbound with an inbound message's id")
		findInbound(t, st, f.ch, "8", in2)

		list, err := st.ListMessages(ctx, f.ws, c.ID, "", 0)
		must(t, err, "ListMessages")
		if len(list) != 5 {
			t.Errorf("ListMessages: %d messages, want 5: %s", len(list), dump(list))
		}
	})

	s.run(t, "RepliesShareProviderID", func(t *testing.T, st inbox.Store) {
		// Two chats of one bot each get their first reply numbered 1.
		f := newOutboxFixture(t, st)
		first := sentReply(t, st, f.conv(t, st, f.ws), "Welcome, Lea", "1")
		second := sentReply(t, st, f.conv(t, st, f.ws), "Welcome, Tom", "1")
		for _, m := range []*inbox.Message{first, second} {
			got, err := st.GetMessage(t.Context(), f.ws, m.ID)
			must(t, err, "GetMessage")
			same(t, "reply with a shared provider id", *got, *m, normMsg)
		}
		// The newest is the one a report with only the id most likely
		// concerns.
		findSent(t, st, f.ch, "1", second)
		_, err := st.FindMessageByExternalID(t.Context(), f.ch.ID, "1")
		wantErr(t, err, inbox.ErrNotFound, "FindMessageByExternalID of replies' id")
	})

	s.run(t, "PerChannelAndNeverEmpty", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		f := newOutboxFixture(t, st)
		r := sentReply(t, st, f.conv(t, st, f.ws), "Reply", "5")
		in := msg(f.conv(t, st, f.other), "5", "Inbound elsewhere", at(time.Hour))
		must(t, st.AddMessage(ctx, in), "AddMessage inbound on the other channel")
		reply(t, st, f.conv(t, st, f.ws), "queued, no provider id yet", inbox.DeliveryQueued, time.Time{})
		must(t, st.AddMessage(ctx, msg(f.conv(t, st, f.ws), "", "inbound without id", at(time.Hour))), "AddMessage")

		findSent(t, st, f.ch, "5", r)
		findInbound(t, st, f.och, "5", in)
		for _, c := range []struct {
			what string
			find func(context.Context, string, string) (*inbox.Message, error)
			ch   *inbox.Channel
			ext  string
		}{
			{"inbound on the reply's channel", st.FindMessageByExternalID, f.ch, "5"},
			{"sent on the inbound's channel", st.FindSentMessageByExternalID, f.och, "5"},
			{"inbound by the empty id", st.FindMessageByExternalID, f.ch, ""},
			{"sent by the empty id", st.FindSentMessageByExternalID, f.ch, ""},
			{"sent, unknown id", st.FindSentMessageByExternalID, f.ch, "6"},
		} {
			_, err := c.find(ctx, c.ch.ID, c.ext)
			wantErr(t, err, inbox.ErrNotFound, "find "+c.what)
		}
	})
}

// sentReply stores a reply on c and records it as sent by the provider
// under ext, as the outbox does.
func sentReply(t *testing.T, st inbox.Store, c *inbox.Conversation, text, ext string) *inbox.Message {
	t.Helper()
	m := reply(t, st, c, text, inbox.DeliveryQueued, time.Time{})
	ok, err := st.AdvanceDelivery(t.Context(), m.WorkspaceID, m.ID, inbox.DeliverySent, "", ext)
	must(t, err, "AdvanceDelivery "+text+" with provider id "+ext)
	if !ok {
		t.Fatalf("AdvanceDelivery %s reported no change", text)
	}
	m.Delivery, m.ExternalID = inbox.DeliverySent, ext
	return m
}

func findInbound(t *testing.T, st inbox.Store, ch *inbox.Channel, ext string, want *inbox.Message) {
	t.Helper()
	got, err := st.FindMessageByExternalID(t.Context(), ch.ID, ext)
	must(t, err, "FindMessageByExternalID "+ext)
	same(t, "inbound message by "+ext, *got, *want, normMsg)
}

func findSent(t *testing.T, st inbox.Store, ch *inbox.Channel, ext string, want *inbox.Message) {
	t.Helper()
	got, err := st.FindSentMessageByExternalID(t.Context(), ch.ID, ext)
	must(t, err, "FindSentMessageByExternalID "+ext)
	same(t, "sent message by "+ext, *got, *want, normMsg)
}
