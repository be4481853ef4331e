package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"hub/inbox"
)

// holdFixture is a store with n due holds spread over two workspaces and a
// handful of conversations that must never be released.
type holdFixture struct {
	now time.Time
	// due maps each due conversation id to its workspace.
	due map[string]string
	// keep are conversations ReleaseDueHolds must not touch, as created.
	keep []*inbox.Conversation
	// optedOutWS is the workspace whose conversations are OptedOut.
	optedOutWS string
}

func newHoldFixture(t *testing.T, st inbox.Store, n int) holdFixture {
	t.Helper()
	f := holdFixture{now: at(24 * time.Hour), due: make(map[string]string, n)}
	var chans []*inbox.Channel
	for i := range 2 {
		w := newWorkspace(t, st, fmt.Sprintf("Hotel %d", i))
		chans = append(chans, newChannel(t, st, w.ID, inbox.ChannelSMS))
	}
	// Every conversation has a thread reference, bot buttons, a survey
	// window and spam counters; those of the second workspace are opted
	// out. Releases must keep all of them.
	f.optedOutWS = chans[1].WorkspaceID
	contact := 0
	mk := func(status inbox.Status, until *time.Time, untilReply bool) *inbox.Conversation {
		ch := chans[contact%2]
		c := conv(ch.WorkspaceID, ch.ID, fmt.Sprintf("contact-%d", contact))
		contact++
		c.Status = status
		c.AssigneeID = "agent-1"
		c.SnoozedUntil = until
		c.SnoozedUntilReply = untilReply
		c.ThreadRef = "ref-" + c.ContactID
		c.OptedOut = ch.WorkspaceID == f.optedOutWS
		f.setBotAndSpamState(c)
		return createConv(t, st, c)
	}
	for i := range n {
		// Due times spread over the past day, one exactly now: "<= now".
		until := f.now.Add(-time.Duration(i%1440) * time.Minute)
		c := mk(inbox.StatusPending, ptime(until), false)
		f.due[c.ID] = c.WorkspaceID
	}
	for i := range 20 {
		f.keep = append(f.keep, mk(inbox.StatusPending, ptime(f.now.Add(time.Duration(i+1)*time.Millisecond*997)), false))
	}
	for range 5 {
		f.keep = append(f.keep, mk(inbox.StatusPending, nil, true))
		f.keep = append(f.keep, mk(inbox.StatusOpen, nil, false))
		// Status decides, not a leftover snooze time.
		f.keep = append(f.keep, mk(inbox.StatusClosed, ptime(f.now.Add(-time.Hour)), false))
		f.keep = append(f.keep, mk(inbox.StatusOpen, ptime(f.now.Add(-time.Hour)), false))
	}
	return f
}

// checkReleased checks one conversation as ReleaseDueHolds returned it.
func (f holdFixture) checkReleased(t *testing.T, c inbox.Conversation) bool {
	t.Helper()
	ws, ok := f.due[c.ID]
	switch {
	case !ok:
		t.Errorf("released %s, which was not due: %s", c.ID, dump(c))
	case c.WorkspaceID != ws || c.Status != inbox.StatusOpen || c.SnoozedUntil != nil ||
		c.Version != 2 || !c.UpdatedAt.Equal(f.now) || c.AssigneeID != "agent-1" || c.ContactName == "" ||
		c.ThreadRef != "ref-"+c.ContactID || c.OptedOut != (c.WorkspaceID == f.optedOutWS) ||
		!f.keptBotAndSpamState(c):
		t.Errorf("released conversation as returned: %s; want open, no snooze, version 2, updated at %v, rest kept", dump(c), f.now)
	default:
		return true
	}
	return false
}

// setBotAndSpamState fills the fields the bot and the spam rules keep on
// a conversation, the last two hidden from the API but not from the store.
func (f holdFixture) setBotAndSpamState(c *inbox.Conversation) {
	c.LastButtons = []string{"Yes", "No"}
	c.SurveyUntil = ptime(f.now.Add(time.Hour))
	c.BotAnswered = true
	c.RecentInbound = recentInbound(3)
	c.RepeatText, c.RepeatCount = "hello", 2
	c.LastInboundID, c.BotTurnMessageID, c.GreetMessageID = "06gzv33900dh6t5xa9v3", "06gzv33900dh6t5xa9v0", "06gzv33900dh6t5xa9v1"
}

// keptBotAndSpamState reports whether c has what setBotAndSpamState set.
func (f holdFixture) keptBotAndSpamState(c inbox.Conversation) bool {
	var want inbox.Conversation
	f.setBotAndSpamState(&want)
	if len(c.RecentInbound) != len(want.RecentInbound) {
		return false
	}
	for i, x := range want.RecentInbound {
		if !c.RecentInbound[i].Equal(x) {
			return false
		}
	}
	return slices.Equal(c.LastButtons, want.LastButtons) && c.SurveyUntil != nil &&
		c.SurveyUntil.Equal(*want.SurveyUntil) && c.BotAnswered &&
		c.RepeatText == want.RepeatText && c.RepeatCount == want.RepeatCount &&
		c.LastInboundID == want.LastInboundID && c.BotTurnMessageID == want.BotTurnMessageID &&
		c.GreetMessageID == want.GreetMessageID
}

