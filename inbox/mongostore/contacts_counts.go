package mongostore

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"

	"hub/inbox"
)

// UpdateContact stores the contact's name and details with one $set, so
// the identities and blocked channels are not touched; a contact of
// another workspace matches nothing and is ErrNotFound. On FerretDB it
// holds the contact's lock (see lockContact).
func (s *Store) UpdateContact(ctx context.Context, c *inbox.Contact) error {
	unlock, err := s.lockContact(ctx, c.ID)
	if err != nil {
		return err
	}
	defer unlock()
	res, err := s.contacts.UpdateOne(ctx, byID(c.WorkspaceID, c.ID), bson.D{{Key: "$set", Value: bson.D{
		{Key: "name", Value: c.Name},
		{Key: "email", Value: c.Email},
		{Key: "phone", Value: c.Phone},
		{Key: "notes", Value: c.Notes},
	}}})
	if err != nil {
		return s.fail("update contact", err)
	}
	return updated(res)
}

// countedStatuses are the statuses CountByStatus reports.
var countedStatuses = []inbox.Status{
	inbox.StatusBot, inbox.StatusOpen, inbox.StatusPending, inbox.StatusClosed, inbox.StatusSpam,
}

// CountByStatus counts the workspace's conversations per status, one
// count per status over the index workspace_status_activity: no
// $group, whose accumulators FerretDB v1 gets wrong. Every status is in
// the map, with 0 when no conversation has it. The counts are not one
// snapshot; each is exact when it runs.
func (s *Store) CountByStatus(ctx context.Context, workspaceID string) (map[inbox.Status]int, error) {
	counts := make(map[inbox.Status]int, len(countedStatuses))
	for _, st := range countedStatuses {
		n, err := s.conversations.CountDocuments(ctx, bson.D{
			{Key: "workspaceId", Value: workspaceID},
			{Key: "status", Value: string(st)},
		})
		if err != nil {
			return nil, s.fail("count by status", err)
		}
		counts[st] = int(n)
	}
	return counts, nil
}
