package adapters

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// Directory gives adapters read access to the configured channels. The
// hub implements it; Config values come decrypted.
type Directory interface {
	// Channel returns the channel with that id, disabled or not;
	// ErrChannelNotFound when there is none (or it was deleted).
	Channel(ctx context.Context, id string) (Channel, error)
	// Channels returns every enabled channel of a type, across workspaces
	// (long polling needs them all).
	Channels(ctx context.Context, channelType string) ([]Channel, error)
}

// Field describes one configuration key of a channel type.
type Field struct {
	Key string `json:"key"`
	// Label is a short human name for the admin console.
	Label    string `json:"label"`
	Required bool   `json:"required"`
	// Secret values are encrypted at rest and never shown in full again.
	Secret bool `json:"secret"`
	// Generated values are filled with a random token by the hub when the
	// admin leaves them empty (a webhook secret the provider is told).
	Generated bool `json:"generated"`
}

// FieldError is a configuration value an adapter refuses.
type FieldError struct {
	Field  string
	Reason string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

// Configurable is an adapter whose channels carry provider settings.
type Configurable interface {
	// Fields lists the configuration keys; keys not listed are refused.
	Fields() []Field
	// ValidateConfig checks a complete configuration (secrets included).
	// It returns a *FieldError naming the first bad key.
	ValidateConfig(cfg map[string]string) error
	// WebhookURLs are the addresses to paste into the provider's console,
	// by purpose ("inbound", "status").
	WebhookURLs(ch Channel) map[string]string
}

// Pacing is how fast a channel may send. Zero means no limit.
type Pacing struct {
	// PerChannel is the least time between two sends on the channel
	// (one sender number, one bot).
	PerChannel time.Duration
	// PerChat is the least time between two sends to one customer.
	PerChat time.Duration
}

// Pacer is an adapter whose provider limits the sending rate.
type Pacer interface {
	Pacing(ch Channel) Pacing
}

// Media is an attachment's content, streamed.
type Media struct {
	Body        io.ReadCloser
	ContentType string
	// Size is the length in bytes, -1 when unknown.
	Size int64
}

// MediaFetcher opens Proxied attachments with the channel's credentials.
// An attachment above the adapter's size limit is refused with an
// *HTTPError of status 413.
type MediaFetcher interface {
	FetchMedia(ctx context.Context, ch Channel, a Attachment) (Media, error)
}

// Health is a channel's connection state as the provider reports it.
type Health struct {
	OK bool `json:"ok"`
	// Mode is how messages arrive: "webhook" or "polling".
	Mode        string     `json:"mode,omitempty"`
	WebhookURL  string     `json:"webhookUrl,omitempty"`
	Pending     int        `json:"pendingUpdates,omitempty"`
	LastError   string     `json:"lastError,omitempty"`
	LastErrorAt *time.Time `json:"lastErrorAt,omitempty"`
	CheckedAt   time.Time  `json:"checkedAt"`
}

// HealthChecker asks the provider how a channel is doing.
type HealthChecker interface {
	Health(ctx context.Context, ch Channel) (Health, error)
}

// ChannelWatcher is told when a channel of its type is created, changed,
// disabled or removed (removed true), so it can register a webhook or
// start and stop polling at once instead of at the next sweep.
type ChannelWatcher interface {
	ChannelChanged(ctx context.Context, ch Channel, removed bool) error
}

// RetryAfterError is a send the provider refused for now, asking to wait
// (HTTP 429 with retry_after or Retry-After).
type RetryAfterError struct {
	After time.Duration
	Err   error
}

func (e *RetryAfterError) Error() string {
	return fmt.Sprintf("rate limited, retry after %s: %v", e.After, e.Err)
}
func (e *RetryAfterError) Unwrap() error { return e.Err }

// RetryAfter reports the wait a RetryAfterError in err asks for.
func RetryAfter(err error) (time.Duration, bool) {
	var r *RetryAfterError
	if errors.As(err, &r) {
		return r.After, true
	}
	return 0, false
}

// DeliveryUpdate is a provider's report on a message the hub sent.
type DeliveryUpdate struct {
	ChannelID string
	// MessageID is the hub's id for the message when the provider echoes it
	// back (a status callback URL carrying it); otherwise ExternalID is used.
	MessageID  string
	ExternalID string
	// Status is sent, delivered, read or failed.
	Status string
	// Error is shown to agents for failed messages ("Twilio 30003:
	// unreachable handset"). Never a secret.
	Error string
}

// StatusSink takes delivery reports. States only move forward, so reports
// arriving out of order are harmless. An unknown message is ErrMessageNotFound.
type StatusSink interface {
	UpdateDelivery(ctx context.Context, u DeliveryUpdate) error
}

// ErrMessageNotFound is returned by a StatusSink for a message it does not know.
var ErrMessageNotFound = errors.New("message not found")
