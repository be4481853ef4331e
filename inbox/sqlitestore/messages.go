package sqlitestore

import (
	"context"
	"encoding/json"
	"fmt"

	"hub/inbox"
)

// msgDoc is the part of a message no query looks at.
type msgDoc struct {
	Author      inbox.Author       `json:"author"`
	Text        string             `json:"text,omitempty"`
	Private     bool               `json:"private,omitempty"`
	Attachments []inbox.Attachment `json:"attachments,omitempty"`
	Buttons     []string           `json:"buttons,omitempty"`
	Kind        string             `json:"kind,omitempty"`
}

const msgCols = `id, workspace_id, conversation_id, channel_id, external_id, direction,
	delivery, delivery_error, created_at, doc, attempts, next_attempt_at, lease_until`

func scanMsg(sc scanner) (*inbox.Message, error) {
	var (
		m           inbox.Message
		created     int64
		next, lease int64
		doc         []byte
		d           msgDoc
	)
	if err := sc.Scan(&m.ID, &m.WorkspaceID, &m.ConversationID, &m.ChannelID, &m.ExternalID, &m.Direction,
		&m.Delivery, &m.DeliveryError, &created, &doc, &m.Attempts, &next, &lease); err != nil {
		return nil, mapErr(err)
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, fmt.Errorf("message %s: %w", m.ID, err)
	}
	m.CreatedAt = fromMs(created)
	m.NextAttemptAt = fromMsOrZero(next)
	m.LeaseUntil = fromMsOrZero(lease)
	m.Author = d.Author
	m.Text = d.Text
	m.Private = d.Private
	m.Attachments = d.Attachments
	if m.Attachments == nil {
		// The API shows attachments as a list, never null.
		m.Attachments = []inbox.Attachment{}
	}
	m.Buttons = d.Buttons
	m.Kind = d.Kind
	return &m, nil
}

// AddMessage stores m, giving it an id and creation time if missing. An
// inbound message whose provider id an inbound message of the channel
// already has fails with ErrDuplicate: the unique index decides, so racing
// retries cannot both get in. Outbound provider ids are not unique.
func (s *Store) AddMessage(ctx context.Context, m *inbox.Message) error {
	newID(&m.ID)
	m.CreatedAt = orNow(m.CreatedAt)
	doc, err := jsonText(msgDoc{
		Author:      m.Author,
		Text:        m.Text,
		Private:     m.Private,
		Attachments: m.Attachments,
		Buttons:     m.Buttons,
		Kind:        m.Kind,
	})
	if err != nil {
		return err
	}
	_, err = s.w.ExecContext(ctx, `INSERT INTO messages (`+msgCols+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.ID, m.WorkspaceID, m.ConversationID, m.ChannelID, m.ExternalID, string(m.Direction),
		string(m.Delivery), m.DeliveryError, ms(m.CreatedAt), doc,
		m.Attempts, msOrZero(m.NextAttemptAt), msOrZero(m.LeaseUntil))
	return mapErr(err)
}

// GetMessage returns the workspace's message with that id.
func (s *Store) GetMessage(ctx context.Context, workspaceID, id string) (*inbox.Message, error) {
	return scanMsg(s.r.QueryRowContext(ctx,
		`SELECT `+msgCols+` FROM messages WHERE id = ? AND workspace_id = ?`, id, workspaceID))
}

// FindMessageByExternalID returns the inbound message with that provider
// id on the channel. Messages without a provider id cannot be found this
// way.
func (s *Store) FindMessageByExternalID(ctx context.Context, channelID, externalID string) (*inbox.Message, error) {
	if externalID == "" {
		return nil, inbox.ErrNotFound
	}
	return scanMsg(s.r.QueryRowContext(ctx, externalInSQL, channelID, externalID))
}

// FindSentMessageByExternalID returns the newest outbound message with
// that provider id on the channel.
func (s *Store) FindSentMessageByExternalID(ctx context.Context, channelID, externalID string) (*inbox.Message, error) {
	if externalID == "" {
		return nil, inbox.ErrNotFound
	}
	return scanMsg(s.r.QueryRowContext(ctx, externalOutSQL, channelID, externalID))
}

// The lookups by provider id. The literal direction and the repeated
// external_id <> ” let SQLite use the partial indexes (migration 6),
// which bound parameters alone do not prove applicable.
const (
	externalInSQL = `SELECT ` + msgCols + ` FROM messages
		WHERE channel_id = ? AND external_id = ? AND direction = 'in' AND external_id <> ''`
	externalOutSQL = `SELECT ` + msgCols + ` FROM messages
		WHERE channel_id = ? AND external_id = ? AND direction = 'out' AND external_id <> ''
		ORDER BY id DESC LIMIT 1`
)

// ListMessages returns the conversation's messages in id order after
// afterID, at most limit of them (0: all).
func (s *Store) ListMessages(ctx context.Context, workspaceID, conversationID, afterID string, limit int) ([]inbox.Message, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+msgCols+` FROM messages
		WHERE conversation_id = ? AND workspace_id = ? AND id > ?
		ORDER BY id LIMIT ?`, conversationID, workspaceID, afterID, limit)
	if err != nil {
		return nil, err
	}
	return collectRows(rows, scanMsg)
}
