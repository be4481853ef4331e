package inbox

import (
	"context"
	"errors"
	"time"
)

// MaxSnooze is the furthest ahead a hold may be set.
const MaxSnooze = 366 * 24 * time.Hour

// SnoozeInput says until when a conversation is on hold: a time, or until
// the customer replies.
type SnoozeInput struct {
	Until      *time.Time
	UntilReply bool
	// Preset is "1h", "tonight" (18:00), "tomorrow" (9:00) or "next_week"
	// (Monday 9:00), in the workspace's time zone.
	Preset string
}

// Snooze puts an open conversation on hold (pending). A pending one may be
// snoozed again to change its time. The bot stays off while pending.
func (s *Service) Snooze(ctx context.Context, actor Actor, conversationID string, in SnoozeInput) (*Conversation, error) {
	now := s.clock.Now()
	if in.Preset != "" {
		if in.Until != nil || in.UntilReply {
			return nil, Invalid("preset", "give a preset, a time or untilReply, not several")
		}
		settings, err := s.settings(ctx, actor.WorkspaceID)
		if err != nil {
			return nil, err
		}
		until, err := HoldPreset(settings, in.Preset, now)
		if err != nil {
			return nil, err
		}
		in.Until = &until
	}
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

// HoldBatch is how many holds one store call releases. Each batch is two
// writes (the release, then its events), so larger batches commit less:
// 10,000 holds due at once (a "tomorrow 9:00" morning) take about 0.8 s
// in batches of 2,000 against 1.1 s in batches of 500 (cmd/hubbench). A
// batch holds the store's writer about 0.15 s, which a webhook arriving
// meanwhile waits for.
const HoldBatch = 2000

// ReleaseDueHolds brings every pending conversation whose hold time has
// come back to open, in batches, however late the job runs. Each release
// is won by exactly one caller, so several hub instances may run it at
// once. It returns how many this call released.
func (s *Service) ReleaseDueHolds(ctx context.Context) (int, error) {
	now := s.clock.Now()
	total := 0
	back := releaseContext{s: s, settings: map[string]WorkspaceSettings{}, agents: map[string]*Agent{}}
	for {
		batch, err := s.store.ReleaseDueHolds(ctx, now, HoldBatch)
		if err != nil {
			return total, err
		}
		if len(batch) == 0 {
			return total, nil
		}
		// One store call records the whole batch's releases.
		events := make([]*Event, len(batch))
		for i := range batch {
			events[i] = s.newEvent(&batch[i], EventUnsnoozed, Author{Type: AuthorSystem}, StatusPending, map[string]string{"by": "timer"})
		}
		if err := s.store.AppendEvents(ctx, events); err != nil {
			return total, err
		}
		for i := range batch {
			c := &batch[i]
			if err := back.returnIfAway(ctx, c); err != nil {
				return total, err
			}
			s.emitConversation(ConversationUpdated, c)
			if c.AssigneeID != "" {
				cp := *c
				s.emit(Change{Kind: HoldReleased, WorkspaceID: c.WorkspaceID, Conversation: &cp})
			}
		}
		total += len(batch)
		if len(batch) < HoldBatch {
			return total, nil
		}
	}
}

// HoldPreset turns a preset into a time, in the workspace's time zone:
// "1h" from now, "tonight" at 18:00 (tomorrow's if it is past 18:00),
// "tomorrow" at 9:00, "next_week" on Monday at 9:00.
func HoldPreset(settings WorkspaceSettings, preset string, now time.Time) (time.Time, error) {
	loc, err := time.LoadLocation(settings.TimeZone)
	if err != nil || settings.TimeZone == "" {
		loc = time.UTC
	}
	local := now.In(loc)
	at := func(days, hour int) time.Time {
		return time.Date(local.Year(), local.Month(), local.Day()+days, hour, 0, 0, 0, loc)
	}
	switch preset {
	case "1h":
		return now.Add(time.Hour), nil
	case "tonight":
		if t := at(0, 18); t.After(now) {
			return t, nil
		}
		return at(1, 18), nil
	case "tomorrow":
		return at(1, 9), nil
	case "next_week":
		days := (8 - int(local.Weekday())) % 7
		if days == 0 {
			days = 7
		}
		return at(days, 9), nil
	}
	return time.Time{}, Invalid("preset", "unknown preset %q (1h, tonight, tomorrow, next_week)", preset)
}

// releaseContext caches what returning released holds needs.
type releaseContext struct {
	s        *Service
	settings map[string]WorkspaceSettings
	agents   map[string]*Agent
}

// returnIfAway puts a released hold back in the queue when nobody holds it,
// or when its assignee is offline and the workspace asks for it.
func (r *releaseContext) returnIfAway(ctx context.Context, c *Conversation) error {
	if c.AssigneeID == "" {
		return r.queue(ctx, c)
	}
	settings, ok := r.settings[c.WorkspaceID]
	if !ok {
		var err error
		if settings, err = r.s.settings(ctx, c.WorkspaceID); err != nil {
			return err
		}
		r.settings[c.WorkspaceID] = settings
	}
	if !settings.HoldToQueueIfOffline {
		return nil
	}
	a, ok := r.agents[c.AssigneeID]
	if !ok {
		var err error
		if a, err = r.s.store.GetAgent(ctx, c.WorkspaceID, c.AssigneeID); err != nil {
			return err
		}
		r.agents[c.AssigneeID] = a
	}
	if a.Status != AgentOffline {
		return nil
	}
	away := c.AssigneeID
	conv, from, err := r.s.update(ctx, c.WorkspaceID, c.ID, func(c *Conversation, _ time.Time) error {
		if c.AssigneeID != away || c.Status != StatusOpen {
			return conflict("changed", "the conversation changed meanwhile")
		}
		c.AssigneeID = ""
		return nil
	})
	var ce *ConflictError
	if errors.As(err, &ce) {
		return nil
	}
	if err != nil {
		return err
	}
	*c = *conv
	return r.s.record(ctx, conv, EventReleased, Author{Type: AuthorSystem}, from, map[string]string{"agentId": away, "reason": "offline"})
}

// queue gives an unassigned released hold its place at the end of the
// queue: the store's batch release only reopens it, and the queue time is
// kept by the service's update path (keepQueue).
func (r *releaseContext) queue(ctx context.Context, c *Conversation) error {
	conv, _, err := r.s.update(ctx, c.WorkspaceID, c.ID, func(c *Conversation, _ time.Time) error {
		if c.AssigneeID != "" || c.Status != StatusOpen || c.QueuedAt != nil {
			return conflict("changed", "the conversation changed meanwhile")
		}
		return nil
	})
	var ce *ConflictError
	if errors.As(err, &ce) {
		return nil
	}
	if err != nil {
		return err
	}
	*c = *conv
	return nil
}
