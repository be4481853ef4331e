package api

import (
	"context"
	"fmt"
	"time"

	"hub/inbox"
)

// The JSON shapes of DESIGN.md §5. Domain types are not sent as they are:
// the API decides what leaves the server (no password hashes, no config
// secrets) and nests channel and contact the way the UI needs them.

type channelRef struct {
	ID   string            `json:"id"`
	Type inbox.ChannelType `json:"type"`
	Name string            `json:"name"`
}

type contactRef struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Handle string `json:"handle"`
}

type conversationView struct {
	ID                string         `json:"id"`
	Status            inbox.Status   `json:"status"`
	Channel           channelRef     `json:"channel"`
	Contact           contactRef     `json:"contact"`
	AssigneeID        string         `json:"assigneeId"`
	TeamID            string         `json:"teamId"`
	Participants      []string       `json:"participants"`
	SnoozedUntil      *time.Time     `json:"snoozedUntil"`
	SnoozedUntilReply bool           `json:"snoozedUntilReply"`
	AwaitingReply     bool           `json:"awaitingReply"`
	AwaitingSince     *time.Time     `json:"awaitingSince"`
	LastMessageText   string         `json:"lastMessageText"`
	LastMessageAt     time.Time      `json:"lastMessageAt"`
	CreatedAt         time.Time      `json:"createdAt"`
	ClosedAt          *time.Time     `json:"closedAt"`
	WrapUp            *inbox.WrapUp  `json:"wrapUp"`
	CSAT              *inbox.CSAT    `json:"csat"`
	QueuedAt          *time.Time     `json:"queuedAt"`
	Offer             *inbox.Offer   `json:"offer"`
	Invites           []inbox.Invite `json:"invites"`
	// OptedOut: the customer sent STOP; replies are refused until START.
	OptedOut bool  `json:"optedOut"`
	Version  int64 `json:"version"`
}

type messageView struct {
	ID             string             `json:"id"`
	ConversationID string             `json:"conversationId"`
	Direction      inbox.Direction    `json:"direction"`
	Author         inbox.Author       `json:"author"`
	Text           string             `json:"text"`
	Private        bool               `json:"private"`
	Attachments    []inbox.Attachment `json:"attachments"`
	Buttons        []string           `json:"buttons,omitempty"`
	CreatedAt      time.Time          `json:"createdAt"`
	Delivery       inbox.Delivery     `json:"delivery,omitempty"`
	DeliveryError  string             `json:"deliveryError,omitempty"`
	Kind           string             `json:"kind,omitempty"`
}

type agentJSON struct {
	ID          string            `json:"id"`
	WorkspaceID string            `json:"workspaceId"`
	Email       string            `json:"email"`
	Name        string            `json:"name"`
	Role        inbox.Role        `json:"role"`
	Disabled    bool              `json:"disabled"`
	CreatedAt   time.Time         `json:"createdAt"`
	Status      inbox.AgentStatus `json:"status"`
	StatusAt    time.Time         `json:"statusAt"`
	MaxOpen     int               `json:"maxOpen"`
}

func agentView(a *inbox.Agent) agentJSON {
	status := a.Status
	if status == "" {
		status = inbox.AgentOffline
	}
	return agentJSON{ID: a.ID, WorkspaceID: a.WorkspaceID, Email: a.Email, Name: a.Name, Role: a.Role, Disabled: a.Disabled, CreatedAt: a.CreatedAt,
		Status: status, StatusAt: a.StatusAt, MaxOpen: a.MaxOpen}
}

func messageJSON(m *inbox.Message) messageView {
	atts := make([]inbox.Attachment, len(m.Attachments))
	for i, a := range m.Attachments {
		if a.Proxied {
			// The provider's reference needs the channel's credentials
			// (or, for Telegram, is no URL at all): agents open it here.
			a.URL = fmt.Sprintf("/api/v1/conversations/%s/messages/%s/attachments/%d", m.ConversationID, m.ID, i)
		}
		atts[i] = a
	}
	return messageView{
		ID: m.ID, ConversationID: m.ConversationID, Direction: m.Direction, Author: m.Author,
		Text: m.Text, Private: m.Private, Attachments: atts, Buttons: m.Buttons,
		CreatedAt: m.CreatedAt, Delivery: m.Delivery, DeliveryError: m.DeliveryError, Kind: m.Kind,
	}
}

// channelNames resolves channel references for a set of conversations
// with one store read per distinct channel.
type channelNames struct {
	store inbox.Store
	seen  map[string]channelRef
}

func newChannelNames(store inbox.Store) *channelNames {
	return &channelNames{store: store, seen: map[string]channelRef{}}
}

func (n *channelNames) ref(ctx context.Context, workspaceID, id string) channelRef {
	if r, ok := n.seen[id]; ok {
		return r
	}
	r := channelRef{ID: id}
	if ch, err := n.store.GetChannel(ctx, workspaceID, id); err == nil {
		r = channelRef{ID: ch.ID, Type: ch.Type, Name: ch.Name}
	}
	n.seen[id] = r
	return r
}

func (n *channelNames) conversation(ctx context.Context, c *inbox.Conversation) conversationView {
	participants := c.Participants
	if participants == nil {
		participants = []string{}
	}
	return conversationView{
		ID: c.ID, Status: c.Status,
		Channel:    n.ref(ctx, c.WorkspaceID, c.ChannelID),
		Contact:    contactRef{ID: c.ContactID, Name: c.ContactName, Handle: c.ContactHandle},
		AssigneeID: c.AssigneeID, TeamID: c.TeamID, Participants: participants,
		SnoozedUntil: c.SnoozedUntil, SnoozedUntilReply: c.SnoozedUntilReply,
		AwaitingReply: c.AwaitingReply, AwaitingSince: c.AwaitingSince,
		LastMessageText: c.LastMessageText, LastMessageAt: c.LastMessageAt,
		CreatedAt: c.CreatedAt, ClosedAt: c.ClosedAt, WrapUp: c.WrapUp, CSAT: c.CSAT,
		OptedOut: c.OptedOut, Version: c.Version,
		QueuedAt: c.QueuedAt, Offer: c.Offer, Invites: invites(c.Invites),
	}
}

func invites(in []inbox.Invite) []inbox.Invite {
	if in == nil {
		return []inbox.Invite{}
	}
	return in
}
