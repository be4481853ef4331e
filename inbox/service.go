package inbox

import (
	"context"
	"errors"
	"slices"
	"time"
)

// ChangeKind names what a Change announces.
type ChangeKind string

// Change kinds, as the agent live feed names them.
const (
	ConversationCreated ChangeKind = "conversation.created"
	ConversationUpdated ChangeKind = "conversation.updated"
	MessageCreated      ChangeKind = "message.created"
	MessageUpdated      ChangeKind = "message.updated"
	AgentUpdated        ChangeKind = "agent.updated"
	// HoldReleased tells the assignee a held conversation is back.
	HoldReleased ChangeKind = "hold.released"
	// ChatCreated is a new team chat message.
	ChatCreated ChangeKind = "chat.message"
)

// Change is announced to listeners after every stored change.
type Change struct {
	Kind         ChangeKind
	WorkspaceID  string
	Conversation *Conversation
	Message      *Message
	Agent        *Agent
	Chat         *ChatMessage
	// Silent is set for a blocked (spam) contact's activity: it is stored
	// but nobody is notified.
	Silent bool
}

// Actor is who asks for an action: an agent of a workspace.
type Actor struct {
	WorkspaceID string
	AgentID     string
	Name        string
	Role        Role
}

// IsAdmin reports whether the actor is a workspace admin.
func (a Actor) IsAdmin() bool { return a.Role == RoleAdmin }

func (a Actor) author() Author { return Author{Type: AuthorAgent, ID: a.AgentID, Name: a.Name} }

// Limits bound what the service accepts.
type Limits struct {
	// MaxTextChars is the longest message text, in characters.
	MaxTextChars int
}

// Service runs the conversation lifecycle on top of a Store.
type Service struct {
	store  Store
	clock  Clock
	limits Limits
	sealer Sealer
	spam   SpamRules
	// rulesListeners are told when bot rules change (OnRulesChanged).
	rulesListeners []func(workspaceID string)
	// channelText caps reply texts per channel type (LimitChannelText).
	channelText map[ChannelType]int
	listeners   []func(Change)
}

// NewService returns a Service. Listeners must be added with OnChange
// before the service is used.
func NewService(store Store, clock Clock, limits Limits) *Service {
	if clock == nil {
		clock = SystemClock{}
	}
	if limits.MaxTextChars <= 0 {
		limits.MaxTextChars = 10000
	}
	return &Service{store: store, clock: clock, limits: limits}
}

// Store returns the service's store, for read paths that need no rules.
func (s *Service) Store() Store { return s.store }

// Now returns the service clock's time.
func (s *Service) Now() time.Time { return s.clock.Now() }

// OnChange registers fn to be called after every stored change. fn runs
// synchronously and must not block.
func (s *Service) OnChange(fn func(Change)) { s.listeners = append(s.listeners, fn) }

func (s *Service) emit(c Change) {
	for _, fn := range s.listeners {
		fn(c)
	}
}

func (s *Service) emitConversation(kind ChangeKind, c *Conversation) {
	cp := *c
	s.emit(Change{Kind: kind, WorkspaceID: c.WorkspaceID, Conversation: &cp})
}

// keepQueue keeps the queue fields true to the conversation's state after
// any change: an open conversation nobody holds is in a queue since
// QueuedAt (set now when it just joined); anything else is in no queue and
// has no routing offer pending.
func keepQueue(c *Conversation, now time.Time) {
	if c.Status == StatusOpen && c.AssigneeID == "" {
		if c.QueuedAt == nil {
			c.QueuedAt = &now
			c.OfferAttempts = 0
		}
		return
	}
	c.QueuedAt = nil
	c.OfferAttempts = 0
	if c.Offer != nil && c.Offer.Kind == OfferRoute {
		c.Offer = nil
	}
	if c.Status != StatusOpen && c.Status != StatusPending {
		c.Offer = nil
		c.Invites = nil
	}
}

// conflictRetries bounds how often a change is re-applied after losing a
// version race to an unrelated change (a customer message arriving while an
// agent assigns). Rules are checked again on every attempt, so a real
// conflict (another agent took it) surfaces as a ConflictError.
const conflictRetries = 5

// update loads the conversation, lets mutate check the rules and change it,
// and stores it conditionally, retrying lost races. It returns the stored
// conversation and the status before the change.
func (s *Service) update(ctx context.Context, workspaceID, id string, mutate func(c *Conversation, now time.Time) error) (*Conversation, Status, error) {
	return s.updateFrom(ctx, workspaceID, id, nil, mutate)
}

