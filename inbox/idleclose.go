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
	return s.closeQuiet(ctx, StatusBot, func(w WorkspaceSettings) time.Duration {
		if w.BotIdleCloseMinutes > 0 {
			return time.Duration(w.BotIdleCloseMinutes) * time.Minute
		}
		return defaultBotIdleClose
	}, func(c *Conversation) bool { return c.BotAnswered },
		Author{Type: AuthorBot}, map[string]string{"automated": "true"})
}

// CloseIdleConversations closes open conversations whose last message is
// older than the workspace's IdleCloseMinutes (off when 0), as the system,
// without a survey. It returns how many it closed.
func (s *Service) CloseIdleConversations(ctx context.Context) (int, error) {
	return s.closeQuiet(ctx, StatusOpen, func(w WorkspaceSettings) time.Duration {
		return time.Duration(w.IdleCloseMinutes) * time.Minute
	}, func(*Conversation) bool { return true },
		Author{Type: AuthorSystem}, map[string]string{"idle": "true"})
}

// closeQuiet closes, in every workspace whose idle time (from settings) is
// positive, the conversations in status whose last message is older than
// that and that eligible accepts; each close is re-checked in its own
// conditional update.
func (s *Service) closeQuiet(ctx context.Context, status Status, idleOf func(WorkspaceSettings) time.Duration,
	eligible func(*Conversation) bool, by Author, data map[string]string) (int, error) {
	workspaces, err := s.store.ListWorkspaces(ctx)
	if err != nil {
		return 0, err
	}
	closed := 0
	for _, w := range workspaces {
		idle := idleOf(w.Settings)
		if idle <= 0 {
			continue
		}
		before := s.clock.Now().Add(-idle)
		quiet := func(c *Conversation) bool {
			return c.Status == status && eligible(c) && !c.LastMessageAt.After(before)
		}
		cursor := ""
		for {
			convs, next, err := s.store.ListConversations(ctx, ConversationFilter{WorkspaceID: w.ID, Statuses: []Status{status}, Cursor: cursor, Limit: 200})
			if err != nil {
				return closed, err
			}
			for i := range convs {
				if !quiet(&convs[i]) {
					continue
				}
				ok, err := s.closeIf(ctx, w.ID, convs[i].ID, quiet, by, data)
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

// closeIf closes one conversation while still is true of it.
func (s *Service) closeIf(ctx context.Context, workspaceID, id string, still func(*Conversation) bool, by Author, data map[string]string) (bool, error) {
	c, from, err := s.update(ctx, workspaceID, id, func(c *Conversation, now time.Time) error {
		if !still(c) {
			return conflict("not_idle", "the conversation is active again")
		}
		c.Status = StatusClosed
		closedAt := now
		c.ClosedAt, c.ClosedBy = &closedAt, ""
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
	if err := s.record(ctx, c, EventClosed, by, from, data); err != nil {
		return true, err
	}
	s.emitConversation(ConversationUpdated, c)
	return true, nil
}
