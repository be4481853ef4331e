package storetest

import (
	"testing"
	"time"

	"hub/inbox"
)

func team(workspaceID, name string, agentIDs ...string) *inbox.Team {
	return &inbox.Team{
		ID:          inbox.NewID(),
		WorkspaceID: workspaceID,
		Name:        name,
		AgentIDs:    agentIDs,
		CreatedAt:   at(4 * time.Minute),
	}
}

func testTeams(t *testing.T, s suite) {
	s.run(t, "CRUD", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		front := team(w.ID, "Front desk", "agent-1", "agent-2")
		spa := team(w.ID, "Spa")
		for _, x := range []*inbox.Team{front, spa} {
			must(t, st.CreateTeam(ctx, x), "CreateTeam "+x.Name)
		}

		got, err := st.GetTeam(ctx, w.ID, front.ID)
		must(t, err, "GetTeam")
		same(t, "team", *got, *front, normTeam)

		list, err := st.ListTeams(ctx, w.ID)
		must(t, err, "ListTeams")
		sameIDSet(t, "ListTeams", ids(list, func(x inbox.Team) string { return x.ID }), []string{front.ID, spa.ID})

		front.Name = "Reception"
		front.AgentIDs = []string{"agent-2", "agent-3", "agent-4"}
		must(t, st.UpdateTeam(ctx, front), "UpdateTeam")
		got, err = st.GetTeam(ctx, w.ID, front.ID)
		must(t, err, "GetTeam after update")
		same(t, "updated team", *got, *front, normTeam)

		front.AgentIDs = nil
		must(t, st.UpdateTeam(ctx, front), "UpdateTeam emptied")
		got, err = st.GetTeam(ctx, w.ID, front.ID)
		must(t, err, "GetTeam after emptying")
		same(t, "emptied team", *got, *front, normTeam)

		must(t, st.DeleteTeam(ctx, w.ID, spa.ID), "DeleteTeam")
		_, err = st.GetTeam(ctx, w.ID, spa.ID)
		wantErr(t, err, inbox.ErrNotFound, "GetTeam after delete")
		wantErr(t, st.DeleteTeam(ctx, w.ID, spa.ID), inbox.ErrNotFound, "DeleteTeam twice")
		list, err = st.ListTeams(ctx, w.ID)
		must(t, err, "ListTeams after delete")
		sameIDs(t, "ListTeams after delete", ids(list, func(x inbox.Team) string { return x.ID }), []string{front.ID})
	})

	s.run(t, "DuplicateID", func(t *testing.T, st inbox.Store) {
		w := newWorkspace(t, st, "Hotel")
		x := team(w.ID, "Front desk")
		must(t, st.CreateTeam(t.Context(), x), "CreateTeam")
		wantErr(t, st.CreateTeam(t.Context(), x), inbox.ErrDuplicate, "CreateTeam same id")
	})

	s.run(t, "WorkspaceScoping", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		other := newWorkspace(t, st, "Other")
		x := team(w.ID, "Front desk", "agent-1")
		must(t, st.CreateTeam(ctx, x), "CreateTeam")

		_, err := st.GetTeam(ctx, other.ID, x.ID)
		wantErr(t, err, inbox.ErrNotFound, "GetTeam from other workspace")
		list, err := st.ListTeams(ctx, other.ID)
		must(t, err, "ListTeams other")
		if len(list) != 0 {
			t.Errorf("ListTeams of other workspace returned %s", dump(list))
		}
		hijack := *x
		hijack.WorkspaceID = other.ID
		hijack.Name = "Hijacked"
		wantErr(t, st.UpdateTeam(ctx, &hijack), inbox.ErrNotFound, "UpdateTeam with other workspace")
		wantErr(t, st.DeleteTeam(ctx, other.ID, x.ID), inbox.ErrNotFound, "DeleteTeam with other workspace")
		wantErr(t, st.UpdateTeam(ctx, team(w.ID, "ghost")), inbox.ErrNotFound, "UpdateTeam unknown")

		got, err := st.GetTeam(ctx, w.ID, x.ID)
		must(t, err, "GetTeam after refused changes")
		same(t, "team after refused changes", *got, *x, normTeam)
	})
}