// checkAfter checks the stored state once every due hold was released.
func (f holdFixture) checkAfter(t *testing.T, st inbox.Store, returned map[string]inbox.Conversation) {
	t.Helper()
	ctx := t.Context()
	checked := 0
	for id, c := range returned {
		if checked == 50 {
			break
		}
		checked++
		got, err := st.GetConversation(ctx, c.WorkspaceID, id)
		must(t, err, "GetConversation released")
		same(t, "released conversation as stored vs as returned", *got, c, normConv)
	}
	for _, want := range f.keep {
		got, err := st.GetConversation(ctx, want.WorkspaceID, want.ID)
		must(t, err, "GetConversation kept")
		same(t, "conversation that was not due", *got, *want, normConv)
	}
	more, err := st.ReleaseDueHolds(ctx, f.now, 500)
	must(t, err, "ReleaseDueHolds when none are due")
	if len(more) != 0 {
		t.Errorf("ReleaseDueHolds released %d more after the batches were exhausted", len(more))
	}
}

func testHolds(t *testing.T, s suite) {
	s.run(t, "NothingDue", func(t *testing.T, st inbox.Store) {
		w := newWorkspace(t, st, "Hotel")
		ch := newChannel(t, st, w.ID, inbox.ChannelSMS)
		c := conv(w.ID, ch.ID, "contact-1")
		c.Status = inbox.StatusPending
		c.SnoozedUntil = ptime(at(time.Hour))
		createConv(t, st, c)
		got, err := st.ReleaseDueHolds(t.Context(), at(time.Hour-time.Millisecond), 10)
		must(t, err, "ReleaseDueHolds")
		if len(got) != 0 {
			t.Errorf("released %s before its time", dump(got))
		}
		got, err = st.ReleaseDueHolds(t.Context(), at(time.Hour), 10)
		must(t, err, "ReleaseDueHolds at the due time")
		if len(got) != 1 || got[0].ID != c.ID {
			t.Errorf("at the due time released %s, want %s", dump(got), c.ID)
		}
	})

	s.run(t, "ReleasesEveryDueHoldInBatches", func(t *testing.T, st inbox.Store) {
		n := s.opts.Holds
		f := newHoldFixture(t, st, n)
		const limit = 500
		returned := make(map[string]inbox.Conversation, n)
		start := time.Now()
		for calls := 0; ; calls++ {
			if calls > n/limit+5 {
				t.Fatalf("still releasing after %d calls", calls)
			}
			got, err := st.ReleaseDueHolds(t.Context(), f.now, limit)
			must(t, err, "ReleaseDueHolds")
			if len(got) > limit {
				t.Fatalf("batch of %d, limit %d", len(got), limit)
			}
			if len(got) == 0 {
				break
			}
			for _, c := range got {
				if _, dup := returned[c.ID]; dup {
					t.Fatalf("conversation %s released twice", c.ID)
				}
				if !f.checkReleased(t, c) {
					t.FailNow()
				}
				returned[c.ID] = c
			}
		}
		t.Logf("released %d holds in %v", len(returned), time.Since(start))
		if len(returned) != n {
			t.Fatalf("released %d conversations, want all %d due ones", len(returned), n)
		}
		f.checkAfter(t, st, returned)
	})

	s.run(t, "ConcurrentReleasersNeverShare", func(t *testing.T, st inbox.Store) {
		n := s.opts.Holds
		f := newHoldFixture(t, st, n)
		const workers = 2
		got := make([][]inbox.Conversation, workers)
		errs := make([]error, workers)
		var wg sync.WaitGroup
		begin := make(chan struct{})
		for i := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-begin
				for range n {
					batch, err := st.ReleaseDueHolds(t.Context(), f.now, 100)
					if err != nil {
						errs[i] = err
						return
					}
					if len(batch) == 0 {
						return
					}
					got[i] = append(got[i], batch...)
				}
			}()
		}
		close(begin)
		wg.Wait()

		returned := make(map[string]inbox.Conversation, n)
		for i := range workers {
			must(t, errs[i], fmt.Sprintf("worker %d ReleaseDueHolds", i))
			for _, c := range got[i] {
				if _, dup := returned[c.ID]; dup {
					t.Fatalf("conversation %s returned twice (worker %d)", c.ID, i)
				}
				if !f.checkReleased(t, c) {
					t.FailNow()
				}
				returned[c.ID] = c
			}
		}
		t.Logf("workers released %d and %d", len(got[0]), len(got[1]))
		if len(returned) != n {
			t.Fatalf("released %d conversations, want all %d due ones", len(returned), n)
		}
		f.checkAfter(t, st, returned)
	})
}
