package storetest

import (
	"testing"
	"time"

	"hub/inbox"
)

// routedAgent returns an unsaved agent with every routing field set.
func routedAgent(workspaceID, email string) *inbox.Agent {
	a := agent(workspaceID, email)
	a.Status = inbox.AgentAvailable
	a.StatusAt = at(4*time.Minute + 5*time.Millisecond)
	a.MaxOpen = 7
	a.RoutedAt = at(9*time.Minute + 1*time.Millisecond)
	return a
}

// checkAgent reads the agent back every way the store offers and checks each
// against want.
func checkAgent(t *testing.T, st inbox.Store, what string, want *inbox.Agent) {
	t.Helper()
	ctx := t.Context()
	got, err := st.GetAgent(ctx, want.WorkspaceID, want.ID)
	must(t, err, what+": GetAgent")
	same(t, what+" (GetAgent)", *got, *want, normAgent)
	got, err = st.GetAgentByEmail(ctx, want.Email)
	must(t, err, what+": GetAgentByEmail")
	same(t, what+" (GetAgentByEmail)", *got, *want, normAgent)
	list, err := st.ListAgents(ctx, want.WorkspaceID)
	must(t, err, what+": ListAgents")
	found := false
	for _, x := range list {
		if x.ID == want.ID {
			found = true
			same(t, what+" (ListAgents)", x, *want, normAgent)
		}
	}
	if !found {
		t.Errorf("%s: ListAgents has no %s: %s", what, want.ID, dump(list))
	}
}

func testAgentPresence(t *testing.T, s suite) {
	s.run(t, "RoundTrip", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		a := routedAgent(w.ID, "alice@example.com")
		// An agent who never set a status keeps the zero values.
		b := agent(w.ID, "bob@example.com")
		for _, x := range []*inbox.Agent{a, b} {
			must(t, st.CreateAgent(ctx, x), "CreateAgent "+x.Email)
		}
		checkAgent(t, st, "agent with routing fields", a)
		checkAgent(t, st, "agent without routing fields", b)

		// UpdateAgent stores the routing fields too, and clears them.
		a.Status = inbox.AgentAway
		a.StatusAt = at(time.Hour + 3*time.Millisecond)
		a.MaxOpen = 0
		a.RoutedAt = time.Time{}
		must(t, st.UpdateAgent(ctx, a), "UpdateAgent clearing capacity and routed time")
		checkAgent(t, st, "updated agent", a)

		b.Status = inbox.AgentRONA
		b.StatusAt = at(2 * time.Hour)
		b.MaxOpen = 2
		b.RoutedAt = at(90 * time.Minute)
		must(t, st.UpdateAgent(ctx, b), "UpdateAgent setting routing fields")
		checkAgent(t, st, "agent given routing fields", b)
		checkAgent(t, st, "agent after the other's update", a)
	})

	s.run(t, "SetStatusAndRoutedAt", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		a := routedAgent(w.ID, "alice@example.com")
		b := routedAgent(w.ID, "bob@example.com")
		for _, x := range []*inbox.Agent{a, b} {
			must(t, st.CreateAgent(ctx, x), "CreateAgent "+x.Email)
		}

		// Only the status and its time change; a name changed meanwhile
		// by UpdateAgent is kept.
		a.Name = "Alice A."
		must(t, st.UpdateAgent(ctx, a), "UpdateAgent")
		must(t, st.SetAgentStatus(ctx, w.ID, a.ID, inbox.AgentRONA, at(2*time.Hour+9*time.Millisecond)), "SetAgentStatus")
		a.Status, a.StatusAt = inbox.AgentRONA, at(2*time.Hour+9*time.Millisecond)
		checkAgent(t, st, "agent after SetAgentStatus", a)

		must(t, st.SetAgentRoutedAt(ctx, w.ID, a.ID, at(3*time.Hour+1*time.Millisecond)), "SetAgentRoutedAt")
		a.RoutedAt = at(3*time.Hour + 1*time.Millisecond)
		checkAgent(t, st, "agent after SetAgentRoutedAt", a)

		must(t, st.SetAgentStatus(ctx, w.ID, a.ID, inbox.AgentOffline, at(4*time.Hour)), "SetAgentStatus again")
		a.Status, a.StatusAt = inbox.AgentOffline, at(4*time.Hour)
		checkAgent(t, st, "agent after second SetAgentStatus", a)
		checkAgent(t, st, "other agent", b)
	})

	s.run(t, "SetOnUnknownOrForeignAgent", func(t *testing.T, st inbox.Store) {
		ctx := t.Context()
		w := newWorkspace(t, st, "Hotel")
		other := newWorkspace(t, st, "Other")
		a := routedAgent(w.ID, "alice@example.com")
		must(t, st.CreateAgent(ctx, a), "CreateAgent")

		err := st.SetAgentStatus(ctx, other.ID, a.ID, inbox.AgentAway, at(time.Hour))
		wantErr(t, err, inbox.ErrNotFound, "SetAgentStatus with other workspace")
		err = st.SetAgentRoutedAt(ctx, other.ID, a.ID, at(time.Hour))
		wantErr(t, err, inbox.ErrNotFound, "SetAgentRoutedAt with other workspace")
		err = st.SetAgentStatus(ctx, w.ID, inbox.NewID(), inbox.AgentAway, at(time.Hour))
		wantErr(t, err, inbox.ErrNotFound, "SetAgentStatus unknown agent")
		err = st.SetAgentRoutedAt(ctx, w.ID, inbox.NewID(), at(time.Hour))
		wantErr(t, err, inbox.ErrNotFound, "SetAgentRoutedAt unknown agent")
		checkAgent(t, st, "agent after refused sets", a)
		list, err := st.ListAgents(ctx, other.ID)
		must(t, err, "ListAgents other")
		if len(list) != 0 {
			t.Errorf("a refused set created agents in the other workspace: %s", dump(list))
		}
	})
}
