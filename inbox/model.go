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
	// LastInboundID is the newest customer message applied to the
	// conversation (ids sort by arrival). A provider retry uses it to tell
	// whether its message was applied, and whether it is still the one the
	// bot owes an answer to. Empty on conversations last written before it
	// existed.
	LastInboundID string `json:"-"`
	// BotTurnMessageID is the customer message whose bot turn last
	// completed: the turn's last write sets it, so a retry that finds it
	// set does not run the bot again (see Service.TakeBotTurn).
	BotTurnMessageID string `json:"-"`
	// GreetMessageID is the customer message the bot greets: the one that
	// started the conversation with the bot or brought it back to the bot.
	// A conversation created with the bot holds GreetNext until its first
	// message is applied, which takes it (a second message arriving at the
	// same time is not greeted too). Stored rather than decided by the
	// request, so a turn repeated after a crash or by a concurrent retry
	// greets exactly as the first run did.
	GreetMessageID string `json:"-"`
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
