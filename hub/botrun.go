package hub

import (
	"context"
	"errors"

	"hub/bot"
	"hub/inbox"
)

// maxBotReplies bounds the automatic replies to one customer message, so
// no rule set can make the bot talk in a loop.
const maxBotReplies = 5

// runBot asks the bot what to do with a stored customer message and does
// it: replies, a handoff to people, the count of messages it could not
// answer.
func (h *Hub) runBot(ctx context.Context, ch *inbox.Channel, res *inbox.IngestResult) error {
	ws, err := h.store.GetWorkspace(ctx, ch.WorkspaceID)
	if err != nil {
		return err
	}
	rules, err := h.store.ListBotRules(ctx, ch.WorkspaceID)
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
		Rules:         rules,
		Settings:      settings,
		ContactName:   res.Contact.Name,
		WorkspaceName: ws.Name,
	})
	var replies []string
	var handoff *bot.Action
	misses := conv.BotMisses
	for i, a := range actions {
		switch a.Type {
		case bot.ActionReply:
			if len(replies) < maxBotReplies {
				replies = append(replies, a.Text)
			}
		case bot.ActionMiss:
			misses++
		case bot.ActionMatched:
			misses = 0
		case bot.ActionHandoff:
			handoff = &actions[i]
		}
	}
	if handoff != nil {
		// Everything the bot says along with a handoff is a notice: the
		// customer still waits for a person.
		_, err := h.svc.Handoff(ctx, ch.WorkspaceID, conv.ID, handoff.TeamID, handoff.Reason, replies)
		if err == nil {
			h.metrics.Handoffs.Add(1)
			h.metrics.BotReplies.Add(int64(len(replies)))
		}
		return ignoreSilenced(err)
	}
	for _, text := range replies {
		if _, _, err := h.svc.BotReply(ctx, ch.WorkspaceID, conv.ID, text, nil); err != nil {
			return ignoreSilenced(err)
		}
		h.metrics.BotReplies.Add(1)
	}
	if misses != conv.BotMisses {
		return ignoreSilenced(h.svc.SetBotMisses(ctx, ch.WorkspaceID, conv.ID, misses))
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
