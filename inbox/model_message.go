package inbox

import "time"

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
	// ExternalID is the provider's message id. Among inbound messages
	// (ChannelID, ExternalID) is unique when set, so provider retries never
	// duplicate; an outbound message's is the id the provider gave at send
	// time, which need not be unique (see Store.AddMessage).
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
