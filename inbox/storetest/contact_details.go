package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"hub/inbox"
)

func normContact(c inbox.Contact) inbox.Contact {
	c.Identities = nslice(c.Identities)
	c.CreatedAt = nt(c.CreatedAt)
	return c
}

// readContact reads the contact back through every read the contract
// has (by id, by identity, find-or-create) and checks each against want.
func readContact(t *testing.T, st inbox.Store, what string, want *inbox.Contact, id inbox.Identity) {
	t.Helper()
	ctx := t.Context()
	got, err := st.GetContact(ctx, want.WorkspaceID, want.ID)
	must(t, err, what+": GetContact")
	same(t, what+": GetContact", *got, *want, normContact)
	got, err = st.FindContact(ctx, want.WorkspaceID, id)
	must(t, err, what+": FindContact")
	same(t, what+": FindContact", *got, *want, normContact)
	got, err = st.FindOrCreateContact(ctx, want.WorkspaceID, id, "Not this name")
	must(t, err, what+": FindOrCreateContact")
	same(t, what+": FindOrCreateContact", *got, *want, normContact)
}

func testContactDetails(t *testing.T, s suite) {
	s.run(t, "RoundTrip", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		sms := newChannel(t, st, w.ID, inbox.ChannelSMS)
		id := inbox.Identity{ChannelID: sms.ID, Handle: "+33612345678"}
		c, err := st.FindOrCreateContact(ctx, w.ID, id, "Alice")
		must(t, err, "FindOrCreateContact")
		if c.Email != "" || c.Phone != "" || c.Notes != "" {
			t.Errorf("new contact has details: %s", dump(*c))
		}
		readContact(t, st, "new contact", c, id)

		c.Name = "Alice Martin"
		c.Email = "alice.martin@example.com"
		c.Phone = "+33 6 12 34 56 78"
		c.Notes = "Prefers a quiet room.\nAllergic to feathers — « oreillers synthétiques ».\n日本語も話せます"
		must(t, st.UpdateContact(ctx, c), "UpdateContact")
		readContact(t, st, "updated contact", c, id)

		// Details can be changed and emptied again.
		c.Email = ""
		c.Phone = "+1 555 0100"
		c.Notes = ""
		must(t, st.UpdateContact(ctx, c), "UpdateContact clearing details")
		readContact(t, st, "contact with cleared details", c, id)

		// Updating with the same values is still a success, not "not found".
		must(t, st.UpdateContact(ctx, c), "UpdateContact unchanged")
		readContact(t, st, "contact updated unchanged", c, id)
	})

	s.run(t, "UpdateLeavesIdentities", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		sms := newChannel(t, st, w.ID, inbox.ChannelSMS)
		tg := newChannel(t, st, w.ID, inbox.ChannelTelegram)
		id := inbox.Identity{ChannelID: sms.ID, Handle: "+15550100"}
		c, err := st.FindOrCreateContact(ctx, w.ID, id, "Bob")
		must(t, err, "FindOrCreateContact")
		must(t, st.SetContactBlocked(ctx, w.ID, c.ID, sms.ID, true), "SetContactBlocked")
		stored, err := st.GetContact(ctx, w.ID, c.ID)
		must(t, err, "GetContact")
		checkContact(t, "blocked contact", stored, w.ID, "Bob",
			inbox.Identity{ChannelID: sms.ID, Handle: id.Handle, Blocked: true})

		// The caller's copy carries other identities: they are ignored.
		edit := *stored
		edit.Name = "Bob Stone"
		edit.Notes = "VIP"
		edit.Identities = []inbox.Identity{{ChannelID: tg.ID, Handle: "424242"}}
		edit.CreatedAt = at(99 * time.Minute)
		must(t, st.UpdateContact(ctx, &edit), "UpdateContact")
		want := *stored
		want.Name, want.Notes = "Bob Stone", "VIP"
		readContact(t, st, "contact after update", &want, id)
		_, err = st.FindContact(ctx, w.ID, inbox.Identity{ChannelID: tg.ID, Handle: "424242"})
		wantErr(t, err, inbox.ErrNotFound, "FindContact by an identity only the update carried")

		edit.Identities = nil
		edit.Name = "Bob"
		must(t, st.UpdateContact(ctx, &edit), "UpdateContact without identities")
		want.Name = "Bob"
		readContact(t, st, "contact after update without identities", &want, id)
	})

	s.run(t, "UpdateWorkspaceScoping", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		ow := newWorkspace(t, st, "Other")
		ch := newChannel(t, st, w.ID, inbox.ChannelSMS)
		id := inbox.Identity{ChannelID: ch.ID, Handle: "+15550000"}
		c, err := st.FindOrCreateContact(ctx, w.ID, id, "Alice")
		must(t, err, "FindOrCreateContact")
		c.Email = "alice@example.com"
		must(t, st.UpdateContact(ctx, c), "UpdateContact")

		hijack := *c
		hijack.WorkspaceID = ow.ID
		hijack.Name = "Mallory"
		hijack.Email = "mallory@example.com"
		hijack.Notes = "hijacked"
		wantErr(t, st.UpdateContact(ctx, &hijack), inbox.ErrNotFound, "UpdateContact from other workspace")
		readContact(t, st, "contact after refused update", c, id)
		_, err = st.GetContact(ctx, ow.ID, c.ID)
		wantErr(t, err, inbox.ErrNotFound, "GetContact from other workspace after refused update")

		ghost := &inbox.Contact{ID: inbox.NewID(), WorkspaceID: w.ID, Name: "Ghost", Email: "ghost@example.com"}
		wantErr(t, st.UpdateContact(ctx, ghost), inbox.ErrNotFound, "UpdateContact unknown")
		_, err = st.GetContact(ctx, w.ID, ghost.ID)
		wantErr(t, err, inbox.ErrNotFound, "GetContact after UpdateContact of an unknown contact")
	})

	// An agent editing the details while the spam rules block the contact:
	// neither write may undo the other. A store that rewrites the whole
	// record from a stale read loses one write in a few pairs, so enough
	// rounds run to catch it.
	s.run(t, "UpdateConcurrentWithBlock", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		ch := newChannel(t, st, w.ID, inbox.ChannelSMS)
		id := inbox.Identity{ChannelID: ch.ID, Handle: "+15550199"}
		c, err := st.FindOrCreateContact(ctx, w.ID, id, "Carol")
		must(t, err, "FindOrCreateContact")
		for round := range 50 {
			edit := *c
			edit.Notes = fmt.Sprintf("note %d", round)
			block := round%2 == 0
			var wg sync.WaitGroup
			var errUpdate, errBlock error
			wg.Add(2)
			go func() { defer wg.Done(); errUpdate = st.UpdateContact(ctx, &edit) }()
			go func() { defer wg.Done(); errBlock = st.SetContactBlocked(ctx, w.ID, c.ID, ch.ID, block) }()
			wg.Wait()
			must(t, errUpdate, fmt.Sprintf("round %d: UpdateContact", round))
			must(t, errBlock, fmt.Sprintf("round %d: SetContactBlocked", round))
			got, err := st.GetContact(ctx, w.ID, c.ID)
			must(t, err, "GetContact")
			want := inbox.Identity{ChannelID: ch.ID, Handle: id.Handle, Blocked: block}
			if got.Notes != edit.Notes || len(got.Identities) != 1 || got.Identities[0] != want {
				t.Fatalf("round %d: got %s, want notes %q and identity %s", round, dump(*got), edit.Notes, dump(want))
			}
		}
	})
}
