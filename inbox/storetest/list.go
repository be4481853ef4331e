package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"hub/inbox"
)

// listFixture is a small inbox with every filter dimension covered, plus a
// second workspace whose conversation matches every filter and so must
// never show up.
type listFixture struct {
	ws    string
	convs map[string]*inbox.Conversation
	all   []inbox.Conversation
}

func newListFixture(t *testing.T, st inbox.Store) listFixture {
	t.Helper()
	w := newWorkspace(t, st, "Hotel")
	ow := newWorkspace(t, st, "Other")
	ch := newChannel(t, st, w.ID, inbox.ChannelSMS)
	och := newChannel(t, st, ow.ID, inbox.ChannelSMS)

	type row struct {
		key, status, assignee, team, name, handle, text string
		last                                            time.Duration
	}
	// c2, c3 and c7 share a LastMessageAt so the ID tie-break matters.
	rows := []row{
		{"c1", "open", "ag1", "t1", "Alice Martin", "+33611111111", "Need a late checkout", 10 * time.Minute},
		{"c2", "open", "", "", "Bob", "bob_tg", "Hello?", 20 * time.Minute},
		{"c3", "pending", "ag2", "t1", "Carla", "carla@example.com", "Is breakfast included", 20 * time.Minute},
		{"c4", "closed", "ag1", "t2", "Dmitri", "+447000000", "thanks, 50% off was great", 5 * time.Minute},
		{"c5", "spam", "", "", "Win money", "spam1", "CLICK here", 30 * time.Minute},
		{"c6", "bot", "", "", "Eve", "visitor-1", "is there a bar by the pool", 15 * time.Minute},
		{"c7", "open", "ag2", "t2", "frank", "a.b", "room service", 20 * time.Minute},
	}
	f := listFixture{ws: w.ID, convs: map[string]*inbox.Conversation{}}
	for i, r := range rows {
		c := conv(w.ID, ch.ID, fmt.Sprintf("contact-%d", i))
		c.Status = inbox.Status(r.status)
		c.AssigneeID, c.TeamID = r.assignee, r.team
		c.ContactName, c.ContactHandle, c.LastMessageText = r.name, r.handle, r.text
		c.LastMessageAt = at(r.last)
		// Fields no filter looks at still come back in list rows.
		c.ThreadRef = map[string]string{"c1": "ota-77", "c4": "ota-78"}[r.key]
		c.OptedOut = r.key == "c4" || r.key == "c6"
		switch r.key {
		case "c4":
			c.SurveyUntil = ptime(at(time.Hour + 7*time.Millisecond))
		case "c5":
			c.RecentInbound = recentInbound(20)
			c.RepeatText, c.RepeatCount = "click here", 5
		case "c6":
			c.LastButtons = []string{"Pool hours", "Bar menu"}
			c.BotAnswered = true
		}
		createConv(t, st, c)
		f.convs[r.key] = c
		f.all = append(f.all, *c)
	}
	f.all = byActivity(f.all)

	decoy := conv(ow.ID, och.ID, "contact-x")
	decoy.AssigneeID, decoy.TeamID = "ag1", "t1"
	decoy.ContactName, decoy.ContactHandle = "Alice Martin", "bob_tg a.b 50%"
	decoy.LastMessageText = "Need a late checkout, breakfast"
	decoy.LastMessageAt = at(time.Hour)
	createConv(t, st, decoy)
	return f
}

// want returns the fixture's conversations with the given keys in list
// order.
func (f listFixture) want(keys ...string) []string {
	in := map[string]bool{}
	for _, k := range keys {
		in[f.convs[k].ID] = true
	}
	var out []string
	for _, c := range f.all {
		if in[c.ID] {
			out = append(out, c.ID)
		}
	}
	return out
}

