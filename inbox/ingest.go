package inbox

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// IngestInput is a customer message as the hub hands it to the inbox.
type IngestInput struct {
	ExternalID    string
	ContactHandle string
	ContactName   string
	Text          string
	Attachments   []Attachment
	ReceivedAt    time.Time
	// ThreadRef is the provider's thread reference (kept on the conversation).
	ThreadRef string
	// OptOut is OptOutStop or OptOutStart when the message is an opt-out
	// keyword (SMS STOP/START).
	OptOut OptOut
}

// OptOut is a customer's request to stop or restart messages on a channel.
type OptOut string

// Opt-out requests.
const (
	OptOutStop  OptOut = "stop"
	OptOutStart OptOut = "start"
)

// IngestResult tells the hub what Ingest stored and what should happen next.
type IngestResult struct {
	Conversation *Conversation
	Message      *Message
	Contact      *Contact
	// Duplicate: the provider sent this message before (a retry). The
	// message is not stored again; a retry may still finish what a crash
	// or a concurrent original left undone (see BotOwed).
	Duplicate bool
	// BotOwed is set on a retry whose message the bot has not answered
	// yet, though it should have: the hub crashed (or the original request
	// is still running) between storing the message and the end of the
	// bot's turn. Running the turn again is safe (Service.TakeBotTurn).
	BotOwed bool
	// Blocked: the contact is marked spam on this channel; the message is
	// stored and nothing else must happen.
	Blocked bool
	// First: the conversation was just created or came back from closed.
	// (The bot greets the message Conversation.GreetMessageID names,
	// which a retry sees the same as the original request.)
	First bool
	// OptOut: the message was an opt-out or opt-in keyword, not for the bot.
	OptOut OptOut
	// Rated is the 1–5 score when the message answered a satisfaction survey.
	Rated int
	// Workspace is the channel's workspace as read for this message (the
	// bot reuses it instead of reading it again).
	Workspace *Workspace
}

// GreetNext as Conversation.GreetMessageID: the bot greets the next
// customer message applied to the conversation.
const GreetNext = "next"

// RunBot reports whether the bot should answer the ingested message: a
// new message, or a retry of one still owed an answer.
func (r *IngestResult) RunBot() bool {
	return (!r.Duplicate || r.BotOwed) && !r.Blocked && r.OptOut == "" && !r.Conversation.OptedOut &&
		r.Conversation.Status == StatusBot
}

// ValidateText checks a message text against the service's limits. Empty
// text is allowed only with attachments.
func (s *Service) ValidateText(text string, attachments int) error {
	if strings.TrimSpace(text) == "" && attachments == 0 {
		return InvalidCode("text_required", "text", "text is required")
	}
	if utf8.RuneCountInString(text) > s.limits.MaxTextChars {
		return InvalidCode("text_too_long", "text", "text is longer than %d characters", s.limits.MaxTextChars)
	}
	return nil
}

