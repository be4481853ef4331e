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

// SpamRules is how Ingest recognises spam automatically; the hub plugs in
// the bot package's heuristics (inbox stays free of them).
type SpamRules struct {
	// Check reports whether a message is spam, and why, given the
	// workspace settings, the text, the arrival times of the contact's
	// latest messages (this one included) and how many identical messages
	// came in a row (this one included).
	Check func(settings WorkspaceSettings, text string, recent []time.Time, repeats int) (bool, string)
	// RepeatKey is what two messages share when they count as identical.
	RepeatKey func(text string) string
}

// UseSpamRules turns automatic spam detection on. Call before use.
func (s *Service) UseSpamRules(r SpamRules) { s.spam = r }

// maxRecentInbound bounds the arrival times kept per conversation.
const maxRecentInbound = 50

// checkSpam updates c's counters with a new customer message and returns
// the reason it is spam, or "".
func (s *Service) checkSpam(c *Conversation, settings WorkspaceSettings, text string, now time.Time) string {
	if s.spam.Check == nil {
		return ""
	}
	c.RecentInbound = append(c.RecentInbound, now)
	if n := len(c.RecentInbound); n > maxRecentInbound {
		c.RecentInbound = append([]time.Time(nil), c.RecentInbound[n-maxRecentInbound:]...)
	}
	key := text
	if s.spam.RepeatKey != nil {
		key = s.spam.RepeatKey(text)
	}
	if len(key) > 200 {
		key = key[:200]
	}
	if key != "" && key == c.RepeatText {
		c.RepeatCount++
	} else {
		c.RepeatText, c.RepeatCount = key, 1
	}
	if spam, reason := s.spam.Check(settings, text, c.RecentInbound, c.RepeatCount); spam {
		return reason
	}
	return ""
}

// blockAsSpam records an automatic spam verdict and blocks the contact on
// the channel, as a manual "mark spam" would.
func (s *Service) blockAsSpam(ctx context.Context, c *Conversation, from Status, reason string) error {
	if err := s.record(ctx, c, EventSpam, Author{Type: AuthorSystem}, from, map[string]string{"auto": "true", "reason": reason}); err != nil {
		return err
	}
	return s.store.SetContactBlocked(ctx, c.WorkspaceID, c.ContactID, c.ChannelID, true)
}