func testChannels(t *testing.T, s suite) {
	s.run(t, "CRUD", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		web := newChannel(t, st, w.ID, inbox.ChannelWebchat)
		sms := newChannel(t, st, w.ID, inbox.ChannelSMS)

		got, err := st.GetChannel(ctx, w.ID, sms.ID)
		must(t, err, "GetChannel")
		same(t, "channel", *got, *sms, normChannel)

		list, err := st.ListChannels(ctx, w.ID)
		must(t, err, "ListChannels")
		sameIDSet(t, "ListChannels", ids(list, func(c inbox.Channel) string { return c.ID }), []string{web.ID, sms.ID})

		sms.Name = "SMS (Twilio)"
		sms.BotEnabled = false
		sms.Disabled = true
		sms.Config = map[string]string{"accountSid": "AC123", "authToken": "t0k"}
		must(t, st.UpdateChannel(ctx, sms), "UpdateChannel")
		got, err = st.GetChannel(ctx, w.ID, sms.ID)
		must(t, err, "GetChannel after update")
		same(t, "updated channel", *got, *sms, normChannel)

		// Removed config keys must not survive an update.
		sms.Config = map[string]string{"accountSid": "AC123"}
		must(t, st.UpdateChannel(ctx, sms), "UpdateChannel fewer keys")
		got, err = st.GetChannel(ctx, w.ID, sms.ID)
		must(t, err, "GetChannel after removing a key")
		same(t, "channel with fewer keys", *got, *sms, normChannel)
	})

	s.run(t, "FindAcrossWorkspaces", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		a := newWorkspace(t, st, "Hotel")
		b := newWorkspace(t, st, "Shop")
		ca := newChannel(t, st, a.ID, inbox.ChannelTelegram)
		cb := newChannel(t, st, b.ID, inbox.ChannelPartner)
		for _, want := range []*inbox.Channel{ca, cb} {
			got, err := st.FindChannel(ctx, want.ID)
			must(t, err, "FindChannel")
			same(t, "found channel", *got, *want, normChannel)
		}
		_, err := st.FindChannel(ctx, inbox.NewID())
		wantErr(t, err, inbox.ErrNotFound, "FindChannel unknown")
	})

	s.run(t, "DuplicateID", func(t *testing.T, st inbox.Store) {
		w := newWorkspace(t, st, "Hotel")
		c := newChannel(t, st, w.ID, inbox.ChannelSMS)
		dup := *c
		dup.Name = "again"
		wantErr(t, st.CreateChannel(t.Context(), &dup), inbox.ErrDuplicate, "CreateChannel same id")
	})

	s.run(t, "WorkspaceScoping", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		other := newWorkspace(t, st, "Other")
		c := newChannel(t, st, w.ID, inbox.ChannelSMS)

		_, err := st.GetChannel(ctx, other.ID, c.ID)
		wantErr(t, err, inbox.ErrNotFound, "GetChannel from other workspace")
		list, err := st.ListChannels(ctx, other.ID)
		must(t, err, "ListChannels other")
		if len(list) != 0 {
			t.Errorf("ListChannels of other workspace returned %s", dump(list))
		}
		hijack := *c
		hijack.WorkspaceID = other.ID
		hijack.Config = map[string]string{"authToken": "stolen"}
		wantErr(t, st.UpdateChannel(ctx, &hijack), inbox.ErrNotFound, "UpdateChannel with other workspace")
		ghost := *c
		ghost.ID = inbox.NewID()
		wantErr(t, st.UpdateChannel(ctx, &ghost), inbox.ErrNotFound, "UpdateChannel unknown")

		got, err := st.GetChannel(ctx, w.ID, c.ID)
		must(t, err, "GetChannel after refused update")
		same(t, "channel after refused update", *got, *c, normChannel)
	})
}