// Ingest stores an inbound customer message on ch and moves its
// conversation through the lifecycle. It returns once everything is
// durable. A provider retry (same ExternalID) is reported as Duplicate.
//
// The steps are separate single-document writes, ordered so that a crash
// between any two leaves nothing a retry cannot finish: the message insert
// is the dedupe point, a duplicate whose conversation missed the update
// gets it on the retry, and a retry whose bot turn did not complete is
// owed it (IngestResult.BotOwed).
func (s *Service) Ingest(ctx context.Context, ch *Channel, in IngestInput) (*IngestResult, error) {
	if err := s.ValidateText(in.Text, len(in.Attachments)); err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.ContactHandle) == "" {
		return nil, Invalid("contactHandle", "sender is required")
	}
	if ch.Disabled {
		return nil, ErrNotFound
	}
	if in.ExternalID != "" {
		if m, err := s.store.FindMessageByExternalID(ctx, ch.ID, in.ExternalID); err == nil {
			return s.replay(ctx, ch, m, in)
		} else if !errors.Is(err, ErrNotFound) {
			return nil, err
		}
	}
	contact, err := s.store.FindOrCreateContact(ctx, ch.WorkspaceID, Identity{ChannelID: ch.ID, Handle: in.ContactHandle}, in.ContactName)
	if err != nil {
		return nil, err
	}
	at := in.ReceivedAt.UTC()
	if at.IsZero() {
		at = s.clock.Now()
	}
	conv, created, err := s.findOrCreateConversation(ctx, ch, contact, at)
	if err != nil {
		return nil, err
	}
	msg := &Message{
		ID:             NewID(),
		WorkspaceID:    ch.WorkspaceID,
		ConversationID: conv.ID,
		ChannelID:      ch.ID,
		ExternalID:     in.ExternalID,
		Direction:      DirectionIn,
		Author:         Author{Type: AuthorContact, ID: contact.ID, Name: contact.Name},
		Text:           in.Text,
		Attachments:    in.Attachments,
		CreatedAt:      at,
	}
	if err := s.store.AddMessage(ctx, msg); err != nil {
		if errors.Is(err, ErrDuplicate) {
			m, ferr := s.store.FindMessageByExternalID(ctx, ch.ID, in.ExternalID)
			if ferr != nil {
				return nil, ferr
			}
			return s.replay(ctx, ch, m, in)
		}
		return nil, err
	}
	res, err := s.applyInbound(ctx, ch, contact, msg, in, false)
	if err != nil {
		return nil, err
	}
	res.First = res.First || created
	if created && !res.Blocked {
		s.emitConversation(ConversationCreated, res.Conversation)
	}
	return res, nil
}

func (s *Service) findOrCreateConversation(ctx context.Context, ch *Channel, contact *Contact, at time.Time) (*Conversation, bool, error) {
	conv, err := s.store.FindConversation(ctx, ch.WorkspaceID, ch.ID, contact.ID)
	if err == nil {
		return conv, false, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return nil, false, err
	}
	now := s.clock.Now()
	handle, _ := contact.Identity(ch.ID)
	conv = &Conversation{
		ID:            NewID(),
		WorkspaceID:   ch.WorkspaceID,
		ChannelID:     ch.ID,
		ContactID:     contact.ID,
		Status:        initialStatus(ch),
		ContactName:   contact.Name,
		ContactHandle: handle.Handle,
		LastMessageAt: at,
		CreatedAt:     now,
		UpdatedAt:     now,
	}
	if conv.Status == StatusBot {
		conv.GreetMessageID = GreetNext
	}
	keepQueue(conv, now)
	if err := s.store.CreateConversation(ctx, conv); err != nil {
		if errors.Is(err, ErrDuplicate) {
			// Another message of the same contact created it first.
			conv, err = s.store.FindConversation(ctx, ch.WorkspaceID, ch.ID, contact.ID)
			return conv, false, err
		}
		return nil, false, err
	}
	if err := s.record(ctx, conv, EventCreated, Author{Type: AuthorContact, ID: contact.ID}, "", map[string]string{"channelId": ch.ID}); err != nil {
		return nil, false, err
	}
	return conv, true, nil
}

func initialStatus(ch *Channel) Status {
	if ch.BotEnabled {
		return StatusBot
	}
	return StatusOpen
}

