package inbox

import (
	"context"
	"errors"
	"time"
)

// defaultBotIdleClose is how long a conversation the bot answered stays
// with the bot without a customer message before it is closed.
const defaultBotIdleClose = 30 * time.Minute

// CloseIdleBotConversations closes, in every workspace, the conversations
// the bot handled alone whose customer has been silent for the workspace's
// BotIdleCloseMinutes. They count as automated (a closed event by the bot,
// data automated=true) and get no survey. Only conversations whose latest
// bot turn answered (a rule matched) are closed: a customer left with a
// fallback is not "resolved". It returns how many were closed; cron calls
// it, and a race with the customer writing again is lost safely (the
// version check makes the close fail and the conversation stays open).
func (s *Service) CloseIdleBotConversations(ctx context.Context) (int, error) {
	workspaces, err := s.store.ListWorkspaces(ctx)
	if err != nil {
		return 0, err
	}
	closed := 0
	now := s.clock.Now()
	for _, w := range workspaces {
		idle := defaultBotIdleClose
		if w.Settings.BotIdleCloseMinutes > 0 {
			idle = time.Duration(w.Settings.BotIdleCloseMinutes) * time.Minute
		}
		cursor := ""
		for {
			convs, next, err := s.store.ListConversations(ctx, ConversationFilter{
				WorkspaceID: w.ID, Statuses: []Status{StatusBot}, Cursor: cursor, Limit: 200,
			})
			if err != nil {
				return closed, err
			}
			for i := range convs {
				c := &convs[i]
				if !c.BotAnswered || now.Sub(c.LastMessageAt) < idle {
					continue
				}
				ok, err := s.closeAutomated(ctx, c.WorkspaceID, c.ID, now.Add(-idle))
				if err != nil {
					return closed, err
				}
				if ok {
					closed++
				}
			}
			if next == "" {
				break
			}
			cursor = next
		}
	}
	return closed, nil
}

// closeAutomated closes one idle bot conversation if it is still idle.
func (s *Service) closeAutomated(ctx context.Context, workspaceID, id string, idleBefore time.Time) (bool, error) {
	c, from, err := s.update(ctx, workspaceID, id, func(c *Conversation, now time.Time) error {
		if c.Status != StatusBot || !c.BotAnswered || c.LastMessageAt.After(idleBefore) {
			return conflict("not_idle", "the conversation is no longer idle with the bot")
		}
		c.Status = StatusClosed
		closedAt := now
		c.ClosedAt = &closedAt
		c.ClosedBy = ""
		c.WrapUp = nil
		c.AwaitingReply, c.AwaitingSince = false, nil
		c.BotAnswered = false
		c.LastButtons = nil
		return nil
	})
	var conflictErr *ConflictError
	if errors.As(err, &conflictErr) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := s.record(ctx, c, EventClosed, Author{Type: AuthorBot}, from, map[string]string{"automated": "true"}); err != nil {
		return true, err
	}
	s.emitConversation(ConversationUpdated, c)
	return true, nil
}

// CloseIdleConversations closes open conversations whose last message is
// older than the workspace's IdleCloseMinutes (off when 0), as the system,
// without a survey. It returns how many it closed.
func (s *Service) CloseIdleConversations(ctx context.Context) (int, error) {
	workspaces, err := s.store.ListWorkspaces(ctx)
	if err != nil {
		return 0, err
	}
	closed := 0
	now := s.clock.Now()
	for _, w := range workspaces {
		if w.Settings.IdleCloseMinutes <= 0 {
			continue
		}
		before := now.Add(-time.Duration(w.Settings.IdleCloseMinutes) * time.Minute)
		cursor := ""
		for {
			convs, next, err := s.store.ListConversations(ctx, ConversationFilter{WorkspaceID: w.ID, Statuses: []Status{StatusOpen}, Cursor: cursor, Limit: 200})
			if err != nil {
				return closed, err
			}
			for i := range convs {
				if convs[i].LastMessageAt.After(before) {
					continue
				}
				c, from, err := s.update(ctx, w.ID, convs[i].ID, func(c *Conversation, now time.Time) error {
					if c.Status != StatusOpen || c.LastMessageAt.After(before) {
						return conflict("not_idle", "the conversation is active again")
					}
					c.Status = StatusClosed
					at := now
					c.ClosedAt, c.ClosedBy = &at, ""
					c.AwaitingReply, c.AwaitingSince = false, nil
					return nil
				})
				var ce *ConflictError
				if errors.As(err, &ce) {
					continue
				}
				if err != nil {
					return closed, err
				}
				closed++
				if err := s.record(ctx, c, EventClosed, Author{Type: AuthorSystem}, from, map[string]string{"idle": "true"}); err != nil {
					return closed, err
				}
				s.emitConversation(ConversationUpdated, c)
			}
			if next == "" {
				break
			}
			cursor = next
		}
	}
	return closed, nil
}
