package storetest

import (
	"fmt"
	"testing"
	"time"

	"hub/inbox"
)

// queueFixture is a workspace with conversations in its queue, in two team
// queues, and around them every kind of conversation no queue may show:
// held, pending, closed, bot, spam, and another workspace's.
type queueFixture struct {
	ws, other string
	ch        *inbox.Channel
	convs     map[string]*inbox.Conversation
	contact   int
}

func newQueueFixture(t *testing.T, st inbox.Store) *queueFixture {
	t.Helper()
	w := newWorkspace(t, st, "Hotel")
	ow := newWorkspace(t, st, "Other")
	f := &queueFixture{ws: w.ID, other: ow.ID, ch: newChannel(t, st, w.ID, inbox.ChannelSMS), convs: map[string]*inbox.Conversation{}}
	och := newChannel(t, st, ow.ID, inbox.ChannelSMS)

	// Ids in creation order, handed out so that two conversations queued
	// at the same time are stored in the reverse of their id order.
	idFor := map[string]string{}
	for _, k := range []string{"tieLow", "tieHigh"} {
		idFor[k] = inbox.NewID()
	}
	type row struct {
		key, status, assignee, team string
		queued                      *time.Time
	}
	old := ptime(at(-time.Hour))
	rows := []row{
		{"late", "open", "", "", ptime(at(10 * time.Minute))},
		{"tieHigh", "open", "", "", ptime(at(5 * time.Minute))},
		{"tieLow", "open", "", "", ptime(at(5 * time.Minute))},
		{"never", "open", "", "", nil},
		{"first", "open", "", "", ptime(at(time.Minute + 3*time.Millisecond))},
		{"t1late", "open", "", "t1", ptime(at(2 * time.Minute))},
		{"t1early", "open", "", "t1", ptime(at(time.Minute))},
		{"t2", "open", "", "t2", ptime(at(3 * time.Minute))},
		// Leftover queue times must not put these in any queue.
		{"held", "open", "ag1", "", old},
		{"heldTeam", "open", "ag1", "t1", old},
		{"pending", "pending", "", "", old},
		{"closed", "closed", "", "t1", old},
		{"bot", "bot", "", "", old},
		{"spam", "spam", "", "", old},
	}
	for _, r := range rows {
		c := f.conv(r.status, r.assignee, r.team, r.queued)
		if id, ok := idFor[r.key]; ok {
			c.ID = id
		}
		f.convs[r.key] = createConv(t, st, c)
	}
	// The other workspace's conversation would head both queues.
	decoy := conv(ow.ID, och.ID, "contact-x")
	decoy.QueuedAt = old
	createConv(t, st, decoy)
	f.convs["decoy"] = decoy
	teamDecoy := conv(ow.ID, och.ID, "contact-y")
	teamDecoy.TeamID, teamDecoy.QueuedAt = "t1", old
	createConv(t, st, teamDecoy)
	return f
}

// conv returns an unsaved conversation of the fixture's workspace.
func (f *queueFixture) conv(status, assignee, team string, queued *time.Time) *inbox.Conversation {
	f.contact++
	c := conv(f.ws, f.ch.ID, fmt.Sprintf("contact-%d", f.contact))
	c.Status = inbox.Status(status)
	c.AssigneeID, c.TeamID, c.QueuedAt = assignee, team, queued
	return c
}

func (f *queueFixture) ids(keys ...string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = f.convs[k].ID
	}
	return out
}

func listQueue(t *testing.T, st inbox.Store, ws, team string, limit int) []string {
	t.Helper()
	got, err := st.ListQueue(t.Context(), ws, team, limit)
	must(t, err, fmt.Sprintf("ListQueue(%q, %d)", team, limit))
	return ids(got, convID)
}

