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
		sms.Config = map[string]string{"accountSid": "AC123"}
		sms.Secrets = map[string]string{"authToken": "v1:bm9uY2U:Y2lwaGVy", "webhookSecret": "v1:eA:eQ"}
		sms.Deleted = true
		must(t, st.UpdateChannel(ctx, sms), "UpdateChannel")
		got, err = st.GetChannel(ctx, w.ID, sms.ID)
		must(t, err, "GetChannel after update")
		same(t, "updated channel", *got, *sms, normChannel)

		// Deleted channels are still read by id and listed in their
		// workspace: their conversations keep them.
		got, err = st.FindChannel(ctx, sms.ID)
		must(t, err, "FindChannel deleted")
		same(t, "found deleted channel", *got, *sms, normChannel)
		list, err = st.ListChannels(ctx, w.ID)
		must(t, err, "ListChannels with a deleted one")
		sameIDSet(t, "ListChannels with a deleted one", ids(list, func(c inbox.Channel) string { return c.ID }), []string{web.ID, sms.ID})

		// Removed config and secret keys must not survive an update.
		sms.Config = map[string]string{"from": "+15550002"}
		sms.Secrets = map[string]string{"authToken": "v2:bmV3:a2V5"}
		sms.Deleted = false
		must(t, st.UpdateChannel(ctx, sms), "UpdateChannel fewer keys")
		got, err = st.GetChannel(ctx, w.ID, sms.ID)
		must(t, err, "GetChannel after removing a key")
		same(t, "channel with fewer keys", *got, *sms, normChannel)

		sms.Secrets = nil
		must(t, st.UpdateChannel(ctx, sms), "UpdateChannel without secrets")
		got, err = st.GetChannel(ctx, w.ID, sms.ID)
		must(t, err, "GetChannel without secrets")
		same(t, "channel without secrets", *got, *sms, normChannel)
	})

	s.run(t, "OfTypeAcrossWorkspaces", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		a := newWorkspace(t, st, "Hotel")
		b := newWorkspace(t, st, "Shop")
		mk := func(w *inbox.Workspace, typ inbox.ChannelType, created time.Duration, deleted bool) *inbox.Channel {
			c := &inbox.Channel{
				ID: inbox.NewID(), WorkspaceID: w.ID, Type: typ, Name: string(typ) + " " + w.Name,
				Config:    map[string]string{"pollUrl": "https://api.example/" + w.Name},
				Secrets:   map[string]string{"token": "sealed-" + w.Name},
				Deleted:   deleted,
				CreatedAt: at(created),
			}
			must(t, st.CreateChannel(ctx, c), "CreateChannel")
			return c
		}
		// Created out of time order: the list is in creation order.
		tgA := mk(a, inbox.ChannelTelegram, 3*time.Minute, false)
		mk(a, inbox.ChannelSMS, time.Minute, false)
		tgB := mk(b, inbox.ChannelTelegram, time.Minute, false)
		mk(b, inbox.ChannelTelegram, 2*time.Minute, true)
		tgB2 := mk(b, inbox.ChannelTelegram, 4*time.Minute, false)
		tgB2.Disabled = true
		must(t, st.UpdateChannel(ctx, tgB2), "UpdateChannel disable")

		chID := func(c inbox.Channel) string { return c.ID }
		got, err := st.ListChannelsOfType(ctx, inbox.ChannelTelegram)
		must(t, err, "ListChannelsOfType")
		// Disabled channels are listed (the caller decides); deleted are not.
		want := []*inbox.Channel{tgB, tgA, tgB2}
		sameIDs(t, "telegram channels", ids(got, chID), []string{tgB.ID, tgA.ID, tgB2.ID})
		if len(got) == len(want) {
			for i := range got {
				same(t, "listed channel", got[i], *want[i], normChannel)
			}
		}

		tgA.Deleted = true
		must(t, st.UpdateChannel(ctx, tgA), "UpdateChannel delete")
		got, err = st.ListChannelsOfType(ctx, inbox.ChannelTelegram)
		must(t, err, "ListChannelsOfType after delete")
		sameIDs(t, "telegram channels after delete", ids(got, chID), []string{tgB.ID, tgB2.ID})

		got, err = st.ListChannelsOfType(ctx, inbox.ChannelPartner)
		must(t, err, "ListChannelsOfType none")
		sameIDs(t, "partner channels", ids(got, chID), nil)
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
