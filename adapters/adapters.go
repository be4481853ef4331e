// Package adapters is the contract between the hub and its messaging
// channels. Each channel type lives in its own sub-package (webchat, sms,
// telegram, partner) that turns the provider's wire format into the
// channel-neutral Inbound envelope and sends Outbound envelopes back.
//
// Adapters never import inbox, bot or hub: they talk to the hub through the
// Sink they are given, so a channel can be left out of a build or replaced
// without touching the domain.
package adapters

import (
	"context"
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Attachment is a file carried by a message.
type Attachment struct {
	URL         string `json:"url"`
	ContentType string `json:"contentType,omitempty"`
	Name        string `json:"name,omitempty"`
	Size        int64  `json:"size,omitempty"`
	// Proxied means URL is the provider's own reference (a Twilio media URL,
	// a Telegram file id) that needs the channel's credentials: agents open
	// it through the hub, which asks the adapter's MediaFetcher.
	Proxied bool `json:"proxied,omitempty"`
}

// Inbound is a customer message as received from a channel.
type Inbound struct {
	ChannelID string
	// ExternalID is the provider's id for the message; the hub drops a
	// second Inbound with the same (ChannelID, ExternalID).
	ExternalID string
	// ContactHandle identifies the sender on this channel (phone number,
	// Telegram user id, web chat visitor id, partner guest id).
	ContactHandle string
	ContactName   string
	Text          string
	Attachments   []Attachment
	ReceivedAt    time.Time
	// ThreadRef is the provider's reference for the thread (a partner's
	// conversation or reservation id). The hub keeps the latest one on the
	// conversation and hands it back on every Outbound.
	ThreadRef string
	// OptOut is set when the message is an opt-out or opt-in keyword (SMS
	// STOP/START): the hub records it and sends nothing more (or again).
	OptOut OptOut
}

// OptOut is a customer's request to stop or restart messages on a channel.
type OptOut string

// Opt-out requests.
const (
	OptOutStop  OptOut = "stop"
	OptOutStart OptOut = "start"
)

// Receipt tells the adapter what became of an Inbound. It is returned only
// once the message is durably stored.
type Receipt struct {
	MessageID      string
	ConversationID string
	// Duplicate is true when the message had been received before.
	Duplicate bool
}

// Sink is the hub as seen by an adapter.
type Sink interface {
	// Deliver stores the message and returns once it is durable. The bot,
	// outbound replies and agent notifications follow asynchronously.
	Deliver(ctx context.Context, in Inbound) (Receipt, error)
}

// Channel is what an adapter needs to know about one configured channel.
type Channel struct {
	ID          string
	WorkspaceID string
	Type        string
	Name        string
	Disabled    bool
	Config      map[string]string
}

// Outbound is a message to send to a customer.
type Outbound struct {
	MessageID      string
	ConversationID string
	Channel        Channel
	ContactHandle  string
	// AuthorType is agent, bot or system; AuthorName is shown where the
	// channel can show it.
	AuthorType  string
	AuthorName  string
	Text        string
	Attachments []Attachment
	// Buttons are quick replies, rendered where the channel can.
	Buttons   []string
	CreatedAt time.Time
	// ThreadRef is the conversation's latest Inbound.ThreadRef.
	ThreadRef string
	// Kind is "" for a plain message or KindSurvey for the satisfaction
	// question (Buttons are then the ratings 1–5: the widget shows stars,
	// text channels only the question, which asks for a number).
	Kind string
	// Attempt counts sends of this message, 1 for the first. Providers
	// that accept an idempotency key get the MessageID, whatever the attempt.
	Attempt int
}

// KindSurvey marks the satisfaction survey question.
const KindSurvey = "survey"

// SendResult is the provider's answer to a Send.
type SendResult struct {
	// ExternalID is the provider's id for the sent message, if any.
	ExternalID string
	// Delivered is true when the channel itself confirms delivery (a
	// connected web chat visitor received the frame).
	Delivered bool
}

// Capabilities describe what a channel can carry.
type Capabilities struct {
	MaxTextLen int
	Media      bool
	Buttons    bool
}

// Adapter sends messages on one channel type.
type Adapter interface {
	// Type is the channel type this adapter serves ("webchat", "sms", ...).
	Type() string
	Capabilities() Capabilities
	// Send delivers out to the customer. A PermanentError means retrying
	// cannot help.
	Send(ctx context.Context, out Outbound) (SendResult, error)
}

// WebhookReceiver is an adapter that receives over HTTP on the hub's one
// server. Routes registers its handlers on r.
type WebhookReceiver interface {
	Routes(r fiber.Router)
}

// Runner is an adapter with background work (long polling, connection
// housekeeping). Run returns when ctx is done.
type Runner interface {
	Run(ctx context.Context) error
}

// PermanentError marks a send failure that retrying cannot fix (unknown
// recipient, invalid credentials, blocked by the customer).
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// IsPermanent reports whether err is (or wraps) a PermanentError.
func IsPermanent(err error) bool {
	var p *PermanentError
	return errors.As(err, &p)
}

// ErrChannelNotFound is returned by channel lookups for an unknown channel.
var ErrChannelNotFound = errors.New("channel not found")