// collect pages through a filter and checks each page and cursor.
func collect(t *testing.T, st inbox.Store, f inbox.ConversationFilter) (pages [][]inbox.Conversation) {
	t.Helper()
	for range 100 {
		page, next, err := st.ListConversations(t.Context(), f)
		must(t, err, "ListConversations")
		limit := f.Limit
		if limit == 0 {
			limit = 50
		}
		if len(page) > limit {
			t.Fatalf("page of %d items, limit %d", len(page), limit)
		}
		pages = append(pages, page)
		if next == "" {
			return pages
		}
		if len(page) == 0 {
			t.Fatalf("empty page with next cursor %q", next)
		}
		// Cursors are the ones inbox.EncodeCursor makes, so callers can
		// rebuild one from the last row they show.
		cur, err := inbox.DecodeCursor(next)
		must(t, err, "DecodeCursor(next)")
		last := page[len(page)-1]
		if cur.ID != last.ID || !cur.LastMessageAt.Equal(last.LastMessageAt) {
			t.Errorf("next cursor points at %s %v, want the page's last row %s %v",
				cur.ID, cur.LastMessageAt, last.ID, last.LastMessageAt)
		}
		f.Cursor = next
	}
	t.Fatal("ListConversations never returned an empty next cursor")
	return nil
}

func flatten(pages [][]inbox.Conversation) []string {
	var out []string
	for _, p := range pages {
		out = append(out, ids(p, convID)...)
	}
	return out
}

