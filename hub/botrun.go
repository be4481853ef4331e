package hub

import (
	"context"
	"errors"
	"sync"
	"time"

	"hub/bot"
	"hub/inbox"
)

// maxBotReplies bounds the automatic replies to one customer message, so
// no rule set can make the bot talk in a loop.
const maxBotReplies = 5

// ruleCacheTTL bounds how long a compiled rule set is used without
// looking at the store: rules saved through another hub instance are
// picked up within it (this instance drops its copy at once).
const ruleCacheTTL = 30 * time.Second

// ruleCache keeps each workspace's bot rules compiled: compiling 200 rules
// costs about 0.4 ms, deciding with them a few µs.
type ruleCache struct {
	mu      sync.Mutex
	entries map[string]ruleEntry
}

type ruleEntry struct {
	set    *bot.RuleSet
	loaded time.Time
}

func (c *ruleCache) drop(workspaceID string) {
	c.mu.Lock()
	delete(c.entries, workspaceID)
	c.mu.Unlock()
}

func (h *Hub) ruleSet(ctx context.Context, workspaceID string) (*bot.RuleSet, error) {
	c := &h.rules
	c.mu.Lock()
	e, ok := c.entries[workspaceID]
	c.mu.Unlock()
	if ok && time.Since(e.loaded) < ruleCacheTTL {
		return e.set, nil
	}
	rules, err := h.store.ListBotRules(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	e = ruleEntry{set: bot.Compile(rules), loaded: time.Now()}
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[string]ruleEntry{}
	}
	c.entries[workspaceID] = e
	c.mu.Unlock()
	return e.set, nil
}

// runBot asks the bot what to do with a stored customer message and has
// the service store it as one turn: replies (with their buttons), a
// handoff to people, and the bot's state (unanswered count, whether it
// answered).
//
// It may run more than once for the same message: for a provider retry
// after a crash between storing the message and finishing the turn, and
// for a retry arriving while the original is still running. So every
// input of the decision is one all runs share: the conversation as it was
// before the turn (the service records a turn's effects in one update, so
// a conversation read before it is the same for every run), the greeting
// named by the conversation (GreetMessageID) rather than by this request.
// Every run decides the same, and TakeBotTurn stores the turn once. (The
// one exception is the time, taken at answering for business hours, not
// at arrival: a message queued at the provider overnight is answered as
// of the morning. Runs on either side of an opening time may differ by
// an out-of-hours notice; the replies they share keep their ids.)
func (h *Hub) runBot(ctx context.Context, ch *inbox.Channel, res *inbox.IngestResult) error {
	ws := res.Workspace
	if ws == nil {
		var err error
		if ws, err = h.store.GetWorkspace(ctx, ch.WorkspaceID); err != nil {
			return err
		}
	}
	rules, err := h.ruleSet(ctx, ch.WorkspaceID)
	if err != nil {
		return err
	}
	settings := ws.Settings
	if settings.BotHandoffAfter <= 0 {
		settings.BotHandoffAfter = h.cfg.BotHandoffAfter
	}
	conv := res.Conversation
	contactName := ""
	if res.Contact != nil {
		contactName = res.Contact.Name
	}
	actions := bot.Decide(bot.Input{
		Conversation:  *conv,
		Message:       *res.Message,
		First:         conv.GreetMessageID == res.Message.ID,
		RuleSet:       rules,
		Settings:      settings,
		ContactName:   contactName,
		WorkspaceName: ws.Name,
		LastButtons:   conv.LastButtons,
		Now:           h.svc.Now(),
	})
	turn := inbox.BotTurn{MessageID: res.Message.ID, Misses: conv.BotMisses}
	for _, a := range actions {
		switch a.Type {
		case bot.ActionReply:
			if len(turn.Replies) < maxBotReplies {
				turn.Replies = append(turn.Replies, inbox.BotText{Text: a.Text, Buttons: a.Buttons})
			}
		case bot.ActionMiss:
			turn.Misses++
		case bot.ActionMatched:
			turn.Misses, turn.Answered = 0, true
		case bot.ActionHandoff:
			turn.Handoff = &inbox.BotHandoff{TeamID: a.TeamID, Reason: a.Reason}
		}
	}
	done, err := h.svc.TakeBotTurn(ctx, conv, turn)
	if done != nil {
		h.metrics.BotReplies.Add(int64(done.Stored))
		if done.HandedOff {
			h.metrics.Handoffs.Add(1)
		}
	}
	return ignoreSilenced(err)
}

// ignoreSilenced drops the conflict of an agent having taken the
// conversation while the bot was thinking: then the bot just stays quiet.
func ignoreSilenced(err error) error {
	var c *inbox.ConflictError
	if errors.As(err, &c) {
		return nil
	}
	return err
}
