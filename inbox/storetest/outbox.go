package storetest

import (
	"fmt"
	"testing"
	"time"

	"hub/inbox"
)

// outboxFixture is two workspaces with a channel each, on which tests open
// conversations and queue replies.
type outboxFixture struct {
	ws, other string
	ch, och   *inbox.Channel
	contacts  int
}

func newOutboxFixture(t *testing.T, st inbox.Store) *outboxFixture {
	t.Helper()
	w := newWorkspace(t, st, "Hotel")
	ow := newWorkspace(t, st, "Shop")
	return &outboxFixture{
		ws: w.ID, other: ow.ID,
		ch:  newChannel(t, st, w.ID, inbox.ChannelSMS),
		och: newChannel(t, st, ow.ID, inbox.ChannelTelegram),
	}
}

// conv opens a conversation with a new contact in workspace ws.
func (f *outboxFixture) conv(t *testing.T, st inbox.Store, ws string) *inbox.Conversation {
	t.Helper()
	ch := f.ch
	if ws == f.other {
		ch = f.och
	}
	f.contacts++
	return createConv(t, st, conv(ws, ch.ID, fmt.Sprintf("contact-%d", f.contacts)))
}

// reply stores an agent's outbound message on c with delivery d, due at
// next. Ids grow with every call, so replies queue in the order made.
func reply(t *testing.T, st inbox.Store, c *inbox.Conversation, text string, d inbox.Delivery, next time.Time) *inbox.Message {
	t.Helper()
	return replyKind(t, st, c, text, "", d, next)
}

// replyKind is reply with a message kind, such as the survey question.
func replyKind(t *testing.T, st inbox.Store, c *inbox.Conversation, text, kind string, d inbox.Delivery, next time.Time) *inbox.Message {
	t.Helper()
	m := msg(c, "", text, at(time.Minute))
	m.Direction = inbox.DirectionOut
	m.Author = inbox.Author{Type: inbox.AuthorAgent, ID: "agent-1", Name: "Alice"}
	m.Kind = kind
	m.Delivery = d
	m.NextAttemptAt = next
	must(t, st.AddMessage(t.Context(), m), "AddMessage "+text)
	return m
}

// claim calls ClaimOutbound and checks that what it returns are want, in
// that order, as stored with the new lease, and that the store has them
// so.
func claim(t *testing.T, st inbox.Store, now, lease time.Time, limit int, want ...*inbox.Message) []inbox.Message {
	t.Helper()
	got, err := st.ClaimOutbound(t.Context(), now, lease, limit)
	must(t, err, "ClaimOutbound")
	wantIDs := make([]string, len(want))
	for i, m := range want {
		wantIDs[i] = m.ID
	}
	sameIDs(t, fmt.Sprintf("ClaimOutbound(now %v, limit %d)", now.Sub(base), limit), ids(got, msgID), wantIDs)
	if len(got) != len(want) {
		t.FailNow()
	}
	for i, m := range want {
		m.LeaseUntil = lease
		same(t, "claimed message", got[i], *m, normMsg)
		stored, err := st.GetMessage(t.Context(), m.WorkspaceID, m.ID)
		must(t, err, "GetMessage claimed")
		same(t, "claimed message as stored", *stored, *m, normMsg)
	}
	return got
}

// advance moves m's delivery forward and keeps m in step with the store.
func advance(t *testing.T, st inbox.Store, m *inbox.Message, d inbox.Delivery, errText string) {
	t.Helper()
	ok, err := st.AdvanceDelivery(t.Context(), m.WorkspaceID, m.ID, d, errText, "")
	must(t, err, "AdvanceDelivery "+string(d))
	if !ok {
		t.Fatalf("AdvanceDelivery(%s) of %s from %s reported no change", d, m.Text, m.Delivery)
	}
	m.Delivery, m.DeliveryError, m.LeaseUntil = d, errText, time.Time{}
}

