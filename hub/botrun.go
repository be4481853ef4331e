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

// runBot asks the bot what to do with a stored customer message and does
// it: replies (with their buttons), a handoff to people, and the bot's
// state (unanswered count, whether it answered).
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
	actions := bot.Decide(bot.Input{
		Conversation:  *conv,
		Message:       *res.Message,
		First:         res.First,
		RuleSet:       rules,
		Settings:      settings,
		ContactName:   res.Contact.Name,
		WorkspaceName: ws.Name,
		LastButtons:   conv.LastButtons,
		Now:           h.svc.Now(),
	})
	type reply struct {
		text    string
		buttons []string
	}
	var replies []reply
	var handoff *bot.Action
	misses, answered := conv.BotMisses, false
	for i, a := range actions {
		switch a.Type {
		case bot.ActionReply:
			if len(replies) < maxBotReplies {
				replies = append(replies, reply{a.Text, a.Buttons})
			}
		case bot.ActionMiss:
			misses++
		case bot.ActionMatched:
			misses, answered = 0, true
		case bot.ActionHandoff:
			handoff = &actions[i]
		}
	}
	if handoff != nil {
		// Everything the bot says along with a handoff is a notice: the
		// customer still waits for a person.
		notices := make([]string, len(replies))
		for i, r := range replies {
			notices[i] = r.text
		}
		_, err := h.svc.Handoff(ctx, ch.WorkspaceID, conv.ID, handoff.TeamID, handoff.Reason, notices)
		if err == nil {
			h.metrics.Handoffs.Add(1)
			h.metrics.BotReplies.Add(int64(len(replies)))
		}
		return ignoreSilenced(err)
	}
	for _, r := range replies {
		if _, _, err := h.svc.BotReply(ctx, ch.WorkspaceID, conv.ID, r.text, r.buttons); err != nil {
			return ignoreSilenced(err)
		}
		h.metrics.BotReplies.Add(1)
	}
	if misses != conv.BotMisses || answered != conv.BotAnswered {
		return ignoreSilenced(h.svc.SetBotState(ctx, ch.WorkspaceID, conv.ID, misses, answered))
	}
	return nil
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
