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

// Transfer hands the conversation to another agent, or to a team's queue
// (unassigned, in that team). In this version a transfer to an agent takes
// effect at once; offers that must be accepted come with routing.
func (s *Service) Transfer(ctx context.Context, actor Actor, conversationID string, to TransferInput) (*Conversation, error) {
	if (to.AgentID == "") == (to.TeamID == "") {
		return nil, Invalid("agentId", "give exactly one of agentId or teamId")
	}
	data := map[string]string{}
	if to.AgentID != "" {
		if _, err := s.agentOf(ctx, actor.WorkspaceID, to.AgentID); err != nil {
			return nil, err
		}
		data["agentId"] = to.AgentID
	} else {
		if _, err := s.store.GetTeam(ctx, actor.WorkspaceID, to.TeamID); err != nil {
			return nil, Invalid("teamId", "no such team")
		}
		data["teamId"] = to.TeamID
	}
	return s.act(ctx, actor, conversationID, EventTransferred, data, func(c *Conversation, _ time.Time) error {
		if err := workable(c); err != nil {
			return err
		}
		if err := mayHandOn(actor, c); err != nil {
			return err
		}
		if to.AgentID != "" {
			if c.AssigneeID == to.AgentID {
				return conflict("already_assigned", "the conversation is already assigned to this agent")
			}
			c.AssigneeID = to.AgentID
			c.Participants = slices.DeleteFunc(c.Participants, func(p string) bool { return p == to.AgentID })
		} else {
			c.AssigneeID = ""
			c.TeamID = to.TeamID
		}
		if c.Status == StatusBot {
			c.Status = StatusOpen
			c.BotMisses = 0
		}
		return nil
	})
}

// Invite adds an agent as a participant (conference): they see the
// conversation and may reply; the assignee stays accountable.
func (s *Service) Invite(ctx context.Context, actor Actor, conversationID, agentID string) (*Conversation, error) {
	if _, err := s.agentOf(ctx, actor.WorkspaceID, agentID); err != nil {
		return nil, err
	}
	return s.act(ctx, actor, conversationID, EventInvited, map[string]string{"agentId": agentID}, func(c *Conversation, _ time.Time) error {
		if err := workable(c); err != nil {
			return err
		}
		if c.IsParticipant(agentID) {
			return conflict("already_participant", "the agent is already in this conversation")
		}
		c.Participants = append(c.Participants, agentID)
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
