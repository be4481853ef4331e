package sqlitestore

import (
	"context"

	"hub/inbox"
)

// Team chat: messages between agents, in the chat_messages table of
// migration 4, read per room in id order through chat_messages_room.

// defaultChatPage is ListChatMessages' limit when the caller gives none.
const defaultChatPage = 200

const chatCols = `id, workspace_id, room, author_id, author_name, text, created_at`

func scanChat(sc scanner) (*inbox.ChatMessage, error) {
	var (
		m       inbox.ChatMessage
		created int64
	)
	if err := sc.Scan(&m.ID, &m.WorkspaceID, &m.Room, &m.AuthorID, &m.AuthorName, &m.Text, &created); err != nil {
		return nil, mapErr(err)
	}
	m.CreatedAt = fromMs(created)
	return &m, nil
}

// AddChatMessage stores m, giving it an id and creation time if missing;
// an id already stored is ErrDuplicate.
func (s *Store) AddChatMessage(ctx context.Context, m *inbox.ChatMessage) error {
	newID(&m.ID)
	m.CreatedAt = orNow(m.CreatedAt)
	_, err := s.w.ExecContext(ctx, `INSERT INTO chat_messages (`+chatCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		m.ID, m.WorkspaceID, m.Room, m.AuthorID, m.AuthorName, m.Text, ms(m.CreatedAt))
	return mapErr(err)
}

// chatSQL is a range on chat_messages_room. Arguments: workspace, room,
// after id, limit.
const chatSQL = `SELECT ` + chatCols + ` FROM chat_messages
	WHERE workspace_id = ? AND room = ? AND id > ?
	ORDER BY id LIMIT ?`

// ListChatMessages returns the room's messages after afterID ("" for the
// first), in id order, at most limit (0: 200).
func (s *Store) ListChatMessages(ctx context.Context, workspaceID, room, afterID string, limit int) ([]inbox.ChatMessage, error) {
	if limit <= 0 {
		limit = defaultChatPage
	}
	rows, err := s.r.QueryContext(ctx, chatSQL, workspaceID, room, afterID, limit)
	if err != nil {
		return nil, err
	}
	return collectRows(rows, scanChat)
}
