package storetest

import (
	"sync"
	"testing"

	"hub/inbox"
)

func checkContact(t *testing.T, what string, c *inbox.Contact, workspaceID, name string, id inbox.Identity) {
	t.Helper()
	if c == nil {
		t.Fatalf("%s: nil contact", what)
	}
	if c.ID == "" || c.WorkspaceID != workspaceID || c.Name != name || c.CreatedAt.IsZero() {
		t.Errorf("%s: got %s, want id set, workspace %s, name %q, creation time set", what, dump(*c), workspaceID, name)
	}
	got, ok := c.Identity(id.ChannelID)
	if !ok || got != id || len(c.Identities) != 1 {
		t.Errorf("%s: identities %s, want exactly %s", what, dump(c.Identities), dump(id))
	}
}

func testContacts(t *testing.T, s suite) {
	s.run(t, "FindOrCreateIsIdempotent", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		sms := newChannel(t, st, w.ID, inbox.ChannelSMS)
		tg := newChannel(t, st, w.ID, inbox.ChannelTelegram)
		id := inbox.Identity{ChannelID: sms.ID, Handle: "+33612345678"}

		first, err := st.FindOrCreateContact(ctx, w.ID, id, "Alice")
		must(t, err, "FindOrCreateContact new")
		checkContact(t, "created contact", first, w.ID, "Alice", id)

		// The second call finds the contact; the name it carries does not
		// overwrite the stored one.
		again, err := st.FindOrCreateContact(ctx, w.ID, id, "Someone else")
		must(t, err, "FindOrCreateContact again")
		if again.ID != first.ID {
			t.Fatalf("second FindOrCreateContact made contact %s, want %s", again.ID, first.ID)
		}
		checkContact(t, "found contact", again, w.ID, "Alice", id)

		got, err := st.GetContact(ctx, w.ID, first.ID)
		must(t, err, "GetContact")
		checkContact(t, "GetContact", got, w.ID, "Alice", id)
		if !got.CreatedAt.Equal(first.CreatedAt) {
			t.Errorf("GetContact CreatedAt %v, want %v", got.CreatedAt, first.CreatedAt)
		}

		// Same handle on another channel, or another handle on the same
		// channel, is somebody else.
		idTG := inbox.Identity{ChannelID: tg.ID, Handle: "+33612345678"}
		onTG, err := st.FindOrCreateContact(ctx, w.ID, idTG, "Alice on Telegram")
		must(t, err, "FindOrCreateContact other channel")
		checkContact(t, "contact on other channel", onTG, w.ID, "Alice on Telegram", idTG)
		idBob := inbox.Identity{ChannelID: sms.ID, Handle: "+33699999999"}
		bob, err := st.FindOrCreateContact(ctx, w.ID, idBob, "Bob")
		must(t, err, "FindOrCreateContact other handle")
		checkContact(t, "other handle", bob, w.ID, "Bob", idBob)
		if onTG.ID == first.ID || bob.ID == first.ID || bob.ID == onTG.ID {
			t.Errorf("distinct identities share contacts: %s %s %s", first.ID, onTG.ID, bob.ID)
		}
	})

	s.run(t, "FindNeverCreates", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		ch := newChannel(t, st, w.ID, inbox.ChannelSMS)
		id := inbox.Identity{ChannelID: ch.ID, Handle: "+33600000001"}

		_, err := st.FindContact(ctx, w.ID, id)
		wantErr(t, err, inbox.ErrNotFound, "FindContact before any message")
		_, err = st.FindContact(ctx, w.ID, id)
		wantErr(t, err, inbox.ErrNotFound, "FindContact again: the first call must not have created it")

		made, err := st.FindOrCreateContact(ctx, w.ID, id, "Alice")
		must(t, err, "FindOrCreateContact")
		got, err := st.FindContact(ctx, w.ID, id)
		must(t, err, "FindContact")
		if got.ID != made.ID {
			t.Errorf("FindContact returned %s, want %s", got.ID, made.ID)
		}
		checkContact(t, "found contact", got, w.ID, "Alice", id)
		_, err = st.FindContact(ctx, w.ID, inbox.Identity{ChannelID: ch.ID, Handle: "+33600000002"})
		wantErr(t, err, inbox.ErrNotFound, "FindContact other handle")
	})

	s.run(t, "FindOrCreateConcurrent", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		ch := newChannel(t, st, w.ID, inbox.ChannelWebchat)
		id := inbox.Identity{ChannelID: ch.ID, Handle: "visitor-42"}

		const n = 8
		var wg sync.WaitGroup
		start := make(chan struct{})
		got := make([]*inbox.Contact, n)
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				got[i], errs[i] = st.FindOrCreateContact(ctx, w.ID, id, "Visitor")
			}()
		}
		close(start)
		wg.Wait()
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("goroutine %d: FindOrCreateContact: %v", i, errs[i])
			}
			checkContact(t, "concurrent contact", got[i], w.ID, "Visitor", id)
			if got[i].ID != got[0].ID {
				t.Errorf("goroutine %d got contact %s, goroutine 0 got %s", i, got[i].ID, got[0].ID)
			}
		}
	})

	s.run(t, "SetBlocked", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		ch := newChannel(t, st, w.ID, inbox.ChannelSMS)
		other := newChannel(t, st, w.ID, inbox.ChannelTelegram)
		id := inbox.Identity{ChannelID: ch.ID, Handle: "+15551234"}
		c, err := st.FindOrCreateContact(ctx, w.ID, id, "Spammer")
		must(t, err, "FindOrCreateContact")

		must(t, st.SetContactBlocked(ctx, w.ID, c.ID, ch.ID, true), "SetContactBlocked true")
		blocked := inbox.Identity{ChannelID: ch.ID, Handle: id.Handle, Blocked: true}
		got, err := st.GetContact(ctx, w.ID, c.ID)
		must(t, err, "GetContact")
		checkContact(t, "blocked contact", got, w.ID, "Spammer", blocked)
		// Ingest reads the block through FindOrCreateContact.
		got, err = st.FindOrCreateContact(ctx, w.ID, id, "Spammer")
		must(t, err, "FindOrCreateContact blocked")
		checkContact(t, "found blocked contact", got, w.ID, "Spammer", blocked)

		must(t, st.SetContactBlocked(ctx, w.ID, c.ID, ch.ID, true), "SetContactBlocked true twice")
		must(t, st.SetContactBlocked(ctx, w.ID, c.ID, ch.ID, false), "SetContactBlocked false")
		got, err = st.GetContact(ctx, w.ID, c.ID)
		must(t, err, "GetContact after unblock")
		checkContact(t, "unblocked contact", got, w.ID, "Spammer", id)

		err = st.SetContactBlocked(ctx, w.ID, c.ID, other.ID, true)
		wantErr(t, err, inbox.ErrNotFound, "SetContactBlocked on a channel the contact is not on")
		err = st.SetContactBlocked(ctx, w.ID, inbox.NewID(), ch.ID, true)
		wantErr(t, err, inbox.ErrNotFound, "SetContactBlocked unknown contact")
	})

	s.run(t, "WorkspaceScoping", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		ow := newWorkspace(t, st, "Other")
		ch := newChannel(t, st, w.ID, inbox.ChannelSMS)
		id := inbox.Identity{ChannelID: ch.ID, Handle: "+15550000"}
		c, err := st.FindOrCreateContact(ctx, w.ID, id, "Alice")
		must(t, err, "FindOrCreateContact")

		_, err = st.GetContact(ctx, ow.ID, c.ID)
		wantErr(t, err, inbox.ErrNotFound, "GetContact from other workspace")
		_, err = st.GetContact(ctx, w.ID, inbox.NewID())
		wantErr(t, err, inbox.ErrNotFound, "GetContact unknown")
		_, err = st.FindContact(ctx, ow.ID, id)
		wantErr(t, err, inbox.ErrNotFound, "FindContact from other workspace")
		err = st.SetContactBlocked(ctx, ow.ID, c.ID, ch.ID, true)
		wantErr(t, err, inbox.ErrNotFound, "SetContactBlocked from other workspace")
		got, err := st.GetContact(ctx, w.ID, c.ID)
		must(t, err, "GetContact after refused block")
		checkContact(t, "contact after refused block", got, w.ID, "Alice", id)

		// A channel belongs to one workspace, so this call is a caller bug;
		// whatever the store does, it must not hand out the other
		// workspace's contact.
		leaked, err := st.FindOrCreateContact(ctx, ow.ID, id, "Mallory")
		if err == nil && (leaked.ID == c.ID || leaked.WorkspaceID != ow.ID) {
			t.Errorf("FindOrCreateContact in another workspace returned %s", dump(*leaked))
		}
	})
}
