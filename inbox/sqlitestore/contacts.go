package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"hub/inbox"
)

// querier is what a *sql.DB and a *sql.Tx share.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// FindOrCreateContact returns the contact known on id.ChannelID by
// id.Handle, creating it when there is none. An identity that belongs to
// another workspace is reported as ErrNotFound: it cannot be created twice.
func (s *Store) FindOrCreateContact(ctx context.Context, workspaceID string, id inbox.Identity, name string) (*inbox.Contact, error) {
	// Nearly every inbound message is from a known contact: try the
	// reader pool before queueing for the writer.
	if c, found, err := findContactByIdentity(ctx, s.r, workspaceID, id); found || err != nil {
		return c, err
	}

	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	// Someone may have created it since the read; the IMMEDIATE
	// transaction holds the write lock, so this check is final.
	if c, found, err := findContactByIdentity(ctx, tx, workspaceID, id); found || err != nil {
		return c, err
	}
	now := time.Now().UTC()
	c := &inbox.Contact{
		ID:          inbox.NewID(),
		WorkspaceID: workspaceID,
		Name:        name,
		Identities:  []inbox.Identity{{ChannelID: id.ChannelID, Handle: id.Handle}},
		CreatedAt:   fromMs(ms(now)),
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO contacts
		(id, workspace_id, name, email, phone, notes, created_at) VALUES (?, ?, ?, '', '', '', ?)`,
		c.ID, c.WorkspaceID, c.Name, ms(now)); err != nil {
		return nil, mapErr(err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO contact_identities
		(channel_id, handle, contact_id, workspace_id, blocked, created_at) VALUES (?, ?, ?, ?, 0, ?)`,
		id.ChannelID, id.Handle, c.ID, workspaceID, ms(now)); err != nil {
		return nil, mapErr(err)
	}
	if err := tx.Commit(); err != nil {
		return nil, mapErr(err)
	}
	return c, nil
}

// FindContact returns the contact known on id.ChannelID by id.Handle, or
// ErrNotFound; it never creates one.
func (s *Store) FindContact(ctx context.Context, workspaceID string, id inbox.Identity) (*inbox.Contact, error) {
	c, found, err := findContactByIdentity(ctx, s.r, workspaceID, id)
	if err == nil && !found {
		return nil, inbox.ErrNotFound
	}
	return c, err
}

// findContactByIdentity reports found when the identity exists; one of
// another workspace is found but reported as ErrNotFound.
func findContactByIdentity(ctx context.Context, q querier, workspaceID string, id inbox.Identity) (c *inbox.Contact, found bool, err error) {
	var contactID, ws string
	err = q.QueryRowContext(ctx, `SELECT contact_id, workspace_id FROM contact_identities
		WHERE channel_id = ? AND handle = ?`, id.ChannelID, id.Handle).Scan(&contactID, &ws)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if ws != workspaceID {
		return nil, true, inbox.ErrNotFound
	}
	c, err = getContact(ctx, q, workspaceID, contactID)
	return c, true, err
}

// getContact reads the contact and its identities in one statement, so
// one snapshot.
func getContact(ctx context.Context, q querier, workspaceID, id string) (*inbox.Contact, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.id, c.workspace_id, c.name, c.email, c.phone, c.notes,
			c.created_at, i.channel_id, i.handle, i.blocked
		FROM contacts c LEFT JOIN contact_identities i ON i.contact_id = c.id
		WHERE c.id = ? AND c.workspace_id = ?
		ORDER BY i.created_at, i.channel_id`, id, workspaceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var c *inbox.Contact
	for rows.Next() {
		var (
			x               inbox.Contact
			created         int64
			channel, handle sql.NullString
			blocked         sql.NullBool
		)
		if err := rows.Scan(&x.ID, &x.WorkspaceID, &x.Name, &x.Email, &x.Phone, &x.Notes,
			&created, &channel, &handle, &blocked); err != nil {
			return nil, err
		}
		if c == nil {
			x.CreatedAt = fromMs(created)
			c = &x
		}
		if channel.Valid {
			c.Identities = append(c.Identities, inbox.Identity{
				ChannelID: channel.String, Handle: handle.String, Blocked: blocked.Bool,
			})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if c == nil {
		return nil, inbox.ErrNotFound
	}
	return c, nil
}

// GetContact returns the workspace's contact with that id.
func (s *Store) GetContact(ctx context.Context, workspaceID, id string) (*inbox.Contact, error) {
	return getContact(ctx, s.r, workspaceID, id)
}

// SetContactBlocked blocks or unblocks the contact on one channel.
func (s *Store) SetContactBlocked(ctx context.Context, workspaceID, contactID, channelID string, blocked bool) error {
	return affected(s.w.ExecContext(ctx, `UPDATE contact_identities SET blocked = ?
		WHERE contact_id = ? AND channel_id = ? AND workspace_id = ?`,
		boolInt(blocked), contactID, channelID, workspaceID))
}
