package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"hub/inbox"
)

type teamDoc struct {
	ID          string    `bson:"_id"`
	WorkspaceID string    `bson:"workspaceId"`
	Name        string    `bson:"name"`
	AgentIDs    []string  `bson:"agentIds"`
	CreatedAt   time.Time `bson:"createdAt"`
}

func (d *teamDoc) toTeam() inbox.Team {
	return inbox.Team{
		ID:          d.ID,
		WorkspaceID: d.WorkspaceID,
		Name:        d.Name,
		AgentIDs:    d.AgentIDs,
		CreatedAt:   utc(d.CreatedAt),
	}
}

// CreateTeam stores a new team; an existing id is ErrDuplicate.
func (s *Store) CreateTeam(ctx context.Context, t *inbox.Team) error {
	_, err := s.teams.InsertOne(ctx, teamDoc{
		ID:          t.ID,
		WorkspaceID: t.WorkspaceID,
		Name:        t.Name,
		AgentIDs:    nonNil(t.AgentIDs),
		CreatedAt:   t.CreatedAt,
	})
	return s.fail("create team", err)
}

// GetTeam returns the workspace's team with that id.
func (s *Store) GetTeam(ctx context.Context, workspaceID, id string) (*inbox.Team, error) {
	t, err := findOne(ctx, s.teams, byID(workspaceID, id), (*teamDoc).toTeam)
	if err != nil {
		return nil, s.fail("get team", err)
	}
	return &t, nil
}

// ListTeams returns the workspace's teams in creation order.
func (s *Store) ListTeams(ctx context.Context, workspaceID string) ([]inbox.Team, error) {
	opts := options.Find().SetSort(bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}})
	out, err := findAll(ctx, s.teams, bson.D{{Key: "workspaceId", Value: workspaceID}}, opts, (*teamDoc).toTeam)
	return out, s.fail("list teams", err)
}

// UpdateTeam stores the name and members.
func (s *Store) UpdateTeam(ctx context.Context, t *inbox.Team) error {
	res, err := s.teams.UpdateOne(ctx, byID(t.WorkspaceID, t.ID), bson.D{{Key: "$set", Value: bson.D{
		{Key: "name", Value: t.Name},
		{Key: "agentIds", Value: nonNil(t.AgentIDs)},
	}}})
	if err != nil {
		return s.fail("update team", err)
	}
	return updated(res)
}

// DeleteTeam removes the team. Conversations that name it keep the id:
// clearing them would be a multi-document change, and the inbox shows an
// unknown team as no team.
func (s *Store) DeleteTeam(ctx context.Context, workspaceID, id string) error {
	res, err := s.teams.DeleteOne(ctx, byID(workspaceID, id))
	if err != nil {
		return s.fail("delete team", err)
	}
	if res.DeletedCount == 0 {
		return inbox.ErrNotFound
	}
	return nil
}
