package storetest

import (
	"fmt"
	"sort"
	"testing"
	"time"

	"hub/inbox"
)

// eventsFixture is a workspace's events around a report range [from, to),
// with ties on At, ids that sort against time, and another workspace's
// events at the very same times.
type eventsFixture struct {
	ws, other string
	from, to  time.Time
	// in are the workspace's events inside [from, to), in (At, ID) order.
	in []inbox.Event
	// before, after are the workspace's events outside the range.
	before, after []inbox.Event
	// theirs are the other workspace's events, in (At, ID) order.
	theirs []inbox.Event
}

func newEventsFixture(t *testing.T, st inbox.Store) eventsFixture {
	t.Helper()
	w := newWorkspace(t, st, "Hotel")
	ow := newWorkspace(t, st, "Other")
	f := eventsFixture{ws: w.ID, other: ow.ID, from: at(0), to: at(2 * time.Minute)}

	// Offsets of the workspace's events: one just before from, one at
	// from, three sharing a time, one a millisecond later, three sharing
	// another time, one just before to, one at to, one after.
	offsets := []time.Duration{
		-time.Millisecond, 0,
		10 * time.Second, 10 * time.Second, 10 * time.Second, 10*time.Second + time.Millisecond,
		time.Minute, time.Minute, time.Minute,
		2*time.Minute - time.Millisecond, 2 * time.Minute, 3 * time.Minute,
	}
	// Later events get smaller ids, so neither the id alone nor the
	// insertion order gives the (At, ID) order.
	evIDs := sortedIDs(len(offsets))
	types := []inbox.EventType{inbox.EventCreated, inbox.EventAssigned, inbox.EventReplied, inbox.EventClosed}
	all := make([]inbox.Event, len(offsets))
	for i, d := range offsets {
		e := inbox.Event{
			ID:             evIDs[len(evIDs)-1-i],
			WorkspaceID:    w.ID,
			ConversationID: fmt.Sprintf("conv-%d", i%2),
			Type:           types[i%len(types)],
			Actor:          inbox.Author{Type: inbox.AuthorAgent, ID: "agent-1", Name: "Alice"},
			At:             at(d),
		}
		if e.Type == inbox.EventReplied {
			e.Data = map[string]string{"agentId": "agent-1", "waitMs": fmt.Sprint(1000 + i)}
		}
		if e.Type == inbox.EventClosed {
			e.From, e.To = inbox.StatusOpen, inbox.StatusClosed
		}
		all[i] = e
	}
	for _, i := range []int{7, 2, 11, 0, 4, 9, 1, 6, 10, 3, 8, 5} {
		must(t, st.AppendEvent(t.Context(), &all[i]), "AppendEvent")
	}
	f.before, f.in, f.after = all[:1], byTimeAndID(all[1:10]), all[10:]

	// The other workspace: at the same times, with ids between ours.
	for i, d := range []time.Duration{0, 10 * time.Second, 10 * time.Second, time.Minute} {
		e := inbox.Event{
			ID:             evIDs[i*3] + "x",
			WorkspaceID:    ow.ID,
			ConversationID: "their-conv",
			Type:           inbox.EventHandoff,
			Actor:          inbox.Author{Type: inbox.AuthorBot},
			At:             at(d),
		}
		must(t, st.AppendEvent(t.Context(), &e), "AppendEvent other workspace")
		f.theirs = append(f.theirs, e)
	}
	f.theirs = byTimeAndID(f.theirs)
	return f
}

// sortedIDs returns n new ids in increasing order.
func sortedIDs(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = inbox.NewID()
	}
	sort.Strings(out)
	return out
}