// updateFrom is update starting from known, a copy of the conversation as
// stored at some point (it is not modified): the first attempt saves the
// read, and the version check makes a stale copy cost one retry, never a
// lost change. The bot's turn uses it, having the conversation Ingest just
// stored.
func (s *Service) updateFrom(ctx context.Context, workspaceID, id string, known *Conversation, mutate func(c *Conversation, now time.Time) error) (*Conversation, Status, error) {
	for attempt := 0; ; attempt++ {
		var c *Conversation
		var err error
		if attempt == 0 && known != nil {
			c = known.clone()
		} else if c, err = s.store.GetConversation(ctx, workspaceID, id); err != nil {
			return nil, "", err
		}
		from := c.Status
		now := s.clock.Now()
		if err := mutate(c, now); err != nil {
			return nil, from, err
		}
		keepQueue(c, now)
		c.UpdatedAt = now
		err = s.store.UpdateConversation(ctx, c)
		if err == nil {
			return c, from, nil
		}
		if !errors.Is(err, ErrConflict) || attempt >= conflictRetries {
			return nil, from, err
		}
	}
}

// clone copies c deeply enough for a mutation of the copy (fields and
// list elements) to leave c as it was.
func (c *Conversation) clone() *Conversation {
	cp := *c
	cp.Participants = slices.Clone(c.Participants)
	cp.LastButtons = slices.Clone(c.LastButtons)
	cp.Invites = slices.Clone(c.Invites)
	cp.RecentInbound = slices.Clone(c.RecentInbound)
	return &cp
}

// record appends an event for a conversation change. The change is already
// stored; a failed event append is returned so the caller can report it,
// but the change stands.
func (s *Service) record(ctx context.Context, c *Conversation, typ EventType, actor Author, from Status, data map[string]string) error {
	return s.store.AppendEvent(ctx, s.newEvent(c, typ, actor, from, data))
}

// newEvent is the event of c moving from one status to its current one.
func (s *Service) newEvent(c *Conversation, typ EventType, actor Author, from Status, data map[string]string) *Event {
	return &Event{
		ID:             NewID(),
		WorkspaceID:    c.WorkspaceID,
		ConversationID: c.ID,
		Type:           typ,
		Actor:          actor,
		From:           from,
		To:             c.Status,
		Data:           data,
		At:             s.clock.Now(),
	}
}

// act is the common path of agent actions: update, record, announce.
func (s *Service) act(ctx context.Context, actor Actor, id string, typ EventType, data map[string]string, mutate func(c *Conversation, now time.Time) error) (*Conversation, error) {
	c, from, err := s.update(ctx, actor.WorkspaceID, id, mutate)
	if err != nil {
		return nil, err
	}
	if err := s.record(ctx, c, typ, actor.author(), from, data); err != nil {
		return c, err
	}
	s.emitConversation(ConversationUpdated, c)
	return c, nil
}

// GetConversation returns a conversation of the actor's workspace.
func (s *Service) GetConversation(ctx context.Context, actor Actor, id string) (*Conversation, error) {
	return s.store.GetConversation(ctx, actor.WorkspaceID, id)
}

// ListConversations lists the actor's workspace; "me" as AssigneeID means
// the actor.
func (s *Service) ListConversations(ctx context.Context, actor Actor, f ConversationFilter) ([]Conversation, string, error) {
	f.WorkspaceID = actor.WorkspaceID
	if f.AssigneeID == "me" {
		f.AssigneeID = actor.AgentID
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	return s.store.ListConversations(ctx, f)
}

// ListMessages returns a conversation's messages, private notes included.
func (s *Service) ListMessages(ctx context.Context, actor Actor, conversationID, afterID string) ([]Message, error) {
	if _, err := s.store.GetConversation(ctx, actor.WorkspaceID, conversationID); err != nil {
		return nil, err
	}
	return s.store.ListMessages(ctx, actor.WorkspaceID, conversationID, afterID, 0)
}

// ListEvents returns a conversation's history of changes.
func (s *Service) ListEvents(ctx context.Context, actor Actor, conversationID string) ([]Event, error) {
	if _, err := s.store.GetConversation(ctx, actor.WorkspaceID, conversationID); err != nil {
		return nil, err
	}
	return s.store.ListEvents(ctx, actor.WorkspaceID, conversationID)
}
