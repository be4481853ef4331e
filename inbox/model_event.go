package inbox

import "time"

// EventType names something that happened to a conversation.
type EventType string

// Event types. Reports are computed from these.
const (
	EventCreated     EventType = "created"
	EventHandoff     EventType = "handoff"
	EventAssigned    EventType = "assigned"
	EventReleased    EventType = "released"
	EventTransferred EventType = "transferred"
	EventInvited     EventType = "invited"
	EventLeft        EventType = "left"
	EventSnoozed     EventType = "snoozed"
	EventUnsnoozed   EventType = "unsnoozed"
	EventClosed      EventType = "closed"
	EventReopened    EventType = "reopened"
	EventSpam        EventType = "spam"
	EventNotSpam     EventType = "not_spam"
	EventOptedOut    EventType = "opted_out"
	EventOptedIn     EventType = "opted_in"
	// EventReplied: an agent answered a waiting customer. Data: agentId,
	// waitMs (since the oldest unanswered customer message).
	EventReplied EventType = "replied"
	// EventCSAT: the customer rated the conversation. Data: score, agentId
	// (who closed it).
	EventCSAT EventType = "csat"
	// Routing: EventOffered (Data agentId, kind), EventOfferDeclined
	// (agentId), EventRONA (an offer expired: agentId), EventAccepted
	// (agentId, kind).
	EventOffered       EventType = "offered"
	EventOfferDeclined EventType = "offer_declined"
	EventRONA          EventType = "rona"
	EventAccepted      EventType = "accepted"
)

// Event records who did what to a conversation, and when.
type Event struct {
	ID             string            `json:"id"`
	WorkspaceID    string            `json:"workspaceId"`
	ConversationID string            `json:"conversationId"`
	Type           EventType         `json:"type"`
	Actor          Author            `json:"actor"`
	From           Status            `json:"from,omitempty"`
	To             Status            `json:"to,omitempty"`
	Data           map[string]string `json:"data,omitempty"`
	At             time.Time         `json:"at"`
}

// Session is a logged-in agent's token. Only a hash of the token is stored.
type Session struct {
	TokenHash   string    `json:"-"`
	AgentID     string    `json:"agentId"`
	WorkspaceID string    `json:"workspaceId"`
	CreatedAt   time.Time `json:"createdAt"`
	ExpiresAt   time.Time `json:"expiresAt"`
}

// BotRule is one keyword rule of a workspace's bot.
type BotRule struct {
	ID          string `json:"id"`
	WorkspaceID string `json:"workspaceId"`
	Name        string `json:"name"`
	// Keywords trigger the rule when any of them appears in the message as
	// whole words (accents, case and punctuation folded; "book*" matches
	// words starting with "book").
	Keywords []string `json:"keywords"`
	// Phrases trigger the rule when the folded message contains one.
	Phrases []string `json:"phrases"`
	// Patterns are regular expressions (RE2 syntax, case-insensitive)
	// matched against the message as written.
	Patterns []string `json:"patterns"`
	// Language restricts the rule to messages detected as that language
	// ("en", "fr", "it", "de", "es"); empty means any.
	Language string `json:"language"`
	Answer   string `json:"answer"`
	// Buttons are quick replies offered with the answer.
	Buttons []string `json:"buttons"`
	// Handoff hands the conversation to a person after answering.
	Handoff bool `json:"handoff"`
	// TeamID is the team that gets the handoff; empty means the workspace queue.
	TeamID    string    `json:"teamId,omitempty"`
	Priority  int       `json:"priority"`
	Enabled   bool      `json:"enabled"`
	CreatedAt time.Time `json:"createdAt"`
}