func testListConversations(t *testing.T, s suite) {
	s.run(t, "Filters", func(t *testing.T, st inbox.Store) {
		f := newListFixture(t, st)
		cases := []struct {
			name string
			flt  inbox.ConversationFilter
			want []string
		}{
			{"all", inbox.ConversationFilter{}, f.want("c1", "c2", "c3", "c4", "c5", "c6", "c7")},
			{"open", inbox.ConversationFilter{Statuses: []inbox.Status{inbox.StatusOpen}}, f.want("c1", "c2", "c7")},
			{"open+pending", inbox.ConversationFilter{Statuses: []inbox.Status{inbox.StatusOpen, inbox.StatusPending}}, f.want("c1", "c2", "c3", "c7")},
			{"bot", inbox.ConversationFilter{Statuses: []inbox.Status{inbox.StatusBot}}, f.want("c6")},
			{"spam", inbox.ConversationFilter{Statuses: []inbox.Status{inbox.StatusSpam}}, f.want("c5")},
			{"unassigned", inbox.ConversationFilter{AssigneeID: inbox.Unassigned}, f.want("c2", "c5", "c6")},
			{"assignee", inbox.ConversationFilter{AssigneeID: "ag1"}, f.want("c1", "c4")},
			{"unknown assignee", inbox.ConversationFilter{AssigneeID: "nobody"}, nil},
			{"team", inbox.ConversationFilter{TeamID: "t1"}, f.want("c1", "c3")},
			{"open unassigned", inbox.ConversationFilter{Statuses: []inbox.Status{inbox.StatusOpen}, AssigneeID: inbox.Unassigned}, f.want("c2")},
			{"open ag2 t2", inbox.ConversationFilter{Statuses: []inbox.Status{inbox.StatusOpen}, AssigneeID: "ag2", TeamID: "t2"}, f.want("c7")},
			{"query name", inbox.ConversationFilter{Query: "aLiCe"}, f.want("c1")},
			{"query handle", inbox.ConversationFilter{Query: "BOB_TG"}, f.want("c2")},
			{"query text", inbox.ConversationFilter{Query: "BREAKFAST"}, f.want("c3")},
			{"query substring", inbox.ConversationFilter{Query: "heck"}, f.want("c1")},
			// Query is literal text: no LIKE wildcards, no regular expressions.
			{"query percent", inbox.ConversationFilter{Query: "%"}, f.want("c4")},
			{"query underscore", inbox.ConversationFilter{Query: "_"}, f.want("c2")},
			{"query dot", inbox.ConversationFilter{Query: "a.b"}, f.want("c7")},
			{"query plus", inbox.ConversationFilter{Query: "+44"}, f.want("c4")},
			{"query question", inbox.ConversationFilter{Query: "o?"}, f.want("c2")},
			{"query with status", inbox.ConversationFilter{Statuses: []inbox.Status{inbox.StatusClosed}, Query: "e"}, f.want("c4")},
			{"query no match", inbox.ConversationFilter{Query: "zzz"}, nil},
		}
		for _, tc := range cases {
			tc.flt.WorkspaceID = f.ws
			page, next, err := st.ListConversations(t.Context(), tc.flt)
			if err != nil {
				t.Errorf("%s: ListConversations: %v", tc.name, err)
				continue
			}
			if next != "" {
				t.Errorf("%s: next = %q on a single page", tc.name, next)
			}
			sameIDs(t, tc.name, ids(page, convID), tc.want)
		}

		page, _, err := st.ListConversations(t.Context(), inbox.ConversationFilter{WorkspaceID: f.ws})
		must(t, err, "ListConversations")
		for _, c := range page {
			same(t, "listed conversation", c, *f.convs[keyOf(f, c.ID)], normConv)
		}
	})

	s.run(t, "Pagination", func(t *testing.T, st inbox.Store) {
		f := newListFixture(t, st)
		all := f.want("c1", "c2", "c3", "c4", "c5", "c6", "c7")

		pages := collect(t, st, inbox.ConversationFilter{WorkspaceID: f.ws, Limit: 3})
		if len(pages) != 3 || len(pages[0]) != 3 || len(pages[1]) != 3 || len(pages[2]) != 1 {
			t.Errorf("page sizes with limit 3: %v, want [3 3 1]", pageSizes(pages))
		}
		sameIDs(t, "pages concatenated", flatten(pages), all)

		// A page that ends exactly at the last row has no next page.
		pages = collect(t, st, inbox.ConversationFilter{WorkspaceID: f.ws, Limit: 7})
		if len(pages) != 1 {
			t.Errorf("limit equal to the total gave %d pages, want 1", len(pages))
		}
		pages = collect(t, st, inbox.ConversationFilter{WorkspaceID: f.ws, Limit: 1})
		if len(pages) != 7 {
			t.Errorf("limit 1 gave %d pages, want 7", len(pages))
		}
		sameIDs(t, "pages of one", flatten(pages), all)

		open := inbox.ConversationFilter{WorkspaceID: f.ws, Statuses: []inbox.Status{inbox.StatusOpen}, Limit: 2}
		pages = collect(t, st, open)
		sameIDs(t, "filtered pages", flatten(pages), f.want("c1", "c2", "c7"))
		if len(pages) != 2 {
			t.Errorf("filtered pages: %v, want [2 1]", pageSizes(pages))
		}

		// A cursor rebuilt from any row resumes right after it, including
		// in the middle of rows sharing a LastMessageAt.
		for i := range f.all {
			cur := inbox.EncodeCursor(&f.all[i])
			page, _, err := st.ListConversations(t.Context(), inbox.ConversationFilter{WorkspaceID: f.ws, Cursor: cur})
			must(t, err, "ListConversations from rebuilt cursor")
			sameIDs(t, fmt.Sprintf("after row %d", i), ids(page, convID), all[i+1:])
		}

		_, _, err := st.ListConversations(t.Context(), inbox.ConversationFilter{WorkspaceID: f.ws, Cursor: "%%% not a cursor"})
		var inv *inbox.InvalidError
		if !errors.As(err, &inv) {
			t.Errorf("malformed cursor: err = %v, want an *inbox.InvalidError", err)
		}
	})

	s.run(t, "DefaultLimit", func(t *testing.T, st inbox.Store) {
		w := newWorkspace(t, st, "Hotel")
		ch := newChannel(t, st, w.ID, inbox.ChannelWebchat)
		var made []inbox.Conversation
		for i := range 55 {
			c := conv(w.ID, ch.ID, fmt.Sprintf("contact-%d", i))
			c.LastMessageAt = at(time.Duration(i%9) * time.Second)
			made = append(made, *createConv(t, st, c))
		}
		pages := collect(t, st, inbox.ConversationFilter{WorkspaceID: w.ID})
		if len(pages) != 2 || len(pages[0]) != 50 || len(pages[1]) != 5 {
			t.Errorf("page sizes with the default limit: %v, want [50 5]", pageSizes(pages))
		}
		sameIDs(t, "default-limit pages", flatten(pages), ids(byActivity(made), convID))
	})
}

func keyOf(f listFixture, id string) string {
	for k, c := range f.convs {
		if c.ID == id {
			return k
		}
	}
	return ""
}

func pageSizes(pages [][]inbox.Conversation) []int {
	out := make([]int, len(pages))
	for i, p := range pages {
		out[i] = len(p)
	}
	return out
}
