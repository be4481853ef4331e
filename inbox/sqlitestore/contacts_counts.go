package sqlitestore

import (
	"context"

	"hub/inbox"
)

// UpdateContact stores the contact's name and details. The identities,
// kept in their own table, are not touched; a contact of another
// workspace matches nothing and is ErrNotFound.
func (s *Store) UpdateContact(ctx context.Context, c *inbox.Contact) error {
	return affected(s.w.ExecContext(ctx, `UPDATE contacts SET name = ?, email = ?, phone = ?, notes = ?
		WHERE id = ? AND workspace_id = ?`,
		c.Name, c.Email, c.Phone, c.Notes, c.ID, c.WorkspaceID))
}

// countByStatusSQL counts within the workspace's range of the covering
// index conversations_status on (workspace_id, status, ...): the groups
// come in index order, so there is no sort and no row is read.
// Argument: workspace.
const countByStatusSQL = `SELECT status, count(*) FROM conversations
	WHERE workspace_id = ? GROUP BY status`

// CountByStatus counts the workspace's conversations per status; every
// status is in the map, with 0 when no conversation has it.
func (s *Store) CountByStatus(ctx context.Context, workspaceID string) (map[inbox.Status]int, error) {
	rows, err := s.r.QueryContext(ctx, countByStatusSQL, workspaceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := map[inbox.Status]int{
		inbox.StatusBot: 0, inbox.StatusOpen: 0, inbox.StatusPending: 0, inbox.StatusClosed: 0, inbox.StatusSpam: 0,
	}
	for rows.Next() {
		var (
			st string
			n  int
		)
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		counts[inbox.Status(st)] = n
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return counts, nil
}
