package storetest

import (
	"fmt"
	"testing"
	"time"

	"hub/inbox"
)

func chatMsg(workspaceID, room, id, text string, created time.Time) *inbox.ChatMessage {
	return &inbox.ChatMessage{
		ID:          id,
		WorkspaceID: workspaceID,
		Room:        room,
		AuthorID:    "agent-1",
		AuthorName:  "Alice Ærø",
		Text:        text,
		CreatedAt:   created,
	}
}

func listChat(t *testing.T, st inbox.Store, ws, room, after string, limit int) []inbox.ChatMessage {
	t.Helper()
	got, err := st.ListChatMessages(t.Context(), ws, room, after, limit)
	must(t, err, fmt.Sprintf("ListChatMessages(%s, %q, %d)", room, after, limit))
	return got
}

func testChatMessages(t *testing.T, s suite) {
	s.run(t, "RoomsPagingAndScoping", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		ow := newWorkspace(t, st, "Other")
		const team, dm = "team:t1", "dm:agent-1:agent-2"
		// Ids made first, messages stored in another order: the list is
		// in id order, not in the order of arrival at the store.
		var teamIDs, dmIDs []string
		for range 5 {
			teamIDs = append(teamIDs, inbox.NewID())
		}
		for range 2 {
			dmIDs = append(dmIDs, inbox.NewID())
		}
		byID := map[string]*inbox.ChatMessage{}
		for _, i := range []int{3, 0, 4, 1, 2} {
			m := chatMsg(w.ID, team, teamIDs[i], fmt.Sprintf("team message %d: 50%% \"done\" <ok>", i), at(time.Duration(i)*time.Second+time.Millisecond))
			must(t, st.AddChatMessage(ctx, m), "AddChatMessage team")
			byID[m.ID] = m
		}
		for i, id := range dmIDs {
			m := chatMsg(w.ID, dm, id, fmt.Sprintf("dm %d", i), at(time.Minute))
			m.AuthorID, m.AuthorName = "agent-2", "Bob"
			must(t, st.AddChatMessage(ctx, m), "AddChatMessage dm")
			byID[m.ID] = m
		}
		// The other workspace's room of the same name.
		decoy := chatMsg(ow.ID, team, inbox.NewID(), "other", at(0))
		must(t, st.AddChatMessage(ctx, decoy), "AddChatMessage other workspace")

		got := listChat(t, st, w.ID, team, "", 0)
		sameIDs(t, "team room", ids(got, chatID), teamIDs)
		for _, m := range got {
			same(t, "chat message", m, *byID[m.ID], normChat)
		}
		sameIDs(t, "dm room", ids(listChat(t, st, w.ID, dm, "", 0), chatID), dmIDs)
		sameIDs(t, "other workspace's room", ids(listChat(t, st, ow.ID, team, "", 0), chatID), []string{decoy.ID})
		sameIDs(t, "unknown room", ids(listChat(t, st, w.ID, "team:t9", "", 0), chatID), nil)
		sameIDs(t, "room of the other workspace's id", ids(listChat(t, st, ow.ID, dm, "", 0), chatID), nil)

		// Paging by the last id seen.
		var paged []string
		after := ""
		for range 10 {
			page := listChat(t, st, w.ID, team, after, 2)
			if len(page) > 2 {
				t.Fatalf("page of %d messages, limit 2", len(page))
			}
			if len(page) == 0 {
				break
			}
			paged = append(paged, ids(page, chatID)...)
			after = page[len(page)-1].ID
		}
		sameIDs(t, "team room paged by 2", paged, teamIDs)
		sameIDs(t, "after the third", ids(listChat(t, st, w.ID, team, teamIDs[2], 0), chatID), teamIDs[3:])
		sameIDs(t, "after the last", ids(listChat(t, st, w.ID, team, teamIDs[4], 0), chatID), nil)
		// An id of another room still bounds by id order.
		sameIDs(t, "after a dm id", ids(listChat(t, st, w.ID, team, dmIDs[0], 0), chatID), nil)
	})

	s.run(t, "DefaultsAndLimit", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		const room = "team:t1"
		// The store gives a message without id and time both.
		m := chatMsg(w.ID, room, "", "no id yet", time.Time{})
		before := time.Now()
		must(t, st.AddChatMessage(ctx, m), "AddChatMessage without id")
		if m.ID == "" || m.CreatedAt.IsZero() {
			t.Fatalf("AddChatMessage left id %q, time %v", m.ID, m.CreatedAt)
		}
		if d := m.CreatedAt.Sub(before); d < -time.Second || d > time.Minute {
			t.Errorf("AddChatMessage gave time %v, %v from now", m.CreatedAt, d)
		}
		got := listChat(t, st, w.ID, room, "", 0)
		if len(got) != 1 || got[0].ID != m.ID || got[0].Text != m.Text ||
			got[0].CreatedAt.Sub(m.CreatedAt).Abs() >= time.Millisecond {
			t.Fatalf("listed %s, want %s", dump(got), dump(*m))
		}

		// Zero means 200.
		want := []string{m.ID}
		for i := range 204 {
			x := chatMsg(w.ID, room, inbox.NewID(), fmt.Sprint(i), at(time.Duration(i)*time.Millisecond))
			must(t, st.AddChatMessage(ctx, x), "AddChatMessage")
			want = append(want, x.ID)
		}
		sameIDs(t, "room with default limit", ids(listChat(t, st, w.ID, room, "", 0), chatID), want[:200])
		sameIDs(t, "room with limit above its length", ids(listChat(t, st, w.ID, room, "", 500), chatID), want)
		sameIDs(t, "room with limit 3 after the first", ids(listChat(t, st, w.ID, room, m.ID, 3), chatID), want[1:4])
	})
}
