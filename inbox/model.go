package inbox

import "time"

// Workspace is one hotel or shop: the tenant every other record belongs to.
type Workspace struct {
	ID        string            `json:"id"`
	Name      string            `json:"name"`
	Settings  WorkspaceSettings `json:"settings"`
	CreatedAt time.Time         `json:"createdAt"`
}

// WorkspaceSettings are the knobs an admin of a workspace can turn.
type WorkspaceSettings struct {
	// TimeZone is an IANA zone name such as "Europe/Paris".
	TimeZone string `json:"timeZone"`
	// BotGreeting is sent on a conversation's first message; empty means none.
	BotGreeting string `json:"botGreeting"`
	// BotHandoffAfter is how many unmatched customer messages in a row make
	// the bot hand off to a person (0 means the default, 2).
	BotHandoffAfter int `json:"botHandoffAfter"`
	// BotFallback is the answer to a message no rule matched.
	BotFallback string `json:"botFallback"`
	// HandoffNotice tells the customer a person will answer.
	HandoffNotice string `json:"handoffNotice"`
	// BusinessHours are when people answer, in TimeZone; empty means always.
	BusinessHours []OpeningHours `json:"businessHours"`
	// OutOfHoursNotice replaces HandoffNotice outside business hours (the
	// conversation still queues for the morning).
	OutOfHoursNotice string `json:"outOfHoursNotice"`
	// BotIdleCloseMinutes closes a conversation the bot handled alone after
	// this long without a customer message, counted as automated (0: 30).
	BotIdleCloseMinutes int `json:"botIdleCloseMinutes"`
	// SurveyWindowMinutes is how long a satisfaction survey sent at close
	// accepts an answer (0: 1440, one day).
	SurveyWindowMinutes int `json:"surveyWindowMinutes"`
	// SurveyQuestion asks for the 1–5 rating on text channels; empty: the default.
	SurveyQuestion string `json:"surveyQuestion"`
	// WrapUpTopics are the topics agents pick from when closing; empty
	// means any topic text is accepted.
	WrapUpTopics []string `json:"wrapUpTopics"`
	// Spam rules. Zero values mean the defaults: 20 messages in 10 s,
	// 5 identical messages in a row, 5 links in one message.
	SpamMaxMessages   int `json:"spamMaxMessages"`
	SpamWindowSeconds int `json:"spamWindowSeconds"`
	SpamMaxRepeats    int `json:"spamMaxRepeats"`
	SpamMaxLinks      int `json:"spamMaxLinks"`
	// SpamBlocklist holds words, phrases or domains that mark a message as
	// spam (folded like bot keywords).
	SpamBlocklist []string `json:"spamBlocklist"`
	// RoutingMode is "manual" (agents take from the queue) or "auto"
	// (offers to the available agent idle longest). Empty means manual.
	RoutingMode string `json:"routingMode"`
	// MaxOpenPerAgent is how many open conversations an agent holds at
	// most (0: 5); pending ones do not count.
	MaxOpenPerAgent int `json:"maxOpenPerAgent"`
	// OfferTimeoutSeconds is how long an offer waits for accept (0: 30).
	OfferTimeoutSeconds int `json:"offerTimeoutSeconds"`
	// MaxOfferAttempts is how many agents are offered a conversation
	// before it stays in the queue for anyone to take (0: 3).
	MaxOfferAttempts int `json:"maxOfferAttempts"`
	// OfflineGraceSeconds: an agent whose last live connection closed is
	// offline after this long (0: 60).
	OfflineGraceSeconds int `json:"offlineGraceSeconds"`
	// HoldToQueueIfOffline puts a released hold back in the queue when its
	// assignee is offline, instead of leaving it with them.
	HoldToQueueIfOffline bool `json:"holdToQueueIfOffline"`
	// IdleCloseMinutes closes open conversations with no message for that
	// long (0: never).
	IdleCloseMinutes int `json:"idleCloseMinutes"`
	// CannedAnswers are the workspace's saved replies, typed with "#".
	CannedAnswers []CannedAnswer `json:"cannedAnswers"`
}

// CannedAnswer is a saved reply; Text may hold {{contact.name}} and
// {{workspace.name}}.
type CannedAnswer struct {
	ID       string `json:"id"`
	Shortcut string `json:"shortcut"`
	Text     string `json:"text"`
}

// OpeningHours is one opening span of a weekday, in the workspace's time
// zone. Day is 0 for Sunday to 6 for Saturday; Open and Close are "15:04".
type OpeningHours struct {
	Day   int    `json:"day"`
	Open  string `json:"open"`
	Close string `json:"close"`
}

