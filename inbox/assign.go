package inbox

import (
	"context"
	"slices"
	"time"
)

// agentOf checks that agentID is an active agent of the workspace.
func (s *Service) agentOf(ctx context.Context, workspaceID, agentID string) (*Agent, error) {
	a, err := s.store.GetAgent(ctx, workspaceID, agentID)
	if err != nil {
		return nil, Invalid("agentId", "no such agent")
	}
	if a.Disabled {
		return nil, Invalid("agentId", "the agent is disabled")
	}
	return a, nil
}

// workable refuses actions on conversations that are closed or spam.
func workable(c *Conversation) error {
	switch c.Status {
	case StatusClosed:
		return conflict("conversation_closed", "the conversation is closed")
	case StatusSpam:
		return conflict("conversation_spam", "the conversation is marked as spam")
	}
	return nil
}

// Assign gives the conversation to agentID ("" means the actor). One agent
// holds a conversation at a time: assigning one held by someone else fails
// with a ConflictError (use Transfer). Only admins assign to others.
// Assigning a conversation the bot holds takes it from the bot.
func (s *Service) Assign(ctx context.Context, actor Actor, conversationID, agentID string) (*Conversation, error) {
	if agentID == "" {
		agentID = actor.AgentID
	}
	if agentID != actor.AgentID {
		if !actor.IsAdmin() {
			return nil, ErrForbidden
		}
		if _, err := s.agentOf(ctx, actor.WorkspaceID, agentID); err != nil {
			return nil, err
		}
	}
	return s.act(ctx, actor, conversationID, EventAssigned, map[string]string{"agentId": agentID}, func(c *Conversation, _ time.Time) error {
		if err := workable(c); err != nil {
			return err
		}
		if c.AssigneeID == agentID {
			return conflict("already_assigned", "the conversation is already assigned to this agent")
		}
		if c.AssigneeID != "" {
			return conflict("assigned_to_other", "another agent holds this conversation")
		}
		c.AssigneeID = agentID
		c.Participants = slices.DeleteFunc(c.Participants, func(p string) bool { return p == agentID })
		if c.Status == StatusBot {
			c.Status = StatusOpen
			c.BotMisses = 0
		}
		return nil
	})
}

// mayHandOn reports whether the actor may give away a conversation: its
// assignee, or an admin; anyone when nobody holds it.
func mayHandOn(actor Actor, c *Conversation) error {
	if c.AssigneeID == "" || c.AssigneeID == actor.AgentID || actor.IsAdmin() {
		return nil
	}
	return conflict("assigned_to_other", "only the assignee or an admin may do this")
}

// Release puts the conversation back in the unassigned queue.
func (s *Service) Release(ctx context.Context, actor Actor, conversationID string) (*Conversation, error) {
	return s.act(ctx, actor, conversationID, EventReleased, nil, func(c *Conversation, _ time.Time) error {
		if err := workable(c); err != nil {
			return err
		}
		if c.AssigneeID == "" {
			return conflict("not_assigned", "the conversation is not assigned")
		}
		if err := mayHandOn(actor, c); err != nil {
			return err
		}
		c.AssigneeID = ""
		return nil
	})
}

// TransferInput names the target of a transfer: an agent or a team.
type TransferInput struct {
	AgentID string
	TeamID  string
}

// Transfer hands the conversation on. To an agent it is an offer the agent
// must accept within the workspace's offer timeout (the conversation stays
// with its assignee meanwhile; not accepted, it goes back to the queue).
// To a team it joins the END of that team's queue, unassigned. Only the
// assignee or an admin may transfer; moving a conversation to a team in
// which the actor is the only available agent would bounce it straight
// back, so it is refused (only_available_agent).
func (s *Service) Transfer(ctx context.Context, actor Actor, conversationID string, to TransferInput) (*Conversation, error) {
	if (to.AgentID == "") == (to.TeamID == "") {
		return nil, Invalid("agentId", "give exactly one of agentId or teamId")
	}
	settings, err := s.settings(ctx, actor.WorkspaceID)
	if err != nil {
		return nil, err
	}
	data := map[string]string{}
	if to.AgentID != "" {
		if _, err := s.agentOf(ctx, actor.WorkspaceID, to.AgentID); err != nil {
			return nil, err
		}
		data["agentId"] = to.AgentID
	} else {
		team, err := s.store.GetTeam(ctx, actor.WorkspaceID, to.TeamID)
		if err != nil {
			return nil, Invalid("teamId", "no such team")
		}
		if err := s.checkNotOnlyAvailable(ctx, actor, team); err != nil {
			return nil, err
		}
		data["teamId"] = to.TeamID
	}
	return s.act(ctx, actor, conversationID, EventTransferred, data, func(c *Conversation, now time.Time) error {
		if err := workable(c); err != nil {
			return err
		}
		if c.AssigneeID == "" || (c.AssigneeID != actor.AgentID && !actor.IsAdmin()) {
			return conflict("not_assignee", "only the assignee or an admin may transfer this conversation")
		}
		if c.Status == StatusBot {
			c.Status = StatusOpen
			c.BotMisses = 0
		}
		if to.AgentID != "" {
			if c.AssigneeID == to.AgentID {
				return conflict("already_assigned", "the conversation is already assigned to this agent")
			}
			c.Offer = &Offer{AgentID: to.AgentID, Kind: OfferTransfer, FromAgentID: actor.AgentID, At: now, ExpiresAt: now.Add(offerTimeout(settings))}
			return nil
		}
		c.AssigneeID = ""
		c.TeamID = to.TeamID
		c.Offer = nil
		c.QueuedAt = &now // the end of the team's queue
		c.OfferAttempts = 0
		return nil
	})
}

