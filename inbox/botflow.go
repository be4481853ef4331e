package inbox

import (
	"context"
	"time"
)

// Handoff moves a conversation from the bot to the agents' queue (or the
// team's, when teamID names a team of the workspace) and sends the
// notices to the customer. The notices do not answer the customer: the
// conversation stays awaiting a reply from a person. The hub hands off
// within a bot turn (TakeBotTurn); this is the same without a message.
func (s *Service) Handoff(ctx context.Context, workspaceID, conversationID, teamID, reason string, notices []string) (*Conversation, error) {
	conv, err := s.store.GetConversation(ctx, workspaceID, conversationID)
	if err != nil {
		return nil, err
	}
	turn := BotTurn{Handoff: &BotHandoff{TeamID: teamID, Reason: reason}}
	for _, text := range notices {
		turn.Replies = append(turn.Replies, BotText{Text: text})
	}
	res, err := s.TakeBotTurn(ctx, conv, turn)
	if err != nil && !res.HandedOff {
		return nil, err
	}
	return res.Conversation, err
}

// outbound builds a queued message to the customer (note() makes it private).
func (s *Service) outbound(c *Conversation, author Author, text string, buttons []string, now time.Time) *Message {
	return &Message{
		ID:             NewID(),
		WorkspaceID:    c.WorkspaceID,
		ConversationID: c.ID,
		ChannelID:      c.ChannelID,
		Direction:      DirectionOut,
		Author:         author,
		Text:           text,
		Buttons:        buttons,
		CreatedAt:      now,
		Delivery:       DeliveryQueued,
	}
}

// answer records on c that msg, a public reply, answered the customer.
func answer(c *Conversation, msg *Message) {
	c.AwaitingReply = false
	c.AwaitingSince = nil
	c.LastMessageAt = msg.CreatedAt
	c.LastMessageText = preview(msg)
}

// addMessage stores a message written on c by an agent or the bot and
// announces it.
func (s *Service) addMessage(ctx context.Context, c *Conversation, m *Message) error {
	if err := s.store.AddMessage(ctx, m); err != nil {
		return err
	}
	cp := *m
	s.emit(Change{Kind: MessageCreated, WorkspaceID: c.WorkspaceID, Conversation: c, Message: &cp})
	return nil
}

// SetDelivery records how far an outbound message got. States only move
// forward (provider callbacks arrive out of order); a state at or behind
// the stored one changes nothing and announces nothing. externalID, when
// set, is the provider's id for the message (status callbacks name it).
func (s *Service) SetDelivery(ctx context.Context, m *Message, d Delivery, errText, externalID string) (bool, error) {
	changed, err := s.store.AdvanceDelivery(ctx, m.WorkspaceID, m.ID, d, errText, externalID)
	if err != nil || !changed {
		return false, err
	}
	cp := *m
	cp.Delivery = d
	cp.DeliveryError = errText
	if externalID != "" {
		cp.ExternalID = externalID
	}
	s.emit(Change{Kind: MessageUpdated, WorkspaceID: m.WorkspaceID, Message: &cp})
	return true, nil
}
