package storetest

import (
	"testing"

	"hub/inbox"
)

// checkWorkspace reads the workspace back both ways (by id and listed) and
// compares it with want.
func checkWorkspace(t *testing.T, st inbox.Store, what string, want *inbox.Workspace) {
	t.Helper()
	got, err := st.GetWorkspace(t.Context(), want.ID)
	must(t, err, what+": GetWorkspace")
	same(t, what, *got, *want, normWorkspace)
	list, err := st.ListWorkspaces(t.Context())
	must(t, err, what+": ListWorkspaces")
	for _, x := range list {
		if x.ID == want.ID {
			same(t, what+" (listed)", x, *want, normWorkspace)
		}
	}
}

func testCannedAnswers(t *testing.T, s suite) {
	s.run(t, "SetChangeClear", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		other := newWorkspace(t, st, "Other")
		checkWorkspace(t, st, "workspace without canned answers", w)

		// Texts keep their placeholders, markup-like characters, line
		// breaks and non-ASCII letters; the order is the admin's.
		w.Settings.CannedAnswers = []inbox.CannedAnswer{
			{ID: inbox.NewID(), Shortcut: "wifi", Text: "Hi {{contact.name}}, the Wi-Fi is \"Guest\" & the code <1234>."},
			{ID: inbox.NewID(), Shortcut: "bye", Text: "Merci et à bientôt à {{workspace.name}} !\n— La réception"},
			{ID: inbox.NewID(), Shortcut: "$price.list", Text: "Room: 120 €"},
		}
		must(t, st.UpdateWorkspace(ctx, w), "UpdateWorkspace setting canned answers")
		checkWorkspace(t, st, "workspace with canned answers", w)
		checkWorkspace(t, st, "other workspace", other)

		// Edit one, drop one, add one, reorder.
		w.Settings.CannedAnswers = []inbox.CannedAnswer{
			{ID: inbox.NewID(), Shortcut: "late", Text: "Late checkout until 14:00 costs 30 €."},
			{ID: w.Settings.CannedAnswers[0].ID, Shortcut: "wifi", Text: "The Wi-Fi code changed: 5678."},
			w.Settings.CannedAnswers[2],
		}
		must(t, st.UpdateWorkspace(ctx, w), "UpdateWorkspace changing canned answers")
		checkWorkspace(t, st, "workspace with changed canned answers", w)

		// Other settings saved later keep the answers.
		w.Settings.BotGreeting = "Hello!"
		must(t, st.UpdateWorkspace(ctx, w), "UpdateWorkspace other setting")
		checkWorkspace(t, st, "workspace after another setting changed", w)

		w.Settings.CannedAnswers = []inbox.CannedAnswer{}
		must(t, st.UpdateWorkspace(ctx, w), "UpdateWorkspace emptying canned answers")
		checkWorkspace(t, st, "workspace with emptied canned answers", w)

		w.Settings.CannedAnswers = []inbox.CannedAnswer{{ID: inbox.NewID(), Shortcut: "hi", Text: "Hello"}}
		must(t, st.UpdateWorkspace(ctx, w), "UpdateWorkspace setting one canned answer")
		checkWorkspace(t, st, "workspace with one canned answer", w)
		w.Settings.CannedAnswers = nil
		must(t, st.UpdateWorkspace(ctx, w), "UpdateWorkspace clearing canned answers")
		checkWorkspace(t, st, "workspace with cleared canned answers", w)
	})

	s.run(t, "SetAtCreation", func(t *testing.T, st inbox.Store) {
		w := &inbox.Workspace{ID: inbox.NewID(), Name: "Shop", CreatedAt: at(0)}
		w.Settings.CannedAnswers = []inbox.CannedAnswer{{ID: "a1", Shortcut: "hours", Text: "We open at 9."}}
		must(t, st.CreateWorkspace(t.Context(), w), "CreateWorkspace with canned answers")
		checkWorkspace(t, st, "created workspace", w)
	})
}
