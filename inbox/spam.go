package inbox

import (
	"context"
	"time"
)

// MarkSpam moves a conversation to spam and blocks its contact on that
// channel: later messages are stored, with no bot, no notification and no
// survey. The conversation status is what Ingest checks first, so the
// block holds even if the second write (the contact's flag) fails.
func (s *Service) MarkSpam(ctx context.Context, actor Actor, conversationID string) (*Conversation, error) {
	c, err := s.act(ctx, actor, conversationID, EventSpam, nil, func(c *Conversation, _ time.Time) error {
		if c.Status == StatusSpam {
			return conflict("invalid_transition", "the conversation is already spam")
		}
		c.Status = StatusSpam
		c.SnoozedUntil = nil
		c.SnoozedUntilReply = false
		c.AwaitingReply = false
		c.AwaitingSince = nil
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c, s.store.SetContactBlocked(ctx, c.WorkspaceID, c.ContactID, c.ChannelID, true)
}

// NotSpam lifts the block and puts the conversation back in the queue.
func (s *Service) NotSpam(ctx context.Context, actor Actor, conversationID string) (*Conversation, error) {
	conv, err := s.store.GetConversation(ctx, actor.WorkspaceID, conversationID)
	if err != nil {
		return nil, err
	}
	if conv.Status != StatusSpam {
		return nil, conflict("invalid_transition", "the conversation is not spam")
	}
	// Unblock first: if the status change then fails, the agent retries
	// and nothing is lost; the other order could leave an open
	// conversation whose contact is still silenced.
	if err := s.store.SetContactBlocked(ctx, conv.WorkspaceID, conv.ContactID, conv.ChannelID, false); err != nil {
		return nil, err
	}
	return s.act(ctx, actor, conversationID, EventNotSpam, nil, func(c *Conversation, _ time.Time) error {
		if c.Status != StatusSpam {
			return conflict("invalid_transition", "the conversation is not spam")
		}
		c.Status = StatusOpen
		return nil
	})
}
