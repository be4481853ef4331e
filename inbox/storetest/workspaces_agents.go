package storetest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"hub/inbox"
)

func testWorkspaces(t *testing.T, s suite) {
	s.run(t, "CreateGetListUpdate", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		a := newWorkspace(t, st, "Hotel Alpha")
		b := newWorkspace(t, st, "Shop Beta")

		got, err := st.GetWorkspace(ctx, a.ID)
		must(t, err, "GetWorkspace")
		same(t, "workspace", *got, *a, normWorkspace)

		list, err := st.ListWorkspaces(ctx)
		must(t, err, "ListWorkspaces")
		sameIDSet(t, "ListWorkspaces", ids(list, func(w inbox.Workspace) string { return w.ID }), []string{a.ID, b.ID})

		a.Name = "Hotel Alpha & Spa"
		a.Settings.TimeZone = "America/New_York"
		a.Settings.BotHandoffAfter = 0
		a.Settings.BotGreeting = ""
		must(t, st.UpdateWorkspace(ctx, a), "UpdateWorkspace")
		got, err = st.GetWorkspace(ctx, a.ID)
		must(t, err, "GetWorkspace after update")
		same(t, "updated workspace", *got, *a, normWorkspace)

		got, err = st.GetWorkspace(ctx, b.ID)
		must(t, err, "GetWorkspace other")
		same(t, "untouched workspace", *got, *b, normWorkspace)
	})

	s.run(t, "SettingsRoundTrip", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := &inbox.Workspace{ID: inbox.NewID(), Name: "Hotel", Settings: fullSettings(), CreatedAt: at(0)}
		must(t, st.CreateWorkspace(ctx, w), "CreateWorkspace")
		// Zero settings mean "the defaults" and must stay zero.
		bare := &inbox.Workspace{ID: inbox.NewID(), Name: "Bare", CreatedAt: at(time.Second)}
		must(t, st.CreateWorkspace(ctx, bare), "CreateWorkspace bare")

		got, err := st.GetWorkspace(ctx, w.ID)
		must(t, err, "GetWorkspace")
		same(t, "workspace with every setting", *got, *w, normWorkspace)
		got, err = st.GetWorkspace(ctx, bare.ID)
		must(t, err, "GetWorkspace bare")
		same(t, "workspace without settings", *got, *bare, normWorkspace)
		list, err := st.ListWorkspaces(ctx)
		must(t, err, "ListWorkspaces")
		for _, x := range list {
			want := bare
			if x.ID == w.ID {
				want = w
			}
			same(t, "listed workspace", x, *want, normWorkspace)
		}

		// Changed lists replace the stored ones; emptied ones, as nil or
		// as empty lists, come back empty.
		w.Settings.BusinessHours = []inbox.OpeningHours{{Day: 0, Open: "10:00", Close: "12:30"}}
		w.Settings.WrapUpTopics = nil
		w.Settings.SpamBlocklist = []string{}
		w.Settings.OutOfHoursNotice = ""
		w.Settings.SpamMaxLinks = 0
		w.Settings.SurveyWindowMinutes = 60
		w.Settings.RoutingMode = "manual"
		w.Settings.MaxOfferAttempts = 0
		w.Settings.HoldToQueueIfOffline = false
		w.Settings.IdleCloseMinutes = 15
		must(t, st.UpdateWorkspace(ctx, w), "UpdateWorkspace")
		got, err = st.GetWorkspace(ctx, w.ID)
		must(t, err, "GetWorkspace after update")
		same(t, "workspace with changed settings", *got, *w, normWorkspace)

		w.Settings = inbox.WorkspaceSettings{}
		must(t, st.UpdateWorkspace(ctx, w), "UpdateWorkspace clearing settings")
		got, err = st.GetWorkspace(ctx, w.ID)
		must(t, err, "GetWorkspace after clearing")
		same(t, "workspace with cleared settings", *got, *w, normWorkspace)
	})

	s.run(t, "Missing", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		_, err := st.GetWorkspace(ctx, inbox.NewID())
		wantErr(t, err, inbox.ErrNotFound, "GetWorkspace unknown")
		err = st.UpdateWorkspace(ctx, &inbox.Workspace{ID: inbox.NewID(), Name: "ghost", CreatedAt: at(0)})
		wantErr(t, err, inbox.ErrNotFound, "UpdateWorkspace unknown")
		list, err := st.ListWorkspaces(ctx)
		must(t, err, "ListWorkspaces on empty store")
		if len(list) != 0 {
			t.Errorf("ListWorkspaces on empty store: %d items, want none", len(list))
		}
	})

	s.run(t, "DuplicateID", func(t *testing.T, st inbox.Store) {
		a := newWorkspace(t, st, "Hotel Alpha")
		dup := *a
		dup.Name = "Impostor"
		wantErr(t, st.CreateWorkspace(t.Context(), &dup), inbox.ErrDuplicate, "CreateWorkspace same id")
		got, err := st.GetWorkspace(t.Context(), a.ID)
		must(t, err, "GetWorkspace")
		same(t, "workspace after duplicate", *got, *a, normWorkspace)
	})
}

