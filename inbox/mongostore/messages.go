package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"hub/inbox"
)

type messageDoc struct {
	ID             string `bson:"_id"`
	WorkspaceID    string `bson:"workspaceId"`
	ConversationID string `bson:"conversationId"`
	ChannelID      string `bson:"channelId"`
	ExternalID     string `bson:"externalId"`
	// ExternalKey carries the unique index that makes provider retries
	// harmless (external_ids.go): key(channel, external id) for an inbound
	// message with a provider id, otherwise "-" and the message id.
	ExternalKey   string          `bson:"externalKey"`
	Direction     string          `bson:"direction"`
	Author        authorDoc       `bson:"author"`
	Text          string          `bson:"text"`
	Private       bool            `bson:"private"`
	Attachments   []attachmentDoc `bson:"attachments"`
	Buttons       []string        `bson:"buttons"`
	CreatedAt     time.Time       `bson:"createdAt"`
	Delivery      string          `bson:"delivery"`
	DeliveryError string          `bson:"deliveryError"`
	Kind          string          `bson:"kind"`
	// The outbox (outbox.go). Zero times are stored as BSON datetimes
	// too (year 1), which sort and compare before any real time.
	Attempts      int       `bson:"attempts"`
	NextAttemptAt time.Time `bson:"nextAttemptAt"`
	LeaseUntil    time.Time `bson:"leaseUntil"`
}

type authorDoc struct {
	Type string `bson:"type"`
	ID   string `bson:"id"`
	Name string `bson:"name"`
}

type attachmentDoc struct {
	URL         string `bson:"url"`
	ContentType string `bson:"contentType"`
	Name        string `bson:"name"`
	Size        int64  `bson:"size"`
}

func toMessageDoc(m *inbox.Message) messageDoc {
	d := messageDoc{
		ID:             m.ID,
		WorkspaceID:    m.WorkspaceID,
		ConversationID: m.ConversationID,
		ChannelID:      m.ChannelID,
		ExternalID:     m.ExternalID,
		ExternalKey:    messageKey(m),
		Direction:      string(m.Direction),
		Author:         authorDoc{Type: string(m.Author.Type), ID: m.Author.ID, Name: m.Author.Name},
		Text:           m.Text,
		Private:        m.Private,
		Attachments:    make([]attachmentDoc, len(m.Attachments)),
		Buttons:        nonNil(m.Buttons),
		CreatedAt:      m.CreatedAt,
		Delivery:       string(m.Delivery),
		DeliveryError:  m.DeliveryError,
		Kind:           m.Kind,
		Attempts:       m.Attempts,
		NextAttemptAt:  m.NextAttemptAt,
		LeaseUntil:     m.LeaseUntil,
	}
	for i, a := range m.Attachments {
		d.Attachments[i] = attachmentDoc{URL: a.URL, ContentType: a.ContentType, Name: a.Name, Size: a.Size}
	}
	return d
}

func (d *messageDoc) toMessage() inbox.Message {
	m := inbox.Message{
		ID:             d.ID,
		WorkspaceID:    d.WorkspaceID,
		ConversationID: d.ConversationID,
		ChannelID:      d.ChannelID,
		ExternalID:     d.ExternalID,
		Direction:      inbox.Direction(d.Direction),
		Author:         inbox.Author{Type: inbox.AuthorType(d.Author.Type), ID: d.Author.ID, Name: d.Author.Name},
		Text:           d.Text,
		Private:        d.Private,
		Buttons:        d.Buttons,
		CreatedAt:      utc(d.CreatedAt),
		Delivery:       inbox.Delivery(d.Delivery),
		DeliveryError:  d.DeliveryError,
		Kind:           d.Kind,
		Attempts:       d.Attempts,
		NextAttemptAt:  utc(d.NextAttemptAt),
		LeaseUntil:     utc(d.LeaseUntil),
	}
	if len(d.Attachments) > 0 {
		m.Attachments = make([]inbox.Attachment, len(d.Attachments))
		for i, a := range d.Attachments {
			m.Attachments[i] = inbox.Attachment{URL: a.URL, ContentType: a.ContentType, Name: a.Name, Size: a.Size}
		}
	}
	return m
}

// AddMessage stores m. An inbound message whose provider id an inbound
// message of the channel already has (or an existing message id) is
// ErrDuplicate, and nothing is stored: the insert is refused by a unique
// index, not by a prior lookup that a concurrent retry could slip past.
// Should the key be held by a reply stored before replies gave theirs up,
// the reply is made to give it up and the insert tried once more
// (freeLegacyKey).
func (s *Store) AddMessage(ctx context.Context, m *inbox.Message) error {
	d := toMessageDoc(m)
	_, err := s.messages.InsertOne(ctx, d)
	if err != nil && s.isDuplicate(err) && isKeyed(m) {
		freed, ferr := s.freeLegacyKey(ctx, d.ExternalKey)
		if ferr != nil {
			return s.fail("add message", ferr)
		}
		if freed {
			_, err = s.messages.InsertOne(ctx, d)
		}
	}
	return s.fail("add message", err)
}

// GetMessage returns the workspace's message with that id.
func (s *Store) GetMessage(ctx context.Context, workspaceID, id string) (*inbox.Message, error) {
	m, err := findOne(ctx, s.messages, byID(workspaceID, id), (*messageDoc).toMessage)
	if err != nil {
		return nil, s.fail("get message", err)
	}
	return &m, nil
}

// ListMessages returns the conversation's messages in id order (ids grow
// with time), those after afterID, at most limit (0: all).
func (s *Store) ListMessages(ctx context.Context, workspaceID, conversationID, afterID string, limit int) ([]inbox.Message, error) {
	filter := bson.D{
		{Key: "workspaceId", Value: workspaceID},
		{Key: "conversationId", Value: conversationID},
	}
	if afterID != "" {
		filter = append(filter, bson.E{Key: "_id", Value: bson.D{{Key: "$gt", Value: afterID}}})
	}
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: 1}})
	if limit > 0 {
		opts.SetLimit(int64(limit))
	}
	out, err := findAll(ctx, s.messages, filter, opts, (*messageDoc).toMessage)
	return out, s.fail("list messages", err)
}
