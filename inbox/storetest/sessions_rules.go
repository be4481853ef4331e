package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"hub/inbox"
)

func testEvents(t *testing.T, s suite) {
	s.run(t, "AppendAndListInOrder", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		ow := newWorkspace(t, st, "Other")
		ch := newChannel(t, st, w.ID, inbox.ChannelSMS)
		c := createConv(t, st, conv(w.ID, ch.ID, "contact-1"))
		c2 := createConv(t, st, conv(w.ID, ch.ID, "contact-2"))

		ev := func(conversationID string, typ inbox.EventType, when time.Duration) *inbox.Event {
			return &inbox.Event{
				ID:             inbox.NewID(),
				WorkspaceID:    w.ID,
				ConversationID: conversationID,
				Type:           typ,
				Actor:          inbox.Author{Type: inbox.AuthorAgent, ID: "agent-1", Name: "Alice"},
				At:             at(when),
			}
		}
		created := ev(c.ID, inbox.EventCreated, 0)
		created.Actor = inbox.Author{Type: inbox.AuthorContact, ID: "contact-1"}
		created.To = inbox.StatusBot
		handoff := ev(c.ID, inbox.EventHandoff, time.Minute)
		handoff.Actor = inbox.Author{Type: inbox.AuthorBot}
		handoff.From, handoff.To = inbox.StatusBot, inbox.StatusOpen
		handoff.Data = map[string]string{"teamId": "team-1", "reason": "asked for a person"}
		assigned := ev(c.ID, inbox.EventAssigned, 2*time.Minute)
		closed := ev(c.ID, inbox.EventClosed, 3*time.Minute)
		closed.From, closed.To = inbox.StatusOpen, inbox.StatusClosed
		noise := ev(c2.ID, inbox.EventCreated, 90*time.Second)

		// Appended out of order; the list is chronological.
		for _, e := range []*inbox.Event{assigned, created, noise, closed, handoff} {
			must(t, st.AppendEvent(ctx, e), "AppendEvent "+string(e.Type))
		}
		got, err := st.ListEvents(ctx, w.ID, c.ID)
		must(t, err, "ListEvents")
		want := []*inbox.Event{created, handoff, assigned, closed}
		if len(got) != len(want) {
			t.Fatalf("ListEvents: %d events, want %d: %s", len(got), len(want), dump(got))
		}
		for i := range want {
			same(t, "event", got[i], *want[i], normEvent)
		}

		list, err := st.ListEvents(ctx, ow.ID, c.ID)
		must(t, err, "ListEvents other workspace")
		if len(list) != 0 {
			t.Errorf("ListEvents of other workspace returned %s", dump(list))
		}
		list, err = st.ListEvents(ctx, w.ID, inbox.NewID())
		must(t, err, "ListEvents unknown conversation")
		if len(list) != 0 {
			t.Errorf("ListEvents of unknown conversation returned %s", dump(list))
		}
	})

	s.run(t, "AppendManyAtOnce", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		ch := newChannel(t, st, w.ID, inbox.ChannelSMS)
		c := createConv(t, st, conv(w.ID, ch.ID, "contact-1"))
		must(t, st.AppendEvents(ctx, nil), "AppendEvents of none")

		// More events than one SQL statement takes; the store fills in
		// missing ids.
		const n = 450
		events := make([]*inbox.Event, n)
		for i := range events {
			events[i] = &inbox.Event{
				WorkspaceID: w.ID, ConversationID: c.ID, Type: inbox.EventUnsnoozed,
				Actor: inbox.Author{Type: inbox.AuthorSystem}, From: inbox.StatusPending, To: inbox.StatusOpen,
				Data: map[string]string{"by": "timer", "i": fmt.Sprint(i)},
				At:   at(time.Duration(i) * time.Millisecond),
			}
		}
		must(t, st.AppendEvents(ctx, events), "AppendEvents")
		got, err := st.ListEvents(ctx, w.ID, c.ID)
		must(t, err, "ListEvents")
		if len(got) != n {
			t.Fatalf("ListEvents: %d events, want %d", len(got), n)
		}
		for i := range got {
			if events[i].ID == "" {
				t.Fatalf("event %d got no id", i)
			}
			same(t, "event", got[i], *events[i], normEvent)
		}
	})
}

func testSessions(t *testing.T, s suite) {
	s.run(t, "CreateGetDelete", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		live := &inbox.Session{TokenHash: "sha256:live", AgentID: "agent-1", WorkspaceID: w.ID, CreatedAt: at(0), ExpiresAt: at(12 * time.Hour)}
		// The store hands out expired sessions too; expiry is the
		// caller's decision, made with its clock.
		expired := &inbox.Session{TokenHash: "sha256:old", AgentID: "agent-2", WorkspaceID: w.ID, CreatedAt: at(-48 * time.Hour), ExpiresAt: at(-36 * time.Hour)}
		for _, x := range []*inbox.Session{live, expired} {
			must(t, st.CreateSession(ctx, x), "CreateSession")
			got, err := st.GetSession(ctx, x.TokenHash)
			must(t, err, "GetSession")
			same(t, "session", *got, *x, normSession)
		}

		dup := *live
		dup.AgentID = "agent-3"
		wantErr(t, st.CreateSession(ctx, &dup), inbox.ErrDuplicate, "CreateSession same token hash")

		must(t, st.DeleteSession(ctx, live.TokenHash), "DeleteSession")
		_, err := st.GetSession(ctx, live.TokenHash)
		wantErr(t, err, inbox.ErrNotFound, "GetSession after delete")
		got, err := st.GetSession(ctx, expired.TokenHash)
		must(t, err, "GetSession of the other session")
		same(t, "other session", *got, *expired, normSession)
		_, err = st.GetSession(ctx, "sha256:unknown")
		wantErr(t, err, inbox.ErrNotFound, "GetSession unknown")
		// Logging out twice is not the store's concern to reject; only
		// an unexpected failure is.
		if err := st.DeleteSession(ctx, live.TokenHash); err != nil && !errors.Is(err, inbox.ErrNotFound) {
			t.Errorf("DeleteSession twice: %v", err)
		}
	})
}

