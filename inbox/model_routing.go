package inbox

import "time"

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
