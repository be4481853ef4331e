package inbox

import (
	"context"
	"time"
)

// MaxSnooze is the furthest ahead a hold may be set.
const MaxSnooze = 366 * 24 * time.Hour

// SnoozeInput says until when a conversation is on hold: a time, or until
// the customer replies.
type SnoozeInput struct {
	Until      *time.Time
	UntilReply bool
}

// Snooze puts an open conversation on hold (pending). A pending one may be
// snoozed again to change its time. The bot stays off while pending.
func (s *Service) Snooze(ctx context.Context, actor Actor, conversationID string, in SnoozeInput) (*Conversation, error) {
	now := s.clock.Now()
	if (in.Until == nil) == !in.UntilReply {
		return nil, Invalid("until", "give either until (a time) or untilReply: true")
	}
	if in.Until != nil {
		if !in.Until.After(now) {
			return nil, Invalid("until", "the time is in the past")
		}
		if in.Until.Sub(now) > MaxSnooze {
			return nil, Invalid("until", "the time is more than a year ahead")
		}
	}
	data := map[string]string{}
	if in.Until != nil {
		data["until"] = in.Until.UTC().Format(time.RFC3339)
	} else {
		data["untilReply"] = "true"
	}
	return s.act(ctx, actor, conversationID, EventSnoozed, data, func(c *Conversation, _ time.Time) error {
		if c.Status != StatusOpen && c.Status != StatusPending {
			return conflict("invalid_transition", "only open or pending conversations can be put on hold (this one is %s)", c.Status)
		}
		if err := mayHandOn(actor, c); err != nil {
			return err
		}
		c.Status = StatusPending
		c.SnoozedUntilReply = in.UntilReply
		c.SnoozedUntil = nil
		if in.Until != nil {
			u := in.Until.UTC()
			c.SnoozedUntil = &u
		}
		return nil
	})
}

// HoldBatch is how many holds one store call releases.
const HoldBatch = 500

// ReleaseDueHolds brings every pending conversation whose hold time has
// come back to open, in batches, however late the job runs. Each release
// is won by exactly one caller, so several hub instances may run it at
// once. It returns how many this call released.
func (s *Service) ReleaseDueHolds(ctx context.Context) (int, error) {
	now := s.clock.Now()
	total := 0
	for {
		batch, err := s.store.ReleaseDueHolds(ctx, now, HoldBatch)
		if err != nil {
			return total, err
		}
		for i := range batch {
			c := &batch[i]
			if err := s.record(ctx, c, EventUnsnoozed, Author{Type: AuthorSystem}, StatusPending, map[string]string{"by": "timer"}); err != nil {
				return total, err
			}
			s.emitConversation(ConversationUpdated, c)
		}
		total += len(batch)
		if len(batch) < HoldBatch {
			return total, nil
		}
	}
}
