package mongostore

import (
	"context"
	"errors"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"hub/inbox"
)

// Provider ids. Only inbound ids are unique per channel: providers number
// what they receive and what they send independently (a Telegram
// update_id may equal a reply's message_id, reply message_ids repeat
// across chats), so a reply's id must neither block nor shadow a
// customer's message. An inbound message's externalKey is
// key(channel, id), under the unique index externalKey_unique; every
// other message gets the placeholder "-" + its own id, which no other
// document has and no real key equals (real keys start with a digit, the
// length prefix). FerretDB v1 has no partial indexes and ignores sparse,
// so the placeholders stand in for "not in the index". Replies' ids are
// in externalId alone, found through channel_externalId_id.

// isKeyed reports whether m takes part in the provider-id dedupe.
func isKeyed(m *inbox.Message) bool {
	return m.Direction == inbox.DirectionIn && m.ExternalID != ""
}

// messageKey is m's externalKey.
func messageKey(m *inbox.Message) string {
	if !isKeyed(m) {
		return placeholderKey(m.ID)
	}
	return key(m.ChannelID, m.ExternalID)
}

func placeholderKey(messageID string) string { return "-" + messageID }

// FindMessageByExternalID returns the inbound message with that provider
// id on the channel (the webhook dedupe); the channel alone is known.
// The direction in the filter skips a reply that still holds the key
// from before replies gave theirs up (see freeLegacyKey).
func (s *Store) FindMessageByExternalID(ctx context.Context, channelID, externalID string) (*inbox.Message, error) {
	if externalID == "" {
		return nil, inbox.ErrNotFound
	}
	filter := bson.D{
		{Key: "externalKey", Value: key(channelID, externalID)},
		{Key: "direction", Value: string(inbox.DirectionIn)},
	}
	m, err := findOne(ctx, s.messages, filter, (*messageDoc).toMessage)
	if err != nil {
		return nil, s.fail("find message by external id", err)
	}
	return &m, nil
}

// FindSentMessageByExternalID returns the newest (greatest _id) outbound
// message with that provider id on the channel, for delivery reports
// that carry only the provider's id.
func (s *Store) FindSentMessageByExternalID(ctx context.Context, channelID, externalID string) (*inbox.Message, error) {
	if externalID == "" {
		return nil, inbox.ErrNotFound
	}
	filter := bson.D{
		{Key: "channelId", Value: channelID},
		{Key: "externalId", Value: externalID},
		{Key: "direction", Value: string(inbox.DirectionOut)},
	}
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: -1}}).SetLimit(1)
	found, err := findAll(ctx, s.messages, filter, opts, (*messageDoc).toMessage)
	switch {
	case err != nil:
		return nil, s.fail("find sent message by external id", err)
	case len(found) == 0:
		return nil, inbox.ErrNotFound
	}
	return &found[0], nil
}

// freeLegacyKey handles databases written when replies' provider ids
// were unique too: AdvanceDelivery then gave a reply the key
// key(channel, id), which now blocks a customer's message with the same
// id. Such a reply, if it holds k, gets its placeholder instead, and
// freeLegacyKey reports true: the caller's insert may be tried again.
// Repairing on collision, rather than rewriting every reply at Open,
// costs nothing at start and nothing while ids do not collide; the
// stale keys left elsewhere are harmless, since lookups of inbound
// messages filter on direction.
func (s *Store) freeLegacyKey(ctx context.Context, k string) (bool, error) {
	var holder messageDoc
	filter := bson.D{{Key: "externalKey", Value: k}, {Key: "direction", Value: string(inbox.DirectionOut)}}
	fields := options.FindOne().SetProjection(bson.D{{Key: "workspaceId", Value: 1}})
	err := s.messages.FindOne(ctx, filter, fields).Decode(&holder)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return false, nil // an inbound message holds it: a real duplicate
	}
	if err != nil {
		return false, err
	}
	// Through updateMessage, so that on FerretDB the rewrite holds the
	// message's lock like every other writer of it (AdvanceDelivery).
	// A concurrent caller may free it first: the key is free either way.
	cond := bson.D{{Key: "externalKey", Value: k}}
	holds := func(d *messageDoc) bool { return d.ExternalKey == k }
	release := func(*messageDoc) bson.D {
		return bson.D{{Key: "$set", Value: bson.D{{Key: "externalKey", Value: placeholderKey(holder.ID)}}}}
	}
	_, err = s.updateMessage(ctx, "free legacy key", holder.WorkspaceID, holder.ID, cond, holds, release)
	if err != nil && !errors.Is(err, inbox.ErrNotFound) {
		return false, err
	}
	return true, nil
}