func testQueue(t *testing.T, s suite) {
	s.run(t, "OrderAndMembership", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		f := newQueueFixture(t, st)
		// No queue time sorts first, as the oldest; equal times by id.
		wantWS := f.ids("never", "first", "tieLow", "tieHigh", "late")
		sameIDs(t, "workspace queue", listQueue(t, st, f.ws, "", 0), wantWS)
		sameIDs(t, "team t1 queue", listQueue(t, st, f.ws, "t1", 0), f.ids("t1early", "t1late"))
		sameIDs(t, "team t2 queue", listQueue(t, st, f.ws, "t2", 0), f.ids("t2"))
		sameIDs(t, "unknown team queue", listQueue(t, st, f.ws, "t9", 0), nil)
		sameIDs(t, "other workspace queue", listQueue(t, st, f.other, "", 0), f.ids("decoy"))

		// Whole conversations, as stored.
		got, err := st.ListQueue(ctx, f.ws, "", 0)
		must(t, err, "ListQueue")
		for i, k := range []string{"never", "first", "tieLow", "tieHigh", "late"} {
			if i < len(got) {
				same(t, "queued conversation "+k, got[i], *f.convs[k], normConv)
			}
		}

		// Taking one removes it; releasing it to a team moves it there,
		// at its new queue time.
		c := f.convs["first"]
		c.AssigneeID, c.QueuedAt = "ag2", nil
		must(t, st.UpdateConversation(ctx, c), "UpdateConversation take")
		sameIDs(t, "queue after take", listQueue(t, st, f.ws, "", 0), f.ids("never", "tieLow", "tieHigh", "late"))
		c.AssigneeID, c.TeamID, c.QueuedAt = "", "t1", ptime(at(90*time.Second))
		must(t, st.UpdateConversation(ctx, c), "UpdateConversation transfer to team")
		sameIDs(t, "team t1 queue after transfer", listQueue(t, st, f.ws, "t1", 0), f.ids("t1early", "first", "t1late"))
		sameIDs(t, "queue after transfer", listQueue(t, st, f.ws, "", 0), f.ids("never", "tieLow", "tieHigh", "late"))
		// Snoozing leaves the queue as well.
		n := f.convs["never"]
		n.Status = inbox.StatusPending
		must(t, st.UpdateConversation(ctx, n), "UpdateConversation snooze")
		sameIDs(t, "queue after snooze", listQueue(t, st, f.ws, "", 0), f.ids("tieLow", "tieHigh", "late"))
	})

	s.run(t, "Limit", func(t *testing.T, st inbox.Store) {
		f := newQueueFixture(t, st)
		sameIDs(t, "queue limit 2", listQueue(t, st, f.ws, "", 2), f.ids("never", "first"))
		sameIDs(t, "queue limit 3", listQueue(t, st, f.ws, "", 3), f.ids("never", "first", "tieLow"))
		sameIDs(t, "queue limit 1 of team", listQueue(t, st, f.ws, "t1", 1), f.ids("t1early"))

		// Zero means 100.
		var want []string
		for i := range 105 {
			c := createConv(t, st, f.conv("open", "", "t3", ptime(at(time.Duration(105-i)*time.Second))))
			want = append(want, c.ID)
		}
		// Created latest queued first, so the queue is the reverse.
		for i, j := 0, len(want)-1; i < j; i, j = i+1, j-1 {
			want[i], want[j] = want[j], want[i]
		}
		sameIDs(t, "queue with default limit", listQueue(t, st, f.ws, "t3", 0), want[:100])
		sameIDs(t, "queue with limit above its length", listQueue(t, st, f.ws, "t3", 200), want)
	})
}

func testCountAssigned(t *testing.T, s suite) {
	s.run(t, "PerAgentStatusAndWorkspace", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		f := newQueueFixture(t, st)
		och := newChannel(t, st, f.other, inbox.ChannelTelegram)
		add := func(ws, channelID, status, assignee string, n int) []*inbox.Conversation {
			var out []*inbox.Conversation
			for range n {
				f.contact++
				c := conv(ws, channelID, fmt.Sprintf("contact-%d", f.contact))
				c.Status, c.AssigneeID = inbox.Status(status), assignee
				out = append(out, createConv(t, st, c))
			}
			return out
		}
		// The fixture already has ag1 holding two open conversations.
		open1 := add(f.ws, f.ch.ID, "open", "ag1", 2)
		add(f.ws, f.ch.ID, "pending", "ag1", 2)
		add(f.ws, f.ch.ID, "closed", "ag1", 1)
		add(f.ws, f.ch.ID, "open", "ag2", 1)
		// The same agent id in another workspace is someone else.
		add(f.other, och.ID, "open", "ag1", 3)

		count := func(ws, agent string, status inbox.Status) int {
			t.Helper()
			n, err := st.CountAssigned(ctx, ws, agent, status)
			must(t, err, fmt.Sprintf("CountAssigned(%s, %s)", agent, status))
			return n
		}
		cases := []struct {
			ws, agent string
			status    inbox.Status
			want      int
		}{
			{f.ws, "ag1", inbox.StatusOpen, 4},
			{f.ws, "ag1", inbox.StatusPending, 2},
			{f.ws, "ag1", inbox.StatusClosed, 1},
			{f.ws, "ag1", inbox.StatusSpam, 0},
			{f.ws, "ag2", inbox.StatusOpen, 1},
			{f.ws, "ag2", inbox.StatusPending, 0},
			{f.ws, "ag9", inbox.StatusOpen, 0},
			{f.other, "ag1", inbox.StatusOpen, 3},
			{f.other, "ag1", inbox.StatusPending, 0},
			{f.other, "ag2", inbox.StatusOpen, 0},
		}
		for _, c := range cases {
			if got := count(c.ws, c.agent, c.status); got != c.want {
				ws := "workspace"
				if c.ws == f.other {
					ws = "other workspace"
				}
				t.Errorf("CountAssigned(%s, %s, %s) = %d, want %d", ws, c.agent, c.status, got, c.want)
			}
		}

		// A transfer moves one from ag1 to ag2; a close moves one of ag2's
		// out of the open count.
		moved := open1[0]
		moved.AssigneeID = "ag2"
		must(t, st.UpdateConversation(ctx, moved), "UpdateConversation transfer")
		closed := open1[1]
		closed.Status = inbox.StatusClosed
		must(t, st.UpdateConversation(ctx, closed), "UpdateConversation close")
		for _, c := range []struct {
			agent  string
			status inbox.Status
			want   int
		}{
			{"ag1", inbox.StatusOpen, 2},
			{"ag1", inbox.StatusClosed, 2},
			{"ag2", inbox.StatusOpen, 2},
		} {
			if got := count(f.ws, c.agent, c.status); got != c.want {
				t.Errorf("after transfer and close, CountAssigned(%s, %s) = %d, want %d", c.agent, c.status, got, c.want)
			}
		}
	})
}
