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
	// harmless: key(channel, external id) when the provider gave an id,
	// otherwise "-" and the message id. Messages without a provider id
	// must not collide with each other, and with no partial indexes
	// (FerretDB v1) and sparse ignored, an empty value cannot simply be
	// left out of the index. Real keys start with a digit (the length
	// prefix), so no placeholder can equal one.
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

func externalKey(channelID, externalID, messageID string) string {
	if externalID == "" {
		return "-" + messageID
	}
	return key(channelID, externalID)
}

func toMessageDoc(m *inbox.Message) messageDoc {
	d := messageDoc{
		ID:             m.ID,
		WorkspaceID:    m.WorkspaceID,
		ConversationID: m.ConversationID,
		ChannelID:      m.ChannelID,
		ExternalID:     m.ExternalID,
		ExternalKey:    externalKey(m.ChannelID, m.ExternalID, m.ID),
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

// AddMessage stores m. A provider id already stored for the channel (or
// an existing message id) is ErrDuplicate, and nothing is stored: the
// insert is refused by a unique index, not by a prior lookup that a
// concurrent retry could slip past.
func (s *Store) AddMessage(ctx context.Context, m *inbox.Message) error {
	_, err := s.messages.InsertOne(ctx, toMessageDoc(m))
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

// FindMessageByExternalID looks a message up by its provider id, for
// webhooks (delivery callbacks) that know only the channel.
func (s *Store) FindMessageByExternalID(ctx context.Context, channelID, externalID string) (*inbox.Message, error) {
	if externalID == "" {
		return nil, inbox.ErrNotFound
	}
	filter := bson.D{{Key: "externalKey", Value: key(channelID, externalID)}}
	m, err := findOne(ctx, s.messages, filter, (*messageDoc).toMessage)
	if err != nil {
		return nil, s.fail("find message by external id", err)
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
