package storetest

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"hub/inbox"
)

type msgFixture struct {
	ws, other string
	ch, och   *inbox.Channel
	c         *inbox.Conversation
}

func newMsgFixture(t *testing.T, st inbox.Store) msgFixture {
	t.Helper()
	w := newWorkspace(t, st, "Hotel")
	ow := newWorkspace(t, st, "Other")
	f := msgFixture{ws: w.ID, other: ow.ID}
	f.ch = newChannel(t, st, w.ID, inbox.ChannelSMS)
	f.och = newChannel(t, st, w.ID, inbox.ChannelTelegram)
	f.c = createConv(t, st, conv(w.ID, f.ch.ID, "contact-1"))
	return f
}

func testMessages(t *testing.T, s suite) {
	s.run(t, "AddGetRoundTrip", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		f := newMsgFixture(t, st)
		in := msg(f.c, "SM123", "Bonjour, à quelle heure ?", at(time.Minute))
		in.Attachments = []inbox.Attachment{{URL: "https://files/x.jpg", ContentType: "image/jpeg", Name: "x.jpg", Size: 2048}}
		out := msg(f.c, "", "Check-in is at 3 pm.", at(2*time.Minute))
		out.Direction = inbox.DirectionOut
		out.Author = inbox.Author{Type: inbox.AuthorBot}
		out.Buttons = []string{"Thanks", "Talk to a person"}
		out.Delivery = inbox.DeliveryQueued
		out.DeliveryError = "timeout"
		out.Attempts = 2
		out.NextAttemptAt = at(5 * time.Minute)
		out.LeaseUntil = at(4 * time.Minute)
		note := msg(f.c, "", "VIP guest", at(3*time.Minute))
		note.Author = inbox.Author{Type: inbox.AuthorAgent, ID: "agent-1", Name: "Alice"}
		note.Private = true
		survey := msg(f.c, "", "How did we do?", at(4*time.Minute))
		survey.Direction = inbox.DirectionOut
		survey.Author = inbox.Author{Type: inbox.AuthorSystem}
		survey.Kind = inbox.MessageSurvey
		survey.Buttons = []string{"1", "2", "3", "4", "5"}
		survey.Delivery = inbox.DeliveryQueued
		for _, m := range []*inbox.Message{in, out, note, survey} {
			must(t, st.AddMessage(ctx, m), "AddMessage")
			got, err := st.GetMessage(ctx, f.ws, m.ID)
			must(t, err, "GetMessage")
			same(t, "message", *got, *m, normMsg)
		}
		got, err := st.FindMessageByExternalID(ctx, f.ch.ID, "SM123")
		must(t, err, "FindMessageByExternalID")
		same(t, "message by external id", *got, *in, normMsg)

		_, err = st.FindMessageByExternalID(ctx, f.och.ID, "SM123")
		wantErr(t, err, inbox.ErrNotFound, "FindMessageByExternalID other channel")
		// Messages without a provider id must not be found by the empty id.
		_, err = st.FindMessageByExternalID(ctx, f.ch.ID, "")
		wantErr(t, err, inbox.ErrNotFound, "FindMessageByExternalID empty id")
		_, err = st.GetMessage(ctx, f.ws, inbox.NewID())
		wantErr(t, err, inbox.ErrNotFound, "GetMessage unknown")
	})

	s.run(t, "DedupeOnChannelAndExternalID", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		f := newMsgFixture(t, st)
		first := msg(f.c, "wamid.1", "first delivery", at(time.Minute))
		must(t, st.AddMessage(ctx, first), "AddMessage")

		retry := msg(f.c, "wamid.1", "provider retry", at(2*time.Minute))
		wantErr(t, st.AddMessage(ctx, retry), inbox.ErrDuplicate, "AddMessage same channel and external id")
		_, err := st.GetMessage(ctx, f.ws, retry.ID)
		wantErr(t, err, inbox.ErrNotFound, "GetMessage of refused retry")

		// The same provider id on another channel is another message.
		c2 := createConv(t, st, conv(f.ws, f.och.ID, "contact-1"))
		elsewhere := msg(c2, "wamid.1", "other channel", at(3*time.Minute))
		must(t, st.AddMessage(ctx, elsewhere), "AddMessage same external id on other channel")

		// Messages without a provider id never collide.
		for i := range 3 {
			m := msg(f.c, "", fmt.Sprintf("agent reply %d", i), at(time.Duration(4+i)*time.Minute))
			m.Direction = inbox.DirectionOut
			must(t, st.AddMessage(ctx, m), "AddMessage without external id")
		}

		list, err := st.ListMessages(ctx, f.ws, f.c.ID, "", 0)
		must(t, err, "ListMessages")
		if len(list) != 4 {
			t.Fatalf("ListMessages: %d messages, want 4 (one inbound, three replies): %s", len(list), dump(list))
		}
		got, err := st.FindMessageByExternalID(ctx, f.ch.ID, "wamid.1")
		must(t, err, "FindMessageByExternalID")
		same(t, "kept message", *got, *first, normMsg)
		got, err = st.FindMessageByExternalID(ctx, f.och.ID, "wamid.1")
		must(t, err, "FindMessageByExternalID other channel")
		same(t, "message on other channel", *got, *elsewhere, normMsg)
	})

	s.run(t, "DedupeConcurrent", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		f := newMsgFixture(t, st)
		copies := make([]*inbox.Message, 8)
		for i := range copies {
			copies[i] = msg(f.c, "retry-storm", "same webhook", at(time.Minute))
		}
		ok := addAtOnce(t, st, copies)
		list, err := st.ListMessages(ctx, f.ws, f.c.ID, "", 0)
		must(t, err, "ListMessages")
		if ok != 1 || len(list) != 1 {
			t.Errorf("%d writers succeeded and %d messages stored, want 1 and 1", ok, len(list))
		}
	})

	// The bot's replies have ids derived from the message they answer
	// (inbox.ReplyID): a turn run twice writes the same id twice, and the
	// store must refuse the copy, even written at once by two runs.
	s.run(t, "SameIDIsDuplicate", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		f := newMsgFixture(t, st)
		in := msg(f.c, "SM900", "Is the pool open?", at(time.Minute))
		must(t, st.AddMessage(ctx, in), "AddMessage inbound")
		runs := make([]*inbox.Message, 8)
		for i := range runs {
			m := msg(f.c, "", fmt.Sprintf("run %d", i), at(2*time.Minute))
			m.ID = inbox.ReplyID(in.ID, 0)
			m.Direction = inbox.DirectionOut
			m.Author = inbox.Author{Type: inbox.AuthorBot, Name: "Bot"}
			m.Delivery = inbox.DeliveryQueued
			runs[i] = m
		}
		ok := addAtOnce(t, st, runs)
		list, err := st.ListMessages(ctx, f.ws, f.c.ID, "", 0)
		must(t, err, "ListMessages")
		if ok != 1 || len(list) != 2 || list[0].ID != in.ID || list[1].ID != inbox.ReplyID(in.ID, 0) {
			t.Errorf("%d runs stored the reply, list %s; want 1, the message then its reply", ok, dump(list))
		}
	})

	s.run(t, "ListOrderAfterAndLimit", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		f := newMsgFixture(t, st)
		other := createConv(t, st, conv(f.ws, f.ch.ID, "contact-2"))

		// Ids in increasing order, stored shuffled: the order is the id's,
		// not the insertion's.
		const n = 12
		msgIDs := make([]string, n)
		for i := range msgIDs {
			msgIDs[i] = inbox.NewID()
		}
		sort.Strings(msgIDs)
		want := make([]inbox.Message, n)
		for i := range want {
			m := msg(f.c, fmt.Sprintf("ext-%d", i), fmt.Sprintf("message %d", i), at(time.Duration(i)*time.Second))
			m.ID = msgIDs[i]
			if i%4 == 3 {
				m.Kind = inbox.MessageSurvey
			}
			want[i] = *m
		}
		for _, i := range []int{3, 0, 11, 5, 1, 7, 2, 10, 4, 9, 6, 8} {
			m := want[i]
			must(t, st.AddMessage(ctx, &m), "AddMessage")
		}
		noise := msg(other, "noise", "other conversation", at(0))
		must(t, st.AddMessage(ctx, noise), "AddMessage other conversation")

		all, err := st.ListMessages(ctx, f.ws, f.c.ID, "", 0)
		must(t, err, "ListMessages all")
		sameIDs(t, "ListMessages all", ids(all, msgID), msgIDs)
		if len(all) == n {
			for i := range all {
				same(t, "listed message", all[i], want[i], normMsg)
			}
		}
		got, err := st.ListMessages(ctx, f.ws, f.c.ID, "", 5)
		must(t, err, "ListMessages limit")
		sameIDs(t, "ListMessages limit 5", ids(got, msgID), msgIDs[:5])
		got, err = st.ListMessages(ctx, f.ws, f.c.ID, msgIDs[4], 0)
		must(t, err, "ListMessages after")
		sameIDs(t, "ListMessages after #4", ids(got, msgID), msgIDs[5:])
		got, err = st.ListMessages(ctx, f.ws, f.c.ID, msgIDs[4], 3)
		must(t, err, "ListMessages after with limit")
		sameIDs(t, "ListMessages after #4 limit 3", ids(got, msgID), msgIDs[5:8])
		got, err = st.ListMessages(ctx, f.ws, f.c.ID, msgIDs[n-1], 0)
		must(t, err, "ListMessages after last")
		sameIDs(t, "ListMessages after last", ids(got, msgID), nil)
		got, err = st.ListMessages(ctx, f.ws, inbox.NewID(), "", 0)
		must(t, err, "ListMessages unknown conversation")
		sameIDs(t, "ListMessages unknown conversation", ids(got, msgID), nil)
	})

	s.run(t, "WorkspaceScoping", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		f := newMsgFixture(t, st)
		m := msg(f.c, "ext-1", "secret", at(time.Minute))
		m.Direction = inbox.DirectionOut
		m.Delivery = inbox.DeliveryQueued
		must(t, st.AddMessage(ctx, m), "AddMessage")

		_, err := st.GetMessage(ctx, f.other, m.ID)
		wantErr(t, err, inbox.ErrNotFound, "GetMessage from other workspace")
		list, err := st.ListMessages(ctx, f.other, f.c.ID, "", 0)
		must(t, err, "ListMessages other workspace")
		if len(list) != 0 {
			t.Errorf("ListMessages of other workspace returned %s", dump(list))
		}
		_, err = st.AdvanceDelivery(ctx, f.other, m.ID, inbox.DeliveryFailed, "x", "")
		wantErr(t, err, inbox.ErrNotFound, "AdvanceDelivery from other workspace")
		wantErr(t, st.RetryOutbound(ctx, f.other, m.ID, 1, at(time.Hour), "x"), inbox.ErrNotFound,
			"RetryOutbound from other workspace")
		got, err := st.GetMessage(ctx, f.ws, m.ID)
		must(t, err, "GetMessage after refused changes")
		same(t, "message after refused changes", *got, *m, normMsg)
	})
}

// addAtOnce adds the messages from one goroutine each, released together,
// and returns how many were stored; every other add must fail with
// ErrDuplicate.
func addAtOnce(t *testing.T, st inbox.Store, msgs []*inbox.Message) int {
	t.Helper()
	errs := make([]error, len(msgs))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, m := range msgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = st.AddMessage(t.Context(), m)
		}()
	}
	close(start)
	wg.Wait()
	ok := 0
	for i, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, inbox.ErrDuplicate):
			t.Errorf("writer %d: err = %v, want ErrDuplicate", i, err)
		}
	}
	return ok
}
