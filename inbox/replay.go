package inbox

import (
	"context"
	"errors"
)

// errApplied stops applyInbound's update when the message is already
// applied: nothing is left to write.
var errApplied = errors.New("inbox: message already applied")

// replay answers a provider retry of m, which is stored. The retry comes
// because the provider got no 2xx: the hub died (or the original request
// is still running) somewhere between storing m and finishing the bot's
// turn for it. So replay finishes what may be missing, each step safe to
// repeat:
//   - the conversation update, when it does not show m yet (applyInbound
//     applies a message once, even when the original applies it at the
//     same time);
//   - the bot's answer (BotOwed), when the conversation is still with the
//     bot, its last completed bot turn is not m's, and m is the newest
//     customer message: an old message is not answered after a newer one.
//
// The result is always a Duplicate: providers and metrics see a retry.
func (s *Service) replay(ctx context.Context, ch *Channel, m *Message, in IngestInput) (*IngestResult, error) {
	conv, err := s.store.GetConversation(ctx, m.WorkspaceID, m.ConversationID)
	if err != nil {
		return nil, err
	}
	res := &IngestResult{Conversation: conv, Message: m, OptOut: in.OptOut}
	if !inboundApplied(conv, m) {
		contact, err := s.store.GetContact(ctx, m.WorkspaceID, conv.ContactID)
		if err != nil {
			return nil, err
		}
		if res, err = s.applyInbound(ctx, ch, contact, m, in, true); err != nil {
			return nil, err
		}
	}
	res.Duplicate = true
	c := res.Conversation
	res.BotOwed = c.Status == StatusBot && c.LastInboundID == m.ID && c.BotTurnMessageID != m.ID
	if res.BotOwed && res.Contact == nil {
		// The bot addresses the customer by name; a block on the channel
		// keeps it silent.
		contact, err := s.store.GetContact(ctx, m.WorkspaceID, c.ContactID)
		if err != nil {
			return nil, err
		}
		identity, _ := contact.Identity(ch.ID)
		res.Contact, res.Blocked = contact, identity.Blocked
	}
	return res, nil
}

// inboundApplied reports whether the customer message m, or a newer one,
// has moved conversation c. LastInboundID answers it; a conversation
// without one was last written before it existed, or was created for m and
// never updated since (Version 1), and then the old rule stands: the
// conversation has seen a message at least as recent as m.
func inboundApplied(c *Conversation, m *Message) bool {
	if c.LastInboundID != "" {
		return c.LastInboundID >= m.ID
	}
	return c.Version > 1 && !c.LastMessageAt.Before(m.CreatedAt)
}