// checkNotOnlyAvailable refuses a transfer to a team whose only available
// member is the actor.
func (s *Service) checkNotOnlyAvailable(ctx context.Context, actor Actor, team *Team) error {
	if !slices.Contains(team.AgentIDs, actor.AgentID) {
		return nil
	}
	for _, id := range team.AgentIDs {
		if id == actor.AgentID {
			continue
		}
		if a, err := s.store.GetAgent(ctx, actor.WorkspaceID, id); err == nil && !a.Disabled && a.Status == AgentAvailable {
			return nil
		}
	}
	return conflict("only_available_agent", "you are the only available agent of this team: the conversation would come straight back to you")
}

// Invite asks an agent to join the conversation (conference). They become
// a participant — who sees everything and may reply — once they accept,
// within the offer timeout; the assignee stays accountable.
func (s *Service) Invite(ctx context.Context, actor Actor, conversationID, agentID string) (*Conversation, error) {
	if _, err := s.agentOf(ctx, actor.WorkspaceID, agentID); err != nil {
		return nil, err
	}
	settings, err := s.settings(ctx, actor.WorkspaceID)
	if err != nil {
		return nil, err
	}
	return s.act(ctx, actor, conversationID, EventInvited, map[string]string{"agentId": agentID}, func(c *Conversation, now time.Time) error {
		if err := workable(c); err != nil {
			return err
		}
		if c.IsParticipant(agentID) {
			return conflict("already_participant", "the agent is already in this conversation")
		}
		if !c.IsParticipant(actor.AgentID) && !actor.IsAdmin() {
			return conflict("not_participant", "only people in the conversation may invite")
		}
		c.Invites = slices.DeleteFunc(c.Invites, func(i Invite) bool { return i.AgentID == agentID })
		c.Invites = append(c.Invites, Invite{AgentID: agentID, FromAgentID: actor.AgentID, ExpiresAt: now.Add(offerTimeout(settings))})
		return nil
	})
}

// AcceptInvite makes the actor a participant of a conversation they were
// invited to; an expired or missing invitation is a conflict.
func (s *Service) AcceptInvite(ctx context.Context, actor Actor, conversationID string) (*Conversation, error) {
	return s.act(ctx, actor, conversationID, EventAccepted, map[string]string{"agentId": actor.AgentID, "kind": "invite"}, func(c *Conversation, now time.Time) error {
		i := slices.IndexFunc(c.Invites, func(i Invite) bool { return i.AgentID == actor.AgentID })
		if i < 0 {
			return conflict("no_invite", "you are not invited to this conversation")
		}
		expired := !now.Before(c.Invites[i].ExpiresAt)
		c.Invites = slices.Delete(c.Invites, i, i+1)
		if expired {
			return conflict("invite_expired", "the invitation expired")
		}
		if err := workable(c); err != nil {
			return err
		}
		c.Participants = append(c.Participants, actor.AgentID)
		return nil
	})
}

// Leave removes the actor from the participants.
func (s *Service) Leave(ctx context.Context, actor Actor, conversationID string) (*Conversation, error) {
	return s.act(ctx, actor, conversationID, EventLeft, map[string]string{"agentId": actor.AgentID}, func(c *Conversation, _ time.Time) error {
		if !slices.Contains(c.Participants, actor.AgentID) {
			return conflict("not_participant", "you are not a participant of this conversation")
		}
		c.Participants = slices.DeleteFunc(c.Participants, func(p string) bool { return p == actor.AgentID })
		return nil
	})
}

// EndConference sends every invited participant away (assignee or admin).
func (s *Service) EndConference(ctx context.Context, actor Actor, conversationID string) (*Conversation, error) {
	return s.act(ctx, actor, conversationID, EventLeft, map[string]string{"conference": "ended"}, func(c *Conversation, _ time.Time) error {
		if len(c.Participants) == 0 && len(c.Invites) == 0 {
			return conflict("no_conference", "nobody else is in this conversation")
		}
		if c.AssigneeID != actor.AgentID && !actor.IsAdmin() {
			return conflict("not_assignee", "only the assignee or an admin may end the conference")
		}
		c.Participants = nil
		c.Invites = nil
		return nil
	})
}
