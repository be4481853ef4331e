package inbox

import (
	"context"
	"time"
)

// Store is the persistence contract. Every method is one atomic operation
// on one row or document (or, for ReleaseDueHolds, a set of independently
// conditional single-document updates): there are no multi-document
// transactions, so the same code runs on MongoDB clusters and on SQLite.
//
// Every read and write of workspace data takes the workspace id; a record of
// another workspace is reported as ErrNotFound. Methods used by webhooks and
// cron, which do not yet know the workspace, say so.
//
// inbox/storetest is the conformance suite every implementation must pass.
type Store interface {
	// Ping reports whether the store is reachable.
	Ping(ctx context.Context) error
	// Close releases the store's resources.
	Close() error

	CreateWorkspace(ctx context.Context, w *Workspace) error
	GetWorkspace(ctx context.Context, id string) (*Workspace, error)
	ListWorkspaces(ctx context.Context) ([]Workspace, error)
	UpdateWorkspace(ctx context.Context, w *Workspace) error

	// CreateAgent fails with ErrDuplicate when the email (case-insensitive)
	// is taken, in any workspace: agents log in with their email alone.
	CreateAgent(ctx context.Context, a *Agent) error
	GetAgent(ctx context.Context, workspaceID, id string) (*Agent, error)
	// GetAgentByEmail looks across workspaces (login), case-insensitive.
	GetAgentByEmail(ctx context.Context, email string) (*Agent, error)
	ListAgents(ctx context.Context, workspaceID string) ([]Agent, error)
	UpdateAgent(ctx context.Context, a *Agent) error
	// SetAgentStatus sets an agent's Status and StatusAt only.
	SetAgentStatus(ctx context.Context, workspaceID, agentID string, s AgentStatus, at time.Time) error
	// SetAgentRoutedAt sets an agent's RoutedAt only.
	SetAgentRoutedAt(ctx context.Context, workspaceID, agentID string, at time.Time) error

	CreateTeam(ctx context.Context, t *Team) error
	GetTeam(ctx context.Context, workspaceID, id string) (*Team, error)
	ListTeams(ctx context.Context, workspaceID string) ([]Team, error)
	UpdateTeam(ctx context.Context, t *Team) error
	DeleteTeam(ctx context.Context, workspaceID, id string) error

	CreateChannel(ctx context.Context, c *Channel) error
	GetChannel(ctx context.Context, workspaceID, id string) (*Channel, error)
	// FindChannel looks a channel up by id alone, for webhooks and widgets
	// that arrive with nothing but the channel id in their URL.
	FindChannel(ctx context.Context, id string) (*Channel, error)
	ListChannels(ctx context.Context, workspaceID string) ([]Channel, error)
	// ListChannelsOfType returns the channels of one type in every
	// workspace, deleted ones excluded (adapters that poll need them all).
	ListChannelsOfType(ctx context.Context, t ChannelType) ([]Channel, error)
	UpdateChannel(ctx context.Context, c *Channel) error

	// FindOrCreateContact returns the contact known on id.ChannelID by
	// id.Handle, creating it (with name) when there is none. Concurrent
	// calls for the same identity return the same contact.
	FindOrCreateContact(ctx context.Context, workspaceID string, id Identity, name string) (*Contact, error)
	// FindContact returns the contact known on id.ChannelID by id.Handle,
	// or ErrNotFound; it never creates one.
	FindContact(ctx context.Context, workspaceID string, id Identity) (*Contact, error)
	GetContact(ctx context.Context, workspaceID, id string) (*Contact, error)
	// UpdateContact stores the contact's Name, Email, Phone and Notes
	// (identities are not touched). ErrNotFound across workspaces.
	UpdateContact(ctx context.Context, c *Contact) error
	// SetContactBlocked blocks or unblocks the contact on one channel.
	SetContactBlocked(ctx context.Context, workspaceID, contactID, channelID string, blocked bool) error

	// CreateConversation stores a new conversation with Version 1. There is
	// at most one conversation per (ChannelID, ContactID): a second one
	// fails with ErrDuplicate.
	CreateConversation(ctx context.Context, c *Conversation) error
	GetConversation(ctx context.Context, workspaceID, id string) (*Conversation, error)
	// FindConversation returns the conversation of contactID on channelID.
	FindConversation(ctx context.Context, workspaceID, channelID, contactID string) (*Conversation, error)
	// UpdateConversation stores c if the stored Version still equals
	// c.Version, then sets c.Version to the new version (old + 1).
	// Otherwise it fails with ErrConflict and stores nothing.
	UpdateConversation(ctx context.Context, c *Conversation) error
	// ListConversations returns one page, newest activity first, and the
	// cursor of the next page ("" when there is none).
	ListConversations(ctx context.Context, f ConversationFilter) ([]Conversation, string, error)
	// ListQueue returns the workspace's queue (teamID "") or a team's:
	// open conversations nobody holds with that TeamID, oldest QueuedAt
	// first (then ID), at most limit (0: 100).
	ListQueue(ctx context.Context, workspaceID, teamID string, limit int) ([]Conversation, error)
	// CountByStatus counts the workspace's conversations per status.
	CountByStatus(ctx context.Context, workspaceID string) (map[Status]int, error)
	// CountAssigned counts the workspace's conversations with that status
	// held by the agent (capacity).
	CountAssigned(ctx context.Context, workspaceID, agentID string, s Status) (int, error)
	// ListOffersDue returns conversations, across workspaces, whose Offer
	// expired at or before now, oldest first, at most limit.
	ListOffersDue(ctx context.Context, now time.Time, limit int) ([]Conversation, error)
	// ReleaseDueHolds moves up to limit conversations that are pending with
	// SnoozedUntil <= now to open (clearing SnoozedUntil, bumping Version
	// and UpdatedAt to now) and returns them as stored. It works across
	// workspaces, for cron. Each conversation is returned to exactly one
	// caller, however many run at once.
	ReleaseDueHolds(ctx context.Context, now time.Time, limit int) ([]Conversation, error)

	// AddMessage stores m. When m is inbound, m.ExternalID is set and an
	// inbound message of the channel already has that ExternalID, it fails
	// with ErrDuplicate and stores nothing: the webhook dedupe. Outbound
	// provider ids are not unique, and never block an inbound message:
	// providers number what they receive and what they send independently
	// (a Telegram update_id may equal a reply's message_id, and reply
	// message_ids repeat across chats).
	AddMessage(ctx context.Context, m *Message) error
	GetMessage(ctx context.Context, workspaceID, id string) (*Message, error)
	// FindMessageByExternalID returns the inbound message of the channel
	// with that provider id (the webhook dedupe), or ErrNotFound; an
	// outbound message with the same id is never returned. The empty id
	// finds nothing.
	FindMessageByExternalID(ctx context.Context, channelID, externalID string) (*Message, error)
	// FindSentMessageByExternalID returns the outbound message of the
	// channel with that provider id, the newest (greatest ID) when several
	// have it, or ErrNotFound; for delivery reports that carry only the
	// provider's id. The empty id finds nothing.
	FindSentMessageByExternalID(ctx context.Context, channelID, externalID string) (*Message, error)
	// ListMessages returns the conversation's messages in order, those with
	// an id greater than afterID ("" for all), at most limit (0: no limit).
	ListMessages(ctx context.Context, workspaceID, conversationID, afterID string, limit int) ([]Message, error)
	// ClaimOutbound is the outbox: it picks up to limit queued outbound
	// messages, across workspaces, that are each the oldest queued message
	// of their conversation (so a conversation's messages go out in order),
	// are due (NextAttemptAt <= now) and not leased (LeaseUntil <= now),
	// sets their LeaseUntil to leaseUntil and returns them as stored, most
	// overdue first. Each message is returned to exactly one caller, however
	// many run at once, until its lease ends.
	ClaimOutbound(ctx context.Context, now, leaseUntil time.Time, limit int) ([]Message, error)
	// RetryOutbound records a failed attempt on a queued message: it sets
	// Attempts, NextAttemptAt and DeliveryError and ends the lease. It fails
	// with ErrConflict when the message is no longer queued.
	RetryOutbound(ctx context.Context, workspaceID, messageID string, attempts int, next time.Time, errText string) error
	// AdvanceDelivery moves the message's delivery state forward to d (only
	// from a state of lower Rank), with an error text, and ends the lease;
	// a non-empty externalID is stored as the provider's id for the message.
	// It reports false, and changes nothing, when the state is already at
	// or past d. Only outbound messages have a delivery state, and their
	// provider ids are not unique, so an externalID another message of the
	// channel has is stored all the same.
	AdvanceDelivery(ctx context.Context, workspaceID, messageID string, d Delivery, errText, externalID string) (bool, error)

	AppendEvent(ctx context.Context, e *Event) error
	// AppendEvents stores several events in one call (one transaction on
	// SQLite, one InsertMany on MongoDB); ids and times are filled in as by
	// AppendEvent.
	AppendEvents(ctx context.Context, events []*Event) error
	ListEvents(ctx context.Context, workspaceID, conversationID string) ([]Event, error)
	// ListEventsBetween returns the workspace's events with from <= At < to,
	// ordered by (At, ID), those after the event afterID ("" from the
	// start), at most limit (0: 1000). Reports page through it.
	ListEventsBetween(ctx context.Context, workspaceID string, from, to time.Time, afterID string, limit int) ([]Event, error)

	// AddChatMessage stores a message between agents.
	AddChatMessage(ctx context.Context, m *ChatMessage) error
	// ListChatMessages returns a room's messages with an id greater than
	// afterID, oldest first, at most limit (0: 200).
	ListChatMessages(ctx context.Context, workspaceID, room, afterID string, limit int) ([]ChatMessage, error)

	CreateSession(ctx context.Context, s *Session) error
	// GetSession returns the session with that token hash, expired or not.
	GetSession(ctx context.Context, tokenHash string) (*Session, error)
	DeleteSession(ctx context.Context, tokenHash string) error

	SaveBotRule(ctx context.Context, r *BotRule) error
	ListBotRules(ctx context.Context, workspaceID string) ([]BotRule, error)
	DeleteBotRule(ctx context.Context, workspaceID, id string) error
}

// Unassigned as ConversationFilter.AssigneeID selects conversations nobody holds.
const Unassigned = "none"

// ConversationFilter selects conversations for an inbox list.
type ConversationFilter struct {
	WorkspaceID string
	// Statuses to include; empty means all.
	Statuses []Status
	// AssigneeID: "" any, Unassigned ("none"), or an agent id.
	AssigneeID string
	// TeamID: "" any, or a team id.
	TeamID string
	// Query matches contact name, handle or last message text,
	// case-insensitive substring.
	Query string
	// Cursor is the Next value of the previous page.
	Cursor string
	// Limit is the page size (0: 50).
	Limit int
}
