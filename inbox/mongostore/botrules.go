package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"hub/inbox"
)

type botRuleDoc struct {
	ID          string    `bson:"_id"`
	WorkspaceID string    `bson:"workspaceId"`
	Name        string    `bson:"name"`
	Keywords    []string  `bson:"keywords"`
	Phrases     []string  `bson:"phrases"`
	Patterns    []string  `bson:"patterns"`
	Language    string    `bson:"language"`
	Answer      string    `bson:"answer"`
	Buttons     []string  `bson:"buttons"`
	Handoff     bool      `bson:"handoff"`
	TeamID      string    `bson:"teamId"`
	Priority    int       `bson:"priority"`
	Enabled     bool      `bson:"enabled"`
	CreatedAt   time.Time `bson:"createdAt"`
}

// toBotRule gives every list as a list, never nil, as the SQLite store
// does: rules saved before phrases, patterns and buttons existed lack them.
func (d *botRuleDoc) toBotRule() inbox.BotRule {
	return inbox.BotRule{
		ID:          d.ID,
		WorkspaceID: d.WorkspaceID,
		Name:        d.Name,
		Keywords:    nonNil(d.Keywords),
		Phrases:     nonNil(d.Phrases),
		Patterns:    nonNil(d.Patterns),
		Language:    d.Language,
		Answer:      d.Answer,
		Buttons:     nonNil(d.Buttons),
		Handoff:     d.Handoff,
		TeamID:      d.TeamID,
		Priority:    d.Priority,
		Enabled:     d.Enabled,
		CreatedAt:   utc(d.CreatedAt),
	}
}

// SaveBotRule creates the rule or replaces the workspace's rule with the
// same id. The filter carries the workspace, so a rule id of another
// workspace is not overwritten: the upsert then collides on _id and
// reports ErrDuplicate.
func (s *Store) SaveBotRule(ctx context.Context, r *inbox.BotRule) error {
	d := botRuleDoc{
		ID:          r.ID,
		WorkspaceID: r.WorkspaceID,
		Name:        r.Name,
		Keywords:    nonNil(r.Keywords),
		Phrases:     nonNil(r.Phrases),
		Patterns:    nonNil(r.Patterns),
		Language:    r.Language,
		Answer:      r.Answer,
		Buttons:     nonNil(r.Buttons),
		Handoff:     r.Handoff,
		TeamID:      r.TeamID,
		Priority:    r.Priority,
		Enabled:     r.Enabled,
		CreatedAt:   r.CreatedAt,
	}
	_, err := s.botRules.ReplaceOne(ctx, byID(r.WorkspaceID, r.ID), d, options.Replace().SetUpsert(true))
	return s.fail("save bot rule", err)
}

// ListBotRules returns the workspace's rules in creation order; the bot
// applies its own priority order.
func (s *Store) ListBotRules(ctx context.Context, workspaceID string) ([]inbox.BotRule, error) {
	opts := options.Find().SetSort(bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}})
	out, err := findAll(ctx, s.botRules, bson.D{{Key: "workspaceId", Value: workspaceID}}, opts, (*botRuleDoc).toBotRule)
	return out, s.fail("list bot rules", err)
}

// DeleteBotRule removes the workspace's rule; an unknown one is
// ErrNotFound.
func (s *Store) DeleteBotRule(ctx context.Context, workspaceID, id string) error {
	res, err := s.botRules.DeleteOne(ctx, byID(workspaceID, id))
	if err != nil {
		return s.fail("delete bot rule", err)
	}
	if res.DeletedCount == 0 {
		return inbox.ErrNotFound
	}
	return nil
}
