package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"hub/inbox"
)

// deliveryStep is one AdvanceDelivery call and what it must leave.
type deliveryStep struct {
	d       inbox.Delivery
	errText string
	changed bool
	// want and wantErr are the stored state and error text afterwards.
	want    inbox.Delivery
	wantErr string
}

func testDelivery(t *testing.T, s suite) {
	s.run(t, "ForwardOnly", func(t *testing.T, st inbox.Store) {
		const (
			queued    = inbox.DeliveryQueued
			sent      = inbox.DeliverySent
			delivered = inbox.DeliveryDelivered
			read      = inbox.DeliveryRead
			failed    = inbox.DeliveryFailed
		)
		paths := []struct {
			name  string
			steps []deliveryStep
		}{
			{"sent, delivered, read", []deliveryStep{
				{queued, "x", false, queued, ""},
				{sent, "", true, sent, ""},
				{sent, "repeated callback", false, sent, ""},
				{queued, "", false, sent, ""},
				{delivered, "", true, delivered, ""},
				{sent, "late", false, delivered, ""},
				{failed, "30003", false, delivered, ""},
				{read, "", true, read, ""},
				{delivered, "", false, read, ""},
				{failed, "late failure", false, read, ""},
			}},
			{"failed after sent", []deliveryStep{
				{sent, "", true, sent, ""},
				{failed, "30003 unreachable", true, failed, "30003 unreachable"},
				{sent, "", false, failed, "30003 unreachable"},
				{delivered, "", false, failed, "30003 unreachable"},
			}},
			{"straight to delivered", []deliveryStep{
				{delivered, "", true, delivered, ""},
				{sent, "", false, delivered, ""},
				{read, "", true, read, ""},
			}},
			{"failed at once", []deliveryStep{
				{failed, "invalid number", true, failed, "invalid number"},
				{queued, "", false, failed, "invalid number"},
			}},
			{"unknown state", []deliveryStep{
				{"bogus", "", false, queued, ""},
				{sent, "", true, sent, ""},
			}},
		}
		ctx := t.Context()
		f := newOutboxFixture(t, st)
		now, lease := at(time.Hour), at(2*time.Hour)
		for _, p := range paths {
			m := reply(t, st, f.conv(t, st, f.ws), p.name, inbox.DeliveryQueued, time.Time{})
			claim(t, st, now, lease, 10, m)
			for i, step := range p.steps {
				what := fmt.Sprintf("%s: step %d, %s after %s", p.name, i, step.d, m.Delivery)
				ok, err := st.AdvanceDelivery(ctx, f.ws, m.ID, step.d, step.errText, "")
				must(t, err, what)
				if ok != step.changed {
					t.Errorf("%s: AdvanceDelivery reported %v, want %v", what, ok, step.changed)
				}
				if ok {
					// A change ends the lease; no change changes nothing.
					m.LeaseUntil = time.Time{}
				}
				m.Delivery, m.DeliveryError = step.want, step.wantErr
				got, err := st.GetMessage(ctx, f.ws, m.ID)
				must(t, err, what)
				same(t, what, *got, *m, normMsg)
			}
		}
		m := reply(t, st, f.conv(t, st, f.ws), "scoped", inbox.DeliveryQueued, time.Time{})
		_, err := st.AdvanceDelivery(ctx, f.other, m.ID, inbox.DeliverySent, "", "SM9")
		wantErr(t, err, inbox.ErrNotFound, "AdvanceDelivery from other workspace")
		_, err = st.AdvanceDelivery(ctx, f.ws, inbox.NewID(), inbox.DeliverySent, "", "")
		wantErr(t, err, inbox.ErrNotFound, "AdvanceDelivery unknown")
		got, err := st.GetMessage(ctx, f.ws, m.ID)
		must(t, err, "GetMessage after refused advance")
		same(t, "message after refused advance", *got, *m, normMsg)
	})

	s.run(t, "ExternalID", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		f := newOutboxFixture(t, st)
		m1 := reply(t, st, f.conv(t, st, f.ws), "m1", inbox.DeliveryQueued, time.Time{})
		m3 := reply(t, st, f.conv(t, st, f.other), "m3", inbox.DeliveryQueued, time.Time{})
		find := func(ch *inbox.Channel, ext string, want *inbox.Message) {
			t.Helper()
			got, err := st.FindSentMessageByExternalID(ctx, ch.ID, ext)
			must(t, err, "FindSentMessageByExternalID "+ext)
			same(t, "message found by "+ext, *got, *want, normMsg)
		}
		ok, err := st.AdvanceDelivery(ctx, f.ws, m1.ID, inbox.DeliverySent, "", "SM1")
		must(t, err, "AdvanceDelivery with provider id")
		if !ok {
			t.Fatal("AdvanceDelivery with provider id reported no change")
		}
		m1.Delivery, m1.ExternalID = inbox.DeliverySent, "SM1"
		find(f.ch, "SM1", m1)

		// Later callbacks without the id keep it; the same id again is
		// the message's own.
		advance(t, st, m1, inbox.DeliveryDelivered, "")
		find(f.ch, "SM1", m1)
		ok, err = st.AdvanceDelivery(ctx, f.ws, m1.ID, inbox.DeliveryRead, "", "SM1")
		must(t, err, "AdvanceDelivery with its own provider id")
		if !ok {
			t.Error("AdvanceDelivery read with its own provider id reported no change")
		}
		m1.Delivery = inbox.DeliveryRead
		find(f.ch, "SM1", m1)

		// Provider ids are per channel. (Shared ids and inbound messages:
		// external_ids.go.)
		ok, err = st.AdvanceDelivery(ctx, f.other, m3.ID, inbox.DeliverySent, "", "SM1")
		must(t, err, "AdvanceDelivery same provider id on another channel")
		if !ok {
			t.Error("AdvanceDelivery m3 reported no change")
		}
		m3.Delivery, m3.ExternalID = inbox.DeliverySent, "SM1"
		find(f.och, "SM1", m3)
		find(f.ch, "SM1", m1)
	})

	s.run(t, "ConcurrentCallbacksEndAtHighest", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		f := newOutboxFixture(t, st)
		rounds := [][]inbox.Delivery{
			{inbox.DeliverySent, inbox.DeliveryDelivered, inbox.DeliveryRead, inbox.DeliverySent, inbox.DeliveryDelivered, inbox.DeliveryRead},
			{inbox.DeliverySent, inbox.DeliveryFailed, inbox.DeliverySent, inbox.DeliveryFailed},
			{inbox.DeliveryDelivered, inbox.DeliveryFailed, inbox.DeliverySent, inbox.DeliveryDelivered, inbox.DeliveryFailed, inbox.DeliverySent},
			{inbox.DeliveryRead, inbox.DeliverySent, inbox.DeliveryFailed, inbox.DeliveryDelivered},
		}
		for r, states := range rounds {
			m := reply(t, st, f.conv(t, st, f.ws), fmt.Sprintf("round %d", r), inbox.DeliveryQueued, time.Time{})
			changed := make([]bool, len(states))
			errs := make([]error, len(states))
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i, d := range states {
				wg.Go(func() {
					<-start
					changed[i], errs[i] = st.AdvanceDelivery(ctx, f.ws, m.ID, d, fmt.Sprintf("%s-%d", d, i), "")
				})
			}
			close(start)
			wg.Wait()

			top := 0
			for i, d := range states {
				must(t, errs[i], fmt.Sprintf("round %d: AdvanceDelivery %s", r, d))
				top = max(top, d.Rank())
			}
			got, err := st.GetMessage(ctx, f.ws, m.ID)
			must(t, err, "GetMessage")
			if got.Delivery.Rank() != top {
				t.Errorf("round %d: %v raced to %s, want a state of rank %d", r, states, got.Delivery, top)
			}
			// Each reported change moved the state up a rank, so no two
			// share one; the stored state is the last of them.
			byRank := map[int]int{}
			last := -1
			for i, d := range states {
				if !changed[i] {
					continue
				}
				if j, dup := byRank[d.Rank()]; dup {
					t.Errorf("round %d: callers %d (%s) and %d (%s) both moved the state to rank %d",
						r, j, states[j], i, d, d.Rank())
				}
				byRank[d.Rank()] = i
				if d == got.Delivery && got.DeliveryError == fmt.Sprintf("%s-%d", d, i) {
					last = i
				}
			}
			if last < 0 {
				t.Errorf("round %d: stored %s %q is no reported change's (changed %v)", r, got.Delivery, got.DeliveryError, changed)
			}
		}
	})
}
