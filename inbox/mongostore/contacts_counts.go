package mongostore

import (
	"context"
	"errors"

	"hub/inbox"
)

// errCountsTODO marks methods being written; replaced before this lands.
var errCountsTODO = errors.New("mongostore: not implemented yet")

func (s *Store) UpdateContact(ctx context.Context, c *inbox.Contact) error { return errCountsTODO }

func (s *Store) CountByStatus(ctx context.Context, workspaceID string) (map[inbox.Status]int, error) {
	return nil, errCountsTODO
}