// Role is what an agent may do.
type Role string

// Roles.
const (
	RoleAdmin Role = "admin"
	RoleAgent Role = "agent"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleAgent }

// Agent is a person working the inbox.
type Agent struct {
	ID           string    `json:"id"`
	WorkspaceID  string    `json:"workspaceId"`
	Email        string    `json:"email"`
	Name         string    `json:"name"`
	Role         Role      `json:"role"`
	PasswordHash string    `json:"-"`
	Disabled     bool      `json:"disabled"`
	CreatedAt    time.Time `json:"createdAt"`
	// Status is available, away, offline or rona; StatusAt is when it
	// last changed.
	Status   AgentStatus `json:"status"`
	StatusAt time.Time   `json:"statusAt"`
	// MaxOpen overrides the workspace's capacity for this agent when > 0.
	MaxOpen int `json:"maxOpen"`
	// RoutedAt is when the agent last got a conversation: the one idle
	// longest gets the next offer.
	RoutedAt time.Time `json:"routedAt"`
}

// AgentStatus is an agent's presence.
type AgentStatus string

// Agent statuses. RONA ("redirection on no answer") is set by the system
// only, when an offer expired unanswered: no offers until the agent is
// available again.
const (
	AgentAvailable AgentStatus = "available"
	AgentAway      AgentStatus = "away"
	AgentOffline   AgentStatus = "offline"
	AgentRONA      AgentStatus = "rona"
)

// Team groups agents; conversations can be handed to a team's queue.
type Team struct {
	ID          string    `json:"id"`
	WorkspaceID string    `json:"workspaceId"`
	Name        string    `json:"name"`
	AgentIDs    []string  `json:"agentIds"`
	CreatedAt   time.Time `json:"createdAt"`
}

// ChannelType names a kind of messaging channel.
type ChannelType string

// Channel types.
const (
	ChannelWebchat  ChannelType = "webchat"
	ChannelSMS      ChannelType = "sms"
	ChannelTelegram ChannelType = "telegram"
	ChannelPartner  ChannelType = "partner"
)

// Valid reports whether t is a known channel type.
func (t ChannelType) Valid() bool {
	switch t {
	case ChannelWebchat, ChannelSMS, ChannelTelegram, ChannelPartner:
		return true
	}
	return false
}

