package storetest

import (
	"fmt"
	"testing"
	"time"

	"hub/inbox"
)

// SeededHolds is what SeedHolds created: the holds due at base and the
// holds a release at base must leave alone.
type SeededHolds struct {
	WorkspaceID string
	Due         []string
	NotDue      []string
}

// SeedHolds creates a workspace and a channel through stores[0], then n
// pending conversations whose hold time is up to n minutes before base,
// ten held until a day after it and five held until the customer replies,
// the i-th through stores[i % len(stores)] (tests of several instances
// spread the writes as several hubs would).
func SeedHolds(t *testing.T, stores []inbox.Store, base time.Time, n int) SeededHolds {
	t.Helper()
	ctx := t.Context()
	w := &inbox.Workspace{ID: inbox.NewID(), Name: "Harbour Hotel", CreatedAt: base.Add(-30 * 24 * time.Hour)}
	if err := stores[0].CreateWorkspace(ctx, w); err != nil {
		t.Fatalf("CreateWorkspace: %v", err)
	}
	ch := &inbox.Channel{ID: inbox.NewID(), WorkspaceID: w.ID, Type: inbox.ChannelSMS, Name: "Front desk", CreatedAt: w.CreatedAt}
	if err := stores[0].CreateChannel(ctx, ch); err != nil {
		t.Fatalf("CreateChannel: %v", err)
	}
	out := SeededHolds{WorkspaceID: w.ID}
	mk := func(i int, until *time.Time, untilReply bool) string {
		created := base.Add(-48*time.Hour + time.Duration(i)*time.Second)
		c := &inbox.Conversation{
			ID:                inbox.NewID(),
			WorkspaceID:       w.ID,
			ChannelID:         ch.ID,
			ContactID:         inbox.NewID(),
			Status:            inbox.StatusPending,
			AssigneeID:        "agent-1",
			Participants:      []string{"agent-1"},
			SnoozedUntil:      until,
			SnoozedUntilReply: untilReply,
			ContactName:       fmt.Sprintf("Guest %d", i),
			ContactHandle:     fmt.Sprintf("+1555%07d", i),
			LastMessageText:   "Can I check out late?",
			LastMessageAt:     created.Add(time.Minute),
			CreatedAt:         created,
			UpdatedAt:         created.Add(2 * time.Minute),
		}
		if err := stores[i%len(stores)].CreateConversation(ctx, c); err != nil {
			t.Fatalf("CreateConversation %d: %v", i, err)
		}
		return c.ID
	}
	for i := range n {
		until := base.Add(-time.Duration(i) * time.Minute)
		out.Due = append(out.Due, mk(i, &until, false))
	}
	for i := range 10 {
		until := base.Add(24*time.Hour + time.Duration(i)*time.Minute)
		out.NotDue = append(out.NotDue, mk(n+i, &until, false))
	}
	for i := range 5 {
		out.NotDue = append(out.NotDue, mk(n+10+i, nil, true))
	}
	return out
}
