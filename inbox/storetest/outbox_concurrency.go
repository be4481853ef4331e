package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"hub/inbox"
)

func testOutboxConcurrency(t *testing.T, s suite) {
	s.run(t, "ClaimersGetDisjointSets", func(t *testing.T, st inbox.Store) {
		f := newOutboxFixture(t, st)
		now, lease := at(time.Hour), at(2*time.Hour)
		// Twelve conversations over two workspaces, each with a head and
		// a message behind it that no claimer may get.
		heads := map[string]*inbox.Message{}
		for i := range 12 {
			ws := f.ws
			if i%2 == 1 {
				ws = f.other
			}
			c := f.conv(t, st, ws)
			m := reply(t, st, c, fmt.Sprintf("head %d", i), inbox.DeliveryQueued, time.Time{})
			reply(t, st, c, fmt.Sprintf("behind %d", i), inbox.DeliveryQueued, time.Time{})
			heads[m.ID] = m
		}

		const workers = 4
		got := make([][]inbox.Message, workers)
		errs := make([]error, workers)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for w := range workers {
			wg.Go(func() {
				<-start
				for range len(heads) + 1 {
					batch, err := st.ClaimOutbound(t.Context(), now, lease, 2)
					if err != nil || len(batch) == 0 {
						errs[w] = err
						return
					}
					got[w] = append(got[w], batch...)
				}
			})
		}
		close(start)
		wg.Wait()

		claimedBy := map[string]int{}
		for w := range workers {
			must(t, errs[w], fmt.Sprintf("claimer %d", w))
			for _, m := range got[w] {
				if other, dup := claimedBy[m.ID]; dup {
					t.Errorf("message %q claimed by claimers %d and %d", m.Text, other, w)
				}
				claimedBy[m.ID] = w
				want, ok := heads[m.ID]
				if !ok {
					t.Errorf("claimer %d got %q, not the head of its conversation", w, m.Text)
					continue
				}
				if !m.LeaseUntil.Equal(lease) || m.Text != want.Text || m.WorkspaceID != want.WorkspaceID {
					t.Errorf("claimer %d got %s", w, dump(m))
				}
			}
		}
		if len(claimedBy) != len(heads) {
			t.Errorf("claimed %d messages, want all %d heads", len(claimedBy), len(heads))
		}
		t.Logf("claimers got %d, %d, %d and %d", len(got[0]), len(got[1]), len(got[2]), len(got[3]))
		claim(t, st, now, lease, 100)
	})

	s.run(t, "ClaimersKeepConversationOrder", func(t *testing.T, st inbox.Store) {
		f := newOutboxFixture(t, st)
		now, lease := at(time.Hour), at(2*time.Hour)
		const convs, perConv, workers = 4, 3, 3
		// seq maps each message to its conversation and place in it.
		type place struct {
			conv string
			n    int
		}
		seq := map[string]place{}
		for i := range convs {
			c := f.conv(t, st, []string{f.ws, f.other}[i%2])
			for n := range perConv {
				m := reply(t, st, c, fmt.Sprintf("c%d-%d", i, n), inbox.DeliveryQueued, time.Time{})
				seq[m.ID] = place{c.ID, n}
			}
		}

		// Each claimer "sends" what it gets, then marks it sent. A message
		// must not be handed out twice, nor before the send of the one
		// before it in its conversation has started being recorded: when
		// the store hands out a message, the previous one's AdvanceDelivery
		// has taken effect, so it began before.
		var (
			mu        sync.Mutex
			advancing = map[string]int{} // conversation → highest place being marked sent
			claimed   = map[string]bool{}
			sent      int
			problems  []string
		)
		for _, p := range seq {
			advancing[p.conv] = -1
		}
		deadline := time.Now().Add(time.Minute)
		errs := make([]error, workers)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for w := range workers {
			wg.Go(func() {
				<-start
				for time.Now().Before(deadline) {
					mu.Lock()
					done := sent >= len(seq)
					mu.Unlock()
					if done {
						return
					}
					batch, err := st.ClaimOutbound(t.Context(), now, lease, 2)
					if err != nil {
						errs[w] = err
						return
					}
					for _, m := range batch {
						p := seq[m.ID]
						mu.Lock()
						if claimed[m.ID] {
							problems = append(problems, fmt.Sprintf("claimer %d got %q, claimed before", w, m.Text))
						}
						claimed[m.ID] = true
						if p.n > advancing[p.conv]+1 {
							problems = append(problems, fmt.Sprintf("claimer %d got %q before message %d of its conversation was sent",
								w, m.Text, advancing[p.conv]+1))
						}
						mu.Unlock()

						time.Sleep(time.Millisecond) // the provider call
						mu.Lock()
						advancing[p.conv] = max(advancing[p.conv], p.n)
						mu.Unlock()
						if _, err := st.AdvanceDelivery(t.Context(), m.WorkspaceID, m.ID, inbox.DeliverySent, "", ""); err != nil {
							errs[w] = err
							return
						}
						mu.Lock()
						sent++
						mu.Unlock()
					}
					if len(batch) == 0 {
						time.Sleep(time.Millisecond)
					}
				}
			})
		}
		close(start)
		wg.Wait()
		for w, err := range errs {
			must(t, err, fmt.Sprintf("claimer %d", w))
		}
		for _, p := range problems {
			t.Error(p)
		}
		if sent != len(seq) {
			t.Fatalf("sent %d messages, want each of the %d once", sent, len(seq))
		}
		claim(t, st, now, lease, 100)
	})
}