// Channel is one connected messaging channel of a workspace.
type Channel struct {
	ID          string      `json:"id"`
	WorkspaceID string      `json:"workspaceId"`
	Type        ChannelType `json:"type"`
	Name        string      `json:"name"`
	// BotEnabled makes new and reopened conversations start with the bot.
	BotEnabled bool `json:"botEnabled"`
	Disabled   bool `json:"disabled"`
	// Config holds the provider settings that are not secret (numbers,
	// URLs, account ids).
	Config map[string]string `json:"config,omitempty"`
	// Secrets holds tokens and keys, each sealed by the service's Sealer:
	// the store only ever sees ciphertext.
	Secrets map[string]string `json:"-"`
	// Deleted channels keep their row for the history of their
	// conversations but receive and send nothing.
	Deleted   bool      `json:"deleted,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
}

// Identity is how a contact is known on one channel: a phone number, a
// Telegram user id, a web chat visitor id, a partner guest id.
type Identity struct {
	ChannelID string `json:"channelId"`
	Handle    string `json:"handle"`
	// Blocked is set when an agent or the spam rules mark the contact as
	// spam on this channel: messages are still stored, nothing else happens.
	Blocked bool `json:"blocked"`
}

// Contact is a customer.
type Contact struct {
	ID          string `json:"id"`
	WorkspaceID string `json:"workspaceId"`
	Name        string `json:"name"`
	// Details agents keep about the customer.
	Email      string     `json:"email"`
	Phone      string     `json:"phone"`
	Notes      string     `json:"notes"`
	Identities []Identity `json:"identities"`
	CreatedAt  time.Time  `json:"createdAt"`
}

// Identity returns the contact's identity on channelID, if any.
func (c *Contact) Identity(channelID string) (Identity, bool) {
	for _, id := range c.Identities {
		if id.ChannelID == channelID {
			return id, true
		}
	}
	return Identity{}, false
}

// WrapUp is what the agent records when closing a conversation.
type WrapUp struct {
	Topic string `json:"topic,omitempty"`
	// Mood is satisfied, neutral or unhappy; empty with Unsure for "I don't know".
	Mood   string `json:"mood,omitempty"`
	Unsure bool   `json:"unsure,omitempty"`
	Survey bool   `json:"survey"`
}

// CSAT is the customer's satisfaction score for a closed conversation.
type CSAT struct {
	Score int       `json:"score"`
	At    time.Time `json:"at"`
}

// Conversation is a thread between a contact and the workspace on one channel.
type Conversation struct {
	ID          string `json:"id"`
	WorkspaceID string `json:"workspaceId"`
	ChannelID   string `json:"channelId"`
	ContactID   string `json:"contactId"`
	Status      Status `json:"status"`
	// AssigneeID is the one agent who occupies the conversation, if any.
	AssigneeID string `json:"assigneeId,omitempty"`
	TeamID     string `json:"teamId,omitempty"`
	// Participants are invited agents who may read and reply too.
	Participants []string `json:"participants"`
	// SnoozedUntil is set while pending until a time.
	SnoozedUntil *time.Time `json:"snoozedUntil,omitempty"`
	// SnoozedUntilReply is set while pending until the customer writes.
	SnoozedUntilReply bool `json:"snoozedUntilReply,omitempty"`
	AwaitingReply     bool `json:"awaitingReply"`
	// AwaitingSince is when the oldest unanswered customer message arrived.
	AwaitingSince *time.Time `json:"awaitingSince,omitempty"`
	// BotMisses counts customer messages in a row the bot had no answer for.
	BotMisses int `json:"botMisses"`
	// Denormalised for list rows and search.
	ContactName     string     `json:"contactName"`
	ContactHandle   string     `json:"contactHandle"`
	LastMessageText string     `json:"lastMessageText"`
	LastMessageAt   time.Time  `json:"lastMessageAt"`
	CreatedAt       time.Time  `json:"createdAt"`
	UpdatedAt       time.Time  `json:"updatedAt"`
	ClosedAt        *time.Time `json:"closedAt,omitempty"`
	ClosedBy        string     `json:"closedBy,omitempty"`
	WrapUp          *WrapUp    `json:"wrapUp,omitempty"`
	CSAT            *CSAT      `json:"csat,omitempty"`
	// ThreadRef is the provider's latest reference for the thread (a
	// partner's conversation id), given back with every reply.
	ThreadRef string `json:"threadRef,omitempty"`
	// OptedOut is set while the customer has opted out of messages on this
	// channel (SMS STOP): replies are refused until they opt back in.
	OptedOut bool `json:"optedOut,omitempty"`
	// LastButtons are the quick replies of the bot's latest message: where
	// the channel shows them as a numbered list, a reply "2" picks the second.
	LastButtons []string `json:"lastButtons,omitempty"`
	// SurveyUntil is set while the satisfaction survey sent at close still
	// accepts an answer.
	SurveyUntil *time.Time `json:"surveyUntil,omitempty"`
	// BotAnswered is set while the bot's latest turn answered the customer
	// (a rule matched): such a conversation left idle is closed as automated.
	BotAnswered bool `json:"botAnswered,omitempty"`
	// QueuedAt is when the conversation joined its queue (the workspace's,
	// or TeamID's): queues are served oldest first. Nil while someone holds
	// it or it is not open.
	QueuedAt *time.Time `json:"queuedAt,omitempty"`
	// Offer is a pending offer to one agent (routing or a transfer).
	Offer *Offer `json:"offer,omitempty"`
	// OfferAttempts counts routing offers made since it joined the queue.
	OfferAttempts int `json:"offerAttempts,omitempty"`
	// Invites are conference invitations waiting for the agents' accept.
	Invites []Invite `json:"invites,omitempty"`
	// RecentInbound are the arrival times of the contact's latest messages
	// (at most 50, oldest first), for the message-rate spam rule.
	RecentInbound []time.Time `json:"-"`
	// RepeatText and RepeatCount track identical messages in a row (the
	// folded text, and how many times it came).
	RepeatText  string `json:"-"`
	RepeatCount int    `json:"-"`
	// Version increases with every stored change; updates are conditional on it.
	Version int64 `json:"version"`
}

// IsParticipant reports whether agentID is the assignee or an invited participant.
func (c *Conversation) IsParticipant(agentID string) bool {
	if c.AssigneeID == agentID {
		return true
	}
	for _, p := range c.Participants {
		if p == agentID {
			return true
		}
	}
	return false
}

// Offer kinds.
const (
	OfferRoute    = "route"
	OfferTransfer = "transfer"
)

// Offer asks one agent to take a conversation within a time.
type Offer struct {
	AgentID string `json:"agentId"`
	// Kind is OfferRoute (automatic routing) or OfferTransfer.
	Kind string `json:"kind"`
	// FromAgentID is who transfers (transfers only).
	FromAgentID string    `json:"fromAgentId,omitempty"`
	At          time.Time `json:"at"`
	ExpiresAt   time.Time `json:"expiresAt"`
}

// Invite asks an agent to join a conversation (conference).
type Invite struct {
	AgentID     string    `json:"agentId"`
	FromAgentID string    `json:"fromAgentId"`
	ExpiresAt   time.Time `json:"expiresAt"`
}

// ChatMessage is a message between agents (team chat), kept apart from
// customer conversations and reports.
type ChatMessage struct {
	ID          string `json:"id"`
	WorkspaceID string `json:"workspaceId"`
	// Room is "team:<teamId>" or "dm:<agentId>:<agentId>" (ids sorted).
	Room       string    `json:"room"`
	AuthorID   string    `json:"authorId"`
	AuthorName string    `json:"authorName"`
	Text       string    `json:"text"`
	CreatedAt  time.Time `json:"createdAt"`
}

// Direction of a message as seen from the workspace.
type Direction string

// Directions.
const (
	DirectionIn  Direction = "in"
	DirectionOut Direction = "out"
)

// AuthorType says who wrote a message.
type AuthorType string

// Author types.
const (
	AuthorContact AuthorType = "contact"
	AuthorAgent   AuthorType = "agent"
	AuthorBot     AuthorType = "bot"
	AuthorSystem  AuthorType = "system"
)

// Author of a message.
type Author struct {
	Type AuthorType `json:"type"`
	ID   string     `json:"id,omitempty"`
	Name string     `json:"name,omitempty"`
}

// Delivery is where an outbound message is on its way to the customer.
type Delivery string

// Delivery states, in the order they normally happen.
const (
	DeliveryQueued    Delivery = "queued"
	DeliverySent      Delivery = "sent"
	DeliveryDelivered Delivery = "delivered"
	DeliveryRead      Delivery = "read"
	DeliveryFailed    Delivery = "failed"
)

// deliveryRank orders delivery states: callbacks arrive out of order, and
// a state only ever moves to a higher rank. Failed ranks with delivered, so
// a late "sent" never hides a failure and a failure never hides a delivery.
var deliveryRank = map[Delivery]int{
	DeliveryQueued: 1, DeliverySent: 2, DeliveryDelivered: 3, DeliveryFailed: 3, DeliveryRead: 4,
}

// Rank is d's place in the forward-only order (0 for unknown states).
func (d Delivery) Rank() int { return deliveryRank[d] }

// Below lists the states d may replace, for stores' conditional updates.
func (d Delivery) Below() []Delivery {
	var out []Delivery
	for _, s := range []Delivery{DeliveryQueued, DeliverySent, DeliveryDelivered, DeliveryFailed, DeliveryRead} {
		if s.Rank() < d.Rank() {
			out = append(out, s)
		}
	}
	return out
}

// Attachment is a file sent with a message.
type Attachment struct {
	URL         string `json:"url"`
	ContentType string `json:"contentType,omitempty"`
	Name        string `json:"name,omitempty"`
	Size        int64  `json:"size,omitempty"`
	// Proxied attachments are held by the provider (a Twilio media URL, a
	// Telegram file id) and opened by agents through the hub.
	Proxied bool `json:"proxied,omitempty"`
}

// MessageSurvey is the Kind of the satisfaction survey question.
const MessageSurvey = "survey"

// Message is one message of a conversation.
type Message struct {
	ID             string `json:"id"`
	WorkspaceID    string `json:"workspaceId"`
	ConversationID string `json:"conversationId"`
	ChannelID      string `json:"channelId"`
	// ExternalID is the provider's message id; (ChannelID, ExternalID) is
	// unique when ExternalID is set, so provider retries never duplicate.
	ExternalID    string       `json:"externalId,omitempty"`
	Direction     Direction    `json:"direction"`
	Author        Author       `json:"author"`
	Text          string       `json:"text"`
	Private       bool         `json:"private"`
	Attachments   []Attachment `json:"attachments"`
	Buttons       []string     `json:"buttons,omitempty"`
	CreatedAt     time.Time    `json:"createdAt"`
	Delivery      Delivery     `json:"delivery,omitempty"`
	DeliveryError string       `json:"deliveryError,omitempty"`
	// Kind is "" for a plain message, or MessageSurvey for the satisfaction
	// question (the widget shows stars, Telegram buttons 1–5).
	Kind string `json:"kind,omitempty"`
	// The outbox: Attempts counts sends tried so far; a queued message is
	// due at NextAttemptAt (zero: at once) and not sent by anyone else
	// while LeaseUntil is in the future.
	Attempts      int       `json:"attempts,omitempty"`
	NextAttemptAt time.Time `json:"-"`
	LeaseUntil    time.Time `json:"-"`
}

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