func rule(workspaceID, name string, priority int, keywords ...string) *inbox.BotRule {
	return &inbox.BotRule{
		ID:          inbox.NewID(),
		WorkspaceID: workspaceID,
		Name:        name,
		Keywords:    keywords,
		Answer:      "Answer about " + name,
		Priority:    priority,
		Enabled:     true,
		CreatedAt:   at(5 * time.Minute),
	}
}

func testBotRules(t *testing.T, s suite) {
	s.run(t, "SaveListDelete", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		ow := newWorkspace(t, st, "Other")
		wifi := rule(w.ID, "wifi", 10, "wifi", "wi-fi", "internet")
		wifi.Phrases = []string{"mot de passe", "no signal"}
		wifi.Patterns = []string{`(?i)^wi-?fi\b`, `\$[0-9]+\.\*`}
		wifi.Language = "fr"
		wifi.Buttons = []string{"It works", "Still no signal"}
		// human has no phrases, patterns, language or buttons.
		human := rule(w.ID, "human", 100, "agent", "person")
		human.Handoff = true
		human.TeamID = "team-1"
		theirs := rule(ow.ID, "parking", 1, "parking")
		for _, r := range []*inbox.BotRule{wifi, human, theirs} {
			must(t, st.SaveBotRule(ctx, r), "SaveBotRule "+r.Name)
		}

		list, err := st.ListBotRules(ctx, w.ID)
		must(t, err, "ListBotRules")
		sameIDSet(t, "ListBotRules", ids(list, func(r inbox.BotRule) string { return r.ID }), []string{wifi.ID, human.ID})
		for _, r := range list {
			want := wifi
			if r.ID == human.ID {
				want = human
			}
			same(t, "bot rule", r, *want, normRule)
		}

		// Saving an existing rule replaces it.
		wifi.Keywords = []string{"wlan"}
		wifi.Phrases = nil
		wifi.Patterns = []string{"password"}
		wifi.Language = ""
		wifi.Buttons = []string{}
		wifi.Answer = "The password is on your key card."
		wifi.Enabled = false
		wifi.Priority = 5
		must(t, st.SaveBotRule(ctx, wifi), "SaveBotRule update")
		list, err = st.ListBotRules(ctx, w.ID)
		must(t, err, "ListBotRules after update")
		if len(list) != 2 {
			t.Fatalf("ListBotRules after update: %d rules, want 2", len(list))
		}
		for _, r := range list {
			if r.ID == wifi.ID {
				same(t, "updated bot rule", r, *wifi, normRule)
			}
		}

		must(t, st.DeleteBotRule(ctx, w.ID, wifi.ID), "DeleteBotRule")
		wantErr(t, st.DeleteBotRule(ctx, w.ID, wifi.ID), inbox.ErrNotFound, "DeleteBotRule twice")
		list, err = st.ListBotRules(ctx, w.ID)
		must(t, err, "ListBotRules after delete")
		sameIDs(t, "ListBotRules after delete", ids(list, func(r inbox.BotRule) string { return r.ID }), []string{human.ID})
	})

	s.run(t, "WorkspaceScoping", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		ow := newWorkspace(t, st, "Other")
		r := rule(w.ID, "wifi", 10, "wifi")
		must(t, st.SaveBotRule(ctx, r), "SaveBotRule")

		wantErr(t, st.DeleteBotRule(ctx, ow.ID, r.ID), inbox.ErrNotFound, "DeleteBotRule from other workspace")
		// Saving over another workspace's rule id must neither move nor
		// change that rule.
		hijack := *r
		hijack.WorkspaceID = ow.ID
		hijack.Answer = "Send your card number to ..."
		err := st.SaveBotRule(ctx, &hijack)
		if !errors.Is(err, inbox.ErrNotFound) && !errors.Is(err, inbox.ErrDuplicate) {
			t.Errorf("SaveBotRule over another workspace's rule: err = %v, want ErrNotFound or ErrDuplicate", err)
		}
		list, err := st.ListBotRules(ctx, ow.ID)
		must(t, err, "ListBotRules other")
		if len(list) != 0 {
			t.Errorf("ListBotRules of other workspace returned %s", dump(list))
		}
		list, err = st.ListBotRules(ctx, w.ID)
		must(t, err, "ListBotRules")
		if len(list) != 1 {
			t.Fatalf("ListBotRules: %d rules, want 1", len(list))
		}
		same(t, "rule after refused save", list[0], *r, normRule)
	})
}