// fullSettings sets every workspace setting, so a round trip shows which
// ones a backend forgets.
func fullSettings() inbox.WorkspaceSettings {
	return inbox.WorkspaceSettings{
		TimeZone:        "Europe/Rome",
		BotGreeting:     "Benvenuti!",
		BotHandoffAfter: 4,
		BotFallback:     "Scusi?",
		HandoffNotice:   "A person will answer.",
		BusinessHours: []inbox.OpeningHours{
			{Day: 1, Open: "08:00", Close: "12:00"},
			{Day: 1, Open: "14:00", Close: "18:30"},
			{Day: 6, Open: "09:00", Close: "13:00"},
		},
		OutOfHoursNotice:     "We are closed; we answer from 8 am.",
		BotIdleCloseMinutes:  45,
		SurveyWindowMinutes:  2880,
		SurveyQuestion:       "How did we do, 1 to 5?",
		WrapUpTopics:         []string{"booking", "wifi", "late checkout"},
		SpamMaxMessages:      12,
		SpamWindowSeconds:    30,
		SpamMaxRepeats:       3,
		SpamMaxLinks:         2,
		SpamBlocklist:        []string{"crypto", "cheap-pills.example", "$win.money"},
		RoutingMode:          "auto",
		MaxOpenPerAgent:      7,
		OfferTimeoutSeconds:  45,
		MaxOfferAttempts:     4,
		OfflineGraceSeconds:  90,
		HoldToQueueIfOffline: true,
		IdleCloseMinutes:     600,
		CannedAnswers: []inbox.CannedAnswer{
			{ID: "ca1", Shortcut: "wifi", Text: "The Wi-Fi password is on your key card, {{contact.name}}."},
			{ID: "ca2", Shortcut: "checkout", Text: "Checkout is at 11:00 at {{workspace.name}}."},
		},
	}
}

func agent(workspaceID, email string) *inbox.Agent {
	return &inbox.Agent{
		ID:           inbox.NewID(),
		WorkspaceID:  workspaceID,
		Email:        email,
		Name:         strings.Split(email, "@")[0],
		Role:         inbox.RoleAgent,
		PasswordHash: "$2a$10$hash-of-" + email,
		CreatedAt:    at(3 * time.Minute),
	}
}

