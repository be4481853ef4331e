package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"hub/inbox"
)

// Team chat: messages between agents, in the chat_messages collection,
// read per room in id order (index workspace_room_id).

// defaultChatPage is ListChatMessages' limit when the caller gives none.
const defaultChatPage = 200

type chatMessageDoc struct {
	ID          string    `bson:"_id"`
	WorkspaceID string    `bson:"workspaceId"`
	Room        string    `bson:"room"`
	AuthorID    string    `bson:"authorId"`
	AuthorName  string    `bson:"authorName"`
	Text        string    `bson:"text"`
	CreatedAt   time.Time `bson:"createdAt"`
}

func (d *chatMessageDoc) toChatMessage() inbox.ChatMessage {
	return inbox.ChatMessage{
		ID:          d.ID,
		WorkspaceID: d.WorkspaceID,
		Room:        d.Room,
		AuthorID:    d.AuthorID,
		AuthorName:  d.AuthorName,
		Text:        d.Text,
		CreatedAt:   utc(d.CreatedAt),
	}
}

// AddChatMessage stores m, giving it an id and creation time if missing;
// an id already stored is ErrDuplicate.
func (s *Store) AddChatMessage(ctx context.Context, m *inbox.ChatMessage) error {
	if m.ID == "" {
		m.ID = inbox.NewID()
	}
	if m.CreatedAt.IsZero() {
		// What the server keeps, so the caller's copy equals the stored one.
		m.CreatedAt = time.Now().UTC().Truncate(time.Millisecond)
	}
	_, err := s.chatMessages.InsertOne(ctx, chatMessageDoc{
		ID:          m.ID,
		WorkspaceID: m.WorkspaceID,
		Room:        m.Room,
		AuthorID:    m.AuthorID,
		AuthorName:  m.AuthorName,
		Text:        m.Text,
		CreatedAt:   m.CreatedAt,
	})
	return s.fail("add chat message", err)
}

// ListChatMessages returns the room's messages after afterID ("" for the
// first), in id order (ids grow with time), at most limit (0: 200).
func (s *Store) ListChatMessages(ctx context.Context, workspaceID, room, afterID string, limit int) ([]inbox.ChatMessage, error) {
	if limit <= 0 {
		limit = defaultChatPage
	}
	filter := bson.D{
		{Key: "workspaceId", Value: workspaceID},
		{Key: "room", Value: room},
		{Key: "_id", Value: bson.D{{Key: "$gt", Value: afterID}}},
	}
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(int64(limit))
	out, err := findAll(ctx, s.chatMessages, filter, opts, (*chatMessageDoc).toChatMessage)
	return out, s.fail("list chat messages", err)
}
