package storetest

import (
	"fmt"
	"testing"
	"time"

	"hub/inbox"
)

// checkCounts compares CountByStatus with want; a status missing from
// the result counts as 0.
func checkCounts(t *testing.T, st inbox.Store, what, workspaceID string, want map[inbox.Status]int) {
	t.Helper()
	got, err := st.CountByStatus(t.Context(), workspaceID)
	must(t, err, what+": CountByStatus")
	for s, n := range got {
		if !s.Valid() {
			t.Errorf("%s: unknown status %q in %v", what, s, got)
		}
		if n < 0 {
			t.Errorf("%s: negative count %d for %s", what, n, s)
		}
	}
	for _, s := range []inbox.Status{inbox.StatusBot, inbox.StatusOpen, inbox.StatusPending, inbox.StatusClosed, inbox.StatusSpam} {
		if got[s] != want[s] {
			t.Errorf("%s: %s = %d, want %d (got %v)", what, s, got[s], want[s], got)
		}
	}
}

func testCountByStatus(t *testing.T, s suite) {
	s.run(t, "PerStatus", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		ow := newWorkspace(t, st, "Other")
		ch := newChannel(t, st, w.ID, inbox.ChannelSMS)
		och := newChannel(t, st, ow.ID, inbox.ChannelSMS)

		checkCounts(t, st, "before any conversation", w.ID, nil)
		want := map[inbox.Status]int{
			inbox.StatusBot: 1, inbox.StatusOpen: 3, inbox.StatusPending: 2, inbox.StatusClosed: 4,
		}
		var convs []*inbox.Conversation
		n := 0
		for _, status := range []inbox.Status{inbox.StatusBot, inbox.StatusOpen, inbox.StatusPending, inbox.StatusClosed} {
			for range want[status] {
				c := conv(w.ID, ch.ID, fmt.Sprintf("c%d", n))
				c.Status = status
				c.LastMessageAt = at(time.Duration(n) * time.Second)
				if status == inbox.StatusClosed {
					c.ClosedAt = ptime(at(time.Hour))
				}
				convs = append(convs, createConv(t, st, c))
				n++
			}
		}
		// Another workspace's conversations, in every status, count there only.
		otherWant := map[inbox.Status]int{}
		for i, status := range []inbox.Status{inbox.StatusOpen, inbox.StatusOpen, inbox.StatusSpam, inbox.StatusBot} {
			c := conv(ow.ID, och.ID, fmt.Sprintf("o%d", i))
			c.Status = status
			createConv(t, st, c)
			otherWant[status]++
		}
		checkCounts(t, st, "workspace", w.ID, want)
		checkCounts(t, st, "other workspace", ow.ID, otherWant)

		// The counts follow status changes.
		open := convs[1]
		open.Status = inbox.StatusSpam
		must(t, st.UpdateConversation(ctx, open), "UpdateConversation to spam")
		want[inbox.StatusOpen]--
		want[inbox.StatusSpam]++
		closed := convs[len(convs)-1]
		closed.Status = inbox.StatusOpen
		closed.ClosedAt = nil
		must(t, st.UpdateConversation(ctx, closed), "UpdateConversation reopen")
		want[inbox.StatusClosed]--
		want[inbox.StatusOpen]++
		checkCounts(t, st, "workspace after status changes", w.ID, want)
		checkCounts(t, st, "other workspace after status changes", ow.ID, otherWant)
	})

	s.run(t, "EmptyWorkspace", func(t *testing.T, st inbox.Store) {
		w := newWorkspace(t, st, "Quiet")
		ow := newWorkspace(t, st, "Busy")
		ch := newChannel(t, st, ow.ID, inbox.ChannelWebchat)
		createConv(t, st, conv(ow.ID, ch.ID, "v1"))
		checkCounts(t, st, "empty workspace", w.ID, nil)
		checkCounts(t, st, "unknown workspace", inbox.NewID(), nil)
		checkCounts(t, st, "busy workspace", ow.ID, map[inbox.Status]int{inbox.StatusOpen: 1})
	})
}
