package inbox

import (
	"context"
	"errors"
	"time"
)

// BotText is one message the bot writes.
type BotText struct {
	Text    string
	Buttons []string
}

// BotTurn is everything the bot does about one customer message; the hub
// decides it (package bot) and TakeBotTurn stores it.
type BotTurn struct {
	// MessageID is the customer message the turn answers. The replies' ids
	// derive from it (ReplyID), and the conversation records it when the
	// turn completes, which is what makes a repeated turn harmless. Empty
	// for a turn tied to no message (Handoff): fresh ids, nothing recorded.
	MessageID string
	// Replies go to the customer in order. With a handoff they are
	// notices: they do not answer the customer, who now waits for a
	// person, and carry no buttons.
	Replies []BotText
	// Misses and Answered are the bot's state after the turn
	// (Conversation.BotMisses and BotAnswered); a handoff resets them.
	Misses   int
	Answered bool
	// Handoff, when set, moves the conversation from the bot to people.
	Handoff *BotHandoff
}

// BotHandoff hands a conversation to TeamID's queue (the workspace's when
// empty or when the team no longer exists), for Reason.
type BotHandoff struct {
	TeamID string
	Reason string
}

// TurnResult is what one TakeBotTurn call did.
type TurnResult struct {
	// Conversation is the conversation after the call.
	Conversation *Conversation
	// Stored counts the replies this call stored: a repeated turn finds
	// them stored and counts none.
	Stored int
	// HandedOff is set when this call handed the conversation off.
	HandedOff bool
	// Repeat is set when the turn had completed before (a retry racing
	// the original, or a crash after the turn's last write), or the turn
	// of a newer customer message had: nothing was recorded.
	Repeat bool
}

// errTurnDone stops a turn's conversation update when another run of the
// same turn completed first.
var errTurnDone = errors.New("inbox: bot turn already completed")

// TakeBotTurn stores the bot's turn on conv, the conversation as the
// caller read it before deciding (its version saves a read). It fails with
// a ConflictError when the conversation is no longer with the bot: the bot
// never speaks to a conversation an agent has.
//
// A turn may run more than once for the same message (after a crash, or
// for a provider retry arriving while the original is running), and is
// stored once. The replies are written first, with ids derived from the
// message and their index: a second run's copies are refused by the store
// (ErrDuplicate) and count as stored, so no reply is sent or announced
// twice. Then one conditional update of the conversation records it all:
// the answer, the buttons, the bot's state or the handoff, and the turn's
// message (BotTurnMessageID). A run that finds that update done changes
// nothing, so misses are not counted twice and a handoff happens once. A
// crash before that update leaves the conversation as the turn found it:
// the next run decides the same and finishes the turn.
//
// This costs one store call per reply plus one update, where storing each
// reply and then the state used to cost two calls per reply plus two.
func (s *Service) TakeBotTurn(ctx context.Context, conv *Conversation, turn BotTurn) (*TurnResult, error) {
	res := &TurnResult{Conversation: conv}
	if turnDone(conv, turn) {
		res.Repeat = true
		return res, nil
	}
	if conv.Status != StatusBot {
		return res, botSilenced(conv)
	}
	teamID := ""
	if h := turn.Handoff; h != nil && h.TeamID != "" {
		// A rule pointing at a deleted team falls back to the workspace queue.
		if _, err := s.store.GetTeam(ctx, conv.WorkspaceID, h.TeamID); err == nil {
			teamID = h.TeamID
		}
	}
	now := s.clock.Now()
	msgs := make([]*Message, len(turn.Replies))
	var fresh []*Message
	for i, r := range turn.Replies {
		buttons := r.Buttons
		if turn.Handoff != nil {
			buttons = nil
		}
		m := s.outbound(conv, Author{Type: AuthorBot, Name: "Bot"}, r.Text, buttons, now)
		if turn.MessageID != "" {
			m.ID = ReplyID(turn.MessageID, i)
		}
		msgs[i] = m
		switch err := s.store.AddMessage(ctx, m); {
		case err == nil:
			fresh = append(fresh, m)
		case errors.Is(err, ErrDuplicate):
			// Stored by an earlier run of this turn.
		default:
			s.announce(conv, fresh)
			res.Stored = len(fresh)
			return res, err
		}
	}
	res.Stored = len(fresh)
	if len(msgs) == 0 && turn.Handoff == nil && turn.Misses == conv.BotMisses && turn.Answered == conv.BotAnswered {
		// Nothing to record (a lone emoji): no write. Running this turn
		// again finds nothing to do either.
		return res, nil
	}
	c, from, err := s.updateFrom(ctx, conv.WorkspaceID, conv.ID, conv, func(c *Conversation, _ time.Time) error {
		if turnDone(c, turn) {
			return errTurnDone
		}
		if c.Status != StatusBot {
			return botSilenced(c)
		}
		if turn.Handoff != nil {
			c.Status = StatusOpen
			c.TeamID = teamID
			c.BotMisses = 0
			c.BotAnswered = false
			c.LastButtons = nil
		} else {
			if n := len(msgs); n > 0 {
				answer(c, msgs[n-1])
				// The latest buttons are the ones a numbered reply refers to.
				c.LastButtons = msgs[n-1].Buttons
			}
			c.BotMisses, c.BotAnswered = turn.Misses, turn.Answered
		}
		if turn.MessageID != "" {
			c.BotTurnMessageID = turn.MessageID
		}
		return nil
	})
	if errors.Is(err, errTurnDone) {
		res.Repeat = true
		s.announce(conv, fresh)
		return res, nil
	}
	if err != nil {
		// Replies stored before an agent took the conversation are
		// stored all the same: announce them.
		s.announce(conv, fresh)
		return res, err
	}
	res.Conversation = c
	s.announce(c, fresh)
	if turn.Handoff == nil {
		return res, nil
	}
	res.HandedOff = true
	data := map[string]string{"reason": turn.Handoff.Reason}
	if teamID != "" {
		data["teamId"] = teamID
	}
	if err := s.record(ctx, c, EventHandoff, Author{Type: AuthorBot}, from, data); err != nil {
		return res, err
	}
	s.emitConversation(ConversationUpdated, c)
	return res, nil
}

// turnDone reports whether c records turn as completed, or a turn of a
// newer message (ids sort by arrival): a late run of an old turn must not
// write its state over the newer one's.
func turnDone(c *Conversation, turn BotTurn) bool {
	return turn.MessageID != "" && c.BotTurnMessageID >= turn.MessageID
}

// announce tells listeners about messages the bot stored on c (the outbox
// wakes up for them, agents see them).
func (s *Service) announce(c *Conversation, msgs []*Message) {
	for _, m := range msgs {
		cp := *m
		s.emit(Change{Kind: MessageCreated, WorkspaceID: c.WorkspaceID, Conversation: c, Message: &cp})
	}
}

func botSilenced(c *Conversation) error {
	return conflict("bot_silenced", "the bot does not speak while the conversation is %s", c.Status)
}