// applyInbound moves the conversation for a stored customer message. It
// applies a message once: when the conversation shows it applied already
// (a retry racing the original; with retry set, also a newer message
// applied), it changes nothing and returns the conversation as stored.
func (s *Service) applyInbound(ctx context.Context, ch *Channel, contact *Contact, msg *Message, in IngestInput, retry bool) (*IngestResult, error) {
	identity, _ := contact.Identity(ch.ID)
	res := &IngestResult{Message: msg, Contact: contact, OptOut: in.OptOut}
	ws, err := s.store.GetWorkspace(ctx, ch.WorkspaceID)
	if err != nil {
		return nil, err
	}
	res.Workspace = ws
	settings := ws.Settings
	var event EventType
	var spamReason string
	var applied *Conversation
	conv, from, err := s.update(ctx, ch.WorkspaceID, msg.ConversationID, func(c *Conversation, now time.Time) error {
		event, spamReason, res.Rated = "", "", 0
		res.Blocked = identity.Blocked || c.Status == StatusSpam
		if c.LastInboundID == msg.ID || (retry && inboundApplied(c, msg)) {
			applied = c
			return errApplied
		}
		if msg.ID > c.LastInboundID {
			c.LastInboundID = msg.ID
		}
		if c.GreetMessageID == GreetNext {
			c.GreetMessageID = msg.ID
		}
		if !msg.CreatedAt.Before(c.LastMessageAt) {
			c.LastMessageAt = msg.CreatedAt
			c.LastMessageText = preview(msg)
		}
		if contact.Name != "" {
			c.ContactName = contact.Name
		}
		if in.ThreadRef != "" {
			c.ThreadRef = in.ThreadRef
		}
		if res.Blocked {
			return nil
		}
		if in.OptOut != "" {
			// A keyword for the provider, not a question: it changes
			// whether we may write, not the conversation's status.
			c.OptedOut = in.OptOut == OptOutStop
			return nil
		}
		if spamReason = s.checkSpam(c, settings, msg.Text, now); spamReason != "" {
			c.Status = StatusSpam
			c.SnoozedUntil, c.SnoozedUntilReply = nil, false
			c.AwaitingReply, c.AwaitingSince = false, nil
			c.SurveyUntil = nil
			return nil
		}
		if score, ok := s.answerSurvey(c, msg.Text, now); ok {
			res.Rated = score
			return nil
		}
		if !c.AwaitingReply {
			c.AwaitingReply = true
			at := msg.CreatedAt
			c.AwaitingSince = &at
		}
		switch c.Status {
		case StatusPending:
			c.Status = StatusOpen
			c.SnoozedUntil = nil
			c.SnoozedUntilReply = false
			event = EventUnsnoozed
		case StatusClosed:
			c.Status = initialStatus(ch)
			c.ClosedAt = nil
			c.ClosedBy = ""
			c.WrapUp = nil
			c.CSAT = nil
			c.SurveyUntil = nil
			c.BotMisses = 0
			c.BotAnswered = false
			c.LastButtons = nil
			c.GreetMessageID = ""
			if c.Status == StatusBot {
				c.GreetMessageID = msg.ID
				// The bot answers first again; nobody holds the conversation.
				c.AssigneeID = ""
				c.Participants = nil
			}
			event = EventReopened
		}
		return nil
	})
	if errors.Is(err, errApplied) {
		// Whoever applied it recorded and announced it.
		res.Conversation = applied
		return res, nil
	}
	if err != nil {
		return nil, err
	}
	res.Conversation = conv
	res.First = event == EventReopened
	if spamReason != "" {
		// Spam never reaches an agent: this message and the change are
		// silent, like everything the blocked contact sends later.
		res.Blocked = true
		event = ""
		if err := s.blockAsSpam(ctx, conv, from, spamReason); err != nil {
			return nil, err
		}
	}
	if res.Rated > 0 {
		data := map[string]string{"score": strconv.Itoa(res.Rated), "agentId": conv.ClosedBy}
		if err := s.record(ctx, conv, EventCSAT, Author{Type: AuthorContact, ID: contact.ID}, from, data); err != nil {
			return nil, err
		}
	}
	if event != "" {
		if err := s.record(ctx, conv, event, Author{Type: AuthorContact, ID: contact.ID}, from, nil); err != nil {
			return nil, err
		}
	}
	if in.OptOut != "" && !res.Blocked {
		if err := s.recordOptOut(ctx, conv, contact, in.OptOut, msg.CreatedAt); err != nil {
			return nil, err
		}
	}
	cp := *msg
	s.emit(Change{Kind: MessageCreated, WorkspaceID: conv.WorkspaceID, Conversation: conv, Message: &cp, Silent: res.Blocked})
	s.emit(Change{Kind: ConversationUpdated, WorkspaceID: conv.WorkspaceID, Conversation: conv, Silent: res.Blocked})
	return res, nil
}

// preview is the list-row text of a message.
func preview(m *Message) string {
	t := strings.TrimSpace(m.Text)
	if t == "" && len(m.Attachments) > 0 {
		t = "[attachment]"
	}
	if utf8.RuneCountInString(t) > 200 {
		t = string([]rune(t)[:200])
	}
	return t
}
