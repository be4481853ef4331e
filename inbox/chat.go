package inbox

import (
	"context"
	"slices"
	"strings"
)

// Team chat: agents write to each other without a customer, one to one
// ("dm:<a>:<b>", the two ids sorted) or in a team's room ("team:<id>").
// It never touches conversations, events or reports.

// DirectRoom is the room of two agents.
func DirectRoom(a, b string) string {
	if b < a {
		a, b = b, a
	}
	return "dm:" + a + ":" + b
}

// CanChat reports whether the actor may read and write in room: a team
// room is its members' (and admins'); a direct room its two agents'.
func (s *Service) CanChat(ctx context.Context, actor Actor, room string) error {
	if id, ok := strings.CutPrefix(room, "team:"); ok {
		t, err := s.store.GetTeam(ctx, actor.WorkspaceID, id)
		if err != nil {
			return ErrNotFound
		}
		if !actor.IsAdmin() && !slices.Contains(t.AgentIDs, actor.AgentID) {
			return ErrForbidden
		}
		return nil
	}
	if ids, ok := strings.CutPrefix(room, "dm:"); ok {
		a, b, ok := strings.Cut(ids, ":")
		if !ok || room != DirectRoom(a, b) || a == b {
			return ErrNotFound
		}
		if actor.AgentID != a && actor.AgentID != b {
			return ErrForbidden
		}
		other := a
		if other == actor.AgentID {
			other = b
		}
		if _, err := s.store.GetAgent(ctx, actor.WorkspaceID, other); err != nil {
			return ErrNotFound
		}
		return nil
	}
	return ErrNotFound
}

// SendChat stores a team chat message and announces it to the room.
func (s *Service) SendChat(ctx context.Context, actor Actor, room, text string) (*ChatMessage, error) {
	if err := s.ValidateText(text, 0); err != nil {
		return nil, err
	}
	if err := s.CanChat(ctx, actor, room); err != nil {
		return nil, err
	}
	m := &ChatMessage{ID: NewID(), WorkspaceID: actor.WorkspaceID, Room: room, AuthorID: actor.AgentID, AuthorName: actor.Name, Text: text, CreatedAt: s.clock.Now()}
	if err := s.store.AddChatMessage(ctx, m); err != nil {
		return nil, err
	}
	cp := *m
	s.emit(Change{Kind: ChatCreated, WorkspaceID: actor.WorkspaceID, Chat: &cp})
	return m, nil
}

// ListChat returns a room's messages after afterID.
func (s *Service) ListChat(ctx context.Context, actor Actor, room, afterID string) ([]ChatMessage, error) {
	if err := s.CanChat(ctx, actor, room); err != nil {
		return nil, err
	}
	return s.store.ListChatMessages(ctx, actor.WorkspaceID, room, afterID, 200)
}

// ChatRooms lists the rooms the actor may use: their teams' rooms (all
// teams for admins) and a direct room with every other active agent.
func (s *Service) ChatRooms(ctx context.Context, actor Actor) ([]string, error) {
	teams, err := s.store.ListTeams(ctx, actor.WorkspaceID)
	if err != nil {
		return nil, err
	}
	var rooms []string
	for _, t := range teams {
		if actor.IsAdmin() || slices.Contains(t.AgentIDs, actor.AgentID) {
			rooms = append(rooms, "team:"+t.ID)
		}
	}
	agents, err := s.store.ListAgents(ctx, actor.WorkspaceID)
	if err != nil {
		return nil, err
	}
	for _, a := range agents {
		if a.ID != actor.AgentID && !a.Disabled {
			rooms = append(rooms, DirectRoom(actor.AgentID, a.ID))
		}
	}
	return rooms, nil
}

// ChatAudience reports whether agentID (with role) may see a message of
// room; the live feed uses it to keep rooms private.
func ChatAudience(room, agentID string, isAdmin bool, teamMembers []string) bool {
	if strings.HasPrefix(room, "team:") {
		return isAdmin || slices.Contains(teamMembers, agentID)
	}
	ids, _ := strings.CutPrefix(room, "dm:")
	a, b, _ := strings.Cut(ids, ":")
	return agentID == a || agentID == b
}