// byTimeAndID sorts events the way ListEventsBetween must return them.
func byTimeAndID(es []inbox.Event) []inbox.Event {
	out := append([]inbox.Event(nil), es...)
	sort.Slice(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.Before(out[j].At)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

func eventID(e inbox.Event) string { return e.ID }

// pageAll reads [from, to) page by page, each page resuming after the last
// event of the previous one, and checks the page sizes.
func pageAll(t *testing.T, st inbox.Store, ws string, from, to time.Time, limit int) []inbox.Event {
	t.Helper()
	var out []inbox.Event
	after := ""
	for range 100 {
		page, err := st.ListEventsBetween(t.Context(), ws, from, to, after, limit)
		must(t, err, fmt.Sprintf("ListEventsBetween after %q limit %d", after, limit))
		if len(page) > limit {
			t.Fatalf("limit %d: page of %d events", limit, len(page))
		}
		if len(page) == 0 {
			return out
		}
		out = append(out, page...)
		after = page[len(page)-1].ID
	}
	t.Fatalf("limit %d: still paging after 100 pages", limit)
	return nil
}

func testEventsBetween(t *testing.T, s suite) {
	s.run(t, "RangeBoundsAndOrder", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		f := newEventsFixture(t, st)
		got, err := st.ListEventsBetween(ctx, f.ws, f.from, f.to, "", 0)
		must(t, err, "ListEventsBetween")
		// From is inclusive and to exclusive; ties on At go by ID.
		sameIDs(t, "ListEventsBetween [from, to)", ids(got, eventID), ids(f.in, eventID))
		if len(got) == len(f.in) {
			for i := range got {
				same(t, "event", got[i], f.in[i], normEvent)
			}
		}

		// Stored times are whole milliseconds; bounds finer than that
		// still mean from <= At < to.
		half := 500 * time.Microsecond
		got, err = st.ListEventsBetween(ctx, f.ws, f.from.Add(-half), f.to.Add(-half), "", 0)
		must(t, err, "ListEventsBetween sub-millisecond bounds")
		sameIDs(t, "ListEventsBetween [from-0.5ms, to-0.5ms)", ids(got, eventID), ids(f.in, eventID))

		cases := []struct {
			name     string
			from, to time.Time
			want     []inbox.Event
		}{
			{"one millisecond of ties", at(10 * time.Second), at(10*time.Second + time.Millisecond), f.in[1:4]},
			{"everything", at(-time.Hour), at(time.Hour), byTimeAndID(append(append(append([]inbox.Event{}, f.before...), f.in...), f.after...))},
			{"empty range", f.from, f.from, nil},
			{"reversed range", f.to, f.from, nil},
			{"no events", at(time.Hour), at(2 * time.Hour), nil},
		}
		for _, tc := range cases {
			got, err := st.ListEventsBetween(ctx, f.ws, tc.from, tc.to, "", 0)
			must(t, err, "ListEventsBetween "+tc.name)
			sameIDs(t, "ListEventsBetween "+tc.name, ids(got, eventID), ids(tc.want, eventID))
		}
	})

	s.run(t, "PagesAfterID", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		f := newEventsFixture(t, st)
		// Page boundaries fall inside the runs of equal times too.
		for _, limit := range []int{1, 2, 3, 4, len(f.in), len(f.in) + 1} {
			got := pageAll(t, st, f.ws, f.from, f.to, limit)
			sameIDs(t, fmt.Sprintf("pages of %d", limit), ids(got, eventID), ids(f.in, eventID))
		}
		for i, e := range f.in {
			got, err := st.ListEventsBetween(ctx, f.ws, f.from, f.to, e.ID, 2)
			must(t, err, "ListEventsBetween after event")
			want := f.in[i+1 : min(i+3, len(f.in))]
			sameIDs(t, fmt.Sprintf("after event %d, limit 2", i), ids(got, eventID), ids(want, eventID))
		}

		// afterID only moves the start: an event before the range starts
		// at from, one after the range leaves nothing.
		got, err := st.ListEventsBetween(ctx, f.ws, f.from, f.to, f.before[0].ID, 0)
		must(t, err, "ListEventsBetween after an event before the range")
		sameIDs(t, "after an event before the range", ids(got, eventID), ids(f.in, eventID))
		got, err = st.ListEventsBetween(ctx, f.ws, f.from, f.to, f.after[0].ID, 0)
		must(t, err, "ListEventsBetween after an event after the range")
		sameIDs(t, "after an event after the range", ids(got, eventID), nil)

		// An afterID the workspace does not have is an error, never a
		// silent restart from the beginning.
		_, err = st.ListEventsBetween(ctx, f.ws, f.from, f.to, inbox.NewID(), 0)
		wantErr(t, err, inbox.ErrNotFound, "ListEventsBetween after an unknown event")
	})

	s.run(t, "DefaultLimit", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		const n = 1001
		want := sortedIDs(n)
		for i := range n {
			e := &inbox.Event{
				ID:             want[i],
				WorkspaceID:    w.ID,
				ConversationID: "conv-1",
				Type:           inbox.EventAssigned,
				Actor:          inbox.Author{Type: inbox.AuthorSystem},
				// Three events per millisecond.
				At: at(time.Duration(i/3) * time.Millisecond),
			}
			must(t, st.AppendEvent(ctx, e), "AppendEvent")
		}
		// Ids and times both grow with i: want is in (At, ID) order.
		got, err := st.ListEventsBetween(ctx, w.ID, at(0), at(time.Hour), "", 0)
		must(t, err, "ListEventsBetween limit 0")
		sameIDs(t, "limit 0 gives 1000", ids(got, eventID), want[:1000])
		got, err = st.ListEventsBetween(ctx, w.ID, at(0), at(time.Hour), want[999], 0)
		must(t, err, "ListEventsBetween second page")
		sameIDs(t, "second page", ids(got, eventID), want[1000:])
		got, err = st.ListEventsBetween(ctx, w.ID, at(0), at(time.Hour), want[10], 7)
		must(t, err, "ListEventsBetween limit 7")
		sameIDs(t, "limit 7", ids(got, eventID), want[11:18])
	})

	s.run(t, "WorkspaceScoping", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		f := newEventsFixture(t, st)
		got, err := st.ListEventsBetween(ctx, f.other, f.from, f.to, "", 0)
		must(t, err, "ListEventsBetween other workspace")
		sameIDs(t, "other workspace's events", ids(got, eventID), ids(f.theirs, eventID))
		for _, limit := range []int{1, 3} {
			got := pageAll(t, st, f.other, f.from, f.to, limit)
			sameIDs(t, fmt.Sprintf("other workspace's pages of %d", limit), ids(got, eventID), ids(f.theirs, eventID))
		}

		nobody := newWorkspace(t, st, "Empty")
		got, err = st.ListEventsBetween(ctx, nobody.ID, at(-time.Hour), at(time.Hour), "", 0)
		must(t, err, "ListEventsBetween workspace without events")
		sameIDs(t, "workspace without events", ids(got, eventID), nil)

		// Another workspace's event is no position to resume from.
		_, err = st.ListEventsBetween(ctx, f.ws, f.from, f.to, f.theirs[0].ID, 0)
		wantErr(t, err, inbox.ErrNotFound, "ListEventsBetween after another workspace's event")
		_, err = st.ListEventsBetween(ctx, f.other, f.from, f.to, f.in[0].ID, 0)
		wantErr(t, err, inbox.ErrNotFound, "ListEventsBetween after an event of the first workspace")
	})
}