func testOutbox(t *testing.T, s suite) {
	s.run(t, "ClaimsConversationHeadsInOrder", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		f := newOutboxFixture(t, st)
		now, lease := at(time.Hour), at(time.Hour+time.Minute)
		a, b, c, d := f.conv(t, st, f.ws), f.conv(t, st, f.ws), f.conv(t, st, f.other), f.conv(t, st, f.ws)

		// None of these may ever be claimed: a note (no delivery, stored
		// first so it would be a's head if it counted), inbound messages
		// (one with a stray queued state), and sent, failed and delivered
		// replies.
		note := msg(a, "", "VIP guest", at(0))
		note.Direction, note.Private = inbox.DirectionOut, true
		note.Author = inbox.Author{Type: inbox.AuthorAgent, ID: "agent-2"}
		must(t, st.AddMessage(ctx, note), "AddMessage note")
		must(t, st.AddMessage(ctx, msg(b, "in-1", "hello", at(0))), "AddMessage inbound")
		strayIn := msg(d, "in-2", "hi", at(0))
		strayIn.Delivery = inbox.DeliveryQueued
		must(t, st.AddMessage(ctx, strayIn), "AddMessage inbound queued")
		for _, dl := range []inbox.Delivery{inbox.DeliverySent, inbox.DeliveryFailed, inbox.DeliveryDelivered} {
			reply(t, st, d, string(dl), dl, time.Time{})
		}

		c1 := reply(t, st, c, "c1", inbox.DeliveryQueued, time.Time{})
		a1 := reply(t, st, a, "a1", inbox.DeliveryQueued, time.Time{})
		a2 := reply(t, st, a, "a2", inbox.DeliveryQueued, time.Time{})
		a3 := reply(t, st, a, "a3", inbox.DeliveryQueued, time.Time{})
		// b1 is the survey question: the claim hands its kind back, for
		// the adapter to show stars or buttons.
		b1 := replyKind(t, st, b, "b1", inbox.MessageSurvey, inbox.DeliveryQueued, time.Time{})

		got, err := st.ClaimOutbound(ctx, now, lease, 0)
		must(t, err, "ClaimOutbound limit 0")
		sameIDs(t, "ClaimOutbound limit 0", ids(got, msgID), nil)

		// One head per conversation, across workspaces; equally due ones
		// in id order.
		claim(t, st, now, lease, 10, c1, a1, b1)
		claim(t, st, now, lease, 10)

		// a's queue moves on when its head leaves queued, whatever the
		// head's lease says, and whether it went out or failed.
		advance(t, st, a1, inbox.DeliverySent, "")
		claim(t, st, now, lease, 10, a2)
		claim(t, st, now, lease, 10)
		advance(t, st, a2, inbox.DeliveryFailed, "rejected")
		claim(t, st, now, lease, 10, a3)

		// A lease ends at leaseUntil: then the message is claimed again.
		lease2 := lease.Add(time.Minute)
		claim(t, st, lease.Add(-time.Millisecond), lease2, 10)
		claim(t, st, lease, lease2, 10, c1, a3, b1)
		claim(t, st, lease, lease2, 10)
	})

	s.run(t, "DueTimesOrderAndLimit", func(t *testing.T, st inbox.Store) {
		f := newOutboxFixture(t, st)
		now, lease := at(time.Hour), at(3*time.Hour)
		x := reply(t, st, f.conv(t, st, f.ws), "x", inbox.DeliveryQueued, at(50*time.Minute))
		y := reply(t, st, f.conv(t, st, f.other), "y", inbox.DeliveryQueued, time.Time{})
		z := reply(t, st, f.conv(t, st, f.ws), "z", inbox.DeliveryQueued, at(10*time.Minute))
		v := reply(t, st, f.conv(t, st, f.other), "v", inbox.DeliveryQueued, now)
		w := reply(t, st, f.conv(t, st, f.ws), "w", inbox.DeliveryQueued, at(2*time.Hour))
		// q's head is not due, so its second message, due at once, waits.
		q := f.conv(t, st, f.ws)
		q1 := reply(t, st, q, "q1", inbox.DeliveryQueued, at(90*time.Minute))
		q2 := reply(t, st, q, "q2", inbox.DeliveryQueued, time.Time{})

		// Most overdue first ("at once" before any time), limit honoured.
		claim(t, st, now, lease, 2, y, z)
		claim(t, st, now, lease, 2, x, v)
		claim(t, st, now, lease, 2)
		claim(t, st, at(90*time.Minute), lease, 10, q1)
		// q1 is leased, so q2 still waits.
		claim(t, st, at(2*time.Hour), lease, 10, w)
		advance(t, st, q1, inbox.DeliveryDelivered, "")
		claim(t, st, at(2*time.Hour), lease, 10, q2)
	})

	s.run(t, "RetryOutbound", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		f := newOutboxFixture(t, st)
		now, lease := at(time.Hour), at(time.Hour+time.Minute)
		c := f.conv(t, st, f.ws)
		m := reply(t, st, c, "m", inbox.DeliveryQueued, time.Time{})
		behind := reply(t, st, c, "behind", inbox.DeliveryQueued, time.Time{})
		claim(t, st, now, lease, 10, m)

		must(t, st.RetryOutbound(ctx, f.ws, m.ID, 1, at(2*time.Hour), "503 from provider"), "RetryOutbound")
		m.Attempts, m.NextAttemptAt, m.DeliveryError, m.LeaseUntil = 1, at(2*time.Hour), "503 from provider", time.Time{}
		got, err := st.GetMessage(ctx, f.ws, m.ID)
		must(t, err, "GetMessage after retry")
		same(t, "message after retry", *got, *m, normMsg)

		// The lease has ended but the message is not due yet, and it is
		// still its conversation's head.
		claim(t, st, at(2*time.Hour-time.Millisecond), lease, 10)
		lease2 := at(2*time.Hour + time.Minute)
		claim(t, st, at(2*time.Hour), lease2, 10, m)

		// A retry due at once ends the lease at once.
		must(t, st.RetryOutbound(ctx, f.ws, m.ID, 2, time.Time{}, "timeout"), "RetryOutbound again")
		m.Attempts, m.NextAttemptAt, m.DeliveryError = 2, time.Time{}, "timeout"
		claim(t, st, at(2*time.Hour), lease2, 10, m)

		wantErr(t, st.RetryOutbound(ctx, f.other, m.ID, 3, now, "x"), inbox.ErrNotFound, "RetryOutbound from other workspace")
		wantErr(t, st.RetryOutbound(ctx, f.ws, inbox.NewID(), 3, now, "x"), inbox.ErrNotFound, "RetryOutbound unknown")

		// Once sent, a retry is refused and changes nothing.
		advance(t, st, m, inbox.DeliverySent, "")
		wantErr(t, st.RetryOutbound(ctx, f.ws, m.ID, 3, now, "x"), inbox.ErrConflict, "RetryOutbound after sent")
		got, err = st.GetMessage(ctx, f.ws, m.ID)
		must(t, err, "GetMessage after refused retry")
		same(t, "message after refused retry", *got, *m, normMsg)
		claim(t, st, at(2*time.Hour), lease2, 10, behind)
	})
}