func testAgents(t *testing.T, s suite) {
	s.run(t, "CreateGetListUpdate", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		other := newWorkspace(t, st, "Other")
		a := agent(w.ID, "alice@example.com")
		a.Role = inbox.RoleAdmin
		b := agent(w.ID, "bob@example.com")
		c := agent(other.ID, "carol@example.com")
		for _, x := range []*inbox.Agent{a, b, c} {
			must(t, st.CreateAgent(ctx, x), "CreateAgent "+x.Email)
		}

		got, err := st.GetAgent(ctx, w.ID, a.ID)
		must(t, err, "GetAgent")
		// PasswordHash is hidden from JSON; a store that serialises the
		// struct with encoding/json would silently lose it.
		same(t, "agent", *got, *a, normAgent)

		list, err := st.ListAgents(ctx, w.ID)
		must(t, err, "ListAgents")
		sameIDSet(t, "ListAgents", ids(list, func(a inbox.Agent) string { return a.ID }), []string{a.ID, b.ID})

		a.Name = "Alice A."
		a.Role = inbox.RoleAgent
		a.Disabled = true
		a.PasswordHash = "$2a$10$new"
		must(t, st.UpdateAgent(ctx, a), "UpdateAgent")
		got, err = st.GetAgent(ctx, w.ID, a.ID)
		must(t, err, "GetAgent after update")
		same(t, "updated agent", *got, *a, normAgent)
	})

	s.run(t, "EmailCaseInsensitive", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		other := newWorkspace(t, st, "Other")
		a := agent(w.ID, "Alice.Martin@Example.com")
		must(t, st.CreateAgent(ctx, a), "CreateAgent")

		got, err := st.GetAgentByEmail(ctx, "alice.martin@EXAMPLE.COM")
		must(t, err, "GetAgentByEmail other case")
		same(t, "agent by email", *got, *a, normAgent)

		_, err = st.GetAgentByEmail(ctx, "nobody@example.com")
		wantErr(t, err, inbox.ErrNotFound, "GetAgentByEmail unknown")

		// Login is by email alone, so the address is unique across
		// workspaces, whatever its case.
		dup := agent(other.ID, "ALICE.MARTIN@example.com")
		wantErr(t, st.CreateAgent(ctx, dup), inbox.ErrDuplicate, "CreateAgent same email other case, other workspace")
		dup.WorkspaceID = w.ID
		dup.ID = inbox.NewID()
		wantErr(t, st.CreateAgent(ctx, dup), inbox.ErrDuplicate, "CreateAgent same email other case")
		list, err := st.ListAgents(ctx, other.ID)
		must(t, err, "ListAgents")
		if len(list) != 0 {
			t.Errorf("duplicate agent was stored: %s", dump(list))
		}

		// Renaming onto a taken address is refused as well.
		b := agent(w.ID, "bob@example.com")
		must(t, st.CreateAgent(ctx, b), "CreateAgent bob")
		b.Email = "ALICE.martin@example.com"
		wantErr(t, st.UpdateAgent(ctx, b), inbox.ErrDuplicate, "UpdateAgent onto taken email")
		got, err = st.GetAgentByEmail(ctx, "bob@example.com")
		must(t, err, "GetAgentByEmail bob after refused update")
		if got.ID != b.ID {
			t.Errorf("bob's email now belongs to %s", got.ID)
		}
		got, err = st.GetAgentByEmail(ctx, "alice.martin@example.com")
		must(t, err, "GetAgentByEmail alice after refused update")
		if got.ID != a.ID {
			t.Errorf("alice's email now belongs to %s, want %s", got.ID, a.ID)
		}

		// Changing only the case of one's own address is not a duplicate.
		a.Email = "alice.martin@example.com"
		must(t, st.UpdateAgent(ctx, a), "UpdateAgent own email new case")
		got, err = st.GetAgentByEmail(ctx, "Alice.Martin@Example.com")
		must(t, err, "GetAgentByEmail after case change")
		if got.ID != a.ID || !strings.EqualFold(got.Email, a.Email) {
			t.Errorf("after case change got %s", dump(*got))
		}
	})

	s.run(t, "WorkspaceScoping", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		other := newWorkspace(t, st, "Other")
		a := agent(w.ID, "alice@example.com")
		must(t, st.CreateAgent(ctx, a), "CreateAgent")

		_, err := st.GetAgent(ctx, other.ID, a.ID)
		wantErr(t, err, inbox.ErrNotFound, "GetAgent from other workspace")
		_, err = st.GetAgent(ctx, w.ID, inbox.NewID())
		wantErr(t, err, inbox.ErrNotFound, "GetAgent unknown")
		list, err := st.ListAgents(ctx, other.ID)
		must(t, err, "ListAgents other")
		if len(list) != 0 {
			t.Errorf("ListAgents of other workspace returned %s", dump(list))
		}

		hijack := *a
		hijack.WorkspaceID = other.ID
		hijack.Name = "Hijacked"
		err = st.UpdateAgent(ctx, &hijack)
		wantErr(t, err, inbox.ErrNotFound, "UpdateAgent with other workspace")
		got, err := st.GetAgent(ctx, w.ID, a.ID)
		must(t, err, "GetAgent after refused update")
		same(t, "agent after refused update", *got, *a, normAgent)

		ghost := agent(w.ID, "ghost@example.com")
		err = st.UpdateAgent(ctx, ghost)
		if !errors.Is(err, inbox.ErrNotFound) {
			t.Errorf("UpdateAgent unknown: err = %v, want ErrNotFound", err)
		}
		if _, err := st.GetAgentByEmail(ctx, ghost.Email); !errors.Is(err, inbox.ErrNotFound) {
			t.Errorf("UpdateAgent of an unknown agent created it (err = %v)", err)
		}
	})
}
