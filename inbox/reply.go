package inbox

import (
	"context"
	"strconv"
	"time"
)

// ReplyInput is what an agent writes.
type ReplyInput struct {
	Text        string
	Private     bool
	Attachments []Attachment
}

// Reply stores an agent's message. A private note is seen by agents only
// and changes nothing else. A public reply answers the customer and:
//   - takes the conversation from the bot (bot → open, assigned to the
//     agent) — an agent stepping in silences the bot;
//   - brings a pending conversation back to open (replying from the
//     Pending tab), assignee kept;
//   - assigns an unassigned open conversation to the agent who answers.
//
// Replies are refused on closed and spam conversations (reopen first), and
// on a conversation another agent holds unless the actor is a participant
// or an admin.
func (s *Service) Reply(ctx context.Context, actor Actor, conversationID string, in ReplyInput) (*Message, *Conversation, error) {
	if err := s.ValidateText(in.Text, len(in.Attachments)); err != nil {
		return nil, nil, err
	}
	if in.Private {
		return s.note(ctx, actor, conversationID, in)
	}
	if err := s.checkChannelText(ctx, actor.WorkspaceID, conversationID, in.Text); err != nil {
		return nil, nil, err
	}
	var msg *Message
	var event EventType
	var waited *time.Duration
	conv, from, err := s.update(ctx, actor.WorkspaceID, conversationID, func(c *Conversation, now time.Time) error {
		event, waited = "", nil
		switch c.Status {
		case StatusClosed:
			return conflict("conversation_closed", "the conversation is closed: reopen it to reply")
		case StatusSpam:
			return conflict("conversation_spam", "the conversation is marked as spam")
		}
		if c.OptedOut {
			return errOptedOut()
		}
		if c.AssigneeID != "" && !c.IsParticipant(actor.AgentID) && !actor.IsAdmin() {
			return conflict("assigned_to_other", "another agent holds this conversation")
		}
		switch c.Status {
		case StatusBot:
			c.Status = StatusOpen
			c.BotMisses = 0
			event = EventAssigned
		case StatusPending:
			c.Status = StatusOpen
			c.SnoozedUntil = nil
			c.SnoozedUntilReply = false
			event = EventUnsnoozed
		}
		if c.AssigneeID == "" {
			c.AssigneeID = actor.AgentID
			if event == "" {
				event = EventAssigned
			}
		}
		msg = s.outbound(c, actor.author(), in.Text, nil, now)
		msg.Attachments = in.Attachments
		if c.AwaitingReply && c.AwaitingSince != nil {
			w := now.Sub(*c.AwaitingSince)
			waited = &w
		}
		answer(c, msg)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if err := s.addMessage(ctx, conv, msg); err != nil {
		return nil, conv, err
	}
	if event != "" {
		data := map[string]string{"agentId": conv.AssigneeID, "by": "reply"}
		if err := s.record(ctx, conv, event, actor.author(), from, data); err != nil {
			return msg, conv, err
		}
	}
	if waited != nil {
		data := map[string]string{"agentId": actor.AgentID, "waitMs": strconv.FormatInt(waited.Milliseconds(), 10)}
		if err := s.record(ctx, conv, EventReplied, actor.author(), conv.Status, data); err != nil {
			return msg, conv, err
		}
	}
	s.emitConversation(ConversationUpdated, conv)
	return msg, conv, nil
}

// note stores a private note. Any agent of the workspace may add one, so a
// colleague can be asked for advice without taking the conversation.
func (s *Service) note(ctx context.Context, actor Actor, conversationID string, in ReplyInput) (*Message, *Conversation, error) {
	conv, err := s.store.GetConversation(ctx, actor.WorkspaceID, conversationID)
	if err != nil {
		return nil, nil, err
	}
	msg := s.outbound(conv, actor.author(), in.Text, nil, s.clock.Now())
	// A note never leaves the hub: no delivery state, so the outbox skips it.
	msg.Private = true
	msg.Delivery = ""
	msg.Attachments = in.Attachments
	if err := s.addMessage(ctx, conv, msg); err != nil {
		return nil, conv, err
	}
	return msg, conv, nil
}
